package pipeline_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
)

// blockingProvider holds every action until release is closed.
type blockingProvider struct {
	started chan struct{}
	release chan struct{}
}

func (b *blockingProvider) Name() string       { return "fake" }
func (b *blockingProvider) Commands() []string { return []string{"do"} }
func (b *blockingProvider) CompileAction(string, map[string]json.RawMessage) (any, error) {
	return nil, nil
}
func (b *blockingProvider) Execute(ctx context.Context, _ segment.Match) error {
	b.started <- struct{}{}
	<-b.release
	return nil
}

// Waiting for another event of the same buyer must end with the context:
// before, the striped mutex ignored it and a slow buyer held everyone.
func TestBuyerLockWaitRespectsContext(t *testing.T) {
	b := &blockingProvider{started: make(chan struct{}, 4), release: make(chan struct{})}
	rules, _ := segment.ParseRules([]byte(rulesJSON))
	prog, err := segment.Compile(rules, segment.WithProviders(b))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(prog, pipeline.WithExecutor("fake", b))
	if err != nil {
		t.Fatal(err)
	}
	ev := func(id string) *hotmart.Event {
		e, err := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(id), hotmarttest.WithBuyerEmail("same@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	first := make(chan error, 1)
	go func() { first <- p.Process(context.Background(), ev("one")) }()
	<-b.started

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = p.Process(ctx, ev("two"))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second event of the same buyer: %v, want deadline exceeded", err)
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Fatalf("waited %s past its deadline", waited)
	}
	close(b.release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	// The lock is free again.
	if err := p.Process(context.Background(), ev("three")); err != nil {
		t.Fatal(err)
	}
}
