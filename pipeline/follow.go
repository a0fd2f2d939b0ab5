package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hotmartkit/hotmartkit/segment"
)

// ruleFollower keeps a Pipeline's program in step with a RuleStore.
type ruleFollower struct {
	store RuleStore
	copts []segment.Option

	mu   sync.Mutex   // one recompilation at a time
	seen atomic.Int64 // store version the program was compiled from
	ok   atomic.Bool  // seen is meaningful
}

// WithRuleStore makes the pipeline read its segmentations from store, so
// that changes made at run time (the console's toggle, edit and delete)
// apply from the next event on, in every process sharing the store. Before
// each event the pipeline asks store.Version and, when it moved, compiles
// the stored set with copts (the same options the rules file was compiled
// with, e.g. segment.WithProviders(leadlovers.Spec, sendpulse.Spec)) and
// swaps it in with SetProgram.
//
// With a store, New's prog may be nil: the program is compiled from the
// store at once. A store that cannot be read or whose set does not compile
// makes Process fail (the event is retried), never run stale rules silently.
func WithRuleStore(store RuleStore, copts ...segment.Option) Option {
	return func(o *options) error {
		if store == nil {
			return errors.New("pipeline: WithRuleStore: nil store")
		}
		if o.rules != nil {
			return errors.New("pipeline: WithRuleStore: given twice")
		}
		o.rules = &ruleFollower{store: store, copts: copts}
		return nil
	}
}

// RuleStore returns the store the pipeline follows (WithRuleStore), or nil.
func (p *Pipeline) RuleStore() RuleStore {
	if p.rules == nil {
		return nil
	}
	return p.rules.store
}

// Sync recompiles the program from the RuleStore when the store's version
// moved since the last compilation. Process calls it before every event; a
// console calls it right after a change so the change shows at once. It
// does nothing for a pipeline without a RuleStore.
func (p *Pipeline) Sync(ctx context.Context) error {
	f := p.rules
	if f == nil {
		return nil
	}
	v, err := f.store.Version(ctx)
	if err != nil {
		return fmt.Errorf("pipeline: rule store version: %w", err)
	}
	if f.ok.Load() && f.seen.Load() == v {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ok.Load() && f.seen.Load() == v {
		return nil
	}
	segs, err := f.store.Segmentations(ctx)
	if err != nil {
		return fmt.Errorf("pipeline: rule store: %w", err)
	}
	prog, err := segment.Compile(segment.Rules{Segmentations: segs}, f.copts...)
	if err != nil {
		return fmt.Errorf("pipeline: stored rules do not compile: %w", err)
	}
	if err := p.SetProgram(prog); err != nil {
		return err
	}
	// A write between Version and Segmentations only makes the next event
	// compile once more.
	f.seen.Store(v)
	f.ok.Store(true)
	return nil
}

// CheckProgram reports whether SetProgram would accept prog: a nil program
// or an active rule naming a provider with no executor is refused. A
// console checks an edit with it before storing the edit, so a store never
// holds a set the pipeline would refuse.
func (p *Pipeline) CheckProgram(prog *segment.Program) error {
	if prog == nil {
		return errors.New("pipeline: nil program")
	}
	if missing := p.missingExecutors(prog); len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrNoExecutor, strings.Join(missing, ", "))
	}
	return nil
}
