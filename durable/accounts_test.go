package durable_test

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// acctRecorder is one account's processor: it records what it ran.
type acctRecorder struct {
	mu   sync.Mutex
	runs []string // account/type/id
}

func (r *acctRecorder) Process(ctx context.Context, e *hotmart.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.runs = append(r.runs, webhook.AccountFrom(ctx)+"/"+string(e.Type)+"/"+e.ID)
	return nil
}

func (r *acctRecorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.runs...)
}

// salesList is a SalesSource over fixed sales per account, one page.
type salesList struct {
	mu    sync.Mutex
	sales map[string][]accounts.Sale
	calls int
}

func (s *salesList) ListSales(_ context.Context, a *accounts.Account, q accounts.SalesQuery) (*accounts.SalesPage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	var out []accounts.Sale
	for _, sl := range s.sales[a.ID] {
		if !sl.OrderDate.Before(q.From) && sl.OrderDate.Before(q.To) {
			out = append(out, sl)
		}
	}
	return &accounts.SalesPage{Sales: out}, nil
}

func (s *salesList) set(account string, sales ...accounts.Sale) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sales == nil {
		s.sales = map[string][]accounts.Sale{}
	}
	s.sales[account] = sales
}

// syncStore adapts durable.AccountStore to accounts.Store, as a host does
// (durable does not import accounts).
type syncStore struct{ *durable.AccountStore }

func (s syncStore) KnownEvents(ctx context.Context, account string, keys []accounts.EventKey) (map[accounts.EventKey]bool, error) {
	dk := make([]durable.EventKey, len(keys))
	for i, k := range keys {
		dk[i] = durable.EventKey{Transaction: k.Transaction, Type: k.Type}
	}
	got, err := s.AccountStore.KnownEvents(ctx, account, dk)
	out := map[accounts.EventKey]bool{}
	for k, v := range got {
		out[accounts.EventKey{Transaction: k.Transaction, Type: k.Type}] = v
	}
	return out, err
}

func (s syncStore) GetCheckpoint(ctx context.Context, account string) (accounts.Checkpoint, bool, error) {
	start, through, ok, err := s.AccountStore.GetCheckpoint(ctx, account)
	return accounts.Checkpoint{Start: start, Through: through}, ok, err
}

func (s syncStore) PutCheckpoint(ctx context.Context, account string, cp accounts.Checkpoint) error {
	return s.AccountStore.PutCheckpoint(ctx, account, cp.Start, cp.Through)
}

var _ accounts.BatchKnown = syncStore{}

// run adapts a Syncer to durable.SyncFunc, reporting each run.
func run(s *accounts.Syncer, report func(*accounts.SyncReport)) durable.SyncFunc {
	return func(ctx context.Context, account string) error {
		rep, err := s.Run(ctx, account)
		if err == nil && report != nil {
			report(rep)
		}
		return err
	}
}

type twoAccounts struct {
	eng        *durable.Engine
	h          *webhook.Handler
	acme, beta *acctRecorder
	reg        *accounts.Registry
	sales      *salesList
	syncer     *accounts.Syncer
}

const (
	acmeHottok = "hottok-of-acme"
	betaHottok = "hottok-of-beta"
)

