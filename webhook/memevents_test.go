package webhook_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

func TestMemoryEvents(t *testing.T) {
	ctx := context.Background()
	if _, err := webhook.NewMemoryEvents(0); err == nil {
		t.Fatal("size 0 accepted")
	}
	events, err := webhook.NewMemoryEvents(3)
	if err != nil {
		t.Fatal(err)
	}
	store, _ := webhook.NewMemoryStore()
	var mu sync.Mutex
	fail := map[string]bool{}
	runs := map[string]int{}
	proc := webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if webhook.StepDone(ctx, "seg") {
			webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "seg", Status: "skipped"})
			return nil
		}
		runs[e.ID]++
		if fail[e.ID] {
			webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "seg", Status: "failed", Error: "no " + e.Buyer().Email})
			return errors.New("failed for " + e.Buyer().Email)
		}
		webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "seg", Status: "ok"})
		return webhook.MarkStep(ctx, "seg")
	})
	h, err := webhook.New(webhook.WithHottok("test-hottok-1"), webhook.WithProcessor(events.Wrap(proc, store)), webhook.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	send := func(id string, typ hotmart.EventType, opts ...hotmarttest.EventOption) int {
		body := hotmarttest.NewEvent(typ, append(opts, hotmarttest.WithEventID(id))...)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, hotmarttest.NewRequest(body, "test-hottok-1"))
		return rec.Code
	}
	fail["e2"] = true
	send("e1", hotmart.EventPurchaseApproved, hotmarttest.WithTransaction("HP1"), hotmarttest.WithBuyerEmail("Ana@Example.com"))
	if code := send("e2", hotmart.EventPurchaseRefunded, hotmarttest.WithTransaction("HP2"), hotmarttest.WithBuyerEmail("bia@example.com")); code != 500 {
		t.Fatalf("failing event answered %d", code)
	}

	all, _ := events.Events(ctx, webhook.EventQuery{})
	if len(all) != 2 || all[0].EventID != "e2" || all[1].EventID != "e1" {
		t.Fatalf("events newest first: %+v", all)
	}
	e2 := all[0]
	if e2.State != webhook.StateRetrying || e2.Attempts != 1 || e2.Transaction != "HP2" || len(e2.Actions) != 1 || e2.Source != webhook.SourceWebhook {
		t.Fatalf("failed event: %+v", e2)
	}
	if strings.Contains(e2.LastError, "bia@example.com") || strings.Contains(e2.Actions[0].Error, "bia@example.com") {
		t.Fatalf("buyer e-mail in the record's errors: %q / %q", e2.LastError, e2.Actions[0].Error)
	}
	if len(e2.Payload) == 0 || e2.BuyerEmail != "bia@example.com" {
		t.Fatal("payload or buyer e-mail not kept")
	}
	for _, tc := range []struct {
		q    webhook.EventQuery
		want string
	}{
		{webhook.EventQuery{State: webhook.StateDone}, "e1"},
		{webhook.EventQuery{Type: hotmart.EventPurchaseRefunded}, "e2"},
		{webhook.EventQuery{Transaction: "HP1"}, "e1"},
		{webhook.EventQuery{Email: " ana@example.COM "}, "e1"},
		{webhook.EventQuery{Limit: 1}, "e2"},
		{webhook.EventQuery{Before: e2.ReceivedAt.Add(1)}, "e2,e1"},
	} {
		got, _ := events.Events(ctx, tc.q)
		var ids []string
		for _, r := range got {
			ids = append(ids, r.EventID)
		}
		if strings.Join(ids, ",") != tc.want {
			t.Errorf("Events(%+v) = %v, want %s", tc.q, ids, tc.want)
		}
	}

	// Replay after the provider recovered: runs now, state done.
	mu.Lock()
	fail["e2"] = false
	mu.Unlock()
	r, err := events.Replay(ctx, "e2")
	if err != nil || r.State != webhook.StateDone || r.Attempts != 1 || runs["e2"] != 2 {
		t.Fatalf("replay: %+v, %v, runs %d", r, err, runs["e2"])
	}
	// Replaying a done event skips the step already marked.
	r, _ = events.Replay(ctx, "e1")
	if runs["e1"] != 1 || r.Actions[0].Status != "skipped" {
		t.Fatalf("replay of a done event ran again: runs %d, %+v", runs["e1"], r.Actions)
	}
	if _, err := events.Replay(ctx, "nope"); !errors.Is(err, webhook.ErrEventNotFound) {
		t.Errorf("replay of unknown id: %v", err)
	}
	if _, err := events.Event(ctx, "nope"); !errors.Is(err, webhook.ErrEventNotFound) {
		t.Errorf("unknown id: %v", err)
	}

	// Bounded: the oldest events go.
	send("e3", hotmart.EventPurchaseApproved)
	send("e4", hotmart.EventPurchaseApproved)
	if _, err := events.Event(ctx, "e1"); !errors.Is(err, webhook.ErrEventNotFound) {
		t.Error("the oldest event was kept beyond the size")
	}
	if got, _ := events.Events(ctx, webhook.EventQuery{}); len(got) != 3 {
		t.Errorf("%d events kept, want 3", len(got))
	}
}

func TestMemoryEventsReplayNeedsWrap(t *testing.T) {
	events, _ := webhook.NewMemoryEvents(1)
	if _, err := events.Replay(context.Background(), "x"); !errors.Is(err, webhook.ErrEventNotFound) {
		t.Fatalf("Replay on an empty log: %v", err)
	}
}
