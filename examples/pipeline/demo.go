package main

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

//go:embed rules.json
var demoRules []byte

const demoHottok = "demo-hottok"

// demoStep is one event the demo sends.
type demoStep struct {
	typ  hotmart.EventType
	opts []hotmarttest.EventOption
}

// demoSteps tells a story: Ana pays by boleto, is approved, completes the
// warranty, disputes, is refunded and charged back; Bruno's card purchase
// is cancelled; Carla leaves her cart; then one of each other event.
func demoSteps() []demoStep {
	ana := []hotmarttest.EventOption{
		hotmarttest.WithBuyerEmail("ana.souza@example.com"), hotmarttest.WithBuyerName("Ana Souza"),
		hotmarttest.WithBuyerPhone("31", "988887777"), hotmarttest.WithBuyerCountry("BR"),
		hotmarttest.WithTransaction("HP1000000001"), hotmarttest.WithProductID(1234567),
		hotmarttest.WithProductName("Curso de Fotografia"), hotmarttest.WithPrice("497.00", "BRL"),
	}
	bruno := []hotmarttest.EventOption{
		hotmarttest.WithBuyerEmail("bruno@example.com"), hotmarttest.WithBuyerName("Bruno Lima"),
		hotmarttest.WithTransaction("HP1000000002"), hotmarttest.WithProductID(1234567),
		hotmarttest.WithProductName("Curso de Fotografia"), hotmarttest.WithPrice("497.00", "BRL"),
	}
	carla := []hotmarttest.EventOption{
		hotmarttest.WithBuyerEmail("carla@example.com"), hotmarttest.WithBuyerName("Carla Dias"),
		hotmarttest.WithBuyerPhone("11", "977776666"), hotmarttest.WithProductID(1234567),
	}
	anaOnly := []hotmarttest.EventOption{hotmarttest.WithBuyerEmail("ana.souza@example.com"), hotmarttest.WithBuyerName("Ana Souza")}
	with := func(base []hotmarttest.EventOption, more ...hotmarttest.EventOption) []hotmarttest.EventOption {
		return append(append([]hotmarttest.EventOption{}, base...), more...)
	}
	return []demoStep{
		{hotmart.EventPurchaseBilletPrinted, with(ana, hotmarttest.WithPayment("BILLET", 1))},
		{hotmart.EventPurchaseApproved, with(ana, hotmarttest.WithPayment("BILLET", 1))},
		{hotmart.EventPurchaseComplete, ana},
		{hotmart.EventPurchaseProtest, ana},
		{hotmart.EventPurchaseRefunded, ana},
		{hotmart.EventPurchaseChargeback, ana},
		{hotmart.EventPurchaseCanceled, bruno},
		{hotmart.EventPurchaseExpired, with(bruno, hotmarttest.WithTransaction("HP1000000003"))},
		{hotmart.EventPurchaseDelayed, with(bruno, hotmarttest.WithTransaction("HP1000000004"))},
		{hotmart.EventPurchaseOutOfShoppingCart, carla},
		{hotmart.EventSubscriptionCancellation, anaOnly},
		{hotmart.EventSwitchPlan, anaOnly},
		{hotmart.EventUpdateSubscriptionChargeDate, anaOnly},
		{hotmart.EventClubFirstAccess, anaOnly},
		{hotmart.EventClubModuleCompleted, anaOnly},
		{hotmart.EventOrderFulfillment, carla},
	}
}

