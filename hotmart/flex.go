package hotmart

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// The types in this file absorb the encoding drift between Hotmart's
// documentation and what it actually sends: ids that are numbers in one event
// and strings in another, money that is sometimes integral, dates as epoch
// milliseconds, epoch seconds, numeric strings or ISO-8601 text.
//
// Each decodes through one function over the raw JSON value (set), reached
// from UnmarshalJSONFrom (the streaming interface of
// github.com/go-json-experiment/json, which ParseEvent uses) and from
// UnmarshalJSON (encoding/json, which the REST client uses). A bad value is
// reported as a *DecodeError without a Field; the decoder adds the path.

var jsonNull = []byte("null")

// ID is an identifier that Hotmart sends either as a JSON number or as a JSON
// string (product.id is a number in purchase events and a string in
// CLUB_MODULE_COMPLETED). It always holds the decimal text, so "4062912" and
// 4062912 decode to the same ID. An absent or null id is "".
type ID string

// String returns the id's text.
func (id ID) String() string { return string(id) }

// UnmarshalJSONFrom accepts a JSON string, a JSON number or null.
func (id *ID) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return readValue(dec, id.set) }

// UnmarshalJSON accepts a JSON string, a JSON number or null.
func (id *ID) UnmarshalJSON(b []byte) error { return fromJSON(b, id.set) }

func (id *ID) set(v []byte) error {
	switch {
	case len(v) == 0:
		return valueError(ReasonSyntax, "empty value")
	case v[0] == '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		*id = ID(s)
	case v[0] == 'n':
		// keep the zero value
	case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
		*id = ID(v)
	default:
		return kindError(v, "string or number")
	}
	return nil
}

// MarshalJSON writes the id as a JSON string.
func (id ID) MarshalJSON() ([]byte, error) { return json.Marshal(string(id)) }

// Decimal is a decimal number kept exactly as Hotmart wrote it (1500, 149.5,
// 25.90), so no float rounding happens on the way in. It accepts a JSON number
// or a numeric JSON string. The zero value "" means absent. A number too large
// for a float64 (1e400) is refused with ReasonRange: every consumer would
// otherwise meet it as +Inf.
type Decimal string

// UnmarshalJSONFrom accepts a JSON number, a numeric JSON string or null.
func (d *Decimal) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return readValue(dec, d.set) }

// UnmarshalJSON accepts a JSON number, a numeric JSON string or null.
func (d *Decimal) UnmarshalJSON(b []byte) error { return fromJSON(b, d.set) }

func (d *Decimal) set(v []byte) error {
	switch {
	case len(v) == 0:
		return valueError(ReasonSyntax, "empty value")
	case v[0] == 'n':
		return nil
	case v[0] == '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*d = ""
			return nil
		}
		if !isDecimal(s) {
			return valueError(ReasonFormat, "string is not a number")
		}
		if !finite(s) {
			return valueError(ReasonRange, "number out of range")
		}
		*d = Decimal(s)
	case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
		s := string(v)
		if !finite(s) {
			return valueError(ReasonRange, "number out of range")
		}
		*d = Decimal(s)
	default:
		return kindError(v, "number")
	}
	return nil
}

