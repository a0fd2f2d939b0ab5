package sendpulse

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hotmartkit/hotmartkit/internal/params"
	"reflect"
	"slices"
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
	Pipeline    int64            `json:"pipeline" param:"numstring" validate:"gte=0"`
	Stages      map[string]int64 `json:"stages" param:"numstring" validate:"dive,keys,oneof=pending paid failed refunded,endkeys,gt=0"`
	Name        string           `json:"name" validate:"required,max=200"`
	Responsible int64            `json:"responsible" param:"numstring" validate:"gte=0"`
}

type listRaw struct {
	Book      int64             `json:"book" param:"numstring" validate:"required,gt=0"`
	Variables map[string]string `json:"variables" validate:"max=50,dive,keys,required,max=64,excludesall=\x00,endkeys"`
}

// removeRaw is listRaw without variables: remove_from_list takes a book
// only.
type removeRaw struct {
	Book int64 `json:"book" param:"numstring" validate:"required,gt=0"`
}

var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		return name
	})
	return v
}()

// CompileAction validates an action's parameters. It reports every
// problem at once, as ParamErrors: one *ParamError per problem, naming the
// parameter ("book", "stages.paid", "variables.city"), saying why, and
// suggesting the parameter meant when a name is misspelled.
func (spec) CompileAction(command string, raw map[string]json.RawMessage) (any, error) {
	switch command {
	case CommandUpsertDeal:
		var r upsertDealRaw
		probs := checkParams(raw, &r)
		var name *segment.Template
		if r.Name != "" && !params.Covered(probs, "name") {
			t, err := segment.ParseTemplate(r.Name)
			if err != nil {
				probs = append(probs, params.Problem{Field: "name", Reason: err.Error()})
			}
			name = t
		}
		if len(probs) > 0 {
			return nil, paramErrors(probs)
		}
		p := &UpsertDealParams{Pipeline: r.Pipeline, Responsible: r.Responsible, Name: name, Stages: map[Class]int64{}}
		for k, v := range r.Stages {
			p.Stages[Class(k)] = v
		}
		return p, nil
	case CommandAddToList, CommandRemoveFromList:
		var r listRaw
		var probs []params.Problem
		if command == CommandRemoveFromList {
			var rr removeRaw
			probs = checkParams(raw, &rr)
			r.Book = rr.Book
		} else {
			probs = checkParams(raw, &r)
		}
		p := &ListParams{Remove: command == CommandRemoveFromList, Book: r.Book}
		for _, k := range sortedKeys(r.Variables) {
			field := "variables." + k
			if params.Covered(probs, field) {
				continue
			}
			t, err := segment.ParseTemplate(r.Variables[k])
			if err != nil {
				probs = append(probs, params.Problem{Field: field, Reason: err.Error()})
				continue
			}
			if p.Variables == nil {
				p.Variables = map[string]*segment.Template{}
			}
			p.Variables[k] = t
		}
		if len(probs) > 0 {
			return nil, paramErrors(probs)
		}
		return p, nil
	}
	return nil, fmt.Errorf("sendpulse: unknown command %q (want one of %s)", command, strings.Join(spec{}.Commands(), ", "))
}

// checkParams decodes raw into dst and validates it, reporting each
// parameter once. Ids may be written as JSON numbers or numeric strings.
func checkParams(raw map[string]json.RawMessage, dst any) []params.Problem {
	probs := params.Decode(raw, dst)
	for _, p := range validateParams(dst) {
		if !params.Covered(probs, p.Field) {
			probs = append(probs, p)
		}
	}
	return probs
}

// validateParams runs the struct's validate tags and reports each failure
// named by its JSON path ("stages.paid", "book").
func validateParams(v any) []params.Problem {
	err := validate.Struct(v)
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return nil
	}
	out := make([]params.Problem, 0, len(verrs))
	for _, fe := range verrs {
		out = append(out, params.Problem{Field: paramPath(fe.Namespace()), Reason: reason(fe)})
	}
	return out
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
