package hotmart

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// ParseEvent decodes a webhook body of payload version 2.0.0.
//
// It fails, with an error matching ErrMalformed and a nil event, when the
// envelope is unusable: an empty body, text that is not JSON or not a JSON
// object, a missing or empty "id" or "event", or an envelope field of the
// wrong type. Unknown event types are not an error: they decode into the
// envelope with Raw set.
//
// A data section that is valid JSON but does not fit its event's shape (a
// field of an unexpected type) does not hide the envelope: ParseEvent then
// returns the event together with the error, so callers that only need ID,
// Type, CreatedAt and Raw can still use it, and the event's typed accessor
// and DataErr return the same error. Callers that want all-or-nothing
// simply treat any error as failure.
//
// Top-level keys are matched exactly (Hotmart sends them in lower case);
// when a key repeats, its last non-null value wins. The event does not
// alias body: the caller may reuse the buffer.
func ParseEvent(body []byte) (*Event, error) {
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) == 0 {
		return nil, &DecodeError{Reason: "empty body"}
	}
	if trimmed[0] != '{' {
		if !json.Valid(trimmed) {
			return nil, &DecodeError{Reason: "body is not JSON"}
		}
		return nil, &DecodeError{Reason: "body is a JSON " + jsonKind(trimmed) + ", not an object"}
	}
	var env envelope
	if err := scanEnvelope(trimmed, &env); err != nil {
		return nil, err
	}
	e := &Event{
		ID:        string(env.ID),
		Type:      EventType(env.Event),
		Version:   env.Version,
		CreatedAt: env.CreationDate.Time,
		Hottok:    env.Hottok,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = env.CreationDateCamel.Time
	}
	if len(env.Data) > 0 && !bytes.Equal(env.Data, jsonNull) {
		e.Raw = bytes.Clone(env.Data)
	}
	switch {
	case e.ID == "":
		return nil, &DecodeError{Field: "id", Reason: "missing or empty"}
	case e.Type == "":
		return nil, &DecodeError{Field: "event", Reason: "missing or empty"}
	}
	if e.Type.Family() == FamilyUnknown {
		// Nothing decodes the data of an unknown event, so validate it here.
		if !env.dataValidated && len(e.Raw) > 0 && !json.Valid(e.Raw) {
			return nil, &DecodeError{Field: "data", Reason: "invalid JSON"}
		}
		return e, nil
	}
	if err := e.decodeData(); err != nil {
		var syntaxErr *json.SyntaxError
		if errors.As(err, &syntaxErr) {
			return nil, err // the body is not JSON: there is no envelope to keep
		}
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
		var err error
		if p, ok := target.(*PurchaseData); ok {
			err = unmarshalPurchase(e.Raw, p) // most traffic: the hand-written decoder
		} else {
			err = json.Unmarshal(e.Raw, target)
		}
		if err != nil {
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
		// encoding/json writes "number 1.5" for a number that does not fit
		// an integer: keep only the kind, never the value.
		kind := typeErr.Value
		if strings.HasPrefix(kind, "number ") {
			kind = "number"
		}
		return &DecodeError{Field: field, Reason: "cannot hold " + kind + " (want " + typeErr.Type.String() + ")", Err: err}
	case errors.As(err, &syntaxErr):
		return &DecodeError{Field: prefix, Reason: "invalid JSON at byte " + strconv.FormatInt(syntaxErr.Offset, 10), Err: err}
	default:
		return &DecodeError{Field: prefix, Reason: "cannot be decoded", Err: err}
	}
}
