package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

func TestShortHottokRefused(t *testing.T) {
	p := webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })
	for _, short := range []string{"t", "abc1234", strings.Repeat("x", webhook.MinHottokLength-1)} {
		h, err := webhook.New(webhook.WithHottok(tok, short), webhook.WithProcessor(p))
		var ce *webhook.ConfigError
		if h != nil || !errors.As(err, &ce) || !errors.Is(err, webhook.ErrShortHottok) {
			t.Fatalf("WithHottok(%q): %v, %v; want *ConfigError matching ErrShortHottok", short, h, err)
		}
		if ce.Option != "WithHottok" || (len(short) > 2 && strings.Contains(err.Error(), short)) {
			t.Errorf("error %q: wrong option or quotes the token", err)
		}
	}
	if _, err := webhook.New(webhook.WithHottok(strings.Repeat("x", webhook.MinHottokLength)), webhook.WithProcessor(p)); err != nil {
		t.Errorf("a token of MinHottokLength characters: %v", err)
	}
}

// eventBody is a minimal delivery of type typ.
func eventBody(typ hotmart.EventType, id string) []byte {
	data := `{}`
	if typ.Family() == hotmart.FamilyPurchase {
		data = `{"buyer":{"email":"ana@example.com"},"purchase":{"transaction":"HP1"}}`
	}
	return []byte(`{"id":"` + id + `","event":"` + string(typ) + `","version":"2.0.0","creation_date":1700000000000,"data":` + data + `}`)
}

func post(t *testing.T, h http.Handler, body []byte) int {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/hotmart", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-HOTMART-HOTTOK", tok)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// A processor's panic value can carry a buyer's e-mail or CPF: the history
// and the log get only its type.
func TestPanicRecordsOnlyItsType(t *testing.T) {
	const secret = "ana@example.com 123.456.789-09 Ana Souza"
	var logs bytes.Buffer
	h, err := webhook.New(webhook.WithHottok(tok), webhook.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		webhook.WithProcessor(webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error {
			panic(errors.New(secret))
		})))
	if err != nil {
		t.Fatal(err)
	}
	if code := post(t, h, eventBody(hotmart.EventPurchaseApproved, "evt-panic")); code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", code)
	}
	ds, err := h.History().Deliveries(context.Background(), webhook.Query{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("deliveries = %v, %v", ds, err)
	}
	for where, text := range map[string]string{"history": ds[0].Error, "log": logs.String()} {
		for _, part := range []string{"ana@", "123.456", "Souza"} {
			if strings.Contains(text, part) {
				t.Errorf("%s holds the panic value: %q", where, text)
			}
		}
	}
	if !strings.Contains(ds[0].Error, "*errors.errorString") {
		t.Errorf("history error %q does not name the panic's type", ds[0].Error)
	}
}

func TestMuxDefault(t *testing.T) {
	var own, rest []hotmart.EventType
	m := webhook.NewMux()
	if err := m.HandleFunc(hotmart.EventClubFirstAccess, func(_ context.Context, e *hotmart.Event) error {
		own = append(own, e.Type)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.HandleDefault(webhook.ProcessorFunc(func(_ context.Context, e *hotmart.Event) error {
		rest = append(rest, e.Type)
		return nil
	})); err != nil {
		t.Fatal(err)
	}
	for _, typ := range hotmart.EventTypes() {
		ev, err := hotmart.ParseEvent(eventBody(typ, "evt-"+string(typ)))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Process(context.Background(), ev); err != nil {
			t.Errorf("%s: %v", typ, err)
		}
	}
	if len(own) != 1 || own[0] != hotmart.EventClubFirstAccess {
		t.Errorf("own handler got %v", own)
	}
	if len(rest) != len(hotmart.EventTypes())-1 {
		t.Errorf("default got %d events, want %d: %v", len(rest), len(hotmart.EventTypes())-1, rest)
	}

	ok := webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })
	for name, err := range map[string]error{
		"second default": m.HandleDefault(ok),
		"nil":            webhook.NewMux().HandleDefault(nil),
		"nil func":       webhook.NewMux().HandleDefault(webhook.ProcessorFunc(nil)),
	} {
		var ce *webhook.ConfigError
		if !errors.As(err, &ce) || ce.Option != "Mux.HandleDefault" {
			t.Errorf("%s: err = %v, want *ConfigError", name, err)
		}
	}
}

// Without a default, an unregistered type is still ErrNoHandler, which the
// Handler answers 200.
func TestMuxWithoutDefaultAcknowledges(t *testing.T) {
	m := webhook.NewMux()
	if err := m.Handle(hotmart.EventPurchaseApproved, webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })); err != nil {
		t.Fatal(err)
	}
	h, err := webhook.New(webhook.WithHottok(tok), webhook.WithProcessor(m))
	if err != nil {
		t.Fatal(err)
	}
	if code := post(t, h, eventBody(hotmart.EventSwitchPlan, "evt-1")); code != http.StatusOK {
		t.Errorf("status = %d, want 200", code)
	}
}
