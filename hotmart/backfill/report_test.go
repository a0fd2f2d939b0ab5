package backfill_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/backfill"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

func TestReportMatchesDataset(t *testing.T) {
	srv, c := setup(t)
	report := backfill.NewReport()
	var cp backfill.Checkpoint
	if err := backfill.Run(context.Background(), c, &cp, rangeOf(srv), func(r backfill.Record) error {
		report.Add(r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Recompute the totals independently from the server's dataset.
	type tot struct {
		orders, approved, refunded, chargebacks int
		revenue                                 int64
	}
	want := map[string]*tot{}
	for _, s := range srv.Sales() {
		p := s.Purchase
		w := want[p.Price.CurrencyCode]
		if w == nil {
			w = &tot{}
			want[p.Price.CurrencyCode] = w
		}
		w.orders++
		switch p.Status.Canonical() {
		case hotmart.StatusApproved, hotmart.StatusComplete:
			w.approved++
			m, _ := p.Price.Money().MinorUnits()
			w.revenue += m
		case hotmart.StatusRefunded, hotmart.StatusPartiallyRefunded:
			w.refunded++
		case hotmart.StatusChargeback, hotmart.StatusDispute:
			w.chargebacks++
		}
	}
	totals := report.Totals()
	if len(totals) != len(want) {
		t.Fatalf("currencies %d, want %d", len(totals), len(want))
	}
	for _, g := range totals {
		w := want[g.Currency]
		if g.NewOrders != w.orders || g.Approved != w.approved || g.Refunded != w.refunded || g.Chargebacks != w.chargebacks || g.Revenue != w.revenue {
			t.Errorf("%s: got %+v, want %+v", g.Currency, g, *w)
		}
	}
	subs := 0
	for _, n := range report.Subscriptions() {
		subs += n
	}
	if subs != len(srv.Subscriptions()) {
		t.Errorf("subscriptions %d, want %d", subs, len(srv.Subscriptions()))
	}
	var buf bytes.Buffer
	if err := report.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "total") || !strings.Contains(buf.String(), "subscriptions:") {
		t.Errorf("table:\n%s", buf.String())
	}
}

func TestReportFormatsMinorUnits(t *testing.T) {
	r := backfill.NewReport()
	for _, v := range []struct{ price, cur string }{{"10.05", "BRL"}, {"0.95", "BRL"}, {"1500", "JPY"}} {
		var s rest.Sale
		s.Purchase.Status = hotmart.StatusApproved
		s.Purchase.OrderDate.Time = s.Purchase.OrderDate.AddDate(2024, 0, 0)
		s.Purchase.Price = rest.Amount{Value: hotmart.Decimal(v.price), CurrencyCode: v.cur}
		r.Add(backfill.Record{Kind: backfill.KindSale, Sale: &s})
	}
	got := map[string]string{}
	for _, d := range r.Totals() {
		got[d.Currency] = d.RevenueText()
	}
	if got["BRL"] != "11.00" || got["JPY"] != "1500" {
		t.Fatalf("revenue %v", got)
	}
}
