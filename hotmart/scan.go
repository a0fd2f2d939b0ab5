package hotmart

import (
	"bytes"
	"encoding/json"
)

// A hand-written scanner for the envelope's top level. encoding/json would
// validate the whole body once to find the envelope fields and then again to
// decode the data section; here the top level is read and validated by hand,
// the data section is only delimited (a string-aware bracket matcher), and
// the one json.Unmarshal of the data section both validates and decodes it.
// Whatever this file accepts is valid JSON: every span it does not validate
// itself is checked by encoding/json before it is used.

// envelope is the 2.0.0 top level as read by scanEnvelope. Keys match
// exactly (Hotmart sends them lower-case); when a key repeats, the last
// non-null value wins, as with encoding/json.
type envelope struct {
	ID                ID
	Event             string
	Version           string
	CreationDate      Time
	CreationDateCamel Time
	Hottok            string
	Data              []byte // the data value as sent (aliases the body); nil when absent
	dataValidated     bool   // Data has been checked to be valid JSON
}

// scanError is a syntax error at a byte offset.
func scanError(off int, what string) *DecodeError {
	return &DecodeError{Reason: "invalid JSON at byte " + itoa(off) + ": " + what}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// scanEnvelope reads the top-level object in b, which starts at b[0]=='{'.
func scanEnvelope(b []byte, env *envelope) *DecodeError {
	i := skipSpace(b, 1)
	if i < len(b) && b[i] == '}' {
		return checkTrailing(b, i+1)
	}
	for {
		if i >= len(b) {
			return scanError(i, "unexpected end of body")
		}
		if b[i] != '"' {
			return scanError(i, "object key must be a string")
		}
		kend, plain, ok := scanString(b, i)
		if !ok {
			return scanError(i, "bad string")
		}
		key := b[i+1 : kend-1]
		if !plain {
			key = []byte(unquoteValid(b[i:kend]))
		}
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return scanError(i, "expected ':' after object key")
		}
		i = skipSpace(b, i+1)
		if i >= len(b) {
			return scanError(i, "unexpected end of body")
		}
		vend, err := scanField(b, i, key, env)
		if err != nil {
			return err
		}
		i = skipSpace(b, vend)
		if i >= len(b) {
			return scanError(i, "unexpected end of body")
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return checkTrailing(b, i+1)
		default:
			return scanError(i, "expected ',' or '}' after object value")
		}
	}
}

func checkTrailing(b []byte, i int) *DecodeError {
	if i = skipSpace(b, i); i != len(b) {
		return scanError(i, "data after the top-level object")
	}
	return nil
}

// scanField reads the value starting at b[i] for key and stores it in env
// when the key is an envelope field. It returns the end of the value.
func scanField(b []byte, i int, key []byte, env *envelope) (int, *DecodeError) {
	switch string(key) { // no allocation: the conversion is only compared
	case "id":
		return scanID(b, i, "id", &env.ID)
	case "event":
		return scanText(b, i, "event", &env.Event)
	case "version":
		return scanText(b, i, "version", &env.Version)
	case "hottok":
		return scanText(b, i, "hottok", &env.Hottok)
	case "creation_date":
		return scanTime(b, i, "creation_date", &env.CreationDate)
	case "creationDate":
		return scanTime(b, i, "creationDate", &env.CreationDateCamel)
	case "data":
		end, err := skipValue(b, i)
		if err != nil {
			return 0, err
		}
		v := b[i:end]
		// Objects are validated by the json.Unmarshal that decodes them;
		// anything else is validated here, since it is not decoded.
		if v[0] != '{' && !json.Valid(v) {
			return 0, scanError(i, "bad value of \"data\"")
		}
		if v[0] == 'n' {
			return end, nil // null keeps an earlier data, as for every key
		}
		if env.Data != nil && !env.dataValidated && !json.Valid(env.Data) {
			return 0, scanError(i, "bad value of an earlier \"data\"")
		}
		env.Data, env.dataValidated = v, v[0] != '{'
		return end, nil
	}
	end, err := skipValue(b, i)
	if err != nil {
		return 0, err
	}
	if b[i] != '"' && !json.Valid(b[i:end]) {
		return 0, scanError(i, "bad value")
	}
	return end, nil
}

// scanID reads a string, number or null into an ID; null leaves it as it
// was.
func scanID(b []byte, i int, field string, dst *ID) (int, *DecodeError) {
	switch c := b[i]; {
	case c == '"':
		end, plain, ok := scanString(b, i)
		if !ok {
			return 0, scanError(i, "bad string")
		}
		if plain {
			*dst = ID(b[i+1 : end-1])
		} else {
			*dst = ID(unquoteValid(b[i:end]))
		}
		return end, nil
	case c == '-' || (c >= '0' && c <= '9'):
		end := scanNumber(b, i)
		if end < 0 {
			return 0, scanError(i, "bad number")
		}
		*dst = ID(b[i:end])
		return end, nil
	}
	return scanNullOr(b, i, field, "string or number")
}

