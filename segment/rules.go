package segment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Rules is the content of a rules file: the seller's segmentations in order.
// It can be read with ParseRules or built in code; either way Compile checks
// it.
type Rules struct {
	Segmentations []Segmentation `json:"segmentations" validate:"dive"`
}

// Segmentation is one rule: when one of Events happens for one of Products
// (all products when empty) and every condition holds, run Action.
type Segmentation struct {
	ID   string `json:"id" validate:"required,max=200"`
	Name string `json:"name,omitempty" validate:"max=500"`
	// Active defaults to false, as in Hotmart's own tool: a new
	// segmentation does nothing until switched on.
	Active bool                `json:"active"`
	Events []hotmart.EventType `json:"events" validate:"min=1,dive,required"`
	// Products are product ids or ucodes; a rules file may write an id as
	// a JSON number or string.
	Products   []hotmart.ID `json:"products,omitempty" validate:"dive,required"`
	Conditions []Condition  `json:"conditions,omitempty" validate:"dive"`
	Action     Action       `json:"action"`
}

// Op is a condition operator.
type Op string

// The operators. See the package documentation for what each does with each
// field type and with absent fields.
const (
	OpEq        Op = "eq"
	OpNe        Op = "ne"
	OpIn        Op = "in"
	OpNotIn     Op = "not_in"
	OpGt        Op = "gt"
	OpGte       Op = "gte"
	OpLt        Op = "lt"
	OpLte       Op = "lte"
	OpContains  Op = "contains"
	OpPrefix    Op = "prefix"
	OpExists    Op = "exists"
	OpNotExists Op = "not_exists"
)

// Condition compares one field of the event with a value.
type Condition struct {
	Field string `json:"field" validate:"required"`
	Op    Op     `json:"op" validate:"required,oneof=eq ne in not_in gt gte lt lte contains prefix exists not_exists"`
	// Value is the JSON value to compare with: a string, number or
	// boolean as the field's type asks, an array for in and not_in, and
	// nothing for exists and not_exists.
	Value json.RawMessage `json:"value,omitempty"`
}

// Cond builds a condition in code; value is marshalled to JSON (pass nil for
// exists and not_exists).
func Cond(field string, op Op, value any) Condition {
	c := Condition{Field: field, Op: op}
	if value != nil {
		// A value that cannot be marshalled is left out, and Compile
		// reports the missing value.
		c.Value, _ = json.Marshal(value)
	}
	return c
}

// ParseRules reads a rules file. It reports every segmentation that cannot
// be decoded (a value of the wrong JSON type, an unknown key) as a
// *CompileError; the checks of the rules' meaning are Compile's. A document
// that is not JSON, or not an object with a "segmentations" array, is
// reported with its position.
func ParseRules(data []byte) (Rules, error) {
	var top struct {
		Segmentations []json.RawMessage `json:"segmentations"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&top); err != nil {
		return Rules{}, documentError(data, err)
	}
	if dec.More() {
		return Rules{}, fmt.Errorf("segment: rules: unexpected data after the top-level object")
	}
	var (
		rules Rules
		probs problems
	)
	if len(top.Segmentations) > 0 {
		rules.Segmentations = make([]Segmentation, len(top.Segmentations))
	}
	for i, raw := range top.Segmentations {
		s := &rules.Segmentations[i]
		d := json.NewDecoder(bytes.NewReader(raw))
		d.DisallowUnknownFields()
		err := d.Decode(s)
		if err == nil {
			continue
		}
		id := s.ID
		if id == "" {
			var idOnly struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(raw, &idOnly)
			id = idOnly.ID
		}
		field, reason := decodeProblem(err)
		probs.add(i, id, field, "%s", reason)
	}
	if err := probs.err(); err != nil {
		return Rules{}, err
	}
	return rules, nil
}

// decodeProblem turns a decoding error of one segmentation into a field
// path and a reason.
func decodeProblem(err error) (field, reason string) {
	var te *json.UnmarshalTypeError
	var pe *ParamError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &pe):
		return joinPath("action", pe.Param), pe.Reason
	case errors.As(err, &te) && te.Field == "":
		return "", "must be a JSON object"
	case errors.As(err, &te):
		return te.Field, fmt.Sprintf("must not be a JSON %s (want %s)", te.Value, jsonTypeName(te.Field))
	case errors.As(err, &se):
		return "", "invalid JSON: " + se.Error()
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return strings.Trim(name, `"`), "unknown key"
	}
	if strings.Contains(msg, "cannot unmarshal") && strings.Contains(msg, "Segmentation") {
		return "", "must be a JSON object"
	}
	return "", msg
}

// jsonTypeName says what a segmentation key holds, for decode errors.
func jsonTypeName(field string) string {
	switch field {
	case "id", "name", "conditions.field", "conditions.op":
		return "a string"
	case "active":
		return "a boolean"
	case "events":
		return "an array of event names"
	case "products":
		return "an array of product ids or ucodes"
	case "conditions":
		return "an array of condition objects"
	case "action":
		return "an object"
	}
	return "another type"
}

func joinPath(parent, child string) string {
	if child == "" {
		return parent
	}
	return parent + "." + child
}

// documentError reports an error of the whole document with its line and
// column.
func documentError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := lineCol(data, se.Offset-1) // Offset is just past the bad byte
		return fmt.Errorf("segment: rules: invalid JSON at line %d, column %d: %s", line, col, se.Error())
	case errors.As(err, &te):
		line, col := lineCol(data, te.Offset)
		what := "an object with a \"segmentations\" array"
		if te.Field != "" {
			what = "an array of segmentation objects"
		}
		return fmt.Errorf("segment: rules: line %d, column %d: the rules must be %s", line, col, what)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("segment: rules: empty document")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("segment: rules: invalid JSON: unexpected end of input")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		return fmt.Errorf("segment: rules: unknown top-level key %s (want \"segmentations\")", name)
	}
	return fmt.Errorf("segment: rules: %s", msg)
}

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

// clone returns a deep copy, so a Program is not affected by later changes
// to the Rules it was compiled from.
func (r Rules) clone() Rules {
	out := Rules{Segmentations: slices.Clone(r.Segmentations)}
	for i := range out.Segmentations {
		s := &out.Segmentations[i]
		s.Events = slices.Clone(s.Events)
		s.Products = slices.Clone(s.Products)
		s.Conditions = slices.Clone(s.Conditions)
		for j := range s.Conditions {
			s.Conditions[j].Value = bytes.Clone(s.Conditions[j].Value)
		}
		if s.Action.Params != nil {
			s.Action.Params = maps.Clone(s.Action.Params)
			for k, v := range s.Action.Params {
				s.Action.Params[k] = bytes.Clone(v)
			}
		}
	}
	return out
}
