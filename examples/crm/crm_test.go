package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDemoLeavesOneDealPerTransactionAndOneContactPerBuyer(t *testing.T) {
	sp := sendpulsetest.NewServer(t)
	var out bytes.Buffer
	if err := runDemo(context.Background(), sp, &out); err != nil {
		t.Fatal(err)
	}

	for _, want := range []struct {
		tx, step string
		buyer    demoBuyer
	}{
		{"HP1000000001", "Refunded", ana},
		{"HP1000000002", "Lost", bruno},
	} {
		deals := sp.DealsByTransaction(want.tx)
		if len(deals) != 1 {
			t.Fatalf("%s: %d deals, want 1", want.tx, len(deals))
		}
		if got := sp.StepName(deals[0].StepID); got != want.step {
			t.Errorf("%s: step %q, want %q", want.tx, got, want.step)
		}
		contacts := sp.ContactsByEmail(want.buyer.email)
		if len(contacts) != 1 {
			t.Fatalf("%s: %d contacts, want 1", want.buyer.name, len(contacts))
		}
		if !slices.Contains(deals[0].Contacts, contacts[0].ID) {
			t.Errorf("%s: deal not linked to the buyer's contact", want.tx)
		}
	}
	if n := len(sp.Contacts()); n != 2 {
		t.Errorf("%d contacts, want 2", n)
	}
	for _, want := range []string{
		"1. PURCHASE_BILLET_PRINTED   Ana Souza  HP1000000001 → HTTP 200, deal in step New",
		"2. PURCHASE_APPROVED         Ana Souza  HP1000000001 → HTTP 200, deal in step Paid",
		`deal "Curso de Fotografia — Ana Souza #HP1000000001" in step Refunded, 497.00 BRL`,
		`deal "Curso de Fotografia — Bruno Lima #HP1000000002" in step Lost`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "@example.com") {
		t.Error("demo printed a buyer e-mail")
	}
}

func TestRunWithoutConfigurationRunsTheDemo(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), envOf(nil), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "in step Refunded") || stderr.Len() != 0 {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
	}
}

func TestConfigProblemsExit2(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // one stderr line each, in order
	}{
		{"hottok without credentials", map[string]string{"HOTMART_HOTTOK": "h"},
			[]string{"SENDPULSE_API_KEY (or SENDPULSE_CLIENT_ID and SENDPULSE_CLIENT_SECRET): required to serve"}},
		{"credentials without hottok", map[string]string{"SENDPULSE_API_KEY": "k"},
			[]string{"HOTMART_HOTTOK: required to serve"}},
		{"both kinds of credentials", map[string]string{"HOTMART_HOTTOK": "hottok-1234", "SENDPULSE_API_KEY": "k", "SENDPULSE_CLIENT_ID": "i"},
			[]string{"SENDPULSE_API_KEY: give either it or SENDPULSE_CLIENT_ID and SENDPULSE_CLIENT_SECRET, not both"}},
		{"client id alone", map[string]string{"HOTMART_HOTTOK": "h", "SENDPULSE_CLIENT_ID": "i"},
			[]string{"SENDPULSE_CLIENT_SECRET: required with SENDPULSE_CLIENT_ID"}},
		{"secret alone, no hottok, bad url", map[string]string{"SENDPULSE_CLIENT_SECRET": "s3cr3t", "SENDPULSE_BASE_URL": "ftp://x"},
			[]string{"HOTMART_HOTTOK: required to serve", "SENDPULSE_CLIENT_ID: required with SENDPULSE_CLIENT_SECRET", "SENDPULSE_BASE_URL: not an http(s) URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), envOf(tt.env), &stdout, &stderr); code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
			if got := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n"); !slices.Equal(got, tt.want) {
				t.Fatalf("stderr lines %q, want %q", got, tt.want)
			}
			if strings.Contains(stderr.String(), "s3cr3t") {
				t.Fatal("secret printed")
			}
		})
	}
}

