package webhook_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

const (
	tok    = "hottok-current-0123456789"
	oldTok = "hottok-previous-abcdef"
)

// counter is a Processor that counts its calls and behaves as fn says.
type counter struct {
	n  atomic.Int64
	fn func(ctx context.Context, e *hotmart.Event) error
}

func (c *counter) Process(ctx context.Context, e *hotmart.Event) error {
	c.n.Add(1)
	if c.fn != nil {
		return c.fn(ctx, e)
	}
	return nil
}

// setup gives each test its own handler with two accepted tokens.
func setup(t *testing.T, fn func(context.Context, *hotmart.Event) error, opts ...webhook.Option) (*webhook.Handler, *counter) {
	t.Helper()
	c := &counter{fn: fn}
	h, err := webhook.New(append([]webhook.Option{webhook.WithHottok(tok, oldTok), webhook.WithProcessor(c)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return h, c
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandlerStatusPaths(t *testing.T) {
	approved := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	withBodyTok := hotmarttest.NewEvent(hotmart.EventUpdateSubscriptionChargeDate, hotmarttest.WithBodyHottok(tok))
	withWrongBodyTok := hotmarttest.NewEvent(hotmart.EventUpdateSubscriptionChargeDate, hotmarttest.WithBodyHottok("nope"))
	badData := []byte(`{"id":"e-1","event":"PURCHASE_APPROVED","version":"2.0.0","data":{"buyer":{"email":5531999999999}}}`)
	failing := errors.New("provider down for ana@example.com")
	legacy := func(hottok string) *http.Request {
		return hotmarttest.NewFormRequest(hotmarttest.NewLegacyForm(hotmart.EventPurchaseApproved, hotmarttest.WithBodyHottok(hottok)))
	}
	rawForm := func(body, header string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
			if header != "" {
				r.Header.Set("X-HOTMART-HOTTOK", header)
			}
			return r
		}
	}

	tests := []struct {
		name       string
		req        func() *http.Request
		fn         func(context.Context, *hotmart.Event) error
		opts       []webhook.Option
		wantStatus int
		wantCalls  int64
		wantBody   string // substring
	}{
		{name: "approved", req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 200, wantCalls: 1},
		{name: "previous token accepted during rotation", req: func() *http.Request { return hotmarttest.NewRequest(approved, oldTok) }, wantStatus: 200, wantCalls: 1},
		{name: "GET", req: func() *http.Request { return httptest.NewRequest(http.MethodGet, "/", nil) }, wantStatus: 405},
		{name: "PUT with a valid body", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.Method = http.MethodPut
			return r
		}, wantStatus: 405},
		{name: "multipart", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
			return r
		}, wantStatus: 415},
		{name: "text/plain", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, wantStatus: 415},
		{name: "json with charset", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.Header.Set("Content-Type", "Application/JSON ; charset=UTF-8")
			return r
		}, wantStatus: 200, wantCalls: 1},
		{name: "no content type", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.Header.Del("Content-Type")
			return r
		}, wantStatus: 200, wantCalls: 1},
		{name: "declared length over limit", opts: []webhook.Option{webhook.WithMaxBodyBytes(100)},
			req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 413},
		{name: "chunked body over limit", opts: []webhook.Option{webhook.WithMaxBodyBytes(100)},
			req: func() *http.Request {
				r := hotmarttest.NewRequest(nil, tok)
				r.Body = io.NopCloser(strings.NewReader(string(approved)))
				r.ContentLength = -1
				return r
			}, wantStatus: 413},
		{name: "chunked body within limit", req: func() *http.Request {
			r := hotmarttest.NewRequest(nil, tok)
			r.Body = io.NopCloser(strings.NewReader(string(approved)))
			r.ContentLength = -1
			return r
		}, wantStatus: 200, wantCalls: 1},
		{name: "body shorter than declared", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.ContentLength += 10
			return r
		}, wantStatus: 400},
		{name: "no hottok", req: func() *http.Request { return hotmarttest.NewRequest(approved, "") }, wantStatus: 401},
		{name: "wrong hottok", req: func() *http.Request { return hotmarttest.NewRequest(approved, tok+"x") }, wantStatus: 401},
		{name: "hottok prefix", req: func() *http.Request { return hotmarttest.NewRequest(approved, tok[:5]) }, wantStatus: 401},
		{name: "empty header present", req: func() *http.Request {
			r := hotmarttest.NewRequest(withBodyTok, "")
			r.Header["X-Hotmart-Hottok"] = []string{""}
			return r
		}, wantStatus: 401},
		{name: "lower-case header", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, "")
			r.Header.Set("x-hotmart-hottok", tok)
			return r
		}, wantStatus: 200, wantCalls: 1},
		{name: "body hottok used when header absent", req: func() *http.Request { return hotmarttest.NewRequest(withBodyTok, "") }, wantStatus: 200, wantCalls: 1},
		{name: "wrong body hottok", req: func() *http.Request { return hotmarttest.NewRequest(withWrongBodyTok, "") }, wantStatus: 401},
		{name: "header decides over body", req: func() *http.Request { return hotmarttest.NewRequest(withBodyTok, "wrong") }, wantStatus: 401},
		{name: "right header, wrong body hottok", req: func() *http.Request { return hotmarttest.NewRequest(withWrongBodyTok, tok) }, wantStatus: 200, wantCalls: 1},
		{name: "unauthenticated garbage", req: func() *http.Request { return hotmarttest.NewRequest([]byte("{not json"), "") }, wantStatus: 401},
		{name: "malformed json", req: func() *http.Request { return hotmarttest.NewRequest([]byte(`{"id":`), tok) }, wantStatus: 400, wantBody: "malformed event"},
		{name: "empty body", req: func() *http.Request { return hotmarttest.NewRequest(nil, tok) }, wantStatus: 400},
		{name: "missing id", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"event":"PURCHASE_APPROVED","data":{}}`), tok)
		}, wantStatus: 400, wantBody: "field id"},
		{name: "data of the wrong type", req: func() *http.Request { return hotmarttest.NewRequest(badData, tok) }, wantStatus: 400, wantBody: "data.buyer.email"},
		{name: "id over 256 bytes", req: func() *http.Request {
			return hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(strings.Repeat("x", 257))), tok)
		}, wantStatus: 400, wantBody: "field id: too_long"},
		{name: "body HOTTOK in another case is not the hottok", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"id":"e-2","event":"PURCHASE_APPROVED","HOTTOK":"`+tok+`","data":{}}`), "")
		}, wantStatus: 401},
		{name: "body hottok, malformed envelope", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"id":true,"event":"PURCHASE_APPROVED","hottok":"`+tok+`","data":{}}`), "")
		}, wantStatus: 400, wantBody: "field id: type"},
		{name: "body hottok", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"id":"e-2","event":"PURCHASE_APPROVED","hottok":"`+tok+`","data":{}}`), "")
		}, wantStatus: 200, wantCalls: 1},
		{name: "declared length longer than the body", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.ContentLength += 10
			return r
		}, wantStatus: 400},
		{name: "undeclared length over the limit", opts: []webhook.Option{webhook.WithMaxBodyBytes(64)}, req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.ContentLength = -1
			return r
		}, wantStatus: 413},
		{name: "undeclared length within the limit", req: func() *http.Request {
			r := hotmarttest.NewRequest(approved, tok)
			r.ContentLength = -1
			return r
		}, wantStatus: 200, wantCalls: 1},
		{name: "unknown event type", req: func() *http.Request {
			return hotmarttest.NewRequest(hotmarttest.NewEvent("PURCHASE_TELEPORTED"), tok)
		}, wantStatus: 200},
		{name: "unknown event type processed on request", opts: []webhook.Option{webhook.WithProcessUnknown()}, req: func() *http.Request {
			return hotmarttest.NewRequest(hotmarttest.NewEvent("PURCHASE_TELEPORTED"), tok)
		}, wantStatus: 200, wantCalls: 1},
		{name: "legacy form", req: func() *http.Request { return legacy(tok) }, wantStatus: 200, wantCalls: 1},
		{name: "legacy form, wrong hottok", req: func() *http.Request { return legacy("nope") }, wantStatus: 401},
		{name: "legacy form, no hottok", req: func() *http.Request { return legacy("") }, wantStatus: 401},
		{name: "legacy form, header decides", req: func() *http.Request {
			r := legacy(tok)
			r.Header.Set("X-HOTMART-HOTTOK", "nope")
			return r
		}, wantStatus: 401},
		{name: "legacy form, token in header only", req: rawForm("transaction=HP1&status=approved", tok), wantStatus: 200, wantCalls: 1},
		{name: "legacy form without transaction", req: rawForm("hottok="+tok+"&status=approved", ""), wantStatus: 400, wantBody: "transaction"},
		{name: "unparsable form, header token", req: rawForm("status=%zz&transaction=HP1", tok), wantStatus: 400},
		{name: "unparsable form, body token", req: rawForm("hottok="+tok+"&status=%zz", ""), wantStatus: 401},
		{name: "legacy unmapped status", req: rawForm("hottok="+tok+"&status=blocked&transaction=HP1", ""), wantStatus: 200},
		{name: "legacy 1.0 fields as JSON", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"hottok":"`+tok+`","transaction":"HP1","status":"approved","prod":"12","price":"97.5"}`), "")
		}, wantStatus: 200, wantCalls: 1},
		{name: "legacy JSON without transaction", req: func() *http.Request {
			return hotmarttest.NewRequest([]byte(`{"hottok":"`+tok+`","status":"approved"}`), "")
		}, wantStatus: 400, wantBody: "field id"},
		{name: "processor error", fn: func(context.Context, *hotmart.Event) error { return failing },
			req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 500, wantCalls: 1, wantBody: "processing failed"},
		{name: "processor panic", fn: func(context.Context, *hotmart.Event) error { panic("boom ana@example.com") },
			req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 500, wantCalls: 1},
		{name: "no handler", fn: func(context.Context, *hotmart.Event) error { return webhook.ErrNoHandler },
			req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 200, wantCalls: 1},
		{name: "no handler, custom status", opts: []webhook.Option{webhook.WithUnhandledStatus(422)},
			fn:  func(context.Context, *hotmart.Event) error { return webhook.ErrNoHandler },
			req: func() *http.Request { return hotmarttest.NewRequest(approved, tok) }, wantStatus: 422, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c := setup(t, tt.fn, tt.opts...)
			w := serve(h, tt.req())
			if w.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", w.Code, tt.wantStatus, w.Body)
			}
			if got := c.n.Load(); got != tt.wantCalls {
				t.Errorf("processor called %d times, want %d", got, tt.wantCalls)
			}
			if !strings.Contains(w.Body.String(), tt.wantBody) {
				t.Errorf("body %q lacks %q", w.Body, tt.wantBody)
			}
			if w.Code == 405 && w.Header().Get("Allow") != http.MethodPost {
				t.Errorf("Allow = %q", w.Header().Get("Allow"))
			}
			if strings.Contains(w.Body.String(), "ana@example.com") || strings.Contains(w.Body.String(), "boom") {
				t.Errorf("answer leaks internals: %q", w.Body)
			}
			ds, err := h.History().Deliveries(context.Background(), webhook.Query{})
			if err != nil || len(ds) != 1 || ds[0].Status != tt.wantStatus {
				t.Fatalf("history = %+v, %v", ds, err)
			}
			if tt.wantStatus == 401 && ds[0].EventID != "" {
				t.Errorf("401 recorded an event id %q", ds[0].EventID)
			}
		})
	}
}

func TestHandlerDeduplication(t *testing.T) {
	fail := true
	h, c := setup(t, func(context.Context, *hotmart.Event) error {
		if fail {
			return errors.New("transient")
		}
		return nil
	})
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("dup-1"))
	steps := []struct {
		fail       bool
		wantStatus int
		wantCalls  int64
		wantOut    string
	}{
		{true, 500, 1, webhook.OutcomeFailed},     // first delivery fails
		{false, 200, 2, webhook.OutcomeProcessed}, // Hotmart's retry runs again
		{false, 200, 2, webhook.OutcomeDuplicate}, // a later duplicate is not processed
		{true, 200, 2, webhook.OutcomeDuplicate},  // not even if it would now fail
	}
	for i, s := range steps {
		fail = s.fail
		w := serve(h, hotmarttest.NewRequest(body, tok))
		if w.Code != s.wantStatus || c.n.Load() != s.wantCalls {
			t.Fatalf("delivery %d: status %d calls %d, want %d %d", i+1, w.Code, c.n.Load(), s.wantStatus, s.wantCalls)
		}
	}
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{EventID: "dup-1"})
	for i, d := range ds {
		want := steps[len(steps)-1-i]
		if d.Attempt != len(steps)-i || d.Outcome != want.wantOut || d.Status != want.wantStatus {
			t.Errorf("record %d = attempt %d %s %d", i, d.Attempt, d.Outcome, d.Status)
		}
	}
}

func TestHandlerWithoutStore(t *testing.T) {
	h, c := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		if webhook.StepDone(ctx, "x") {
			return errors.New("StepDone reported true without a store")
		}
		return webhook.MarkStep(ctx, "x")
	}, webhook.WithStore(nil))
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	for range 2 {
		if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
	}
	if c.n.Load() != 2 {
		t.Errorf("without a store every delivery is processed; calls = %d", c.n.Load())
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	p := webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })
	tests := []struct {
		name    string
		opts    []webhook.Option
		wantErr error
	}{
		{"no options", nil, webhook.ErrNoHottok},
		{"no hottok", []webhook.Option{webhook.WithProcessor(p)}, webhook.ErrNoHottok},
		{"empty hottok", []webhook.Option{webhook.WithHottok(""), webhook.WithProcessor(p)}, webhook.ErrNoHottok},
		{"one empty among several", []webhook.Option{webhook.WithHottok(tok, ""), webhook.WithProcessor(p)}, webhook.ErrNoHottok},
		{"WithHottok()", []webhook.Option{webhook.WithHottok(), webhook.WithProcessor(p)}, webhook.ErrNoHottok},
		{"token with a trailing newline", []webhook.Option{webhook.WithHottok(tok + "\n"), webhook.WithProcessor(p)}, nil},
		{"no processor", []webhook.Option{webhook.WithHottok(tok)}, webhook.ErrNoProcessor},
		{"nil processor", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(nil)}, webhook.ErrNoProcessor},
		{"nil func processor", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(webhook.ProcessorFunc(nil))}, webhook.ErrNoProcessor},
		{"zero body limit", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(p), webhook.WithMaxBodyBytes(0)}, nil},
		{"bad unhandled status", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(p), webhook.WithUnhandledStatus(99)}, nil},
		{"zero lease", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(p), webhook.WithLease(0)}, nil},
		{"nil logger", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(p), webhook.WithLogger(nil)}, nil},
		{"nil clock", []webhook.Option{webhook.WithHottok(tok), webhook.WithProcessor(p), webhook.WithClock(nil)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := webhook.New(tt.opts...)
			var ce *webhook.ConfigError
			if h != nil || !errors.As(err, &ce) {
				t.Fatalf("New = %v, %v; want *ConfigError", h, err)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
