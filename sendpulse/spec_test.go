package sendpulse_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
)

func paramErrors(err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var pe *segment.ParamError
		if errors.As(err, &pe) {
			out = append(out, pe.Param)
		}
	}
	walk(err)
	slices.Sort(out)
	return out
}

func TestCompileAction(t *testing.T) {
	tests := []struct {
		command, params string
		wantParams      []string // ParamError.Param values; nil means success
	}{
		{"upsert_deal", `{"name":"{{product.name}}"}`, nil},
		{"upsert_deal", `{"pipeline":5,"stages":{"paid":"7","pending":8},"name":"x","responsible":"3"}`, nil},
		{"upsert_deal", `{}`, []string{"name"}},
		{"upsert_deal", `{"name":"x","stages":{"paid":0}}`, []string{"stages.paid"}},
		{"upsert_deal", `{"name":"x","stages":{"won":3}}`, []string{"stages.won"}},
		{"upsert_deal", `{"name":"x","stages":{"paid":"abc"}}`, []string{"stages.paid"}},
		{"upsert_deal", `{"name":"x","stages":[1]}`, []string{"stages"}},
		{"upsert_deal", `{"name":"x","pipeline":-1}`, []string{"pipeline"}},
		{"upsert_deal", `{"name":"x","pipeline":1.5}`, []string{"pipeline"}},
		{"upsert_deal", `{"name":"{{buyer.nope}}"}`, []string{"name"}},
		{"upsert_deal", `{"name":"{{buyer.name"}`, []string{"name"}},
		{"upsert_deal", `{"name":7}`, []string{"name"}},
		{"upsert_deal", `{"name":"x","book":1}`, []string{"book"}},
		{"upsert_deal", `{"name":"` + strings.Repeat("n", 201) + `"}`, []string{"name"}},
		{"add_to_list", `{"book":12,"variables":{"name":"{{buyer.name}}"}}`, nil},
		{"add_to_list", `{"book":"12"}`, nil},
		{"add_to_list", `{}`, []string{"book"}},
		{"add_to_list", `{"book":0}`, []string{"book"}},
		{"add_to_list", `{"book":true}`, []string{"book"}},
		{"add_to_list", `{"book":1,"variables":{"name":"{{x.y}}"}}`, []string{"variables.name"}},
		{"add_to_list", `{"book":1,"variables":{"":"a"}}`, []string{"variables."}},
		{"add_to_list", `{"book":1,"variables":{"n":1}}`, []string{"variables.n"}},
		// Every problem at once, sorted by field.
		{"upsert_deal", `{"pipline":1,"stages":{"won":3,"paid":0},"responsible":"me"}`, []string{"name", "pipline", "responsible", "stages.paid", "stages.won"}},
		{"add_to_list", `{"bok":1,"variables":{"a":"{{x.y}}","b":2}}`, []string{"bok", "book", "variables.a", "variables.b"}},
		{"remove_from_list", `{"book":12}`, nil},
		{"remove_from_list", `{"book":12,"variables":{"a":"b"}}`, []string{"variables"}},
	}
	for _, tt := range tests {
		t.Run(tt.command+" "+tt.params, func(t *testing.T) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal([]byte(tt.params), &m); err != nil {
				t.Fatal(err)
			}
			p, err := sendpulse.Spec.CompileAction(tt.command, m)
			if tt.wantParams == nil {
				if err != nil || p == nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want errors on %v, got params %+v", tt.wantParams, p)
			}
			if got := paramErrors(err); !slices.Equal(got, tt.wantParams) {
				t.Fatalf("ParamError params = %q, want %q (err: %v)", got, tt.wantParams, err)
			}
		})
	}
	if _, err := sendpulse.Spec.CompileAction("send_sms", nil); err == nil || !strings.Contains(err.Error(), "upsert_deal") {
		t.Fatalf("unknown command: %v", err)
	}
}

func TestCompileActionSuggestsParamNames(t *testing.T) {
	_, err := sendpulse.Spec.CompileAction("upsert_deal", map[string]json.RawMessage{
		"name": json.RawMessage(`"x"`), "pipline": json.RawMessage(`1`), "stage": json.RawMessage(`{}`), "zzz": json.RawMessage(`1`)})
	var all sendpulse.ParamErrors
	if !errors.As(err, &all) || len(all) != 3 {
		t.Fatalf("want three problems as ParamErrors, got %v", err)
	}
	want := map[string]string{"pipline": "pipeline", "stage": "stages", "zzz": ""}
	for _, pe := range all {
		if w, ok := want[pe.Field]; !ok || pe.Suggestion != w {
			t.Errorf("%s: suggestion %q, want %q (%v)", pe.Field, pe.Suggestion, w, pe)
		}
	}
}

func TestSpecWithSegmentCompile(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations":[{"id":"crm","active":true,"events":["PURCHASE_APPROVED"],
		"action":{"provider":"sendpulse","command":"upsert_deal","name":"{{product.name}}","stages":{"paid":"x"}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = segment.Compile(rules, segment.WithProviders(sendpulse.Spec))
	if err == nil || !strings.Contains(err.Error(), "crm") || !strings.Contains(err.Error(), "stages") {
		t.Fatalf("want an error naming the rule and stages, got %v", err)
	}
}

func FuzzCompileAction(f *testing.F) {
	f.Add("upsert_deal", `{"name":"{{product.name}}","stages":{"paid":1}}`)
	f.Add("add_to_list", `{"book":"12","variables":{"a":"{{buyer.email}}"}}`)
	f.Add("remove_from_list", `{"book":1e3}`)
	f.Add("upsert_deal", `{"stages":{"":-0},"pipeline":"0x10"}`)
	f.Fuzz(func(t *testing.T, command, params string) {
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(params), &m) != nil {
			return
		}
		p, err := sendpulse.Spec.CompileAction(command, m)
		if (p == nil) == (err == nil) {
			t.Fatalf("want exactly one of params and error, got %v, %v", p, err)
		}
	})
}
