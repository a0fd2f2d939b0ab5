package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// Defaults of a Syncer.
const (
	// DefaultFirstWindow is how far back the first sync of an account
	// looks, when it has no checkpoint.
	DefaultFirstWindow = 7 * 24 * time.Hour
	// DefaultOverlap is how far before its checkpoint each sync starts.
	// Hotmart filters the sales history by order date only, so a status
	// that changes later (a refund within the guarantee, a billet that
	// expires, a chargeback) is only seen if its order date is still in
	// the window. 30 days covers the usual guarantee periods.
	DefaultOverlap = 30 * 24 * time.Hour
	// DefaultSliceLength bounds the order-date range of one listing:
	// Hotmart answers 502 to a query that runs longer than 30 s, so long
	// ranges (a year's backfill) are listed in slices.
	DefaultSliceLength = 31 * 24 * time.Hour
	// DefaultMaxPages bounds the pages of one slice, against a source
	// that never stops paging.
	DefaultMaxPages = 10000
)

// ErrNotSynced is matched by the error of Run, DryRun and Apply for an
// account without Hotmart REST credentials: it is not reconciled.
var ErrNotSynced = errors.New("accounts: account has no hotmart credentials")

// SalesQuery asks for one page of an account's sales history.
type SalesQuery struct {
	// From and To bound the order date: [From, To), in UTC. The REST API's
	// end_date is inclusive, so a source sends To minus one millisecond.
	From, To time.Time
	// PageToken is "" for the first page, then the previous page's
	// NextPageToken.
	PageToken string
}

// SalesPage is one page of sales.
type SalesPage struct {
	Sales []Sale
	// NextPageToken is "" on the last page.
	NextPageToken string
}

// SalesSource lists an account's sales, every status (see SaleStatuses),
// one REST call per ListSales. The host adapts its REST client, which
// paces calls to the account's rate limit; a is the registry's account,
// whose Client field holds that client.
type SalesSource interface {
	ListSales(ctx context.Context, a *Account, q SalesQuery) (*SalesPage, error)
}

// Enqueuer queues synthetic events of an account, marked with source
// (SourceSync or SourceBackfill). It must treat an event id it already has
// (see Scope) as a duplicate and not count it, so queueing is idempotent.
// It returns how many events it queued.
type Enqueuer interface {
	Enqueue(ctx context.Context, account string, events []*hotmart.Event, source string) (queued int, err error)
}

// Checkpoint is where an account's reconciliation stands.
type Checkpoint struct {
	// Start is the earliest order date reconciliation covers: the start of
	// the account's first window. No later window reaches before it, so
	// the overlap never turns a sync into a backfill of older history.
	Start time.Time
	// Through is the end of the last completed window: every sale
	// ordered before it has been compared with the known events.
	Through time.Time
}

// Checkpoints keeps each account's Checkpoint where it survives restarts.
// ok is false for an account never synced.
type Checkpoints interface {
	GetCheckpoint(ctx context.Context, account string) (cp Checkpoint, ok bool, err error)
	PutCheckpoint(ctx context.Context, account string, cp Checkpoint) error
}

// Store is what a Syncer needs of the host's database. The durable store
// implements all of it.
type Store interface {
	Known
	Enqueuer
	Checkpoints
}

// SyncOption configures a Syncer.
type SyncOption func(*syncOptions) error

type syncOptions struct {
	now         func() time.Time
	overlap     time.Duration
	firstWindow time.Duration
	slice       time.Duration
	maxPages    int
	program     func(context.Context, *Account) (*segment.Program, error)
}

// WithClock sets the clock (time.Now by default). Synthetic events take
// their creation_date from it.
func WithClock(now func() time.Time) SyncOption {
	return func(o *syncOptions) error {
		if now == nil {
			return errors.New("accounts: WithClock: nil clock")
		}
		o.now = now
		return nil
	}
}

// WithOverlap sets how far before its checkpoint each sync starts
// (DefaultOverlap). 0 lists only what was ordered since the last run.
func WithOverlap(d time.Duration) SyncOption {
	return func(o *syncOptions) error {
		if d < 0 {
			return errors.New("accounts: WithOverlap: negative duration")
		}
		o.overlap = d
		return nil
	}
}