// runDemo starts fake leadlovers and SendPulse servers, wires the real
// handler and pipeline to them with the sample rules, sends one event of
// each kind and prints what happened. With serve it then keeps serving, so
// the operator console can be browsed on the demo's data, until ctx ends.
func runDemo(ctx context.Context, out io.Writer, serve bool) error {
	ll := leadloverstest.NewServer(nil)
	defer ll.Close()
	sp := sendpulsetest.NewServer(nil)
	defer sp.Close()

	var (
		mu      sync.Mutex
		results []pipeline.Result
	)
	cfg := config{
		path: "/hotmart/webhook", hottoks: []string{demoHottok}, adminToken: "demo-admin",
		leadloversToken: ll.Token(), leadloversURL: ll.URL(),
		sendpulseAPIKey: sp.Credentials().APIKey, sendpulseURL: sp.URL(),
	}
	if serve {
		cfg.adminToken = demoAdminToken()
	}
	a, probs := newApp(cfg, demoRules, appOptions{
		retryWait: 10 * time.Millisecond,
		observer: func(r pipeline.Result) {
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		},
	})
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "; "))
	}
	srv := httptest.NewServer(a.mux)
	defer srv.Close()
	url := srv.URL + cfg.path

	fmt.Fprintf(out, "hotmartkit demo: %d Hotmart events → webhook.Handler → segment (%d segmentations) → leadlovers / SendPulse (in-process fakes)\n\n",
		len(demoSteps()), a.program.Len())
	var firstBody []byte
	for i, step := range demoSteps() {
		opts := append([]hotmarttest.EventOption{
			hotmarttest.WithEventID(fmt.Sprintf("demo-%02d", i+1)),
			hotmarttest.WithCreatedAt(time.Date(2026, 11, 22, 12, 0, i, 0, time.UTC)),
		}, step.opts...)
		body := hotmarttest.NewEvent(step.typ, opts...)
		if i == 0 {
			firstBody = body
		}
		ev, err := hotmart.ParseEvent(body)
		if err != nil {
			return fmt.Errorf("generated event %s: %w", step.typ, err)
		}
		llBefore, spBefore := len(ll.Calls()), len(sp.Calls())
		mu.Lock()
		results = results[:0]
		mu.Unlock()

		status, err := post(ctx, url, body, demoHottok)
		if err != nil {
			return err
		}
		buyer := ev.Buyer()
		who := maskEmail(buyer.Email)
		if buyer.Name != "" {
			who = buyer.Name + " <" + who + ">"
		}
		fmt.Fprintf(out, "%2d. %-32s %s → HTTP %d\n", i+1, step.typ, who, status)
		mu.Lock()
		rs := append([]pipeline.Result(nil), results...)
		mu.Unlock()
		if len(rs) == 0 {
			fmt.Fprintln(out, "      no segmentation matched")
		}
		for _, r := range rs {
			detail := ""
			if r.Match.Segmentation.Action.Command == sendpulse.CommandUpsertDeal {
				if c, ok := sendpulse.PaymentClass(r.Event); ok {
					detail = "stage " + string(c)
				}
			}
			line := fmt.Sprintf("      ✓ %-20s %-10s %-16s %s", r.Outcome.Segmentation, r.Outcome.Provider, r.Outcome.Command, r.Outcome.Status)
			if r.Outcome.Status != pipeline.StatusOK {
				line = strings.Replace(line, "✓", "✗", 1)
			}
			if detail != "" {
				line += "  (" + detail + ")"
			}
			if r.Outcome.Error != "" {
				line += "  " + r.Outcome.Error
			}
			fmt.Fprintln(out, line)
		}
		for _, c := range ll.Calls()[llBefore:] {
			fmt.Fprintf(out, "        leadlovers %s %s → %d\n", c.Method, c.Path, c.Status)
		}
		for _, c := range sp.Calls()[spBefore:] {
			fmt.Fprintf(out, "        sendpulse  %s %s → %d\n", c.Method, c.Path, c.Status)
		}
	}

	// Hotmart retries and duplicates: the same delivery again runs nothing.
	llBefore, spBefore := len(ll.Calls()), len(sp.Calls())
	status, err := post(ctx, url, firstBody, demoHottok)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nRedelivery of event 1 → HTTP %d, provider calls: %d\n", status, len(ll.Calls())-llBefore+len(sp.Calls())-spBefore)
	status, err = post(ctx, url, firstBody, "forged-token")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Forged hottok           → HTTP %d, nothing decoded or run\n", status)

	fmt.Fprintln(out, "\nleadlovers now holds:")
	for _, m := range []struct {
		code int
		name string
	}{{leadloverstest.MachineCustomers, "Clientes"}, {leadloverstest.MachineBillets, "Boletos"}, {leadloverstest.MachineRefunds, "Reembolsos"}} {
		leads := ll.LeadsIn(m.code)
		for i := range leads {
			leads[i] = maskEmail(leads[i])
		}
		sort.Strings(leads)
		fmt.Fprintf(out, "  machine %d %-11s %v\n", m.code, m.name, leads)
	}
	fmt.Fprintln(out, "SendPulse CRM now holds:")
	for _, d := range sp.Deals() {
		fmt.Fprintf(out, "  deal %-50q step %-9s %.2f %s\n", d.Name, sp.StepName(d.StepID), d.Price, d.Currency)
	}
	fmt.Fprintf(out, "  contacts: %d, address book Customers: %d subscriber(s)\n", len(sp.Contacts()), sp.BookSize(sp.Books()[0]))
	fmt.Fprintf(out, "\nDelivery history: GET /deliveries with \"Authorization: Bearer %s\" (served mode: -admin-token).\n", cfg.adminToken)
	if serve {
		return serveDemo(ctx, out, srv.URL, cfg.adminToken)
	}
	return nil
}

func post(ctx context.Context, url string, body []byte, hottok string) (int, error) {
	resp, err := hotmarttest.Post(ctx, url, body, hottok)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode == 0 {
		return 0, fmt.Errorf("no status")
	}
	return resp.StatusCode, nil
}

// maskEmail keeps the first letter and the domain: a***@example.com.
func maskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return e
	}
	return local[:1] + "***@" + domain
}
