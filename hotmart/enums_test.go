package hotmart_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func TestPurchaseStatus_Canonical(t *testing.T) {
	tests := []struct{ in, want hotmart.PurchaseStatus }{
		{"COMPLETED", hotmart.StatusComplete},
		{"COMPLETE", hotmart.StatusComplete},
		{"completed", hotmart.StatusComplete},
		{"CANCELED", hotmart.StatusCancelled},
		{"CANCELLED", hotmart.StatusCancelled},
		{"canceled", hotmart.StatusCancelled},
		{"BILLET_PRINTED", hotmart.StatusPrintedBillet},
		{"PRINTED_BILLET", hotmart.StatusPrintedBillet},
		{"billet_printed", hotmart.StatusPrintedBillet},
		{"PROTESTED", hotmart.StatusDispute},
		{"dispute", hotmart.StatusDispute},
		{"UNDER_ANALYSIS", hotmart.StatusUnderAnalysis},
		{"wayting_payment", hotmart.StatusWaitingPayment},
		{"approved", hotmart.StatusApproved},
		{"DELAYED", hotmart.StatusDelayed},
		{"brand_new", "BRAND_NEW"},
		{"", ""},
	}
	for _, tt := range tests {
		eq(t, string(tt.in), tt.in.Canonical(), tt.want)
	}
	eq(t, "Equal", hotmart.StatusCompleted.Equal(hotmart.StatusComplete), true)
	eq(t, "not Equal", hotmart.StatusApproved.Equal(hotmart.StatusComplete), false)
}

func TestPaymentType_Canonical(t *testing.T) {
	tests := []struct{ in, want hotmart.PaymentType }{
		{"CASHPAYMENT", hotmart.PaymentCashPayment},
		{"CASH_PAYMENT", hotmart.PaymentCashPayment},
		{"cashpayment", hotmart.PaymentCashPayment},
		{"credit_card", hotmart.PaymentCreditCard},
		{"PAYPAL_INTERNATIONAL", hotmart.PaymentPaypalInternacional},
		{"PIX", hotmart.PaymentPix},
		{"CRYPTO", "CRYPTO"},
	}
	for _, tt := range tests {
		eq(t, string(tt.in), tt.in.Canonical(), tt.want)
	}
}

func TestSubscriptionStatus_Canonical(t *testing.T) {
	tests := []struct {
		in, want  hotmart.SubscriptionStatus
		cancelled bool
	}{
		{"CANCELED_BY_VENDOR", hotmart.SubscriptionCancelledBySeller, true},
		{"CANCELLED_BY_SELLER", hotmart.SubscriptionCancelledBySeller, true},
		{"CANCELED_BY_SELLER", hotmart.SubscriptionCancelledBySeller, true},
		{"canceled_by_customer", hotmart.SubscriptionCancelledByCustomer, true},
		{"CANCELED_BY_ADMIN", hotmart.SubscriptionCancelledByAdmin, true},
		{"PAST_DUE", hotmart.SubscriptionOverdue, false},
		{"active", hotmart.SubscriptionActive, false},
		{"PAUSED", "PAUSED", false},
	}
	for _, tt := range tests {
		eq(t, string(tt.in), tt.in.Canonical(), tt.want)
		eq(t, string(tt.in)+" IsCancelled", tt.in.IsCancelled(), tt.cancelled)
	}
	eq(t, "Equal", hotmart.SubscriptionCanceledByVendor.Equal(hotmart.SubscriptionCancelledBySeller), true)
}

func TestCommissionSource_Canonical(t *testing.T) {
	eq(t, "CO_PRODUCER", hotmart.CommissionSource("CO_PRODUCER").Canonical(), hotmart.SourceCoproducer)
	eq(t, "marketplace", hotmart.CommissionSource("marketplace").Canonical(), hotmart.SourceMarketplace)
	d := mustPurchase(t, parseFixture(t, "events/PURCHASE_COMPLETE.new-fields.json"))
	c, ok := d.Commission(hotmart.SourceCoproducer)
	eq(t, "co_producer commission found", ok, true)
	eq(t, "value", c.Value, "10")
	_, ok = d.Commission(hotmart.SourceAffiliate)
	eq(t, "no affiliate commission", ok, false)
}

func TestDocumentType_Canonical(t *testing.T) {
	eq(t, "cpf", hotmart.DocumentType("cpf").Canonical(), hotmart.DocumentCPF)
}

func TestEventType_Family(t *testing.T) {
	eq(t, "purchase", hotmart.EventPurchaseDelayed.Family(), hotmart.FamilyPurchase)
	eq(t, "cart", hotmart.EventPurchaseOutOfShoppingCart.Family(), hotmart.FamilyCartAbandonment)
	eq(t, "unknown", hotmart.EventType("PURCHASE_COMPLETED").Family(), hotmart.FamilyUnknown)
	eq(t, "family name", hotmart.FamilyChargeDateUpdate.String(), "charge_date_update")
	eq(t, "bad family name", hotmart.Family(99).String(), "unknown")
}
