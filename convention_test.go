package hotmartkit_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// The three clients follow one convention; these tests hold them to it
// through their public API only.

// Each provider's *APIError matches that provider's errors and no other's.
func TestAPIErrorTargetsOneProvider(t *testing.T) {
	ctx := context.Background()

	hm := resttest.NewServer(t, resttest.WithSales(10))
	hm.FailNext(1, resttest.Fault{Status: http.StatusBadRequest})
	_, hotmartErr := hm.Client(rest.WithRetry(0, time.Millisecond, time.Millisecond)).Products.List(ctx, nil)

	ll := leadloverstest.NewServer(t)
	ll.FailNext(1, leadloverstest.Fault{Status: http.StatusServiceUnavailable})
	_, llErr := ll.Client(leadlovers.WithRetry(0, time.Millisecond, time.Millisecond)).Machines.Get(ctx, leadloverstest.MachineCustomers)

	sp := sendpulsetest.NewServer(t)
	sp.FailNext(1, sendpulsetest.Fault{Status: http.StatusBadRequest})
	_, spErr := sp.Client().CRM.Pipelines.List(ctx)

	for _, tc := range []struct {
		name                  string
		err                   error
		isHotmart, isLL, isSP bool
	}{
		{"hotmart", hotmartErr, true, false, false},
		{"leadlovers", llErr, false, true, false},
		{"sendpulse", spErr, false, false, true},
	} {
		var h *rest.APIError
		var l *leadlovers.APIError
		var s *sendpulse.APIError
		if got := errors.As(tc.err, &h); got != tc.isHotmart {
			t.Errorf("%s error %v: errors.As(*rest.APIError) = %v", tc.name, tc.err, got)
		}
		if got := errors.As(tc.err, &l); got != tc.isLL {
			t.Errorf("%s error %v: errors.As(*leadlovers.APIError) = %v", tc.name, tc.err, got)
		}
		if got := errors.As(tc.err, &s); got != tc.isSP {
			t.Errorf("%s error %v: errors.As(*sendpulse.APIError) = %v", tc.name, tc.err, got)
		}
	}
}

// Formatting or logging a client or its credentials never shows a secret.
func TestClientsFormatWithoutSecrets(t *testing.T) {
	const (
		hmSecret = "hm-client-secret-0a1b2c"
		hmBasic  = "aG06aG0tY2xpZW50LXNlY3JldA=="
		llToken  = "0123456789ABCDEF0123456789ABCDEF"
		spKey    = "sp-api-key-9z8y7x6w"
		spSecret = "sp-client-secret-5v4u3t"
	)
	hmCreds := rest.Credentials{ClientID: "hm-id", ClientSecret: hmSecret, Basic: hmBasic}
	hm, err := rest.NewClient(hmCreds)
	if err != nil {
		t.Fatal(err)
	}
	llCreds := leadlovers.Credentials{Token: llToken}
	ll, err := leadlovers.NewClient(llCreds)
	if err != nil {
		t.Fatal(err)
	}
	spKeyCreds := sendpulse.Credentials{APIKey: spKey}
	spk, err := sendpulse.NewClient(spKeyCreds)
	if err != nil {
		t.Fatal(err)
	}
	spOAuthCreds := sendpulse.Credentials{ClientID: "sp-id", ClientSecret: spSecret}
	spo, err := sendpulse.NewClient(spOAuthCreds)
	if err != nil {
		t.Fatal(err)
	}
	values := []any{hm, *hm, hmCreds, &hmCreds, ll, *ll, llCreds, spk, *spk, spo, spKeyCreds, spOAuthCreds}
	var out bytes.Buffer
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
	}
	log := slog.New(slog.NewJSONHandler(&out, nil))
	log.Info("clients", "hotmart", hm, "leadlovers", ll, "sendpulse", spk, "oauth", spo)
	log.Info("creds", "hotmart", hmCreds, "leadlovers", llCreds, "key", spKeyCreds, "oauth", spOAuthCreds)
	slog.New(slog.NewTextHandler(&out, nil)).Info("text", "hotmart", hm, "creds", hmCreds, "ll", llCreds, "sp", spKeyCreds)
	for _, secret := range []string{hmSecret, hmBasic, llToken, spKey, spSecret} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("a secret (%.6s…) shows in formatted or logged output:\n%s", secret, out.String())
		}
	}
	if !strings.Contains(out.String(), "hm-id") {
		t.Error("the hotmart client id, which is no secret, should stay visible")
	}
}

