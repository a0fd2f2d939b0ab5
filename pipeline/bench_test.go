package pipeline_test

import (
	"context"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
)

// What following a rule store costs an event that matches nothing: one
// Version call, against a fixed program.
func BenchmarkProcessNoMatch(b *testing.B) {
	f := newFake("fake")
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "a", "active": true, "events": ["PURCHASE_REFUNDED"], "action": {"provider": "fake", "command": "do"}}]}`))
	if err != nil {
		b.Fatal(err)
	}
	ev, _ := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved)
	ctx := context.Background()
	b.Run("fixed program", func(b *testing.B) {
		prog, _ := segment.Compile(rules, segment.WithProviders(f))
		p, _ := pipeline.New(prog, pipeline.WithExecutor("fake", f))
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Process(ctx, ev)
		}
	})
	b.Run("rule store", func(b *testing.B) {
		p, _ := pipeline.New(nil, pipeline.WithRuleStore(pipeline.NewMemoryRules(rules), segment.WithProviders(f)),
			pipeline.WithExecutor("fake", f))
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Process(ctx, ev)
		}
	})
}
