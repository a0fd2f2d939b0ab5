package hotmart

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// The purchase family is most of Hotmart's traffic, and decoding its data
// section with encoding/json (a validating pass, then a reflective one) was
// almost all of ParseEvent's cost. The decoder in this file reads it in one
// pass over a jsonReader and writes the fields directly.
//
// Its contract is to be indistinguishable from json.Unmarshal into
// *PurchaseData (see unmarshalPurchaseReference): the same inputs fail, and
// on success the same value results. That covers the corners of
// encoding/json that the shapes can meet:
//   - keys match tags exactly first, then case-insensitively by
//     encoding/json's folding; the last of repeated keys wins, objects
//     repeated under one key merge into the same struct, and arrays decode
//     into the elements already there (reusing the slice as reflect does);
//   - null leaves strings, numbers, bools and structs as they are, and sets
//     pointers and slices to nil; json.RawMessage keeps "null" as text;
//   - a value of the wrong kind is a *json.UnmarshalTypeError carrying the
//     path of JSON names, and decoding goes on: the first such error is
//     reported, unless a custom decoder (ID, Decimal, Time) fails, which
//     stops encoding/json at once and so is reported instead;
//   - any syntax error anywhere wins over both, as encoding/json validates
//     the whole text before decoding.
// A struct added to these shapes needs its field here too; the test
// TestPurchaseDecoderCoversEveryField fails until it has one.

// unmarshalPurchase is json.Unmarshal(data, v) for a purchase data section.
func unmarshalPurchase(data []byte, v *PurchaseData) error {
	d := purchaseDecoder{jsonReader: jsonReader{b: data}}
	if d.atValue() {
		decodeStruct(&d, v, typePurchaseData, (*purchaseDecoder).purchaseData)
		if !d.failed {
			d.ws()
			if d.i != len(data) {
				d.fail(d.i)
			}
		}
	}
	switch {
	case d.failed:
		return d.syntaxError()
	case d.abort != nil:
		return d.abort
	}
	return d.saved
}

// unmarshalPurchaseReference is the behaviour unmarshalPurchase must match;
// tests compare the two.
func unmarshalPurchaseReference(data []byte, v *PurchaseData) error {
	return json.Unmarshal(data, v)
}

type purchaseDecoder struct {
	jsonReader
	path  [8]string // JSON names of the fields being decoded, for errors
	npath int
	saved error // first value of the wrong kind
	abort error // first failure of a custom decoder
}

// syntaxError reports the reader's syntax error with encoding/json's own
// wording and offset, which callers (ParseEvent) rely on to tell a body
// that is not JSON from one that does not fit. Invalid input only.
func (d *purchaseDecoder) syntaxError() error {
	var raw json.RawMessage
	if err := json.Unmarshal(d.b, &raw); err != nil {
		return err
	}
	// Unreachable while the reader agrees with encoding/json, which the
	// differential tests check; keep the reader's verdict regardless.
	return &json.SyntaxError{Offset: int64(d.errAt)}
}

func (d *purchaseDecoder) fieldPath() string {
	return strings.Join(d.path[:d.npath], ".")
}

// mismatch records a value of the wrong kind, as encoding/json's saveError.
func (d *purchaseDecoder) mismatch(kind string, t reflect.Type) {
	if d.saved == nil {
		d.saved = &json.UnmarshalTypeError{Value: kind, Type: t, Offset: int64(d.i), Field: d.fieldPath()}
	}
}

// wrongKind records that the value at i cannot go into a t, and skips it.
func (d *purchaseDecoder) wrongKind(t reflect.Type) {
	d.mismatch(jsonKind(d.b[d.i:]), t)
	d.skip()
}

// nullOr consumes a null at i and reports true, or records a type error for
// whatever else is there, skips it, and reports false. Either way the
// destination is left as it was.
func (d *purchaseDecoder) nullOr(t reflect.Type) {
	if d.b[d.i] == 'n' {
		d.literal("null")
		return
	}
	d.wrongKind(t)
}

// custom hands the raw value at i to a type's own UnmarshalJSON, as
// encoding/json does for ID, Decimal and Time (null included).
func (d *purchaseDecoder) custom(unmarshal func([]byte) error) {
	start := d.i
	d.skip()
	if d.failed {
		return
	}
	if err := unmarshal(d.b[start:d.i]); err != nil && d.abort == nil {
		if te, ok := err.(*json.UnmarshalTypeError); ok {
			field := d.fieldPath()
			if te.Field != "" {
				field += "." + te.Field
			}
			te.Field = field
		}
		d.abort = err
	}
}

