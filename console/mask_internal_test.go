package console

import (
	"strings"
	"testing"
)

func TestMasks(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{maskEmail("maria.silva@example.com"), "m***@e***.com"},
		{maskEmail("a@b"), "a***@b***"},
		{maskEmail(""), ""},
		{maskEmail("no-at-sign"), "n***"},
		{maskText("Érica dos Santos"), "É*** d*** S***"},
		{maskText(""), ""},
		{maskDigits("12345678909"), "*********09"},
		{maskDigits("7"), "*"},
		{maskDigits("+5531999"), "******99"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestMaskPayload(t *testing.T) {
	raw := []byte(`{"buyer": {"email": "ana@example.com", "name": "Ana Souza", "document": "12345678909", "document_type": "CPF",
	  "address": {"zipcode": "30110000", "country_iso": "BR", "number": 42}},
	  "product": {"id": 1234, "name": "Curso de Fotografia"},
	  "subscriber": {"code": "I9OT62C3", "email": "ana@example.com", "phone": {"local_code": 31, "number": "999998888"}},
	  "purchase": {"transaction": "HP123", "buyer_email_copy": "ana@example.com"}}`)
	masked := maskPayload(raw, false)
	for _, pii := range []string{"ana@example.com", "Ana Souza", "Souza", "12345678909", "30110000", "999998888", `"number": 42`} {
		if strings.Contains(masked, pii) {
			t.Errorf("masked payload holds %q:\n%s", pii, masked)
		}
	}
	for _, kept := range []string{"Curso de Fotografia", `"CPF"`, `"BR"`, "HP123", "I9OT62C3", "1234"} {
		if !strings.Contains(masked, kept) {
			t.Errorf("masked payload lost %q:\n%s", kept, masked)
		}
	}
	if shown := maskPayload(raw, true); !strings.Contains(shown, "ana@example.com") {
		t.Error("revealed payload is masked")
	}
	if got := maskPayload([]byte(`{not json`), false); strings.Contains(got, "not json") {
		t.Errorf("invalid payload echoed: %q", got)
	}
	if got := maskPayload(nil, false); got != "null" {
		t.Errorf("empty payload: %q", got)
	}
}