// finite reports whether the number literal s is a finite float64. Plain
// decimals of a sane length always are; only those are spared the parse.
func finite(s string) bool {
	if len(s) < 300 && !strings.ContainsAny(s, "eE") {
		return true
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsInf(f, 0)
}

// MarshalJSON writes the decimal as a JSON number (null when absent).
func (d Decimal) MarshalJSON() ([]byte, error) {
	if d == "" {
		return jsonNull, nil
	}
	return []byte(d), nil
}

// String returns the decimal text as received ("" when absent).
func (d Decimal) String() string { return string(d) }

// IsZero reports whether the value is absent.
func (d Decimal) IsZero() bool { return d == "" }

// Float64 returns the value as a float64 (0 when absent). Use it for
// arithmetic where float precision is acceptable; use MinorUnits for money.
func (d Decimal) Float64() float64 {
	if d == "" {
		return 0
	}
	f, _ := strconv.ParseFloat(string(d), 64)
	return f
}

// Scaled returns the value multiplied by 10^digits as an integer, rounding
// half away from zero when the text has more fractional digits than asked
// for. It works on the decimal text, so 0.29 with 2 digits is exactly 29.
func (d Decimal) Scaled(digits int) (int64, error) {
	if d == "" {
		return 0, nil
	}
	if digits < 0 || digits > 18 {
		return 0, fmt.Errorf("hotmart: scale %d out of range", digits)
	}
	s := string(d)
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || e > 40 || e < -40 {
			return 0, errors.New("hotmart: decimal exponent out of range")
		}
		exp, s = e, s[:i]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	digitsStr := intPart + frac
	shift := digits + exp - len(frac) // how many places to move the implied point right
	var roundUp bool
	if shift < 0 {
		cut := len(digitsStr) + shift
		if cut < 0 {
			return 0, nil
		}
		roundUp = cut < len(digitsStr) && digitsStr[cut] >= '5'
		digitsStr = digitsStr[:cut]
		shift = 0
	}
	digitsStr = strings.TrimLeft(digitsStr, "0")
	if len(digitsStr)+shift > 18 {
		return 0, fmt.Errorf("hotmart: decimal overflows int64 at scale %d", digits)
	}
	var n int64
	for i := 0; i < len(digitsStr); i++ {
		n = n*10 + int64(digitsStr[i]-'0')
	}
	for ; shift > 0; shift-- {
		n *= 10
	}
	if roundUp {
		n++
	}
	if neg {
		n = -n
	}
	return n, nil
}

// isDecimal reports whether s is a JSON number literal.
func isDecimal(s string) bool {
	// The cheap checks turn away date text before it costs a validation.
	return s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') &&
		!strings.ContainsAny(s, ":/ TZ") && jsontext.Value(s).IsValid()
}

// Money is an amount with its currency, as Hotmart's {value, currency_value}
// objects carry it. Currency is empty in bodies from 2022 and earlier, which
// did not send currency_value.
type Money struct {
	Value    Decimal `json:"value"`
	Currency string  `json:"currency_value"`
}

// IsZero reports whether neither value nor currency was sent.
func (m Money) IsZero() bool { return m.Value == "" && m.Currency == "" }

// Float64 returns the value as a float64.
func (m Money) Float64() float64 { return m.Value.Float64() }

// MinorUnits returns the amount in the currency's minor unit (cents for BRL
// and USD, whole units for JPY or CLP), computed exactly from the decimal
// text. An unknown or empty currency is assumed to have two decimals.
func (m Money) MinorUnits() (int64, error) {
	return m.Value.Scaled(CurrencyDigits(m.Currency))
}

// String formats the amount as "149.5 BRL".
func (m Money) String() string {
	if m.Currency == "" {
		return string(m.Value)
	}
	return string(m.Value) + " " + m.Currency
}

// CurrencyDigits returns the number of minor-unit digits of an ISO 4217
// currency code: 0 for currencies without a minor unit, 3 for the few with
// thousandths, 2 otherwise (including unknown codes).
func CurrencyDigits(code string) int {
	switch strings.ToUpper(code) {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
		"UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// Time is a point in time decoded from any of the encodings Hotmart uses:
// epoch milliseconds (most fields), epoch seconds (some REST responses),
// numeric strings ("123243546" in the docs' order_date), RFC 3339 / ISO-8601
// strings (warranty_date, date_next_charge in charge-date updates),
// "YYYY-MM-DD hh:mm:ss" strings and, for legacy postbacks, day-first
// "DD/MM/YYYY hh:mm:ss". Text without a zone is read as UTC. Numbers are
// read as milliseconds unless they are too small to be a millisecond
// timestamp after 1973 (below 1e11), in which case they are seconds.
// Absent, null, 0 and "" stay the zero Time. Decoded times are in UTC.
type Time struct {
	time.Time
}

// UnmarshalJSONFrom decodes any of the accepted encodings.
func (t *Time) UnmarshalJSONFrom(dec *jsontext.Decoder) error { return readValue(dec, t.set) }

// UnmarshalJSON decodes any of the accepted encodings.
func (t *Time) UnmarshalJSON(b []byte) error { return fromJSON(b, t.set) }

func (t *Time) set(v []byte) error {
	switch {
	case len(v) == 0:
		return valueError(ReasonSyntax, "empty value")
	case v[0] == 'n':
		return nil
	case v[0] == '"':
		s, err := unquote(v)
		if err != nil {
			return err
		}
		tv, err := ParseTime(s) // its errors are *DecodeError
		if err != nil {
			return err
		}
		t.Time = tv
	case v[0] >= '0' && v[0] <= '9' && len(v) <= 15 && isDigits(v):
		// The common case, epoch milliseconds, without a float parse.
		var n int64
		for _, c := range v {
			n = n*10 + int64(c-'0')
		}
		t.Time = epochInt(n)
	case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
		tv, err := epochTime(string(v))
		if err != nil {
			return err
		}
		t.Time = tv
	default:
		return kindError(v, "number or string")
	}
	return nil
}

// MarshalJSON writes the time as RFC 3339 text, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return jsonNull, nil
	}
	return json.Marshal(t.Time.UTC().Format(time.RFC3339Nano))
}

// ParseTime parses a time in any textual form Hotmart uses (see Time). An
// empty string yields the zero time and no error.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if isDecimal(s) {
		return epochTime(s)
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			return v.UTC(), nil
		}
	}
	return time.Time{}, valueError(ReasonFormat, "unrecognised time")
}

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02",
	"02/01/2006 15:04:05", // legacy 1.0 postbacks (day first, as in Brazil)
	"02/01/2006",
}

