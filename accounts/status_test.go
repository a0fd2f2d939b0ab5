package accounts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// TestEventTypeFor is DESIGN.md's mapping, line by line.
func TestEventTypeFor(t *testing.T) {
	want := map[string]hotmart.EventType{
		"APPROVED":       hotmart.EventPurchaseApproved,
		"COMPLETE":       hotmart.EventPurchaseComplete,
		"CANCELLED":      hotmart.EventPurchaseCanceled,
		"REFUNDED":       hotmart.EventPurchaseRefunded,
		"CHARGEBACK":     hotmart.EventPurchaseChargeback,
		"PROTESTED":      hotmart.EventPurchaseProtest,
		"EXPIRED":        hotmart.EventPurchaseExpired,
		"PRINTED_BILLET": hotmart.EventPurchaseBilletPrinted,
		"DELAYED":        hotmart.EventPurchaseDelayed,
		"OVERDUE":        hotmart.EventPurchaseDelayed,
		"approved":       hotmart.EventPurchaseApproved, // case-insensitive
		" REFUNDED ":     hotmart.EventPurchaseRefunded,
	}
	for status, typ := range want {
		got, ok := accounts.EventTypeFor(status)
		if !ok || got != typ {
			t.Errorf("EventTypeFor(%q) = %q, %t; want %q", status, got, ok, typ)
		}
	}
	for _, status := range []string{
		"STARTED", "WAITING_PAYMENT", "UNDER_ANALISYS", "UNDER_ANALYSIS", "BLOCKED", "NO_FUNDS",
		"PRE_ORDER", "PROCESSING_TRANSACTION", "PARTIALLY_REFUNDED", "",
		"CANCELED", "BILLET_PRINTED", "COMPLETED", "DISPUTE", // webhook spellings are not REST statuses
	} {
		if got, ok := accounts.EventTypeFor(status); ok {
			t.Errorf("EventTypeFor(%q) = %q, want none", status, got)
		}
	}
	// Every status the sales filter asks for is one the API documents;
	// every mapped status but DELAYED is among them.
	for status := range want {
		s := strings.ToUpper(strings.TrimSpace(status))
		found := false
		for _, f := range accounts.SaleStatuses {
			found = found || f == s
		}
		if !found && s != "DELAYED" {
			t.Errorf("mapped status %s is not in SaleStatuses", s)
		}
	}
}

func TestSyntheticID(t *testing.T) {
	for _, tc := range []struct{ account, tx, status, want string }{
		{"acme", "HP123", "APPROVED", "sync:acme:HP123:APPROVED"},
		{"acme", "HP123", "printed_billet", "sync:acme:HP123:PRINTED_BILLET"},
		{"beta", "HP123", "APPROVED", "sync:beta:HP123:APPROVED"},
		{"acme", "HP123", "OVERDUE", "sync:acme:HP123:OVERDUE"},
	} {
		if got := accounts.SyntheticID(tc.account, tc.tx, tc.status); got != tc.want {
			t.Errorf("SyntheticID(%q, %q, %q) = %q, want %q", tc.account, tc.tx, tc.status, got, tc.want)
		}
	}
}

// TestSyntheticEvent checks that the event decodes into the fields a rule
// sees for a webhook: through hotmart's accessors and through segment
// conditions on the same paths.
func TestSyntheticEvent(t *testing.T) {
	seen := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	order := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s := sale("HP1234567890", "REFUNDED", order)
	s.RecurrenceNumber = 2
	s.SubscriberCode = "I9OT62C3"
	s.TrackingSource, s.TrackingSCK, s.TrackingExternal = "ads", "sck1", "xcod1"
	s.ProducerName = "Produtora"
	e, err := accounts.SyntheticEvent("acme", s, seen)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "sync:acme:HP1234567890:REFUNDED" || e.Type != hotmart.EventPurchaseRefunded ||
		e.Version != "2.0.0" || !e.CreatedAt.Equal(seen) || e.Hottok != "" {
		t.Fatalf("envelope = %v (created %s)", e, e.CreatedAt)
	}
	d, err := e.Purchase()
	if err != nil {
		t.Fatal(err)
	}
	if d.Purchase.Transaction != "HP1234567890" || d.Buyer.Email != "ana@example.com" || d.Buyer.Name != "Ana Souza" {
		t.Errorf("purchase data = %+v", d.Purchase)
	}
	if !d.Purchase.OrderDate.Time.Equal(order) || !d.Purchase.ApprovedDate.Time.Equal(order.Add(time.Minute)) {
		t.Errorf("dates = %v %v", d.Purchase.OrderDate, d.Purchase.ApprovedDate)
	}
	conds := []string{
		`{"field": "event", "op": "eq", "value": "PURCHASE_REFUNDED"}`,
		`{"field": "product.id", "op": "eq", "value": 4062912}`,
		`{"field": "product.name", "op": "eq", "value": "Curso de Excel"}`,
		`{"field": "buyer.email", "op": "eq", "value": "ANA@example.com"}`,
		`{"field": "buyer.name", "op": "eq", "value": "Ana Souza"}`,
		`{"field": "purchase.transaction", "op": "eq", "value": "HP1234567890"}`,
		`{"field": "purchase.status", "op": "eq", "value": "REFUNDED"}`,
		`{"field": "purchase.price.value", "op": "eq", "value": 150.6}`,
		`{"field": "purchase.price.currency", "op": "eq", "value": "BRL"}`,
		`{"field": "purchase.payment.type", "op": "eq", "value": "CREDIT_CARD"}`,
		`{"field": "purchase.payment.installments", "op": "eq", "value": 3}`,
		`{"field": "purchase.offer.code", "op": "eq", "value": "n82b9jqz"}`,
		`{"field": "purchase.recurrence_number", "op": "eq", "value": 2}`,
		`{"field": "purchase.origin.src", "op": "eq", "value": "ads"}`,
		`{"field": "purchase.origin.sck", "op": "eq", "value": "sck1"}`,
		`{"field": "purchase.origin.xcod", "op": "eq", "value": "xcod1"}`,
		`{"field": "subscription.subscriber_code", "op": "eq", "value": "I9OT62C3"}`,
		`{"field": "affiliate.code", "op": "not_exists"}`,
	}
	for _, c := range conds {
		rules, err := segment.ParseRules([]byte(`{"segmentations": [{"id": "r", "active": true,
			"events": ["PURCHASE_REFUNDED"], "conditions": [` + c + `],
			"action": {"provider": "p", "command": "c"}}]}`))
		if err != nil {
			t.Fatal(err)
		}
		prog, err := segment.Compile(rules, segment.AllowUnknownProviders())
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if len(prog.Evaluate(e)) != 1 {
			t.Errorf("condition %s does not hold: %v", c, prog.Explain(e))
		}
	}
}

