package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// The rules file is read with a streaming JSON tokenizer and walked key by
// key, rather than unmarshalled into the structs, so that every problem is
// named by a path this package builds (conditions[1].op) and classified by
// this package (ReasonType, ReasonUnknown, …). The standard library's
// decoding errors changed wording and field paths between Go releases
// (encoding/json runs on its v2 implementation from Go 1.27); ours do not.

// The keys a rules file may hold at each level, in documentation order.
var (
	topKeys          = []string{"segmentations"}
	segmentationKeys = []string{"id", "name", "active", "events", "products", "conditions", "action"}
	conditionKeys    = []string{"field", "op", "value"}
)

// ParseRules reads a rules file. It reports every problem it meets as one
// *RulesError: a document that is not JSON (ReasonSyntax, with its line
// and column), values of the wrong JSON type (ReasonType), unknown keys
// (ReasonUnknown, with a suggestion when one is close) and repeated keys
// (ReasonDuplicate). The checks of the rules' meaning are Compile's.
func ParseRules(data []byte) (Rules, error) {
	var probs problems
	if len(bytes.TrimSpace(data)) == 0 {
		probs.list = append(probs.list, Problem{Index: -1, Reason: ReasonSyntax, Message: "empty document"})
		return Rules{}, probs.err()
	}
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	top, err := dec.ReadValue()
	if err != nil {
		probs.list = append(probs.list, syntaxProblem(data, err))
		return Rules{}, probs.err()
	}
	// The document is valid JSON from here on: walking its parts again
	// cannot fail. The value is copied: the decoder reuses its buffer.
	top = bytes.Clone(top)
	end := dec.InputOffset()
	if _, err := dec.ReadToken(); err != io.EOF {
		off := skipSpace(data, end)
		line, col := lineCol(data, off)
		probs.list = append(probs.list, Problem{Index: -1, Reason: ReasonSyntax, Line: line, Column: col,
			Message: "unexpected data after the top-level object"})
		return Rules{}, probs.err()
	}
	if top.Kind() != '{' {
		line, col := lineCol(data, skipSpace(data, 0))
		probs.list = append(probs.list, Problem{Index: -1, Reason: ReasonType, Line: line, Column: col,
			Message: `the rules must be a JSON object with a "segmentations" array, not a JSON ` + kindName(top.Kind())})
		return Rules{}, probs.err()
	}
	var rules Rules
	w := &walker{d: jsontext.NewDecoder(bytes.NewReader(top))}
	w.object(func(key string) {
		if !strings.EqualFold(key, "segmentations") {
			w.skip()
			probs.add(-1, "", key, ReasonUnknown, suggest.Closest(key, topKeys), `unknown key (the rules have only "segmentations")`)
			return
		}
		switch k := w.kind(); k {
		case 'n':
			w.skip()
		case '[':
			w.array(func(i int) {
				rules.Segmentations = append(rules.Segmentations, decodeSegmentation(i, w, &probs))
			})
		default:
			w.skip()
			probs.add(-1, "", key, ReasonType, "", "must be an array of segmentation objects, not a JSON %s", kindName(k))
		}
	})
	if err := probs.err(); err != nil {
		return Rules{}, err
	}
	return rules, nil
}

// walker reads a document already known to be valid JSON, value by value,
// in one pass. Each decoding function consumes exactly one value.
type walker struct {
	d *jsontext.Decoder
}

// kind is the kind of the next value.
func (w *walker) kind() jsontext.Kind { return w.d.PeekKind() }

// skip consumes the next value.
func (w *walker) skip() { _ = w.d.SkipValue() }

// value consumes the next value and returns its bytes, valid until the next
// read.
func (w *walker) value() jsontext.Value {
	v, _ := w.d.ReadValue()
	return v
}

// object consumes the next value, an object, calling fn with each member's
// name; fn consumes the member's value.
func (w *walker) object(fn func(key string)) {
	if _, err := w.d.ReadToken(); err != nil {
		return
	}
	for w.d.PeekKind() == '"' {
		name, err := w.d.ReadToken()
		if err != nil {
			return
		}
		fn(name.String())
	}
	_, _ = w.d.ReadToken()
}

