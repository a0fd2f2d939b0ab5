package leadlovers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/segment"
)

// The rules file → Compile → Evaluate → Execute path a host wires up.
func TestRulesToLeadlovers(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations":[
	  {"id":"approved","active":true,"events":["PURCHASE_APPROVED"],
	   "action":{"provider":"leadlovers","command":"add_lead","send":["email","name","billet_url"],
	             "machine":111,"sequence":222,"level":1,"fields":{"900":"{{purchase.transaction}}"}}},
	  {"id":"refunded","active":true,"events":["PURCHASE_REFUNDED"],
	   "action":{"provider":"leadlovers","command":"move_lead","from":{"machine":111,"sequence":222},"to":{"machine":555,"sequence":666,"level":1}}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := segment.Compile(rules, segment.WithProviders(leadlovers.Spec.WithBilletField(billetField)))
	if err != nil {
		t.Fatal(err)
	}
	c, srv := fake(t)
	x := executor(t, c)
	ev := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	matches := prog.Evaluate(ev)
	if len(matches) != 1 {
		t.Fatalf("matches = %d", len(matches))
	}
	for _, m := range matches {
		if err := x.Execute(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	got, ok := srv.Lead(ev.Buyer().Email)
	if !ok || got.DynamicFields[900] == "" || got.DynamicFields[billetField] == "" {
		t.Fatalf("lead = %+v", got)
	}
}

func TestRulesCompileErrorNamesRuleAndParam(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations":[
	  {"id":"boleto","active":true,"events":["PURCHASE_BILLET_PRINTED"],
	   "action":{"provider":"leadlovers","command":"add_lead","send":["billet_url"],"machine":333,"sequence":444,"level":0}}
	]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = segment.Compile(rules, segment.WithProviders(leadlovers.Spec))
	if err == nil {
		t.Fatal("want compile error")
	}
	for _, want := range []string{"boleto", "level", "billet_field"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not mention %q", err, want)
		}
	}
}
