package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// fakeProvider accepts any command and counts executions per segmentation;
// fail lists segmentations whose next execution fails.
type fakeProvider struct {
	name string
	mu   sync.Mutex
	runs map[string]int
	fail map[string]int
	pan  bool
}

func newFake(name string) *fakeProvider {
	return &fakeProvider{name: name, runs: map[string]int{}, fail: map[string]int{}}
}

func (f *fakeProvider) Name() string       { return f.name }
func (f *fakeProvider) Commands() []string { return []string{"do"} }
func (f *fakeProvider) CompileAction(cmd string, _ map[string]json.RawMessage) (any, error) {
	if cmd != "do" {
		return nil, &segment.ParamError{Param: "command", Reason: "unknown"}
	}
	return nil, nil
}

func (f *fakeProvider) Execute(_ context.Context, m segment.Match) error {
	if f.pan {
		panic("boom")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	id := m.Segmentation.ID
	if f.fail[id] > 0 {
		f.fail[id]--
		return errors.New("provider down for buyer@example.com")
	}
	f.runs[id]++
	return nil
}

func (f *fakeProvider) count(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.runs[id]
}

const rulesJSON = `{"segmentations": [
 {"id": "a", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "fake", "command": "do"}},
 {"id": "b", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "fake", "command": "do"}},
 {"id": "c", "active": true, "events": ["PURCHASE_REFUNDED"], "action": {"provider": "fake", "command": "do"}}
]}`

func setup(t *testing.T, f *fakeProvider) (*httptest.Server, *webhook.Handler) {
	t.Helper()
	rules, err := segment.ParseRules([]byte(rulesJSON))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := segment.Compile(rules, segment.WithProviders(f))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(prog, pipeline.WithExecutor("fake", f))
	if err != nil {
		t.Fatal(err)
	}
	store, err := webhook.NewMemoryStore()
	if err != nil {
		t.Fatal(err)
	}
	h, err := webhook.New(webhook.WithHottok("hottok-1234"), webhook.WithProcessor(p), webhook.WithStore(store))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, h
}

func post(t *testing.T, url string, body []byte) int {
	t.Helper()
	resp, err := hotmarttest.Post(context.Background(), url, body, "hottok-1234")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRetryRerunsOnlyFailedSegmentations(t *testing.T) {
	f := newFake("fake")
	f.fail["b"] = 1
	srv, h := setup(t, f)
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-1"))

	if got := post(t, srv.URL, body); got != http.StatusInternalServerError {
		t.Fatalf("first delivery: status %d, want 500", got)
	}
	if f.count("a") != 1 || f.count("b") != 0 {
		t.Fatalf("after first: a=%d b=%d", f.count("a"), f.count("b"))
	}
	if got := post(t, srv.URL, body); got != http.StatusOK {
		t.Fatalf("retry: status %d, want 200", got)
	}
	if f.count("a") != 1 || f.count("b") != 1 || f.count("c") != 0 {
		t.Fatalf("after retry: a=%d b=%d c=%d", f.count("a"), f.count("b"), f.count("c"))
	}
	if got := post(t, srv.URL, body); got != http.StatusOK || f.count("a") != 1 || f.count("b") != 1 {
		t.Fatalf("third delivery re-ran actions: status %d a=%d b=%d", got, f.count("a"), f.count("b"))
	}

	ds, err := h.History().Deliveries(context.Background(), webhook.Query{EventID: "ev-1"})
	if err != nil || len(ds) < 2 {
		t.Fatalf("history: %v %d", err, len(ds))
	}
	first := ds[len(ds)-1]
	if len(first.Actions) != 2 || first.Actions[0].Status != pipeline.StatusOK || first.Actions[1].Status != pipeline.StatusFailed {
		t.Fatalf("first attempt actions: %+v", first.Actions)
	}
	if strings.Contains(first.Actions[1].Error, "buyer@example.com") {
		t.Fatalf("e-mail leaked into history: %q", first.Actions[1].Error)
	}
	second := ds[len(ds)-2]
	if len(second.Actions) != 2 || second.Actions[0].Status != pipeline.StatusSkipped || second.Actions[1].Status != pipeline.StatusOK {
		t.Fatalf("second attempt actions: %+v", second.Actions)
	}
}

func TestNoMatchRunsNothing(t *testing.T) {
	f := newFake("fake")
	srv, _ := setup(t, f)
	if got := post(t, srv.URL, hotmarttest.NewEvent(hotmart.EventSwitchPlan)); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if f.count("a")+f.count("b")+f.count("c") != 0 {
		t.Fatal("actions ran for an event no rule names")
	}
}

func TestMissingExecutorRefused(t *testing.T) {
	f := newFake("fake")
	rules, _ := segment.ParseRules([]byte(rulesJSON))
	prog, err := segment.Compile(rules, segment.WithProviders(f))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.New(prog); !errors.Is(err, pipeline.ErrNoExecutor) {
		t.Fatalf("want ErrNoExecutor, got %v", err)
	}
	if _, err := pipeline.New(prog, pipeline.WithExecutor("fake", nil)); err == nil {
		t.Fatal("nil executor accepted")
	}
}

func TestExecutorPanicFailsAction(t *testing.T) {
	f := newFake("fake")
	f.pan = true
	rules, _ := segment.ParseRules([]byte(rulesJSON))
	prog, _ := segment.Compile(rules, segment.WithProviders(f))
	var results []pipeline.Result
	p, err := pipeline.New(prog, pipeline.WithExecutor("fake", f), pipeline.WithObserver(func(r pipeline.Result) { results = append(results, r) }))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Process(context.Background(), ev); err == nil {
		t.Fatal("panic not reported as failure")
	}
	if len(results) != 2 || results[0].Outcome.Status != pipeline.StatusFailed {
		t.Fatalf("results: %+v", results)
	}
}

func TestRunIgnoresSteps(t *testing.T) {
	f := newFake("fake")
	rules, _ := segment.ParseRules([]byte(rulesJSON))
	prog, _ := segment.Compile(rules, segment.WithProviders(f))
	p, _ := pipeline.New(prog, pipeline.WithExecutor("fake", f))
	ev, _ := hotmarttest.NewParsedEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithBuyerEmail("x@example.com"))
	m, ok := prog.MatchFor("a", ev)
	if !ok {
		t.Fatal("MatchFor a")
	}
	for i := 0; i < 2; i++ {
		if o := p.Run(context.Background(), m); o.Status != pipeline.StatusOK || o.Segmentation != "a" || o.Provider != "fake" || o.Command != "do" {
			t.Fatalf("outcome %+v", o)
		}
	}
	if f.count("a") != 2 {
		t.Fatalf("Run should execute each time, got %d", f.count("a"))
	}
}
