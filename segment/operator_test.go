package segment_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// holds compiles one condition and reports whether it holds on e.
func holds(t *testing.T, e *hotmart.Event, field string, op segment.Op, value string) bool {
	t.Helper()
	c := segment.Condition{Field: field, Op: op}
	if value != "" {
		c.Value = json.RawMessage(value)
	}
	p, err := segment.Compile(segment.Rules{Segmentations: []segment.Segmentation{{
		ID: "r", Active: true, Events: []hotmart.EventType{e.Type},
		Conditions: []segment.Condition{c},
		Action:     segment.Action{Provider: "x", Command: "y"},
	}}}, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatalf("Compile(%s %s %s): %v", field, op, value, err)
	}
	return len(p.Evaluate(e)) == 1
}

func TestOperators(t *testing.T) {
	base := purchaseEvent(t, hotmart.EventPurchaseApproved, func(d *hotmart.PurchaseData) {
		d.Purchase.RecurrenceNumber = 3
		d.Purchase.IsFunnel = true
		d.Commissions = []hotmart.Commission{{Value: "0.29", Source: "marketplace"}, {Value: "1350.50", Source: hotmart.SourceProducer, Currency: "BRL"}}
		d.Affiliates = []hotmart.Affiliate{{Code: "", Name: ""}}
		d.Subscription = &hotmart.PurchaseSubscription{Status: "CANCELED_BY_VENDOR", Subscriber: hotmart.SubscriberRef{Code: "1234"}}
	})
	tests := []struct {
		field string
		op    segment.Op
		value string
		want  bool
	}{
		// strings, exact
		{"buyer.name", segment.OpEq, `"Ana Souza"`, true},
		{"buyer.name", segment.OpEq, `"ana souza"`, false},
		{"buyer.name", segment.OpNe, `"Bia"`, true},
		{"buyer.name", segment.OpIn, `["Bia", "Ana Souza"]`, true},
		{"buyer.name", segment.OpNotIn, `["Bia", "Ana Souza"]`, false},
		{"buyer.name", segment.OpContains, `"na So"`, true},
		{"buyer.name", segment.OpContains, `"NA SO"`, false},
		{"buyer.name", segment.OpPrefix, `"Ana"`, true},
		{"buyer.name", segment.OpPrefix, `"Souza"`, false},
		{"buyer.name", segment.OpExists, ``, true},
		{"buyer.name", segment.OpNotExists, ``, false},
		// e-mails and codes fold case
		{"buyer.email", segment.OpEq, `"ana.souza@example.com"`, true},
		{"buyer.email", segment.OpContains, `"@EXAMPLE."`, true},
		{"buyer.email", segment.OpPrefix, `"ANA."`, true},
		{"buyer.email", segment.OpIn, `["x@y.z", "ANA.SOUZA@EXAMPLE.COM"]`, true},
		{"buyer.address.country_iso", segment.OpEq, `"br"`, true},
		{"purchase.price.currency", segment.OpNotIn, `["usd", "eur"]`, true},
		{"product.ucode", segment.OpEq, `"5A4C-UCODE"`, true},
		// phone is rendered with +55 and area code
		{"buyer.phone", segment.OpEq, `"+5531999998888"`, true},
		{"buyer.phone", segment.OpPrefix, `"+5531"`, true},
		{"buyer.phone", segment.OpContains, `"99998888"`, true},
		// identifiers: string or number in the rule
		{"product.id", segment.OpEq, `4062912`, true},
		{"product.id", segment.OpEq, `"4062912"`, true},
		{"product.id", segment.OpIn, `[1, "4062912"]`, true},
		{"product.id", segment.OpPrefix, `"406"`, true},
		{"subscription.subscriber_code", segment.OpEq, `1234`, true},
		{"purchase.transaction", segment.OpEq, `"hp123"`, false}, // identifiers are exact
		{"purchase.offer.code", segment.OpEq, `"k2pasun0"`, true},
		// affiliate absent when the array only holds an empty entry
		{"affiliate.code", segment.OpExists, ``, false},
		{"affiliate.code", segment.OpNotExists, ``, true},
		{"affiliate.code", segment.OpEq, `""`, false},
		{"affiliate.code", segment.OpNe, `"Q1"`, true},
		// enums: case and drift
		{"purchase.status", segment.OpEq, `"approved"`, true},
		{"purchase.payment.type", segment.OpIn, `["PIX", "credit_card"]`, true},
		{"buyer.document_type", segment.OpEq, `"CPF"`, true}, // event sent "cpf"
		{"subscription.status", segment.OpEq, `"CANCELLED_BY_SELLER"`, true},
		{"subscription.status", segment.OpEq, `"CANCELED_BY_VENDOR"`, true},
		{"subscription.status", segment.OpPrefix, `"cancelled_by"`, true},
		{"event", segment.OpEq, `"purchase_approved"`, true},
		{"event", segment.OpNotIn, `["PURCHASE_COMPLETE"]`, true},
		// decimals, exact
		{"purchase.price.value", segment.OpEq, `149.9`, true},
		{"purchase.price.value", segment.OpEq, `"149.900"`, true},
		{"purchase.price.value", segment.OpGt, `149.89`, true},
		{"purchase.price.value", segment.OpGt, `149.90`, false},
		{"purchase.price.value", segment.OpGte, `149.90`, true},
		{"purchase.price.value", segment.OpLt, `1.499e2`, false},
		{"purchase.price.value", segment.OpLte, `1.499e2`, true},
		{"purchase.price.value", segment.OpLt, `150`, true},
		{"purchase.price.value", segment.OpIn, `[100, 149.9]`, true},
		{"purchase.price.value", segment.OpNotIn, `[100, 200]`, true},
		{"purchase.price.value", segment.OpNe, `149.9`, false},
		{"commission.producer.value", segment.OpEq, `1350.5`, true},
		{"commission.marketplace.value", segment.OpEq, `0.29`, true}, // float64 would make this 0.28999…
		{"commission.marketplace.value", segment.OpGt, `0.28999999999999999`, true},
		{"commission.affiliate.value", segment.OpGt, `0`, false},
		{"commission.affiliate.value", segment.OpNotExists, ``, true},
		// integers
		{"purchase.recurrence_number", segment.OpEq, `3`, true},
		{"purchase.recurrence_number", segment.OpGt, `2`, true},
		{"purchase.recurrence_number", segment.OpLt, `3`, false},
		{"purchase.recurrence_number", segment.OpIn, `[1, 3]`, true},
		{"purchase.payment.installments", segment.OpGte, `"3"`, true},
		{"purchase.payment.installments", segment.OpNotIn, `[1, 2]`, true},
		// booleans
		{"purchase.is_funnel", segment.OpEq, `true`, true},
		{"purchase.is_funnel", segment.OpNe, `true`, false},
		{"purchase.order_bump", segment.OpEq, `false`, true},
		{"purchase.order_bump", segment.OpExists, ``, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %s", tt.field, tt.op, tt.value), func(t *testing.T) {
			if got := holds(t, base, tt.field, tt.op, tt.value); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestAbsentFields pins the documented semantics: on an absent field the
// positive operators fail, ne and not_in hold, exists fails.
func TestAbsentFields(t *testing.T) {
	club := sample(t, "CLUB_FIRST_ACCESS.official-docs.json")
	tests := []struct {
		field string
		op    segment.Op
		value string
		want  bool
	}{
		{"purchase.status", segment.OpEq, `"APPROVED"`, false},
		{"purchase.status", segment.OpNe, `"APPROVED"`, true},
		{"purchase.status", segment.OpIn, `["APPROVED"]`, false},
		{"purchase.status", segment.OpNotIn, `["APPROVED"]`, true},
		{"purchase.status", segment.OpContains, `"A"`, false},
		{"purchase.status", segment.OpPrefix, `""`, false},
		{"purchase.status", segment.OpExists, ``, false},
		{"purchase.status", segment.OpNotExists, ``, true},
		{"purchase.price.value", segment.OpLt, `1000000`, false},
		{"purchase.price.value", segment.OpNe, `0`, true},
		{"purchase.recurrence_number", segment.OpGte, `0`, false},
		{"purchase.is_funnel", segment.OpEq, `false`, false},
		{"purchase.is_funnel", segment.OpNe, `true`, true},
		{"subscription.status", segment.OpNotExists, ``, true},
		{"buyer.email", segment.OpExists, ``, true}, // members-area user
		{"product.id", segment.OpExists, ``, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s %s %s", tt.field, tt.op, tt.value), func(t *testing.T) {
			if got := holds(t, club, tt.field, tt.op, tt.value); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestFieldsAcrossFamilies checks that cross-family fields resolve on every
// family that carries them, using the real bodies.
func TestFieldsAcrossFamilies(t *testing.T) {
	tests := []struct {
		sample, field string
		want          string // "" = absent
	}{
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "affiliate.code", "Q58388177J"},
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "product.id", "0"},
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "purchase.payment.installments", "12"},
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "purchase.order_bump", "true"},
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "commission.producer.value", "1350.5"},
		{"PURCHASE_COMPLETE.hotmart-test-2025-11.michael-lourenco.json", "purchase.status", "COMPLETED"},
		{"PURCHASE_OUT_OF_SHOPPING_CART.official-docs.json", "purchase.checkout_country", ""},
		{"PURCHASE_OUT_OF_SHOPPING_CART.official-docs.json", "affiliate.code", ""},
		{"SUBSCRIPTION_CANCELLATION.official-docs.json", "subscription.subscriber_code", ""},
		{"SUBSCRIPTION_CANCELLATION.official-docs.json", "subscription.status", ""},
		{"SWITCH_PLAN.official-docs.json", "subscription.status", "ACTIVE"},
		{"UPDATE_SUBSCRIPTION_CHARGE_DATE.official-docs.json", "subscription.status", "ACTIVE"},
		{"CLUB_MODULE_COMPLETED.official-docs.json", "purchase.transaction", ""},
		{"ORDER_FULFILLMENT.official-docs.json", "purchase.transaction", ""},
	}
	all := allSamples(t)
	for _, tt := range tests {
		t.Run(tt.sample+" "+tt.field, func(t *testing.T) {
			e := all[tt.sample]
			want := tt.want
			if want == "" {
				want = fieldFromRaw(t, e, tt.field)
			}
			got := segment.MustParseTemplate("{{" + tt.field + "}}").Render(e)
			if got != want {
				t.Errorf("%s = %q, want %q", tt.field, got, want)
			}
			if present := holds(t, e, tt.field, segment.OpExists, ""); present != (want != "") {
				t.Errorf("exists = %v with value %q", present, want)
			}
		})
	}
}

// fieldFromRaw reads the value a family-specific field should have directly
// from the body's JSON, so the expectation does not come from the code
// under test.
func fieldFromRaw(t *testing.T, e *hotmart.Event, field string) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Raw, &m); err != nil {
		t.Fatal(err)
	}
	get := func(path ...string) string {
		var cur any = m
		for _, p := range path {
			obj, ok := cur.(map[string]any)
			if !ok {
				return ""
			}
			cur = obj[p]
		}
		switch v := cur.(type) {
		case string:
			return v
		case float64:
			return fmt.Sprint(v)
		}
		return ""
	}
	switch e.Type.Family() {
	case hotmart.FamilyCartAbandonment:
		if field == "purchase.checkout_country" {
			return get("checkout_country", "iso")
		}
	case hotmart.FamilySubscriptionCancellation:
		if field == "subscription.subscriber_code" {
			return get("subscriber", "code")
		}
	case hotmart.FamilyOrderFulfillment:
		if field == "purchase.transaction" {
			return get("purchase", "transaction")
		}
	}
	return ""
}
