package segment

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// compiledRule is a segmentation ready to be evaluated.
type compiledRule struct {
	seg      *Segmentation
	index    int
	events   []hotmart.EventType // canonical, deduplicated
	products []string            // index keys: ids and lower-cased ucodes
	conds    []compiledCond
	params   any // the provider's CompileAction result
}

// compiledCond is a condition bound to its field accessor and predicate.
type compiledCond struct {
	src   int // index in Segmentation.Conditions
	field *field
	test  func(value) bool
}

// holds reports whether every condition holds on e.
func (r *compiledRule) holds(e *hotmart.Event) bool {
	for i := range r.conds {
		c := &r.conds[i]
		if !c.test(c.field.resolve(e)) {
			return false
		}
	}
	return true
}

// Compile checks rules and turns them into a Program. It reports every
// problem it finds as one *RulesError (each Problem naming the
// segmentation's index and id, the field at fault, a Reason and, for a
// likely typo, a Suggestion): required values (id, at least one event),
// unknown operators, duplicate ids, unknown events, unknown field paths,
// operators that do not fit the field's type, values of the wrong type,
// enum values outside their field's set, and actions the providers reject.
// Inactive segmentations are checked too, so switching one on later cannot
// fail.
//
// The Program holds its own copy of rules: changing rules afterwards does
// not change it.
func Compile(rules Rules, opts ...Option) (*Program, error) {
	var o options
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	rules = rules.clone()
	var probs problems
	validateStruct(&rules, &probs)

	p := &Program{
		rules:    rules,
		compiled: make([]compiledRule, len(rules.Segmentations)),
		byID:     make(map[string]int, len(rules.Segmentations)),
	}
	for i := range rules.Segmentations {
		s := &rules.Segmentations[i]
		r := &p.compiled[i]
		r.seg, r.index = s, i
		if s.ID != "" {
			if j, dup := p.byID[s.ID]; dup {
				probs.add(i, s.ID, "id", ReasonDuplicate, "", "duplicate id: segmentations[%d] has it too", j)
			} else {
				p.byID[s.ID] = i
			}
		}
		compileScope(r, s, &probs)
		compileConditions(r, s, &probs)
		compileAction(r, s, &o, &probs)
	}
	if len(probs.list) > 0 {
		sortProblems(probs.list)
		return nil, probs.err()
	}
	p.buildIndex()
	return p, nil
}

// compileScope checks and normalises events and products.
func compileScope(r *compiledRule, s *Segmentation, probs *problems) {
	for j, ev := range s.Events {
		if ev == "" {
			continue // reported by the struct checks
		}
		c := hotmart.EventType(strings.ToUpper(strings.TrimSpace(string(ev))))
		if !c.Known() {
			probs.add(r.index, s.ID, fmt.Sprintf("events[%d]", j), ReasonUnknown,
				suggest.Closest(string(c), eventNames), "unknown event %q", string(ev))
			continue
		}
		if !slices.Contains(r.events, c) {
			r.events = append(r.events, c)
		}
	}
	for _, pr := range s.Products {
		key := productKey(string(pr))
		if key != "" && !slices.Contains(r.products, key) {
			r.products = append(r.products, key)
		}
	}
}

// productKey is the index key of a product id or ucode: ucodes are UUIDs,
// whose case carries no meaning.
func productKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func compileConditions(r *compiledRule, s *Segmentation, probs *problems) {
	for j, c := range s.Conditions {
		if strings.TrimSpace(c.Field) == "" || !knownOp(c.Op) {
			continue // reported by the struct checks
		}
		at := fmt.Sprintf("conditions[%d]", j)
		f, ok := lookupField(c.Field)
		if !ok {
			probs.add(r.index, s.ID, at+".field", ReasonUnknown, closestField(c.Field), "unknown field %q", c.Field)
			continue
		}
		test, prob := compileCond(f, c.Op, c.Value)
		if prob != nil {
			probs.add(r.index, s.ID, at+"."+prob.Sub, prob.Reason, prob.Suggestion, "%s", prob.Msg)
			continue
		}
		r.conds = append(r.conds, compiledCond{src: j, field: f, test: test})
	}
}

