package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// A host loads the accounts file and, on a *ConfigError, prints one line
// per problem and exits 2.
func ExampleLoad() {
	file := `{"accounts": [
	  {"id": "acme", "hottok": ["${ACME_HOTTOK}"], "rules": "rules.json",
	   "leadlovers": {"token": "${ACME_LL_TOKEN}"}},
	  {"id": "beta", "hottok": ["${ACME_HOTTOK}"], "rules": "rules.json",
	   "sendpulse": {"client_id": "beta", "client_secret": "${BETA_SP_SECRET}"}}
	]}`
	environment := map[string]string{"ACME_HOTTOK": "acme-hottok-value", "ACME_LL_TOKEN": "token"}
	getenv := func(name string) (string, bool) { v, ok := environment[name]; return v, ok }
	readFile := func(string) ([]byte, error) {
		return []byte(`{"segmentations": [{"id": "approved", "active": true, "events": ["PURCHASE_APPROVED"],
		  "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 2, "level": 1}}]}`), nil
	}
	_, err := accounts.Load(strings.NewReader(file), getenv,
		accounts.WithReadFile(readFile),
		accounts.WithCompileOptions(segment.AllowUnknownProviders()))
	var ce *accounts.ConfigError
	if errors.As(err, &ce) {
		for _, line := range ce.Lines() {
			fmt.Fprintln(os.Stdout, line) // a host writes these to stderr and exits 2
		}
	}
	// Output:
	// accounts[beta].sendpulse.client_secret: ${BETA_SP_SECRET} is not set
	// accounts[beta].rules: rules.json: segmentations[0] (id "approved"): action.provider: the account has no "leadlovers" credentials
	// accounts[beta].hottok[0]: same hottok as accounts[acme].hottok[0]: a hottok must identify one account
}

// exampleSales is a SalesSource with three sales in one page; a host
// adapts its REST client instead.
type exampleSales struct{}

func (exampleSales) ListSales(_ context.Context, _ *accounts.Account, q accounts.SalesQuery) (*accounts.SalesPage, error) {
	at := q.From.Add(time.Hour)
	return &accounts.SalesPage{Sales: []accounts.Sale{
		{Transaction: "HP0001", Status: "APPROVED", ProductID: "4062912", Price: "97.00", Currency: "BRL", OrderDate: at},
		{Transaction: "HP0002", Status: "REFUNDED", ProductID: "4062912", Price: "97.00", Currency: "BRL", OrderDate: at},
		{Transaction: "HP0003", Status: "WAITING_PAYMENT", ProductID: "4062912", OrderDate: at},
	}}, nil
}

// exampleStore knows nothing and queues into memory; the durable store
// implements the same interfaces on its database.
type exampleStore struct{ queued []string }

func (*exampleStore) HasEvent(context.Context, string, string, hotmart.EventType) (bool, error) {
	return false, nil
}

func (s *exampleStore) Enqueue(_ context.Context, account string, events []*hotmart.Event, source string) (int, error) {
	for _, e := range events {
		s.queued = append(s.queued, source+" "+accounts.Scope(account, e.ID))
	}
	return len(events), nil
}

func (*exampleStore) GetCheckpoint(context.Context, string) (accounts.Checkpoint, bool, error) {
	return accounts.Checkpoint{}, false, nil
}

func (*exampleStore) PutCheckpoint(context.Context, string, accounts.Checkpoint) error { return nil }

// A dry run tells, per segmentation, what applying the rules to a month of
// sales would trigger; Apply then queues exactly those events.
func ExampleSyncer_DryRun() {
	rules, _ := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "buyers", "active": true, "events": ["PURCHASE_APPROVED", "PURCHASE_COMPLETE"],
	   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 2, "level": 1}},
	  {"id": "refunds", "active": true, "events": ["PURCHASE_REFUNDED"],
	   "action": {"provider": "leadlovers", "command": "remove_lead", "machine": 1}}]}`))
	prog, _ := segment.Compile(rules, segment.AllowUnknownProviders())
	reg, _ := accounts.NewRegistry(&accounts.Account{
		ID: "acme", Hottoks: []string{"acme-hottok-value"}, Rules: rules, Program: prog,
		Hotmart: &accounts.HotmartCredentials{ClientID: "id", ClientSecret: "secret"},
	})
	store := &exampleStore{}
	syncer, _ := accounts.NewSyncer(reg, exampleSales{}, store)

	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	dry, _ := syncer.DryRun(context.Background(), "acme", from, to)
	out, _ := json.Marshal(dry)
	fmt.Println(string(out))

	applied, _ := syncer.Apply(context.Background(), "acme", from, to)
	out, _ = json.Marshal(applied)
	fmt.Println(string(out))
	fmt.Println(strings.Join(store.queued, "\n"))
	// Output:
	// {"dry_run":true,"events":2,"segmentations":[{"id":"buyers","events":1,"sample":["HP0001"]},{"id":"refunds","events":1,"sample":["HP0002"]}]}
	// {"queued":2}
	// backfill acme:sync:acme:HP0001:APPROVED
	// backfill acme:sync:acme:HP0002:REFUNDED
}

// The webhook door asks the registry which account a hottok belongs to,
// and stores the event under the account's scope.
func ExampleRegistry_ByHottok() {
	reg, err := accounts.NewRegistry(
		&accounts.Account{ID: "acme", Hottoks: []string{"acme-hottok-new", "acme-hottok-old"}},
		&accounts.Account{ID: "beta", Hottoks: []string{"beta-hottok-1"}},
	)
	if err != nil {
		panic(err)
	}
	for _, tok := range []string{"acme-hottok-old", "beta-hottok-1", "guess-hottok"} {
		if a, ok := reg.ByHottok(tok); ok {
			fmt.Println(a.ID, accounts.Scope(a.ID, "8f0c7a4e"))
		} else {
			fmt.Println("401")
		}
	}
	// Output:
	// acme acme:8f0c7a4e
	// beta beta:8f0c7a4e
	// 401
}
