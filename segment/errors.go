package segment

import (
	"fmt"
	"strings"
)

// RuleError is one problem with one segmentation of a rules file.
type RuleError struct {
	// Index is the segmentation's position in Rules.Segmentations; -1 for a
	// problem with the rules file as a whole.
	Index int
	// ID is the segmentation's id, "" when it has none.
	ID string
	// Field is the path of the offending field inside the segmentation, in
	// the rules file's spelling: "events[0]", "conditions[1].op",
	// "action.machine". "" when the problem is the segmentation as a whole.
	Field string
	// Reason says what is wrong. It never quotes values of the event.
	Reason string
}

// Error reads like
// `segmentations[2] (id "approved-br"): conditions[1].op: unknown operator "equals"`.
func (e *RuleError) Error() string {
	var b strings.Builder
	if e.Index < 0 {
		b.WriteString("rules")
	} else {
		fmt.Fprintf(&b, "segmentations[%d]", e.Index)
		if e.ID != "" {
			fmt.Fprintf(&b, " (id %q)", e.ID)
		}
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// CompileError lists every problem found in a rules file, in rule order. Use
// errors.As to get it (or any single *RuleError) from the error returned by
// ParseRules or Compile.
type CompileError struct {
	Errors []*RuleError
}

// Error lists the problems, one per line.
func (e *CompileError) Error() string {
	lines := make([]string, len(e.Errors))
	for i, re := range e.Errors {
		lines[i] = re.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual *RuleError values.
func (e *CompileError) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, re := range e.Errors {
		out[i] = re
	}
	return out
}

// problems collects RuleErrors while rules are checked.
type problems struct {
	list []*RuleError
}

func (p *problems) add(index int, id, field, format string, args ...any) {
	p.list = append(p.list, &RuleError{Index: index, ID: id, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// err returns the collected problems as a *CompileError, or nil.
func (p *problems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return &CompileError{Errors: p.list}
}
