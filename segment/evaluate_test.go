package segment_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func mustCompile(t testing.TB, src string, opts ...segment.Option) *segment.Program {
	t.Helper()
	rules, err := segment.ParseRules([]byte(src))
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	p, err := segment.Compile(rules, append([]segment.Option{segment.WithProviders(fakeProvider{})}, opts...)...)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return p
}

func matchedIDs(ms []segment.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Segmentation.ID)
	}
	return out
}

func TestEvaluateRealBodies(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [
	     {"field": "purchase.price.currency", "op": "in", "value": ["BRL"]},
	     {"field": "buyer.address.country_iso", "op": "eq", "value": "br"}],
	   "action": {"provider": "fake", "command": "tag", "list": 1, "label": "{{buyer.first_name}}"}},
	  {"id": "complete", "active": true, "events": ["PURCHASE_COMPLETE"],
	   "conditions": [{"field": "purchase.status", "op": "eq", "value": "COMPLETE"}],
	   "action": {"provider": "fake", "command": "tag", "list": 2}},
	  {"id": "canceled", "active": true, "events": ["PURCHASE_CANCELED"],
	   "conditions": [{"field": "purchase.status", "op": "eq", "value": "cancelled"}],
	   "action": {"provider": "fake", "command": "tag", "list": 3}},
	  {"id": "vendor-cancel", "active": true, "events": ["SWITCH_PLAN", "UPDATE_SUBSCRIPTION_CHARGE_DATE", "PURCHASE_APPROVED"],
	   "conditions": [{"field": "subscription.status", "op": "in", "value": ["CANCELLED_BY_SELLER", "ACTIVE"]}],
	   "action": {"provider": "fake", "command": "tag", "list": 4}},
	  {"id": "inactive", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 5}},
	  {"id": "club", "active": true, "events": ["CLUB_FIRST_ACCESS", "CLUB_MODULE_COMPLETED"],
	   "conditions": [{"field": "buyer.email", "op": "exists"}],
	   "action": {"provider": "fake", "command": "tag", "list": 6}}
	]}`)
	tests := []struct {
		sample string
		want   []string
	}{
		{"PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", []string{"approved-br", "vendor-cancel"}},
		{"PURCHASE_COMPLETE.hotmart-test-2025-11.michael-lourenco.json", []string{"complete"}}, // sends COMPLETED
		{"PURCHASE_CANCELED.hotmart-test-2025-11.michael-lourenco.json", []string{"canceled"}}, // sends CANCELED
		{"PURCHASE_GENERIC.official-docs-2022-snapshot.json", []string{"vendor-cancel"}},       // no currency in 2022
		{"SWITCH_PLAN.official-docs.json", []string{"vendor-cancel"}},
		{"CLUB_FIRST_ACCESS.official-docs.json", []string{"club"}},
		{"CLUB_MODULE_COMPLETED.hotmart-test-2025-11.michael-lourenco.json", []string{"club"}},
		{"PURCHASE_REFUNDED.hotmart-test-2025-11.michael-lourenco.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.sample, func(t *testing.T) {
			got := matchedIDs(p.Evaluate(sample(t, tt.sample)))
			if !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEvaluateMatchCarriesParams(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "a", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 7, "label": "Olá {{buyer.first_name}}"}}]}`)
	e := sample(t, "PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	ms := p.Evaluate(e)
	if len(ms) != 1 {
		t.Fatalf("got %d matches", len(ms))
	}
	m := ms[0]
	params, ok := m.Params.(*tagParams)
	if !ok {
		t.Fatalf("Params = %T", m.Params)
	}
	if params.List != 7 || m.Render(params.Label) != "Olá Teste" || m.Index != 0 || m.Event != e {
		t.Errorf("match = %+v, params = %+v", m, params)
	}
	if a := m.Action(); a.Provider != "fake" || a.Command != "tag" {
		t.Errorf("Action = %+v", a)
	}
}

func TestEvaluateNoMatchIsNilWithoutAllocating(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "a", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["999"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "b", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.price.value", "op": "gt", "value": 100000}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
	e := sample(t, "PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	if got := p.Evaluate(e); got != nil {
		t.Fatalf("Evaluate = %v, want nil", got)
	}
	if n := testing.AllocsPerRun(100, func() { p.Evaluate(e) }); n != 0 {
		t.Errorf("Evaluate allocates %v times when nothing matches", n)
	}
	var nilProgram *segment.Program
	if nilProgram.Evaluate(e) != nil || p.Evaluate(nil) != nil {
		t.Error("nil program or event should match nothing")
	}
}

func TestProductScope(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "by-id-number", "active": true, "events": ["PURCHASE_APPROVED"], "products": [4062912],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "by-id-string", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["111", "4062912"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "by-ucode", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["5A4C-UCODE"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "by-both", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["4062912", "5a4c-ucode"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "all", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "other", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["222"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
	tests := []struct {
		name     string
		id, ucod hotmart.ID
		want     []string
	}{
		{"id and ucode", "4062912", "5a4c-ucode", []string{"by-id-number", "by-id-string", "by-ucode", "by-both", "all"}},
		{"id only", "4062912", "", []string{"by-id-number", "by-id-string", "by-both", "all"}},
		{"ucode only", "1", "5a4c-ucode", []string{"by-ucode", "by-both", "all"}},
		{"neither", "1", "x", []string{"all"}},
		{"other", "222", "", []string{"all", "other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := purchaseEvent(t, hotmart.EventPurchaseApproved, func(d *hotmart.PurchaseData) {
				d.Product.ID, d.Product.UCode = tt.id, string(tt.ucod)
			})
			if got := matchedIDs(p.Evaluate(e)); !equalStrings(got, tt.want) {
				t.Errorf("matched %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEventsAndActive(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "two-events", "active": true, "events": ["PURCHASE_APPROVED", "PURCHASE_COMPLETE", "PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "off", "active": false, "events": ["PURCHASE_APPROVED", "PURCHASE_COMPLETE"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "default-off", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "lower-case-event", "active": true, "events": ["purchase_complete"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
	for typ, want := range map[hotmart.EventType][]string{
		hotmart.EventPurchaseApproved: {"two-events"},
		hotmart.EventPurchaseComplete: {"two-events", "lower-case-event"},
		hotmart.EventPurchaseRefunded: nil,
		"SOMETHING_NEW":               nil,
	} {
		var e *hotmart.Event
		if typ.Known() {
			e = purchaseEvent(t, typ, nil)
		} else {
			e = &hotmart.Event{ID: "x", Type: typ}
		}
		if got := matchedIDs(p.Evaluate(e)); !equalStrings(got, want) {
			t.Errorf("%s: matched %v, want %v", typ, got, want)
		}
	}
}
