package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

const demoHottok = "demo-hottok"

type demoBuyer struct{ name, email string }

var (
	ana   = demoBuyer{"Ana Souza", "ana.souza@example.com"}
	bruno = demoBuyer{"Bruno Lima", "bruno.lima@example.com"}
)

// demoDeliveries tell a story: Ana pays by boleto, is approved, then
// refunded; Bruno's card purchase is cancelled.
var demoDeliveries = []struct {
	typ   hotmart.EventType
	buyer demoBuyer
	tx    string
}{
	{hotmart.EventPurchaseBilletPrinted, ana, "HP1000000001"},
	{hotmart.EventPurchaseApproved, ana, "HP1000000001"},
	{hotmart.EventPurchaseRefunded, ana, "HP1000000001"},
	{hotmart.EventPurchaseCanceled, bruno, "HP1000000002"},
}

// runDemo serves the real handler, pipeline and SendPulse executor against
// the fake sp, posts the demo deliveries as Hotmart would and prints where
// each deal stands.
func runDemo(ctx context.Context, sp *sendpulsetest.Server, out io.Writer) error {
	cfg := config{hottok: demoHottok, apiKey: sp.Credentials().APIKey, baseURL: sp.URL()}
	// The fake needs no pacing; against the real API keep the default rate.
	mux, err := newMux(ctx, cfg, sendpulse.WithRateLimit(0, 1))
	if err != nil {
		return err
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()

	fmt.Fprintln(out, "Hotmart payments → SendPulse CRM deals (demo against an in-process fake SendPulse)")
	for i, d := range demoDeliveries {
		body := hotmarttest.NewEvent(d.typ,
			hotmarttest.WithEventID(fmt.Sprintf("demo-%d", i+1)),
			hotmarttest.WithCreatedAt(time.Date(2026, 3, 2, 12, i, 0, 0, time.UTC)),
			hotmarttest.WithTransaction(d.tx),
			hotmarttest.WithBuyerName(d.buyer.name), hotmarttest.WithBuyerEmail(d.buyer.email),
			hotmarttest.WithProductID(1234567), hotmarttest.WithProductName("Curso de Fotografia"),
			hotmarttest.WithPrice("497.00", "BRL"),
		)
		resp, err := hotmarttest.Post(ctx, srv.URL+webhookPath, body, demoHottok)
		if err != nil {
			return err
		}
		resp.Body.Close()
		step := "no deal"
		if deals := sp.DealsByTransaction(d.tx); len(deals) == 1 {
			step = "deal in step " + sp.StepName(deals[0].StepID)
		}
		fmt.Fprintf(out, "%d. %-25s %-10s %s → HTTP %d, %s\n", i+1, d.typ, d.buyer.name, d.tx, resp.StatusCode, step)
	}

	fmt.Fprintln(out, "\nSendPulse CRM now holds:")
	for _, d := range sp.Deals() {
		fmt.Fprintf(out, "  deal %q in step %s, %.2f %s\n", d.Name, sp.StepName(d.StepID), d.Price, d.Currency)
	}
	for _, c := range sp.Contacts() {
		fmt.Fprintf(out, "  contact %s %s\n", c.FirstName, c.LastName)
	}
	return nil
}