// scanNullOr accepts null at b[i] (the field keeps its value) and reports
// any other valid value as the wrong kind for field.
func scanNullOr(b []byte, i int, field, want string) (int, *DecodeError) {
	end, err := skipValue(b, i)
	if err != nil {
		return 0, err
	}
	if !json.Valid(b[i:end]) {
		return 0, scanError(i, "bad value")
	}
	if b[i] == 'n' {
		return end, nil
	}
	return 0, &DecodeError{Field: field, Reason: "cannot hold " + jsonKind(b[i:end]) + " (want " + want + ")"}
}

// scanText reads a JSON string (or null, which keeps the field as it was).
func scanText(b []byte, i int, field string, dst *string) (int, *DecodeError) {
	if b[i] == '"' {
		end, plain, ok := scanString(b, i)
		if !ok {
			return 0, scanError(i, "bad string")
		}
		if plain {
			*dst = string(b[i+1 : end-1])
		} else {
			*dst = unquoteValid(b[i:end])
		}
		return end, nil
	}
	return scanNullOr(b, i, field, "string")
}

// scanTime reads a Time in any encoding Time.UnmarshalJSON accepts.
func scanTime(b []byte, i int, field string, dst *Time) (int, *DecodeError) {
	end, err := skipValue(b, i)
	if err != nil {
		return 0, err
	}
	v := b[i:end]
	switch c := v[0]; {
	case c == '"':
		// skipValue validated the string.
	case c == '-' || (c >= '0' && c <= '9'):
		if scanNumber(b, i) != end {
			return 0, scanError(i, "bad number")
		}
	default:
		if !json.Valid(v) {
			return 0, scanError(i, "bad value")
		}
	}
	if uerr := dst.UnmarshalJSON(v); uerr != nil {
		return 0, decodeError(field, uerr)
	}
	return end, nil
}

// skipValue returns the end of the JSON value starting at b[i]. Strings are
// fully validated; numbers and literals are delimited only; objects and
// arrays are delimited by a bracket matcher that skips strings but checks
// nothing else (their content is validated by the caller).
func skipValue(b []byte, i int) (int, *DecodeError) {
	switch c := b[i]; c {
	case '"':
		end, _, ok := scanString(b, i)
		if !ok {
			return 0, scanError(i, "bad string")
		}
		return end, nil
	case '{', '[':
		end := matchBrackets(b, i)
		if end < 0 {
			return 0, scanError(i, "unterminated object or array")
		}
		return end, nil
	default:
		return scanLiteral(b, i)
	}
}

// scanLiteral delimits a number, true, false or null (not validated).
func scanLiteral(b []byte, i int) (int, *DecodeError) {
	j := i
	for j < len(b) {
		switch c := b[j]; c {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			if j == i {
				return 0, scanError(i, "value expected")
			}
			return j, nil
		case '"', '{', '[', ':':
			return 0, scanError(j, "unexpected character")
		}
		j++
	}
	if j == i {
		return 0, scanError(i, "value expected")
	}
	return j, nil
}

// matchBrackets returns the index after the bracket closing the one at b[i],
// or -1. It tracks depth over both bracket kinds and skips string contents,
// finding each string's end with bytes.IndexByte.
func matchBrackets(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			end := stringEnd(b, i)
			if end < 0 {
				return -1
			}
			i = end
			continue
		}
		i++
	}
	return -1
}

// stringEnd returns the index after the quote closing the string opened at
// b[i], not validating its content, or -1.
func stringEnd(b []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		// The quote is escaped when an odd number of backslashes precede it.
		n := 0
		for p := q - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// scanString validates the JSON string starting at b[i] and returns the
// index after its closing quote; plain reports that the content has no
// escapes and no non-ASCII bytes, so it can be used as is.
func scanString(b []byte, i int) (end int, plain bool, ok bool) {
	plain = true
	for j := i + 1; j < len(b); {
		c := b[j]
		switch {
		case c == '"':
			return j + 1, plain, true
		case c == '\\':
			plain = false
			if j+1 >= len(b) {
				return 0, false, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if j+6 > len(b) {
					return 0, false, false
				}
				for _, h := range b[j+2 : j+6] {
					if !isHex(h) {
						return 0, false, false
					}
				}
				j += 6
			default:
				return 0, false, false
			}
		case c < 0x20:
			return 0, false, false
		case c >= 0x80:
			plain = false
			j++
		default:
			j++
		}
	}
	return 0, false, false
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// scanNumber returns the end of the JSON number at b[i], or -1 when it does
// not follow JSON's grammar (-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?).
func scanNumber(b []byte, i int) int {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return -1
	}
	if i < len(b) && b[i] == '.' {
		i++
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return -1
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		s := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == s {
			return -1
		}
	}
	// A number must end at a delimiter, or "12x" would pass.
	if i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
		default:
			return -1
		}
	}
	return i
}

// unquoteValid unquotes a string that scanString has validated, going
// through encoding/json for its escape and UTF-8 rules (invalid UTF-8
// becomes U+FFFD there, and so here).
func unquoteValid(q []byte) string {
	var s string
	_ = json.Unmarshal(q, &s)
	return s
}