func (d *purchaseDecoder) id(dst *ID)           { d.custom(dst.UnmarshalJSON) }
func (d *purchaseDecoder) decimal(dst *Decimal) { d.custom(dst.UnmarshalJSON) }
func (d *purchaseDecoder) time(dst *Time)       { d.custom(dst.UnmarshalJSON) }

// raw keeps the value as text, as json.RawMessage's UnmarshalJSON does.
func (d *purchaseDecoder) raw(dst *json.RawMessage) {
	start := d.i
	d.skip()
	if !d.failed {
		*dst = append((*dst)[:0], d.b[start:d.i]...)
	}
}

func (d *purchaseDecoder) str(dst *string) { decodeString(d, dst, typeString) }

func decodeString[T ~string](d *purchaseDecoder, dst *T, t reflect.Type) {
	if d.b[d.i] != '"' {
		d.nullOr(t)
		return
	}
	start, end, plain := d.scanString()
	if !d.failed {
		*dst = T(d.stringAt(start, end, plain))
	}
}

func (d *purchaseDecoder) boolean(dst *bool) {
	switch d.b[d.i] {
	case 't':
		d.literal("true")
		if !d.failed {
			*dst = true
		}
	case 'f':
		d.literal("false")
		if !d.failed {
			*dst = false
		}
	default:
		d.nullOr(typeBool)
	}
}

func decodeInt[T int | int64](d *purchaseDecoder, dst *T, t reflect.Type) {
	if c := d.b[d.i]; c != '-' && (c < '0' || c > '9') {
		d.nullOr(t)
		return
	}
	start, end := d.number()
	if d.failed {
		return
	}
	lit := d.b[start:end]
	n, ok := parseInt(lit)
	if !ok || int64(T(n)) != n {
		d.mismatch("number "+string(lit), t)
		return
	}
	*dst = T(n)
}

// parseInt is strconv.ParseInt(string(lit), 10, 64) for a JSON number
// literal, without the conversion for the usual short integers.
func parseInt(lit []byte) (int64, bool) {
	digits := lit
	if len(digits) > 0 && digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 {
		n, err := strconv.ParseInt(string(lit), 10, 64)
		return n, err == nil
	}
	var n int64
	for _, c := range digits {
		if c < '0' || c > '9' {
			return 0, false // a fraction or an exponent
		}
		n = n*10 + int64(c-'0')
	}
	if len(digits) != len(lit) {
		n = -n
	}
	return n, true
}

// decodeStruct decodes an object into *v with fields, which is called just
// past the '{'. null leaves *v as it was.
func decodeStruct[T any](d *purchaseDecoder, v *T, t reflect.Type, fields func(*purchaseDecoder, *T)) {
	if d.b[d.i] != '{' {
		d.nullOr(t)
		return
	}
	if d.enter() {
		fields(d, v)
	}
}

// decodePointer decodes an object into **p, allocating it when nil and
// reusing it otherwise; null sets *p to nil.
func decodePointer[T any](d *purchaseDecoder, p **T, t reflect.Type, fields func(*purchaseDecoder, *T)) {
	switch d.b[d.i] {
	case '{':
		if *p == nil {
			*p = new(T)
		}
		if d.enter() {
			fields(d, *p)
		}
	case 'n':
		d.literal("null")
		if !d.failed {
			*p = nil
		}
	default:
		d.wrongKind(t)
	}
}

// decodeSlice decodes an array of objects into *s the way encoding/json's
// reflective decoder does: elements are decoded into the slice's existing
// elements (visible again up to its capacity), the slice is truncated to
// the array's length, an empty array gives a non-nil empty slice, and null
// gives nil.
func decodeSlice[T any](d *purchaseDecoder, s *[]T, t, elem reflect.Type, fields func(*purchaseDecoder, *T)) {
	switch d.b[d.i] {
	case '[':
	case 'n':
		d.literal("null")
		if !d.failed {
			*s = nil
		}
		return
	default:
		d.wrongKind(t)
		return
	}
	if !d.enter() {
		return
	}
	v := *s
	i := 0
	for more := d.firstElem(); more; more = d.nextElem() {
		if i < cap(v) {
			v = v[:max(len(v), i+1)]
		} else {
			var zero T
			v = append(v, zero)
		}
		decodeStruct(d, &v[i], elem, fields)
		i++
	}
	if i < len(v) {
		v = v[:i]
	}
	if i == 0 {
		v = make([]T, 0)
	}
	*s = v
}

// fieldSet maps a struct's JSON names to their positions, matching keys the
// way encoding/json does: exactly, else after folding case. Exact matches
// go through a small hash of length and end bytes; a slot shared by two
// names, or a miss, falls back to comparing against every name.
type fieldSet struct {
	names  []string
	folded []string
	slots  [64]int8 // hash → position; -1 none, -2 several
}

