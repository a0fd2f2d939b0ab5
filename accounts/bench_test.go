package accounts_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hotmartkit/hotmartkit/accounts"
)

// BenchmarkByHottok: the door's lookup over 10 accounts of 2 tokens each.
func BenchmarkByHottok(b *testing.B) {
	var accts []*accounts.Account
	for i := range 10 {
		accts = append(accts, &accounts.Account{ID: fmt.Sprintf("a%d", i),
			Hottoks: []string{fmt.Sprintf("hottok-%02d-current-xxxxxxxxxxxxxxxx", i), fmt.Sprintf("hottok-%02d-old-xxxxxxxxxxxxxxxxxxxx", i)}})
	}
	r, err := accounts.NewRegistry(accts...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.ByHottok("hottok-07-old-xxxxxxxxxxxxxxxxxxxx"); !ok {
			b.Fatal("no match")
		}
	}
}

// BenchmarkSyntheticEvent: writing and decoding one sale's webhook body.
func BenchmarkSyntheticEvent(b *testing.B) {
	s := sale("HP1234567890", "APPROVED", t0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := accounts.SyntheticEvent("acme", s, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan1000: planning 1,000 sales of which half are known.
func BenchmarkPlan1000(b *testing.B) {
	store := newStore()
	sales := make([]accounts.Sale, 1000)
	for i := range sales {
		sales[i] = sale(fmt.Sprintf("HP%06d", i), "APPROVED", t0)
		if i%2 == 0 {
			store.webhook("acme", sales[i].Transaction, "PURCHASE_APPROVED")
		}
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		plan, err := accounts.PlanEvents(ctx, store, "acme", sales, t0)
		if err != nil || len(plan.Events) != 500 {
			b.Fatal(err)
		}
	}
}
