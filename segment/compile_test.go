package segment_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// compileErrors parses and compiles src and returns the problems, checking
// that the error reads as one line per problem.
func compileErrors(t *testing.T, src string, opts ...segment.Option) []segment.Problem {
	t.Helper()
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	_, err = segment.Compile(rules, append([]segment.Option{segment.WithProviders(fakeProvider{}, legacyProvider{})}, opts...)...)
	if err == nil {
		return nil
	}
	return problemsOf(t, err)
}

func problemsOf(t *testing.T, err error) []segment.Problem {
	t.Helper()
	var re *segment.RulesError
	if !errors.As(err, &re) {
		t.Fatalf("err = %T %v, want *RulesError", err, err)
	}
	var lines []string
	for _, p := range re.Problems {
		lines = append(lines, p.String())
	}
	if strings.Join(lines, "\n") != err.Error() {
		t.Errorf("Error() = %q, want one line per problem", err.Error())
	}
	return re.Problems
}

// want is the contract a problem is checked on: its path, reason and
// suggestion, plus its whole line for the readers of logs.
type want struct {
	path       string
	reason     segment.Reason
	suggestion string
	line       string
}

func checkProblems(t *testing.T, got []segment.Problem, wants []want) {
	t.Helper()
	for i := 0; i < max(len(got), len(wants)); i++ {
		switch {
		case i >= len(got):
			t.Errorf("missing problem %d: %+v", i, wants[i])
		case i >= len(wants):
			t.Errorf("unexpected problem %d: %s", i, got[i])
		default:
			g, w := got[i], wants[i]
			if g.Path() != w.path || g.Reason != w.reason || g.Suggestion != w.suggestion {
				t.Errorf("problem %d = (%s, %s, %q), want (%s, %s, %q)", i, g.Path(), g.Reason, g.Suggestion, w.path, w.reason, w.suggestion)
			}
			if w.line != "" && g.String() != w.line {
				t.Errorf("problem %d reads\n%s\nwant\n%s", i, g.String(), w.line)
			}
		}
	}
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
	     {"field": "event", "op": "eq", "value": "PURCHASE_DONE"},
	     {"field": "purchase.status", "op": "eq", "value": "APROVED"},
	     {"field": "buyer.address.country_iso", "op": "notin", "value": ["BR"]}],
	   "action": {"provider": "fake", "command": "tag", "list": 0, "lable": "red"}},
	  {"id": "ok", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tga"}},
	  {"id": "p", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fak", "command": "add"}},
	  {"id": "q", "events": ["PURCHASE_APPROVED"], "action": {}},
	  {"id": "r", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "untag", "list": 13}},
	  {"id": "s", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "legacy", "command": "run", "x": 1}}
	]}`)
	const br = `segmentations[2] (id "approved-br"): `
	checkProblems(t, got, []want{
		{"segmentations[1].id", segment.ReasonMissing, "", `segmentations[1]: id: required`},
		{"segmentations[1].events", segment.ReasonMissing, "", `segmentations[1]: events: at least one event is required`},
		{"segmentations[2].events[0]", segment.ReasonUnknown, "PURCHASE_APPROVED",
			br + `events[0]: unknown event "PURCHASE_APROVED" (did you mean "PURCHASE_APPROVED"?)`},
		{"segmentations[2].events[1]", segment.ReasonMissing, "", br + `events[1]: must not be empty`},
		{"segmentations[2].products[0]", segment.ReasonMissing, "", br + `products[0]: must not be empty`},
		{"segmentations[2].conditions[1].op", segment.ReasonOperator, "",
			br + `conditions[1].op: unknown operator "equals" (want one of eq, ne, in, not_in, gt, gte, lt, lte, contains, prefix, exists, not_exists)`},
		{"segmentations[2].conditions[2].field", segment.ReasonUnknown, "buyer.address.country_iso",
			br + `conditions[2].field: unknown field "buyer.adress.country_iso" (did you mean "buyer.address.country_iso"?)`},
		{"segmentations[2].conditions[3].op", segment.ReasonOperator, "",
			br + `conditions[3].op: operator "contains" does not apply to decimal field purchase.price.value (use eq, ne, in, not_in, gt, gte, lt, lte, exists, not_exists)`},
		{"segmentations[2].conditions[4].value", segment.ReasonType, "", br + `conditions[4].value: must be a number (purchase.price.value is a decimal field)`},
		{"segmentations[2].conditions[5].value", segment.ReasonType, "", br + `conditions[5].value: must be a whole number (purchase.recurrence_number is an integer field)`},
		{"segmentations[2].conditions[6].value", segment.ReasonType, "", br + `conditions[6].value: must be true or false (purchase.is_funnel is a boolean field)`},
		{"segmentations[2].conditions[7].value", segment.ReasonInvalid, "", br + `conditions[7].value: in needs a non-empty array`},
		{"segmentations[2].conditions[8].value[1]", segment.ReasonType, "", br + `conditions[8].value[1]: must be a string (purchase.status is an enum field)`},
		{"segmentations[2].conditions[9].value", segment.ReasonInvalid, "", br + `conditions[9].value: exists takes no value`},
		{"segmentations[2].conditions[10].value", segment.ReasonMissing, "", br + `conditions[10].value: required for operator eq`},
		{"segmentations[2].conditions[11].value", segment.ReasonType, "", br + `conditions[11].value: eq takes a single value; use in for a list`},
		{"segmentations[2].conditions[12].field", segment.ReasonMissing, "", br + `conditions[12].field: required`},
		{"segmentations[2].conditions[12].op", segment.ReasonMissing, "", br + `conditions[12].op: required`},
		{"segmentations[2].conditions[13].value", segment.ReasonEnum, "", br + `conditions[13].value: unknown event "PURCHASE_DONE"`},
		{"segmentations[2].conditions[14].value", segment.ReasonEnum, "APPROVED",
			br + `conditions[14].value: "APROVED" is not a purchase.status value (did you mean "APPROVED"?)`},
		{"segmentations[2].conditions[15].op", segment.ReasonOperator, "not_in", ""},
		{"segmentations[2].action.lable", segment.ReasonUnknown, "label", br + `action.lable: unknown parameter (did you mean "label"?)`},
		{"segmentations[2].action.list", segment.ReasonInvalid, "", br + `action.list: must be a positive integer`},
		{"segmentations[3].id", segment.ReasonDuplicate, "", `segmentations[3] (id "ok"): id: duplicate id: segmentations[0] has it too`},
		{"segmentations[3].action.command", segment.ReasonUnknown, "tag",
			`segmentations[3] (id "ok"): action.command: unknown command "tga" for provider fake (want one of tag, untag) (did you mean "tag"?)`},
		{"segmentations[4].action.provider", segment.ReasonUnknown, "fake",
			`segmentations[4] (id "p"): action.provider: unknown provider "fak" (known: fake, legacy) (did you mean "fake"?)`},
		{"segmentations[5].action.provider", segment.ReasonMissing, "", `segmentations[5] (id "q"): action.provider: required`},
		{"segmentations[5].action.command", segment.ReasonMissing, "", `segmentations[5] (id "q"): action.command: required`},
		{"segmentations[6].action", segment.ReasonInvalid, "", `segmentations[6] (id "r"): action: list 13 cannot be untagged`},
		{"segmentations[7].action.x", segment.ReasonInvalid, "", `segmentations[7] (id "s"): action.x: unknown parameter`},
	})
}

// The segmentation's index and id are named once per line, whatever layer
// (ParseRules, Compile, the provider) found the problem.
func TestProblemNamesSegmentationOnce(t *testing.T) {
	got := compileErrors(t, `{"segmentations": [{"id": "approved-br", "events": ["PURCHASE_APPROVED"],
	  "conditions": [{"field": "purchase.status", "op": "eq", "value": "APROVED"}],
	  "action": {"provider": "fake", "command": "tag", "list": 1, "label": "{{buyer.nme}}"}}]}`)
	if len(got) != 2 {
		t.Fatalf("problems = %v", got)
	}
	for _, p := range got {
		line := p.String()
		if n := strings.Count(line, "approved-br"); n != 1 {
			t.Errorf("%q names the segmentation %d times", line, n)
		}
		if n := strings.Count(line, "segmentations[0]"); n != 1 {
			t.Errorf("%q names the index %d times", line, n)
		}
		if n := strings.Count(line, "did you mean"); n != 1 {
			t.Errorf("%q suggests %d times", line, n)
		}
	}
}

func TestEnumValuesAcceptSpellingDrift(t *testing.T) {
	ok := []segment.Condition{
		segment.Cond("purchase.status", segment.OpEq, "COMPLETED"),
		segment.Cond("purchase.status", segment.OpEq, "complete"),
		segment.Cond("purchase.status", segment.OpIn, []string{"CANCELED", "CANCELLED", "BILLET_PRINTED", "PROTESTED", "UNDER_ANALYSIS", "wayting_payment"}),
		segment.Cond("purchase.payment.type", segment.OpNe, "CASHPAYMENT"),
		segment.Cond("purchase.payment.type", segment.OpEq, "PAYPAL_INTERNATIONAL"),
		segment.Cond("subscription.status", segment.OpNotIn, []string{"CANCELED_BY_VENDOR", "CANCELED_BY_SELLER", "PAST_DUE", "CANCELED_BY_CUSTOMER"}),
		segment.Cond("buyer.document_type", segment.OpEq, "cnpj"),
		segment.Cond("purchase.price.currency", segment.OpIn, []string{"BRL", "usd"}),
		segment.Cond("commission.producer.currency", segment.OpEq, "EUR"),
		segment.Cond("event", segment.OpEq, "purchase_approved"),
		// contains and prefix take parts of values.
		segment.Cond("purchase.status", segment.OpPrefix, "CANCEL"),
		segment.Cond("purchase.price.currency", segment.OpContains, "R"),
	}
	for _, c := range ok {
		rules := segment.Rules{Segmentations: []segment.Segmentation{{
			ID: "a", Events: []hotmart.EventType{hotmart.EventPurchaseApproved}, Conditions: []segment.Condition{c},
			Action: segment.Action{Provider: "fake", Command: "tag", Params: map[string]json.RawMessage{"list": json.RawMessage("1")}},
		}}}
		if _, err := segment.Compile(rules, segment.WithProviders(fakeProvider{})); err != nil {
			t.Errorf("%s %s %s: %v", c.Field, c.Op, c.Value, err)
		}
	}
}

func TestEnumValuesRejected(t *testing.T) {
	tests := []struct {
		cond       segment.Condition
		suggestion string
	}{
		{segment.Cond("purchase.status", segment.OpEq, "APROVED"), "APPROVED"},
		{segment.Cond("purchase.status", segment.OpEq, "PAID"), ""},
		{segment.Cond("purchase.status", segment.OpNotIn, []string{"APPROVED", "REFUNED"}), "REFUNDED"},
		{segment.Cond("purchase.payment.type", segment.OpEq, "CREDITCARD"), "CREDIT_CARD"},
		{segment.Cond("subscription.status", segment.OpEq, "CANCELLED_BY_SELER"), "CANCELLED_BY_SELLER"},
		{segment.Cond("buyer.document_type", segment.OpEq, "CPFF"), "CPF"},
		{segment.Cond("purchase.price.currency", segment.OpEq, "R$"), "BRL"},
		{segment.Cond("purchase.price.currency", segment.OpEq, "REAL"), ""},
		{segment.Cond("commission.producer.currency", segment.OpIn, []string{"BR"}), ""},
		{segment.Cond("event", segment.OpEq, "PURCHASE_CANCELLED"), "PURCHASE_CANCELED"},
	}
	for _, tt := range tests {
		rules := segment.Rules{Segmentations: []segment.Segmentation{{
			ID: "a", Events: []hotmart.EventType{hotmart.EventPurchaseApproved}, Conditions: []segment.Condition{tt.cond},
			Action: segment.Action{Provider: "fake", Command: "tag", Params: map[string]json.RawMessage{"list": json.RawMessage("1")}},
		}}}
		_, err := segment.Compile(rules, segment.WithProviders(fakeProvider{}))
		if err == nil {
			t.Errorf("%s %s %s compiled", tt.cond.Field, tt.cond.Op, tt.cond.Value)
			continue
		}
		ps := problemsOf(t, err)
		if len(ps) != 1 || ps[0].Reason != segment.ReasonEnum || ps[0].Suggestion != tt.suggestion ||
			!strings.HasPrefix(ps[0].Field, "conditions[0].value") {
			t.Errorf("%s %s %s: %+v", tt.cond.Field, tt.cond.Op, tt.cond.Value, ps)
		}
	}
}

func TestCompileErrorUnwrapsToRulesError(t *testing.T) {
	_, err := segment.Compile(segment.Rules{Segmentations: []segment.Segmentation{{
		ID: "x", Events: []hotmart.EventType{hotmart.EventPurchaseApproved},
		Conditions: []segment.Condition{segment.Cond("buyer.email", "gt", "a")},
		Action:     segment.Action{Provider: "fake", Command: "tag", Params: map[string]json.RawMessage{"list": json.RawMessage("1")}},
	}}}, segment.WithProviders(fakeProvider{}))
	wrapped := fmt.Errorf("loading rules: %w", err)
	var re *segment.RulesError
	if !errors.As(wrapped, &re) || len(re.Problems) != 1 {
		t.Fatalf("errors.As(*RulesError) failed on %v", err)
	}
	if p := re.Problems[0]; p.Index != 0 || p.Segmentation != "x" || p.Field != "conditions[0].op" || p.Reason != segment.ReasonOperator {
		t.Errorf("Problem = %+v", p)
	}
}

func TestProblemJSON(t *testing.T) {
	p := segment.Problem{Index: 2, Segmentation: "a", Field: "conditions[0].value", Reason: segment.ReasonEnum,
		Message: `"APROVED" is not a purchase.status value`, Suggestion: "APPROVED"}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"index":2,"segmentation":"a","field":"conditions[0].value","reason":"enum","message":"\"APROVED\" is not a purchase.status value","suggestion":"APPROVED"}`
	if string(b) != want {
		t.Errorf("json = %s\nwant   %s", b, want)
	}
}