func openTwoAccounts(t *testing.T, dbURL string) *twoAccounts {
	t.Helper()
	ta := &twoAccounts{acme: &acctRecorder{}, beta: &acctRecorder{}, sales: &salesList{}}
	var err error
	ta.reg, err = accounts.NewRegistry(
		&accounts.Account{ID: "acme", Hottoks: []string{acmeHottok}, Hotmart: &accounts.HotmartCredentials{ClientID: "a"}},
		&accounts.Account{ID: "beta", Hottoks: []string{betaHottok}, Hotmart: &accounts.HotmartCredentials{ClientID: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	ta.eng = open(t, dbURL, webhook.ByAccount(map[string]webhook.Processor{"acme": ta.acme, "beta": ta.beta}))
	ta.h, err = webhook.New(webhook.WithHottokResolver(ta.reg.ResolveHottok), webhook.WithProcessor(ta.eng.Intake()),
		webhook.WithStore(nil), webhook.WithHistory(ta.eng.History()))
	if err != nil {
		t.Fatal(err)
	}
	ta.syncer, err = accounts.NewSyncer(ta.reg, ta.sales, syncStore{ta.eng.AccountStore()})
	if err != nil {
		t.Fatal(err)
	}
	return ta
}

func (ta *twoAccounts) post(t *testing.T, body []byte, tok string) int {
	t.Helper()
	rec := httptestRecorder()
	ta.h.ServeHTTP(rec, hotmarttest.NewRequest(body, tok))
	return rec.Code
}

func (ta *twoAccounts) settled(t *testing.T) {
	t.Helper()
	waitFor(t, 10*time.Second, "events settled", func() bool {
		n, err := ta.eng.CountByState(context.Background())
		return err == nil && n[webhook.StateQueued] == 0 && n[webhook.StateRunning] == 0 && n[webhook.StateRetrying] == 0
	})
}

func TestAccountsIsolation(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ta := openTwoAccounts(t, dbURL)
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("same-id"), hotmarttest.WithTransaction("HP1"))
		for _, tok := range []string{acmeHottok, betaHottok, betaHottok} {
			if c := ta.post(t, body, tok); c != http.StatusOK {
				t.Fatalf("status %d", c)
			}
		}
		if c := ta.post(t, body, "hottok-of-nobody"); c != http.StatusUnauthorized {
			t.Fatalf("unknown hottok: %d", c)
		}
		ta.settled(t)
		if a, b := ta.acme.list(), ta.beta.list(); len(a) != 1 || len(b) != 1 ||
			!strings.HasPrefix(a[0], "acme/") || !strings.HasPrefix(b[0], "beta/") {
			t.Fatalf("acme ran %v, beta ran %v: want one event each, its own", a, b)
		}
		evs, err := ta.eng.Events(context.Background(), webhook.EventQuery{Account: "beta"})
		if err != nil || len(evs) != 1 || evs[0].EventID != "same-id" || evs[0].Account != "beta" || evs[0].Source != "webhook" {
			t.Fatalf("beta's events: %+v %v", evs, err)
		}
		ds, err := ta.eng.History().Deliveries(context.Background(), webhook.Query{Account: "beta"})
		if err != nil || len(ds) != 2 {
			t.Fatalf("beta's deliveries: %+v %v", ds, err)
		}
		for _, d := range ds {
			if d.Account != "beta" || d.EventID != "same-id" {
				t.Fatalf("delivery %+v", d)
			}
		}
		if ev, err := ta.eng.Event(context.Background(), "acme:same-id"); err != nil || ev.Account != "acme" {
			t.Fatalf("scoped lookup: %+v %v", ev, err)
		}
	})
}

func TestAccountsNoDoubles(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		ta := openTwoAccounts(t, dbURL)
		now := time.Now().UTC()
		// Webhook first, then sync: the sync queues nothing for HP1.
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithTransaction("HP1"))
		if c := ta.post(t, body, acmeHottok); c != http.StatusOK {
			t.Fatal(c)
		}
		// HP2 is known only to the REST API; HP3 will arrive later by webhook.
		ta.sales.set("acme",
			accounts.Sale{Transaction: "HP1", Status: "APPROVED", OrderDate: now.Add(-time.Hour), Price: "10", Currency: "BRL"},
			accounts.Sale{Transaction: "HP2", Status: "APPROVED", OrderDate: now.Add(-time.Hour), Price: "10", Currency: "BRL"},
			accounts.Sale{Transaction: "HP3", Status: "REFUNDED", OrderDate: now.Add(-time.Hour), Price: "10", Currency: "BRL"})
		rep, err := ta.syncer.Run(ctx, "acme")
		if err != nil || rep.Queued != 2 {
			t.Fatalf("sync: %+v %v", rep, err)
		}
		// Sync first, then the webhook: answered 200 as a duplicate, runs nothing.
		late := hotmarttest.NewEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithTransaction("HP3"))
		if c := ta.post(t, late, acmeHottok); c != http.StatusOK {
			t.Fatal(c)
		}
		ta.settled(t)
		// A second run, and a backfill over the same days, queue nothing.
		if rep, err := ta.syncer.Run(ctx, "acme"); err != nil || rep.Queued != 0 {
			t.Fatalf("second sync: %+v %v", rep, err)
		}
		from := now.Truncate(24 * time.Hour).Add(-24 * time.Hour)
		dry, err := ta.syncer.DryRun(ctx, "acme", from, from.Add(72*time.Hour))
		if err != nil || dry.Events != 0 {
			t.Fatalf("dry run: %+v %v", dry, err)
		}
		counts := map[string]int{}
		for _, r := range ta.acme.list() {
			counts[strings.Join(strings.SplitN(r, "/", 3)[:2], "/")]++
		}
		if counts["acme/PURCHASE_APPROVED"] != 2 || counts["acme/PURCHASE_REFUNDED"] != 1 || len(ta.beta.list()) != 0 {
			t.Fatalf("runs %v (beta %v): want HP1 and HP2 approved once each, HP3 refunded once", ta.acme.list(), ta.beta.list())
		}
		evs, _ := ta.eng.Events(ctx, webhook.EventQuery{Account: "acme"})
		sources := map[string]string{}
		for _, e := range evs {
			sources[e.EventID] = e.Source
		}
		if sources["sync:acme:HP2:APPROVED"] != "sync" || sources["sync:acme:HP3:REFUNDED"] != "sync" || len(evs) != 3 {
			t.Fatalf("events: %v", sources)
		}
		ds, _ := ta.eng.History().Deliveries(ctx, webhook.Query{Account: "acme"})
		dups := 0
		for _, d := range ds {
			if d.Outcome == webhook.OutcomeDuplicate {
				dups++
			}
		}
		if dups != 1 {
			t.Fatalf("deliveries %+v: want the late webhook recorded as a duplicate", ds)
		}
	})
}

