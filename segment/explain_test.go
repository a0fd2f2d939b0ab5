package segment_test

import (
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func TestExplain(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [
	  {"id": "match", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["4062912"],
	   "conditions": [{"field": "purchase.price.value", "op": "gte", "value": 100}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "off", "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "refunds", "active": true, "events": ["PURCHASE_REFUNDED", "PURCHASE_CHARGEBACK"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "other-product", "active": true, "events": ["PURCHASE_APPROVED"], "products": ["111", "abc-ucode"],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "pt-only", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [
	     {"field": "purchase.status", "op": "eq", "value": "APPROVED"},
	     {"field": "buyer.address.country_iso", "op": "eq", "value": "PT"}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "vip", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "buyer.email", "op": "eq", "value": "vip@example.com"}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "affiliated", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "affiliate.code", "op": "exists"}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}},
	  {"id": "many", "active": true, "events": ["PURCHASE_APPROVED"],
	   "conditions": [{"field": "purchase.payment.installments", "op": "gt", "value": 6}],
	   "action": {"provider": "fake", "command": "tag", "list": 1}}
	]}`)
	e := purchaseEvent(t, hotmart.EventPurchaseApproved, nil)
	got := p.Explain(e)
	want := []struct {
		outcome segment.Outcome
		text    string
	}{
		{segment.OutcomeMatched, `segmentations[0] (id "match"): matched`},
		{segment.OutcomeInactive, `segmentations[1] (id "off"): inactive`},
		{segment.OutcomeEventNotListed, `segmentations[2] (id "refunds"): event PURCHASE_APPROVED not listed`},
		{segment.OutcomeProductNotListed, `segmentations[3] (id "other-product"): product 4062912 (ucode 5a4c-ucode) not listed`},
		{segment.OutcomeConditionFailed, `segmentations[4] (id "pt-only"): conditions[1] buyer.address.country_iso eq "PT" failed: got "BR"`},
		{segment.OutcomeConditionFailed, `segmentations[5] (id "vip"): conditions[0] buyer.email eq "vip@example.com" failed: got [redacted]`},
		{segment.OutcomeConditionFailed, `segmentations[6] (id "affiliated"): conditions[0] affiliate.code exists failed: field absent`},
		{segment.OutcomeConditionFailed, `segmentations[7] (id "many"): conditions[0] purchase.payment.installments gt 6 failed: got "3"`},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d explanations, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Outcome != w.outcome || got[i].String() != w.text || got[i].Matched() != (w.outcome == segment.OutcomeMatched) {
			t.Errorf("[%d] = %s (%s), want %s (%s)", i, got[i], got[i].Outcome, w.text, w.outcome)
		}
	}
	// The raw value stays available for the seller's own debugging.
	if vip := got[5]; vip.Got != "Ana.Souza@Example.com" || !vip.Present || vip.Field != "buyer.email" || vip.Condition != 0 {
		t.Errorf("vip explanation fields = %+v", vip)
	}
	// Explain agrees with Evaluate.
	var explained []string
	for _, x := range got {
		if x.Matched() {
			explained = append(explained, x.ID)
		}
	}
	if ev := matchedIDs(p.Evaluate(e)); !equalStrings(ev, explained) {
		t.Errorf("Evaluate %v, Explain %v", ev, explained)
	}
}

func TestExplainRedactsPersonalData(t *testing.T) {
	e := purchaseEvent(t, hotmart.EventPurchaseApproved, nil)
	for _, f := range segment.Fields() {
		if !f.Personal {
			continue
		}
		p := mustCompile(t, `{"segmentations": [{"id": "x", "active": true, "events": ["PURCHASE_APPROVED"],
		  "conditions": [{"field": "`+f.Path+`", "op": "eq", "value": "nobody"}],
		  "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
		x := p.Explain(e)[0]
		if x.Got == "" || strings.Contains(x.String(), x.Got) || !strings.Contains(x.String(), "[redacted]") {
			t.Errorf("%s: String() = %q leaks %q", f.Path, x.String(), x.Got)
		}
	}
}

func TestExplainNilEvent(t *testing.T) {
	p := mustCompile(t, `{"segmentations": [{"id": "x", "active": true, "events": ["PURCHASE_APPROVED"],
	  "action": {"provider": "fake", "command": "tag", "list": 1}}]}`)
	if x := p.Explain(nil); len(x) != 1 || x[0].Outcome != segment.OutcomeEventNotListed {
		t.Errorf("Explain(nil) = %v", x)
	}
}