func TestStartupProblemsWithTheAccountExit1(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"pipeline lacks a step", map[string]string{"SENDPULSE_PIPELINE": "Leads"},
			`sendpulse pipeline "Leads" has no step`},
		{"unknown pipeline", map[string]string{"SENDPULSE_PIPELINE": "Nope"},
			`SENDPULSE_PIPELINE: no pipeline named "Nope"`},
		{"wrong API key", map[string]string{"SENDPULSE_API_KEY": "wrong-key-9d8e"},
			"reading SendPulse pipelines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := sendpulsetest.NewServer(t)
			sp.AddPipeline("Leads", "New", "Won")
			env := map[string]string{"HOTMART_HOTTOK": "hottok-1234", "SENDPULSE_API_KEY": sp.Credentials().APIKey, "SENDPULSE_BASE_URL": sp.URL(), "ADDR": "127.0.0.1:0"}
			for k, v := range tt.env {
				env[k] = v
			}
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), envOf(env), &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d, want 1; stderr %s", code, stderr.String())
			}
			if strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("stderr %q, want one line containing %q", stderr.String(), tt.want)
			}
			if strings.Contains(stderr.String(), env["SENDPULSE_API_KEY"]) {
				t.Fatal("API key printed")
			}
		})
	}
}

// TestServedWiring runs the served configuration (OAuth credentials, a named
// pipeline) against the fake, over HTTP.
func TestServedWiring(t *testing.T) {
	sp := sendpulsetest.NewServer(t)
	sales := sp.AddPipeline("Vendas", "new", "paid", "lost", "refunded") // names match whatever their case
	cfg, problems := readConfig(envOf(map[string]string{
		"HOTMART_HOTTOK": "hottok-1234", "SENDPULSE_CLIENT_ID": sp.OAuthCredentials().ClientID, "SENDPULSE_CLIENT_SECRET": sp.OAuthCredentials().ClientSecret,
		"SENDPULSE_BASE_URL": sp.URL(), "SENDPULSE_PIPELINE": "vendas",
	}))
	if len(problems) > 0 || cfg.demo {
		t.Fatalf("config %+v, problems %v", cfg, problems)
	}
	mux, err := newMux(context.Background(), cfg, sendpulse.WithRateLimit(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(body []byte, hottok string) int {
		resp, err := hotmarttest.Post(context.Background(), srv.URL+webhookPath, body, hottok)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	approved := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("e1"),
		hotmarttest.WithTransaction("HP42"), hotmarttest.WithBuyerEmail("c@example.com"))
	if got := post(approved, "forged"); got != http.StatusUnauthorized {
		t.Fatalf("forged hottok: %d, want 401", got)
	}
	if len(sp.Deals()) != 0 {
		t.Fatal("a forged delivery reached SendPulse")
	}
	if got := post(approved, "hottok-1234"); got != http.StatusOK {
		t.Fatalf("approved: %d, want 200", got)
	}
	cart := hotmarttest.NewEvent(hotmart.EventPurchaseOutOfShoppingCart, hotmarttest.WithEventID("e2"))
	if got := post(cart, "hottok-1234"); got != http.StatusOK {
		t.Fatalf("cart abandonment: %d, want 200", got)
	}
	deals := sp.Deals()
	if len(deals) != 1 || deals[0].PipelineID != sales.ID || sp.StepName(deals[0].StepID) != "paid" {
		t.Fatalf("deals %+v, want one in Vendas/paid", deals)
	}
}

func TestServeDrainsOnSignal(t *testing.T) {
	sp := sendpulsetest.NewServer(t)
	// The context stands for SIGTERM arriving while serving.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var stdout, stderr bytes.Buffer
	env := envOf(map[string]string{"HOTMART_HOTTOK": "hottok-1234", "SENDPULSE_API_KEY": sp.Credentials().APIKey, "SENDPULSE_BASE_URL": sp.URL(), "ADDR": "127.0.0.1:0"})
	if code := run(ctx, env, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "listening on http://127.0.0.1:") {
		t.Fatalf("stdout %q", stdout.String())
	}
}
