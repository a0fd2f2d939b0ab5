package backfill

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

// Kind is the kind of record a stage imports.
type Kind string

// Record kinds, in the order Run imports them by default.
const (
	KindSale                    Kind = "sale"                     // GET /sales/history, every status
	KindSubscription            Kind = "subscription"             // GET /subscriptions, by accession date
	KindSubscriptionTransaction Kind = "subscription_transaction" // GET /subscriptions/transactions
)

// Record is one imported item; exactly one of its pointers is set.
type Record struct {
	Kind         Kind
	Sale         *rest.Sale
	Subscription *rest.Subscription
	Charge       *rest.SubscriptionTransaction
}

// Key identifies the record within its kind (transaction or subscriber
// code), for deduplication.
func (r Record) Key() string {
	switch {
	case r.Sale != nil:
		return r.Sale.Purchase.Transaction
	case r.Subscription != nil:
		return r.Subscription.SubscriberCode
	case r.Charge != nil:
		return r.Charge.Purchase.Transaction
	}
	return ""
}

// Options configure a backfill.
type Options struct {
	From, To  time.Time     // range of dates to import; To is exclusive, zero means now
	Window    time.Duration // query window; default 30 days
	MinWindow time.Duration // narrowing stops here; default 1 hour
	PageSize  int           // default rest.MaxPageSize
	Kinds     []Kind        // what to import, in order; default all three
	// Overlap re-reads this much before the previous end on an incremental
	// sync, to pick up status changes of recent records.
	Overlap time.Duration
	// OnCheckpoint receives the checkpoint after every page; persist it to
	// resume later. An error stops the run.
	OnCheckpoint func(Checkpoint) error
	// Now is the clock for a zero To (default time.Now).
	Now func() time.Time
}

// CheckpointVersion is the format version Run writes.
const CheckpointVersion = 1

// Checkpoint is the position of a backfill. Its zero value means "not
// started". It marshals to JSON.
type Checkpoint struct {
	Version       int       `json:"version"`
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	Stage         Kind      `json:"stage,omitempty"`      // kind being imported
	WindowStart   time.Time `json:"window_start"`         // start of the current window
	WindowSeconds int64     `json:"window_seconds"`       // width of the current window
	PageToken     string    `json:"page_token,omitempty"` // next page inside the window
	Records       int64     `json:"records"`              // records emitted so far, all runs
	Done          bool      `json:"done"`                 // the whole range is imported
	Narrowed      int       `json:"narrowed,omitempty"`   // times a window was narrowed (502)
	Syncs         int       `json:"syncs,omitempty"`      // completed runs, incremental ones included
}

// Errors returned by Run.
var (
	ErrBadOptions    = errors.New("backfill: bad options")
	ErrBadCheckpoint = errors.New("backfill: checkpoint does not fit")
)

type runner struct {
	c    *rest.Client
	opts Options
	cp   *Checkpoint
	emit func(Record) error
	seen map[string]struct{} // keys emitted in the current window, to absorb a mid-window narrowing
}

// Run imports the range into emit, resuming from cp and updating it. It
// returns nil once cp is Done, or the first error (cp then points at the
// page that failed, ready for a later Run). When ctx ends, Run stops
// between pages and returns ctx's error.
func Run(ctx context.Context, c *rest.Client, cp *Checkpoint, opts Options, emit func(Record) error) error {
	if c == nil || cp == nil || emit == nil {
		return fmt.Errorf("%w: client, checkpoint and emit are required", ErrBadOptions)
	}
	if err := opts.normalize(); err != nil {
		return err
	}
	r := &runner{c: c, opts: opts, cp: cp, emit: emit, seen: map[string]struct{}{}}
	if err := r.prepare(); err != nil {
		return err
	}
	if cp.Done {
		return nil
	}
	for {
		if err := r.stage(ctx); err != nil {
			return err
		}
		next := r.nextKind(cp.Stage)
		if next == "" {
			cp.Done, cp.Stage, cp.PageToken = true, "", ""
			cp.Syncs++
			return r.save()
		}
		cp.Stage, cp.WindowStart, cp.WindowSeconds, cp.PageToken = next, cp.From, seconds(opts.Window), ""
		if err := r.save(); err != nil {
			return err
		}
	}
}

