package segment_test

import (
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func TestSpellingDrift(t *testing.T) {
	tests := []struct {
		field, rule, sent string
		want              bool
	}{
		{"purchase.status", "COMPLETE", "COMPLETED", true},
		{"purchase.status", "completed", "COMPLETE", true},
		{"purchase.status", "CANCELLED", "CANCELED", true},
		{"purchase.status", "PRINTED_BILLET", "BILLET_PRINTED", true},
		{"purchase.status", "DISPUTE", "PROTESTED", true},
		{"purchase.status", "UNDER_ANALYSIS", "UNDER_ANALISYS", true},
		{"purchase.status", "WAITING_PAYMENT", "wayting_payment", true},
		{"purchase.status", "APPROVED", "COMPLETED", false},
		{"purchase.payment.type", "CASH_PAYMENT", "CASHPAYMENT", true},
		{"purchase.payment.type", "paypal_international", "PAYPAL_INTERNACIONAL", true},
		{"subscription.status", "CANCELED_BY_VENDOR", "CANCELLED_BY_SELLER", true},
		{"subscription.status", "CANCELLED_BY_SELLER", "CANCELED_BY_VENDOR", true},
		{"subscription.status", "CANCELLED_BY_SELLER", "CANCELED_BY_SELLER", true},
		{"subscription.status", "CANCELLED_BY_CUSTOMER", "canceled_by_customer", true},
		{"subscription.status", "OVERDUE", "PAST_DUE", true},
		{"subscription.status", "CANCELLED_BY_CUSTOMER", "CANCELED_BY_VENDOR", false},
	}
	for _, tt := range tests {
		t.Run(tt.field+" "+tt.rule+" vs "+tt.sent, func(t *testing.T) {
			e := purchaseEvent(t, hotmart.EventPurchaseApproved, func(d *hotmart.PurchaseData) {
				d.Purchase.Status = hotmart.PurchaseStatus(tt.sent)
				d.Purchase.Payment.Type = hotmart.PaymentType(tt.sent)
				d.Subscription = &hotmart.PurchaseSubscription{Status: hotmart.SubscriptionStatus(tt.sent)}
			})
			for _, op := range []segment.Op{segment.OpEq, segment.OpIn} {
				v := `"` + tt.rule + `"`
				if op == segment.OpIn {
					v = "[" + v + "]"
				}
				if got := holds(t, e, tt.field, op, v); got != tt.want {
					t.Errorf("%s: got %v, want %v", op, got, tt.want)
				}
			}
		})
	}
}

func TestSubscriptionStatusOnEveryFamily(t *testing.T) {
	// The same rule sees CANCELED_BY_VENDOR (SWITCH_PLAN, charge-date
	// spelling) and CANCELLED_BY_SELLER (purchase spelling) alike.
	p := mustCompile(t, `{"segmentations": [{"id": "seller-cancel", "active": true,
	  "events": ["PURCHASE_CANCELED", "SWITCH_PLAN", "UPDATE_SUBSCRIPTION_CHARGE_DATE"],
	  "conditions": [{"field": "subscription.status", "op": "eq", "value": "CANCELLED_BY_SELLER"}],
	  "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
	mk := func(typ hotmart.EventType, data any) *hotmart.Event {
		e, err := hotmart.NewEvent("x", typ, time.Time{}, data)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	events := []*hotmart.Event{
		mk(hotmart.EventPurchaseCanceled, &hotmart.PurchaseData{Subscription: &hotmart.PurchaseSubscription{Status: "CANCELLED_BY_SELLER"}}),
		mk(hotmart.EventSwitchPlan, &hotmart.SwitchPlanData{Subscription: hotmart.SwitchPlanSubscription{Status: "CANCELED_BY_VENDOR"}}),
		mk(hotmart.EventUpdateSubscriptionChargeDate, &hotmart.ChargeDateUpdateData{Subscription: hotmart.ChargeDateSubscription{Status: "CANCELED_BY_VENDOR"}}),
	}
	for _, e := range events {
		if len(p.Evaluate(e)) != 1 {
			t.Errorf("%s: no match", e.Type)
		}
	}
}

func TestConcurrentEvaluate(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [{"id": "a", "active": true, "events": ["PURCHASE_APPROVED"],
	  "conditions": [{"field": "buyer.phone", "op": "prefix", "value": "+55"}],
	  "action": {"provider": "fake", "command": "tag", "list": 1, "label": "{{buyer.name}} {{buyer.phone}}"}}]}`)
	e := purchaseEvent(t, hotmart.EventPurchaseApproved, nil)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				ms := p.Evaluate(e)
				if len(ms) != 1 || ms[0].Render(ms[0].Params.(*tagParams).Label) != "Ana Souza +5531999998888" {
					t.Error("unexpected result under concurrency")
					return
				}
				_ = p.Explain(e)
			}
		}()
	}
	wg.Wait()
}
