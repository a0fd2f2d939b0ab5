package segment

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Action is what a segmentation does when it matches: one command of one
// provider, with the command's parameters. In the rules file it is a flat
// object, {"provider": "leadlovers", "command": "add_lead", "machine": 111, …};
// every key other than provider and command is a parameter.
type Action struct {
	Provider string
	Command  string
	// Params holds every other key of the action object, undecoded. The
	// provider's CommandSpec decodes and validates them at Compile time.
	Params map[string]json.RawMessage
}

// UnmarshalJSON reads the flat action object.
func (a *Action) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return &ParamError{Reason: "must be a JSON object"}
	}
	*a = Action{}
	for k, v := range m {
		switch k {
		case "provider":
			if err := json.Unmarshal(v, &a.Provider); err != nil {
				return &ParamError{Param: "provider", Reason: "must be a string"}
			}
		case "command":
			if err := json.Unmarshal(v, &a.Command); err != nil {
				return &ParamError{Param: "command", Reason: "must be a string"}
			}
		default:
			if a.Params == nil {
				a.Params = make(map[string]json.RawMessage, len(m))
			}
			a.Params[k] = v
		}
	}
	return nil
}

// MarshalJSON writes the flat action object with keys in a stable order.
func (a Action) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	p, _ := json.Marshal(a.Provider)
	c, _ := json.Marshal(a.Command)
	buf.WriteString(`"provider":`)
	buf.Write(p)
	buf.WriteString(`,"command":`)
	buf.Write(c)
	keys := make([]string, 0, len(a.Params))
	for k := range a.Params {
		if k != "provider" && k != "command" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		kb, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(kb)
		buf.WriteByte(':')
		v := a.Params[k]
		if len(v) == 0 {
			v = json.RawMessage("null")
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Provider describes the commands one provider offers, so that Compile can
// check a rule's action without this package importing the provider. The
// leadlovers and sendpulse packages each export one (leadlovers.Spec,
// sendpulse.Spec); pass them to Compile with WithProviders.
type Provider interface {
	// Name is the value of "provider" in the rules file.
	Name() string
	// Commands lists the command names, for error messages.
	Commands() []string
	// CompileAction validates the parameters of command and returns the
	// provider's compiled form of them (typically a pointer to a params
	// struct holding parsed *Template values). It is called once per rule by
	// Compile; the value is handed back to the provider's executor in
	// Match.Params. Every problem of the action is reported at once as a
	// ProblemList (ProblemList.Err) whose Fields are relative to the
	// action ("machine", "stages.paid"), with a Reason and, for a
	// misspelled parameter name or value, a Suggestion (providers use
	// internal/suggest). Compile names the rule and keeps those fields.
	// Any error with a Problems() []Problem method, *ParamError values and
	// errors.Join trees of them are read too; any other error is a
	// problem of the action as a whole.
	CompileAction(command string, params map[string]json.RawMessage) (any, error)
}

// ParamError reports a problem with one action parameter. Compile reads it
// as a Problem with Reason ReasonInvalid; a ProblemList says more (the
// reason category, a suggestion).
type ParamError struct {
	Param  string // parameter path within the action, e.g. "stages.paid" or "machine"
	Reason string
}

func (e *ParamError) Error() string { return e.Param + ": " + e.Reason }

// Match is one segmentation that an event triggers.
type Match struct {
	// Segmentation is the matching rule as written (shared with the
	// Program: treat as read-only).
	Segmentation *Segmentation
	// Index is the rule's position in Rules.Segmentations.
	Index int
	// Event is the event that matched.
	Event *hotmart.Event
	// Params is the value the provider's CompileAction returned for this
	// rule's action; the provider's executor type-asserts it.
	Params any
}

// Action returns the matched rule's action.
func (m Match) Action() Action { return m.Segmentation.Action }

// Executor performs a matched action against a provider. The leadlovers and
// sendpulse packages each provide one; a host routes each Match to the
// executor registered for m.Action().Provider.
type Executor interface {
	Execute(ctx context.Context, m Match) error
}

// Render renders t for the matched event, for executors filling an action's
// templated parameters.
func (m Match) Render(t *Template) string { return t.Render(m.Event) }
