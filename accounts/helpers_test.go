package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// files is an in-memory file system for rules files.
type files map[string]string

func (f files) read(path string) ([]byte, error) {
	s, ok := f[path]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return []byte(s), nil
}

// env is a fake environment.
type env map[string]string

func (e env) get(name string) (string, bool) {
	v, ok := e[name]
	return v, ok
}

const goodRules = `{"segmentations": [
  {"id": "approved", "active": true, "events": ["PURCHASE_APPROVED", "PURCHASE_COMPLETE"],
   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 2, "level": 1}},
  {"id": "refunded", "active": true, "events": ["PURCHASE_REFUNDED"],
   "action": {"provider": "leadlovers", "command": "remove_lead", "machine": 1}},
  {"id": "brl-over-100", "active": true, "events": ["PURCHASE_APPROVED"],
   "conditions": [{"field": "purchase.price.currency", "op": "eq", "value": "BRL"},
                  {"field": "purchase.price.value", "op": "gt", "value": 100}],
   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 3, "sequence": 4, "level": 1}},
  {"id": "off", "events": ["PURCHASE_APPROVED"],
   "action": {"provider": "leadlovers", "command": "add_lead", "machine": 5, "sequence": 6, "level": 1}}
]}`

// load loads an accounts file against the fake file system and
// environment, with providers left unchecked.
func load(t testing.TB, file string, fsys files, e env) (*accounts.Config, error) {
	t.Helper()
	if fsys == nil {
		fsys = files{}
	}
	return accounts.Load(strings.NewReader(file), e.get,
		accounts.WithBaseDir("/cfg"),
		accounts.WithReadFile(fsys.read),
		accounts.WithCompileOptions(segment.AllowUnknownProviders()))
}

// account builds a synced account in code.
func account(t testing.TB, id string, hottoks ...string) *accounts.Account {
	t.Helper()
	rules, err := segment.ParseRules([]byte(goodRules))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	return &accounts.Account{
		ID: id, Hottoks: hottoks, Rules: rules, Program: prog,
		Hotmart: &accounts.HotmartCredentials{ClientID: "cid", ClientSecret: "csecret"},
	}
}

func registry(t testing.TB, accts ...*accounts.Account) *accounts.Registry {
	t.Helper()
	r, err := accounts.NewRegistry(accts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fakeSales serves each account's sales, filtered by order date, in pages.
type fakeSales struct {
	mu       sync.Mutex
	pageSize int
	sales    map[string][]accounts.Sale
	queries  []accounts.SalesQuery
	fail     error // returned by every call when set
}

func (f *fakeSales) ListSales(_ context.Context, a *accounts.Account, q accounts.SalesQuery) (*accounts.SalesPage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, q)
	if f.fail != nil {
		return nil, f.fail
	}
	var in []accounts.Sale
	for _, s := range f.sales[a.ID] {
		if !s.OrderDate.Before(q.From) && s.OrderDate.Before(q.To) {
			in = append(in, s)
		}
	}
	size := f.pageSize
	if size <= 0 {
		size = 500
	}
	start := 0
	if q.PageToken != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(q.PageToken, "p"))
	}
	end := min(start+size, len(in))
	page := &accounts.SalesPage{Sales: in[start:end]}
	if end < len(in) {
		page.NextPageToken = "p" + strconv.Itoa(end)
	}
	return page, nil
}

func (f *fakeSales) set(account string, sales ...accounts.Sale) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sales == nil {
		f.sales = map[string][]accounts.Sale{}
	}
	f.sales[account] = sales
}

// queuedEvent is one event the fake store holds.
type queuedEvent struct {
	account string
	event   *hotmart.Event
	source  string
	tx      string
}

// fakeStore is the host's database: events by scoped id, and by
// (account, transaction, type), and checkpoints.
type fakeStore struct {
	mu          sync.Mutex
	events      map[string]*queuedEvent
	order       []string
	byTx        map[string]bool
	cps         map[string]accounts.Checkpoint
	failEnqueue error
	failPut     error
	hasCalls    int
}

func newStore() *fakeStore {
	return &fakeStore{events: map[string]*queuedEvent{}, byTx: map[string]bool{}, cps: map[string]accounts.Checkpoint{}}
}

func txKey(account, tx string, t hotmart.EventType) string {
	return account + "\x00" + tx + "\x00" + string(t)
}

func (s *fakeStore) HasEvent(_ context.Context, account, tx string, t hotmart.EventType) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hasCalls++
	return s.byTx[txKey(account, tx, t)], nil
}

// webhook records an event that arrived by webhook.
func (s *fakeStore) webhook(account, tx string, t hotmart.EventType) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byTx[txKey(account, tx, t)] = true
}

func (s *fakeStore) Enqueue(_ context.Context, account string, events []*hotmart.Event, source string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failEnqueue != nil {
		return 0, s.failEnqueue
	}
	n := 0
	for _, e := range events {
		id := accounts.Scope(account, e.ID)
		if _, dup := s.events[id]; dup {
			continue
		}
		p, err := e.Purchase()
		if err != nil {
			return n, fmt.Errorf("event %s: %w", e.ID, err)
		}
		s.events[id] = &queuedEvent{account: account, event: e, source: source, tx: p.Purchase.Transaction}
		s.order = append(s.order, id)
		s.byTx[txKey(account, p.Purchase.Transaction, e.Type)] = true
		n++
	}
	return n, nil
}

func (s *fakeStore) GetCheckpoint(_ context.Context, account string) (accounts.Checkpoint, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp, ok := s.cps[account]
	return cp, ok, nil
}

func (s *fakeStore) PutCheckpoint(_ context.Context, account string, cp accounts.Checkpoint) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failPut != nil {
		return s.failPut
	}
	s.cps[account] = cp
	return nil
}

func (s *fakeStore) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.order)
}

// clock is a settable clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var errBoom = errors.New("boom")

// sale builds a sale ordered at order.
func sale(tx, status string, order time.Time) accounts.Sale {
	return accounts.Sale{
		Transaction: tx, Status: status,
		ProductID: "4062912", ProductName: "Curso de Excel",
		BuyerEmail: "ana@example.com", BuyerName: "Ana Souza",
		Price: "150.60", Currency: "BRL",
		OrderDate: order, ApprovedDate: order.Add(time.Minute),
		PaymentType: "CREDIT_CARD", Installments: 3, OfferCode: "n82b9jqz",
	}
}
