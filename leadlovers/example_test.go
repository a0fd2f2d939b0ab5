package leadlovers_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/segment"
)

func ExampleNewClient() {
	srv := leadloverstest.NewServer(nil) // the fake API; use the default base URL in production
	defer srv.Close()

	c, err := leadlovers.NewClient(srv.Credentials(), leadlovers.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	_, err = c.Leads.Upsert(ctx, &leadlovers.Lead{
		Email: "ana@example.com", Name: "Ana",
		MachineCode: leadloverstest.MachineCustomers, EmailSequenceCode: leadloverstest.SequenceWelcome, SequenceLevelCode: 1,
	})
	if err != nil {
		log.Fatal(err)
	}
	locs, err := c.Leads.Locations(ctx, "ana@example.com")
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range locs {
		fmt.Printf("%s: %s / %s, level %d\n", l.LeadName, l.MachineName, l.SequenceName, l.Level)
	}

	// leadlovers reports failures in a body envelope (often inside an HTTP
	// 200); the client turns them into *APIError, token removed.
	_, err = c.Sequences.List(ctx, 999)
	var apiErr *leadlovers.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Message, strings.Contains(apiErr.URL, srv.Token()))
	}
	// Output:
	// Ana: Clientes / Boas-vindas, level 1
	// 400 Código da Máquina inválido false
}

func ExampleNewExecutor() {
	srv := leadloverstest.NewServer(nil)
	defer srv.Close()
	c, err := leadlovers.NewClient(srv.Credentials(), leadlovers.WithBaseURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	x, err := leadlovers.NewExecutor(c)
	if err != nil {
		log.Fatal(err)
	}

	rules, err := segment.ParseRules([]byte(`{"segmentations":[{
	  "id": "boleto", "active": true, "events": ["PURCHASE_BILLET_PRINTED"],
	  "action": {"provider": "leadlovers", "command": "add_lead", "send": ["name", "billet_url"],
	             "billet_field": 7001, "machine": 333, "sequence": 444, "level": 1}}]}`))
	if err != nil {
		log.Fatal(err)
	}
	prog, err := segment.Compile(rules, segment.WithProviders(leadlovers.Spec))
	if err != nil {
		log.Fatal(err)
	}
	ev, _ := hotmart.NewEvent("evt-1", hotmart.EventPurchaseBilletPrinted, hotmart.Time{}.Time, &hotmart.PurchaseData{
		Buyer:    hotmart.PurchaseBuyer{Email: "bia@example.com", Name: "Bia"},
		Purchase: hotmart.Purchase{Payment: hotmart.Payment{Type: "BILLET", BilletURL: "https://billet.example/123"}},
	})
	for _, m := range prog.Evaluate(ev) {
		if err := x.Execute(context.Background(), m); err != nil {
			log.Fatal(err)
		}
	}
	lead, _ := srv.Lead("bia@example.com")
	fmt.Println(lead.Name, lead.Locations, lead.DynamicFields[7001])
	// Output:
	// Bia [{333 444 1}] https://billet.example/123
}
