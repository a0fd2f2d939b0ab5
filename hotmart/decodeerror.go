package hotmart

import (
	"errors"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// DecodeError says which part of a body could not be decoded and why. It
// matches ErrMalformed. Its message never contains field values, which may
// be personal data or secrets.
//
// Field is the path of the offending value in the body, in this package's
// own syntax, stable across Go and library versions:
//
//   - object members are joined by dots from the top of the body:
//     "data.purchase.price.value";
//   - array elements are written as [index], counting from 0:
//     "data.commissions[1].source";
//   - a member whose name is empty or holds '.', '[', ']' or '"' is written
//     as a quoted JSON string in brackets: `data.purchase["a.b"]`;
//   - "" means the body as a whole;
//   - for legacy 1.0 postbacks (ParseForm, ParseLegacyJSON) it is the name
//     of the flat field, such as "warranty_date".
//
// Reason is the category of the problem; tests and callers branch on it, and
// on Field, never on the message text.
type DecodeError struct {
	Field  string // path of the offending value; "" for the whole body
	Reason Reason // what kind of problem it is
	Detail string // short human-readable detail, never a value from the body
	Err    error  // underlying error, if any
}

// Reason is the category of a DecodeError.
type Reason string

// Reasons a body or a field can fail to decode.
const (
	// ReasonSyntax: the text is not JSON (or not a form body).
	ReasonSyntax Reason = "syntax"
	// ReasonType: a value of the wrong JSON kind, e.g. an object where a
	// string belongs, or a body that is not a JSON object.
	ReasonType Reason = "type"
	// ReasonFormat: the right kind but unreadable content, e.g. a time
	// string in no known layout or a price string that is not a number.
	ReasonFormat Reason = "format"
	// ReasonMissing: a required value is absent, null or empty.
	ReasonMissing Reason = "missing"
	// ReasonRange: a number that does not fit, e.g. 1e400 as a price or an
	// epoch time beyond year 30000.
	ReasonRange Reason = "range"
	// ReasonTooLong: a value longer than this package accepts (event ids
	// over MaxEventIDLength bytes).
	ReasonTooLong Reason = "too_long"
)

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("hotmart: malformed event: ")
	if e.Field != "" {
		b.WriteString("field ")
		b.WriteString(strconv.Quote(e.Field))
		b.WriteString(": ")
	}
	b.WriteString(string(e.Reason))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrMalformed) true.
func (e *DecodeError) Is(target error) bool { return target == ErrMalformed }

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// valueError is the problem of a scalar value, before its path is known.
func valueError(r Reason, detail string) *DecodeError {
	return &DecodeError{Reason: r, Detail: detail}
}

// joinPath appends a member name to a path, in DecodeError's syntax.
func joinPath(path, name string) string {
	if name == "" || strings.ContainsAny(name, `.[]"`) {
		return path + "[" + strconv.Quote(name) + "]"
	}
	if path == "" {
		return name
	}
	return path + "." + name
}

// indexPath appends an array index to a path.
func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// libraryError turns an error of the JSON library into a DecodeError at
// path, the path of the value the library was asked to decode. The
// library's own message is kept only as Err: its wording changes between
// versions and may quote the offending value.
func libraryError(path string, raw []byte, err error) *DecodeError {
	var (
		de  *DecodeError
		syn *jsontext.SyntacticError
		sem *json.SemanticError
	)
	switch {
	case errors.As(err, &syn):
		return &DecodeError{Field: path, Reason: ReasonSyntax,
			Detail: "invalid JSON at byte " + strconv.FormatInt(syn.ByteOffset, 10), Err: err}
	case errors.As(err, &sem):
		out := &DecodeError{Field: path, Reason: ReasonType, Err: err}
		if p, ok := pointerPath(raw, sem.JSONPointer, path); ok {
			out.Field = p
		}
		switch {
		case errors.As(sem.Err, &de):
			out.Reason, out.Detail = de.Reason, de.Detail
		case errors.Is(sem.Err, strconv.ErrRange):
			out.Reason, out.Detail = ReasonRange, "number out of range"
		case sem.JSONKind != 0:
			out.Detail = "got " + kindName(sem.JSONKind)
			if sem.GoType != nil {
				out.Detail += ", want " + sem.GoType.Kind().String()
			}
		}
		return out
	case errors.As(err, &de):
		if de.Field == "" {
			de.Field = path
		}
		return de
	}
	return &DecodeError{Field: path, Reason: ReasonType, Detail: "cannot be decoded", Err: err}
}

var kindNames = map[jsontext.Kind]string{'{': "object", '[': "array", '"': "string", 't': "bool", 'f': "bool", 'n': "null", '0': "number"}

// kindName names a JSON kind in error details.
func kindName(k jsontext.Kind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "value"
}
