package hotmart

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// MaxEventIDLength is the longest envelope id ParseEvent accepts, in bytes.
// Hotmart's ids are 36-byte UUIDs; the bound keeps a flood of forged
// deliveries from filling deduplication stores with huge keys.
const MaxEventIDLength = 256

// ParseEvent decodes a webhook body of payload version 2.0.0.
//
// It fails, with an error matching ErrMalformed and a nil event, when the
// envelope is unusable: an empty body, text that is not JSON or not a JSON
// object, a missing or empty "id" or "event", an id longer than
// MaxEventIDLength bytes, or an envelope field of the wrong type. Unknown
// event types are not an error: they decode into the envelope with Raw set.
//
// In the data section, a value that does not fit its field (an unreadable
// warranty_date, a price of 1e400, an object where a string belongs) does
// not hide the rest: the field is left absent, everything else is decoded,
// and the problem is listed in Event.Warnings. The data section fails as a
// whole only when it is not an object, or when a value no action can run
// without is unreadable: the buyer's e-mail (data.buyer.email,
// data.subscriber.email, data.user.email, data.subscription.user.email,
// data.purchase.shopper.email) or the purchase's transaction. ParseEvent then
// returns the event together with the error, so callers that only need ID,
// Type, CreatedAt and Raw can still use it, and the event's typed accessor
// and DataErr return the same error.
//
// Keys match exactly (Hotmart sends them in lower case; "HOTTOK" is not the
// hottok); when a key repeats, its last non-null value wins at the top
// level and its last value inside data. The event does not alias body: the
// caller may reuse the buffer.
func ParseEvent(body []byte) (*Event, error) {
	p := parserPool.Get().(*parser)
	defer parserPool.Put(p)
	env := envelope{decode: true}
	if err := p.envelope(body, &env); err != nil {
		return nil, err
	}
	e := &Event{
		ID:        string(env.id),
		Type:      EventType(env.event),
		Version:   env.version,
		CreatedAt: env.created.Time,
		Hottok:    env.hottok,
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = env.createdCamel.Time
	}
	if env.data != nil {
		e.Raw = bytes.Clone(env.data)
	}
	switch {
	case e.ID == "":
		return nil, &DecodeError{Field: "id", Reason: ReasonMissing}
	case len(e.ID) > MaxEventIDLength:
		return nil, &DecodeError{Field: "id", Reason: ReasonTooLong, Detail: "longer than 256 bytes"}
	case e.Type == "":
		return nil, &DecodeError{Field: "event", Reason: ReasonMissing}
	}
	if env.decoded != nil && env.decodedAs == e.Type.Family() {
		e.data = env.decoded
		return e, nil
	}
	if err := e.decodeData(); err != nil {
		e.dataErr = err
		return e, err
	}
	return e, nil
}

// BodyHottok returns the top-level "hottok" of a JSON webhook body, read
// exactly as ParseEvent reads it (the key matched exactly, the last non-null
// value winning), or "" when the body has none, is not a JSON object or has
// a hottok that is not a string. Other members are validated as JSON and
// skipped, not decoded, so a body whose envelope is otherwise malformed
// still shows its hottok (and can be refused as malformed, not
// unauthorized). The webhook handler uses it when a delivery has no hottok header.
func BodyHottok(body []byte) string {
	p := parserPool.Get().(*parser)
	defer parserPool.Put(p)
	env := envelope{hottokOnly: true}
	if p.envelope(body, &env) != nil {
		return ""
	}
	return env.hottok
}

// envelope is the 2.0.0 top level.
type envelope struct {
	id           ID
	event        string
	version      string
	hottok       string
	created      Time
	createdCamel Time
	data         []byte // the data value as sent (aliases the body); nil when absent or null

	// With decode set, the data object is decoded as it is read, in the
	// same pass (decoded, in the shape of decodedAs): in the shape of the
	// event already read, or, when data comes first (as in Hotmart's own
	// test sends), in the purchase shape, which most traffic has. When the
	// guess was wrong, when data repeats, or when a field is unreadable
	// (which needs the warnings machinery), decodeData decodes Raw again.
	decode    bool
	decoded   any
	decodedAs Family

	hottokOnly bool // read nothing but the hottok (BodyHottok)
}

// parser reads envelopes; pooled, since a jsontext.Decoder is large.
type parser struct {
	buf bytes.Buffer
	dec jsontext.Decoder
}

var parserPool = sync.Pool{New: func() any { return new(parser) }}

// envelope reads the top level of body into env. The decoder reads body in
// place (a bytes.Buffer is not copied), so env.data aliases body.
func (p *parser) envelope(body []byte, env *envelope) *DecodeError {
	p.buf = *bytes.NewBuffer(body)
	dec := &p.dec
	dec.Reset(&p.buf, decodeOpts)
	defer func() {
		// Drop the reference to body before the parser goes back to the pool.
		p.buf = bytes.Buffer{}
		dec.Reset(&p.buf, decodeOpts)
	}()
	switch k := dec.PeekKind(); k {
	case '{':
	case 0:
		if len(bytes.TrimSpace(body)) == 0 {
			return &DecodeError{Reason: ReasonSyntax, Detail: "empty body"}
		}
		_, err := dec.ReadToken()
		return libraryError("", body, err)
	default:
		if _, err := dec.ReadValue(); err != nil {
			return libraryError("", body, err)
		}
		return &DecodeError{Reason: ReasonType, Detail: "body is a JSON " + kindName(k) + ", not an object"}
	}
	if _, err := dec.ReadToken(); err != nil {
		return libraryError("", body, err)
	}
	for dec.PeekKind() != '}' {
		name, err := dec.ReadValue()
		if err != nil {
			return libraryError("", body, err)
		}
		if env.decode && dec.PeekKind() == '{' && string(name) == `"data"` && env.guess() != FamilyUnknown {
			if ok, err := env.decodeInline(dec, body); err != nil {
				return err
			} else if ok {
				continue
			}
			// Start again in two passes: the decoder stopped inside data.
			*env = envelope{}
			return p.envelope(body, env)
		}
		v, err := dec.ReadValue()
		if err != nil {
			return libraryError("", body, err)
		}
		if err := env.set(name, v); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return libraryError("", body, err)
	}
	return atEnd(dec)
}

