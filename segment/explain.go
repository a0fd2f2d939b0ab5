package segment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Outcome says how a segmentation fared on an event.
type Outcome string

// Outcomes, in the order Explain checks them.
const (
	OutcomeMatched          Outcome = "matched"
	OutcomeInactive         Outcome = "inactive"
	OutcomeEventNotListed   Outcome = "event_not_listed"
	OutcomeProductNotListed Outcome = "product_not_listed"
	OutcomeConditionFailed  Outcome = "condition_failed"
)

// Explanation tells whether one segmentation matched an event and, if not,
// the first reason why.
type Explanation struct {
	Index   int    // position in Rules.Segmentations
	ID      string // segmentation id
	Outcome Outcome
	// Event is the event's type, and Product its product id and ucode as
	// seen by the product scope (set for every outcome).
	Event        hotmart.EventType
	ProductID    string
	ProductUCode string
	// For OutcomeConditionFailed: the failing condition, its index, and the
	// value the field had on the event (Present false when absent). Got may
	// be the buyer's personal data: String redacts it; the field itself is
	// kept for the seller's own debugging.
	Condition int // -1 unless OutcomeConditionFailed
	Field     string
	Op        Op
	Want      json.RawMessage
	Got       string
	Present   bool

	personal bool
}

// Matched reports whether the segmentation matched.
func (x Explanation) Matched() bool { return x.Outcome == OutcomeMatched }

// String explains the outcome in one line, e.g.
//
//	segmentations[1] (id "br-only"): conditions[0] buyer.address.country_iso eq "BR" failed: got "PT"
//
// A buyer's e-mail, phone or document is shown as [redacted].
func (x Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "segmentations[%d]", x.Index)
	if x.ID != "" {
		fmt.Fprintf(&b, " (id %q)", x.ID)
	}
	b.WriteString(": ")
	switch x.Outcome {
	case OutcomeMatched:
		b.WriteString("matched")
	case OutcomeInactive:
		b.WriteString("inactive")
	case OutcomeEventNotListed:
		fmt.Fprintf(&b, "event %s not listed", x.Event)
	case OutcomeProductNotListed:
		fmt.Fprintf(&b, "product %s", orNone(x.ProductID))
		if x.ProductUCode != "" {
			fmt.Fprintf(&b, " (ucode %s)", x.ProductUCode)
		}
		b.WriteString(" not listed")
	case OutcomeConditionFailed:
		fmt.Fprintf(&b, "conditions[%d] %s %s", x.Condition, x.Field, x.Op)
		if len(x.Want) > 0 {
			b.WriteByte(' ')
			b.Write(x.Want)
		}
		b.WriteString(" failed: ")
		switch {
		case !x.Present:
			b.WriteString("field absent")
		case x.personal:
			b.WriteString("got [redacted]")
		default:
			fmt.Fprintf(&b, "got %q", x.Got)
		}
	default:
		b.WriteString(string(x.Outcome))
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// Explain tells, for every segmentation in rule order, whether it matches e
// and, if not, the first reason: inactive, event not listed, product not
// listed, or the first condition that failed with the value it saw. It
// visits every rule, so it is for debugging and test tools, not the hot
// path.
func (p *Program) Explain(e *hotmart.Event) []Explanation {
	if p == nil {
		return nil
	}
	var typ hotmart.EventType
	var prod hotmart.ProductRef
	if e != nil {
		typ, prod = e.Type, e.Product()
	}
	out := make([]Explanation, len(p.compiled))
	for i := range p.compiled {
		r := &p.compiled[i]
		x := Explanation{Index: i, ID: r.seg.ID, Event: typ, ProductID: string(prod.ID),
			ProductUCode: prod.UCode, Condition: -1}
		x.Outcome = p.explainOne(r, e, &x, prod)
		out[i] = x
	}
	return out
}

func (p *Program) explainOne(r *compiledRule, e *hotmart.Event, x *Explanation, prod hotmart.ProductRef) Outcome {
	if !r.seg.Active {
		return OutcomeInactive
	}
	if e == nil || !slices.Contains(r.events, e.Type) {
		return OutcomeEventNotListed
	}
	if len(r.products) > 0 {
		id, uc := string(prod.ID), productKey(prod.UCode)
		if !slices.ContainsFunc(r.products, func(k string) bool { return (id != "" && k == id) || (uc != "" && k == uc) }) {
			return OutcomeProductNotListed
		}
	}
	for j := range r.conds {
		c := &r.conds[j]
		v := c.field.resolve(e)
		if c.test(v) {
			continue
		}
		src := r.seg.Conditions[c.src]
		x.Condition, x.Field, x.Op, x.Want = c.src, c.field.Path, src.Op, src.Value
		x.Got, x.Present, x.personal = v.String(), v.present(), c.field.Personal
		return OutcomeConditionFailed
	}
	return OutcomeMatched
}
