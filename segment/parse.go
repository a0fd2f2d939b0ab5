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
	eachMember(top, func(key string, v jsontext.Value) {
		if key != "segmentations" {
			probs.add(-1, "", key, ReasonUnknown, suggest.Closest(key, topKeys), `unknown key (the rules have only "segmentations")`)
			return
		}
		switch v.Kind() {
		case 'n':
		case '[':
			eachElement(v, func(i int, sv jsontext.Value) {
				rules.Segmentations = append(rules.Segmentations, decodeSegmentation(i, sv, &probs))
			})
		default:
			probs.add(-1, "", key, ReasonType, "", "must be an array of segmentation objects, not a JSON %s", kindName(v.Kind()))
		}
	})
	if err := probs.err(); err != nil {
		return Rules{}, err
	}
	return rules, nil
}

// decodeSegmentation reads one segmentation, adding its problems to probs
// under index i.
func decodeSegmentation(i int, v jsontext.Value, probs *problems) Segmentation {
	var s Segmentation
	switch v.Kind() {
	case 'n':
		return s // like an empty object: Compile reports what is missing
	case '{':
	default:
		probs.add(i, "", "", ReasonType, "", "must be a JSON object, not a JSON %s", kindName(v.Kind()))
		return s
	}
	// Problems are named with the id, which may come last in the object.
	var own problems
	eachMember(v, func(key string, v jsontext.Value) {
		switch key {
		case "id":
			decodeString(v, &s.ID, key, &own)
		case "name":
			decodeString(v, &s.Name, key, &own)
		case "active":
			switch v.Kind() {
			case 't', 'f':
				s.Active = v.Kind() == 't'
			case 'n':
			default:
				own.add(i, "", key, ReasonType, "", "must be true or false, not a JSON %s", kindName(v.Kind()))
			}
		case "events":
			decodeArray(v, key, "an array of event names", &own, func(j int, ev jsontext.Value) {
				var name string
				decodeString(ev, &name, key+"["+strconv.Itoa(j)+"]", &own)
				s.Events = append(s.Events, hotmart.EventType(name))
			})
		case "products":
			decodeArray(v, key, "an array of product ids or ucodes", &own, func(j int, pv jsontext.Value) {
				var id string
				switch pv.Kind() {
				case '"':
					decodeString(pv, &id, "", &own)
				case '0':
					id = string(pv) // the number as written: 1234567
				case 'n':
				default:
					own.add(i, "", key+"["+strconv.Itoa(j)+"]", ReasonType, "",
						"must be a product id or ucode (a string or number), not a JSON %s", kindName(pv.Kind()))
				}
				s.Products = append(s.Products, hotmart.ID(id))
			})
		case "conditions":
			decodeArray(v, key, "an array of condition objects", &own, func(j int, cv jsontext.Value) {
				s.Conditions = append(s.Conditions, decodeCondition(cv, key+"["+strconv.Itoa(j)+"]", &own))
			})
		case "action":
			s.Action = decodeAction(v, &own)
		default:
			own.add(i, "", key, ReasonUnknown, suggest.Closest(key, segmentationKeys), "unknown key")
		}
	})
	for _, p := range own.list {
		p.Index, p.Segmentation = i, s.ID
		probs.list = append(probs.list, p)
	}
	return s
}

func decodeCondition(v jsontext.Value, at string, probs *problems) Condition {
	var c Condition
	switch v.Kind() {
	case 'n':
		return c
	case '{':
	default:
		probs.add(0, "", at, ReasonType, "", "must be a condition object, not a JSON %s", kindName(v.Kind()))
		return c
	}
	eachMember(v, func(key string, v jsontext.Value) {
		switch key {
		case "field":
			decodeString(v, &c.Field, at+".field", probs)
		case "op":
			var op string
			decodeString(v, &op, at+".op", probs)
			c.Op = Op(op)
		case "value":
			if v.Kind() != 'n' {
				c.Value = json.RawMessage(bytes.Clone(v))
			}
		default:
			probs.add(0, "", at+"."+key, ReasonUnknown, suggest.Closest(key, conditionKeys),
				`unknown key (a condition has "field", "op" and "value")`)
		}
	})
	return c
}

// decodeAction reads the flat action object: provider and command, and
// every other key as a parameter kept undecoded for the provider.
func decodeAction(v jsontext.Value, probs *problems) Action {
	var a Action
	switch v.Kind() {
	case 'n':
		return a
	case '{':
	default:
		probs.add(0, "", "action", ReasonType, "", "must be a JSON object, not a JSON %s", kindName(v.Kind()))
		return a
	}
	eachMember(v, func(key string, v jsontext.Value) {
		switch key {
		case "provider":
			decodeString(v, &a.Provider, "action.provider", probs)
		case "command":
			decodeString(v, &a.Command, "action.command", probs)
		default:
			if a.Params == nil {
				a.Params = make(map[string]json.RawMessage)
			}
			a.Params[key] = json.RawMessage(bytes.Clone(v))
		}
	})
	return a
}

// decodeString stores a JSON string in dst; null leaves dst alone.
func decodeString(v jsontext.Value, dst *string, at string, probs *problems) {
	switch v.Kind() {
	case '"':
		s, err := jsontext.AppendUnquote(nil, v)
		if err == nil {
			*dst = string(s)
		}
	case 'n':
	default:
		probs.add(0, "", at, ReasonType, "", "must be a string, not a JSON %s", kindName(v.Kind()))
	}
}

// decodeArray calls fn for each element of a JSON array; null is an empty
// array.
func decodeArray(v jsontext.Value, at, want string, probs *problems, fn func(int, jsontext.Value)) {
	switch v.Kind() {
	case '[':
		eachElement(v, fn)
	case 'n':
	default:
		probs.add(0, "", at, ReasonType, "", "must be %s, not a JSON %s", want, kindName(v.Kind()))
	}
}

// eachMember calls fn for each member of a valid JSON object, in order. The
// value passed to fn is only valid during the call.
func eachMember(obj jsontext.Value, fn func(string, jsontext.Value)) {
	d := jsontext.NewDecoder(bytes.NewReader(obj))
	if _, err := d.ReadToken(); err != nil {
		return
	}
	for d.PeekKind() == '"' {
		name, err := d.ReadToken()
		if err != nil {
			return
		}
		key := name.String()
		v, err := d.ReadValue()
		if err != nil {
			return
		}
		fn(key, v)
	}
}

// eachElement calls fn for each element of a valid JSON array, in order.
func eachElement(arr jsontext.Value, fn func(int, jsontext.Value)) {
	d := jsontext.NewDecoder(bytes.NewReader(arr))
	if _, err := d.ReadToken(); err != nil {
		return
	}
	for i := 0; d.PeekKind() != ']' && d.PeekKind() != 0; i++ {
		v, err := d.ReadValue()
		if err != nil {
			return
		}
		fn(i, v)
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
