package durable_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// A poison event retries with backoff, goes dead, and a replay after the
// cause is fixed runs its effects exactly once.
func TestDeadThenReplay(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		rec := newRecorder()
		rec.setFails("poison", 1000)
		e := open(t, dbURL, rec, durable.WithMaxAttempts(3))
		h := handler(t, e)
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("poison"),
			hotmarttest.WithBuyerEmail("pat@example.com"))
		if code := deliver(t, h, body); code != http.StatusOK {
			t.Fatalf("HTTP %d", code)
		}
		r := waitState(t, e, "poison", webhook.StateDead)
		if r.Attempts != 3 || r.LastError == "" || r.NextAttemptAt != nil {
			t.Fatalf("dead record: %+v", r)
		}
		if len(r.Actions) != 1 || r.Actions[0].Status != "failed" {
			t.Fatalf("actions: %+v", r.Actions)
		}
		rec.setFails("poison", 0)
		got, err := e.Replay(context.Background(), "poison")
		if err != nil || got.EventID != "poison" || got.Attempts != 0 {
			t.Fatalf("replay: %+v %v", got, err)
		}
		r = waitState(t, e, "poison", webhook.StateDone)
		if rec.count("poison") != 1 || r.Actions[0].Status != "ok" || r.LastError != "" {
			t.Fatalf("after replay: runs %d, %+v", rec.count("poison"), r)
		}
		// Replaying a done event runs nothing again: the step is marked.
		if _, err := e.Replay(context.Background(), "poison"); err != nil {
			t.Fatal(err)
		}
		waitState(t, e, "poison", webhook.StateDone)
		time.Sleep(100 * time.Millisecond)
		if rec.count("poison") != 1 {
			t.Fatalf("replay of a done event ran it again: %d", rec.count("poison"))
		}
		if _, err := e.Replay(context.Background(), "unknown"); !errors.Is(err, webhook.ErrEventNotFound) {
			t.Fatalf("replay unknown: %v", err)
		}
	})
}

// retryAfterError is a provider's 429 with Retry-After.
type retryAfterError struct{ d time.Duration }

func (e *retryAfterError) Error() string             { return "429 too many requests" }
func (e *retryAfterError) RetryAfter() time.Duration { return e.d }

// A 429 with Retry-After snoozes the event: it waits that long and no
// attempt is used up, so even max-attempts 1 survives several.
func TestRetryAfterSnoozes(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		rec := newRecorder()
		rec.err = func(string) error { return fmt.Errorf("sendpulse: %w", &retryAfterError{50 * time.Millisecond}) }
		rec.setFails("busy", 3)
		e := open(t, dbURL, rec, durable.WithMaxAttempts(1))
		h := handler(t, e)
		deliver(t, h, hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("busy")))
		r := waitState(t, e, "busy", webhook.StateDone)
		if rec.count("busy") != 1 || r.Attempts != 1 {
			t.Fatalf("runs %d, record %+v", rec.count("busy"), r)
		}
	})
}

// Stale, both ways: an older event of another payment class runs nothing
// once a newer one is done; APPROVED and COMPLETE (same class) both run in
// either order.
func TestStaleEvents(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		rec := newRecorder()
		e := open(t, dbURL, rec)
		h := handler(t, e)
		t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		ev := func(id string, typ hotmart.EventType, tx string, at time.Time) []byte {
			return hotmarttest.NewEvent(typ, hotmarttest.WithEventID(id), hotmarttest.WithTransaction(tx),
				hotmarttest.WithBuyerEmail("sam@example.com"), hotmarttest.WithCreatedAt(at))
		}
		// Refund (newer) processed first; the approval retried by Hotmart
		// arrives after it.
		deliver(t, h, ev("refund", hotmart.EventPurchaseRefunded, "HPSTALE1", t0.Add(time.Hour)))
		waitState(t, e, "refund", webhook.StateDone)
		deliver(t, h, ev("late-approval", hotmart.EventPurchaseApproved, "HPSTALE1", t0))
		r := waitState(t, e, "late-approval", webhook.StateStale)
		if rec.count("late-approval") != 0 || len(r.Actions) != 0 {
			t.Fatalf("stale event ran: %d %+v", rec.count("late-approval"), r)
		}
		// Same class: COMPLETE first, then the older APPROVED: both run.
		deliver(t, h, ev("complete", hotmart.EventPurchaseComplete, "HPSTALE2", t0.Add(time.Hour)))
		waitState(t, e, "complete", webhook.StateDone)
		deliver(t, h, ev("approved", hotmart.EventPurchaseApproved, "HPSTALE2", t0))
		waitState(t, e, "approved", webhook.StateDone)
		// And in order.
		deliver(t, h, ev("approved3", hotmart.EventPurchaseApproved, "HPSTALE3", t0))
		waitState(t, e, "approved3", webhook.StateDone)
		deliver(t, h, ev("complete3", hotmart.EventPurchaseComplete, "HPSTALE3", t0.Add(time.Hour)))
		waitState(t, e, "complete3", webhook.StateDone)
		// A newer event of another class after an older one is not stale.
		deliver(t, h, ev("refund3", hotmart.EventPurchaseRefunded, "HPSTALE3", t0.Add(2*time.Hour)))
		waitState(t, e, "refund3", webhook.StateDone)
		for _, id := range []string{"refund", "complete", "approved", "approved3", "complete3", "refund3"} {
			if rec.count(id) != 1 {
				t.Fatalf("%s ran %d times", id, rec.count(id))
			}
		}
	})
}

