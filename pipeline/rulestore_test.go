package pipeline_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
)

func storeRules(t *testing.T) segment.Rules {
	t.Helper()
	r, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "a", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "fake", "command": "do"}},
	  {"id": "b", "active": false, "events": ["PURCHASE_APPROVED"], "action": {"provider": "fake", "command": "do"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMemoryRules(t *testing.T) {
	ctx := context.Background()
	rules := storeRules(t)
	m := pipeline.NewMemoryRules(rules)
	v0, _ := m.Version(ctx)

	// The store holds copies: changing what went in or came out changes nothing.
	rules.Segmentations[0].Events[0] = "MUTATED"
	got, _ := m.Segmentations(ctx)
	got[1].Events[0] = "MUTATED"
	again, _ := m.Segmentations(ctx)
	if again[0].Events[0] != hotmart.EventPurchaseApproved || again[1].Events[0] != hotmart.EventPurchaseApproved {
		t.Fatal("the store shares memory with its callers")
	}

	if err := m.SetActive(ctx, "b", true); err != nil {
		t.Fatal(err)
	}
	v1, _ := m.Version(ctx)
	if v1 == v0 {
		t.Fatal("SetActive did not move the version")
	}
	c := again[0]
	c.ID = "c"
	if err := m.PutSegmentation(ctx, c); err != nil {
		t.Fatal(err)
	}
	c.Name = "renamed"
	if err := m.PutSegmentation(ctx, c); err != nil {
		t.Fatal(err)
	}
	if err := m.DeleteSegmentation(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	segs, _ := m.Segmentations(ctx)
	var ids []string
	for _, s := range segs {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "b,c" || !segs[0].Active || segs[1].Name != "renamed" {
		t.Fatalf("after changes: %+v", segs)
	}
	for _, err := range []error{m.DeleteSegmentation(ctx, "a"), m.SetActive(ctx, "zz", true)} {
		if !errors.Is(err, pipeline.ErrSegmentationNotFound) {
			t.Errorf("unknown id: %v, want ErrSegmentationNotFound", err)
		}
	}
	v2, _ := m.Version(ctx)
	if v2 != v1+3 {
		t.Errorf("version %d after 3 more writes from %d", v2, v1)
	}
}

// countingStore counts Segmentations calls, to see that a pipeline reads
// the rules only when the version moved.
type countingStore struct {
	*pipeline.MemoryRules
	mu    sync.Mutex
	reads int
	err   error
}

func (c *countingStore) Segmentations(ctx context.Context) ([]segment.Segmentation, error) {
	c.mu.Lock()
	c.reads++
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return c.MemoryRules.Segmentations(ctx)
}

func TestPipelineFollowsRuleStore(t *testing.T) {
	ctx := context.Background()
	f := newFake("fake")
	store := &countingStore{MemoryRules: pipeline.NewMemoryRules(storeRules(t))}
	copts := []segment.Option{segment.WithProviders(f)}
	p, err := pipeline.New(nil, pipeline.WithRuleStore(store, copts...), pipeline.WithExecutor("fake", f))
	if err != nil {
		t.Fatal(err)
	}
	if p.RuleStore() != store {
		t.Fatal("RuleStore() does not return the store")
	}
	ev, _ := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved)
	for range 3 {
		if err := p.Process(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if f.count("a") != 3 || f.count("b") != 0 || store.reads != 1 {
		t.Fatalf("runs a=%d b=%d, reads %d", f.count("a"), f.count("b"), store.reads)
	}
	// Switch a off and b on: the next event sees it.
	_ = store.SetActive(ctx, "a", false)
	_ = store.SetActive(ctx, "b", true)
	if err := p.Process(ctx, ev); err != nil {
		t.Fatal(err)
	}
	if f.count("a") != 3 || f.count("b") != 1 || store.reads != 2 {
		t.Fatalf("after the switch: runs a=%d b=%d, reads %d", f.count("a"), f.count("b"), store.reads)
	}
	// A store that cannot be read fails the event rather than run old rules.
	store.err = errors.New("database down")
	_ = store.SetActive(ctx, "a", true)
	if err := p.Process(ctx, ev); err == nil || !strings.Contains(err.Error(), "database down") {
		t.Fatalf("Process with a broken store: %v", err)
	}
	if f.count("a") != 3 {
		t.Fatal("an action ran on rules that could not be read")
	}
}

func TestWithRuleStoreOptions(t *testing.T) {
	f := newFake("fake")
	if _, err := pipeline.New(nil, pipeline.WithRuleStore(nil)); err == nil {
		t.Error("nil store accepted")
	}
	store := pipeline.NewMemoryRules(storeRules(t))
	if _, err := pipeline.New(nil, pipeline.WithRuleStore(store), pipeline.WithRuleStore(store)); err == nil {
		t.Error("two stores accepted")
	}
	if _, err := pipeline.New(nil); err == nil {
		t.Error("nil program without a store accepted")
	}
	// An active rule whose provider has no executor is refused at New.
	if _, err := pipeline.New(nil, pipeline.WithRuleStore(store, segment.WithProviders(f))); !errors.Is(err, pipeline.ErrNoExecutor) {
		t.Errorf("missing executor: %v", err)
	}
}

func TestCheckProgram(t *testing.T) {
	f := newFake("fake")
	prog, err := segment.Compile(storeRules(t), segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(prog, pipeline.WithExecutor("fake", f))
	if err != nil {
		t.Fatal(err)
	}
	other := storeRules(t)
	other.Segmentations[0].Action.Provider = "elsewhere"
	prog2, _ := segment.Compile(other, segment.AllowUnknownProviders())
	if err := p.CheckProgram(prog2); !errors.Is(err, pipeline.ErrNoExecutor) {
		t.Fatalf("CheckProgram = %v", err)
	}
	if p.Program() != prog {
		t.Fatal("CheckProgram swapped the program")
	}
	if err := p.CheckProgram(prog); err != nil {
		t.Fatal(err)
	}
}

func TestTestRunsOneSegmentation(t *testing.T) {
	ctx := context.Background()
	f := newFake("fake")
	store := pipeline.NewMemoryRules(storeRules(t))
	p, err := pipeline.New(nil, pipeline.WithRuleStore(store, segment.WithProviders(f)), pipeline.WithExecutor("fake", f))
	if err != nil {
		t.Fatal(err)
	}
	// b is switched off: Test runs it anyway, like Hotmart's test button.
	out, err := p.Test(ctx, "b", "tester@example.com")
	if err != nil || out.Status != pipeline.StatusOK || f.count("b") != 1 {
		t.Fatalf("Test = %+v, %v; runs %d", out, err, f.count("b"))
	}
	if _, err := p.Test(ctx, "nope", "tester@example.com"); !errors.Is(err, pipeline.ErrSegmentationNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	for _, bad := range []string{"", "not-an-email", "Name <a@b.co>"} {
		if _, err := p.Test(ctx, "b", bad); !errors.Is(err, pipeline.ErrInvalidEmail) {
			t.Errorf("Test(%q): %v", bad, err)
		}
	}
	f.fail["b"] = 1
	out, err = p.Test(ctx, "b", "tester@example.com")
	if err != nil || out.Status != pipeline.StatusFailed || strings.Contains(out.Error, "buyer@example.com") {
		t.Fatalf("failing Test = %+v, %v", out, err)
	}
	// A segmentation added to the store is testable at once.
	c := storeRules(t).Segmentations[0]
	c.ID = "new"
	_ = store.PutSegmentation(ctx, c)
	if out, err := p.Test(ctx, "new", "tester@example.com"); err != nil || out.Status != pipeline.StatusOK {
		t.Fatalf("Test of a new segmentation: %+v, %v", out, err)
	}
}

func TestTestEventShape(t *testing.T) {
	s := &segment.Segmentation{ID: "x", Events: []hotmart.EventType{hotmart.EventPurchaseRefunded}, Products: []hotmart.ID{"4321"}}
	ev, err := pipeline.TestEvent(s, "who@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != hotmart.EventPurchaseRefunded || ev.Buyer().Email != "who@example.com" || ev.Product().ID != "4321" {
		t.Fatalf("test event: %s %s %s", ev.Type, ev.Buyer().Email, ev.Product().ID)
	}
	ev2, _ := pipeline.TestEvent(s, "who@example.com")
	if ev2.ID == ev.ID {
		t.Error("two test events share an id")
	}
}
