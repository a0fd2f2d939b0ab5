package segment

import (
	"encoding/json"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Rules is the content of a rules file: the seller's segmentations in order.
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
	Active     bool                `json:"active"`
	Events     []hotmart.EventType `json:"events"`
	Products   []string            `json:"products,omitempty"` // product ids or ucodes
	Conditions []Condition         `json:"conditions,omitempty"`
	Action     Action              `json:"action"`
}

// Condition compares one field of the event with a value.
type Condition struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value,omitempty"`
}
