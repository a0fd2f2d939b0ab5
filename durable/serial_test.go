package durable_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// overlapDetector fails when two events of one buyer run at once, and
// records the order events ran in.
type overlapDetector struct {
	mu       sync.Mutex
	active   map[string]int
	order    []string
	overlaps atomic.Int64
}

func (o *overlapDetector) Process(ctx context.Context, ev *hotmart.Event) error {
	email := ev.Buyer().Email
	o.mu.Lock()
	o.active[email]++
	if o.active[email] > 1 {
		o.overlaps.Add(1)
	}
	o.order = append(o.order, ev.ID)
	o.mu.Unlock()
	time.Sleep(5 * time.Millisecond)
	o.mu.Lock()
	o.active[email]--
	o.mu.Unlock()
	return nil
}

// Events of one buyer run one at a time, in the order they arrived, even
// with many workers.
func TestBuyerSerialisedInOrder(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		o := &overlapDetector{active: map[string]int{}}
		e := open(t, dbURL, o, durable.WithWorkers(8))
		h := handler(t, e)
		for i := range 12 {
			body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(fmt.Sprintf("s-%02d", i)),
				hotmarttest.WithBuyerEmail("one@example.com"))
			if code := deliver(t, h, body); code != http.StatusOK {
				t.Fatal(code)
			}
		}
		for i := range 12 {
			waitState(t, e, fmt.Sprintf("s-%02d", i), webhook.StateDone)
		}
		if n := o.overlaps.Load(); n > 0 {
			t.Fatalf("%d overlapping runs for one buyer", n)
		}
		for i, id := range o.order {
			if id != fmt.Sprintf("s-%02d", i) {
				t.Fatalf("ran out of order: %v", o.order)
			}
		}
	})
}
