package hotmart

// EventType is the envelope's "event" field. It is an open type: names
// Hotmart adds later decode without error and report FamilyUnknown.
type EventType string

// The 16 webhook events of payload version 2.0.0.
const (
	EventPurchaseApproved             EventType = "PURCHASE_APPROVED"
	EventPurchaseComplete             EventType = "PURCHASE_COMPLETE"
	EventPurchaseCanceled             EventType = "PURCHASE_CANCELED"
	EventPurchaseBilletPrinted        EventType = "PURCHASE_BILLET_PRINTED"
	EventPurchaseProtest              EventType = "PURCHASE_PROTEST"
	EventPurchaseRefunded             EventType = "PURCHASE_REFUNDED"
	EventPurchaseChargeback           EventType = "PURCHASE_CHARGEBACK"
	EventPurchaseExpired              EventType = "PURCHASE_EXPIRED"
	EventPurchaseDelayed              EventType = "PURCHASE_DELAYED"
	EventPurchaseOutOfShoppingCart    EventType = "PURCHASE_OUT_OF_SHOPPING_CART"
	EventSubscriptionCancellation     EventType = "SUBSCRIPTION_CANCELLATION"
	EventSwitchPlan                   EventType = "SWITCH_PLAN"
	EventUpdateSubscriptionChargeDate EventType = "UPDATE_SUBSCRIPTION_CHARGE_DATE"
	EventClubFirstAccess              EventType = "CLUB_FIRST_ACCESS"
	EventClubModuleCompleted          EventType = "CLUB_MODULE_COMPLETED"
	EventOrderFulfillment             EventType = "ORDER_FULFILLMENT"
)

// EventTypes returns the 16 known event types in catalogue order.
func EventTypes() []EventType {
	return []EventType{
		EventPurchaseApproved, EventPurchaseComplete, EventPurchaseCanceled,
		EventPurchaseBilletPrinted, EventPurchaseProtest, EventPurchaseRefunded,
		EventPurchaseChargeback, EventPurchaseExpired, EventPurchaseDelayed,
		EventPurchaseOutOfShoppingCart, EventSubscriptionCancellation, EventSwitchPlan,
		EventUpdateSubscriptionChargeDate, EventClubFirstAccess, EventClubModuleCompleted,
		EventOrderFulfillment,
	}
}

// Family groups event types that share one data shape.
type Family int

// Families of events; each has one typed accessor on Event.
const (
	FamilyUnknown                  Family = iota
	FamilyPurchase                        // the nine PURCHASE_* events except cart abandonment: Event.Purchase
	FamilyCartAbandonment                 // PURCHASE_OUT_OF_SHOPPING_CART: Event.CartAbandonment
	FamilySubscriptionCancellation        // Event.SubscriptionCancellation
	FamilySwitchPlan                      // Event.SwitchPlan
	FamilyChargeDateUpdate                // UPDATE_SUBSCRIPTION_CHARGE_DATE: Event.ChargeDateUpdate
	FamilyClubFirstAccess                 // Event.ClubFirstAccess
	FamilyClubModuleCompleted             // Event.ClubModuleCompleted
	FamilyOrderFulfillment                // Event.OrderFulfillment
)

var familyNames = [...]string{"unknown", "purchase", "cart_abandonment", "subscription_cancellation",
	"switch_plan", "charge_date_update", "club_first_access", "club_module_completed", "order_fulfillment"}

// String returns a short lower-case name for the family.
func (f Family) String() string {
	if f < 0 || int(f) >= len(familyNames) {
		return "unknown"
	}
	return familyNames[f]
}

// Family returns the data shape the event type carries.
func (t EventType) Family() Family {
	switch t {
	case EventPurchaseApproved, EventPurchaseComplete, EventPurchaseCanceled,
		EventPurchaseBilletPrinted, EventPurchaseProtest, EventPurchaseRefunded,
		EventPurchaseChargeback, EventPurchaseExpired, EventPurchaseDelayed:
		return FamilyPurchase
	case EventPurchaseOutOfShoppingCart:
		return FamilyCartAbandonment
	case EventSubscriptionCancellation:
		return FamilySubscriptionCancellation
	case EventSwitchPlan:
		return FamilySwitchPlan
	case EventUpdateSubscriptionChargeDate:
		return FamilyChargeDateUpdate
	case EventClubFirstAccess:
		return FamilyClubFirstAccess
	case EventClubModuleCompleted:
		return FamilyClubModuleCompleted
	case EventOrderFulfillment:
		return FamilyOrderFulfillment
	}
	return FamilyUnknown
}

// Known reports whether t is one of the 16 documented event types.
func (t EventType) Known() bool { return t.Family() != FamilyUnknown }

// String returns the event name.
func (t EventType) String() string { return string(t) }