// All is Run as an iterator. Stopping the loop early leaves cp at the last
// completed page: records of the page being read are emitted again on resume.
func All(ctx context.Context, c *rest.Client, cp *Checkpoint, opts Options) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		errStop := errors.New("stop")
		err := Run(ctx, c, cp, opts, func(r Record) error {
			if !yield(r, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(Record{}, err)
		}
	}
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

func (o *Options) normalize() error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.To.IsZero() {
		o.To = o.Now()
	}
	o.From, o.To = o.From.UTC(), o.To.UTC()
	if o.From.IsZero() || !o.To.After(o.From) {
		return fmt.Errorf("%w: From (%s) must be set and before To (%s)", ErrBadOptions, o.From.Format(time.RFC3339), o.To.Format(time.RFC3339))
	}
	if o.Window == 0 {
		o.Window = 30 * 24 * time.Hour
	}
	if o.MinWindow == 0 {
		o.MinWindow = time.Hour
	}
	if o.Window < time.Second || o.MinWindow < time.Second || o.MinWindow > o.Window {
		return fmt.Errorf("%w: want 1s <= MinWindow (%v) <= Window (%v)", ErrBadOptions, o.MinWindow, o.Window)
	}
	if o.PageSize == 0 {
		o.PageSize = rest.MaxPageSize
	}
	if o.PageSize < 1 || o.PageSize > rest.MaxPageSize {
		return fmt.Errorf("%w: PageSize %d not in 1..%d", ErrBadOptions, o.PageSize, rest.MaxPageSize)
	}
	if len(o.Kinds) == 0 {
		o.Kinds = []Kind{KindSale, KindSubscription, KindSubscriptionTransaction}
	}
	seen := map[Kind]bool{}
	for _, k := range o.Kinds {
		switch k {
		case KindSale, KindSubscription, KindSubscriptionTransaction:
		default:
			return fmt.Errorf("%w: unknown kind %q", ErrBadOptions, k)
		}
		if seen[k] {
			return fmt.Errorf("%w: kind %q listed twice", ErrBadOptions, k)
		}
		seen[k] = true
	}
	if o.Overlap < 0 {
		return fmt.Errorf("%w: negative Overlap", ErrBadOptions)
	}
	return nil
}

// prepare starts a fresh checkpoint, validates a resumed one, or turns a
// done one into an incremental sync when To moved forward.
func (r *runner) prepare() error {
	cp, o := r.cp, r.opts
	fresh := func(from time.Time) {
		syncs, records := cp.Syncs, cp.Records
		*cp = Checkpoint{Version: CheckpointVersion, From: from, To: o.To, Stage: o.Kinds[0],
			WindowStart: from, WindowSeconds: seconds(o.Window), Syncs: syncs, Records: records}
	}
	switch {
	case cp.Version == 0:
		fresh(o.From)
		return r.save()
	case cp.Version != CheckpointVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrBadCheckpoint, cp.Version, CheckpointVersion)
	case cp.Done:
		if !o.To.After(cp.To) {
			return nil
		}
		from := cp.To.Add(-o.Overlap)
		if from.Before(cp.From) {
			from = cp.From
		}
		fresh(from)
		return r.save()
	}
	if r.kindIndex(cp.Stage) < 0 {
		return fmt.Errorf("%w: stage %q is not among the kinds to import", ErrBadCheckpoint, cp.Stage)
	}
	if cp.WindowSeconds < 1 || cp.WindowStart.Before(cp.From) || !cp.To.After(cp.From) {
		return fmt.Errorf("%w: inconsistent window", ErrBadCheckpoint)
	}
	return nil
}

func (r *runner) kindIndex(k Kind) int {
	for i, x := range r.opts.Kinds {
		if x == k {
			return i
		}
	}
	return -1
}

func (r *runner) nextKind(k Kind) Kind {
	i := r.kindIndex(k)
	if i < 0 || i+1 >= len(r.opts.Kinds) {
		return ""
	}
	return r.opts.Kinds[i+1]
}

func (r *runner) save() error {
	if r.opts.OnCheckpoint == nil {
		return nil
	}
	if err := r.opts.OnCheckpoint(*r.cp); err != nil {
		return fmt.Errorf("backfill: saving checkpoint: %w", err)
	}
	return nil
}

