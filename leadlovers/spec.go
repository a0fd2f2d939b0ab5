package leadlovers

import (
	"encoding/json"
	"errors"
	"fmt"
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

// CompileAction validates a leadlovers action's parameters. Problems are
// *segment.ParamError values naming the parameter ("machine",
// "from.sequence", "fields.119189"), joined when there are several.
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

func (s ActionSpec) compileAddLead(params map[string]json.RawMessage) (any, error) {
	var p addLeadParams
	errs := checkParams(params, &p)
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
		if a.BilletField <= 0 {
			errs = append(errs, &segment.ParamError{Param: "billet_field",
				Reason: `required when send has "billet_url": the id of the leadlovers dynamic field that receives the boleto link (or set leadlovers.Spec.WithBilletField)`})
		}
	} else if p.BilletField != 0 {
		errs = append(errs, &segment.ParamError{Param: "billet_field", Reason: `only meaningful when send has "billet_url"`})
	}
	for _, k := range sortedKeys(p.Fields) {
		param := "fields." + k
		id, err := strconv.Atoi(strings.TrimSpace(k))
		if err != nil || id <= 0 {
			errs = append(errs, &segment.ParamError{Param: param, Reason: "key must be a positive dynamic field id"})
			continue
		}
		if id == a.BilletField {
			errs = append(errs, &segment.ParamError{Param: param, Reason: "is also the billet_field; send the boleto link one way only"})
			continue
		}
		t, err := segment.ParseTemplate(p.Fields[k])
		if err != nil {
			errs = append(errs, &segment.ParamError{Param: param, Reason: err.Error()})
			continue
		}
		a.Fields = append(a.Fields, FieldTemplate{ID: id, Template: t})
	}
	if len(errs) > 0 {
		return nil, joinParamErrors(errs)
	}
	return a, nil
}

func compileMoveLead(params map[string]json.RawMessage) (any, error) {
	var p moveLeadParams
	errs := checkParams(params, &p)
	if p.From != nil && p.From.Level != 0 {
		errs = append(errs, &segment.ParamError{Param: "from.level", Reason: "not used: a move starts from wherever the lead is in from.sequence"})
	}
	if p.To != nil && p.To.Level == 0 {
		errs = append(errs, &segment.ParamError{Param: "to.level", Reason: "is required"})
	}
	if p.From != nil && p.To != nil && p.From.Machine == p.To.Machine && p.From.Sequence == p.To.Sequence && p.From.Machine > 0 {
		errs = append(errs, &segment.ParamError{Param: "to", Reason: "is the same machine and sequence as from"})
	}
	if len(errs) > 0 {
		return nil, joinParamErrors(errs)
	}
	return &MoveLeadAction{FromMachine: p.From.Machine, FromSequence: p.From.Sequence,
		ToMachine: p.To.Machine, ToSequence: p.To.Sequence, ToLevel: p.To.Level}, nil
}

func compileRemoveLead(params map[string]json.RawMessage) (any, error) {
	var p removeLeadParams
	if errs := checkParams(params, &p); len(errs) > 0 {
		return nil, joinParamErrors(errs)
	}
	return &RemoveLeadAction{Machine: p.Machine, Sequence: p.Sequence}, nil
}

// checkParams decodes params into dst and validates it, reporting each
// parameter once: a parameter that failed to decode is not also reported
// as missing.
func checkParams(params map[string]json.RawMessage, dst any) []error {
	errs := decodeParams(params, dst)
	bad := map[string]bool{}
	for _, e := range errs {
		p := paramOf(e)
		bad[p] = true
		if top, _, ok := strings.Cut(p, "."); ok {
			bad[top] = true
		}
	}
	for _, e := range validateParams(dst) {
		p := paramOf(e)
		top, _, _ := strings.Cut(p, ".")
		if !bad[p] && !bad[top] {
			errs = append(errs, e)
		}
	}
	return errs
}

// decodeParams decodes each parameter into the field of dst with the same
// JSON name, so that an unknown key or a wrong type is reported against
// that one parameter.
func decodeParams(params map[string]json.RawMessage, dst any) []error {
	v := reflect.ValueOf(dst).Elem()
	fields := map[string]reflect.Value{}
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		fields[name] = v.Field(i)
	}
	var errs []error
	for _, k := range sortedKeys(params) {
		f, known := fields[k]
		if !known {
			errs = append(errs, &segment.ParamError{Param: k, Reason: "unknown parameter (known: " + strings.Join(sortedKeys(fields), ", ") + ")"})
			continue
		}
		dec := json.NewDecoder(strings.NewReader(string(params[k])))
		dec.DisallowUnknownFields()
		if err := dec.Decode(f.Addr().Interface()); err != nil {
			errs = append(errs, &segment.ParamError{Param: paramPath(k, err), Reason: typeReason(f.Type(), err)})
		}
	}
	return errs
}

// paramPath adds the inner field a decoding error names (from.machine).
func paramPath(k string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return k + "." + te.Field
	}
	return k
}

func typeReason(t reflect.Type, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "must be " + kindName(te.Type) + ", not a JSON " + te.Value
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		return "unknown key " + strings.TrimPrefix(msg, "json: unknown field ")
	}
	return "must be " + kindName(t)
}

func kindName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(kindName(t.Elem()), "a ") + "s"
	case reflect.Map:
		return "an object of strings"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

func validateParams(p any) []error {
	err := paramValidate.Struct(p)
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return nil
	}
	out := make([]error, 0, len(ves))
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
		out = append(out, &segment.ParamError{Param: ns, Reason: reason})
	}
	return out
}

func joinParamErrors(errs []error) error {
	sort.SliceStable(errs, func(i, j int) bool { return paramOf(errs[i]) < paramOf(errs[j]) })
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

func paramOf(err error) string {
	var pe *segment.ParamError
	if errors.As(err, &pe) {
		return pe.Param
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
