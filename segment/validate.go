package segment

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// validateStruct runs the shape checks of Rules (required fields, lengths,
// the operator set) and adds each failure, with the index of its
// segmentation, to probs. They are written out rather than declared as
// struct tags for a validation library: segment must stay free of
// reflection-heavy dependencies (see the package table in DESIGN.md), and
// these few checks read plainly.
func validateStruct(rules *Rules, probs *problems) {
	for i := range rules.Segmentations {
		s := &rules.Segmentations[i]
		add := func(field string, reason Reason, hint, msg string) {
			probs.add(i, s.ID, field, reason, hint, "%s", msg)
		}
		switch {
		case s.ID == "":
			add("id", ReasonMissing, "", "required")
		case len(s.ID) > maxIDLen:
			add("id", ReasonInvalid, "", "longer than "+strconv.Itoa(maxIDLen)+" characters")
		}
		if len(s.Name) > maxNameLen {
			add("name", ReasonInvalid, "", "longer than "+strconv.Itoa(maxNameLen)+" characters")
		}
		if len(s.Events) == 0 {
			add("events", ReasonMissing, "", "at least one event is required")
		}
		for j, e := range s.Events {
			if e == "" {
				add("events["+strconv.Itoa(j)+"]", ReasonMissing, "", "must not be empty")
			}
		}
		for j, p := range s.Products {
			if p == "" {
				add("products["+strconv.Itoa(j)+"]", ReasonMissing, "", "must not be empty")
			}
		}
		for j, c := range s.Conditions {
			at := "conditions[" + strconv.Itoa(j) + "]."
			if c.Field == "" {
				add(at+"field", ReasonMissing, "", "required")
			}
			switch {
			case c.Op == "":
				add(at+"op", ReasonMissing, "", "required")
			case !knownOp(c.Op):
				add(at+"op", ReasonOperator,
					suggest.Closest(string(c.Op), operatorNames),
					fmt.Sprintf("unknown operator %q (want one of %s)", c.Op, strings.Join(operatorNames, ", ")))
			}
		}
		if s.Action.Provider == "" {
			add("action.provider", ReasonMissing, "", "required")
		}
		if s.Action.Command == "" {
			add("action.command", ReasonMissing, "", "required")
		}
	}
}

const (
	maxIDLen   = 200
	maxNameLen = 500
)

// operatorNames lists the operators in the order the documentation gives.
var operatorNames = []string{"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "prefix", "exists", "not_exists"}
