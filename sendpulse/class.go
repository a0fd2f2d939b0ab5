package sendpulse

import "github.com/hotmartkit/hotmartkit/hotmart"

// Class is the payment state of a Hotmart purchase as the CRM sees it; each
// class maps to one pipeline step in an upsert_deal action.
type Class string

// The four payment classes, as named in the rules file's "stages" object.
const (
	ClassPending  Class = "pending"  // billet printed, waiting for payment
	ClassPaid     Class = "paid"     // approved or complete
	ClassFailed   Class = "failed"   // cancelled, expired, delayed
	ClassRefunded Class = "refunded" // refunded, chargeback, protest
)

// Classes lists the classes in the order a sale usually passes them.
func Classes() []Class { return []Class{ClassPending, ClassPaid, ClassFailed, ClassRefunded} }

// PaymentClass classifies a purchase event by its type, falling back to the
// purchase status (canonical form) for event types it does not know. It
// reports false for events that are not about a payment (cart abandonment,
// subscriptions, members area) and for statuses outside the four classes.
func PaymentClass(e *hotmart.Event) (Class, bool) {
	if e == nil {
		return "", false
	}
	switch e.Type {
	case hotmart.EventPurchaseBilletPrinted:
		return ClassPending, true
	case hotmart.EventPurchaseApproved, hotmart.EventPurchaseComplete:
		return ClassPaid, true
	case hotmart.EventPurchaseCanceled, hotmart.EventPurchaseExpired, hotmart.EventPurchaseDelayed:
		return ClassFailed, true
	case hotmart.EventPurchaseRefunded, hotmart.EventPurchaseChargeback, hotmart.EventPurchaseProtest:
		return ClassRefunded, true
	}
	d, err := e.Purchase()
	if err != nil {
		return "", false
	}
	return StatusClass(d.Purchase.Status)
}

// StatusClass classifies a purchase status in any of Hotmart's spellings.
func StatusClass(s hotmart.PurchaseStatus) (Class, bool) {
	switch s.Canonical() {
	case hotmart.StatusPrintedBillet, hotmart.StatusWaitingPayment:
		return ClassPending, true
	case hotmart.StatusApproved, hotmart.StatusComplete:
		return ClassPaid, true
	case hotmart.StatusCancelled, hotmart.StatusExpired, hotmart.StatusDelayed:
		return ClassFailed, true
	case hotmart.StatusRefunded, hotmart.StatusChargeback, hotmart.StatusDispute:
		return ClassRefunded, true
	}
	return "", false
}
