package durable_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// recorder is a Processor that counts runs per event and step, and fails
// as told.
type recorder struct {
	mu    sync.Mutex
	runs  map[string]int // event id → successful effect count
	fails map[string]int // event id → failures left
	err   func(id string) error
}

func newRecorder() *recorder { return &recorder{runs: map[string]int{}, fails: map[string]int{}} }

func (r *recorder) Process(ctx context.Context, ev *hotmart.Event) error {
	if webhook.StepDone(ctx, "effect") {
		webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "s", Provider: "p", Command: "c", Status: "skipped"})
		return nil
	}
	r.mu.Lock()
	if r.fails[ev.ID] > 0 {
		r.fails[ev.ID]--
		var err error = errors.New("provider down")
		if r.err != nil {
			err = r.err(ev.ID)
		}
		r.mu.Unlock()
		webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "s", Provider: "p", Command: "c", Status: "failed", Error: err.Error()})
		return err
	}
	r.runs[ev.ID]++
	r.mu.Unlock()
	webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "s", Provider: "p", Command: "c", Status: "ok"})
	return webhook.MarkStep(ctx, "effect")
}

func (r *recorder) count(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.runs[id]
}

func (r *recorder) setFails(id string, n int) {
	r.mu.Lock()
	r.fails[id] = n
	r.mu.Unlock()
}

func deliver(t *testing.T, h http.Handler, body []byte) int {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hotmarttest.NewRequest(body, "test-hottok-1"))
	return rec.Code
}

func stateOf(t *testing.T, e *durable.Engine, id string) webhook.EventState {
	t.Helper()
	r, err := e.Event(context.Background(), id)
	if err != nil {
		return ""
	}
	return r.State
}

func waitState(t *testing.T, e *durable.Engine, id string, want webhook.EventState) webhook.EventRecord {
	t.Helper()
	start := time.Now()
	waitFor(t, 20*time.Second, fmt.Sprintf("%s to be %s", id, want), func() bool { return stateOf(t, e, id) == want })
	t.Logf("%s %s after %s", id, want, time.Since(start))
	r, _ := e.Event(context.Background(), id)
	return r
}

func TestDoorQueuesOnceAndWorkersRun(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		rec := newRecorder()
		e := open(t, dbURL, rec)
		h := handler(t, e)
		const n = 40
		var wg sync.WaitGroup
		for i := range n {
			body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(fmt.Sprintf("ev-%d", i)),
				hotmarttest.WithBuyerEmail(fmt.Sprintf("b%d@example.com", i%7)), hotmarttest.WithTransaction(fmt.Sprintf("HP%d", i)))
			for range 3 { // Hotmart's duplicates, concurrently
				wg.Add(1)
				go func() {
					defer wg.Done()
					if code := deliver(t, h, body); code != http.StatusOK {
						t.Errorf("HTTP %d", code)
					}
				}()
			}
		}
		wg.Wait()
		for i := range n {
			id := fmt.Sprintf("ev-%d", i)
			waitState(t, e, id, webhook.StateDone)
			if c := rec.count(id); c != 1 {
				t.Fatalf("%s ran %d times", id, c)
			}
		}
		ds, err := e.History().Deliveries(context.Background(), webhook.Query{EventID: "ev-3"})
		if err != nil || len(ds) != 3 {
			t.Fatalf("deliveries of ev-3: %d %v", len(ds), err)
		}
		outcomes := map[string]int{}
		for _, d := range ds {
			outcomes[d.Outcome]++
			if d.State != webhook.StateDone || d.Status != 200 {
				t.Fatalf("delivery %+v", d)
			}
		}
		if outcomes[durable.OutcomeQueued] != 1 || outcomes[webhook.OutcomeDuplicate] != 2 {
			t.Fatalf("outcomes %v", outcomes)
		}
		evs, err := e.Events(context.Background(), webhook.EventQuery{State: webhook.StateDone, Limit: 5})
		if err != nil || len(evs) != 5 {
			t.Fatalf("events: %d %v", len(evs), err)
		}
		if counts, err := e.CountByState(context.Background()); err != nil || counts[webhook.StateDone] != n || len(counts) != 1 {
			t.Fatalf("counts %v %v", counts, err)
		}
		if _, err := e.Event(context.Background(), "nope"); !errors.Is(err, webhook.ErrEventNotFound) {
			t.Fatalf("unknown event: %v", err)
		}
	})
}

// A database that cannot take the delivery makes the door answer 503, so
// Hotmart delivers it again later.
func TestDoorUnavailableAnswers503(t *testing.T) {
	ctx := context.Background()
	e, err := durable.Open(ctx, sqliteURL(t), newRecorder(), fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	h := handler(t, e)
	if err := e.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if code := deliver(t, h, hotmarttest.NewEvent(hotmart.EventPurchaseApproved)); code != http.StatusServiceUnavailable {
		t.Fatalf("HTTP %d with the database closed, want 503", code)
	}
}
