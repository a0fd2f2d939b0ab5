package leadlovers

import (
	"fmt"
	"strings"

	"github.com/hotmartkit/hotmartkit/internal/params"
	"github.com/hotmartkit/hotmartkit/segment"
)

// ParamError is one problem with one parameter of a rule's action.
type ParamError struct {
	// Field is the parameter's path within the action: "machine",
	// "from.sequence", "fields.119189", "send[1]".
	Field string
	// Reason says what is wrong, in this package's own words.
	Reason string
	// Suggestion is, for a misspelled parameter name, the known name
	// closest to it; "" when none is close.
	Suggestion string
	// Kind classifies the problem with segment's words: ReasonUnknown,
	// ReasonMissing, ReasonType, ReasonEnum or ReasonInvalid.
	Kind segment.Reason
}

func (e *ParamError) reason() string {
	if e.Suggestion == "" {
		return e.Reason
	}
	return fmt.Sprintf("%s (did you mean %q?)", e.Reason, e.Suggestion)
}

// Error reads "field: reason (did you mean "x"?)".
func (e *ParamError) Error() string { return e.Field + ": " + e.reason() }

// Unwrap presents the problem as a *segment.ParamError, so that
// segment.Compile names the rule and the parameter in its report.
func (e *ParamError) Unwrap() error { return &segment.ParamError{Param: e.Field, Reason: e.reason()} }

// ParamErrors is every problem CompileAction found in one action, sorted
// by field.
type ParamErrors []*ParamError

// Error lists the problems, one per line.
func (e ParamErrors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Problems presents every problem to segment.Compile, which reports them
// under "action." in the segmentation at fault, each with its Reason and
// Suggestion.
func (e ParamErrors) Problems() []segment.Problem {
	out := make([]segment.Problem, len(e))
	for i, p := range e {
		out[i] = segment.Problem{Field: p.Field, Reason: p.Kind, Message: p.Reason, Suggestion: p.Suggestion}
	}
	return out
}

// Unwrap returns each *ParamError.
func (e ParamErrors) Unwrap() []error {
	out := make([]error, len(e))
	for i, p := range e {
		out[i] = p
	}
	return out
}

func paramErrors(probs []params.Problem) error {
	params.Sort(probs)
	out := make(ParamErrors, len(probs))
	for i, p := range probs {
		out[i] = &ParamError{Field: p.Field, Reason: p.Reason, Suggestion: p.Suggestion, Kind: segment.Reason(p.Kind())}
	}
	return out
}