func TestProblemListErr(t *testing.T) {
	var l segment.ProblemList
	if l.Err() != nil {
		t.Error("empty ProblemList.Err() is not nil")
	}
	l = append(l, segment.Problem{Field: "machine", Reason: segment.ReasonMissing, Message: "required"},
		segment.Problem{Field: "levle", Reason: segment.ReasonUnknown, Message: "unknown parameter", Suggestion: "level"})
	if got := l.Err().Error(); got != `machine: required; levle: unknown parameter (did you mean "level"?)` {
		t.Errorf("Error() = %q", got)
	}
}

func TestUnknownProviders(t *testing.T) {
	src := `{"segmentations": [{"id": "a", "active": true, "events": ["PURCHASE_APPROVED"],
	  "action": {"provider": "crm", "command": "anything", "x": 1}}]}`
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = segment.Compile(rules)
	if ps := problemsOf(t, err); len(ps) != 1 || ps[0].Field != "action.provider" || ps[0].Reason != segment.ReasonUnknown ||
		!strings.Contains(ps[0].Message, "use WithProviders") {
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
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Field != "action" || ps[0].Reason != segment.ReasonInvalid ||
		ps[0].Message != "provider fake panicked compiling tag (string)" {
		t.Errorf("problems = %+v", ps)
	}
}

// ParseRules' problems are asserted on the SDK's own contract (path,
// reason, position), never on the standard library's wording, which changed
// with Go 1.27.
func TestParseRulesErrors(t *testing.T) {
	type prob struct {
		path         string
		reason       segment.Reason
		suggestion   string
		line, column int
	}
	tests := []struct {
		name, src string
		want      []prob
	}{
		{"empty", ``, []prob{{"", segment.ReasonSyntax, "", 0, 0}}},
		{"blank", " \n ", []prob{{"", segment.ReasonSyntax, "", 0, 0}}},
		{"syntax", "{\n  \"segmentations\": [\n    {\"id\": \"a\",}\n  ]\n}", []prob{{"", segment.ReasonSyntax, "", 3, 16}}},
		{"truncated", `{"segmentations": [`, []prob{{"", segment.ReasonSyntax, "", 1, 20}}},
		{"not an object", `[1, 2]`, []prob{{"", segment.ReasonType, "", 1, 1}}},
		{"segmentations not an array", `{"segmentations": {"a": 1}}`, []prob{{"segmentations", segment.ReasonType, "", 0, 0}}},
		{"unknown top key", `{"segmentation": [], "version": 2}`, []prob{
			{"segmentation", segment.ReasonUnknown, "segmentations", 0, 0},
			{"version", segment.ReasonUnknown, "", 0, 0}}},
		{"trailing", "{\"segmentations\": []}\n {}", []prob{{"", segment.ReasonSyntax, "", 2, 2}}},
		{"trailing garbage", `{"segmentations": []} x`, []prob{{"", segment.ReasonSyntax, "", 1, 23}}},
		{"repeated key", `{"segmentations": [{"id": "a", "active": true, "active": false}]}`, []prob{
			{"segmentations[0].active", segment.ReasonDuplicate, "", 1, 48}}},
		{"wrong types in every rule", `{"segmentations": [
			{"id": "a", "active": "yes", "events": ["PURCHASE_APPROVED"]},
			{"id": "b", "events": "PURCHASE_APPROVED"},
			{"id": "c", "condtions": []},
			{"action": {"provider": 3}, "id": "d"},
			{"id": "e", "action": "leadlovers"},
			{"id": "f", "conditions": [{"field": "x", "op": 1}, 2, {"field": "y", "op": "eq", "valeu": 1}]},
			7,
			{"id": 8, "events": ["PURCHASE_APPROVED", 9], "products": [1, "u", true], "name": []}]}`,
			[]prob{
				{"segmentations[0].active", segment.ReasonType, "", 0, 0},
				{"segmentations[1].events", segment.ReasonType, "", 0, 0},
				{"segmentations[2].condtions", segment.ReasonUnknown, "conditions", 0, 0},
				{"segmentations[3].action.provider", segment.ReasonType, "", 0, 0},
				{"segmentations[4].action", segment.ReasonType, "", 0, 0},
				{"segmentations[5].conditions[0].op", segment.ReasonType, "", 0, 0},
				{"segmentations[5].conditions[1]", segment.ReasonType, "", 0, 0},
				{"segmentations[5].conditions[2].valeu", segment.ReasonUnknown, "value", 0, 0},
				{"segmentations[6]", segment.ReasonType, "", 0, 0},
				{"segmentations[7].id", segment.ReasonType, "", 0, 0},
				{"segmentations[7].events[1]", segment.ReasonType, "", 0, 0},
				{"segmentations[7].products[2]", segment.ReasonType, "", 0, 0},
				{"segmentations[7].name", segment.ReasonType, "", 0, 0},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := segment.ParseRules([]byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			ps := problemsOf(t, err)
			var got []prob
			for _, p := range ps {
				got = append(got, prob{p.Path(), p.Reason, p.Suggestion, p.Line, p.Column})
				if p.Message == "" {
					t.Errorf("%s: empty message", p.Path())
				}
			}
			slices.SortStableFunc(got, func(a, b prob) int { return strings.Compare(a.path, b.path) })
			wantSorted := slices.Clone(tt.want)
			slices.SortStableFunc(wantSorted, func(a, b prob) int { return strings.Compare(a.path, b.path) })
			if !slices.Equal(got, wantSorted) {
				t.Errorf("problems:\n got %+v\nwant %+v\n(%v)", got, wantSorted, err)
			}
		})
	}
}

// A problem names the segmentation by its id even when the id comes after
// the key at fault.
func TestParseRulesNamesSegmentationByLaterID(t *testing.T) {
	_, err := segment.ParseRules([]byte(`{"segmentations": [{"active": "yes", "id": "late"}]}`))
	ps := problemsOf(t, err)
	if len(ps) != 1 || ps[0].Segmentation != "late" || ps[0].Index != 0 ||
		ps[0].String() != `segmentations[0] (id "late"): active: must be true or false, not a JSON string` {
		t.Errorf("problems = %+v", ps)
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

// Keys match case-insensitively, as they did when rules were decoded with
// encoding/json.
func TestParseRulesKeysIgnoreCase(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"Segmentations": [{"ID": "a", "Active": true, "Events": ["PURCHASE_APPROVED"],
	  "Conditions": [{"Field": "buyer.name", "OP": "exists"}], "Action": {"provider": "fake", "command": "tag", "list": 1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	s := rules.Segmentations[0]
	if s.ID != "a" || !s.Active || len(s.Events) != 1 || len(s.Conditions) != 1 || s.Conditions[0].Op != segment.OpExists || s.Action.Provider != "fake" {
		t.Errorf("decoded %+v", s)
	}
}