// Every client takes its rate in requests per second, 0 turning pacing
// off, through one option and one run-time setter that validate alike.
func TestRateLimitOneUnit(t *testing.T) {
	hm := resttest.NewServer(t, resttest.WithSales(10))
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	setters := map[string]func(float64, int) error{
		"hotmart":    hm.Client().SetRateLimit,
		"leadlovers": ll.Client().SetRateLimit,
		"sendpulse":  sp.Client().SetRateLimit,
	}
	for name, set := range setters {
		if err := set(-1, 1); err == nil {
			t.Errorf("%s: SetRateLimit(-1, 1) accepted", name)
		}
		if err := set(1, 0); err == nil {
			t.Errorf("%s: SetRateLimit(1, 0) accepted", name)
		}
		if err := set(0, 1); err != nil {
			t.Errorf("%s: SetRateLimit(0, 1) (pacing off): %v", name, err)
		}
	}
	for name, err := range map[string]error{
		"hotmart": func() error { _, err := rest.NewClient(hm.Credentials(), rest.WithRateLimit(-0.5, 1)); return err }(),
		"leadlovers": func() error {
			_, err := leadlovers.NewClient(ll.Credentials(), leadlovers.WithRateLimit(-0.5, 1))
			return err
		}(),
		"sendpulse": func() error {
			_, err := sendpulse.NewClient(sp.Credentials(), sendpulse.WithRateLimit(-0.5, 1))
			return err
		}(),
	} {
		if err == nil || !strings.Contains(err.Error(), "WithRateLimit") {
			t.Errorf("%s: WithRateLimit(-0.5, 1): %v", name, err)
		}
	}
	// A setter that takes effect: 5 calls at 20/s with burst 1 take about
	// 200 ms.
	c := ll.Client()
	if err := c.SetRateLimit(20, 1); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 5 {
		if _, err := c.Machines.Get(context.Background(), leadloverstest.MachineCustomers); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("5 calls at 20/s took %v: SetRateLimit did not pace", d)
	}
}

// Argument errors come before any request, as each provider's own
// *ArgumentError.
func TestArgumentErrorsBeforeAnyRequest(t *testing.T) {
	ctx := context.Background()
	hm := resttest.NewServer(t, resttest.WithSales(10))
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	hc, lc, sc := hm.Client(), ll.Client(), sp.Client()

	var hae *rest.ArgumentError
	if err := hc.Sales.Refund(ctx, ""); !errors.As(err, &hae) {
		t.Errorf("hotmart Refund(\"\"): %v", err)
	}
	var lae *leadlovers.ArgumentError
	if _, err := lc.Machines.Get(ctx, 0); !errors.As(err, &lae) {
		t.Errorf("leadlovers Machines.Get(0): %v", err)
	}
	var sae *sendpulse.ArgumentError
	for name, call := range map[string]func() error{
		"Deals.Get(0)":            func() error { _, err := sc.CRM.Deals.Get(ctx, 0); return err },
		"Deals.Delete(-1)":        func() error { return sc.CRM.Deals.Delete(ctx, -1) },
		"Contacts.Get(0)":         func() error { _, err := sc.CRM.Contacts.Get(ctx, 0); return err },
		"Pipelines.Steps(0)":      func() error { _, err := sc.CRM.Pipelines.Steps(ctx, 0); return err },
		"AddressBooks.AddEmails":  func() error { return sc.AddressBooks.AddEmails(ctx, 0, nil, nil) },
		"Deals.Update(0, nil)":    func() error { _, err := sc.CRM.Deals.Update(ctx, 0, nil); return err },
		"Payments.ListByDeal(0)":  func() error { _, err := sc.CRM.Payments.ListByDeal(ctx, 0); return err },
		"Events.Send(bad name)":   func() error { return sc.Events.Send(ctx, "a/b", map[string]any{"email": "x@y.z"}) },
		"Deals.ChangePipeline(0)": func() error { return sc.CRM.Deals.ChangePipeline(ctx, 0, 1, 1) },
	} {
		if err := call(); !errors.As(err, &sae) {
			t.Errorf("sendpulse %s: want *sendpulse.ArgumentError, got %v", name, err)
		}
	}
	if n := len(hm.Calls()) + len(ll.Calls()) + len(sp.Calls()); n != 0 {
		t.Errorf("%d requests sent for refused arguments", n)
	}
}