// WithFirstWindow sets how far back an account's first sync looks
// (DefaultFirstWindow).
func WithFirstWindow(d time.Duration) SyncOption {
	return func(o *syncOptions) error {
		if d <= 0 {
			return errors.New("accounts: WithFirstWindow: duration must be positive")
		}
		o.firstWindow = d
		return nil
	}
}

// WithSliceLength sets the longest order-date range one listing covers
// (DefaultSliceLength); longer ranges are listed slice after slice.
func WithSliceLength(d time.Duration) SyncOption {
	return func(o *syncOptions) error {
		if d < time.Hour {
			return errors.New("accounts: WithSliceLength: shorter than an hour")
		}
		o.slice = d
		return nil
	}
}

// WithMaxPages bounds the pages listed per slice (DefaultMaxPages).
func WithMaxPages(n int) SyncOption {
	return func(o *syncOptions) error {
		if n < 1 {
			return errors.New("accounts: WithMaxPages: must be at least 1")
		}
		o.maxPages = n
		return nil
	}
}

// WithProgram sets where DryRun gets an account's current program, for a
// host whose rules change at run time (an operator console over a
// pipeline.RuleStore). By default it is Account.Program.
func WithProgram(fn func(ctx context.Context, a *Account) (*segment.Program, error)) SyncOption {
	return func(o *syncOptions) error {
		if fn == nil {
			return errors.New("accounts: WithProgram: nil function")
		}
		o.program = fn
		return nil
	}
}

// Syncer reconciles accounts with the REST API (Run) and applies rules to
// their history (DryRun, Apply). It holds no state of its own between
// calls: checkpoints and known events live in the Store, so any replica
// may run any account. Running one account twice at once is harmless
// (events are queued idempotently) but wasteful: the host schedules one
// run per account at a time.
type Syncer struct {
	reg   *Registry
	sales SalesSource
	store Store
	o     syncOptions
}

