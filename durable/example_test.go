package durable_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// Durable mode in a few lines: the webhook handler commits each delivery
// to SQLite and answers; a worker runs the processor from the database.
func Example() {
	dir, _ := os.MkdirTemp("", "durable-example-")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	proc := webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
		if webhook.StepDone(ctx, "welcome") {
			return nil // an earlier attempt did it
		}
		fmt.Println("worker: welcome e-mail for", e.Type)
		return webhook.MarkStep(ctx, "welcome")
	})
	eng, err := durable.Open(ctx, "sqlite:"+filepath.Join(dir, "hk.db"), proc, durable.WithPollInterval(10*time.Millisecond))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer eng.Stop(ctx)
	h, err := webhook.New(webhook.WithHottok("example-hottok"),
		webhook.WithProcessor(eng.Intake()), webhook.WithStore(nil), webhook.WithHistory(eng.History()))
	if err != nil {
		fmt.Println(err)
		return
	}

	// Deliveries are committed and answered whether workers run or not.
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-1"))
	for range 2 { // Hotmart sends it twice: the second queues nothing
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, hotmarttest.NewRequest(body, "example-hottok"))
		fmt.Println("answered", rec.Code)
	}
	if err := eng.Start(ctx); err != nil { // the workers
		fmt.Println(err)
		return
	}
	for {
		ev, _ := eng.Event(ctx, "ev-1")
		if ev.State == webhook.StateDone {
			fmt.Println("ev-1:", ev.State, "after", ev.Attempts, "attempt")
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Output:
	// answered 200
	// answered 200
	// worker: welcome e-mail for PURCHASE_APPROVED
	// ev-1: done after 1 attempt
}
