package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func runCapture(t *testing.T, args []string, env map[string]string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, envFrom(env), &out, &errb)
	return code, out.String(), errb.String()
}

func TestConfigErrorsExit2WithOneLinePerProblem(t *testing.T) {
	dir := t.TempDir()
	badRules := filepath.Join(dir, "bad.json")
	os.WriteFile(badRules, []byte(`{"segmentations": [
	  {"id": "a", "active": true, "events": ["PURCHASE_APPROVED"], "conditions": [{"field": "buyer.shoe_size", "op": "eq", "value": 1}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 1, "level": 1}},
	  {"id": "b", "active": true, "events": ["PURCHASE_APPROVED"], "conditions": [{"field": "purchase.price.value", "op": "prefix", "value": "1"}],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 1, "level": 1}}
	]}`), 0o600)
	goodRules := filepath.Join(dir, "good.json")
	os.WriteFile(goodRules, demoRules, 0o600)

	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // each line must contain this text, in order
	}{
		{"served without hottok", []string{"-admin-token", "x"}, nil,
			[]string{"-hottok [HOTMART_HOTTOK]: required in served mode"}},
		{"env alone means served mode", nil, map[string]string{"ADMIN_TOKEN": "x"},
			[]string{"-hottok [HOTMART_HOTTOK]: required in served mode"}},
		{"unknown flag", []string{"-bogus"}, nil, []string{"flag provided but not defined: -bogus"}},
		{"bad url and both sendpulse auths", []string{"-hottok", "h", "-leadlovers-url", "ftp://x", "-sendpulse-api-key", "k", "-sendpulse-client-id", "i", "-sendpulse-client-secret", "s"}, nil,
			[]string{"-leadlovers-url [LEADLOVERS_BASE_URL]: not an http(s) URL", "-sendpulse-api-key [SENDPULSE_API_KEY]: give either"}},
		{"client id without secret", []string{"-hottok", "h"}, map[string]string{"SENDPULSE_CLIENT_ID": "i"},
			[]string{"-sendpulse-client-secret [SENDPULSE_CLIENT_SECRET]: required with -sendpulse-client-id"}},
		{"missing rules file", []string{"-hottok", "h", "-rules", filepath.Join(dir, "nope.json")}, nil,
			[]string{"-rules [RULES_FILE]: cannot read"}},
		{"rules that do not compile list every problem", []string{"-hottok", "h", "-rules", badRules}, nil,
			[]string{`segmentations[0] (id "a"): conditions[0].field`, `segmentations[1] (id "b"): conditions[0].op`}},
		{"provider without credentials", []string{"-hottok", "h", "-rules", goodRules}, nil,
			[]string{`(id "approved-customers"): action.provider: leadlovers needs -leadlovers-token [LEADLOVERS_TOKEN]`,
				`(id "crm-deals"): action.provider: sendpulse needs`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCapture(t, tt.args, tt.env)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			i := 0
			for _, l := range lines {
				if i < len(tt.want) && strings.Contains(l, tt.want[i]) {
					i++
				}
				if strings.Contains(l, "goroutine ") || strings.Contains(l, "panic") {
					t.Fatalf("stack trace on stderr: %s", stderr)
				}
			}
			if i != len(tt.want) {
				t.Fatalf("stderr lacks %q:\n%s", tt.want[i], stderr)
			}
		})
	}
}

func TestDemoModeSelection(t *testing.T) {
	for _, tt := range []struct {
		args []string
		env  map[string]string
		demo bool
	}{
		{nil, nil, true},
		{[]string{"-demo"}, nil, true},
		{[]string{"-demo"}, map[string]string{"HOTMART_HOTTOK": "h"}, true},
		{nil, map[string]string{"LEADLOVERS_BASE_URL": "http://x"}, false},
		{[]string{"-addr", ":9999"}, nil, false},
		{nil, map[string]string{"UNRELATED": "1"}, true},
	} {
		c, _ := parseConfig(tt.args, envFrom(tt.env))
		if c.demo != tt.demo {
			t.Errorf("args %v env %v: demo=%v want %v", tt.args, tt.env, c.demo, tt.demo)
		}
	}
}

func TestFlagBeatsEnvironment(t *testing.T) {
	c, p := parseConfig([]string{"-hottok", "a,b", "-leadlovers-url", "http://flag/webapi"},
		envFrom(map[string]string{"HOTMART_HOTTOK": "env", "LEADLOVERS_BASE_URL": "http://env/webapi", "ADDR": "127.0.0.1:1"}))
	if len(p) > 0 {
		t.Fatal(p)
	}
	if strings.Join(c.hottoks, ",") != "a,b" || c.leadloversURL != "http://flag/webapi" || c.addr != "127.0.0.1:1" {
		t.Fatalf("%+v", c)
	}
}

func TestDemoRunsAndExplains(t *testing.T) {
	code, out, stderr := runCapture(t, nil, nil)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	for _, want := range []string{
		"1. PURCHASE_BILLET_PRINTED",
		"✓ billet-reminder      leadlovers add_lead",
		"✓ crm-deals            sendpulse  upsert_deal      ok  (stage pending)",
		"✓ refund-winback       leadlovers move_lead",
		"16. ORDER_FULFILLMENT",
		"Redelivery of event 1 → HTTP 200, provider calls: 0",
		"Forged hottok           → HTTP 401",
		"step Refunded",
		"17. PURCHASE_APPROVED                Diego Alves <d***@example.com> → HTTP 200 (committed; providers down)",
		"both events: state retrying, attempts ≥ 2, nothing lost",
		"leads in Clientes now: 2; deals for the two sales: 1 and 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "✗") {
		t.Errorf("demo had a failed action:\n%s", out)
	}
	if strings.Contains(out, "ana.souza@example.com") {
		t.Error("demo printed an unmasked buyer e-mail")
	}
}
