package hotmartkit_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// Example receives one Hotmart webhook and, by two segmentation rules, adds
// the buyer to a leadlovers machine and opens a deal in the SendPulse CRM.
func Example() {
	// In-process fakes stand for the leadlovers and SendPulse accounts.
	ll := leadloverstest.NewServer(nil)
	defer ll.Close()
	sp := sendpulsetest.NewServer(nil)
	defer sp.Close()

	// The rules, as a seller writes them in a rules file.
	rules := must(segment.ParseRules(fmt.Appendf(nil, `{"segmentations": [
	  {"id": "customers", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "leadlovers", "command": "add_lead", "send": ["email", "name"],
	              "machine": %d, "sequence": %d, "level": 1}},
	  {"id": "deals", "active": true, "events": ["PURCHASE_BILLET_PRINTED", "PURCHASE_APPROVED", "PURCHASE_REFUNDED"],
	   "action": {"provider": "sendpulse", "command": "upsert_deal",
	              "name": "{{product.name}} — {{buyer.name}}", "stages": {"paid": %d}}}
	]}`, leadloverstest.MachineCustomers, leadloverstest.SequenceWelcome, sendpulsetest.SeedStepPaid)))
	program := must(segment.Compile(rules, segment.WithProviders(leadlovers.Spec, sendpulse.Spec)))

	// Real code builds the clients from its credentials and keeps their
	// default pacing:
	//   leadlovers.NewClient(leadlovers.Credentials{Token: token})
	//   sendpulse.NewClient(sendpulse.Credentials{APIKey: key})
	// The fakes hand out clients pointed at them, with pacing off.
	llClient := ll.Client()
	spClient := sp.Client()
	processor := must(pipeline.New(program,
		pipeline.WithExecutor("leadlovers", must(leadlovers.NewExecutor(llClient))),
		pipeline.WithExecutor("sendpulse", must(sendpulse.NewExecutor(spClient)))))

	// The handler verifies the hottok, decodes, deduplicates and runs the pipeline.
	store := must(webhook.NewMemoryStore())
	handler := must(webhook.New(webhook.WithHottok("my-hottok"), webhook.WithProcessor(processor), webhook.WithStore(store)))
	srv := httptest.NewServer(handler)
	defer srv.Close()

	// Hotmart posts a purchase approval.
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithTransaction("HP1234567890"),
		hotmarttest.WithBuyerEmail("ana@example.com"), hotmarttest.WithBuyerName("Ana Souza"),
		hotmarttest.WithProductName("Curso de Fotografia"))
	resp := must(hotmarttest.Post(context.Background(), srv.URL, body, "my-hottok"))
	resp.Body.Close()

	fmt.Println("HTTP", resp.StatusCode)
	fmt.Println("leadlovers machine", leadloverstest.MachineCustomers, "holds", ll.LeadsIn(leadloverstest.MachineCustomers))
	for _, d := range sp.Deals() {
		fmt.Printf("SendPulse deal %q in step %s\n", d.Name, sp.StepName(d.StepID))
	}
	// Output:
	// HTTP 200
	// leadlovers machine 111 holds [ana@example.com]
	// SendPulse deal "Curso de Fotografia — Ana Souza #HP1234567890" in step Paid
}

// must stands for the error handling of real code.
func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
