package segment

import (
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// FieldType is the type of an event field as conditions see it. It decides
// which operators a condition may use and how its value is written.
type FieldType int

// Field types.
const (
	// TypeString is text, compared byte for byte unless the field is
	// documented as case-insensitive (e-mails, country and currency codes).
	TypeString FieldType = iota + 1
	// TypeIdentifier is an id that Hotmart sends as a JSON number in some
	// events and as a string in others; it is compared as text, and a rule
	// may write it either way.
	TypeIdentifier
	// TypeEnum is one of Hotmart's enumerations, compared case-insensitively
	// in the canonical spelling of the hotmart package, so that the spelling
	// drift between events (COMPLETE/COMPLETED, CANCELED/CANCELLED, …) does
	// not matter.
	TypeEnum
	// TypeDecimal is an exact decimal number (amounts), compared numerically
	// on its text without float rounding.
	TypeDecimal
	// TypeInteger is a whole number.
	TypeInteger
	// TypeBoolean is true or false.
	TypeBoolean
)

var fieldTypeNames = [...]string{"", "string", "identifier", "enum", "decimal", "integer", "boolean"}

// String returns the type's lower-case name, as used in error messages.
func (t FieldType) String() string {
	if t <= 0 || int(t) >= len(fieldTypeNames) {
		return "unknown"
	}
	return fieldTypeNames[t]
}

// FieldInfo describes one field path that conditions and templates can use.
type FieldInfo struct {
	Path    string    // e.g. "buyer.email"
	Type    FieldType // how conditions compare it
	Example string    // a value as a rule would write it
	// Personal reports whether the value is a buyer's personal data
	// (e-mail, phone, document), which Explanation.String redacts.
	Personal bool
	Doc      string // which events carry it and where it comes from
}

// field is a FieldInfo with its accessor and comparison rules.
type field struct {
	FieldInfo
	// fold compares text case-insensitively (e-mails, codes).
	fold bool
	// canon maps text to its canonical spelling (enums); nil for no mapping.
	canon func(string) string
	// get resolves the field on an event whose Type and data are set. It
	// never allocates, except for the rare multi-part value.
	get func(*hotmart.Event) value
}

// resolve returns the field's value on e; a nil event has no fields.
func (f *field) resolve(e *hotmart.Event) value {
	if e == nil {
		return value{}
	}
	return f.get(e)
}

// Fields lists every field path that conditions and templates accept, in
// documentation order.
func Fields() []FieldInfo {
	out := make([]FieldInfo, len(fieldList))
	for i, f := range fieldList {
		out[i] = f.FieldInfo
	}
	return out
}

// lookupField returns the field named by path (surrounding spaces ignored).
func lookupField(path string) (*field, bool) {
	f, ok := fieldsByPath[strings.TrimSpace(path)]
	return f, ok
}

var fieldsByPath = func() map[string]*field {
	m := make(map[string]*field, len(fieldList))
	for _, f := range fieldList {
		m[f.Path] = f
	}
	return m
}()

// closestField suggests a known path for a mistyped one: the only known
// path with the same last segment ("address.country_iso"), or else the
// nearest path within a few typing mistakes (internal/suggest).
func closestField(path string) string {
	path = strings.TrimSpace(path)
	_, last, _ := cutLast(path)
	var found string
	for _, f := range fieldList {
		if _, l, _ := cutLast(f.Path); l == last {
			if found != "" {
				found = ""
				break
			}
			found = f.Path
		}
	}
	if found != "" && found != path {
		return found
	}
	return suggest.Closest(path, fieldPaths)
}

// fieldPaths lists the known paths in documentation order.
var fieldPaths = func() []string {
	out := make([]string, len(fieldList))
	for i, f := range fieldList {
		out[i] = f.Path
	}
	return out
}()

func cutLast(path string) (string, string, bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", path, false
	}
	return path[:i], path[i+1:], true
}
