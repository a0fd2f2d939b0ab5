package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// resolver maps two accounts' hottoks, as accounts.Registry.ResolveHottok.
func resolver(tok string) (string, bool) {
	switch tok {
	case "hottok-of-acme":
		return "acme", true
	case "hottok-of-beta":
		return "beta", true
	}
	return "", false
}

func TestHottokResolverScopesByAccount(t *testing.T) {
	var (
		mu  sync.Mutex
		got = map[string][]string{} // account → event ids processed
	)
	procs := map[string]webhook.Processor{}
	for _, acct := range []string{"acme", "beta"} {
		procs[acct] = webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
			if a := webhook.AccountFrom(ctx); a != acct {
				t.Errorf("processor of %s got an event of %q", acct, a)
			}
			mu.Lock()
			got[acct] = append(got[acct], e.ID)
			mu.Unlock()
			return nil
		})
	}
	h, err := webhook.New(webhook.WithHottokResolver(resolver), webhook.WithProcessor(webhook.ByAccount(procs)))
	if err != nil {
		t.Fatal(err)
	}
	ev := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("same-id"))
	for _, tok := range []string{"hottok-of-acme", "hottok-of-beta", "hottok-of-acme"} {
		if rec := serve(h, hotmarttest.NewRequest(ev, tok)); rec.Code != http.StatusOK {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	if rec := serve(h, hotmarttest.NewRequest(ev, "hottok-of-nobody")); rec.Code != http.StatusUnauthorized {
		t.Fatalf("unknown hottok: %d", rec.Code)
	}
	// The same id in two accounts is two events; the repeat in acme is a duplicate.
	if len(got["acme"]) != 1 || len(got["beta"]) != 1 {
		t.Fatalf("processed %v, want one event per account", got)
	}
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{Account: "acme"})
	if len(ds) != 2 || ds[0].Outcome != webhook.OutcomeDuplicate || ds[1].Outcome != webhook.OutcomeProcessed {
		t.Fatalf("acme deliveries: %+v", ds)
	}
	for _, d := range ds {
		if d.Account != "acme" {
			t.Fatalf("delivery account %q", d.Account)
		}
	}
	b, _ := ds[0].MarshalJSON()
	var back webhook.Delivery
	if err := back.UnmarshalJSON(b); err != nil || back.Account != "acme" {
		t.Fatalf("JSON round trip: %s → %+v %v", b, back, err)
	}
}

func TestHottokResolverConfig(t *testing.T) {
	proc := webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })
	_, err := webhook.New(webhook.WithHottokResolver(resolver), webhook.WithHottok("a-long-hottok"), webhook.WithProcessor(proc))
	var ce *webhook.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("resolver with hottoks: %v", err)
	}
	if _, err := webhook.New(webhook.WithHottokResolver(nil), webhook.WithProcessor(proc)); !errors.Is(err, webhook.ErrNoHottok) {
		t.Fatalf("nil resolver: %v", err)
	}
}

func TestByAccountRefusesUnknownAccount(t *testing.T) {
	p := webhook.ByAccount(map[string]webhook.Processor{"acme": webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error {
		t.Fatal("acme's processor ran for another account")
		return nil
	})})
	err := p.Process(webhook.ContextWithAccount(context.Background(), "beta"), &hotmart.Event{ID: "e1"})
	var ue *webhook.UnknownAccountError
	if !errors.As(err, &ue) || ue.Account != "beta" {
		t.Fatalf("err = %v", err)
	}
}

// MemoryEvents (the simple mode's event log) keeps each account's events
// apart too, and replays them through their own account's processor.
func TestMemoryEventsByAccount(t *testing.T) {
	ran := map[string]int{}
	var mu sync.Mutex
	procs := map[string]webhook.Processor{}
	for _, acct := range []string{"acme", "beta"} {
		procs[acct] = webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
			mu.Lock()
			ran[acct]++
			mu.Unlock()
			return nil
		})
	}
	mem, _ := webhook.NewMemoryEvents(10)
	store, _ := webhook.NewMemoryStore()
	h, err := webhook.New(webhook.WithHottokResolver(resolver), webhook.WithStore(store),
		webhook.WithProcessor(mem.Wrap(webhook.ByAccount(procs), store)))
	if err != nil {
		t.Fatal(err)
	}
	ev := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("same-id"))
	serve(h, hotmarttest.NewRequest(ev, "hottok-of-acme"))
	serve(h, hotmarttest.NewRequest(ev, "hottok-of-beta"))
	evs, _ := mem.Events(context.Background(), webhook.EventQuery{Account: "beta"})
	if len(evs) != 1 || evs[0].Account != "beta" {
		t.Fatalf("beta's events: %+v", evs)
	}
	if _, err := mem.Replay(context.Background(), "beta:same-id"); err != nil {
		t.Fatal(err)
	}
	if ran["acme"] != 1 || ran["beta"] != 2 {
		t.Fatalf("runs %v, want acme 1 and beta 2", ran)
	}
}

// With a resolver the handler keeps no token list; the token a request
// carried is still kept out of the history's error text.
func TestHottokResolverRedactsTheRequestToken(t *testing.T) {
	h, err := webhook.New(webhook.WithHottokResolver(resolver), webhook.WithProcessor(webhook.ProcessorFunc(
		func(context.Context, *hotmart.Event) error { return errors.New("upstream echoed hottok-of-acme back") })))
	if err != nil {
		t.Fatal(err)
	}
	serve(h, hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseApproved), "hottok-of-acme"))
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{})
	if len(ds) != 1 || ds[0].Error == "" || strings.Contains(ds[0].Error, "hottok-of-acme") {
		t.Fatalf("delivery error %q", ds[0].Error)
	}
}
