package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// waitCounter wraps a Store to tell the test how many duplicates are waiting.
type waitCounter struct {
	webhook.Store
	waits atomic.Int64
}

func (s *waitCounter) Wait(ctx context.Context, id string) (webhook.WaitResult, error) {
	s.waits.Add(1)
	return s.Store.Wait(ctx, id)
}

func TestConcurrentDuplicatesRunOnce(t *testing.T) {
	for _, firstFails := range []bool{false, true} {
		t.Run(fmt.Sprintf("first fails=%v", firstFails), func(t *testing.T) {
			mem, _ := webhook.NewMemoryStore()
			store := &waitCounter{Store: mem}
			release := make(chan struct{})
			var failNext atomic.Bool
			failNext.Store(firstFails)
			h, c := setup(t, func(ctx context.Context, e *hotmart.Event) error {
				<-release
				if failNext.Swap(false) {
					return errors.New("first attempt fails")
				}
				return nil
			}, webhook.WithStore(store))

			body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithSeed(1))
			codes := make([]int, 5)
			var wg sync.WaitGroup
			for i := range codes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					codes[i] = serve(h, hotmarttest.NewRequest(body, tok)).Code
				}()
			}
			// Let the holder finish only once the four duplicates wait on it.
			deadline := time.Now().Add(10 * time.Second)
			for store.waits.Load() < 4 {
				if time.Now().After(deadline) {
					t.Fatalf("only %d duplicates waiting", store.waits.Load())
				}
				time.Sleep(time.Millisecond)
			}
			close(release)
			wg.Wait()

			want := 200
			if firstFails {
				want = 500
			}
			for i, code := range codes {
				if code != want {
					t.Errorf("answer %d = %d, want %d (all: %v)", i, code, want, codes)
				}
			}
			if c.n.Load() != 1 {
				t.Errorf("processor ran %d times, want 1", c.n.Load())
			}
			// A later retry runs again only when the first run failed.
			if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 200 {
				t.Errorf("retry answered %d", w.Code)
			}
			wantCalls := int64(1)
			if firstFails {
				wantCalls = 2
			}
			if c.n.Load() != wantCalls {
				t.Errorf("after retry processor ran %d times, want %d", c.n.Load(), wantCalls)
			}
		})
	}
}

// 1,000 events, each delivered 5 times at once, with 20% of first attempts
// failing; Hotmart's retries are simulated until each event got a 2xx.
func TestManyEventsExactlyOnce(t *testing.T) {
	const events, copies = 1000, 5
	var (
		attempts  sync.Map // id → *atomic.Int32 (processor calls)
		successes sync.Map // id → *atomic.Int32
	)
	counterFor := func(m *sync.Map, id string) *atomic.Int32 {
		v, _ := m.LoadOrStore(id, new(atomic.Int32))
		return v.(*atomic.Int32)
	}
	failsFirst := func(id string) bool {
		f := fnv.New32a()
		f.Write([]byte(id))
		return f.Sum32()%5 == 0
	}
	h, _ := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		if counterFor(&attempts, e.ID).Add(1) == 1 && failsFirst(e.ID) {
			return errors.New("provider timeout")
		}
		counterFor(&successes, e.ID).Add(1)
		return nil
	})

	bodies := make([][]byte, events)
	ids := make([]string, events)
	for i := range bodies {
		ids[i] = fmt.Sprintf("evt-%04d", i)
		bodies[i] = hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(ids[i]), hotmarttest.WithSeed(uint64(i)))
	}
	acked := make([]atomic.Bool, events)
	deliver := func(pending []int) {
		jobs := make(chan int)
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range jobs {
					if code := serve(h, hotmarttest.NewRequest(bodies[i], tok)).Code; code >= 200 && code < 300 {
						acked[i].Store(true)
					} else if code != 500 {
						t.Errorf("event %d answered %d", i, code)
					}
				}
			}()
		}
		for _, i := range pending {
			for range copies {
				jobs <- i
			}
		}
		close(jobs)
		wg.Wait()
	}
	pending := make([]int, events)
	for i := range pending {
		pending[i] = i
	}
	for round := 0; len(pending) > 0; round++ {
		if round == 10 {
			t.Fatalf("%d events still not acknowledged after 10 rounds", len(pending))
		}
		deliver(pending)
		pending = pending[:0]
		for i := range acked {
			if !acked[i].Load() {
				pending = append(pending, i)
			}
		}
	}
	failedFirst := 0
	for _, id := range ids {
		if got := counterFor(&successes, id).Load(); got != 1 {
			t.Errorf("%s completed %d times", id, got)
		}
		if failsFirst(id) {
			failedFirst++
			if got := counterFor(&attempts, id).Load(); got != 2 {
				t.Errorf("%s ran %d times, want 2", id, got)
			}
		}
	}
	if failedFirst < events/10 {
		t.Errorf("only %d events failed their first attempt; the test is not exercising retries", failedFirst)
	}
}

func TestLeaseBoundsProcessing(t *testing.T) {
	h, c := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		if _, ok := ctx.Deadline(); !ok {
			return errors.New("processor context has no deadline")
		}
		<-ctx.Done()
		return ctx.Err()
	}, webhook.WithLease(20*time.Millisecond))
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 500 {
		t.Errorf("status %d", w.Code)
	}
	if c.n.Load() != 1 {
		t.Errorf("calls %d", c.n.Load())
	}
}

func TestWaitingDuplicateBoundedByItsContext(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	h, c := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		close(started)
		<-release
		return nil
	})
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	first := make(chan int)
	go func() { first <- serve(h, hotmarttest.NewRequest(body, tok)).Code }()
	<-started

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if w := serve(h, hotmarttest.NewRequest(body, tok).WithContext(ctx)); w.Code != 503 {
		t.Errorf("impatient duplicate answered %d, want 503", w.Code)
	}
	close(release)
	if code := <-first; code != 200 {
		t.Errorf("first answered %d", code)
	}
	if c.n.Load() != 1 {
		t.Errorf("processor ran %d times", c.n.Load())
	}
}

// A processor that ignores its lease is overtaken: the next delivery claims
// the event, and the late holder's outcome does not overwrite it.
func TestExpiredLeaseTakenOver(t *testing.T) {
	var calls atomic.Int64
	release := make(chan struct{})
	h, _ := setup(t, func(ctx context.Context, e *hotmart.Event) error {
		if calls.Add(1) == 1 {
			<-release // hangs past the lease
			return errors.New("late failure")
		}
		return nil
	}, webhook.WithLease(30*time.Millisecond))
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	first := make(chan int)
	go func() { first <- serve(h, hotmarttest.NewRequest(body, tok)).Code }()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(40 * time.Millisecond)
	if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 200 {
		t.Errorf("takeover answered %d", w.Code)
	}
	close(release)
	<-first
	if w := serve(h, hotmarttest.NewRequest(body, tok)); w.Code != 200 || calls.Load() != 2 {
		t.Errorf("after takeover: %d, calls %d", w.Code, calls.Load())
	}
}
