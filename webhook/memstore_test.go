package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/webhook"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newStore(t *testing.T, opts ...webhook.MemoryStoreOption) (*webhook.MemoryStore, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := webhook.NewMemoryStore(append([]webhook.MemoryStoreOption{webhook.StoreClock(clk.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

func mustBegin(t *testing.T, s webhook.Store, id string, want webhook.ClaimState) webhook.Claim {
	t.Helper()
	c, err := s.Begin(context.Background(), id, time.Minute)
	if err != nil || c.State != want {
		t.Fatalf("Begin(%s) = %+v, %v; want %v", id, c, err, want)
	}
	return c
}

func TestMemoryStoreClaimLifecycle(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t)
	c1 := mustBegin(t, s, "a", webhook.Claimed)
	c2 := mustBegin(t, s, "a", webhook.InFlight)
	if c1.Attempt != 1 || c2.Attempt != 2 {
		t.Errorf("attempts = %d, %d", c1.Attempt, c2.Attempt)
	}
	if err := s.Fail(ctx, "a", c1.Token, 500); err != nil {
		t.Fatal(err)
	}
	if err := s.Complete(ctx, "a", c1.Token); !errors.Is(err, webhook.ErrLeaseLost) {
		t.Errorf("Complete after Fail = %v", err)
	}
	if wr, err := s.Wait(ctx, "a"); err != nil || wr.Completed || wr.Status != 500 {
		t.Errorf("Wait after failure = %+v, %v", wr, err)
	}
	c3 := mustBegin(t, s, "a", webhook.Claimed)

	// The lease runs out: the next delivery takes over and the old holder
	// can no longer end the claim.
	clk.Add(2 * time.Minute)
	c4 := mustBegin(t, s, "a", webhook.Claimed)
	if err := s.Complete(ctx, "a", c3.Token); !errors.Is(err, webhook.ErrLeaseLost) {
		t.Errorf("stale Complete = %v", err)
	}
	if err := s.Complete(ctx, "a", c4.Token); err != nil {
		t.Fatal(err)
	}
	if c := mustBegin(t, s, "a", webhook.AlreadyCompleted); c.Attempt != 5 {
		t.Errorf("attempt = %d, want 5", c.Attempt)
	}
	if wr, _ := s.Wait(ctx, "a"); !wr.Completed {
		t.Error("Wait on a completed event did not say so")
	}
	if wr, err := s.Wait(ctx, "never-seen"); err != nil || wr != (webhook.WaitResult{}) {
		t.Errorf("Wait on unknown id = %+v, %v", wr, err)
	}
}

func TestMemoryStoreWait(t *testing.T) {
	s, _ := newStore(t)
	c := mustBegin(t, s, "w", webhook.Claimed)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := s.Wait(ctx, "w"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait bounded by ctx = %v", err)
	}
	done := make(chan webhook.WaitResult)
	go func() {
		wr, _ := s.Wait(context.Background(), "w")
		done <- wr
	}()
	time.Sleep(5 * time.Millisecond)
	if err := s.Complete(context.Background(), "w", c.Token); err != nil {
		t.Fatal(err)
	}
	if wr := <-done; !wr.Completed {
		t.Errorf("waiter saw %+v", wr)
	}
}

func TestMemoryStoreBounded(t *testing.T) {
	ctx := context.Background()
	s, clk := newStore(t, webhook.StoreMaxEntries(3), webhook.StoreTTL(time.Hour))
	for i := range 10 {
		id := fmt.Sprint("e", i)
		c := mustBegin(t, s, id, webhook.Claimed)
		if err := s.Complete(ctx, id, c.Token); err != nil {
			t.Fatal(err)
		}
		if s.Len() > 3 {
			t.Fatalf("store holds %d entries, max 3", s.Len())
		}
	}
	// The newest are remembered, the oldest were evicted.
	mustBegin(t, s, "e9", webhook.AlreadyCompleted)
	mustBegin(t, s, "e0", webhook.Claimed)

	// Completed entries are evicted before failed ones.
	s2, _ := newStore(t, webhook.StoreMaxEntries(2))
	f := mustBegin(t, s2, "failed", webhook.Claimed)
	_ = s2.MarkStep(ctx, "failed", "seg-1")
	_ = s2.Fail(ctx, "failed", f.Token, 500)
	d := mustBegin(t, s2, "done", webhook.Claimed)
	_ = s2.Complete(ctx, "done", d.Token)
	mustBegin(t, s2, "new", webhook.Claimed)
	if ok, _ := s2.StepDone(ctx, "failed", "seg-1"); !ok {
		t.Error("failed entry's marks evicted before a completed entry")
	}
	mustBegin(t, s2, "done", webhook.Claimed) // forgotten, so claimable again

	// In-flight entries are never evicted.
	if _, err := s2.Begin(ctx, "one-too-many", time.Minute); !errors.Is(err, webhook.ErrStoreFull) {
		t.Errorf("Begin on a store full of in-flight events = %v", err)
	}

	// TTL: outcomes older than the TTL are forgotten.
	clk.Add(2 * time.Hour)
	if n := s.Len(); n != 1 { // only e0, still in flight
		t.Errorf("after TTL store holds %d entries, want 1", n)
	}
}

func TestMemoryStoreSteps(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if err := s.MarkStep(ctx, "ghost", "k"); err == nil {
		t.Error("mark on an unknown event accepted")
	}
	c := mustBegin(t, s, "e", webhook.Claimed)
	if ok, _ := s.StepDone(ctx, "e", "k"); ok {
		t.Error("unmarked step done")
	}
	if err := s.MarkStep(ctx, "e", "k"); err != nil {
		t.Fatal(err)
	}
	_ = s.Fail(ctx, "e", c.Token, 500)
	c = mustBegin(t, s, "e", webhook.Claimed)
	if ok, _ := s.StepDone(ctx, "e", "k"); !ok {
		t.Error("mark lost across a failed attempt")
	}
	if ok, _ := s.StepDone(ctx, "e", "other"); ok {
		t.Error("other key done")
	}
	for i := range 4096 {
		if err := s.MarkStep(ctx, "e", fmt.Sprint(i)); err != nil {
			if i < 4095 {
				t.Fatalf("mark %d refused: %v", i, err)
			}
		}
	}
	if err := s.MarkStep(ctx, "e", "one more"); err == nil {
		t.Error("unbounded marks per event")
	}
	_ = s.Complete(ctx, "e", c.Token)
	if ok, _ := s.StepDone(ctx, "e", "anything"); !ok {
		t.Error("steps of a completed event are not done")
	}
}

func TestMemoryStoreOptions(t *testing.T) {
	for name, o := range map[string]webhook.MemoryStoreOption{
		"max 0": webhook.StoreMaxEntries(0), "ttl 0": webhook.StoreTTL(0), "nil clock": webhook.StoreClock(nil),
	} {
		var ce *webhook.ConfigError
		if s, err := webhook.NewMemoryStore(o); s != nil || !errors.As(err, &ce) {
			t.Errorf("%s: %v, %v", name, s, err)
		}
	}
}
