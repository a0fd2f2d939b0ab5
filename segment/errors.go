package segment

import (
	"fmt"
	"strconv"
	"strings"
)

// Reason classifies a Problem, so that code (a console marking the field at
// fault, a test, a linter) can react to it without reading its message. The
// values are stable; messages are for people and may be reworded.
type Reason string

// The reasons a rules file is refused.
const (
	// ReasonSyntax: the document is not JSON, is empty, or has data after
	// the top-level object. Problem.Line and Column say where.
	ReasonSyntax Reason = "syntax"
	// ReasonType: a value of the wrong JSON type ("active": "yes"), or a
	// condition value that does not fit its field's type.
	ReasonType Reason = "type"
	// ReasonUnknown: an unknown key, event, field path, provider, command
	// or action parameter.
	ReasonUnknown Reason = "unknown"
	// ReasonMissing: a required value is absent or empty.
	ReasonMissing Reason = "missing"
	// ReasonEnum: a value outside its field's set (purchase.status
	// "APROVED") or format (a currency that is not three letters).
	ReasonEnum Reason = "enum"
	// ReasonOperator: an unknown operator, or one that does not apply to
	// the field's type.
	ReasonOperator Reason = "operator"
	// ReasonDuplicate: a second segmentation with the same id.
	ReasonDuplicate Reason = "duplicate"
	// ReasonInvalid: any other value that cannot be accepted (an empty
	// list, a text too long, an action its provider refuses).
	ReasonInvalid Reason = "invalid"
)

// Problem is one thing wrong with a rules file. ParseRules and Compile
// report every problem they find in one *RulesError.
type Problem struct {
	// Index is the segmentation's position in the file, or -1 for a
	// problem with the document as a whole.
	Index int `json:"index"`
	// Segmentation is the segmentation's id, "" when it has none (or for
	// a problem with the document).
	Segmentation string `json:"segmentation,omitempty"`
	// Field is the path of the value at fault, relative to the
	// segmentation and spelled as in the rules file: "events[0]",
	// "conditions[1].value", "conditions[1].value[2]", "action.machine",
	// "action.stages.paid". Keys are joined with ".", array elements
	// indexed from 0 in brackets. "" when the problem is the segmentation
	// (or the document) as a whole. For a document problem it is the
	// top-level key ("segmentations", or an unknown key). Path gives the
	// path from the document's root.
	Field string `json:"field,omitempty"`
	// Reason classifies the problem.
	Reason Reason `json:"reason"`
	// Message says what is wrong, without the segmentation, the field or
	// the suggestion (String adds them). It quotes the rule's own values,
	// never an event's.
	Message string `json:"message"`
	// Suggestion is the nearest valid value, when one is close enough to
	// be a likely typo: "APPROVED" for "APROVED", "buyer.address.country_iso"
	// for "buyer.adress.country_iso".
	Suggestion string `json:"suggestion,omitempty"`
	// Line and Column locate the problem in the document (1-based) when
	// ParseRules met it while reading the JSON: a syntax error, a repeated
	// key, a top level that is not an object. 0 otherwise.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// Path returns Field as a path from the document's root:
// "segmentations[2].conditions[1].op".
func (p Problem) Path() string {
	if p.Index < 0 {
		return p.Field
	}
	return joinPath("segmentations["+strconv.Itoa(p.Index)+"]", p.Field)
}

// String reads like
// `segmentations[2] (id "approved-br"): conditions[1].value: "APROVED" is not a purchase.status (did you mean "APPROVED"?)`.
// Each piece of context appears once.
func (p Problem) String() string {
	var b strings.Builder
	if p.Index < 0 {
		b.WriteString("rules")
		if p.Line > 0 {
			fmt.Fprintf(&b, ": line %d, column %d", p.Line, p.Column)
		}
	} else {
		b.WriteString("segmentations[")
		b.WriteString(strconv.Itoa(p.Index))
		b.WriteByte(']')
		if p.Segmentation != "" {
			fmt.Fprintf(&b, " (id %q)", p.Segmentation)
		}
	}
	b.WriteString(": ")
	p.writeDetail(&b)
	return b.String()
}

// writeDetail writes "field: message (did you mean …?)".
func (p Problem) writeDetail(b *strings.Builder) {
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Suggestion != "" {
		fmt.Fprintf(b, " (did you mean %q?)", p.Suggestion)
	}
}

// RulesError is the error of ParseRules and Compile: every problem found,
// in file order. Get it with errors.As.
type RulesError struct {
	Problems []Problem
}

// Error lists the problems, one per line (see Problem.String).
func (e *RulesError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// ProblemList is an error made of Problems whose Field is relative to an
// action's parameters ("machine", "stages.paid"). A Provider's
// CompileAction returns one (with ProblemList.Err) to report every problem
// of an action at once, each with its Reason and Suggestion; Compile places
// them under "action." in the segmentation at fault. Index and Segmentation
// are filled in by Compile. Any error with a Problems() []Problem method is
// read the same way.
type ProblemList []Problem

// Problems returns the list, so Compile reads it like any error that
// carries problems.
func (l ProblemList) Problems() []Problem { return l }

// Error lists the problems as "field: message", separated by "; ".
func (l ProblemList) Error() string {
	var b strings.Builder
	for i, p := range l {
		if i > 0 {
			b.WriteString("; ")
		}
		p.writeDetail(&b)
	}
	return b.String()
}

// Err returns l as an error, or nil when it is empty: a nil ProblemList
// stored in an error interface would not be a nil error.
func (l ProblemList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// problems collects Problems while rules are checked.
type problems struct {
	list []Problem
}

// add records a problem of segmentation index (id) at field.
func (p *problems) add(index int, id, field string, reason Reason, suggestion, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	p.list = append(p.list, Problem{Index: index, Segmentation: id, Field: field, Reason: reason, Message: msg, Suggestion: suggestion})
}

// err returns the collected problems as a *RulesError, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &RulesError{Problems: p.list}
}