// TestSyntheticEventStatusSpelling: each mapped status gives its event type
// and a purchase.status a rule can match under either spelling.
func TestSyntheticEventStatusSpelling(t *testing.T) {
	for _, tc := range []struct{ status, ruleValue string }{
		{"CANCELLED", "CANCELED"}, {"PRINTED_BILLET", "BILLET_PRINTED"}, {"COMPLETE", "COMPLETED"},
		{"PROTESTED", "PROTESTED"}, {"OVERDUE", "OVERDUE"}, {"DELAYED", "DELAYED"},
	} {
		e, err := accounts.SyntheticEvent("acme", sale("HP1", tc.status, time.Now()), time.Now())
		if err != nil {
			t.Fatalf("%s: %v", tc.status, err)
		}
		typ, _ := accounts.EventTypeFor(tc.status)
		if e.Type != typ {
			t.Errorf("%s: type %s", tc.status, e.Type)
		}
		rules, _ := segment.ParseRules([]byte(`{"segmentations": [{"id": "r", "active": true,
			"events": ["` + string(typ) + `"], "conditions": [{"field": "purchase.status", "op": "eq", "value": "` + tc.ruleValue + `"}],
			"action": {"provider": "p", "command": "c"}}]}`))
		prog, err := segment.Compile(rules, segment.AllowUnknownProviders())
		if err != nil {
			t.Fatal(err)
		}
		if len(prog.Evaluate(e)) != 1 {
			t.Errorf("%s: purchase.status eq %s does not hold", tc.status, tc.ruleValue)
		}
	}
}

func TestSyntheticEventMinimalSale(t *testing.T) {
	e, err := accounts.SyntheticEvent("acme", accounts.Sale{Transaction: "HP9", Status: "APPROVED", ProductID: "abc-ucode"}, time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Purchase(); err != nil {
		t.Fatal(err)
	}
	if string(e.Product().ID) != "abc-ucode" {
		t.Errorf("product id = %q", e.Product().ID)
	}
}

func TestSyntheticEventRefuses(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     accounts.Sale
		field string
	}{
		{"no transaction", accounts.Sale{Status: "APPROVED"}, "transaction"},
		{"spaces in the transaction", accounts.Sale{Transaction: "HP 1", Status: "APPROVED"}, "transaction"},
		{"price not a number", accounts.Sale{Transaction: "HP1", Status: "APPROVED", Price: "1,50"}, "price"},
		{"price as JSON injection", accounts.Sale{Transaction: "HP1", Status: "APPROVED", Price: `1, "x": 2`}, "price"},
		{"negative installments", accounts.Sale{Transaction: "HP1", Status: "APPROVED", Installments: -1}, "installments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := accounts.SyntheticEvent("acme", tc.s, time.Now())
			var se *accounts.SaleError
			if e != nil || !errors.As(err, &se) || se.Field != tc.field {
				t.Fatalf("= %v, %v; want a *SaleError on %s", e, err, tc.field)
			}
		})
	}
	// A status that implies nothing is not an error.
	if e, err := accounts.SyntheticEvent("acme", accounts.Sale{Transaction: "HP1", Status: "STARTED"}, time.Now()); e != nil || err != nil {
		t.Errorf("STARTED = %v, %v; want nothing", e, err)
	}
}

func TestSaleNeverShowsBuyer(t *testing.T) {
	s := sale("HP1", "APPROVED", time.Now())
	for _, out := range []string{s.String(), s.GoString(), s.LogValue().String()} {
		if strings.Contains(out, "ana@") || strings.Contains(out, "Ana") {
			t.Errorf("sale printed with buyer data: %s", out)
		}
	}
}
