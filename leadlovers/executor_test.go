package leadlovers_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/segment"
)

func params(t *testing.T, js string) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompileActionErrorsNameTheParam(t *testing.T) {
	cases := []struct {
		name    string
		spec    leadlovers.ActionSpec
		command string
		params  string
		want    []string // "param: reason fragment"
	}{
		{"missing machine", leadlovers.Spec, "add_lead", `{"send":["email"],"sequence":2,"level":1}`, []string{"machine: is required"}},
		{"negative sequence", leadlovers.Spec, "add_lead", `{"machine":1,"sequence":-2,"level":1}`, []string{"sequence: must be a positive"}},
		{"wrong type", leadlovers.Spec, "add_lead", `{"machine":"abc","sequence":2,"level":1}`, []string{"machine: must be an integer, not a string"}},
		{"unknown send", leadlovers.Spec, "add_lead", `{"send":["email","cpf"],"machine":1,"sequence":2,"level":1}`, []string{"send[1]: must be one of email, name, phone, billet_url"}},
		{"send not a list", leadlovers.Spec, "add_lead", `{"send":"email","machine":1,"sequence":2,"level":1}`, []string{"send: must be a list, not a string"}},
		{"typo", leadlovers.Spec, "add_lead", `{"machine":1,"sequense":2,"level":1}`, []string{"sequence: is required", "sequense: unknown parameter"}},
		{"billet without field", leadlovers.Spec, "add_lead", `{"send":["billet_url"],"machine":1,"sequence":2,"level":1}`, []string{"billet_field: required when send has \"billet_url\""}},
		{"billet field without billet", leadlovers.Spec, "add_lead", `{"machine":1,"sequence":2,"level":1,"billet_field":5}`, []string{"billet_field: only meaningful"}},
		{"field template", leadlovers.Spec, "add_lead", `{"machine":1,"sequence":2,"level":1,"fields":{"5":"{{buyer.nope}}","6":"{{buyer.name"}}`, []string{"fields.5: template: at offset 0", "fields.6: template: at offset 0"}},
		{"field key", leadlovers.Spec, "add_lead", `{"machine":1,"sequence":2,"level":1,"fields":{"cnpj":"x"}}`, []string{"fields.cnpj: key must be a positive"}},
		{"field not string", leadlovers.Spec, "add_lead", `{"machine":1,"sequence":2,"level":1,"fields":{"5":3}}`, []string{"fields.5: must be a string, not a number"}},
		{"field clashes with billet", leadlovers.Spec.WithBilletField(9), "add_lead", `{"send":["billet_url"],"machine":1,"sequence":2,"level":1,"fields":{"9":"x"}}`, []string{"fields.9: is also the billet_field"}},
		{"move same place", leadlovers.Spec, "move_lead", `{"from":{"machine":1,"sequence":2},"to":{"machine":1,"sequence":2,"level":1}}`, []string{"to: is the same"}},
		{"move no to level", leadlovers.Spec, "move_lead", `{"from":{"machine":1,"sequence":2},"to":{"machine":1,"sequence":3}}`, []string{"to.level: is required"}},
		{"move missing from", leadlovers.Spec, "move_lead", `{"to":{"machine":1,"sequence":3,"level":1}}`, []string{"from: is required"}},
		{"move nested", leadlovers.Spec, "move_lead", `{"from":{"machine":0,"sequence":2},"to":{"machine":1,"sequence":3,"level":1,"x":1}}`, []string{"from.machine: is required", "to.x: unknown parameter"}},
		{"move nested type", leadlovers.Spec, "move_lead", `{"from":{"machine":"1","sequence":2},"to":{"machine":1,"sequence":3,"level":1}}`, []string{"from.machine: must be an integer, not a string"}},
		{"remove no machine", leadlovers.Spec, "remove_lead", `{"sequence":2}`, []string{"machine: is required"}},
		{"remove bad sequence", leadlovers.Spec, "remove_lead", `{"machine":1,"sequence":-1}`, []string{"sequence: must be at least 0"}},
		{"everything at once", leadlovers.Spec, "add_lead", `{"machin":1,"sequence":"x","level":0,"send":["fax"]}`,
			[]string{"level: is required", "machin: unknown parameter", "machine: is required", "send[0]: must be one of", "sequence: must be an integer"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := tc.spec.CompileAction(tc.command, params(t, tc.params))
			if err == nil || v != nil {
				t.Fatalf("want error, got %v", v)
			}
			var got []string
			collect(err, &got)
			if len(got) != len(tc.want) {
				t.Fatalf("errors %q, want %d", got, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Fatalf("error %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
	if _, err := leadlovers.Spec.CompileAction("add_tag", nil); err == nil || !strings.Contains(err.Error(), "add_lead, move_lead, remove_lead") {
		t.Fatalf("unknown command: %v", err)
	}
}

// collect flattens joined *segment.ParamError values into "param: reason".
// collect reads the SDK's own contract: a ParamErrors holding one
// *ParamError per problem, whose Field and Reason are this package's words
// (never encoding/json's, which change between Go releases).
func collect(err error, out *[]string) {
	var all leadlovers.ParamErrors
	if !errors.As(err, &all) {
		*out = append(*out, "NOT ParamErrors: "+err.Error())
		return
	}
	for _, pe := range all {
		*out = append(*out, pe.Field+": "+pe.Reason)
	}
}

func TestCompileActionSuggestsParamNames(t *testing.T) {
	_, err := leadlovers.Spec.CompileAction("add_lead", params(t, `{"machine":1,"sequense":2,"levle":1,"tags":3}`))
	var all leadlovers.ParamErrors
	if !errors.As(err, &all) {
		t.Fatalf("want ParamErrors, got %v", err)
	}
	want := map[string]string{"sequense": "sequence", "levle": "level", "tags": "tag"}
	for _, pe := range all {
		if w, ok := want[pe.Field]; ok {
			if pe.Suggestion != w || !strings.Contains(pe.Error(), `did you mean "`+w+`"`) {
				t.Errorf("%s: suggestion %q (%v), want %q", pe.Field, pe.Suggestion, pe, w)
			}
			delete(want, pe.Field)
		}
	}
	if len(want) > 0 {
		t.Errorf("no problem reported for %v in %v", want, err)
	}
	// segment.Compile still names the rule and the parameter.
	var sp *segment.ParamError
	if !errors.As(all[0], &sp) || sp.Param != all[0].Field {
		t.Errorf("a *ParamError must unwrap to the *segment.ParamError Compile reads: %v", sp)
	}
}

func TestCompileActionValid(t *testing.T) {
	v, err := leadlovers.Spec.WithBilletField(77).CompileAction("add_lead",
		params(t, `{"send":["name","billet_url","name"],"machine":111,"sequence":222,"level":1,"tag":10,"fields":{"5":"hotmart"}}`))
	if err != nil {
		t.Fatal(err)
	}
	a := v.(*leadlovers.AddLeadAction)
	if !reflect.DeepEqual(a.Send, []string{"email", "name", "billet_url"}) || a.BilletField != 77 || a.Tag != 10 || len(a.Fields) != 1 || a.Fields[0].ID != 5 {
		t.Fatalf("compiled %+v", a)
	}
	v, err = leadlovers.Spec.CompileAction("add_lead", params(t, `{"send":["billet_url"],"billet_field":12,"machine":1,"sequence":2,"level":3}`))
	if err != nil || v.(*leadlovers.AddLeadAction).BilletField != 12 {
		t.Fatalf("action billet_field: %v %v", v, err)
	}
	v, err = leadlovers.Spec.CompileAction("move_lead", params(t, `{"from":{"machine":1,"sequence":2},"to":{"machine":3,"sequence":4,"level":2}}`))
	if err != nil || *v.(*leadlovers.MoveLeadAction) != (leadlovers.MoveLeadAction{FromMachine: 1, FromSequence: 2, ToMachine: 3, ToSequence: 4, ToLevel: 2}) {
		t.Fatalf("move: %v %v", v, err)
	}
	v, err = leadlovers.Spec.CompileAction("remove_lead", params(t, `{"machine":1}`))
	if err != nil || *v.(*leadlovers.RemoveLeadAction) != (leadlovers.RemoveLeadAction{Machine: 1}) {
		t.Fatalf("remove: %v %v", v, err)
	}
}

func sampleEvent(t testing.TB, name string) *hotmart.Event {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "hotmart", "testdata", "webhooks", name))
	if err != nil {
		t.Fatal(err)
	}
	e, err := hotmart.ParseEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func match(t *testing.T, spec leadlovers.ActionSpec, command, js string, e *hotmart.Event) segment.Match {
	t.Helper()
	p, err := spec.CompileAction(command, params(t, js))
	if err != nil {
		t.Fatal(err)
	}
	return segment.Match{
		Segmentation: &segment.Segmentation{ID: "seg-" + command, Active: true, Action: segment.Action{Provider: "leadlovers", Command: command}},
		Event:        e, Params: p,
	}
}

func executor(t *testing.T, c *leadlovers.Client) *leadlovers.Executor {
	t.Helper()
	x, err := leadlovers.NewExecutor(c)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

const billetField = 119190

func TestAddLeadFlow(t *testing.T) {
	c, srv := fake(t)
	x := executor(t, c)
	e := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	m := match(t, leadlovers.Spec.WithBilletField(billetField), "add_lead",
		`{"send":["email","name","phone","billet_url"],"machine":111,"sequence":222,"level":1,"tag":10,
		  "fields":{"501":"{{purchase.transaction}}","502":"{{product.name}} ({{product.id}})","503":"{{affiliate.code}}"}}`, e)
	ctx := context.Background()
	if err := x.Execute(ctx, m); err != nil {
		t.Fatal(err)
	}
	got, ok := srv.Lead("buyer@email.com")
	if !ok {
		t.Fatal("lead not stored")
	}
	b := e.Buyer()
	want := []leadloverstest.Location{{Machine: 111, Sequence: 222, Level: 1}}
	if got.Name != b.Name || got.Phone != b.Phone.String() || got.Phone == "" || !reflect.DeepEqual(got.Locations, want) ||
		got.DynamicFields[billetField] != "https://billet-link.com/bHP02316330308193" || !reflect.DeepEqual(got.Tags, []int{10}) {
		t.Fatalf("lead = %+v", got)
	}
	p, _ := e.Purchase()
	wantFields := map[int]string{
		billetField: "https://billet-link.com/bHP02316330308193",
		501:         p.Purchase.Transaction,
		502:         p.Product.Name + " (" + p.Product.ID.String() + ")",
	}
	if aff, ok := p.Affiliate(); ok {
		wantFields[503] = aff.Code
	}
	if !reflect.DeepEqual(got.DynamicFields, wantFields) || p.Purchase.Transaction == "" {
		t.Fatalf("dynamic fields = %v, want %v", got.DynamicFields, wantFields)
	}
	effects := len(srv.Effects())
	// A re-run (Hotmart retrying the webhook) changes nothing.
	if err := x.Execute(ctx, m); err != nil {
		t.Fatal(err)
	}
	if len(srv.Effects()) != effects {
		t.Fatalf("re-run added effects: %+v", srv.Effects())
	}
	if srv.CallCount("POST", "/Lead") != 0 {
		t.Fatal("add_lead must use the idempotent PUT, not POST")
	}
}

func TestAddLeadSendsOnlyChosenFields(t *testing.T) {
	c, srv := fake(t)
	e := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	m := match(t, leadlovers.Spec, "add_lead", `{"send":["email"],"machine":111,"sequence":222,"level":2}`, e)
	if err := executor(t, c).Execute(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	calls := srv.Calls()
	var body map[string]any
	if err := json.Unmarshal(calls[len(calls)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Email": "buyer@email.com", "MachineCode": 111.0, "EmailSequenceCode": 222.0, "SequenceLevelCode": 2.0}
	if !reflect.DeepEqual(body, want) {
		t.Fatalf("body = %v", body)
	}
}

func TestAddLeadRerunAfterLostReply(t *testing.T) {
	c, srv := fake(t, leadlovers.WithRetry(0, time.Millisecond, time.Millisecond))
	x := executor(t, c)
	e := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	m := match(t, leadlovers.Spec, "add_lead", `{"send":["name"],"machine":111,"sequence":222,"level":1}`, e)
	// leadlovers stores the lead, but the reply is lost.
	srv.FailNext(1, leadloverstest.Fault{Kind: leadloverstest.ServerError, AfterApply: true})
	err := x.Execute(context.Background(), m)
	var ae *leadlovers.ActionError
	if !errors.As(err, &ae) || ae.Segmentation != "seg-add_lead" || ae.Command != "add_lead" || ae.EventID != e.ID {
		t.Fatalf("want *ActionError, got %v", err)
	}
	before := srv.Effects()
	if err := x.Execute(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if after := srv.Effects(); !reflect.DeepEqual(after, before) {
		t.Fatalf("re-run after partial failure changed state: %+v", after[len(before):])
	}
	if got := srv.LeadsIn(111); len(got) != 1 {
		t.Fatalf("leads = %v", got)
	}
}

func TestAddLeadWithoutBilletURLSkipsField(t *testing.T) {
	c, srv := fake(t)
	e, err := hotmart.NewEvent("ev-1", hotmart.EventPurchaseApproved, time.Now(), &hotmart.PurchaseData{
		Buyer: hotmart.PurchaseBuyer{Email: "card@example.com", Name: "Card Buyer"},
	})
	if err != nil {
		t.Fatal(err)
	}
	m := match(t, leadlovers.Spec, "add_lead", `{"send":["billet_url"],"billet_field":5,"machine":111,"sequence":222,"level":1}`, e)
	if err := executor(t, c).Execute(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Lead("card@example.com")
	if len(got.DynamicFields) != 0 || got.Name != "" {
		t.Fatalf("lead = %+v", got)
	}
}

func TestMoveLeadFlow(t *testing.T) {
	c, srv := fake(t)
	x := executor(t, c)
	ctx := context.Background()
	e := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	mv := match(t, leadlovers.Spec, "move_lead", `{"from":{"machine":111,"sequence":222},"to":{"machine":333,"sequence":444,"level":2}}`, e)

	// Unknown lead: nothing to move.
	if err := x.Execute(ctx, mv); !errors.Is(err, leadlovers.ErrNotInOrigin) {
		t.Fatalf("want ErrNotInOrigin, got %v", err)
	}
	if err := x.Execute(ctx, match(t, leadlovers.Spec, "add_lead", `{"machine":111,"sequence":222,"level":1}`, e)); err != nil {
		t.Fatal(err)
	}
	if err := x.Execute(ctx, mv); err != nil {
		t.Fatal(err)
	}
	got, _ := srv.Lead("buyer@email.com")
	if !reflect.DeepEqual(got.Locations, []leadloverstest.Location{{Machine: 333, Sequence: 444, Level: 2}}) {
		t.Fatalf("locations = %+v", got.Locations)
	}
	moves := srv.CallCount("PUT", "/LeadLocation")
	if err := x.Execute(ctx, mv); err != nil {
		t.Fatalf("re-run: %v", err)
	}
	if srv.CallCount("PUT", "/LeadLocation") != moves {
		t.Fatal("re-run moved again")
	}
	// Lead elsewhere: neither origin nor destination.
	other := match(t, leadlovers.Spec, "move_lead", `{"from":{"machine":555,"sequence":666},"to":{"machine":111,"sequence":223,"level":1}}`, e)
	if err := x.Execute(ctx, other); !errors.Is(err, leadlovers.ErrNotInOrigin) {
		t.Fatalf("want ErrNotInOrigin, got %v", err)
	}
}

func TestRemoveLeadFlow(t *testing.T) {
	c, srv := fake(t)
	x := executor(t, c)
	ctx := context.Background()
	e := sampleEvent(t, "PURCHASE_APPROVED.official-docs.json")
	for _, js := range []string{`{"machine":111,"sequence":222,"level":1}`, `{"machine":333,"sequence":444,"level":1}`} {
		if err := x.Execute(ctx, match(t, leadlovers.Spec, "add_lead", js, e)); err != nil {
			t.Fatal(err)
		}
	}
	// Wrong sequence: nothing to do, nothing sent.
	if err := x.Execute(ctx, match(t, leadlovers.Spec, "remove_lead", `{"machine":111,"sequence":223}`, e)); err != nil {
		t.Fatal(err)
	}
	if srv.CallCount("DELETE", "") != 0 {
		t.Fatal("removed from a sequence the lead is not in")
	}
	if err := x.Execute(ctx, match(t, leadlovers.Spec, "remove_lead", `{"machine":111,"sequence":222}`, e)); err != nil {
		t.Fatal(err)
	}
	rm := match(t, leadlovers.Spec, "remove_lead", `{"machine":333}`, e)
	if err := x.Execute(ctx, rm); err != nil {
		t.Fatal(err)
	}
	if got := srv.LeadsIn(111); len(got) != 0 {
		t.Fatalf("still in 111: %v", got)
	}
	if got := srv.LeadsIn(333); len(got) != 0 {
		t.Fatalf("still in 333: %v", got)
	}
	deletes := srv.CallCount("DELETE", "")
	if err := x.Execute(ctx, rm); err != nil {
		t.Fatal(err)
	}
	if srv.CallCount("DELETE", "") != deletes {
		t.Fatal("re-run deleted again")
	}
	// Unknown lead: nothing to remove.
	nobody, _ := hotmart.NewEvent("ev-2", hotmart.EventPurchaseRefunded, time.Now(), &hotmart.PurchaseData{Buyer: hotmart.PurchaseBuyer{Email: "nobody@example.com"}})
	if err := x.Execute(ctx, match(t, leadlovers.Spec, "remove_lead", `{"machine":111}`, nobody)); err != nil {
		t.Fatal(err)
	}
}

func TestExecuteRefusesBadMatches(t *testing.T) {
	c, srv := fake(t)
	x := executor(t, c)
	noEmail, _ := hotmart.NewEvent("ev-3", hotmart.EventPurchaseApproved, time.Now(), &hotmart.PurchaseData{})
	for _, cmd := range []string{`add_lead:{"machine":1,"sequence":2,"level":1}`, `move_lead:{"from":{"machine":1,"sequence":2},"to":{"machine":1,"sequence":3,"level":1}}`, `remove_lead:{"machine":1}`} {
		name, js, _ := strings.Cut(cmd, ":")
		err := x.Execute(context.Background(), match(t, leadlovers.Spec, name, js, noEmail))
		var ae *leadlovers.ActionError
		if !errors.Is(err, leadlovers.ErrNoEmail) || !errors.As(err, &ae) || ae.Command != name || ae.EventID != "ev-3" {
			t.Fatalf("%s: want ErrNoEmail in *ActionError, got %v", name, err)
		}
	}
	m := match(t, leadlovers.Spec, "remove_lead", `{"machine":1}`, sampleEvent(t, "PURCHASE_APPROVED.official-docs.json"))
	m.Params = map[string]any{"machine": 1}
	if err := x.Execute(context.Background(), m); !errors.Is(err, leadlovers.ErrNotCompiled) {
		t.Fatalf("want ErrNotCompiled, got %v", err)
	}
	if srv.CallCount("", "") != 0 {
		t.Fatal("refused actions must not call leadlovers")
	}
	if _, err := leadlovers.NewExecutor(nil); err == nil {
		t.Fatal("nil client accepted")
	}
}