// Every list endpoint answers a *Page[T] whose Next feeds the following
// call, and All walks them all.
func TestPagesOneShape(t *testing.T) {
	ctx := context.Background()
	sp := sendpulsetest.NewServer(t)
	sc := sp.Client()
	for i := range 5 {
		if _, err := sc.CRM.Deals.Create(ctx, &sendpulse.DealCreate{PipelineID: sp.Pipelines()[0].ID, StepID: sp.Pipelines()[0].Steps[0].ID,
			Name: fmt.Sprintf("Deal #HP%d", i), Price: 1, Currency: "USD"}); err != nil {
			t.Fatal(err)
		}
	}
	opts := &sendpulse.DealListOptions{ListOptions: sendpulse.ListOptions{Limit: 2}}
	var names []string
	for {
		p, err := sc.CRM.Deals.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range p.Items {
			names = append(names, d.Name)
		}
		if !p.HasNext() {
			break
		}
		opts.ListOptions = *p.Next
	}
	n := 0
	for _, err := range sc.CRM.Deals.All(ctx, &sendpulse.DealListOptions{ListOptions: sendpulse.ListOptions{Limit: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if len(names) != 5 || n != 5 {
		t.Fatalf("paged %d deals (%v), All %d; want 5", len(names), names, n)
	}

	hm := resttest.NewServer(t, resttest.WithSales(30))
	from, to := hm.Period()
	hopts := &rest.SalesHistoryListOptions{ListOptions: rest.ListOptions{MaxResults: 7},
		SalesFilter: rest.SalesFilter{StartDate: from, EndDate: to, TransactionStatus: rest.AllSaleStatuses}}
	total := 0
	for {
		p, err := hm.Client().Sales.History(ctx, hopts)
		if err != nil {
			t.Fatal(err)
		}
		total += len(p.Items)
		if !p.HasNext() {
			break
		}
		hopts.ListOptions = *p.Next
	}
	if total != 30 {
		t.Fatalf("hotmart pages held %d sales, want 30", total)
	}
}

// Two events through the handler, the pipeline and both provider fakes,
// built from the kits' ready clients with nothing to configure: fast,
// because the kits turn pacing off (paced at the real APIs' limits the
// same test took 1.7 s).
func TestTwoEventsAgainstBothFakesAreFast(t *testing.T) {
	start := time.Now()
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	rules, err := segment.ParseRules(fmt.Appendf(nil, `{"segmentations": [
	  {"id": "customers", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "leadlovers", "command": "add_lead", "send": ["email", "name"],
	              "machine": %d, "sequence": %d, "level": 1}},
	  {"id": "deals", "active": true, "events": ["PURCHASE_BILLET_PRINTED", "PURCHASE_APPROVED"],
	   "action": {"provider": "sendpulse", "command": "upsert_deal", "name": "{{product.name}}", "stages": {"paid": %d}}}
	]}`, leadloverstest.MachineCustomers, leadloverstest.SequenceWelcome, sendpulsetest.SeedStepPaid))
	if err != nil {
		t.Fatal(err)
	}
	program, err := segment.Compile(rules, segment.WithProviders(leadlovers.Spec, sendpulse.Spec))
	if err != nil {
		t.Fatal(err)
	}
	llExec, _ := leadlovers.NewExecutor(ll.Client())
	spExec, _ := sendpulse.NewExecutor(sp.Client())
	proc, err := pipeline.New(program, pipeline.WithExecutor("leadlovers", llExec), pipeline.WithExecutor("sendpulse", spExec))
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.New(webhook.WithHottok("test-hottok"), webhook.WithProcessor(proc))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, typ := range []hotmart.EventType{hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseApproved} {
		body := hotmarttest.NewEvent(typ, hotmarttest.WithTransaction("HP1122334455"), hotmarttest.WithBuyerEmail("ana@example.com"))
		resp, err := hotmarttest.Post(context.Background(), srv.URL, body, "test-hottok")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", typ, resp.StatusCode)
		}
	}
	elapsed := time.Since(start)
	if len(ll.LeadsIn(leadloverstest.MachineCustomers)) != 1 || len(sp.DealsByTransaction("HP1122334455")) != 1 {
		t.Fatalf("leads %v, deals %v", ll.LeadsIn(leadloverstest.MachineCustomers), sp.DealsByTransaction("HP1122334455"))
	}
	t.Logf("two events against both fakes: %v", elapsed)
	// The target is well under 50 ms; the bound leaves room for a loaded
	// machine and the race detector while still catching any pacing.
	if elapsed > 400*time.Millisecond {
		t.Fatalf("two events took %v: are the kits' clients paced?", elapsed)
	}
}
