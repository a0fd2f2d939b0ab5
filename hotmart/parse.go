package hotmart

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
)

// envelope is the 2.0.0 top level. Both creation_date spellings are read.
type envelope struct {
	ID                ID              `json:"id"`
	Event             string          `json:"event"`
	Version           string          `json:"version"`
	CreationDate      Time            `json:"creation_date"`
	CreationDateCamel Time            `json:"creationDate"`
	Hottok            string          `json:"hottok"`
	Data              json.RawMessage `json:"data"`
}

// ParseEvent decodes a webhook body of payload version 2.0.0.
//
// It fails, with an error matching ErrMalformed, only when the envelope is
// unusable: an empty body, text that is not a JSON object, a missing "id" or
// "event", or an envelope field of the wrong type. Unknown event types are
// not an error: they decode into the envelope with Raw set.
//
// A data section that does not decode (a field of an unexpected type) does
// not hide the envelope either: ParseEvent then returns the event together
// with the error, so callers that only need ID, Type, CreatedAt and Raw can
// still use it, and the event's typed accessor returns the same error.
func ParseEvent(body []byte) (*Event, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &DecodeError{Reason: "empty body"}
	}
	if trimmed[0] != '{' {
		return nil, &DecodeError{Reason: "body is not a JSON object"}
	}
	var env envelope
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return nil, decodeError("", err)
	}
	switch {
	case env.ID == "":
		return nil, &DecodeError{Field: "id", Reason: "missing"}
	case env.Event == "":
		return nil, &DecodeError{Field: "event", Reason: "missing"}
	}
	e := &Event{
		ID:        string(env.ID),
		Type:      EventType(env.Event),
		Version:   env.Version,
		CreatedAt: env.CreationDate.Time,
		Hottok:    env.Hottok,
		Raw:       env.Data,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = env.CreationDateCamel.Time
	}
	if bytes.Equal(e.Raw, jsonNull) {
		e.Raw = nil
	}
	if err := e.decodeData(); err != nil {
		e.dataErr = err
		return e, err
	}
	return e, nil
}

// decodeData decodes Raw into the shape of the event's family.
func (e *Event) decodeData() error {
	var target any
	switch e.Type.Family() {
	case FamilyPurchase:
		target = new(PurchaseData)
	case FamilyCartAbandonment:
		target = new(CartAbandonmentData)
	case FamilySubscriptionCancellation:
		target = new(SubscriptionCancellationData)
	case FamilySwitchPlan:
		target = new(SwitchPlanData)
	case FamilyChargeDateUpdate:
		target = new(ChargeDateUpdateData)
	case FamilyClubFirstAccess:
		target = new(ClubFirstAccessData)
	case FamilyClubModuleCompleted:
		target = new(ClubModuleCompletedData)
	case FamilyOrderFulfillment:
		target = new(OrderFulfillmentData)
	default:
		return nil
	}
	if len(e.Raw) > 0 {
		if e.Raw[0] != '{' {
			return &DecodeError{Field: "data", Reason: "must be an object, got " + jsonKind(e.Raw)}
		}
		if err := json.Unmarshal(e.Raw, target); err != nil {
			return decodeError("data", err)
		}
	}
	e.data = target
	return nil
}

// unmarshalObject is json.Unmarshal for the custom decoders of object types:
// it keeps their error reports as precise as the standard decoder's.
func unmarshalObject(b []byte, v any) error {
	if len(b) > 0 && b[0] != '{' && !bytes.Equal(b, jsonNull) {
		return typeError(jsonKind(b), reflect.TypeOf(v).Elem())
	}
	return json.Unmarshal(b, v)
}

// decodeError turns an encoding/json error into a DecodeError naming the
// field, without echoing the offending value (it may be personal data).
func decodeError(prefix string, err error) *DecodeError {
	var (
		typeErr   *json.UnmarshalTypeError
		syntaxErr *json.SyntaxError
	)
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if prefix != "" {
			if field == "" {
				field = prefix
			} else {
				field = prefix + "." + field
			}
		}
		return &DecodeError{Field: field, Reason: "cannot hold " + typeErr.Value + " (want " + typeErr.Type.String() + ")", Err: err}
	case errors.As(err, &syntaxErr):
		return &DecodeError{Field: prefix, Reason: "invalid JSON at byte " + strconv.FormatInt(syntaxErr.Offset, 10), Err: err}
	default:
		return &DecodeError{Field: prefix, Reason: err.Error(), Err: err}
	}
}
