package webhook_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

func ExampleNew() {
	// The host's processing: here, one plain callback per event type.
	mux := webhook.NewMux()
	err := mux.HandleFunc(hotmart.EventPurchaseApproved, func(ctx context.Context, e *hotmart.Event) error {
		p, err := e.Purchase()
		if err != nil {
			return err
		}
		// One step per segmentation: a redelivery skips what already ran.
		if !webhook.StepDone(ctx, "welcome-mail") {
			fmt.Println("welcome mail for transaction", p.Purchase.Transaction)
			if err := webhook.MarkStep(ctx, "welcome-mail"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}

	h, err := webhook.New(
		webhook.WithHottok("my-hottok"),
		webhook.WithProcessor(mux),
	)
	if err != nil {
		log.Fatal(err)
	}
	routes := http.NewServeMux()
	routes.Handle("POST /hotmart/webhook", h)
	srv := httptest.NewServer(routes)
	defer srv.Close()

	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithTransaction("HP0967750879"))
	for _, hottok := range []string{"my-hottok", "my-hottok", "forged"} {
		resp, err := hotmarttest.Post(context.Background(), srv.URL+"/hotmart/webhook", body, hottok)
		if err != nil {
			log.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{})
	for _, d := range ds {
		fmt.Println(d.Status, d.Outcome, d.Attempt)
	}
	// Output:
	// welcome mail for transaction HP0967750879
	// 200
	// 200
	// 401
	// 401 rejected 0
	// 200 duplicate 2
	// 200 processed 1
}

func ExampleMux() {
	mux := webhook.NewMux()
	_ = mux.HandleFunc(hotmart.EventPurchaseRefunded, func(ctx context.Context, e *hotmart.Event) error {
		fmt.Println("refund", e.ID)
		return nil
	})
	ev, _ := hotmarttest.NewParsedEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithEventID("evt-9"))
	fmt.Println(mux.Process(context.Background(), ev))
	other, _ := hotmarttest.NewParsedEvent(hotmart.EventClubFirstAccess)
	fmt.Println(mux.Process(context.Background(), other))
	// Output:
	// refund evt-9
	// <nil>
	// webhook: no processor for event type: CLUB_FIRST_ACCESS
}
