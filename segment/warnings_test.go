package segment_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// TestUnreadableFieldIsAbsent: a data field that hotmart.ParseEvent could
// not read (a warning on the event) is absent to the rules, and the rest of
// the event still matches.
func TestUnreadableFieldIsAbsent(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "no-price", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.price.value", "op": "not_exists"},
	                  {"field": "buyer.email", "op": "exists"}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1}},
	  {"id": "cheap", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.price.value", "op": "lt", "value": 100}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 2}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	program, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	e, err := hotmart.ParseEvent([]byte(`{"id":"w","event":"PURCHASE_APPROVED","data":{` +
		`"buyer":{"email":"a@example.com"},"purchase":{"transaction":"HP1","price":{"value":"R$ 10","currency_value":"BRL"}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Warnings) != 1 || e.Warnings[0].Field != "data.purchase.price.value" {
		t.Fatalf("warnings %v", e.Warnings)
	}
	var ids []string
	for _, m := range program.Evaluate(e) {
		ids = append(ids, m.Segmentation.ID)
	}
	if len(ids) != 1 || ids[0] != "no-price" {
		t.Errorf("matched %v, want [no-price]", ids)
	}
}
