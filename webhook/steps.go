package webhook

import (
	"context"
	"sync"
)

// delivery is the per-request state the Handler puts in the processor's
// context. The processor may fan out to goroutines, hence the mutex.
type delivery struct {
	store   StepStore
	eventID string
	attempt int

	mu      sync.Mutex
	actions []ActionOutcome
}

type deliveryKey struct{}

// deliveryCtx carries the delivery in the same allocation as the context
// value that exposes it.
type deliveryCtx struct {
	context.Context
	d delivery
}

func (c *deliveryCtx) Value(key any) any {
	if key == (deliveryKey{}) {
		return &c.d
	}
	return c.Context.Value(key)
}

func deliveryFrom(ctx context.Context) *delivery {
	d, _ := ctx.Value(deliveryKey{}).(*delivery)
	return d
}

// StepDone reports whether step key of the event being processed was marked
// done by MarkStep in this or an earlier delivery of the same event. Call it
// before each side effect that must not be repeated (one key per
// segmentation, say) and skip the effect when it reports true.
//
// Outside a Handler delivery, or when the Handler has no Store, it reports
// false. A Store error also reports false: running a step twice is preferred
// to never running it.
func StepDone(ctx context.Context, key string) bool {
	d := deliveryFrom(ctx)
	if d == nil || d.store == nil {
		return false
	}
	ok, err := d.store.StepDone(ctx, d.eventID, key)
	return err == nil && ok
}

// MarkStep records that step key of the event being processed is done, so
// that a redelivery after a partial failure skips it. It is a no-op
// returning nil outside a Handler delivery or when the Handler has no Store.
func MarkStep(ctx context.Context, key string) error {
	d := deliveryFrom(ctx)
	if d == nil || d.store == nil {
		return nil
	}
	return d.store.MarkStep(ctx, d.eventID, key)
}

// RecordAction adds an action outcome to the delivery's history record. It
// may be called from several goroutines. Outside a Handler delivery it does
// nothing. The Handler redacts o.Error before recording it.
func RecordAction(ctx context.Context, o ActionOutcome) {
	d := deliveryFrom(ctx)
	if d == nil {
		return
	}
	d.mu.Lock()
	d.actions = append(d.actions, o)
	d.mu.Unlock()
}

// Attempt returns the number of the delivery being processed among the
// deliveries of its event (1 for the first), or 0 when unknown.
func Attempt(ctx context.Context) int {
	if d := deliveryFrom(ctx); d != nil {
		return d.attempt
	}
	return 0
}

// StepStore keeps per-event step marks: the part of Store that StepDone and
// MarkStep use. A durable queue implements it over its database so that a
// processor run by a worker, outside any request, skips the steps an earlier
// attempt completed.
type StepStore interface {
	// MarkStep records that step key of event id is done.
	MarkStep(ctx context.Context, id, key string) error
	// StepDone reports whether step key of event id was marked done.
	StepDone(ctx context.Context, id, key string) (bool, error)
}

// ProcessContext returns a context for running a Processor outside a Handler
// (a queue worker, say): StepDone and MarkStep in it use steps for event id,
// Attempt reports attempt, and RecordAction collects outcomes that actions
// returns. steps may be nil (no marks).
func ProcessContext(ctx context.Context, steps StepStore, eventID string, attempt int) (run context.Context, actions func() []ActionOutcome) {
	dc := &deliveryCtx{Context: ctx, d: delivery{store: steps, eventID: eventID, attempt: attempt}}
	return dc, dc.d.takeActions
}

func (d *delivery) takeActions() []ActionOutcome {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.actions
	d.actions = nil
	return a
}
