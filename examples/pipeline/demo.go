package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
	"github.com/hotmartkit/hotmartkit/webhook"
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

	// Durable mode on a throwaway SQLite file: deliveries are committed and
	// answered, workers run the rules from the database.
	dir, err := os.MkdirTemp("", "hotmartkit-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	var (
		mu      sync.Mutex
		results = map[string][]pipeline.Result{} // by event id, as workers report them
	)
	cfg := config{
		path: "/hotmart/webhook", hottoks: []string{demoHottok}, adminToken: "demo-admin",
		leadloversToken: ll.Token(), leadloversURL: ll.URL(),
		sendpulseAPIKey: sp.Credentials().APIKey, sendpulseURL: sp.URL(),
		db: "sqlite:" + filepath.Join(dir, "demo.db"), workers: 4, maxAttempts: 25,
		retryMaxDelay: time.Second, jobTimeout: 10 * time.Second, shutdownTimeout: 5 * time.Second,
	}
	if serve {
		cfg.adminToken = demoAdminToken()
	}
	a, probs := newApp(cfg, demoRules, appOptions{
		retryWait: 10 * time.Millisecond,
		observer: func(r pipeline.Result) {
			mu.Lock()
			results[r.Event.ID] = append(results[r.Event.ID], r)
			mu.Unlock()
		},
		durable: []durable.Option{durable.WithRetryBaseDelay(100 * time.Millisecond), durable.WithPollInterval(20 * time.Millisecond)},
	})
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "; "))
	}
	if err := a.start(ctx); err != nil {
		_ = a.stop(context.Background())
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
		defer cancel()
		_ = a.stop(sctx)
	}()
	srv := httptest.NewServer(a.mux)
	defer srv.Close()
	url := srv.URL + cfg.path
	// settle waits until the workers finished the event (done, stale or dead).
	settle := func(id string) (webhook.EventRecord, error) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			ev, err := a.engine.Event(ctx, id)
			if err == nil && (ev.State == webhook.StateDone || ev.State == webhook.StateStale || ev.State == webhook.StateDead) {
				return ev, nil
			}
			if time.Now().After(deadline) {
				return ev, fmt.Errorf("event %s still %s", id, ev.State)
			}
			select {
			case <-ctx.Done():
				return ev, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	take := func(id string) []pipeline.Result {
		mu.Lock()
		defer mu.Unlock()
		rs := results[id]
		delete(results, id)
		return rs
	}

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

		status, err := post(ctx, url, body, demoHottok)
		if err != nil {
			return err
		}
		if _, err := settle(ev.ID); err != nil {
			return err
		}
		buyer := ev.Buyer()
		who := maskEmail(buyer.Email)
		if buyer.Name != "" {
			who = buyer.Name + " <" + who + ">"
		}
		fmt.Fprintf(out, "%2d. %-32s %s → HTTP %d\n", i+1, step.typ, who, status)
		rs := take(ev.ID)
		if len(rs) == 0 {
			fmt.Fprintln(out, "      no segmentation matched")
		}
		printResults(out, rs)
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
	if err := demoOutage(ctx, out, url, ll, sp, a.engine.Event, settle, take); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nDelivery history: GET /deliveries with \"Authorization: Bearer %s\" (served mode: -admin-token).\n", cfg.adminToken)
	fmt.Fprintln(out, "Event states: GET /events?state=retrying, GET /events/{id}, POST /events/{id}/replay (same token).")
	if serve {
		return serveDemo(ctx, out, srv.URL, cfg.adminToken)
	}
	return nil
}

// printResults prints one line per action outcome.
func printResults(out io.Writer, rs []pipeline.Result) {
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
}

// demoOutage takes both providers down, sends two sales (answered 200 and
// committed), shows them retrying, brings the providers back and shows
// everything landing.
func demoOutage(ctx context.Context, out io.Writer, url string, ll *leadloverstest.Server, sp *sendpulsetest.Server,
	lookup func(context.Context, string) (webhook.EventRecord, error),
	settle func(string) (webhook.EventRecord, error), take func(string) []pipeline.Result) error {
	fmt.Fprintln(out, "\nProvider outage (durable mode: River on a temporary SQLite file): leadlovers and SendPulse answer 503 to every call.")
	ll.FailRate(1, leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusServiceUnavailable})
	sp.FailRate(1, sendpulsetest.Fault{Status: http.StatusServiceUnavailable})
	sales := []struct {
		id, email, name, tx string
	}{
		{"demo-17", "diego@example.com", "Diego Alves", "HP1000000017"},
		{"demo-18", "elisa@example.com", "Elisa Rocha", "HP1000000018"},
	}
	for i, s := range sales {
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved,
			hotmarttest.WithEventID(s.id), hotmarttest.WithCreatedAt(time.Date(2026, 11, 22, 13, 0, i, 0, time.UTC)),
			hotmarttest.WithBuyerEmail(s.email), hotmarttest.WithBuyerName(s.name), hotmarttest.WithBuyerCountry("BR"),
			hotmarttest.WithTransaction(s.tx), hotmarttest.WithProductID(1234567),
			hotmarttest.WithProductName("Curso de Fotografia"), hotmarttest.WithPrice("497.00", "BRL"))
		status, err := post(ctx, url, body, demoHottok)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%2d. %-32s %s <%s> → HTTP %d (committed; providers down)\n", 17+i, hotmart.EventPurchaseApproved, s.name, maskEmail(s.email), status)
	}
	// Let the workers fail a few times.
	deadline := time.Now().Add(20 * time.Second)
	for _, s := range sales {
		for {
			ev, err := lookup(ctx, s.id)
			if err != nil && !errors.Is(err, webhook.ErrEventNotFound) {
				return err
			}
			if ev.State == webhook.StateRetrying && ev.Attempts >= 2 {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("event %s: %s after %d attempts", s.id, ev.State, ev.Attempts)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	for _, s := range sales {
		take(s.id) // the failed attempts' outcomes
	}
	fmt.Fprintln(out, "      both events: state retrying, attempts ≥ 2, nothing lost")
	fmt.Fprintln(out, "Providers back up.")
	ll.FailRate(0)
	sp.FailRate(0)
	for i, s := range sales {
		ev, err := settle(s.id)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%2d. %-32s %s → %s after %d attempts\n", 17+i, ev.Event, maskEmail(s.email), ev.State, ev.Attempts)
		printResults(out, take(s.id))
	}
	fmt.Fprintf(out, "  leads in Clientes now: %d; deals for the two sales: %d and %d\n",
		len(ll.LeadsIn(leadloverstest.MachineCustomers)), len(sp.DealsByTransaction(sales[0].tx)), len(sp.DealsByTransaction(sales[1].tx)))
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