// array consumes the next value, an array, calling fn with each element's
// index; fn consumes the element.
func (w *walker) array(fn func(i int)) {
	if _, err := w.d.ReadToken(); err != nil {
		return
	}
	for i := 0; w.d.PeekKind() != ']' && w.d.PeekKind() != 0; i++ {
		fn(i)
	}
	_, _ = w.d.ReadToken()
}

// decodeSegmentation reads one segmentation, adding its problems to probs
// under index i.
func decodeSegmentation(i int, w *walker, probs *problems) Segmentation {
	var s Segmentation
	switch k := w.kind(); k {
	case 'n':
		w.skip()
		return s // like an empty object: Compile reports what is missing
	case '{':
	default:
		w.skip()
		probs.add(i, "", "", ReasonType, "", "must be a JSON object, not a JSON %s", kindName(k))
		return s
	}
	// Problems are named with the id, which may come last in the object.
	var own problems
	w.object(func(key string) {
		switch strings.ToLower(key) { // keys match case-insensitively, as encoding/json did
		case "id":
			decodeString(w, &s.ID, key, &own)
		case "name":
			decodeString(w, &s.Name, key, &own)
		case "active":
			switch k := w.kind(); k {
			case 't', 'f':
				s.Active = k == 't'
				w.skip()
			case 'n':
				w.skip()
			default:
				w.skip()
				own.add(i, "", key, ReasonType, "", "must be true or false, not a JSON %s", kindName(k))
			}
		case "events":
			decodeArray(w, key, "an array of event names", &own, func(j int) {
				var name string
				decodeString(w, &name, key+"["+strconv.Itoa(j)+"]", &own)
				s.Events = append(s.Events, hotmart.EventType(name))
			})
		case "products":
			decodeArray(w, key, "an array of product ids or ucodes", &own, func(j int) {
				var id string
				switch k := w.kind(); k {
				case '"':
					decodeString(w, &id, "", &own)
				case '0':
					id = string(w.value()) // the number as written: 1234567
				case 'n':
					w.skip()
				default:
					w.skip()
					own.add(i, "", key+"["+strconv.Itoa(j)+"]", ReasonType, "",
						"must be a product id or ucode (a string or number), not a JSON %s", kindName(k))
				}
				s.Products = append(s.Products, hotmart.ID(id))
			})
		case "conditions":
			decodeArray(w, key, "an array of condition objects", &own, func(j int) {
				s.Conditions = append(s.Conditions, decodeCondition(w, key+"["+strconv.Itoa(j)+"]", &own))
			})
		case "action":
			s.Action = decodeAction(w, &own)
		default:
			w.skip()
			own.add(i, "", key, ReasonUnknown, suggest.Closest(key, segmentationKeys), "unknown key")
		}
	})
	for _, p := range own.list {
		p.Index, p.Segmentation = i, s.ID
		probs.list = append(probs.list, p)
	}
	return s
}

func decodeCondition(w *walker, at string, probs *problems) Condition {
	var c Condition
	switch k := w.kind(); k {
	case 'n':
		w.skip()
		return c
	case '{':
	default:
		w.skip()
		probs.add(0, "", at, ReasonType, "", "must be a condition object, not a JSON %s", kindName(k))
		return c
	}
	w.object(func(key string) {
		switch strings.ToLower(key) {
		case "field":
			decodeString(w, &c.Field, at+".field", probs)
		case "op":
			var op string
			decodeString(w, &op, at+".op", probs)
			c.Op = Op(op)
		case "value":
			if v := w.value(); v.Kind() != 'n' {
				c.Value = json.RawMessage(bytes.Clone(v))
			}
		default:
			w.skip()
			probs.add(0, "", at+"."+key, ReasonUnknown, suggest.Closest(key, conditionKeys),
				`unknown key (a condition has "field", "op" and "value")`)
		}
	})
	return c
}

