package segment_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func ExampleCompile() {
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.status", "op": "eq", "value": "APROVED"}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 111}},
	  {"events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.price.value", "op": "contains", "value": "9"}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 111}}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = segment.Compile(rules, segment.AllowUnknownProviders())
	var re *segment.RulesError
	if errors.As(err, &re) {
		for _, p := range re.Problems {
			fmt.Printf("%s [%s] %q\n", p.Path(), p.Reason, p.Suggestion)
		}
		fmt.Println(err)
	}
	// Output:
	// segmentations[0].conditions[0].value [enum] "APPROVED"
	// segmentations[1].id [missing] ""
	// segmentations[1].conditions[0].op [operator] ""
	// segmentations[0] (id "approved-br"): conditions[0].value: "APROVED" is not a purchase.status value (did you mean "APPROVED"?)
	// segmentations[1]: id: required
	// segmentations[1]: conditions[0].op: operator "contains" does not apply to decimal field purchase.price.value (use eq, ne, in, not_in, gt, gte, lt, lte, exists, not_exists)
}

func ExampleProgram_Evaluate() {
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [
	     {"field": "purchase.price.currency", "op": "in", "value": ["BRL"]},
	     {"field": "buyer.address.country_iso", "op": "eq", "value": "BR"}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 111, "sequence": 222, "level": 1}},
	  {"id": "completed", "active": true, "events": ["PURCHASE_COMPLETE"],
	   "conditions": [{"field": "purchase.status", "op": "eq", "value": "COMPLETE"}],
	   "action": {"provider": "leadlovers", "command": "move_lead"}}
	]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	program, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		fmt.Println(err)
		return
	}
	body, err := os.ReadFile("../hotmart/testdata/webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	event, err := hotmart.ParseEvent(body)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range program.Evaluate(event) {
		a := m.Action()
		fmt.Printf("%s → %s %s machine=%s\n", m.Segmentation.ID, a.Provider, a.Command, a.Params["machine"])
	}
	// Output:
	// approved-br → leadlovers add_lead machine=111
}

func ExampleProgram_Explain() {
	rules, _ := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "pt", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "buyer.address.country_iso", "op": "eq", "value": "PT"}],
	   "action": {"provider": "leadlovers", "command": "add_lead"}},
	  {"id": "vip", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "buyer.email", "op": "eq", "value": "vip@example.com"}],
	   "action": {"provider": "leadlovers", "command": "add_lead"}},
	  {"id": "refunds", "active": true, "events": ["PURCHASE_REFUNDED"],
	   "action": {"provider": "leadlovers", "command": "remove_lead"}},
	  {"id": "draft", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "leadlovers", "command": "add_lead"}}
	]}`))
	program, _ := segment.Compile(rules, segment.AllowUnknownProviders())
	event, _ := hotmart.NewEvent("evt-1", hotmart.EventPurchaseApproved, time.Time{}, &hotmart.PurchaseData{
		Buyer: hotmart.PurchaseBuyer{Email: "ana@example.com", Address: hotmart.Address{CountryISO: "BR"}},
	})
	for _, x := range program.Explain(event) {
		fmt.Println(x)
	}
	// Output:
	// segmentations[0] (id "pt"): conditions[0] buyer.address.country_iso eq "PT" failed: got "BR"
	// segmentations[1] (id "vip"): conditions[0] buyer.email eq "vip@example.com" failed: got [redacted]
	// segmentations[2] (id "refunds"): event PURCHASE_APPROVED not listed
	// segmentations[3] (id "draft"): inactive
}

func ExampleParseTemplate() {
	tpl, err := segment.ParseTemplate("Pedido {{purchase.transaction}} de {{ buyer.first_name }} ({{purchase.price.value}} {{purchase.price.currency}})")
	if err != nil {
		fmt.Println(err)
		return
	}
	event, _ := hotmart.NewEvent("evt-1", hotmart.EventPurchaseApproved, time.Time{}, &hotmart.PurchaseData{
		Buyer:    hotmart.PurchaseBuyer{FirstName: "Ana"},
		Purchase: hotmart.Purchase{Transaction: "HP123", Price: hotmart.Money{Value: "149.90", Currency: "BRL"}},
	})
	fmt.Println(tpl.Render(event))

	_, err = segment.ParseTemplate("Olá {{buyer.nome}}")
	fmt.Println(err)
	// Output:
	// Pedido HP123 de Ana (149.90 BRL)
	// template: at offset 5: unknown field "buyer.nome" (did you mean "buyer.name"?)
}

// TestDocListsEveryField keeps the package documentation in step with the
// field registry.
func TestDocListsEveryField(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range segment.Fields() {
		if !strings.Contains(string(doc), "//   - "+f.Path+" ("+f.Type.String()+", e.g. ") {
			t.Errorf("doc.go does not document %s (%s)", f.Path, f.Type)
		}
	}
}
