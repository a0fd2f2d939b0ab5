package sendpulse_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// A client with OAuth client credentials against the fake server: the
// token is fetched once and reused.
func ExampleNewClient() {
	srv := sendpulsetest.NewServer(nil) // a test passes its *testing.T and skips the Close
	defer srv.Close()

	// In production: sendpulse.NewClient(sendpulse.Credentials{ClientID: id, ClientSecret: secret}).
	client, err := sendpulse.NewClient(srv.OAuthCredentials(), sendpulse.WithBaseURL(srv.URL()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	pipelines, err := client.CRM.Pipelines.List(ctx)
	if err != nil {
		panic(err)
	}
	for _, p := range pipelines {
		fmt.Print(p.Name, ":")
		for _, s := range p.Steps {
			fmt.Print(" ", s.Name)
		}
		fmt.Println()
	}
	users, _ := client.CRM.Users.List(ctx)
	fmt.Println("users:", len(users), "token requests:", srv.TokenRequests())
	// Output:
	// Hotmart sales: New Paid Lost Refunded
	// users: 1 token requests: 1
}

// The executor turns payment events into one CRM deal per transaction,
// moved between stages as the payment status changes.
func ExampleExecutor() {
	srv := sendpulsetest.NewServer(nil)
	defer srv.Close()
	client := srv.Client() // the API key, pacing off
	exec, _ := sendpulse.NewExecutor(client)

	steps := map[string]int64{}
	for _, s := range srv.Pipelines()[0].Steps {
		steps[s.Name] = s.ID
	}
	raw := fmt.Sprintf(`{"name":"{{product.name}}","stages":{"pending":%d,"paid":%d,"refunded":%d}}`,
		steps["New"], steps["Paid"], steps["Refunded"])
	var params map[string]json.RawMessage
	_ = json.Unmarshal([]byte(raw), &params)
	compiled, err := sendpulse.Spec.CompileAction("upsert_deal", params)
	if err != nil {
		panic(err)
	}

	at := time.Date(2025, 11, 15, 12, 0, 0, 0, time.UTC)
	for _, typ := range []hotmart.EventType{hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseApproved, hotmart.EventPurchaseRefunded} {
		e, _ := hotmart.NewEvent("evt-"+string(typ), typ, at, &hotmart.PurchaseData{
			Product: hotmart.Product{ID: "42", Name: "Curso de Gelo"},
			Buyer:   hotmart.PurchaseBuyer{Email: "maria@example.com", Name: "Maria Souza"},
			Purchase: hotmart.Purchase{Transaction: "HP0001",
				Price: hotmart.Money{Value: "197.00", Currency: "BRL"}},
		})
		class, _ := sendpulse.PaymentClass(e)
		if err := exec.Execute(context.Background(), segment.Match{Event: e, Params: compiled}); err != nil {
			panic(err)
		}
		d := srv.DealsByTransaction("HP0001")[0]
		fmt.Printf("%-23s %-8s → %q in %s\n", typ, class, d.Name, srv.StepName(d.StepID))
	}
	fmt.Println("contacts:", len(srv.Contacts()), "deals:", len(srv.Deals()))
	// Output:
	// PURCHASE_BILLET_PRINTED pending  → "Curso de Gelo #HP0001" in New
	// PURCHASE_APPROVED       paid     → "Curso de Gelo #HP0001" in Paid
	// PURCHASE_REFUNDED       refunded → "Curso de Gelo #HP0001" in Refunded
	// contacts: 1 deals: 1
}