// Restart: dedupe and history survive; a redelivery after it runs nothing.
func TestRestartKeepsDedupeAndHistory(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		rec := newRecorder()
		e1, err := durable.Open(ctx, dbURL, rec, fastOpts()...)
		if err != nil {
			t.Fatal(err)
		}
		if err := e1.Start(ctx); err != nil {
			t.Fatal(err)
		}
		h1 := handler(t, e1)
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("keep"))
		deliver(t, h1, body)
		h1.ServeHTTP(httptestRecorder(), hotmarttest.NewRequest(body, "forged"))
		waitState(t, e1, "keep", webhook.StateDone)
		if err := e1.Stop(ctx); err != nil {
			t.Fatal(err)
		}

		e2 := open(t, dbURL, rec)
		h2 := handler(t, e2)
		if code := deliver(t, h2, body); code != http.StatusOK {
			t.Fatalf("redelivery after restart: %d", code)
		}
		time.Sleep(100 * time.Millisecond)
		if rec.count("keep") != 1 {
			t.Fatalf("redelivery after restart ran again: %d", rec.count("keep"))
		}
		ds, err := e2.History().Deliveries(ctx, webhook.Query{})
		if err != nil || len(ds) != 3 {
			t.Fatalf("history after restart: %d %v", len(ds), err)
		}
		if ds[0].Outcome != webhook.OutcomeDuplicate || ds[0].Attempt != 2 || ds[1].Status != http.StatusUnauthorized ||
			ds[2].Outcome != durable.OutcomeQueued || ds[2].Attempt != 1 || ds[2].State != webhook.StateDone {
			t.Fatalf("history: %+v", ds)
		}
	})
}

// 1,000 rejected requests do not push real deliveries out of the history:
// they are kept apart and trimmed.
func TestRejectedFlood(t *testing.T) {
	rec := newRecorder()
	e := open(t, sqliteURL(t), rec, durable.WithRejectedKept(50))
	h := handler(t, e)
	for i := range 5 {
		deliver(t, h, hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(fmt.Sprint("real-", i))))
	}
	var wg sync.WaitGroup
	for range 1000 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptestRecorder(), hotmarttest.NewRequest([]byte(`{"id":"x"}`), "forged"))
		}()
	}
	wg.Wait()
	ds, err := e.History().Deliveries(context.Background(), webhook.Query{})
	if err != nil {
		t.Fatal(err)
	}
	real, rejected := 0, 0
	for _, d := range ds {
		if d.Outcome == webhook.OutcomeRejected {
			rejected++
		} else {
			real++
		}
	}
	if real != 5 || rejected != 50 {
		t.Fatalf("history holds %d real and %d rejected; want 5 and 50", real, rejected)
	}
}

// Three processes starting at once on an empty database all come up.
func TestConcurrentMigrations(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		var wg sync.WaitGroup
		errs := make([]error, 3)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e, err := durable.Open(context.Background(), dbURL, newRecorder(), fastOpts()...)
				if err == nil {
					err = e.Stop(context.Background())
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("starter %d: %v", i, err)
			}
		}
	})
}

func TestOpenRejectsBadConfig(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"", "mysql://x", "sqlite:", "memory"} {
		if _, err := durable.Open(ctx, u, newRecorder()); !errors.Is(err, durable.ErrBadURL) {
			t.Errorf("Open(%q): %v, want ErrBadURL", u, err)
		}
	}
	var ce *durable.ConfigError
	if _, err := durable.Open(ctx, sqliteURL(t), newRecorder(), durable.WithWorkers(0)); !errors.As(err, &ce) {
		t.Errorf("WithWorkers(0): %v", err)
	}
	if _, err := durable.Open(ctx, sqliteURL(t), newRecorder(), durable.WithRetention(time.Hour)); !errors.As(err, &ce) {
		t.Errorf("WithRetention(1h): %v", err)
	}
	if _, err := durable.Open(ctx, sqliteURL(t), nil); !errors.As(err, &ce) {
		t.Errorf("nil processor: %v", err)
	}
}