// NewSyncer builds a Syncer over the registry's accounts.
func NewSyncer(reg *Registry, sales SalesSource, store Store, opts ...SyncOption) (*Syncer, error) {
	switch {
	case reg == nil:
		return nil, errors.New("accounts: NewSyncer: nil Registry")
	case sales == nil:
		return nil, errors.New("accounts: NewSyncer: nil SalesSource")
	case store == nil:
		return nil, errors.New("accounts: NewSyncer: nil Store")
	}
	s := &Syncer{reg: reg, sales: sales, store: store, o: syncOptions{
		now: time.Now, overlap: DefaultOverlap, firstWindow: DefaultFirstWindow,
		slice: DefaultSliceLength, maxPages: DefaultMaxPages,
		program: func(_ context.Context, a *Account) (*segment.Program, error) { return a.Program, nil },
	}}
	for _, op := range opts {
		if op == nil {
			return nil, errors.New("accounts: nil SyncOption")
		}
		if err := op(&s.o); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Window returns the order-date range the next sync of an account covers,
// given its checkpoint (ok false: none) and the time now: from the
// checkpoint minus the overlap, but not before the checkpoint's Start, to
// now; or, on the first run, the last FirstWindow.
func (s *Syncer) Window(cp Checkpoint, ok bool, now time.Time) (from, to time.Time) {
	now = now.UTC()
	if !ok || cp.Through.IsZero() { // none, or one that records nothing
		return now.Add(-s.o.firstWindow), now
	}
	through := cp.Through.UTC()
	if through.After(now) { // a clock that went back
		through = now
	}
	from = through.Add(-s.o.overlap)
	if start := cp.Start.UTC(); from.Before(start) {
		from = start
	}
	if from.After(now) {
		from = now
	}
	return from, now
}

// Stats counts the work of one run: REST calls, sales seen and what became
// of them.
type Stats struct {
	Calls   int `json:"calls"`    // REST calls (pages listed)
	Sales   int `json:"sales"`    // sales seen
	NoEvent int `json:"no_event"` // sales whose status implies no event
	Known   int `json:"known"`    // sales whose event was already known
	Planned int `json:"planned"`  // synthetic events built
	Invalid int `json:"invalid"`  // sales that could not become an event
}

// CallsPer1000Sales is the REST cost of the run: calls per 1,000 sales
// seen (the calls themselves when no sale was seen).
func (st Stats) CallsPer1000Sales() float64 {
	if st.Sales == 0 {
		return float64(st.Calls)
	}
	return float64(st.Calls) * 1000 / float64(st.Sales)
}

func (st *Stats) addPlan(p *Plan) {
	st.Sales += p.Sales
	st.NoEvent += p.NoEvent
	st.Known += p.Known
	st.Planned += len(p.Events)
	st.Invalid += len(p.Invalid)
}

// SyncReport is the outcome of one Run.
type SyncReport struct {
	Account  string    `json:"account"`
	From     time.Time `json:"from"`
	To       time.Time `json:"to"`
	Queued   int       `json:"queued"`
	FirstRun bool      `json:"first_run"`
	Stats
	// Invalid sales, at most 20, for the log.
	InvalidSales []*SaleError `json:"-"`
}

// Run reconciles one account: it lists the sales ordered in its window
// (Window), queues through the Store a synthetic event (source "sync") for
// each sale whose current status implies an event type the Store does not
// know for its transaction, and only then moves the checkpoint to the end of
// the window. A run that fails leaves the checkpoint where it was; the
// events it queued before failing are queued again by id, that is not at
// all, on the next run.
func (s *Syncer) Run(ctx context.Context, account string) (*SyncReport, error) {
	a, err := s.account(account)
	if err != nil {
		return nil, err
	}
	now := s.o.now().UTC()
	cp, ok, err := s.store.GetCheckpoint(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("accounts: reading the checkpoint of %s: %w", a.ID, err)
	}
	from, to := s.Window(cp, ok, now)
	first := !ok || cp.Through.IsZero()
	rep := &SyncReport{Account: a.ID, From: from, To: to, FirstRun: first}
	pl := newPlanner(a.ID, s.store, now)
	err = s.list(ctx, a, from, to, &rep.Stats, func(sales []Sale) error {
		plan := &Plan{}
		if err := pl.add(ctx, plan, sales); err != nil {
			return err
		}
		rep.addPlan(plan)
		rep.keepInvalid(plan.Invalid)
		if len(plan.Events) == 0 {
			return nil
		}
		n, err := s.store.Enqueue(ctx, a.ID, plan.Events, SourceSync)
		rep.Queued += n
		if err != nil {
			return fmt.Errorf("accounts: queueing the synthetic events of %s: %w", a.ID, err)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	next := Checkpoint{Start: cp.Start, Through: to}
	if first || cp.Start.IsZero() {
		next.Start = from
	}
	if err := s.store.PutCheckpoint(ctx, a.ID, next); err != nil {
		return rep, fmt.Errorf("accounts: storing the checkpoint of %s: %w", a.ID, err)
	}
	return rep, nil
}

func (r *SyncReport) keepInvalid(list []*SaleError) {
	for _, e := range list {
		if len(r.InvalidSales) >= 20 {
			return
		}
		r.InvalidSales = append(r.InvalidSales, e)
	}
}

func (s *Syncer) account(id string) (*Account, error) {
	a, ok := s.reg.Get(id)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownAccount, id)
	}
	if a.Hotmart == nil {
		return nil, fmt.Errorf("%w: %s", ErrNotSynced, id)
	}
	return a, nil
}

// list pages the sales ordered in [from, to), slice by slice, handing each
// page to fn.
func (s *Syncer) list(ctx context.Context, a *Account, from, to time.Time, st *Stats, fn func([]Sale) error) error {
	for lo := from; lo.Before(to); {
		hi := lo.Add(s.o.slice)
		if hi.After(to) {
			hi = to
		}
		q := SalesQuery{From: lo, To: hi}
		used := map[string]bool{}
		for pages := 0; ; pages++ {
			if pages >= s.o.maxPages {
				return &SourceError{Account: a.ID, Err: fmt.Errorf("more than %d pages", s.o.maxPages)}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			page, err := s.sales.ListSales(ctx, a, q)
			st.Calls++
			if err != nil {
				return &SourceError{Account: a.ID, Err: err}
			}
			if page == nil {
				break
			}
			if err := fn(page.Sales); err != nil {
				return err
			}
			next := page.NextPageToken
			if next == "" {
				break
			}
			if used[next] {
				return &SourceError{Account: a.ID, Err: errors.New("the page token repeats")}
			}
			used[next] = true
			q.PageToken = next
		}
		lo = hi
	}
	return nil
}
