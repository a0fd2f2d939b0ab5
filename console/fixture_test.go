package console_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/console"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

const (
	adminToken = "admin-secret-token"
	hottok     = "hottok-for-tests"
	buyerEmail = "maria.silva@example.com"
)

const rulesJSON = `{"segmentations": [
  {"id": "approved-br", "name": "Approved in Brazil → Clientes", "active": true, "events": ["PURCHASE_APPROVED"],
   "conditions": [{"field": "buyer.address.country_iso", "op": "eq", "value": "BR"}],
   "action": {"provider": "leadlovers", "command": "add_lead", "send": ["email", "name"], "machine": 111, "sequence": 222, "level": 1}},
  {"id": "refunds", "name": "Refunded → leave the Clientes list", "active": false, "events": ["PURCHASE_REFUNDED", "PURCHASE_CHARGEBACK"],
   "action": {"provider": "sendpulse", "command": "remove_from_list", "book": 42}}
]}`

// fakeExec records every action it runs; failFor makes it fail for one
// segmentation id.
type fakeExec struct {
	mu      sync.Mutex
	calls   []string // segmentation ids
	failFor string
}

func (f *fakeExec) Execute(_ context.Context, m segment.Match) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, m.Segmentation.ID)
	if m.Segmentation.ID == f.failFor {
		return errors.New("provider said no")
	}
	return nil
}

func (f *fakeExec) setFail(id string) {
	f.mu.Lock()
	f.failFor = id
	f.mu.Unlock()
}

func (f *fakeExec) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == id {
			n++
		}
	}
	return n
}

// deadLog is an EventLog over the simple mode's MemoryEvents plus events
// parked as dead, which Replay moves to done, as durable mode would.
type deadLog struct {
	*webhook.MemoryEvents
	mu   sync.Mutex
	dead map[string]*webhook.EventRecord
}

func (d *deadLog) Events(ctx context.Context, q webhook.EventQuery) ([]webhook.EventRecord, error) {
	out, err := d.MemoryEvents.Events(ctx, q)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.dead {
		if (q.State == "" || q.State == r.State) && (q.Since.IsZero() || !r.ReceivedAt.Before(q.Since)) &&
			(q.Type == "" || q.Type == r.Event) && (q.Transaction == "" || q.Transaction == r.Transaction) &&
			(q.Email == "" || strings.EqualFold(q.Email, r.BuyerEmail)) && (q.Before.IsZero() || r.ReceivedAt.Before(q.Before)) {
			out = append(out, *r)
		}
	}
	slices.SortFunc(out, func(a, b webhook.EventRecord) int { return b.ReceivedAt.Compare(a.ReceivedAt) })
	return out, nil
}

func (d *deadLog) Event(ctx context.Context, id string) (webhook.EventRecord, error) {
	d.mu.Lock()
	r, ok := d.dead[id]
	d.mu.Unlock()
	if ok {
		return *r, nil
	}
	return d.MemoryEvents.Event(ctx, id)
}

func (d *deadLog) Replay(ctx context.Context, id string) (webhook.EventRecord, error) {
	d.mu.Lock()
	r, ok := d.dead[id]
	if ok {
		r.State, r.Attempts, r.LastError = webhook.StateDone, 1, ""
		r.Actions = []webhook.ActionOutcome{{Segmentation: "approved-br", Provider: "leadlovers", Command: "add_lead", Status: "ok"}}
		rec := *r
		d.mu.Unlock()
		return rec, nil
	}
	d.mu.Unlock()
	return d.MemoryEvents.Replay(ctx, id)
}

func (d *deadLog) addDead(id string) {
	ev, err := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(id),
		hotmarttest.WithBuyerEmail("dead.buyer@example.com"), hotmarttest.WithTransaction("HP99"+id))
	if err != nil {
		panic(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dead[id] = &webhook.EventRecord{
		EventID: id, Event: ev.Type, Source: webhook.SourceWebhook, Transaction: "HP99" + id,
		CreatedAt: ev.CreatedAt, ReceivedAt: time.Now().Add(-time.Hour), State: webhook.StateDead, Attempts: 25,
		LastError: "segmentation \"approved-br\": provider said no", BuyerEmail: "dead.buyer@example.com", Payload: ev.Raw,
		Actions: []webhook.ActionOutcome{{Segmentation: "approved-br", Provider: "leadlovers", Command: "add_lead", Status: "failed", Error: "provider said no"}},
	}
}

// logBuf collects the console's log lines.
type logBuf struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type fixture struct {
	srv   *httptest.Server
	exec  *fakeExec
	rules *pipeline.MemoryRules
	log   *deadLog
	logs  *logBuf
	pl    *pipeline.Pipeline
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	rules, err := segment.ParseRules([]byte(rulesJSON))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{exec: &fakeExec{}, rules: pipeline.NewMemoryRules(rules), logs: &logBuf{}}
	copts := []segment.Option{segment.AllowUnknownProviders()}
	f.pl, err = pipeline.New(nil, pipeline.WithRuleStore(f.rules, copts...), pipeline.WithExecutor("leadlovers", f.exec), pipeline.WithExecutor("sendpulse", f.exec))
	if err != nil {
		t.Fatal(err)
	}
	mem, err := webhook.NewMemoryEvents(100)
	if err != nil {
		t.Fatal(err)
	}
	f.log = &deadLog{MemoryEvents: mem, dead: map[string]*webhook.EventRecord{}}
	hist, err := webhook.NewMemoryHistory(100)
	if err != nil {
		t.Fatal(err)
	}
	store, err := webhook.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	wh, err := webhook.New(webhook.WithHottok(hottok), webhook.WithProcessor(mem.Wrap(f.pl, store)),
		webhook.WithStore(store), webhook.WithHistory(hist))
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(f.logs, nil))
	c, err := console.New(adminToken, console.WithPrefix("/admin"), console.WithEvents(f.log), console.WithHistory(hist),
		console.WithRules(f.rules, copts...), console.WithPipeline(f.pl), console.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", c)
	mux.Handle("/hotmart/webhook", wh)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// post sends an event to the webhook and returns the status answered.
func (f *fixture) post(t testing.TB, typ hotmart.EventType, opts ...hotmarttest.EventOption) int {
	t.Helper()
	body := hotmarttest.NewEvent(typ, opts...)
	resp, err := hotmarttest.Post(context.Background(), f.srv.URL+"/hotmart/webhook", body, hottok)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
