package segment

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// structValidator is built once: validator caches struct metadata, and
// building it per call would throw that cache away. It holds no
// configuration a caller could change.
var structValidator = sync.OnceValue(func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	// Name fields as the rules file does, so errors say "conditions[1].op".
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			return strings.ToLower(f.Name)
		}
		return name
	})
	return v
})

// validateStruct runs the struct-tag checks of Rules and adds each failure,
// with the index of its segmentation, to probs.
func validateStruct(rules *Rules, probs *problems) {
	err := structValidator().Struct(rules)
	if err == nil {
		return
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		probs.add(-1, "", "", ReasonInvalid, "", "%v", err)
		return
	}
	for _, fe := range verrs {
		index, field := splitNamespace(fe.Namespace())
		id := ""
		if index >= 0 && index < len(rules.Segmentations) {
			id = rules.Segmentations[index].ID
		}
		reason, msg, hint := tagProblem(fe, field)
		probs.add(index, id, field, reason, hint, "%s", msg)
	}
}

// splitNamespace turns "Rules.segmentations[2].conditions[1].op" into
// 2 and "conditions[1].op".
func splitNamespace(ns string) (int, string) {
	_, rest, ok := strings.Cut(ns, "segmentations[")
	if !ok {
		return -1, ns
	}
	num, field, ok := strings.Cut(rest, "]")
	if !ok {
		return -1, ns
	}
	i, err := strconv.Atoi(num)
	if err != nil {
		return -1, ns
	}
	return i, strings.TrimPrefix(field, ".")
}

// tagProblem classifies a struct-tag failure.
func tagProblem(fe validator.FieldError, field string) (reason Reason, msg, suggestion string) {
	switch fe.Tag() {
	case "required":
		if strings.HasPrefix(field, "events[") || strings.HasPrefix(field, "products[") {
			return ReasonMissing, "must not be empty", ""
		}
		return ReasonMissing, "required", ""
	case "min":
		if fe.Field() == "events" {
			return ReasonMissing, "at least one event is required", ""
		}
		return ReasonInvalid, "needs at least " + fe.Param(), ""
	case "max":
		return ReasonInvalid, "longer than " + fe.Param() + " characters", ""
	case "oneof":
		ops := strings.Fields(fe.Param())
		return ReasonOperator, fmt.Sprintf("unknown operator %q (want one of %s)", fe.Value(), strings.Join(ops, ", ")),
			suggest.Closest(fmt.Sprint(fe.Value()), ops)
	}
	return ReasonInvalid, "fails " + fe.Tag(), ""
}
