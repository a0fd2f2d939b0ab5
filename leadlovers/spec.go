package leadlovers

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hotmartkit/hotmartkit/internal/params"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/hotmartkit/hotmartkit/segment"
)

// Commands of the leadlovers provider in a rules file.
const (
	CommandAddLead    = "add_lead"
	CommandMoveLead   = "move_lead"
	CommandRemoveLead = "remove_lead"
)

// Values of add_lead's "send".
const (
	SendEmail     = "email"
	SendName      = "name"
	SendPhone     = "phone"
	SendBilletURL = "billet_url"
)

// ActionSpec describes the leadlovers commands to segment.Compile. Use the
// package's Spec value, or Spec.WithBilletField(id) to give every add_lead
// a default dynamic field for the boleto link.
type ActionSpec struct {
	// BilletField is the DynamicField id that receives the boleto link
	// (data.purchase.payment.billet_url) when an add_lead sends
	// "billet_url" without its own "billet_field". Zero means each such
	// action must name one.
	BilletField int
}

// Spec is the leadlovers provider for segment.Compile
// (segment.WithProviders(leadlovers.Spec)).
var Spec = ActionSpec{}

var _ segment.Provider = ActionSpec{}

// WithBilletField returns a copy of s whose default boleto field is id.
func (s ActionSpec) WithBilletField(id int) ActionSpec {
	s.BilletField = id
	return s
}

// Name is "leadlovers".
func (ActionSpec) Name() string { return "leadlovers" }

// Commands lists add_lead, move_lead and remove_lead.
func (ActionSpec) Commands() []string {
	return []string{CommandAddLead, CommandMoveLead, CommandRemoveLead}
}

// AddLeadAction is a compiled add_lead: put the buyer in a machine,
// sequence and level, with the data chosen by "send".
type AddLeadAction struct {
	Send        []string // always holds "email"
	Machine     int
	Sequence    int
	Level       int
	Tag         int // 0 for none
	BilletField int // DynamicField id for the boleto link; 0 when not sent
	Fields      []FieldTemplate
}

// FieldTemplate fills one DynamicField from the event.
type FieldTemplate struct {
	ID       int
	Template *segment.Template
}

// sends reports whether the action sends what.
func (a *AddLeadAction) sends(what string) bool { return slices.Contains(a.Send, what) }

// MoveLeadAction is a compiled move_lead.
type MoveLeadAction struct {
	FromMachine, FromSequence      int
	ToMachine, ToSequence, ToLevel int
}

// RemoveLeadAction is a compiled remove_lead. Sequence 0 removes the lead
// from the whole machine.
type RemoveLeadAction struct {
	Machine, Sequence int
}

// Params as written in the rules file; validator checks them.
type addLeadParams struct {
	Send        []string          `json:"send" validate:"omitempty,dive,oneof=email name phone billet_url"`
	Machine     int               `json:"machine" validate:"required,gt=0"`
	Sequence    int               `json:"sequence" validate:"required,gt=0"`
	Level       int               `json:"level" validate:"required,gt=0"`
	Tag         int               `json:"tag" validate:"gte=0"`
	BilletField int               `json:"billet_field" validate:"gte=0"`
	Fields      map[string]string `json:"fields"`
}

type place struct {
	Machine  int `json:"machine" validate:"required,gt=0"`
	Sequence int `json:"sequence" validate:"required,gt=0"`
	Level    int `json:"level,omitempty" validate:"gte=0"`
}

type moveLeadParams struct {
	From *place `json:"from" validate:"required"`
	To   *place `json:"to" validate:"required"`
}

type removeLeadParams struct {
	Machine  int `json:"machine" validate:"required,gt=0"`
	Sequence int `json:"sequence" validate:"gte=0"`
}

// paramValidate reports fields by their rules-file names.
var paramValidate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	return v
}()

// CompileAction validates a leadlovers action's parameters. It reports
// every problem at once, as ParamErrors: one *ParamError per problem,
// naming the parameter ("machine", "from.sequence", "fields.119189",
// "send[1]"), saying why, and suggesting the parameter meant when a name
// is misspelled.
func (s ActionSpec) CompileAction(command string, params map[string]json.RawMessage) (any, error) {
	switch command {
	case CommandAddLead:
		return s.compileAddLead(params)
	case CommandMoveLead:
		return compileMoveLead(params)
	case CommandRemoveLead:
		return compileRemoveLead(params)
	}
	return nil, fmt.Errorf("leadlovers: unknown command %q (want one of %s)", command, strings.Join(s.Commands(), ", "))
}

