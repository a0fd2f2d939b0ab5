package segment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

func TestTemplateRender(t *testing.T) {
	approved := sample(t, "PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	billet := sample(t, "PURCHASE_APPROVED.official-docs.json")
	club := sample(t, "CLUB_FIRST_ACCESS.hotmart-test-2025-11.michael-lourenco.json")
	synthetic := purchaseEvent(t, hotmart.EventPurchaseApproved, func(d *hotmart.PurchaseData) {
		d.Purchase.RecurrenceNumber = 7
		d.Purchase.IsFunnel = true
	})
	tests := []struct {
		name, src string
		event     *hotmart.Event
		want      string
	}{
		{"literal only", "Olá!", approved, "Olá!"},
		{"empty", "", approved, ""},
		{"single field", "{{buyer.name}}", approved, "Teste Comprador"},
		{"spaces in braces", "{{ buyer.first_name }}", approved, "Teste"},
		{"text around", "Pedido {{purchase.transaction}} de {{buyer.name}}.", approved,
			"Pedido HP16015479281022 de Teste Comprador."},
		{"adjacent refs", "{{product.id}}{{purchase.offer.code}}", approved, "0test"},
		{"decimal as sent", "{{purchase.price.value}} {{purchase.price.currency}}", approved, "1500 BRL"},
		{"billet link", "Boleto: {{purchase.payment.billet_url}}", billet, "Boleto: https://billet-link.com/bHP02316330308193"},
		{"absent field renders empty", "[{{purchase.transaction}}]", club, "[]"},
		{"absent affiliate", "[{{affiliate.code}}]", synthetic, "[]"},
		{"integer", "#{{purchase.recurrence_number}}", synthetic, "#7"},
		{"boolean", "funnel={{purchase.is_funnel}}", synthetic, "funnel=true"},
		{"phone parts", "tel {{buyer.phone}}", synthetic, "tel +5531999998888"},
		{"single multipart field", "{{buyer.phone}}", synthetic, "+5531999998888"},
		{"event type", "{{event}}", club, "CLUB_FIRST_ACCESS"},
		{"lone closing braces are text", "a }} b {{buyer.first_name}}", approved, "a }} b Teste"},
		{"nil event", "x{{buyer.name}}y", nil, "xy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := segment.ParseTemplate(tt.src)
			if err != nil {
				t.Fatalf("ParseTemplate(%q): %v", tt.src, err)
			}
			if got := tpl.Render(tt.event); got != tt.want {
				t.Errorf("Render = %q, want %q", got, tt.want)
			}
			if got := tpl.String(); got != tt.src {
				t.Errorf("String = %q, want %q", got, tt.src)
			}
		})
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := []struct {
		src, wantPath, wantIn string
		wantOffset            int
	}{
		{"Olá {{buyer.nome}}", "buyer.nome", `unknown field "buyer.nome"`, 5},
		{"{{buyer.name}} {{purchase.price}}", "purchase.price", `unknown field "purchase.price"`, 15},
		{"{{ }}", "", "empty field reference", 0},
		{"abc {{buyer.name", "", `"{{" is not closed`, 4},
		{"{{customer.email}}", "customer.email", `did you mean "buyer.email"?`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			_, err := segment.ParseTemplate(tt.src)
			var te *segment.TemplateError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want *TemplateError", err)
			}
			if te.Path != tt.wantPath || te.Offset != tt.wantOffset || !strings.Contains(te.Error(), tt.wantIn) {
				t.Errorf("err = %+v (%q), want path %q offset %d containing %q", te, te.Error(), tt.wantPath, tt.wantOffset, tt.wantIn)
			}
		})
	}
}

func TestTemplateJSON(t *testing.T) {
	type params struct {
		Name *segment.Template            `json:"name"`
		Vars map[string]*segment.Template `json:"vars"`
		Opt  *segment.Template            `json:"opt"`
	}
	var p params
	err := json.Unmarshal([]byte(`{"name":"Deal {{purchase.transaction}}","vars":{"n":"{{buyer.first_name}}"}}`), &p)
	if err != nil {
		t.Fatal(err)
	}
	e := sample(t, "PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	if got := p.Name.Render(e); got != "Deal HP16015479281022" {
		t.Errorf("name = %q", got)
	}
	if got := p.Vars["n"].Render(e); got != "Teste" {
		t.Errorf("vars.n = %q", got)
	}
	if p.Opt != nil || p.Opt.Render(e) != "" || !p.Opt.IsZero() {
		t.Errorf("absent template should be nil and render empty")
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"Deal {{purchase.transaction}}","vars":{"n":"{{buyer.first_name}}"},"opt":null}`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}

	for _, bad := range []string{`{"name":"{{nope}}"}`, `{"name":42}`, `{"name":{"a":1}}`} {
		var q params
		err := json.Unmarshal([]byte(bad), &q)
		var te *segment.TemplateError
		if !errors.As(err, &te) {
			t.Errorf("Unmarshal(%s) err = %v, want *TemplateError", bad, err)
		}
	}
}

func TestTemplateFields(t *testing.T) {
	tpl := segment.MustParseTemplate("{{buyer.name}} <{{buyer.email}}> {{buyer.name}}")
	got := strings.Join(tpl.Fields(), ",")
	if got != "buyer.name,buyer.email,buyer.name" {
		t.Errorf("Fields = %s", got)
	}
}

func TestMustParseTemplatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseTemplate did not panic on an unknown field")
		}
	}()
	segment.MustParseTemplate("{{nope}}")
}

func TestTemplateRenderAllocations(t *testing.T) {
	e := purchaseEvent(t, hotmart.EventPurchaseApproved, func(d *hotmart.PurchaseData) { d.Purchase.RecurrenceNumber = 12 })
	tests := []struct {
		src  string
		want float64
	}{
		{"plain text", 0},
		{"{{buyer.name}}", 0},
		{"Olá {{buyer.first_name}}, pedido {{purchase.transaction}} #{{purchase.recurrence_number}} {{buyer.phone}}", 1},
	}
	for _, tt := range tests {
		tpl := segment.MustParseTemplate(tt.src)
		if got := testing.AllocsPerRun(100, func() { _ = tpl.Render(e) }); got != tt.want {
			t.Errorf("Render(%q) allocs = %v, want %v", tt.src, got, tt.want)
		}
	}
}

func TestFieldsAllRenderOnEverySample(t *testing.T) {
	// Every registered field resolves on every real body without panicking.
	var b strings.Builder
	for _, f := range segment.Fields() {
		b.WriteString("{{" + f.Path + "}}|")
	}
	tpl := segment.MustParseTemplate(b.String())
	for name, e := range allSamples(t) {
		if out := tpl.Render(e); strings.Count(out, "|") != len(segment.Fields()) {
			t.Errorf("%s: rendered %q", name, out)
		}
	}
}
