package segment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// opsFor lists the operators each field type accepts, in documentation order.
var opsFor = map[FieldType][]Op{
	TypeString:     {OpEq, OpNe, OpIn, OpNotIn, OpContains, OpPrefix, OpExists, OpNotExists},
	TypeIdentifier: {OpEq, OpNe, OpIn, OpNotIn, OpContains, OpPrefix, OpExists, OpNotExists},
	TypeEnum:       {OpEq, OpNe, OpIn, OpNotIn, OpContains, OpPrefix, OpExists, OpNotExists},
	TypeDecimal:    {OpEq, OpNe, OpIn, OpNotIn, OpGt, OpGte, OpLt, OpLte, OpExists, OpNotExists},
	TypeInteger:    {OpEq, OpNe, OpIn, OpNotIn, OpGt, OpGte, OpLt, OpLte, OpExists, OpNotExists},
	TypeBoolean:    {OpEq, OpNe, OpExists, OpNotExists},
}

func knownOp(op Op) bool {
	switch op {
	case OpEq, OpNe, OpIn, OpNotIn, OpGt, OpGte, OpLt, OpLte, OpContains, OpPrefix, OpExists, OpNotExists:
		return true
	}
	return false
}

func opList(ops []Op) string {
	s := make([]string, len(ops))
	for i, op := range ops {
		s[i] = string(op)
	}
	return strings.Join(s, ", ")
}

// condProblem is a problem with one condition: Sub is "op" or "value" (or
// "value[2]") relative to the condition.
type condProblem struct {
	Sub        string
	Reason     Reason
	Msg        string
	Suggestion string
}

// operand is a rule's comparison value, decoded for the field's type.
type operand struct {
	s string // text types (normalised), and the source text of decimals
	d dec
	n int64
	b bool
}

// compileCond turns one condition into a predicate on the field's value.
// The predicate reads only the value and the operands decoded here.
func compileCond(f *field, op Op, raw json.RawMessage) (func(value) bool, *condProblem) {
	if !slices.Contains(opsFor[f.Type], op) {
		return nil, &condProblem{Sub: "op", Reason: ReasonOperator, Msg: fmt.Sprintf("operator %q does not apply to %s field %s (use %s)",
			op, f.Type, f.Path, opList(opsFor[f.Type]))}
	}
	hasValue := len(bytes.TrimSpace(raw)) > 0 && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
	switch op {
	case OpExists:
		if hasValue {
			return nil, &condProblem{Sub: "value", Reason: ReasonInvalid, Msg: "exists takes no value"}
		}
		return value.present, nil
	case OpNotExists:
		if hasValue {
			return nil, &condProblem{Sub: "value", Reason: ReasonInvalid, Msg: "not_exists takes no value"}
		}
		return func(v value) bool { return !v.present() }, nil
	}
	if !hasValue {
		return nil, &condProblem{Sub: "value", Reason: ReasonMissing, Msg: fmt.Sprintf("required for operator %s", op)}
	}
	v, err := decodeJSONValue(raw)
	if err != nil {
		return nil, &condProblem{Sub: "value", Reason: ReasonSyntax, Msg: "invalid JSON"}
	}
	if op == OpIn || op == OpNotIn {
		list, ok := v.([]any)
		if !ok {
			return nil, &condProblem{Sub: "value", Reason: ReasonType, Msg: fmt.Sprintf("%s needs a non-empty array", op)}
		}
		if len(list) == 0 {
			return nil, &condProblem{Sub: "value", Reason: ReasonInvalid, Msg: fmt.Sprintf("%s needs a non-empty array", op)}
		}
		ops := make([]operand, len(list))
		for i, item := range list {
			o, prob := decodeOperand(f, item, true)
			if prob != nil {
				prob.Sub = fmt.Sprintf("value[%d]", i)
				return nil, prob
			}
			ops[i] = o
		}
		in := inPredicate(f, ops)
		if op == OpNotIn {
			return func(v value) bool { return !in(v) }, nil
		}
		return in, nil
	}
	if _, isList := v.([]any); isList {
		return nil, &condProblem{Sub: "value", Reason: ReasonType, Msg: fmt.Sprintf("%s takes a single value; use in for a list", op)}
	}
	o, prob := decodeOperand(f, v, op == OpEq || op == OpNe)
	if prob != nil {
		prob.Sub = "value"
		return nil, prob
	}
	if op == OpNe {
		eq := predicate(f, OpEq, o)
		return func(v value) bool { return !eq(v) }, nil
	}
	return predicate(f, op, o), nil
}

func decodeJSONValue(raw json.RawMessage) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