// guess is the family the data section is decoded as in the envelope's
// pass: the event's, or purchase when the event is not known yet.
func (env *envelope) guess() Family {
	if env.event == "" {
		return FamilyPurchase
	}
	return EventType(env.event).Family()
}

// decodeInline decodes the data object at the decoder's position into the
// shape of the event read before it. ok is false when the object does not
// decode cleanly; err is set only for a syntax error (the body is not
// JSON).
func (env *envelope) decodeInline(dec *jsontext.Decoder, body []byte) (ok bool, err *DecodeError) {
	fam := env.guess()
	target := emptyData(fam)
	start := dec.InputOffset()
	if uerr := json.UnmarshalDecode(dec, target); uerr != nil {
		var syn *jsontext.SyntacticError
		if errors.As(uerr, &syn) {
			return false, libraryError("", body, uerr)
		}
		return false, nil
	}
	env.data = bytes.TrimLeft(body[start:dec.InputOffset()], " \t\r\n:")
	env.decoded, env.decodedAs = target, fam
	return true, nil
}

// set stores one top-level member. null keeps what an earlier repeat of the
// key set.
func (env *envelope) set(name, v jsontext.Value) *DecodeError {
	key := name[1 : len(name)-1]
	if bytes.IndexByte(key, '\\') >= 0 {
		s, _ := unquote(name)
		key = []byte(s)
	}
	if env.hottokOnly && string(key) != "hottok" {
		return nil
	}
	var err error
	switch string(key) { // no allocation: only compared
	case "id":
		err = env.id.set(v)
	case "event":
		err = setString(&env.event, v)
	case "version":
		err = setString(&env.version, v)
	case "hottok":
		err = setString(&env.hottok, v)
	case "creation_date":
		err = env.created.set(v)
	case "creationDate":
		err = env.createdCamel.set(v)
	case "data":
		if v.Kind() != 'n' {
			env.data, env.decoded = v, nil
		}
	}
	if err != nil {
		return libraryError(string(key), nil, err)
	}
	return nil
}

func setString(dst *string, v []byte) error {
	switch v[0] {
	case '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		*dst = s
	case 'n':
	default:
		return kindError(v, "string")
	}
	return nil
}

// decodeData decodes Raw into the shape of the event's family.
func (e *Event) decodeData() error {
	shape := shapes[e.Type.Family()]
	switch {
	case len(e.Raw) == 0:
		e.data = emptyData(e.Type.Family())
		return nil
	case shape.essential == nil:
		return nil // unknown event: Raw is all there is
	case e.Raw[0] != '{':
		return &DecodeError{Field: "data", Reason: ReasonType, Detail: "got " + jsonKind(e.Raw) + ", want object"}
	}
	data, warnings, err := decodeData(e.Raw, "data", shape.new, shape.essential)
	if err != nil {
		return err
	}
	e.data, e.Warnings = data, warnings
	return nil
}

// shapes gives, per family, its data shape and the fields of that shape no
// action can run without: an unreadable value there fails the section.
var shapes = [...]struct {
	new       func() any
	essential []string
}{
	FamilyPurchase:                 {func() any { return new(PurchaseData) }, []string{"data.buyer.email", "data.purchase.transaction"}},
	FamilyCartAbandonment:          {func() any { return new(CartAbandonmentData) }, []string{"data.buyer.email"}},
	FamilySubscriptionCancellation: {func() any { return new(SubscriptionCancellationData) }, []string{"data.subscriber.email"}},
	FamilySwitchPlan:               {func() any { return new(SwitchPlanData) }, []string{"data.subscription.user.email"}},
	FamilyChargeDateUpdate:         {func() any { return new(ChargeDateUpdateData) }, []string{"data.subscriber.email"}},
	FamilyClubFirstAccess:          {func() any { return new(ClubFirstAccessData) }, []string{"data.user.email"}},
	FamilyClubModuleCompleted:      {func() any { return new(ClubModuleCompletedData) }, []string{"data.user.email"}},
	FamilyOrderFulfillment:         {func() any { return new(OrderFulfillmentData) }, []string{"data.purchase.shopper.email", "data.purchase.transaction"}},
}

// emptyData is the zero value of the family's data shape, nil for an
// unknown family.
func emptyData(f Family) any {
	if f <= FamilyUnknown || int(f) >= len(shapes) {
		return nil
	}
	return shapes[f].new()
}

// atEnd checks that nothing but whitespace follows the top-level value: a
// jsontext.Decoder reads a stream of values, a body holds one.
func atEnd(dec *jsontext.Decoder) *DecodeError {
	_, err := dec.ReadToken()
	switch err {
	case io.EOF:
		return nil
	case nil:
		return &DecodeError{Reason: ReasonSyntax, Detail: "data after the top-level object"}
	}
	return libraryError("", nil, err)
}
