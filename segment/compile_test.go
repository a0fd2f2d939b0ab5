package segment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func compileErrors(t *testing.T, src string, opts ...segment.Option) []string {
	t.Helper()
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	_, err = segment.Compile(rules, append([]segment.Option{segment.WithProviders(fakeProvider{})}, opts...)...)
	if err == nil {
		return nil
	}
	var ce *segment.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %T %v, want *CompileError", err, err)
	}
	var out []string
	for _, re := range ce.Errors {
		out = append(out, re.Error())
	}
	if strings.Join(out, "\n") != err.Error() {
		t.Errorf("Error() = %q, want one line per problem", err.Error())
	}
	return out
}

func TestCompileReportsEveryProblem(t *testing.T) {
	got := compileErrors(t, `{"segmentations": [
	  {"id": "ok", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "", "events": [],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "approved-br", "events": ["PURCHASE_APROVED", ""], "products": [""],
	   "conditions": [
	     {"field": "purchase.price.currency", "op": "in", "value": ["BRL"]},
	     {"field": "buyer.address.country_iso", "op": "equals", "value": "BR"},
	     {"field": "buyer.adress.country_iso", "op": "eq", "value": "BR"},
	     {"field": "purchase.price.value", "op": "contains", "value": "1"},
	     {"field": "purchase.price.value", "op": "gt", "value": "abc"},
	     {"field": "purchase.recurrence_number", "op": "eq", "value": 1.5},
	     {"field": "purchase.is_funnel", "op": "eq", "value": "yes"},
	     {"field": "purchase.status", "op": "in", "value": []},
	     {"field": "purchase.status", "op": "in", "value": ["APPROVED", 3]},
	     {"field": "buyer.name", "op": "exists", "value": "x"},
	     {"field": "buyer.name", "op": "eq"},
	     {"field": "buyer.name", "op": "eq", "value": ["a"]},
	     {"field": "", "op": ""},
	     {"field": "event", "op": "eq", "value": "PURCHASE_DONE"}],
	   "action": {"provider": "fake", "command": "tag", "list": 0, "color": "red"}},
	  {"id": "ok", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "zap"}},
	  {"id": "p", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "mailchimp", "command": "add"}},
	  {"id": "q", "events": ["PURCHASE_APPROVED"], "action": {}},
	  {"id": "r", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "untag", "list": 13}}
	]}`)
	want := []string{
		`segmentations[1]: id: required`,
		`segmentations[1]: events: at least one event is required`,
		`segmentations[2] (id "approved-br"): events[0]: unknown event "PURCHASE_APROVED"`,
		`segmentations[2] (id "approved-br"): events[1]: must not be empty`,
		`segmentations[2] (id "approved-br"): products[0]: must not be empty`,
		`segmentations[2] (id "approved-br"): conditions[1].op: unknown operator "equals" (want one of eq, ne, in, not_in, gt, gte, lt, lte, contains, prefix, exists, not_exists)`,
		`segmentations[2] (id "approved-br"): conditions[2].field: unknown field "buyer.adress.country_iso" (did you mean "buyer.address.country_iso"?)`,
		`segmentations[2] (id "approved-br"): conditions[3].op: operator "contains" does not apply to decimal field purchase.price.value (use eq, ne, in, not_in, gt, gte, lt, lte, exists, not_exists)`,
		`segmentations[2] (id "approved-br"): conditions[4].value: must be a number (purchase.price.value is a decimal field)`,
		`segmentations[2] (id "approved-br"): conditions[5].value: must be a whole number (purchase.recurrence_number is an integer field)`,
		`segmentations[2] (id "approved-br"): conditions[6].value: must be true or false (purchase.is_funnel is a boolean field)`,
		`segmentations[2] (id "approved-br"): conditions[7].value: in needs a non-empty array`,
		`segmentations[2] (id "approved-br"): conditions[8].value[1]: must be a string (purchase.status is an enum field)`,
		`segmentations[2] (id "approved-br"): conditions[9].value: exists takes no value`,
		`segmentations[2] (id "approved-br"): conditions[10].value: required for operator eq`,
		`segmentations[2] (id "approved-br"): conditions[11].value: eq takes a single value; use in for a list`,
		`segmentations[2] (id "approved-br"): conditions[12].field: required`,
		`segmentations[2] (id "approved-br"): conditions[12].op: required`,
		`segmentations[2] (id "approved-br"): conditions[13].value: unknown event "PURCHASE_DONE"`,
		`segmentations[2] (id "approved-br"): action.color: unknown parameter`,
		`segmentations[2] (id "approved-br"): action.list: must be a positive integer`,
		`segmentations[3] (id "ok"): id: duplicate id: segmentations[0] has it too`,
		`segmentations[3] (id "ok"): action.command: unknown command "zap" for provider fake (want one of tag, untag)`,
		`segmentations[4] (id "p"): action.provider: unknown provider "mailchimp" (known: fake)`,
		`segmentations[5] (id "q"): action.provider: required`,
		`segmentations[5] (id "q"): action.command: required`,
		`segmentations[6] (id "r"): action: list 13 cannot be untagged`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCompileErrorIsRuleError(t *testing.T) {
	_, err := segment.Compile(segment.Rules{Segmentations: []segment.Segmentation{{
		ID: "x", Events: []hotmart.EventType{hotmart.EventPurchaseApproved},
		Conditions: []segment.Condition{segment.Cond("buyer.email", "gt", "a")},
		Action:     segment.Action{Provider: "fake", Command: "tag", Params: map[string]json.RawMessage{"list": json.RawMessage("1")}},
	}}}, segment.WithProviders(fakeProvider{}))
	var re *segment.RuleError
	if !errors.As(err, &re) {
		t.Fatalf("errors.As(*RuleError) failed on %v", err)
	}
	if re.Index != 0 || re.ID != "x" || re.Field != "conditions[0].op" {
		t.Errorf("RuleError = %+v", re)
	}
}

func TestUnknownProviders(t *testing.T) {
	src := `{"segmentations": [{"id": "a", "active": true, "events": ["PURCHASE_APPROVED"],
	  "action": {"provider": "crm", "command": "anything", "x": 1}}]}`
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := segment.Compile(rules); err == nil || !strings.Contains(err.Error(), `action.provider: unknown provider "crm" (no providers given to Compile; use WithProviders)`) {
		t.Errorf("Compile without providers: %v", err)
	}
	p, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	ms := p.Evaluate(purchaseEvent(t, hotmart.EventPurchaseApproved, nil))
	if len(ms) != 1 || ms[0].Params != nil || ms[0].Action().Provider != "crm" || string(ms[0].Action().Params["x"]) != "1" {
		t.Errorf("matches = %+v", ms)
	}
}

func TestCompileOptionErrors(t *testing.T) {
	for name, opt := range map[string]segment.Option{
		"nil provider": segment.WithProviders(nil),
		"duplicate":    segment.WithProviders(fakeProvider{}, fakeProvider{}),
	} {
		if _, err := segment.Compile(segment.Rules{}, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

type panickyProvider struct{ fakeProvider }

func (panickyProvider) CompileAction(string, map[string]json.RawMessage) (any, error) {
	panic("boom")
}

func TestCompileSurvivesPanickingProvider(t *testing.T) {
	rules := segment.Rules{Segmentations: []segment.Segmentation{{
		ID: "a", Events: []hotmart.EventType{hotmart.EventPurchaseApproved},
		Action: segment.Action{Provider: "fake", Command: "tag"},
	}}}
	_, err := segment.Compile(rules, segment.WithProviders(panickyProvider{}))
	if err == nil || !strings.Contains(err.Error(), `segmentations[0] (id "a"): action: provider fake failed to compile tag: boom`) {
		t.Errorf("err = %v", err)
	}
}

func TestParseRulesErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", ``, "segment: rules: empty document"},
		{"syntax", "{\n  \"segmentations\": [\n    {\"id\": \"a\",}\n  ]\n}", "segment: rules: invalid JSON at line 3, column 16"},
		{"truncated", `{"segmentations": [`, "unexpected end of input"},
		{"not an object", `[1, 2]`, "the rules must be an object"},
		{"segmentations not objects", `{"segmentations": {"a": 1}}`, "the rules must be an array of segmentation objects"},
		{"unknown top key", `{"segmentations": [], "version": 2}`, `unknown top-level key "version"`},
		{"trailing", `{"segmentations": []} {}`, "unexpected data after"},
		{"wrong types in two rules", `{"segmentations": [
			{"id": "a", "active": "yes", "events": ["PURCHASE_APPROVED"]},
			{"id": "b", "events": "PURCHASE_APPROVED"},
			{"id": "c", "condtions": []},
			{"id": "d", "action": {"provider": 3}},
			{"id": "e", "action": "leadlovers"},
			{"id": "f", "conditions": [{"field": "x", "op": 1}]},
			7]}`,
			`segmentations[0] (id "a"): active: must not be a JSON string (want a boolean)` + "\n" +
				`segmentations[1] (id "b"): events: must not be a JSON string (want an array of event names)` + "\n" +
				`segmentations[2] (id "c"): condtions: unknown key` + "\n" +
				`segmentations[3] (id "d"): action.provider: must be a string` + "\n" +
				`segmentations[4] (id "e"): action: must be a JSON object` + "\n" +
				`segmentations[5] (id "f"): conditions.op: must not be a JSON number (want a string)` + "\n" +
				`segmentations[6]: must be a JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := segment.ParseRules([]byte(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseRulesRoundTrip(t *testing.T) {
	src := `{"segmentations":[{"id":"approved-br","name":"Approved, Brazil","active":true,
	  "events":["PURCHASE_APPROVED"],"products":[1234567,"5a4c-ucode"],
	  "conditions":[{"field":"purchase.price.currency","op":"in","value":["BRL"]},{"field":"affiliate.code","op":"not_exists"}],
	  "action":{"provider":"leadlovers","command":"add_lead","send":["email","name"],"machine":111}}]}`
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	s := rules.Segmentations[0]
	if s.Products[0] != "1234567" || s.Products[1] != "5a4c-ucode" || s.Conditions[1].Op != segment.OpNotExists ||
		s.Action.Provider != "leadlovers" || string(s.Action.Params["machine"]) != "111" {
		t.Errorf("decoded %+v", s)
	}
	out, err := json.Marshal(rules)
	if err != nil {
		t.Fatal(err)
	}
	again, err := segment.ParseRules(out)
	if err != nil {
		t.Fatalf("re-parse %s: %v", out, err)
	}
	out2, _ := json.Marshal(again)
	if string(out) != string(out2) {
		t.Errorf("round trip differs:\n%s\n%s", out, out2)
	}
}

func TestProgramIsolatedFromCallerChanges(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations":[{"id":"a","active":true,"events":["PURCHASE_APPROVED"],
	  "conditions":[{"field":"buyer.name","op":"eq","value":"Ana Souza"}],
	  "action":{"provider":"fake","command":"tag","list":1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, err := segment.Compile(rules, segment.WithProviders(fakeProvider{}))
	if err != nil {
		t.Fatal(err)
	}
	rules.Segmentations[0].Active = false
	rules.Segmentations[0].ID = "changed"
	rules.Segmentations[0].Conditions[0].Value[1] = 'X'
	if got := matchedIDs(p.Evaluate(purchaseEvent(t, hotmart.EventPurchaseApproved, nil))); !equalStrings(got, []string{"a"}) {
		t.Errorf("matched %v after caller changed its rules", got)
	}
	r := p.Rules()
	r.Segmentations[0].ID = "mutated"
	if s, ok := p.Segmentation("a"); !ok || s.ID != "a" || p.Rules().Segmentations[0].ID != "a" {
		t.Errorf("Rules() is not a copy")
	}
	if p.Len() != 1 {
		t.Errorf("Len = %d", p.Len())
	}
	if _, ok := p.Segmentation("nope"); ok {
		t.Error("Segmentation found an unknown id")
	}
}

func TestMatchFor(t *testing.T) {
	p := mustCompile(t, `{"segmentations":[{"id":"off","events":["PURCHASE_APPROVED"],
	  "conditions":[{"field":"buyer.name","op":"eq","value":"nobody"}],
	  "action":{"provider":"fake","command":"tag","list":9}}]}`)
	e := purchaseEvent(t, hotmart.EventPurchaseApproved, nil)
	m, ok := p.MatchFor("off", e)
	if !ok || m.Segmentation.ID != "off" || m.Params.(*tagParams).List != 9 || m.Event != e {
		t.Errorf("MatchFor = %+v, %v", m, ok)
	}
	if _, ok := p.MatchFor("missing", e); ok {
		t.Error("MatchFor found an unknown id")
	}
}
