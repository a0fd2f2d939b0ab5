package sendpulse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/hotmartkit/hotmartkit/segment"
)

// Commands of the sendpulse provider.
const (
	CommandUpsertDeal     = "upsert_deal"
	CommandAddToList      = "add_to_list"
	CommandRemoveFromList = "remove_from_list"
)

// Spec describes the sendpulse provider to segment.Compile (pass it with
// segment.WithProviders). Its CompileAction returns *UpsertDealParams or
// *ListParams, which the executor of NewExecutor consumes.
var Spec segment.Provider = spec{}

type spec struct{}

func (spec) Name() string { return "sendpulse" }

func (spec) Commands() []string {
	return []string{CommandUpsertDeal, CommandAddToList, CommandRemoveFromList}
}

// UpsertDealParams is a compiled upsert_deal action.
type UpsertDealParams struct {
	Pipeline    int64             // 0: the account's first pipeline
	Stages      map[Class]int64   // step per payment class; a missing class goes to the first step
	Name        *segment.Template // deal name; the executor appends " #<transaction>"
	Responsible int64             // 0: the account's first user
}

// ListParams is a compiled add_to_list or remove_from_list action.
type ListParams struct {
	Remove    bool
	Book      int64
	Variables map[string]*segment.Template // add_to_list only
}

type upsertDealRaw struct {
	Pipeline    int64            `json:"pipeline" validate:"gte=0"`
	Stages      map[string]int64 `json:"stages" validate:"dive,keys,oneof=pending paid failed refunded,endkeys,gt=0"`
	Name        string           `json:"name" validate:"required,max=200"`
	Responsible int64            `json:"responsible" validate:"gte=0"`
}

type listRaw struct {
	Book      int64             `json:"book" validate:"required,gt=0"`
	Variables map[string]string `json:"variables" validate:"max=50,dive,keys,required,max=64,excludesall=\x00,endkeys"`
}

var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	return v
}()

func (spec) CompileAction(command string, params map[string]json.RawMessage) (any, error) {
	switch command {
	case CommandUpsertDeal:
		var raw upsertDealRaw
		if err := decodeParams(params, &raw, "pipeline", "stages", "name", "responsible"); err != nil {
			return nil, err
		}
		if err := validateParams(&raw); err != nil {
			return nil, err
		}
		name, err := segment.ParseTemplate(raw.Name)
		if err != nil {
			return nil, &segment.ParamError{Param: "name", Reason: err.Error()}
		}
		p := &UpsertDealParams{Pipeline: raw.Pipeline, Responsible: raw.Responsible, Name: name, Stages: map[Class]int64{}}
		for k, v := range raw.Stages {
			p.Stages[Class(k)] = v
		}
		return p, nil
	case CommandAddToList, CommandRemoveFromList:
		var raw listRaw
		allowed := []string{"book", "variables"}
		if command == CommandRemoveFromList {
			allowed = allowed[:1]
		}
		if err := decodeParams(params, &raw, allowed...); err != nil {
			return nil, err
		}
		if err := validateParams(&raw); err != nil {
			return nil, err
		}
		p := &ListParams{Remove: command == CommandRemoveFromList, Book: raw.Book}
		var errs []error
		for _, k := range sortedKeys(raw.Variables) {
			t, err := segment.ParseTemplate(raw.Variables[k])
			if err != nil {
				errs = append(errs, &segment.ParamError{Param: "variables." + k, Reason: err.Error()})
				continue
			}
			if p.Variables == nil {
				p.Variables = map[string]*segment.Template{}
			}
			p.Variables[k] = t
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
		return p, nil
	}
	return nil, fmt.Errorf("sendpulse: unknown command %q (want one of %s)", command, strings.Join(spec{}.Commands(), ", "))
}

// decodeParams fills dst from the action's parameters, one key at a time
// so that each problem names its parameter. Ids may be written as JSON
// numbers or numeric strings.
func decodeParams(params map[string]json.RawMessage, dst any, allowed ...string) error {
	var errs []error
	for _, k := range sortedKeys(params) {
		if !slices.Contains(allowed, k) {
			errs = append(errs, &segment.ParamError{Param: k, Reason: "unknown parameter (want " + strings.Join(allowed, ", ") + ")"})
		}
	}
	v := reflect.ValueOf(dst).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		raw, ok := params[name]
		if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		if err := decodeParam(raw, v.Field(i).Addr().Interface()); err != nil {
			errs = append(errs, &segment.ParamError{Param: name, Reason: err.Error()})
		}
	}
	return errors.Join(errs...)
}

func decodeParam(raw json.RawMessage, dst any) error {
	switch d := dst.(type) {
	case *int64:
		return parseID(raw, d)
	case *map[string]int64:
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			return errors.New("must be an object")
		}
		*d = make(map[string]int64, len(m))
		for k, v := range m {
			var id int64
			if err := parseID(v, &id); err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
			(*d)[k] = id
		}
		return nil
	case *string:
		if json.Unmarshal(raw, d) != nil {
			return errors.New("must be a string")
		}
		return nil
	case *map[string]string:
		if json.Unmarshal(raw, d) != nil {
			return errors.New("must be an object of strings")
		}
		return nil
	}
	return fmt.Errorf("unsupported parameter type %T", dst)
}

var digits = regexp.MustCompile(`^[0-9]{1,18}$`)

func parseID(raw json.RawMessage, dst *int64) error {
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if json.Unmarshal(raw, &s) != nil {
			return errors.New("must be an id (a positive integer)")
		}
		s = strings.TrimSpace(s)
	}
	if !digits.MatchString(s) {
		return errors.New("must be an id (a positive integer)")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return errors.New("must be an id (a positive integer)")
	}
	*dst = n
	return nil
}

// validateParams runs the struct's validate tags and reports each failure
// as a ParamError named by its JSON path ("stages.paid", "book").
func validateParams(v any) error {
	err := validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	out := make([]error, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, &segment.ParamError{Param: paramPath(fe.Namespace()), Reason: reason(fe)})
	}
	return errors.Join(out...)
}

// paramPath turns "upsertDealRaw.stages[paid]" into "stages.paid".
func paramPath(ns string) string {
	if _, rest, ok := strings.Cut(ns, "."); ok {
		ns = rest
	}
	ns = strings.ReplaceAll(ns, "[", ".")
	return strings.ReplaceAll(ns, "]", "")
}

func reason(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "gt":
		return "must be a positive id"
	case "gte":
		return "must not be negative"
	case "oneof":
		return "unknown stage (want pending, paid, failed or refunded)"
	case "max":
		return "is too long (at most " + fe.Param() + ")"
	}
	return "is invalid (" + fe.Tag() + ")"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
