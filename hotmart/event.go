package hotmart

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Event is one decoded webhook delivery (payload version 2.0.0, or a legacy
// 1.0 postback mapped into the same model by ParseForm).
//
// The data section is decoded once, by ParseEvent, into the shape its Type
// calls for; the typed accessors (Purchase, CartAbandonment, …) return that
// value without further work. An Event is not modified after ParseEvent
// returns and may be shared between goroutines.
type Event struct {
	// ID is the envelope id, Hotmart's deduplication key (a UUID in real
	// traffic).
	ID string
	// Type is the event name. Unknown names are kept as sent.
	Type EventType
	// Version is the payload version ("2.0.0", or "1.0.0" for ParseForm).
	Version string
	// CreatedAt is the envelope's creation_date (or creationDate, which
	// Hotmart sends instead for some events). Zero when absent, and for
	// legacy postbacks, which carry no delivery time.
	CreatedAt time.Time
	// Hottok is the top-level body hottok when the body carried one. It is
	// a secret: Event's String, GoString and LogValue never show it, and
	// it is never marshalled.
	Hottok string `json:"-"`
	// Raw is the undecoded data section, kept so callers can read fields
	// Hotmart adds before this package models them; nil when the body had
	// no data or null. It never contains the envelope, and so never the
	// hottok, and it does not alias the parsed body. For a legacy postback
	// (ParseForm) it is a JSON object of the postback's fields, as strings.
	Raw json.RawMessage
	// Warnings lists the fields of the data section that could not be read
	// and were left absent (see ParseEvent); nil when every field decoded.
	// Each has its Field path and Reason; none shows a value.
	Warnings []*DecodeError

	data    any   // *PurchaseData, *CartAbandonmentData, … by Family
	dataErr error // why the data section could not be decoded
}

// ErrMalformed is matched (with errors.Is) by every error that reports a body
// that is not a well-formed Hotmart event.
var ErrMalformed = errors.New("hotmart: malformed event")

// ErrWrongFamily is returned by a typed accessor called on an event of
// another family, e.g. Purchase on a SWITCH_PLAN event.
var ErrWrongFamily = errors.New("hotmart: event does not carry this data shape")

// Family returns the data shape of the event.
func (e *Event) Family() Family { return e.Type.Family() }

// DataErr returns the error met while decoding the data section, or nil.
// When it is non-nil the envelope fields and Raw are still valid, and the
// typed accessor of the event's family returns the same error.
func (e *Event) DataErr() error { return e.dataErr }

// Purchase returns the data of the nine purchase events.
func (e *Event) Purchase() (*PurchaseData, error) { return dataAs[*PurchaseData](e, FamilyPurchase) }

// CartAbandonment returns the data of PURCHASE_OUT_OF_SHOPPING_CART.
func (e *Event) CartAbandonment() (*CartAbandonmentData, error) {
	return dataAs[*CartAbandonmentData](e, FamilyCartAbandonment)
}

// SubscriptionCancellation returns the data of SUBSCRIPTION_CANCELLATION.
func (e *Event) SubscriptionCancellation() (*SubscriptionCancellationData, error) {
	return dataAs[*SubscriptionCancellationData](e, FamilySubscriptionCancellation)
}

// SwitchPlan returns the data of SWITCH_PLAN.
func (e *Event) SwitchPlan() (*SwitchPlanData, error) {
	return dataAs[*SwitchPlanData](e, FamilySwitchPlan)
}

// ChargeDateUpdate returns the data of UPDATE_SUBSCRIPTION_CHARGE_DATE.
func (e *Event) ChargeDateUpdate() (*ChargeDateUpdateData, error) {
	return dataAs[*ChargeDateUpdateData](e, FamilyChargeDateUpdate)
}

// ClubFirstAccess returns the data of CLUB_FIRST_ACCESS.
func (e *Event) ClubFirstAccess() (*ClubFirstAccessData, error) {
	return dataAs[*ClubFirstAccessData](e, FamilyClubFirstAccess)
}

// ClubModuleCompleted returns the data of CLUB_MODULE_COMPLETED.
func (e *Event) ClubModuleCompleted() (*ClubModuleCompletedData, error) {
	return dataAs[*ClubModuleCompletedData](e, FamilyClubModuleCompleted)
}

// OrderFulfillment returns the data of ORDER_FULFILLMENT.
func (e *Event) OrderFulfillment() (*OrderFulfillmentData, error) {
	return dataAs[*OrderFulfillmentData](e, FamilyOrderFulfillment)
}

func dataAs[T any](e *Event, f Family) (T, error) {
	var zero T
	if e.Type.Family() != f {
		return zero, fmt.Errorf("%w: %s is not a %s event", ErrWrongFamily, e.Type, f)
	}
	if e.dataErr != nil {
		return zero, e.dataErr
	}
	v, ok := e.data.(T)
	if !ok {
		// Only reachable for an Event built by hand rather than by ParseEvent.
		return zero, fmt.Errorf("%w: event has no decoded %s data", ErrWrongFamily, f)
	}
	return v, nil
}

// String describes the event without any secret or personal data.
func (e Event) String() string {
	return fmt.Sprintf("hotmart.Event{ID:%q Type:%s Version:%q CreatedAt:%s}",
		e.ID, e.Type, e.Version, e.CreatedAt.Format(time.RFC3339))
}

// GoString is String, so %#v does not print the hottok either.
func (e Event) GoString() string { return e.String() }

// LogValue logs the event's id, type and version only.
func (e Event) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", e.ID),
		slog.String("type", string(e.Type)),
		slog.String("version", e.Version),
	)
}

// NewEvent builds an event in code, as tests and tools that synthesise
// events need: data must be the pointer type matching typ's family
// (*PurchaseData for purchase events, and so on) or nil. Raw is filled by
// marshalling data.
func NewEvent(id string, typ EventType, createdAt time.Time, data any) (*Event, error) {
	e := &Event{ID: id, Type: typ, Version: "2.0.0", CreatedAt: createdAt}
	if data == nil {
		return e, nil
	}
	if want := typ.Family(); want != familyOf(data) {
		return nil, fmt.Errorf("hotmart: %T is not the data of a %s event", data, typ)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	e.Raw, e.data = raw, data
	return e, nil
}

func familyOf(data any) Family {
	switch data.(type) {
	case *PurchaseData:
		return FamilyPurchase
	case *CartAbandonmentData:
		return FamilyCartAbandonment
	case *SubscriptionCancellationData:
		return FamilySubscriptionCancellation
	case *SwitchPlanData:
		return FamilySwitchPlan
	case *ChargeDateUpdateData:
		return FamilyChargeDateUpdate
	case *ClubFirstAccessData:
		return FamilyClubFirstAccess
	case *ClubModuleCompletedData:
		return FamilyClubModuleCompleted
	case *OrderFulfillmentData:
		return FamilyOrderFulfillment
	}
	return FamilyUnknown
}