// msThreshold separates epoch seconds from epoch milliseconds: 1e11 ms is
// March 1973, 1e11 s is the year 5138.
const msThreshold = 100_000_000_000

func epochTime(s string) (time.Time, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, valueError(ReasonFormat, "bad epoch time")
	}
	if f == 0 {
		return time.Time{}, nil
	}
	// ±1e15 ms is ~31,000 years either side of 1970; beyond that the value is
	// not a time, and time.UnixMilli would silently wrap.
	if f > 1e15 || f < -1e15 {
		return time.Time{}, valueError(ReasonRange, "epoch time out of range")
	}
	return epochInt(int64(f)), nil
}

// epochInt reads n as epoch milliseconds, or seconds below msThreshold;
// |n| is at most 1e15.
func epochInt(n int64) time.Time {
	switch {
	case n == 0:
		return time.Time{}
	case n > -msThreshold && n < msThreshold:
		return time.Unix(n, 0).UTC()
	}
	return time.UnixMilli(n).UTC()
}

// fromJSON hands b to set once it is known to be one JSON value (set
// trusts its input to be valid JSON, as a decoder delivers it).
func fromJSON(b []byte, set func([]byte) error) error {
	if !jsontext.Value(b).IsValid(decodeOpts) {
		return valueError(ReasonSyntax, "invalid JSON")
	}
	return set(bytes.TrimSpace(b))
}

// readValue hands the next JSON value of dec to set.
func readValue(dec *jsontext.Decoder, set func([]byte) error) error {
	v, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return set(v)
}

// unquote returns the text of the JSON string v, which the caller has
// checked starts with a quote. Invalid UTF-8 becomes U+FFFD, as both JSON
// libraries do.
func unquote(v []byte) (string, error) {
	if len(v) >= 2 && v[len(v)-1] == '"' {
		in := v[1 : len(v)-1]
		if bytes.IndexByte(in, '\\') < 0 && bytes.IndexByte(in, '"') < 0 && utf8.Valid(in) {
			return string(in), nil
		}
	}
	out, err := jsontext.AppendUnquote(nil, v)
	if err != nil && len(out) == 0 {
		return "", valueError(ReasonSyntax, "bad string")
	}
	return string(out), nil
}

// kindError reports a JSON value of the wrong kind without showing it.
func kindError(v []byte, want string) *DecodeError {
	return valueError(ReasonType, "got "+jsonKind(v)+", want "+want)
}

func jsonKind(b []byte) string { return kindName(jsontext.Value(b).Kind()) }
