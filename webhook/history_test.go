package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// A processor with three segmentations, one failing on the first attempt:
// the retry re-runs only that one, and each attempt's actions are recorded.
func TestStepsAndActions(t *testing.T) {
	var mu sync.Mutex
	ran := map[string]int{}
	failB := true
	h, _ := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		var errs []error
		var wg sync.WaitGroup
		for _, seg := range []string{"a", "b", "c"} {
			if webhook.StepDone(ctx, seg) {
				webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: seg, Provider: "leadlovers", Command: "add_lead", Status: "skipped"})
				continue
			}
			wg.Add(1)
			go func() { // actions may be reported concurrently
				defer wg.Done()
				mu.Lock()
				ran[seg]++
				fail := seg == "b" && failB
				mu.Unlock()
				out := webhook.ActionOutcome{Segmentation: seg, Provider: "leadlovers", Command: "add_lead", Status: "ok"}
				if fail {
					out.Status, out.Error = "failed", "lead ana@example.com refused, doc 123.456.789-09"
					mu.Lock()
					errs = append(errs, errors.New(out.Error))
					mu.Unlock()
				} else if err := webhook.MarkStep(ctx, seg); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
				webhook.RecordAction(ctx, out)
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	})
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("steps-1"),
		hotmarttest.WithBuyerEmail("ana@example.com"))
	if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 500 {
		t.Fatalf("first attempt = %d", w.Code)
	}
	failB = false
	if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 200 {
		t.Fatalf("retry = %d", w.Code)
	}
	if ran["a"] != 1 || ran["b"] != 2 || ran["c"] != 1 {
		t.Errorf("runs per segmentation = %v, want a:1 b:2 c:1", ran)
	}
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{EventID: "steps-1"})
	if len(ds) != 2 {
		t.Fatalf("%d deliveries recorded", len(ds))
	}
	retry, first := ds[0], ds[1]
	if first.Attempt != 1 || retry.Attempt != 2 || first.Status != 500 || retry.Status != 200 {
		t.Errorf("records: %+v / %+v", first, retry)
	}
	statuses := func(d webhook.Delivery) map[string]string {
		m := map[string]string{}
		for _, a := range d.Actions {
			m[a.Segmentation] = a.Status
		}
		return m
	}
	if got := statuses(first); got["a"] != "ok" || got["b"] != "failed" || got["c"] != "ok" {
		t.Errorf("first actions = %v", got)
	}
	if got := statuses(retry); got["a"] != "skipped" || got["b"] != "ok" || got["c"] != "skipped" {
		t.Errorf("retry actions = %v", got)
	}
	js, _ := json.Marshal(first)
	if strings.Contains(string(js), "ana@example.com") || strings.Contains(string(js), "456.789") {
		t.Errorf("PII in history: %s", js)
	}
	if !strings.Contains(first.Error, "[redacted]") {
		t.Errorf("error not redacted as expected: %q", first.Error)
	}
}

func TestStepsOutsideHandler(t *testing.T) {
	ctx := context.Background()
	if webhook.StepDone(ctx, "k") || webhook.MarkStep(ctx, "k") != nil || webhook.Attempt(ctx) != 0 {
		t.Error("steps outside a delivery are not a no-op")
	}
	webhook.RecordAction(ctx, webhook.ActionOutcome{}) // must not panic
}

