package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

const webhookPath = "/hotmart/webhook"

// newMux stands for the application's own mux: it already serves its
// routes, and the webhook handler is mounted next to them.
func newMux(hottok string, out io.Writer) (*http.ServeMux, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})

	// Hotmart delivers concurrently; serialize the writes to out.
	var mu sync.Mutex
	events := webhook.NewMux()
	err := events.HandleFunc(hotmart.EventPurchaseApproved, func(_ context.Context, e *hotmart.Event) error {
		p, err := e.Purchase()
		if err != nil {
			return err // answered 500: Hotmart will try again later
		}
		mu.Lock()
		defer mu.Unlock()
		// The buyer's e-mail, phone and document are personal data: keep
		// them out of logs.
		_, err = fmt.Fprintf(out, "approved %s: %s, %s, paid by %s\n",
			p.Purchase.Transaction, p.Product.Name, p.Purchase.Price, p.Purchase.Payment.Type)
		return err
	})
	if err != nil {
		return nil, err
	}
	// Other event types have no processor here; the handler acknowledges
	// them with 200 so Hotmart does not mark the URL as failing.
	h, err := webhook.New(webhook.WithHottok(hottok), webhook.WithProcessor(events))
	if err != nil {
		return nil, err
	}
	mux.Handle(webhookPath, h)
	return mux, nil
}