func TestAccountsCheckpointsAndScheduledSync(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		ta := openTwoAccounts(t, dbURL)
		st := syncStore{ta.eng.AccountStore()}
		if _, ok, err := st.GetCheckpoint(ctx, "acme"); ok || err != nil {
			t.Fatalf("fresh checkpoint: %v %v", ok, err)
		}
		now := time.Now().UTC()
		ta.sales.set("beta", accounts.Sale{Transaction: "HPB", Status: "COMPLETE", OrderDate: now.Add(-time.Minute), Price: "1", Currency: "BRL"})
		start := time.Now()
		if err := ta.eng.ScheduleSync(run(ta.syncer, nil), []string{"acme", "beta"}, time.Second); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 15*time.Second, "beta's missed sale to run", func() bool { return len(ta.beta.list()) == 1 })
		t.Logf("missed webhook → actions: %s", time.Since(start))
		cp, ok, err := st.GetCheckpoint(ctx, "beta")
		if !ok || err != nil || cp.Through.Before(now) {
			t.Fatalf("checkpoint after sync: %+v %v %v", cp, ok, err)
		}
		if len(ta.acme.list()) != 0 {
			t.Fatalf("acme ran %v", ta.acme.list())
		}
		if err := ta.eng.ScheduleSync(nil, nil, time.Second); err == nil {
			t.Fatal("nil syncer accepted")
		}
	})
}

// Rules over history: the dry run's count is what apply then queues, and
// a second apply queues nothing.
func TestAccountsBackfillDryRunThenApply(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		ta := openTwoAccounts(t, dbURL)
		day := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
		var sales []accounts.Sale
		for i, st := range []string{"APPROVED", "COMPLETE", "REFUNDED", "WAITING_PAYMENT", "PRINTED_BILLET", "APPROVED"} {
			sales = append(sales, accounts.Sale{Transaction: "HPX" + string(rune('A'+i)), Status: st,
				OrderDate: day.Add(time.Duration(i) * time.Hour), Price: "5", Currency: "BRL"})
		}
		ta.sales.set("acme", sales...)
		// One of them already came by webhook.
		body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithTransaction("HPXA"))
		if c := ta.post(t, body, acmeHottok); c != http.StatusOK {
			t.Fatal(c)
		}
		dry, err := ta.syncer.DryRun(ctx, "acme", day, day.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		applied, err := ta.syncer.Apply(ctx, "acme", day, day.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if dry.Events != 4 || applied.Queued != dry.Events {
			t.Fatalf("dry run %d events, apply queued %d: want 4 and 4", dry.Events, applied.Queued)
		}
		again, err := ta.syncer.Apply(ctx, "acme", day, day.Add(24*time.Hour))
		if err != nil || again.Queued != 0 {
			t.Fatalf("second apply: %+v %v", again, err)
		}
		ta.settled(t)
		evs, _ := ta.eng.Events(ctx, webhook.EventQuery{Account: "acme"})
		backfilled := 0
		for _, e := range evs {
			if e.Source == "backfill" {
				backfilled++
			}
		}
		if backfilled != 4 || len(ta.beta.list()) != 0 {
			t.Fatalf("%d backfill events (beta ran %v)", backfilled, ta.beta.list())
		}
	})
}