// decodeOperand checks one rule value against the field's type and
// normalises it. exact says the operator compares whole values (eq, ne, in,
// not_in), so an enum value must be in the field's set; contains and prefix
// take any part of one.
func decodeOperand(f *field, v any, exact bool) (operand, *condProblem) {
	typeErr := func(format string, args ...any) (operand, *condProblem) {
		return operand{}, &condProblem{Reason: ReasonType, Msg: fmt.Sprintf(format, args...)}
	}
	switch f.Type {
	case TypeString, TypeEnum, TypeIdentifier:
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case json.Number:
			if f.Type != TypeIdentifier {
				return typeErr("must be a string (%s is %s field)", f.Path, article(f.Type))
			}
			s = string(x)
		default:
			if f.Type == TypeIdentifier {
				return typeErr("must be a string or number (%s is an identifier)", f.Path)
			}
			return typeErr("must be a string (%s is %s field)", f.Path, article(f.Type))
		}
		raw := s
		s = f.norm(s)
		if exact && f.Type == TypeEnum {
			if msg, hint, ok := checkEnum(f, raw, s); !ok {
				return operand{}, &condProblem{Reason: ReasonEnum, Msg: msg, Suggestion: hint}
			}
		}
		if exact && currencyFields[f.Path] {
			if msg, hint, ok := checkCurrency(f, raw); !ok {
				return operand{}, &condProblem{Reason: ReasonEnum, Msg: msg, Suggestion: hint}
			}
		}
		return operand{s: s}, nil
	case TypeDecimal:
		var s string
		switch x := v.(type) {
		case json.Number:
			s = string(x)
		case string:
			s = strings.TrimSpace(x)
		default:
			return typeErr("must be a number (%s is a decimal field)", f.Path)
		}
		d, ok := parseDec(s)
		if !ok {
			return typeErr("must be a number (%s is a decimal field)", f.Path)
		}
		return operand{s: s, d: d}, nil
	case TypeInteger:
		var s string
		switch x := v.(type) {
		case json.Number:
			s = string(x)
		case string:
			s = strings.TrimSpace(x)
		default:
			return typeErr("must be a whole number (%s is an integer field)", f.Path)
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return typeErr("must be a whole number (%s is an integer field)", f.Path)
		}
		return operand{n: n}, nil
	case TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			return typeErr("must be true or false (%s is a boolean field)", f.Path)
		}
		return operand{b: b}, nil
	}
	return typeErr("field has no comparable type")
}

// predicate builds the test of a positive operator (all but ne, not_in,
// exists, not_exists), which never holds on an absent field.
func predicate(f *field, op Op, o operand) func(value) bool {
	switch f.Type {
	case TypeDecimal:
		want := o.d
		return func(v value) bool {
			if v.kind != kindText {
				return false
			}
			got, ok := parseDec(v.s)
			return ok && cmpHolds(op, got.cmp(want))
		}
	case TypeInteger:
		want := o.n
		return func(v value) bool {
			if v.kind != kindInt {
				return false
			}
			return cmpHolds(op, cmpInt(v.n, want))
		}
	case TypeBoolean:
		want := o.b
		return func(v value) bool { return v.kind == kindBool && v.b == want }
	}
	want := o.s
	switch op {
	case OpContains:
		return func(v value) bool { return v.kind == kindText && f.contains(f.norm(v.text()), want) }
	case OpPrefix:
		return func(v value) bool { return v.kind == kindText && f.hasPrefix(f.norm(v.text()), want) }
	}
	return func(v value) bool { return v.kind == kindText && f.equal(f.norm(v.text()), want) }
}

// inPredicate tests membership in a list of operands.
func inPredicate(f *field, ops []operand) func(value) bool {
	switch f.Type {
	case TypeDecimal:
		return func(v value) bool {
			if v.kind != kindText {
				return false
			}
			got, ok := parseDec(v.s)
			if !ok {
				return false
			}
			for i := range ops {
				if got.cmp(ops[i].d) == 0 {
					return true
				}
			}
			return false
		}
	case TypeInteger:
		return func(v value) bool {
			if v.kind != kindInt {
				return false
			}
			for i := range ops {
				if ops[i].n == v.n {
					return true
				}
			}
			return false
		}
	}
	return func(v value) bool {
		if v.kind != kindText {
			return false
		}
		got := f.norm(v.text())
		for i := range ops {
			if f.equal(got, ops[i].s) {
				return true
			}
		}
		return false
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// cmpHolds reports whether a comparison result c satisfies op.
func cmpHolds(op Op, c int) bool {
	switch op {
	case OpEq:
		return c == 0
	case OpGt:
		return c > 0
	case OpGte:
		return c >= 0
	case OpLt:
		return c < 0
	case OpLte:
		return c <= 0
	}
	return false
}

// text returns the value's text, joining multi-part values (phones), which
// is the only case that allocates.
func (v value) text() string {
	if v.pre == [2]string{} {
		return v.s
	}
	return v.pre[0] + v.pre[1] + v.s
}

// norm maps text to the field's canonical spelling.
func (f *field) norm(s string) string {
	if f.canon != nil {
		return f.canon(s)
	}
	return s
}

func (f *field) equal(a, b string) bool {
	if f.fold {
		return strings.EqualFold(a, b)
	}
	return a == b
}

func (f *field) hasPrefix(s, prefix string) bool {
	return len(s) >= len(prefix) && f.equal(s[:len(prefix)], prefix)
}

func (f *field) contains(s, sub string) bool {
	if !f.fold {
		return strings.Contains(s, sub)
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// article prefixes a type name with "a" or "an".
func article(t FieldType) string {
	name := t.String()
	if strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
