package segment_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// fuzzProgram has, for every field, one rule per operator that fits the
// field's type, listening to every event type.
func fuzzProgram(t testing.TB) *segment.Program {
	t.Helper()
	operand := map[segment.FieldType]string{
		segment.TypeString: `"a"`, segment.TypeIdentifier: `1`, segment.TypeEnum: `"APPROVED"`,
		segment.TypeDecimal: `"10.5"`, segment.TypeInteger: `2`, segment.TypeBoolean: `true`,
	}
	var rules segment.Rules
	for _, f := range segment.Fields() {
		v := operand[f.Type]
		if f.Type == segment.TypeEnum || strings.HasSuffix(f.Path, ".currency") {
			// Enum values must be in the field's set, currencies three
			// letters: the documented example is.
			v = strconv.Quote(f.Example)
		}
		ops := []string{"eq", "ne", "exists", "not_exists"}
		switch f.Type {
		case segment.TypeDecimal, segment.TypeInteger:
			ops = append(ops, "in", "not_in", "gt", "gte", "lt", "lte")
		case segment.TypeString, segment.TypeIdentifier, segment.TypeEnum:
			ops = append(ops, "in", "not_in", "contains", "prefix")
		}
		for _, op := range ops {
			c := segment.Condition{Field: f.Path, Op: segment.Op(op)}
			switch op {
			case "exists", "not_exists":
			case "in", "not_in":
				c.Value = json.RawMessage("[" + v + "]")
			default:
				c.Value = json.RawMessage(v)
			}
			rules.Segmentations = append(rules.Segmentations, segment.Segmentation{
				ID: f.Path + " " + op, Active: true, Events: hotmart.EventTypes(),
				Conditions: []segment.Condition{c},
				Action:     segment.Action{Provider: "p", Command: "c"},
			})
		}
	}
	p, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func addSampleSeeds(f *testing.F) {
	names, _ := filepath.Glob(filepath.Join(webhooksDir, "*.json"))
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

func FuzzEvaluate(f *testing.F) {
	addSampleSeeds(f)
	f.Add([]byte(`{"id":"1","event":"PURCHASE_APPROVED","data":{"purchase":{"price":{"value":"1e999999999999"}}}}`))
	f.Add([]byte(`{"id":"1","event":"SWITCH_PLAN","data":{"plans":[{"current":true,"offer":{"key":"x"}}]}}`))
	p := fuzzProgram(f)
	var all strings.Builder
	for _, fi := range segment.Fields() {
		all.WriteString("{{" + fi.Path + "}}")
	}
	tpl := segment.MustParseTemplate(all.String())
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := hotmart.ParseEvent(body)
		if e == nil {
			if err == nil {
				t.Fatal("nil event without error")
			}
			return
		}
		matched := map[string]bool{}
		for _, m := range p.Evaluate(e) {
			matched[m.Segmentation.ID] = true
		}
		for _, x := range p.Explain(e) {
			if x.Matched() != matched[x.ID] {
				t.Fatalf("%s: Explain says %s, Evaluate matched=%v", x.ID, x.Outcome, matched[x.ID])
			}
			_ = x.String()
		}
		_ = tpl.Render(e)
	})
}

func FuzzCompile(f *testing.F) {
	f.Add([]byte(`{"segmentations":[{"id":"a","active":true,"events":["PURCHASE_APPROVED"],"products":[1,"u"],
	  "conditions":[{"field":"purchase.price.value","op":"gt","value":1.5},{"field":"buyer.email","op":"in","value":["a@b"]}],
	  "action":{"provider":"fake","command":"tag","list":1,"label":"{{buyer.name}}"}}]}`))
	f.Add([]byte(`{"segmentations":[{"id":"a","events":[],"conditions":[{"field":"x","op":"y"}],"action":{}}]}`))
	f.Add([]byte(`{"segmentations":[{"id":"b","events":["SWITCH_PLAN"],"conditions":[{"field":"purchase.recurrence_number","op":"lte","value":"99999999999999999999"}],"action":{"provider":"fake","command":"untag","list":13}}]}`))
	f.Add([]byte(`{"segmentations":[{"id":"c","events":["PURCHASE_APPROVED"],"conditions":[{"field":"purchase.price.value","op":"eq","value":"-0.0e-5"}],"action":{"provider":"fake","command":"tag","list":2}}]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`{"segmentations":[{"id":"a","id":"b"}]} {}`))
	f.Add([]byte(`{"segmentation":[null,7,{"events":"x","products":[true],"conditions":[1,{"valeu":2}],"action":[]}]}`))
	e := purchaseEvent(f, hotmart.EventPurchaseApproved, nil)
	// Every refusal is a *RulesError whose problems are classified and
	// explained.
	checkRulesError := func(t *testing.T, err error) {
		var re *segment.RulesError
		if !errors.As(err, &re) || len(re.Problems) == 0 {
			t.Fatalf("err = %T %v, want a *RulesError with problems", err, err)
		}
		for _, p := range re.Problems {
			if p.Reason == "" || p.Message == "" || p.Index < -1 {
				t.Fatalf("problem %+v lacks a reason or message", p)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := segment.ParseRules(data)
		if err != nil {
			checkRulesError(t, err)
			return
		}
		p, err := segment.Compile(rules, segment.WithProviders(fakeProvider{}))
		if err != nil {
			if p != nil {
				t.Fatal("program returned with an error")
			}
			checkRulesError(t, err)
			return
		}
		ms := p.Evaluate(e)
		xs := p.Explain(e)
		n := 0
		for _, x := range xs {
			if x.Matched() {
				n++
			}
		}
		if n != len(ms) {
			t.Fatalf("Evaluate matched %d, Explain %d", len(ms), n)
		}
		for _, m := range ms {
			if tp, ok := m.Params.(*tagParams); ok {
				_ = m.Render(tp.Label)
			}
		}
	})
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"", "x", "{{buyer.name}}", "{{ buyer.name }} {{", "}}{{event}}{{", "{{{{buyer.email}}}}", "a{{purchase.price.value}}b"} {
		f.Add(s)
	}
	e := purchaseEvent(f, hotmart.EventPurchaseApproved, nil)
	f.Fuzz(func(t *testing.T, s string) {
		tpl, err := segment.ParseTemplate(s)
		if err != nil {
			return
		}
		if tpl.String() != s {
			t.Fatalf("String() = %q, want %q", tpl.String(), s)
		}
		out := tpl.Render(e)
		if !strings.Contains(s, "{{") && out != s {
			t.Fatalf("literal template rendered %q", out)
		}
		if !utf8.ValidString(s) {
			return // JSON would replace the invalid bytes
		}
		b, err := json.Marshal(tpl)
		if err != nil {
			t.Fatal(err)
		}
		var back segment.Template
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("round trip of %q: %v", s, err)
		}
		if back.Render(e) != out {
			t.Fatalf("round trip renders differently: %q vs %q", back.Render(e), out)
		}
	})
}