// Three processes on one database: each account's sync runs once per
// interval, not once per process.
func TestAccountsSyncOnceAcrossReplicas(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		if strings.HasPrefix(dbURL, "sqlite:") {
			t.Skip("replicas share PostgreSQL; SQLite is one process")
		}
		var (
			mu   sync.Mutex
			runs int
		)
		sales := &salesList{}
		sales.set("acme", accounts.Sale{Transaction: "HPR", Status: "APPROVED", OrderDate: time.Now().Add(-time.Hour), Price: "1", Currency: "BRL"})
		reg, err := accounts.NewRegistry(&accounts.Account{ID: "acme", Hottoks: []string{acmeHottok}, Hotmart: &accounts.HotmartCredentials{ClientID: "a"}})
		if err != nil {
			t.Fatal(err)
		}
		rec := &acctRecorder{}
		const interval = 2 * time.Second
		for range 3 {
			eng := open(t, dbURL, webhook.ByAccount(map[string]webhook.Processor{"acme": rec}))
			s, err := accounts.NewSyncer(reg, sales, syncStore{eng.AccountStore()})
			if err != nil {
				t.Fatal(err)
			}
			count := func(*accounts.SyncReport) { mu.Lock(); runs++; mu.Unlock() }
			if err := eng.ScheduleSync(run(s, count), []string{"acme"}, interval); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		waitFor(t, 15*time.Second, "the sale to run", func() bool { return len(rec.list()) == 1 })
		time.Sleep(2 * interval)
		mu.Lock()
		n := runs
		mu.Unlock()
		periods := int(time.Since(start)/interval) + 2
		if n < 1 || n > periods {
			t.Fatalf("%d sync runs in %s with three processes, want at most %d (one per interval)", n, time.Since(start), periods)
		}
		if got := rec.list(); len(got) != 1 {
			t.Fatalf("ran %v", got)
		}
	})
}

// The door and a sync racing over the same sales: each (transaction, event
// type) runs once, whichever wins.
func TestAccountsDoorAndSyncRace(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		ta := openTwoAccounts(t, dbURL)
		const n = 40
		var (
			wg     sync.WaitGroup
			events []*hotmart.Event
		)
		now := time.Now().UTC()
		for i := range n {
			tx := "HPRACE" + string(rune('A'+i%26)) + string(rune('a'+i/26))
			s := accounts.Sale{Transaction: tx, Status: "APPROVED", OrderDate: now, Price: "1", Currency: "BRL"}
			ev, err := accounts.SyntheticEvent("acme", s, now)
			if err != nil {
				t.Fatal(err)
			}
			events = append(events, ev)
			body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithTransaction(tx))
			wg.Add(1)
			go func() {
				defer wg.Done()
				if c := ta.post(t, body, acmeHottok); c != http.StatusOK {
					t.Errorf("webhook: %d", c)
				}
			}()
		}
		for lo := 0; lo < n; lo += 5 { // several small syncs, racing with the door
			wg.Add(1)
			go func(evs []*hotmart.Event) {
				defer wg.Done()
				if _, err := ta.eng.AccountStore().Enqueue(ctx, "acme", evs, accounts.SourceSync); err != nil {
					t.Errorf("enqueue: %v", err)
				}
			}(events[lo : lo+5])
		}
		wg.Wait()
		ta.settled(t)
		perTx := map[string]int{}
		evs, _ := ta.eng.Events(ctx, webhook.EventQuery{Account: "acme", Limit: 1000})
		for _, e := range evs {
			if e.State == webhook.StateDone {
				perTx[e.Transaction]++
			}
		}
		if len(perTx) != n {
			t.Fatalf("%d transactions ran, want %d", len(perTx), n)
		}
		for tx, c := range perTx {
			if c != 1 {
				t.Fatalf("%s ran %d times", tx, c)
			}
		}
		if got := len(ta.acme.list()); got != n {
			t.Fatalf("processor ran %d times, want %d", got, n)
		}
	})
}

// A database made before several accounts existed gets the deliveries'
// account column at Open, and records deliveries again.
func TestAccountsMigratesOldDeliveries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE hk_deliveries (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL,
		event_type TEXT NOT NULL, received_at BIGINT NOT NULL, duration_us BIGINT NOT NULL, status INTEGER NOT NULL,
		outcome TEXT NOT NULL, attempt INTEGER NOT NULL, error TEXT NOT NULL, actions TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	e := open(t, "sqlite:"+path, &acctRecorder{})
	h := handler(t, e)
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("old-1"))
	for range 2 {
		rec := httptestRecorder()
		h.ServeHTTP(rec, hotmarttest.NewRequest(body, "test-hottok-1"))
		if rec.Code != http.StatusOK {
			t.Fatal(rec.Code)
		}
	}
	ds, err := e.History().Deliveries(context.Background(), webhook.Query{EventID: "old-1"})
	if err != nil || len(ds) != 2 {
		t.Fatalf("deliveries: %+v %v", ds, err)
	}
}
