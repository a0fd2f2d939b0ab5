package accounts_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
)

func TestMemoryCheckpoints(t *testing.T) {
	var m accounts.MemoryCheckpoints
	ctx := context.Background()
	if _, ok, err := m.GetCheckpoint(ctx, "acme"); ok || err != nil {
		t.Fatalf("empty store has a checkpoint")
	}
	want := accounts.Checkpoint{Start: t0.Add(-time.Hour), Through: t0}
	var wg sync.WaitGroup
	for _, id := range []string{"acme", "beta"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := m.PutCheckpoint(ctx, id, want); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if cp, ok, _ := m.GetCheckpoint(ctx, "beta"); !ok || cp != want {
		t.Errorf("checkpoint = %+v, %t", cp, ok)
	}
}

func TestSalesSourceFunc(t *testing.T) {
	calls := 0
	src := accounts.SalesSourceFunc(func(_ context.Context, a *accounts.Account, q accounts.SalesQuery) (*accounts.SalesPage, error) {
		calls++
		return &accounts.SalesPage{Sales: []accounts.Sale{sale("HP1", "APPROVED", q.From)}}, nil
	})
	reg := registry(t, account(t, "acme", "acme-hottok-1"))
	store := newStore()
	s, err := accounts.NewSyncer(reg, src, store)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Run(context.Background(), "acme")
	if err != nil || calls != 1 || rep.Queued != 1 {
		t.Errorf("run = %+v, %v after %d calls", rep, err, calls)
	}
}
