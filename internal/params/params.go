// Package params decodes and checks the parameters of a rule's action for
// the provider packages, reporting every problem at once with a field path
// and a reason of this module's own wording, so that what a rules author
// reads does not change with the Go release's encoding/json.
//
// Decode fills a struct from the action's parameters by the fields' json
// names. Supported field types: string, int and int64, bool, []string,
// map[string]string, map[string]int64, and pointers to structs of those.
// The struct tag `param:"numstring"` lets an integer be written as a
// numeric string as well.
package params

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/hotmartkit/hotmartkit/internal/suggest"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Problem is one problem with one parameter.
type Problem struct {
	Field      string // path within the action: "machine", "from.sequence", "fields.5", "send[1]"
	Reason     string
	Suggestion string // for an unknown name, the closest known one; "" when none is close
}

// Decode fills dst (a pointer to a struct) from params and returns every
// problem found: unknown names (with a suggestion when one is close), and
// values of the wrong JSON type. A null value counts as absent.
func Decode(params map[string]json.RawMessage, dst any) []Problem {
	var probs []Problem
	decodeObject("", params, reflect.ValueOf(dst).Elem(), &probs)
	return probs
}

func fieldsOf(t reflect.Type) (map[string]int, []string) {
	idx := map[string]int{}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		idx[name] = i
		names = append(names, name)
	}
	slices.Sort(names)
	return idx, names
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func decodeObject(prefix string, raw map[string]json.RawMessage, v reflect.Value, probs *[]Problem) {
	idx, names := fieldsOf(v.Type())
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		i, ok := idx[k]
		if !ok {
			*probs = append(*probs, Problem{Field: join(prefix, k), Reason: "unknown parameter (known: " + strings.Join(names, ", ") + ")",
				Suggestion: Suggest(k, names)})
			continue
		}
		val := bytes.TrimSpace(raw[k])
		if len(val) == 0 || bytes.Equal(val, []byte("null")) {
			continue
		}
		f := v.Type().Field(i)
		decodeValue(join(prefix, k), val, v.Field(i), f.Tag.Get("param") == "numstring", probs)
	}
}

func decodeValue(path string, raw []byte, v reflect.Value, numString bool, probs *[]Problem) {
	bad := func(want string) {
		*probs = append(*probs, Problem{Field: path, Reason: "must be " + want + ", not " + jsonKind(raw)})
	}
	switch v.Kind() {
	case reflect.String:
		var s string
		if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
			bad("a string")
			return
		}
		v.SetString(s)
	case reflect.Bool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			bad("true or false")
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, ok := integer(raw, numString)
		if !ok {
			bad("an integer")
			return
		}
		v.SetInt(n)
	case reflect.Slice:
		var items []json.RawMessage
		if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
			bad("a list")
			return
		}
		out := reflect.MakeSlice(v.Type(), 0, len(items))
		for i, it := range items {
			el := reflect.New(v.Type().Elem()).Elem()
			n := len(*probs)
			it = bytes.TrimSpace(it)
			if len(it) == 0 || bytes.Equal(it, []byte("null")) {
				*probs = append(*probs, Problem{Field: fmt.Sprintf("%s[%d]", path, i), Reason: "must not be null"})
				continue
			}
			decodeValue(fmt.Sprintf("%s[%d]", path, i), it, el, numString, probs)
			if len(*probs) == n {
				out = reflect.Append(out, el)
			}
		}
		v.Set(out)
	case reflect.Map:
		var m map[string]json.RawMessage
		if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
			bad("an object")
			return
		}
		out := reflect.MakeMapWithSize(v.Type(), len(m))
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			el := reflect.New(v.Type().Elem()).Elem()
			n := len(*probs)
			it := bytes.TrimSpace(m[k])
			if len(it) == 0 || bytes.Equal(it, []byte("null")) {
				*probs = append(*probs, Problem{Field: join(path, k), Reason: "must not be null"})
				continue
			}
			decodeValue(join(path, k), it, el, numString, probs)
			if len(*probs) == n {
				out.SetMapIndex(reflect.ValueOf(k), el)
			}
		}
		v.Set(out)
	case reflect.Pointer:
		if v.Type().Elem().Kind() != reflect.Struct {
			panic("params: unsupported pointer type " + v.Type().String())
		}
		var m map[string]json.RawMessage
		if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
			bad("an object")
			return
		}
		p := reflect.New(v.Type().Elem())
		decodeObject(path, m, p.Elem(), probs)
		v.Set(p)
	default:
		panic("params: unsupported field type " + v.Type().String())
	}
}

// integer reads a JSON integer (1, 1.0, 1e3 are integers; 1.5 is not),
// or a numeric string when allowed.
func integer(raw []byte, numString bool) (int64, bool) {
	s := string(raw)
	if raw[0] == '"' {
		if !numString || json.Unmarshal(raw, &s) != nil {
			return 0, false
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

func jsonKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// Suggest returns the name in known closest to name when it is close
// enough to be a likely misspelling; "" otherwise. It is segment's
// "did you mean" rule (internal/suggest), so rules files get one behaviour.
func Suggest(name string, known []string) string {
	for _, k := range known {
		// Parameter names are matched exactly, so a difference of case
		// alone is worth pointing out.
		if k != name && strings.EqualFold(k, name) {
			return k
		}
	}
	return suggest.Closest(name, known)
}

// Kind classifies a problem with the words of segment.Reason ("unknown",
// "missing", "type", "enum", "invalid"), from the fixed reasons this
// package and the providers' specs write.
func (p Problem) Kind() string {
	switch {
	case strings.HasPrefix(p.Reason, "unknown"):
		return "unknown"
	case strings.HasSuffix(p.Reason, "is required"), p.Reason == "required":
		return "missing"
	case strings.HasPrefix(p.Reason, "must be one of"):
		return "enum"
	case strings.HasPrefix(p.Reason, "must be ") && strings.Contains(p.Reason, ", not "):
		return "type"
	}
	return "invalid"
}

// Text is a problem as one line: "field: reason (did you mean "x"?)".
func (p Problem) Text() string {
	s := p.Field + ": " + p.Reason
	if p.Suggestion != "" {
		s += fmt.Sprintf(" (did you mean %q?)", p.Suggestion)
	}
	return s
}

// Sort orders problems by field, as a rules author reads them.
func Sort(probs []Problem) {
	slices.SortStableFunc(probs, func(a, b Problem) int { return strings.Compare(a.Field, b.Field) })
}

// Covered reports whether field (or a parent of it) already has a problem
// among probs, so a later check does not report the same parameter twice.
func Covered(probs []Problem, field string) bool {
	for _, p := range probs {
		if p.Field == field || strings.HasPrefix(field, p.Field+".") || strings.HasPrefix(field, p.Field+"[") ||
			strings.HasPrefix(p.Field, field+".") || strings.HasPrefix(p.Field, field+"[") {
			return true
		}
	}
	return false
}
