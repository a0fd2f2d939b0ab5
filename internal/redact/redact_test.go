package redact_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/redact"
)

func TestStringScrubsPersonalData(t *testing.T) {
	r := redact.Redactor{Secrets: []string{"s3cr3t-value"}}
	in := `{"name":"Ana Souza","firstName":"Ana","email":"ana@example.com","phone":"+5531999998888","cpf":"123.456.789-09","token":"s3cr3t-value","product":"Curso"}`
	out := r.String(in)
	for _, bad := range []string{"Ana", "Souza", "ana@example.com", "999998888", "123.456.789-09", "s3cr3t-value"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q left in %s", bad, out)
		}
	}
	if !strings.Contains(out, `"product":"Curso"`) {
		t.Errorf("non-personal data removed: %s", out)
	}
}

func TestValues(t *testing.T) {
	got := redact.Values("Lead Ana Beatriz Souza já existe; Beatriz, confirme", "Ana Beatriz Souza", "", "  ")
	if strings.Contains(got, "Ana") || strings.Contains(got, "Beatriz") || strings.Contains(got, "Souza") || !strings.Contains(got, "já existe") {
		t.Fatalf("got %q", got)
	}
}

func TestURLRedactsNameParameters(t *testing.T) {
	u, _ := url.Parse("https://x.test/sales/history?buyer_name=Ana+Souza&buyer_email=a%40b.c&product_id=1")
	got := redact.Redactor{}.URL(u)
	if strings.Contains(got, "Ana") || strings.Contains(got, "a%40b.c") || !strings.Contains(got, "product_id=1") {
		t.Fatalf("got %s", got)
	}
}
