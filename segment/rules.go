package segment

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Rules is the content of a rules file: the seller's segmentations in order.
// It can be read with ParseRules or built in code; either way Compile checks
// it.
type Rules struct {
	Segmentations []Segmentation `json:"segmentations"`
}

// Segmentation is one rule: when one of Events happens for one of Products
// (all products when empty) and every condition holds, run Action.
type Segmentation struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Active defaults to false, as in Hotmart's own tool: a new
	// segmentation does nothing until switched on.
	Active bool                `json:"active"`
	Events []hotmart.EventType `json:"events"`
	// Products are product ids or ucodes; a rules file may write an id as
	// a JSON number or string.
	Products   []hotmart.ID `json:"products,omitempty"`
	Conditions []Condition  `json:"conditions,omitempty"`
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
	Field string `json:"field"`
	Op    Op     `json:"op"`
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
