package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Known tells whether an account already has an event of type t for a
// transaction: queued, running, retrying or done, whether it came from the
// webhook, sync or backfill. Dead and stale events are not known, so a sale
// whose webhook died gets a synthetic event (which, having its own
// deterministic id, is queued at most once). The durable store implements
// it; implementations must be safe for concurrent use.
type Known interface {
	HasEvent(ctx context.Context, account, transaction string, t hotmart.EventType) (bool, error)
}

// EventKey names one event type of one transaction: what Known answers
// for.
type EventKey struct {
	Transaction string
	Type        hotmart.EventType
}

// BatchKnown is an optional interface of Known: a store that implements it
// is asked once per page of sales (up to 500 keys) rather than once per
// sale. The map holds true for the keys it knows; missing keys are unknown.
type BatchKnown interface {
	Known
	KnownEvents(ctx context.Context, account string, keys []EventKey) (map[EventKey]bool, error)
}

// Plan is the outcome of comparing sales with the known events: the
// synthetic events to queue, and what became of the other sales.
type Plan struct {
	// Events are the synthetic events to queue, in the order of the sales.
	Events []*hotmart.Event
	// Transactions holds each event's transaction: Transactions[i] is
	// that of Events[i].
	Transactions []string
	// Sales counts the sales looked at.
	Sales int
	// NoEvent counts sales whose status implies no event.
	NoEvent int
	// Known counts sales whose event is already known (including a sale
	// listed twice in one run).
	Known int
	// Invalid lists the sales that could not become an event. They are
	// reported, not retried: the same data would fail again.
	Invalid []*SaleError
}

// PlanEvents is the reconciliation planner: for each sale whose current
// status implies an event type (EventTypeFor) that known does not report
// for its transaction, it builds the synthetic event (SyntheticEvent) seen
// at seenAt. A sale listed twice yields one event. It does no I/O but
// known's, which it asks once for all the sales when known is a
// BatchKnown, else once per sale that could need an event.
func PlanEvents(ctx context.Context, known Known, account string, sales []Sale, seenAt time.Time) (*Plan, error) {
	if known == nil {
		return nil, errors.New("accounts: PlanEvents: nil Known")
	}
	p := newPlanner(account, known, seenAt)
	plan := &Plan{}
	if err := p.add(ctx, plan, sales); err != nil {
		return nil, err
	}
	return plan, nil
}

// planner keeps, across the pages of one run, which (transaction, type)
// pairs it has already planned.
type planner struct {
	account string
	known   Known
	seenAt  time.Time
	seen    map[EventKey]struct{}
}

func newPlanner(account string, known Known, seenAt time.Time) *planner {
	return &planner{account: account, known: known, seenAt: seenAt, seen: map[EventKey]struct{}{}}
}

func (p *planner) add(ctx context.Context, plan *Plan, sales []Sale) error {
	// First pass: the sales that could need an event, in order.
	type candidate struct {
		sale *Sale
		key  EventKey
	}
	var cands []candidate
	for i := range sales {
		s := &sales[i]
		plan.Sales++
		typ, ok := EventTypeFor(s.Status)
		if !ok {
			plan.NoEvent++
			continue
		}
		if err := checkSale(*s); err != nil {
			plan.Invalid = append(plan.Invalid, err.(*SaleError))
			continue
		}
		key := EventKey{Transaction: s.Transaction, Type: typ}
		if _, dup := p.seen[key]; dup {
			plan.Known++
			continue
		}
		p.seen[key] = struct{}{}
		cands = append(cands, candidate{sale: s, key: key})
	}
	if len(cands) == 0 {
		return nil
	}
	// Second pass: ask the store, in one call when it can answer a batch.
	known := make([]bool, len(cands))
	if bk, ok := p.known.(BatchKnown); ok {
		keys := make([]EventKey, len(cands))
		for i, c := range cands {
			keys[i] = c.key
		}
		got, err := bk.KnownEvents(ctx, p.account, keys)
		if err != nil {
			return fmt.Errorf("accounts: checking the known events: %w", err)
		}
		for i, c := range cands {
			known[i] = got[c.key]
		}
	} else {
		for i, c := range cands {
			k, err := p.known.HasEvent(ctx, p.account, c.key.Transaction, c.key.Type)
			if err != nil {
				return fmt.Errorf("accounts: checking the known events of %s: %w", c.key.Transaction, err)
			}
			known[i] = k
		}
	}
	for i, c := range cands {
		if known[i] {
			plan.Known++
			continue
		}
		e, err := SyntheticEvent(p.account, *c.sale, p.seenAt)
		if err != nil {
			var se *SaleError
			if errors.As(err, &se) {
				plan.Invalid = append(plan.Invalid, se)
				continue
			}
			return err
		}
		plan.Events = append(plan.Events, e)
		plan.Transactions = append(plan.Transactions, c.sale.Transaction)
	}
	return nil
}