// decodeAction reads the flat action object: provider and command, and
// every other key as a parameter kept undecoded for the provider.
func decodeAction(w *walker, probs *problems) Action {
	var a Action
	switch k := w.kind(); k {
	case 'n':
		w.skip()
		return a
	case '{':
	default:
		w.skip()
		probs.add(0, "", "action", ReasonType, "", "must be a JSON object, not a JSON %s", kindName(k))
		return a
	}
	w.object(func(key string) {
		switch key {
		case "provider":
			decodeString(w, &a.Provider, "action.provider", probs)
		case "command":
			decodeString(w, &a.Command, "action.command", probs)
		default:
			if a.Params == nil {
				a.Params = make(map[string]json.RawMessage)
			}
			a.Params[key] = json.RawMessage(bytes.Clone(w.value()))
		}
	})
	return a
}

// decodeString consumes a value and stores it in dst if it is a JSON
// string; null leaves dst alone.
func decodeString(w *walker, dst *string, at string, probs *problems) {
	switch k := w.kind(); k {
	case '"':
		s, err := jsontext.AppendUnquote(nil, w.value())
		if err == nil {
			*dst = string(s)
		}
	case 'n':
		w.skip()
	default:
		w.skip()
		probs.add(0, "", at, ReasonType, "", "must be a string, not a JSON %s", kindName(k))
	}
}

// decodeArray consumes a value, calling fn for each element if it is a
// JSON array; null is an empty array.
func decodeArray(w *walker, at, want string, probs *problems, fn func(int)) {
	switch k := w.kind(); k {
	case '[':
		w.array(fn)
	case 'n':
		w.skip()
	default:
		w.skip()
		probs.add(0, "", at, ReasonType, "", "must be %s, not a JSON %s", want, kindName(k))
	}
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "string"
	case '0':
		return "number"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "value"
}

// syntaxProblem describes a document that is not JSON. A repeated key is
// reported where it is, as ReasonDuplicate: the JSON is readable, but which
// of the two values was meant is not.
func syntaxProblem(data []byte, err error) Problem {
	p := Problem{Index: -1, Reason: ReasonSyntax, Message: "invalid JSON"}
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			p.Message = "invalid JSON: unexpected end of input"
		}
		return p
	}
	p.Line, p.Column = lineCol(data, se.ByteOffset)
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.Message = "invalid JSON: unexpected end of input"
	case errors.Is(err, jsontext.ErrDuplicateName):
		p.Reason, p.Message = ReasonDuplicate, "repeated key"
		p.Index, p.Field = pointerPath(se.JSONPointer)
	default:
		if se.Err != nil {
			p.Message = "invalid JSON: " + strings.TrimPrefix(se.Err.Error(), "jsontext: ")
		}
	}
	return p
}

// pointerPath turns a JSON pointer ("/segmentations/2/conditions/0/op")
// into a segmentation index and a Field ("conditions[0].op"); index -1 for
// a pointer outside the segmentations.
func pointerPath(ptr jsontext.Pointer) (index int, field string) {
	var toks []string
	for tok := range ptr.Tokens() {
		toks = append(toks, tok)
	}
	index = -1
	if len(toks) >= 2 && toks[0] == "segmentations" {
		if n, err := strconv.Atoi(toks[1]); err == nil {
			index, toks = n, toks[2:]
		}
	}
	var b strings.Builder
	parent := ""
	for _, tok := range toks {
		if _, err := strconv.Atoi(tok); err == nil && isArrayKey(parent) {
			b.WriteString("[" + tok + "]")
		} else {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(tok)
		}
		parent = tok
	}
	return index, b.String()
}

// isArrayKey reports whether the rules format holds an array under key.
func isArrayKey(key string) bool {
	switch key {
	case "segmentations", "events", "products", "conditions", "value", "send":
		return true
	}
	return false
}

func joinPath(parent, child string) string {
	if child == "" {
		return parent
	}
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// skipSpace returns the offset of the first non-blank byte at or after off.
func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n", data[off]) >= 0 {
		off++
	}
	return off
}

// lineCol returns the 1-based line and column of byte offset off.
func lineCol(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	line, col = 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