func (s ActionSpec) compileAddLead(raw map[string]json.RawMessage) (any, error) {
	var p addLeadParams
	probs := checkParams(raw, &p)
	a := &AddLeadAction{Send: []string{SendEmail}, Machine: p.Machine, Sequence: p.Sequence, Level: p.Level, Tag: p.Tag}
	for _, v := range p.Send {
		if !slices.Contains(a.Send, v) {
			a.Send = append(a.Send, v)
		}
	}
	if a.sends(SendBilletURL) {
		a.BilletField = p.BilletField
		if a.BilletField == 0 {
			a.BilletField = s.BilletField
		}
		if a.BilletField <= 0 && !params.Covered(probs, "billet_field") {
			probs = append(probs, params.Problem{Field: "billet_field",
				Reason: `required when send has "billet_url": the id of the leadlovers dynamic field that receives the boleto link (or set leadlovers.Spec.WithBilletField)`})
		}
	} else if p.BilletField != 0 {
		probs = append(probs, params.Problem{Field: "billet_field", Reason: `only meaningful when send has "billet_url"`})
	}
	for _, k := range sortedKeys(p.Fields) {
		field := "fields." + k
		id, err := strconv.Atoi(strings.TrimSpace(k))
		if err != nil || id <= 0 {
			probs = append(probs, params.Problem{Field: field, Reason: "key must be a positive dynamic field id"})
			continue
		}
		if id == a.BilletField {
			probs = append(probs, params.Problem{Field: field, Reason: "is also the billet_field; send the boleto link one way only"})
			continue
		}
		t, err := segment.ParseTemplate(p.Fields[k])
		if err != nil {
			probs = append(probs, params.Problem{Field: field, Reason: err.Error()})
			continue
		}
		a.Fields = append(a.Fields, FieldTemplate{ID: id, Template: t})
	}
	if len(probs) > 0 {
		return nil, paramErrors(probs)
	}
	return a, nil
}

func compileMoveLead(raw map[string]json.RawMessage) (any, error) {
	var p moveLeadParams
	probs := checkParams(raw, &p)
	if p.From != nil && p.From.Level != 0 {
		probs = append(probs, params.Problem{Field: "from.level", Reason: "not used: a move starts from wherever the lead is in from.sequence"})
	}
	if p.To != nil && p.To.Level == 0 && !params.Covered(probs, "to.level") {
		probs = append(probs, params.Problem{Field: "to.level", Reason: "is required"})
	}
	if p.From != nil && p.To != nil && p.From.Machine == p.To.Machine && p.From.Sequence == p.To.Sequence && p.From.Machine > 0 {
		probs = append(probs, params.Problem{Field: "to", Reason: "is the same machine and sequence as from"})
	}
	if len(probs) > 0 {
		return nil, paramErrors(probs)
	}
	return &MoveLeadAction{FromMachine: p.From.Machine, FromSequence: p.From.Sequence,
		ToMachine: p.To.Machine, ToSequence: p.To.Sequence, ToLevel: p.To.Level}, nil
}

func compileRemoveLead(raw map[string]json.RawMessage) (any, error) {
	var p removeLeadParams
	if probs := checkParams(raw, &p); len(probs) > 0 {
		return nil, paramErrors(probs)
	}
	return &RemoveLeadAction{Machine: p.Machine, Sequence: p.Sequence}, nil
}

// checkParams decodes raw into dst and validates it, reporting each
// parameter once: a parameter that failed to decode is not also reported
// as missing.
func checkParams(raw map[string]json.RawMessage, dst any) []params.Problem {
	probs := params.Decode(raw, dst)
	for _, p := range validateParams(dst) {
		if !params.Covered(probs, p.Field) {
			probs = append(probs, p)
		}
	}
	return probs
}

func validateParams(p any) []params.Problem {
	err := paramValidate.Struct(p)
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return nil
	}
	out := make([]params.Problem, 0, len(ves))
	for _, fe := range ves {
		ns := fe.Namespace()
		ns = ns[strings.IndexByte(ns, '.')+1:]
		reason := ruleText(fe)
		if fe.Tag() == "oneof" {
			reason = fmt.Sprintf("must be one of %s", strings.ReplaceAll(fe.Param(), " ", ", "))
		}
		if fe.Tag() == "gt" && fe.Param() == "0" {
			reason = "must be a positive leadlovers code"
		}
		out = append(out, params.Problem{Field: ns, Reason: reason})
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
