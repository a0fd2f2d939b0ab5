package webhook

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// MemoryEvents is an EventLog for the simple (in-request) mode, so an
// operator console works without a database. It learns events by wrapping
// the Handler's processor (Wrap), keeps the newest size of them, and knows
// only two states: StateDone and StateRetrying (the last attempt failed and
// Hotmart is expected to deliver again). Replay runs the event again at
// once, in the caller's request, skipping the steps already done.
type MemoryEvents struct {
	mu    sync.Mutex
	size  int
	order []string // event ids, oldest received first
	recs  map[string]*memEvent
	proc  Processor
	steps Store
	now   func() time.Time
}

type memEvent struct {
	rec EventRecord
	ev  *hotmart.Event
}

// DefaultEventsLimit is how many events MemoryEvents.Events returns when the
// query sets no limit.
const DefaultEventsLimit = 50

// NewMemoryEvents returns an empty MemoryEvents keeping up to size events.
func NewMemoryEvents(size int) (*MemoryEvents, error) {
	if size <= 0 {
		return nil, &ConfigError{Option: "NewMemoryEvents", Reason: "size must be positive"}
	}
	return &MemoryEvents{size: size, recs: make(map[string]*memEvent), now: time.Now}, nil
}

// Wrap returns a Processor that records every event handed to next, with
// its state, attempts and action outcomes. steps is the Handler's Store
// (may be nil): Replay uses it so that steps done earlier are skipped. Call
// Wrap once, and give the Handler the processor it returns.
func (m *MemoryEvents) Wrap(next Processor, steps Store) Processor {
	m.mu.Lock()
	m.proc, m.steps = next, steps
	m.mu.Unlock()
	return ProcessorFunc(m.process)
}

func (m *MemoryEvents) process(ctx context.Context, e *hotmart.Event) error {
	m.mu.Lock()
	next := m.proc
	// Several accounts: kept under the account's key, as the Handler's
	// dedupe is (Event and Replay take that key).
	acct := AccountFrom(ctx)
	key := ScopeID(acct, e.ID)
	me := m.recs[key]
	if me == nil {
		me = &memEvent{ev: e, rec: newRecord(e, m.now())}
		me.rec.Account = acct
		m.recs[key] = me
		m.order = append(m.order, key)
		if len(m.order) > m.size {
			delete(m.recs, m.order[0])
			m.order = slices.Delete(m.order, 0, 1)
		}
	}
	me.rec.State = StateRunning
	me.rec.Attempts++
	m.mu.Unlock()

	err := next.Process(ctx, e)

	var actions []ActionOutcome
	if d := deliveryFrom(ctx); d != nil {
		d.mu.Lock()
		actions = slices.Clone(d.actions)
		d.mu.Unlock()
	}
	for i := range actions {
		actions[i].Error = redact(actions[i].Error, nil, e)
	}
	m.mu.Lock()
	me.rec.Actions = actions
	if err != nil {
		me.rec.State, me.rec.LastError = StateRetrying, redact(err.Error(), nil, e)
	} else {
		me.rec.State, me.rec.LastError = StateDone, ""
	}
	m.mu.Unlock()
	return err
}

func newRecord(e *hotmart.Event, now time.Time) EventRecord {
	r := EventRecord{
		EventID: e.ID, Event: e.Type, Source: SourceWebhook, CreatedAt: e.CreatedAt, ReceivedAt: now,
		ProductID: string(e.Product().ID), BuyerEmail: e.Buyer().Email, Payload: e.Raw,
	}
	if p, err := e.Purchase(); err == nil {
		r.Transaction = p.Purchase.Transaction
	}
	return r
}

// Events implements EventLog.
func (m *MemoryEvents) Events(_ context.Context, q EventQuery) ([]EventRecord, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultEventsLimit
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []EventRecord{}
	for i := len(m.order) - 1; i >= 0 && len(out) < limit; i-- {
		r := m.recs[m.order[i]].rec
		switch {
		case q.Account != "" && r.Account != q.Account,
			q.State != "" && r.State != q.State,
			q.Type != "" && r.Event != q.Type,
			q.Transaction != "" && r.Transaction != q.Transaction,
			q.Email != "" && !strings.EqualFold(r.BuyerEmail, strings.TrimSpace(q.Email)),
			!q.Since.IsZero() && r.ReceivedAt.Before(q.Since),
			!q.Before.IsZero() && !r.ReceivedAt.Before(q.Before):
			continue
		}
		out = append(out, copyRecord(r))
	}
	return out, nil
}

// Event implements EventLog.
func (m *MemoryEvents) Event(_ context.Context, id string) (EventRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	me := m.recs[id]
	if me == nil {
		return EventRecord{}, ErrEventNotFound
	}
	return copyRecord(me.rec), nil
}

// Replay implements EventLog: it runs the event through the wrapped
// processor now, with the Handler's step marks, and returns the record as
// the run left it. A failed run is reported in the record (StateRetrying),
// not as an error.
func (m *MemoryEvents) Replay(ctx context.Context, id string) (EventRecord, error) {
	m.mu.Lock()
	me, steps, proc := m.recs[id], m.steps, m.proc
	if me != nil && proc != nil {
		me.rec.Attempts = 0 // reset, as durable mode does; process counts this run
	}
	m.mu.Unlock()
	if me == nil {
		return EventRecord{}, ErrEventNotFound
	}
	if proc == nil {
		return EventRecord{}, errors.New("webhook: MemoryEvents.Replay: no processor (call Wrap)")
	}
	if acct := me.rec.Account; acct != "" {
		ctx = ContextWithAccount(ctx, acct)
	}
	dc := &deliveryCtx{Context: ctx, d: delivery{store: steps, eventID: id}}
	_ = m.process(dc, me.ev)
	return m.Event(ctx, id)
}

func copyRecord(r EventRecord) EventRecord {
	r.Actions = slices.Clone(r.Actions)
	return r
}