func compileAction(r *compiledRule, s *Segmentation, o *options, probs *problems) {
	a := s.Action
	if a.Provider == "" || a.Command == "" {
		return // reported by the struct checks
	}
	prov, ok := o.providers[a.Provider]
	if !ok {
		if o.allowUnknown {
			return
		}
		known := make([]string, 0, len(o.providers))
		for name := range o.providers {
			known = append(known, name)
		}
		slices.Sort(known)
		msg := fmt.Sprintf("unknown provider %q", a.Provider)
		if len(known) > 0 {
			msg += " (known: " + strings.Join(known, ", ") + ")"
		} else {
			msg += " (no providers given to Compile; use WithProviders)"
		}
		probs.add(r.index, s.ID, "action.provider", ReasonUnknown, suggest.Closest(a.Provider, known), "%s", msg)
		return
	}
	if cmds := prov.Commands(); !slices.Contains(cmds, a.Command) {
		probs.add(r.index, s.ID, "action.command", ReasonUnknown, suggest.Closest(a.Command, cmds),
			"unknown command %q for provider %s (want one of %s)", a.Command, a.Provider, strings.Join(cmds, ", "))
		return
	}
	params, err := callCompileAction(prov, a)
	if err != nil {
		list := actionProblems(err)
		// Providers often check parameters in map order; report them sorted.
		slices.SortStableFunc(list, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
		for _, p := range list {
			p.Index, p.Segmentation, p.Field = r.index, s.ID, joinPath("action", p.Field)
			probs.list = append(probs.list, p)
		}
		return
	}
	r.params = params
}

// actionProblems reads a provider's CompileAction error: every leaf of an
// errors.Join tree that carries Problems (a ProblemList, or any error with
// a Problems() []Problem method) gives them as they are; a *ParamError gives
// one ReasonInvalid problem at its Param; any other error is a problem of
// the action as a whole. Fields stay relative to the action.
func actionProblems(err error) []Problem {
	var out []Problem
	for _, e := range flattenErrors(err) {
		var pl interface{ Problems() []Problem }
		var pe *ParamError
		switch {
		case errors.As(e, &pl):
			for _, p := range pl.Problems() {
				if p.Reason == "" {
					p.Reason = ReasonInvalid
				}
				out = append(out, p)
			}
		case errors.As(e, &pe):
			out = append(out, Problem{Field: pe.Param, Reason: ReasonInvalid, Message: pe.Reason})
		default:
			out = append(out, Problem{Reason: ReasonInvalid, Message: e.Error()})
		}
	}
	return out
}

// callCompileAction shields Compile from a provider that panics on odd
// parameters: the panic becomes a problem of the rule.
func callCompileAction(p Provider, a Action) (params any, err error) {
	defer func() {
		if v := recover(); v != nil {
			// Only the panic's type: its value is the provider's internals.
			params, err = nil, fmt.Errorf("provider %s panicked compiling %s (%T)", a.Provider, a.Command, v)
		}
	}()
	return p.CompileAction(a.Command, a.Params)
}

// flattenErrors expands errors.Join trees into their leaves.
func flattenErrors(err error) []error {
	// An error that lists its own problems is taken whole: its Problems
	// carry the reasons and suggestions its leaves would lose.
	if _, ok := err.(interface{ Problems() []Problem }); ok {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			if e != nil {
				out = append(out, flattenErrors(e)...)
			}
		}
		return out
	}
	return []error{err}
}

// sortProblems orders problems by segmentation, then by field in the order
// a rules file lists them, so the report reads top to bottom.
func sortProblems(list []Problem) {
	slices.SortStableFunc(list, func(a, b Problem) int {
		if a.Index != b.Index {
			return a.Index - b.Index
		}
		ra, ia := fieldRank(a.Field)
		rb, ib := fieldRank(b.Field)
		if ra != rb {
			return ra - rb
		}
		return ia - ib
	})
}

func fieldRank(field string) (rank, index int) {
	head, _, _ := strings.Cut(field, ".")
	name, idx, _ := strings.Cut(head, "[")
	index, _ = strconv.Atoi(strings.TrimSuffix(idx, "]"))
	for i, k := range [...]string{"id", "name", "active", "events", "products", "conditions", "action"} {
		if name == k {
			return i, index
		}
	}
	return 7, index
}
