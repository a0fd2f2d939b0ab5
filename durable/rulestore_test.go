package durable_test

import (
	"context"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

func TestRuleStore(t *testing.T) {
	eachDB(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		raw, err := os.ReadFile("../examples/pipeline/rules.json")
		if err != nil {
			t.Fatal(err)
		}
		rules, err := segment.ParseRules(raw)
		if err != nil {
			t.Fatal(err)
		}
		// Two processes (engines) on one database.
		a := open(t, dbURL, newRecorder())
		b := open(t, dbURL, newRecorder())
		var wg sync.WaitGroup
		seeded := make([]bool, 2)
		for i, e := range []*durable.Engine{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := e.SeedRules(ctx, rules)
				if err != nil {
					t.Error(err)
				}
				seeded[i] = ok
			}()
		}
		wg.Wait()
		if seeded[0] == seeded[1] {
			t.Fatalf("seeded %v: want exactly one", seeded)
		}
		sa, sb := a.RuleStore(), b.RuleStore()
		got, err := sb.Segmentations(ctx)
		if err != nil || len(got) != len(rules.Segmentations) || got[0].ID != rules.Segmentations[0].ID {
			t.Fatalf("segmentations: %d %v", len(got), err)
		}
		// What is stored compiles to the same program.
		if _, err := segment.Compile(segment.Rules{Segmentations: got}, segment.WithProviders(leadlovers.Spec, sendpulse.Spec)); err != nil {
			t.Fatalf("stored rules do not compile: %v", err)
		}
		v0, _ := sb.Version(ctx)
		if err := sa.SetActive(ctx, "vip-upsell", true); err != nil {
			t.Fatal(err)
		}
		v1, _ := sb.Version(ctx)
		if v1 == v0 {
			t.Fatal("version did not move")
		}
		got, _ = sb.Segmentations(ctx)
		for _, s := range got {
			if s.ID == "vip-upsell" && !s.Active {
				t.Fatal("toggle not seen by the other process")
			}
		}
		edited := got[0]
		edited.Name = "renamed"
		if err := sa.PutSegmentation(ctx, edited); err != nil {
			t.Fatal(err)
		}
		extra := got[1]
		extra.ID = "new-one"
		if err := sa.PutSegmentation(ctx, extra); err != nil {
			t.Fatal(err)
		}
		got, _ = sb.Segmentations(ctx)
		if got[0].Name != "renamed" || got[len(got)-1].ID != "new-one" || len(got) != len(rules.Segmentations)+1 {
			t.Fatalf("after edits: first %q last %q n %d", got[0].Name, got[len(got)-1].ID, len(got))
		}
		if err := sa.DeleteSegmentation(ctx, "new-one"); err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{sa.DeleteSegmentation(ctx, "nope"), sa.SetActive(ctx, "nope", true)} {
			if !errors.Is(err, pipeline.ErrSegmentationNotFound) {
				t.Fatalf("unknown id: %v", err)
			}
		}
		if v, _ := sb.Version(ctx); v <= v1 {
			t.Fatalf("version %d after writes, was %d", v, v1)
		}
	})
}

// A pipeline that follows the engine's RuleStore picks up a toggle stored
// by another process on the next event it works.
func TestPipelineFollowsStoredRules(t *testing.T) {
	ctx := context.Background()
	dbURL := sqliteURL(t)
	f := &instant{}
	spec := leadlovers.Spec
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
		{"id": "s1", "active": false, "events": ["PURCHASE_APPROVED"],
		 "action": {"provider": "leadlovers", "command": "remove_lead", "machine": 1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// The engine runs the pipeline through a forward reference: the
	// pipeline follows the engine's rule store, so it is built after Open.
	var p *pipeline.Pipeline
	e, err := durable.Open(ctx, dbURL, webhook.ProcessorFunc(func(ctx context.Context, ev *hotmart.Event) error {
		return p.Process(ctx, ev)
	}), fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.SeedRules(ctx, rules); err != nil {
		t.Fatal(err)
	}
	p, err = pipeline.New(nil, pipeline.WithRuleStore(e.RuleStore(), segment.WithProviders(spec)),
		pipeline.WithExecutor("leadlovers", f))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Stop(context.Background()) })
	h := handler(t, e)
	deliver(t, h, hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("before")))
	waitState(t, e, "before", webhook.StateDone)
	if f.n.Load() != 0 {
		t.Fatal("inactive segmentation ran")
	}
	// Another process (an engine without workers: a console replica)
	// switches it on.
	other, err := durable.Open(ctx, dbURL, newRecorder(), fastOpts()...)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Stop(ctx)
	if err := other.RuleStore().SetActive(ctx, "s1", true); err != nil {
		t.Fatal(err)
	}
	deliver(t, h, hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("after")))
	waitState(t, e, "after", webhook.StateDone)
	if f.n.Load() != 1 {
		t.Fatalf("switched-on segmentation ran %d times", f.n.Load())
	}
}
