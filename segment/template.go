package segment

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Template is text with references to event fields, such as
// "Pedido {{purchase.transaction}} de {{buyer.name}}". References use the
// field paths of conditions (see Fields); spaces inside the braces are
// allowed. A Template is parsed once, when a rule is compiled, and rendered
// for each matching event. It is immutable and safe for concurrent use.
//
// In JSON a Template is a string, so providers can decode parameter structs
// holding *Template fields with encoding/json; decoding parses and checks the
// references.
type Template struct {
	src   string
	parts []templatePart
	// lit is the rendered text when the template has no references.
	lit string
}

// templatePart is literal text followed by an optional field reference.
type templatePart struct {
	lit   string
	field *field // nil for trailing text
}

// TemplateError reports a template that does not parse.
type TemplateError struct {
	Offset int    // byte offset of the problem in the template
	Path   string // the unknown field path, if that is the problem
	Reason string
	// Suggestion is the known field path nearest to an unknown Path, ""
	// when none is close.
	Suggestion string
}

func (e *TemplateError) Error() string {
	msg := fmt.Sprintf("template: at offset %d: %s", e.Offset, e.Reason)
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", e.Suggestion)
	}
	return msg
}

// ParseTemplate parses s. Every {{…}} must name a known field path; text
// outside the braces is copied as is. An unclosed "{{" is an error.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{src: s}
	rest, off := s, 0
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return nil, &TemplateError{Offset: off + i, Reason: `"{{" is not closed by "}}"`}
		}
		path := strings.TrimSpace(rest[i+2 : i+2+j])
		f, ok := lookupField(path)
		if !ok {
			if path == "" {
				return nil, &TemplateError{Offset: off + i, Reason: "empty field reference"}
			}
			return nil, &TemplateError{Offset: off + i, Path: path, Reason: fmt.Sprintf("unknown field %q", path),
				Suggestion: closestField(path)}
		}
		t.parts = append(t.parts, templatePart{lit: rest[:i], field: f})
		off += i + 2 + j + 2
		rest = rest[i+2+j+2:]
	}
	if len(t.parts) == 0 {
		t.lit = s
		return t, nil
	}
	if rest != "" {
		t.parts = append(t.parts, templatePart{lit: rest})
	}
	return t, nil
}

// MustParseTemplate is ParseTemplate that panics on error, for templates
// written in code (tests, examples) that are known to be valid.
func MustParseTemplate(s string) *Template {
	t, err := ParseTemplate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// String returns the template's source text.
func (t *Template) String() string {
	if t == nil {
		return ""
	}
	return t.src
}

// Fields returns the field paths the template references, in order of
// appearance (repeated references repeated).
func (t *Template) Fields() []string {
	if t == nil {
		return nil
	}
	var out []string
	for _, p := range t.parts {
		if p.field != nil {
			out = append(out, p.field.Path)
		}
	}
	return out
}

// IsZero reports whether the template is nil or renders the empty string
// whatever the event.
func (t *Template) IsZero() bool { return t == nil || t.src == "" }

// Render returns the template's text for e. Fields the event does not carry
// render as "". A nil template renders "". The only allocation is the
// returned string, and none when the result is a literal or a single field.
func (t *Template) Render(e *hotmart.Event) string {
	if t == nil {
		return ""
	}
	if len(t.parts) == 0 {
		return t.lit
	}
	if len(t.parts) == 1 && t.parts[0].lit == "" {
		v := t.parts[0].field.resolve(e)
		if v.kind == kindText && v.pre == [2]string{} {
			return v.s
		}
	}
	n := 0
	for _, p := range t.parts {
		n += len(p.lit)
		if p.field != nil {
			n += p.field.resolve(e).textLen()
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range t.parts {
		b.WriteString(p.lit)
		if p.field != nil {
			p.field.resolve(e).writeTo(&b)
		}
	}
	return b.String()
}

// MarshalJSON writes the template's source as a JSON string (a nil
// *Template is written as null by encoding/json).
func (t Template) MarshalJSON() ([]byte, error) { return json.Marshal(t.src) }

// UnmarshalJSON reads a JSON string and parses it as a template.
func (t *Template) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &TemplateError{Reason: "a template must be a JSON string"}
	}
	p, err := ParseTemplate(s)
	if err != nil {
		return err
	}
	*t = *p
	return nil
}