func TestDeliveryJSON(t *testing.T) {
	at := time.Date(2025, 11, 15, 22, 22, 25, 0, time.UTC)
	h, _ := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "s1", Provider: "sendpulse", Command: "upsert_deal", Status: "ok"})
		return nil
	}, webhook.WithClock(func() time.Time { return at }))
	serve(h, hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithEventID("j-1")), tok))
	serve(h, hotmarttest.NewRequest(nil, "bad"))
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{})
	b, err := json.Marshal(ds)
	if err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%s", b)
	}
	rej, ok := got[0], got[1]
	for _, k := range []string{"event_id", "event", "received_at", "status", "attempt", "error", "actions"} {
		if _, present := ok[k]; !present {
			t.Errorf("key %q missing: %s", k, b)
		}
		if _, present := rej[k]; !present {
			t.Errorf("key %q missing in rejected record: %s", k, b)
		}
	}
	if ok["event_id"] != "j-1" || ok["event"] != "PURCHASE_REFUNDED" || ok["status"] != 200.0 ||
		ok["received_at"] != "2025-11-15T22:22:25Z" || ok["attempt"] != 1.0 || ok["error"] != "" {
		t.Errorf("record = %v", ok)
	}
	acts, _ := ok["actions"].([]any)
	if len(acts) != 1 || acts[0].(map[string]any)["segmentation"] != "s1" || acts[0].(map[string]any)["command"] != "upsert_deal" {
		t.Errorf("actions = %v", ok["actions"])
	}
	if rej["status"] != 401.0 || rej["event_id"] != "" || rej["error"] == "" {
		t.Errorf("rejected = %v", rej)
	}
	if a, _ := rej["actions"].([]any); a == nil {
		t.Errorf("actions of a rejected record are not an array: %v", rej["actions"])
	}
	var back []webhook.Delivery
	if err := json.Unmarshal(b, &back); err != nil || back[0].Status != 401 || back[1].EventID != "j-1" || !back[1].ReceivedAt.Equal(at) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}

func TestMemoryHistoryQuery(t *testing.T) {
	ctx := context.Background()
	h, err := webhook.NewMemoryHistory(4)
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range []int{200, 500, 200, 401, 500, 200} {
		_ = h.Record(ctx, webhook.Delivery{EventID: string(rune('a' + i%2)), Status: st, Attempt: i})
	}
	tests := []struct {
		name string
		q    webhook.Query
		want []int // attempts, newest first
	}{
		{"all (ring keeps the newest 4)", webhook.Query{}, []int{5, 4, 3, 2}},
		{"limit", webhook.Query{Limit: 2}, []int{5, 4}},
		{"by status", webhook.Query{Status: 500}, []int{4}},
		{"by event", webhook.Query{EventID: "b"}, []int{5, 3}},
		{"by event and status", webhook.Query{EventID: "a", Status: 200}, []int{2}},
		{"no match", webhook.Query{EventID: "zz"}, []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := h.Deliveries(ctx, tt.q)
			if err != nil || ds == nil {
				t.Fatal(err)
			}
			got := []int{}
			for _, d := range ds {
				got = append(got, d.Attempt)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("got %v, want %v", got, tt.want)
				}
			}
		})
	}
	if _, err := webhook.NewMemoryHistory(0); err == nil {
		t.Error("size 0 accepted")
	}
}

// One log line per delivery, with no hottok and no buyer PII in it.
func TestLogging(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	h, _ := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		return errors.New("provider said: lead ana@example.com phone 31988887777 exists; token " + tok)
	}, webhook.WithLogger(logger))
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithBuyerEmail("ana@example.com"),
		hotmarttest.WithBuyerPhone("31", "988887777"), hotmarttest.WithBuyerDocument("12345678909", "CPF"), hotmarttest.WithBodyHottok(tok))
	serve(h, hotmarttest.NewRequest(body, tok))
	serve(h, hotmarttest.NewRequest(body, "wrong-token"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d log lines: %s", len(lines), buf.String())
	}
	for _, secret := range []string{tok, "wrong-token", "ana@example.com", "988887777", "12345678909"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log contains %q: %s", secret, buf.String())
		}
	}
	var first map[string]any
	_ = json.Unmarshal([]byte(lines[0]), &first)
	if first["level"] != "ERROR" || first["status"] != 500.0 || first["event"] != "PURCHASE_APPROVED" || first["attempt"] != 1.0 {
		t.Errorf("log line = %v", first)
	}
}
