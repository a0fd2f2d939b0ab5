package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
)

var t0 = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

type syncFixture struct {
	reg   *accounts.Registry
	sales *fakeSales
	store *fakeStore
	clock *clock
	sync  *accounts.Syncer
}

func newSyncFixture(t *testing.T, opts ...accounts.SyncOption) *syncFixture {
	t.Helper()
	f := &syncFixture{
		reg:   registry(t, account(t, "acme", "acme-hottok-1"), account(t, "beta", "beta-hottok-1")),
		sales: &fakeSales{},
		store: newStore(),
		clock: &clock{now: t0},
	}
	f.sync = f.newSyncer(t, opts...)
	return f
}

func (f *syncFixture) newSyncer(t *testing.T, opts ...accounts.SyncOption) *accounts.Syncer {
	t.Helper()
	s, err := accounts.NewSyncer(f.reg, f.sales, f.store, append([]accounts.SyncOption{accounts.WithClock(f.clock.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (f *syncFixture) run(t *testing.T, account string) *accounts.SyncReport {
	t.Helper()
	rep, err := f.sync.Run(context.Background(), account)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSyncFirstRunWindow(t *testing.T) {
	f := newSyncFixture(t)
	rep := f.run(t, "acme")
	if !rep.FirstRun || !rep.From.Equal(t0.Add(-7*24*time.Hour)) || !rep.To.Equal(t0) {
		t.Errorf("first run = [%s, %s) first=%t; want the last 7 days", rep.From, rep.To, rep.FirstRun)
	}
	if len(f.sales.queries) != 1 || !f.sales.queries[0].From.Equal(rep.From) || !f.sales.queries[0].To.Equal(t0) {
		t.Errorf("queries = %+v", f.sales.queries)
	}
	cp := f.store.cps["acme"]
	if !cp.Start.Equal(rep.From) || !cp.Through.Equal(t0) {
		t.Errorf("checkpoint = %+v", cp)
	}
	if _, ok := f.store.cps["beta"]; ok {
		t.Errorf("running acme moved beta's checkpoint")
	}
}

func TestSyncWindowOverlap(t *testing.T) {
	day := 24 * time.Hour
	f := newSyncFixture(t, accounts.WithOverlap(2*day))
	s := f.sync
	for _, tc := range []struct {
		name     string
		cp       accounts.Checkpoint
		ok       bool
		now      time.Time
		from, to time.Time
	}{
		{"first run", accounts.Checkpoint{}, false, t0, t0.Add(-7 * day), t0},
		{"overlap before the checkpoint", accounts.Checkpoint{Start: t0.Add(-30 * day), Through: t0.Add(-time.Hour)}, true,
			t0, t0.Add(-time.Hour - 2*day), t0},
		{"never before the first window's start", accounts.Checkpoint{Start: t0.Add(-day), Through: t0.Add(-time.Hour)}, true,
			t0, t0.Add(-day), t0},
		{"after downtime", accounts.Checkpoint{Start: t0.Add(-60 * day), Through: t0.Add(-10 * day)}, true,
			t0, t0.Add(-12 * day), t0},
		{"clock went back", accounts.Checkpoint{Start: t0.Add(-30 * day), Through: t0.Add(time.Hour)}, true,
			t0, t0.Add(-2 * day), t0},
		{"no start stored", accounts.Checkpoint{Through: t0.Add(-time.Hour)}, true,
			t0, t0.Add(-time.Hour - 2*day), t0},
		{"an empty checkpoint is none", accounts.Checkpoint{}, true, t0, t0.Add(-7 * day), t0},
	} {
		from, to := s.Window(tc.cp, tc.ok, tc.now)
		if !from.Equal(tc.from) || !to.Equal(tc.to) {
			t.Errorf("%s: window [%s, %s), want [%s, %s)", tc.name, from, to, tc.from, tc.to)
		}
	}
}

// TestSyncQueuesGaps: a sale only the REST API knows gets its event; one
// the webhook delivered does not; statuses that imply nothing queue nothing.
func TestSyncQueuesGaps(t *testing.T) {
	f := newSyncFixture(t)
	order := t0.Add(-2 * time.Hour)
	f.sales.set("acme",
		sale("HP0001", "APPROVED", order),        // webhook delivered
		sale("HP0002", "APPROVED", order),        // webhook lost
		sale("HP0003", "REFUNDED", order),        // refund only sync sees
		sale("HP0004", "WAITING_PAYMENT", order), // no event
		sale("HP0005", "OVERDUE", order),
		accounts.Sale{Transaction: "", Status: "APPROVED", OrderDate: order}, // invalid
	)
	f.store.webhook("acme", "HP0001", hotmart.EventPurchaseApproved)
	f.store.webhook("acme", "HP0003", hotmart.EventPurchaseApproved) // approved earlier, refund missed
	rep := f.run(t, "acme")
	want := []string{"acme:sync:acme:HP0002:APPROVED", "acme:sync:acme:HP0003:REFUNDED", "acme:sync:acme:HP0005:OVERDUE"}
	if got := f.store.ids(); !slices.Equal(got, want) {
		t.Fatalf("queued %v, want %v", got, want)
	}
	for _, id := range want {
		q := f.store.events[id]
		if q.source != accounts.SourceSync || !q.event.CreatedAt.Equal(t0) || q.account != "acme" {
			t.Errorf("%s: source %q created %s account %q", id, q.source, q.event.CreatedAt, q.account)
		}
	}
	if f.store.events[want[2]].event.Type != hotmart.EventPurchaseDelayed {
		t.Errorf("OVERDUE queued %s", f.store.events[want[2]].event.Type)
	}
	if rep.Queued != 3 || rep.Sales != 6 || rep.Known != 1 || rep.NoEvent != 1 || rep.Invalid != 1 || rep.Planned != 3 || rep.Calls != 1 {
		t.Errorf("report = %+v", rep.Stats)
	}
	if len(rep.InvalidSales) != 1 || rep.InvalidSales[0].Field != "transaction" {
		t.Errorf("invalid sales = %v", rep.InvalidSales)
	}
}

// TestSyncIdempotent: a second run, and a run after a restart (a new
// Syncer over the same store), queue nothing new; a status change does.
func TestSyncIdempotent(t *testing.T) {
	f := newSyncFixture(t)
	order := t0.Add(-time.Hour)
	f.sales.set("acme", sale("HP0001", "APPROVED", order), sale("HP0002", "PRINTED_BILLET", order))
	if rep := f.run(t, "acme"); rep.Queued != 2 {
		t.Fatalf("first run queued %d", rep.Queued)
	}
	f.clock.advance(15 * time.Minute)
	if rep := f.run(t, "acme"); rep.Queued != 0 || rep.Known != 2 || rep.FirstRun {
		t.Fatalf("second run = %+v, want nothing queued", rep)
	}
	f.sync = f.newSyncer(t) // restart
	f.clock.advance(15 * time.Minute)
	f.sales.set("acme", sale("HP0001", "REFUNDED", order), sale("HP0002", "EXPIRED", order))
	rep := f.run(t, "acme")
	if rep.Queued != 2 || !rep.From.Equal(t0.Add(-7*24*time.Hour)) {
		t.Fatalf("after restart = %+v", rep)
	}
	want := []string{"acme:sync:acme:HP0001:APPROVED", "acme:sync:acme:HP0002:PRINTED_BILLET",
		"acme:sync:acme:HP0001:REFUNDED", "acme:sync:acme:HP0002:EXPIRED"}
	if got := f.store.ids(); !slices.Equal(got, want) {
		t.Errorf("queued %v, want %v", got, want)
	}
}

// TestSyncNoDoubles: a (transaction, type) the webhook delivered is never
// queued by sync, and one sync queued is known to the next run whatever
// arrives in between.
func TestSyncNoDoubles(t *testing.T) {
	f := newSyncFixture(t)
	order := t0.Add(-time.Hour)
	f.sales.set("acme", sale("HP0001", "APPROVED", order))
	// Webhook first, then sync.
	f.store.webhook("acme", "HP0001", hotmart.EventPurchaseApproved)
	if rep := f.run(t, "acme"); rep.Queued != 0 {
		t.Fatalf("sync after the webhook queued %d", rep.Queued)
	}
	// Sync first, then the same sale listed twice in one run.
	f.sales.set("acme", sale("HP0002", "APPROVED", order), sale("HP0002", "APPROVED", order))
	f.clock.advance(time.Minute)
	if rep := f.run(t, "acme"); rep.Queued != 1 || rep.Known != 1 {
		t.Fatalf("a sale listed twice: %+v", rep.Stats)
	}
}

// TestSyncIsolation: each account's sales become that account's events.
func TestSyncIsolation(t *testing.T) {
	f := newSyncFixture(t)
	order := t0.Add(-time.Hour)
	f.sales.set("acme", sale("HP0001", "APPROVED", order))
	f.sales.set("beta", sale("HP0001", "APPROVED", order)) // the same code in another account
	f.store.webhook("acme", "HP0001", hotmart.EventPurchaseApproved)
	f.run(t, "acme")
	f.run(t, "beta")
	if got := f.store.ids(); !slices.Equal(got, []string{"beta:sync:beta:HP0001:APPROVED"}) {
		t.Errorf("queued %v: acme's webhook must not cover beta's sale", got)
	}
	if f.store.events["beta:sync:beta:HP0001:APPROVED"].account != "beta" {
		t.Errorf("beta's event queued under another account")
	}
}

// TestSyncCheckpointAfterEnqueue: a run whose queueing or listing fails
// leaves the checkpoint where it was, so the next run covers the window
// again.
func TestSyncCheckpointAfterEnqueue(t *testing.T) {
	f := newSyncFixture(t)
	f.sales.set("acme", sale("HP0001", "APPROVED", t0.Add(-time.Hour)))
	f.store.failEnqueue = errBoom
	if _, err := f.sync.Run(context.Background(), "acme"); !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
	if _, ok := f.store.cps["acme"]; ok {
		t.Fatalf("checkpoint stored although queueing failed")
	}
	f.store.failEnqueue = nil
	f.sales.fail = errBoom
	if _, err := f.sync.Run(context.Background(), "acme"); !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
	if _, ok := f.store.cps["acme"]; ok {
		t.Fatalf("checkpoint stored although listing failed")
	}
	f.sales.fail = nil
	f.store.failPut = errBoom
	if rep, err := f.sync.Run(context.Background(), "acme"); !errors.Is(err, errBoom) || rep.Queued != 1 {
		t.Fatalf("put failure: %v, %+v", err, rep)
	}
	f.store.failPut = nil
	rep := f.run(t, "acme")
	if !rep.FirstRun || rep.Queued != 0 || rep.Known != 1 {
		t.Errorf("retry = %+v", rep)
	}
	if cp := f.store.cps["acme"]; !cp.Through.Equal(t0) {
		t.Errorf("checkpoint = %+v", cp)
	}
}

// TestSyncCost counts REST calls: pages of 500, so 2 calls per 1,000 sales
// plus one for the last, partial page.
func TestSyncCost(t *testing.T) {
	f := newSyncFixture(t)
	f.sales.pageSize = 500
	var list []accounts.Sale
	for i := range 1200 {
		status := "APPROVED"
		if i%3 == 0 {
			status = "COMPLETE"
		}
		list = append(list, sale(fmt.Sprintf("HP%06d", i), status, t0.Add(-time.Duration(i+1)*time.Minute)))
	}
	f.sales.set("acme", list...)
	rep := f.run(t, "acme")
	if rep.Calls != 3 || rep.Sales != 1200 || rep.Queued != 1200 {
		t.Fatalf("report = %+v", rep.Stats)
	}
	if got := rep.CallsPer1000Sales(); got != 2.5 {
		t.Errorf("calls per 1000 sales = %v", got)
	}
	if tokens := []string{f.sales.queries[1].PageToken, f.sales.queries[2].PageToken}; !slices.Equal(tokens, []string{"p500", "p1000"}) {
		t.Errorf("page tokens = %v", tokens)
	}
	if got := (accounts.Stats{Calls: 1}).CallsPer1000Sales(); got != 1 {
		t.Errorf("no sales: %v", got)
	}
}

// TestSyncSlices: a long window is listed in slices that tile it.
func TestSyncSlices(t *testing.T) {
	day := 24 * time.Hour
	f := newSyncFixture(t, accounts.WithFirstWindow(70*day), accounts.WithSliceLength(31*day))
	f.sales.set("acme", sale("HP1", "APPROVED", t0.Add(-69*day)), sale("HP2", "APPROVED", t0.Add(-time.Minute)))
	rep := f.run(t, "acme")
	if rep.Calls != 3 || rep.Queued != 2 {
		t.Fatalf("report = %+v", rep.Stats)
	}
	q := f.sales.queries
	if !q[0].From.Equal(t0.Add(-70*day)) || !q[2].To.Equal(t0) {
		t.Errorf("slices do not cover the window: %+v", q)
	}
	for i := 1; i < len(q); i++ {
		if !q[i].From.Equal(q[i-1].To) || q[i].To.Sub(q[i].From) > 31*day {
			t.Errorf("slice %d = [%s, %s)", i, q[i].From, q[i].To)
		}
	}
}

type loopingSales struct{ calls int }

func (l *loopingSales) ListSales(context.Context, *accounts.Account, accounts.SalesQuery) (*accounts.SalesPage, error) {
	l.calls++
	return &accounts.SalesPage{NextPageToken: "again"}, nil
}

type endlessSales struct{ calls int }

func (l *endlessSales) ListSales(context.Context, *accounts.Account, accounts.SalesQuery) (*accounts.SalesPage, error) {
	l.calls++
	return &accounts.SalesPage{NextPageToken: fmt.Sprint(l.calls)}, nil
}

func TestSyncStopsRunawayPaging(t *testing.T) {
	reg := registry(t, account(t, "acme", "acme-hottok-1"))
	loop := &loopingSales{}
	s, _ := accounts.NewSyncer(reg, loop, newStore())
	if _, err := s.Run(context.Background(), "acme"); err == nil || loop.calls != 2 {
		t.Errorf("a repeating page token: err %v after %d calls", err, loop.calls)
	}
	endless := &endlessSales{}
	s, _ = accounts.NewSyncer(reg, endless, newStore(), accounts.WithMaxPages(5))
	if _, err := s.Run(context.Background(), "acme"); err == nil || endless.calls != 5 {
		t.Errorf("endless pages: err %v after %d calls", err, endless.calls)
	}
}

func TestSyncAccounts(t *testing.T) {
	plain := account(t, "plain", "plain-hottok-1")
	plain.Hotmart = nil
	reg := registry(t, account(t, "acme", "acme-hottok-1"), plain)
	s, err := accounts.NewSyncer(reg, &fakeSales{}, newStore())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Run(context.Background(), "plain"); !errors.Is(err, accounts.ErrNotSynced) {
		t.Errorf("account without hotmart credentials: %v", err)
	}
	if _, err := s.Run(context.Background(), "nobody"); !errors.Is(err, accounts.ErrUnknownAccount) {
		t.Errorf("unknown account: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Run(ctx, "acme"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestNewSyncerRefuses(t *testing.T) {
	reg := registry(t, account(t, "acme", "acme-hottok-1"))
	if _, err := accounts.NewSyncer(nil, &fakeSales{}, newStore()); err == nil {
		t.Error("nil registry accepted")
	}
	if _, err := accounts.NewSyncer(reg, nil, newStore()); err == nil {
		t.Error("nil sales source accepted")
	}
	if _, err := accounts.NewSyncer(reg, &fakeSales{}, nil); err == nil {
		t.Error("nil store accepted")
	}
	for name, opt := range map[string]accounts.SyncOption{
		"nil clock":        accounts.WithClock(nil),
		"negative overlap": accounts.WithOverlap(-time.Second),
		"zero window":      accounts.WithFirstWindow(0),
		"tiny slice":       accounts.WithSliceLength(time.Minute),
		"zero pages":       accounts.WithMaxPages(0),
		"nil program":      accounts.WithProgram(nil),
		"nil option":       nil,
	} {
		if _, err := accounts.NewSyncer(reg, &fakeSales{}, newStore(), opt); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

func TestPlanEvents(t *testing.T) {
	store := newStore()
	store.webhook("acme", "HP2", hotmart.EventPurchaseApproved)
	order := t0.Add(-time.Hour)
	sales := []accounts.Sale{
		sale("HP1", "APPROVED", order), sale("HP1", "APPROVED", order), // listed twice
		sale("HP2", "APPROVED", order), // known
		sale("HP3", "STARTED", order),  // no event
		sale("HP4", "CHARGEBACK", order),
	}
	plan, err := accounts.PlanEvents(context.Background(), store, "acme", sales, t0)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range plan.Events {
		ids = append(ids, e.ID)
	}
	if !slices.Equal(ids, []string{"sync:acme:HP1:APPROVED", "sync:acme:HP4:CHARGEBACK"}) ||
		!slices.Equal(plan.Transactions, []string{"HP1", "HP4"}) {
		t.Errorf("planned %v %v", ids, plan.Transactions)
	}
	if plan.Sales != 5 || plan.Known != 2 || plan.NoEvent != 1 || len(plan.Invalid) != 0 {
		t.Errorf("plan = %+v", plan)
	}
	// Planning is pure: the same input plans the same events again.
	again, _ := accounts.PlanEvents(context.Background(), store, "acme", sales, t0)
	if len(again.Events) != 2 || again.Events[0].ID != plan.Events[0].ID || !again.Events[1].CreatedAt.Equal(t0) {
		t.Errorf("planning again differs")
	}
	if _, err := accounts.PlanEvents(context.Background(), nil, "acme", sales, t0); err == nil {
		t.Errorf("nil Known accepted")
	}
}

type failingKnown struct{}

func (failingKnown) HasEvent(context.Context, string, string, hotmart.EventType) (bool, error) {
	return false, errBoom
}

func TestPlanEventsKnownFails(t *testing.T) {
	_, err := accounts.PlanEvents(context.Background(), failingKnown{}, "acme",
		[]accounts.Sale{sale("HP1", "APPROVED", t0)}, t0)
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v", err)
	}
}

// batchStore answers Known questions a page at a time.
type batchStore struct {
	*fakeStore
	batches [][]accounts.EventKey
}

func (b *batchStore) KnownEvents(_ context.Context, account string, keys []accounts.EventKey) (map[accounts.EventKey]bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.batches = append(b.batches, slices.Clone(keys))
	out := map[accounts.EventKey]bool{}
	for _, k := range keys {
		if b.byTx[txKey(account, k.Transaction, k.Type)] {
			out[k] = true
		}
	}
	return out, nil
}

// TestSyncBatchKnown: a store that answers in batches is asked once per
// page, never once per sale, and the outcome is the same.
func TestSyncBatchKnown(t *testing.T) {
	store := &batchStore{fakeStore: newStore()}
	sales := &fakeSales{pageSize: 3}
	var list []accounts.Sale
	for i := range 7 {
		list = append(list, sale(fmt.Sprintf("HP%d", i), "APPROVED", t0.Add(-time.Hour)))
	}
	list = append(list, sale("HP0", "APPROVED", t0.Add(-time.Hour)), sale("HP9", "STARTED", t0.Add(-time.Hour)))
	sales.set("acme", list...)
	store.webhook("acme", "HP1", hotmart.EventPurchaseApproved)
	s, err := accounts.NewSyncer(registry(t, account(t, "acme", "acme-hottok-1")), sales, store, accounts.WithClock(func() time.Time { return t0 }))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Run(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if store.hasCalls != 0 || len(store.batches) != 3 || rep.Calls != 3 {
		t.Errorf("HasEvent calls %d, batches %d, pages %d", store.hasCalls, len(store.batches), rep.Calls)
	}
	if rep.Queued != 6 || rep.Known != 2 || rep.NoEvent != 1 {
		t.Errorf("report = %+v", rep.Stats)
	}
	// The third page holds HP6, a repeat of HP0 and a status with no
	// event: only HP6 is asked about.
	if got := len(store.batches[2]); got != 1 {
		t.Errorf("third batch has %d keys, want 1", got)
	}
}