func newFieldSet(names ...string) *fieldSet {
	fs := &fieldSet{names: names}
	for i := range fs.slots {
		fs.slots[i] = -1
	}
	for i, n := range names {
		fs.folded = append(fs.folded, string(foldKey(nil, []byte(n))))
		h := nameHash([]byte(n))
		if fs.slots[h] == -1 {
			fs.slots[h] = int8(i)
		} else {
			fs.slots[h] = -2
		}
	}
	return fs
}

func nameHash(k []byte) int {
	if len(k) == 0 {
		return 0
	}
	return (len(k)*7 + int(k[0])*3 + int(k[len(k)-1])) & 63
}

func (fs *fieldSet) lookup(key []byte) int {
	switch i := fs.slots[nameHash(key)]; {
	case i >= 0:
		if string(key) == fs.names[i] {
			return int(i)
		}
	case i == -2:
		for i, n := range fs.names {
			if string(key) == n {
				return i
			}
		}
	}
	var buf [128]byte
	folded := foldKey(buf[:0], key)
	for i, n := range fs.folded {
		if string(folded) == n {
			return i
		}
	}
	return -1
}

// firstField is called just past '{' and nextField after each field's
// value: they return the position in fs of the next known field (skipping
// and validating unknown ones), or -1 after the closing '}' or on a syntax
// error. While a field's value is decoded its name is on the error path.
func (d *purchaseDecoder) firstField(fs *fieldSet) int {
	k, ok := d.firstKey()
	return d.known(fs, k, ok)
}

func (d *purchaseDecoder) nextField(fs *fieldSet) int {
	d.npath--
	k, ok := d.nextKey()
	return d.known(fs, k, ok)
}

func (d *purchaseDecoder) known(fs *fieldSet, k []byte, ok bool) int {
	for ok {
		if f := fs.lookup(k); f >= 0 {
			d.path[d.npath] = fs.names[f]
			d.npath++
			return f
		}
		d.skip()
		k, ok = d.nextKey()
	}
	return -1
}

var (
	typeString = reflect.TypeFor[string]()
	typeBool   = reflect.TypeFor[bool]()
	typeInt    = reflect.TypeFor[int]()
	typeInt64  = reflect.TypeFor[int64]()

	typePurchaseData         = reflect.TypeFor[PurchaseData]()
	typeProduct              = reflect.TypeFor[Product]()
	typeProductContent       = reflect.TypeFor[ProductContent]()
	typeBundledProducts      = reflect.TypeFor[[]BundledProduct]()
	typeBundledProduct       = reflect.TypeFor[BundledProduct]()
	typeAffiliates           = reflect.TypeFor[[]Affiliate]()
	typeAffiliate            = reflect.TypeFor[Affiliate]()
	typePurchaseBuyer        = reflect.TypeFor[PurchaseBuyer]()
	typeAddress              = reflect.TypeFor[Address]()
	typeProducer             = reflect.TypeFor[Producer]()
	typeCommissions          = reflect.TypeFor[[]Commission]()
	typeCommission           = reflect.TypeFor[Commission]()
	typeCurrencyConversion   = reflect.TypeFor[CurrencyConversion]()
	typePurchase             = reflect.TypeFor[Purchase]()
	typeMoney                = reflect.TypeFor[Money]()
	typeOffer                = reflect.TypeFor[Offer]()
	typeOrigin               = reflect.TypeFor[Origin]()
	typeCountry              = reflect.TypeFor[Country]()
	typeOrderBump            = reflect.TypeFor[OrderBump]()
	typePayment              = reflect.TypeFor[Payment]()
	typeEventTickets         = reflect.TypeFor[EventTickets]()
	typeVariants             = reflect.TypeFor[Variants]()
	typeAttributes           = reflect.TypeFor[[]Attribute]()
	typeAttribute            = reflect.TypeFor[Attribute]()
	typePurchaseSubscription = reflect.TypeFor[PurchaseSubscription]()
	typePlan                 = reflect.TypeFor[Plan]()
	typeSubscriberRef        = reflect.TypeFor[SubscriberRef]()
	typePurchaseShipping     = reflect.TypeFor[PurchaseShipping]()
	typeCarrier              = reflect.TypeFor[Carrier]()
	typeFulfillment          = reflect.TypeOf(PurchaseShipping{}.Fulfillment)
	typePurchaseStatus       = reflect.TypeFor[PurchaseStatus]()
	typePaymentType          = reflect.TypeFor[PaymentType]()
	typeSubscriptionStatus   = reflect.TypeFor[SubscriptionStatus]()
	typeCommissionSource     = reflect.TypeFor[CommissionSource]()
	typeDocumentType         = reflect.TypeFor[DocumentType]()
)