// stage imports the current kind from the checkpoint's window to To.
func (r *runner) stage(ctx context.Context) error {
	cp := r.cp
	full := r.opts.Window
	for cp.WindowStart.Before(cp.To) {
		if err := ctx.Err(); err != nil {
			return err
		}
		win := time.Duration(cp.WindowSeconds) * time.Second
		end := cp.WindowStart.Add(win)
		if end.After(cp.To) {
			end = cp.To
		}
		recs, next, err := r.fetch(ctx, cp.Stage, cp.WindowStart, end, cp.PageToken)
		if err != nil {
			if !rest.IsQueryTooLong(err) {
				return err
			}
			if win/2 < r.opts.MinWindow {
				return fmt.Errorf("backfill: %s window %s+%v still too slow at the minimum width: %w", cp.Stage, cp.WindowStart.Format(time.RFC3339), win, err)
			}
			// Narrow and restart the window; records already emitted from
			// it are recognised through seen.
			cp.WindowSeconds = seconds(win / 2)
			cp.PageToken = ""
			cp.Narrowed++
			if err := r.save(); err != nil {
				return err
			}
			continue
		}
		for _, rec := range recs {
			k := rec.Key()
			if _, dup := r.seen[k]; dup {
				continue
			}
			r.seen[k] = struct{}{}
			if err := r.emit(rec); err != nil {
				return err
			}
			cp.Records++
		}
		if next != "" {
			cp.PageToken = next
		} else {
			cp.WindowStart, cp.PageToken = end, ""
			clear(r.seen)
			if win < full {
				cp.WindowSeconds = seconds(min(full, win*2))
			}
		}
		if err := r.save(); err != nil {
			return err
		}
	}
	return nil
}

// chargeStatuses is every purchase status, spelled as the subscription
// transactions endpoint documents them.
var chargeStatuses = func() []hotmart.PurchaseStatus {
	out := make([]hotmart.PurchaseStatus, 0, len(rest.AllSaleStatuses)+1)
	for _, s := range rest.AllSaleStatuses {
		if s == hotmart.StatusUnderAnalysis {
			s = "UNDER_ANALYSIS"
		}
		out = append(out, s)
	}
	return append(out, hotmart.StatusDelayed)
}()

// fetch reads one page of kind within [start, end). Hotmart's date bounds
// are inclusive, so the end sent is one millisecond before the next window.
func (r *runner) fetch(ctx context.Context, kind Kind, start, end time.Time, token string) ([]Record, string, error) {
	last := end.Add(-time.Millisecond)
	lo := rest.ListOptions{MaxResults: r.opts.PageSize, PageToken: token}
	switch kind {
	case KindSale:
		p, err := r.c.Sales.History(ctx, &rest.SalesHistoryListOptions{ListOptions: lo,
			SalesFilter: rest.SalesFilter{StartDate: start, EndDate: last, TransactionStatus: rest.AllSaleStatuses}})
		if err != nil {
			return nil, "", err
		}
		out := make([]Record, len(p.Items))
		for i := range p.Items {
			out[i] = Record{Kind: kind, Sale: &p.Items[i]}
		}
		return out, nextToken(p), nil
	case KindSubscription:
		p, err := r.c.Subscriptions.List(ctx, &rest.SubscriptionListOptions{ListOptions: lo,
			AccessionDate: start, EndAccessionDate: last, Status: rest.AllSubscriptionStatuses})
		if err != nil {
			return nil, "", err
		}
		out := make([]Record, len(p.Items))
		for i := range p.Items {
			out[i] = Record{Kind: kind, Subscription: &p.Items[i]}
		}
		return out, nextToken(p), nil
	default:
		p, err := r.c.Subscriptions.Transactions(ctx, &rest.SubscriptionTransactionListOptions{ListOptions: lo,
			TransactionDate: start, EndTransactionDate: last, PurchaseStatus: chargeStatuses})
		if err != nil {
			return nil, "", err
		}
		out := make([]Record, len(p.Items))
		for i := range p.Items {
			out[i] = Record{Kind: kind, Charge: &p.Items[i]}
		}
		return out, nextToken(p), nil
	}
}

func nextToken[T any](p *rest.Page[T]) string {
	if p.Next == nil {
		return ""
	}
	return p.Next.PageToken
}
