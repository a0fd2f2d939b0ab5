package segment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// evaluateLinear is the baseline the index is measured against: every rule
// checked in order, with the same compiled conditions, no index.
func (p *Program) evaluateLinear(e *hotmart.Event) []Match {
	var out []Match
	prod := e.Product()
	id, uc := string(prod.ID), productKey(prod.UCode)
	for i := range p.compiled {
		r := &p.compiled[i]
		if !r.seg.Active || !slices.Contains(r.events, e.Type) {
			continue
		}
		if len(r.products) > 0 && !slices.ContainsFunc(r.products, func(k string) bool { return k == id || k == uc }) {
			continue
		}
		if r.holds(e) {
			out = append(out, p.match(r, e))
		}
	}
	return out
}

// benchProgram builds n active rules spread over the 16 event types and 50
// products, each with two conditions; the i-th rule requires a price above
// 10000+i, so a 149.90 sale matches none of them unless match is set.
func benchProgram(b *testing.B, n int) *Program {
	b.Helper()
	types := hotmart.EventTypes()
	rules := Rules{Segmentations: make([]Segmentation, n)}
	for i := range rules.Segmentations {
		rules.Segmentations[i] = Segmentation{
			ID:       fmt.Sprintf("rule-%d", i),
			Active:   true,
			Events:   []hotmart.EventType{types[i%len(types)]},
			Products: []hotmart.ID{hotmart.ID(fmt.Sprint(1000 + (i/len(types))%50))},
			Conditions: []Condition{
				{Field: "buyer.address.country_iso", Op: OpIn, Value: json.RawMessage(`["BR","PT"]`)},
				{Field: "purchase.price.value", Op: OpGt, Value: json.RawMessage(fmt.Sprint(10000 + i))},
			},
			Action: Action{Provider: "bench", Command: "noop"},
		}
	}
	p, err := Compile(rules, AllowUnknownProviders())
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchEvent(b *testing.B, product hotmart.ID) *hotmart.Event {
	b.Helper()
	e, err := hotmart.NewEvent("bench", hotmart.EventPurchaseApproved, time.Unix(1700000000, 0), &hotmart.PurchaseData{
		Product:  hotmart.Product{ID: product, UCode: "fb056612-bcc6-4217-9e6d-2a5d1110ac2f", Name: "Curso"},
		Buyer:    hotmart.PurchaseBuyer{Email: "ana@example.com", Name: "Ana", Address: hotmart.Address{CountryISO: "BR"}},
		Purchase: hotmart.Purchase{Transaction: "HP1", Status: hotmart.StatusApproved, Price: hotmart.Money{Value: "149.90", Currency: "BRL"}},
	})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkEvaluate measures one event against 1,000 rules: the indexed
// Evaluate and the linear baseline, on an event whose product has rules
// (whose conditions then fail) and on one no rule is scoped to.
func BenchmarkEvaluate(b *testing.B) {
	p := benchProgram(b, 1000)
	cases := []struct {
		name  string
		event *hotmart.Event
	}{
		{"product-with-rules", benchEvent(b, "1007")},
		{"product-without-rules", benchEvent(b, "99")},
	}
	for _, c := range cases {
		if p.Evaluate(c.event) != nil || p.evaluateLinear(c.event) != nil {
			b.Fatal("benchmark event matches a rule")
		}
		b.Run(c.name+"/indexed", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Evaluate(c.event)
			}
		})
		b.Run(c.name+"/linear-baseline", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.evaluateLinear(c.event)
			}
		})
	}
}

// BenchmarkEvaluateMatch measures the cost of a match (the returned slice).
func BenchmarkEvaluateMatch(b *testing.B) {
	p := benchProgram(b, 1000)
	e := benchEvent(b, "1007")
	e.Type = hotmart.EventPurchaseApproved
	d, _ := e.Purchase()
	d.Purchase.Price.Value = "999999"
	if n := len(p.Evaluate(e)); n == 0 {
		b.Fatal("no match")
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Evaluate(e)
	}
}

// BenchmarkTemplateRender compares rendering with the obvious
// strings.ReplaceAll approach as baseline.
func BenchmarkTemplateRender(b *testing.B) {
	e := benchEvent(b, "1007")
	const src = "Pedido {{purchase.transaction}} de {{buyer.name}} ({{purchase.price.value}} {{purchase.price.currency}})"
	t := MustParseTemplate(src)
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = t.Render(e)
		}
	})
	b.Run("replace-baseline", func(b *testing.B) {
		b.ReportAllocs()
		d, _ := e.Purchase()
		for b.Loop() {
			r := strings.NewReplacer("{{purchase.transaction}}", d.Purchase.Transaction, "{{buyer.name}}", d.Buyer.Name,
				"{{purchase.price.value}}", string(d.Purchase.Price.Value), "{{purchase.price.currency}}", d.Purchase.Price.Currency)
			_ = r.Replace(src)
		}
	})
}

// BenchmarkParseRules reads a 200-rule file with ParseRules, which walks it
// with a tokenizer to name and classify every problem itself, against the
// baseline of encoding/json unmarshalling the same bytes into Rules (what
// ParseRules did before, less its per-segmentation error handling).
func BenchmarkParseRules(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"segmentations": [`)
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id": "rule-%d", "name": "Rule %d", "active": true, "events": ["PURCHASE_APPROVED", "PURCHASE_COMPLETE"],
		  "products": [%d, "fb056612-bcc6-4217-9e6d-2a5d1110ac2f"],
		  "conditions": [{"field": "purchase.price.currency", "op": "in", "value": ["BRL"]},
		                 {"field": "purchase.price.value", "op": "gt", "value": %d}],
		  "action": {"provider": "leadlovers", "command": "add_lead", "send": ["email", "name"], "machine": 111, "sequence": 222, "level": 1}}`,
			i, i, 1000+i, 100+i)
	}
	sb.WriteString(`]}`)
	data := []byte(sb.String())
	b.Run("ParseRules", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseRules(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("baseline=encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var r Rules
			if err := json.Unmarshal(data, &r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
