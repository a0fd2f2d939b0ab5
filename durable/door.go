package durable

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/riverqueue/river"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// eventArgs is the River job of one event: only its id; the event itself is
// in hk_events.
type eventArgs struct {
	EventID string `json:"event_id"`
}

func (eventArgs) Kind() string { return "hotmartkit_event" }

// ErrClosed is returned by the door after Stop.
var ErrClosed = errors.New("durable: engine stopped")

// eventRow is what the door commits for one event.
type eventRow struct {
	id, typ, version, account, source string
	transaction, product, email       string
	class                             string
	createdAt, receivedAt             int64
	payload                           string
}

// Intake returns the webhook.Processor to give webhook.New (with
// webhook.WithStore(nil) and webhook.WithHistory(e.History())): its Process
// commits the verified, decoded event and queues it, and returns only after
// the commit. An event id already held returns webhook.ErrDuplicate (the
// Handler answers 200, queues nothing); a database failure returns
// webhook.ErrUnavailable (the Handler answers 503).
func (e *Engine) Intake() webhook.Processor { return intake{e} }

type intake struct{ e *Engine }

func (in intake) Process(ctx context.Context, ev *hotmart.Event) error {
	row, err := newEventRow(ev, webhook.SourceWebhook, time.Now())
	if err != nil {
		return err
	}
	if acct := webhook.AccountFrom(ctx); acct != "" { // several accounts: see accounts.go
		row.account, row.id = acct, eventKey(acct, ev.ID)
	}
	isNew, err := in.e.batch.submit(ctx, batchItem{event: row})
	if err != nil {
		return fmt.Errorf("%w: %v", webhook.ErrUnavailable, err)
	}
	if !isNew {
		return fmt.Errorf("event %s: %w", ev.ID, webhook.ErrDuplicate)
	}
	return nil
}

// Enqueue commits an event that did not come through the webhook (a sync
// or backfill, say) with the given source. It reports false when the event
// id was already held.
func (e *Engine) Enqueue(ctx context.Context, ev *hotmart.Event, source string) (bool, error) {
	row, err := newEventRow(ev, source, time.Now())
	if err != nil {
		return false, err
	}
	return e.batch.submit(ctx, batchItem{event: row})
}

func newEventRow(ev *hotmart.Event, source string, now time.Time) (*eventRow, error) {
	if ev == nil || ev.ID == "" {
		return nil, errors.New("durable: event without id")
	}
	payload, err := encodePayload(ev)
	if err != nil {
		return nil, err
	}
	r := &eventRow{
		id: ev.ID, typ: string(ev.Type), version: ev.Version, source: source,
		class: payClass(ev.Type), createdAt: ev.CreatedAt.UnixMicro(), receivedAt: now.UnixMicro(),
		payload: payload, email: strings.ToLower(ev.Buyer().Email),
	}
	if ev.CreatedAt.IsZero() {
		r.createdAt = 0
	}
	if p, err := ev.Purchase(); err == nil && p != nil {
		r.transaction = p.Purchase.Transaction
		r.product = fmt.Sprint(p.Product.ID)
		if r.product == "0" {
			r.product = ""
		}
	}
	return r, nil
}

// batchItem is one write waiting for a group commit: an event at the door,
// or a delivery record.
type batchItem struct {
	event    *eventRow
	delivery *webhook.Delivery
	reply    chan batchResult
}

type batchResult struct {
	isNew bool
	err   error
}

// batcher is the group commit: deliveries that arrive together are
// committed in one transaction (one fsync), and each caller is answered
// only after the transaction holding its write committed.
type batcher struct {
	e *Engine
	// posted and written count posted (unwaited) writes, so a reader can
	// wait for the ones posted before it (see flushPosted).
	posted, written atomic.Int64
	in              chan batchItem
	max             int
	wg              sync.WaitGroup
	mu              sync.RWMutex
	closed          bool
}

func newBatcher(e *Engine, parallel, max int) *batcher {
	b := &batcher{e: e, in: make(chan batchItem, max*parallel), max: max}
	for range parallel {
		b.wg.Add(1)
		go b.loop()
	}
	return b
}

var replyPool = sync.Pool{New: func() any { return make(chan batchResult, 1) }}

func (b *batcher) submit(ctx context.Context, it batchItem) (bool, error) {
	it.reply = replyPool.Get().(chan batchResult)
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return false, ErrClosed
	}
	select {
	case b.in <- it:
	case <-ctx.Done():
		b.mu.RUnlock()
		return false, ctx.Err()
	}
	b.mu.RUnlock()
	// The write is committed or not whatever the caller does now; wait for
	// the answer so the reply channel can be reused.
	r := <-it.reply
	replyPool.Put(it.reply)
	return r.isNew, r.err
}

// post queues a write whose caller does not wait for its commit (a
// delivery record, written after the answer went out): the connection it
// came on is free for the next delivery at once. A full queue still
// pushes back.
func (b *batcher) post(it batchItem) error {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return ErrClosed
	}
	b.posted.Add(1)
	b.in <- it
	return nil
}

// flushPosted waits (up to a bound) until as many posted writes are
// written as had been posted when it was called, so that a history read
// sees the deliveries answered before it.
func (b *batcher) flushPosted(ctx context.Context) {
	target := b.posted.Load()
	deadline := time.Now().Add(2 * time.Second)
	for b.written.Load() < target && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(time.Millisecond)
	}
}

func (b *batcher) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.in)
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func (b *batcher) loop() {
	defer b.wg.Done()
	batch := make([]batchItem, 0, b.max)
	results := make([]batchResult, 0, b.max)
	for first := range b.in {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.max {
			select {
			case it, ok := <-b.in:
				if !ok {
					break fill
				}
				batch = append(batch, it)
			default:
				break fill
			}
		}
		results = results[:len(batch)]
		var err error
		for attempt := 1; ; attempt++ {
			clear(results)
			err = b.e.commitBatch(context.Background(), batch, results)
			// Two commit loops run at once on PostgreSQL; a deadlock or
			// serialisation failure between them rolls one batch back
			// whole, so it is safe to write it again.
			if err == nil || attempt == 3 || !retryableTx(err) {
				break
			}
		}
		var posted int64
		for i, it := range batch {
			r := results[i]
			if err != nil {
				r = batchResult{err: err}
			}
			if it.reply != nil {
				it.reply <- r
				continue
			}
			posted++
			if err != nil {
				b.e.log.Warn("durable: recording a delivery failed", "error", err.Error())
			}
		}
		b.written.Add(posted)
	}
}

const (
	insertEventCols = `event_id, event_type, version, account, source, transaction_code,
		product_id, buyer_email, pay_class, created_at, received_at, payload, state, updated_at`
	insertEventRow     = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`
	insertEventEnd     = ` ON CONFLICT (event_id) DO NOTHING RETURNING event_id`
	insertDeliveryCols = `event_id, account, event_type, received_at, duration_us, status, outcome, attempt, error, actions`
	insertDeliveryRow  = `(?, ?, ?, ?, ?, ?, ?, COALESCE((SELECT deliveries FROM hk_events WHERE event_id = ?), 0), ?, ?)`
	insertRejection    = `INSERT INTO hk_rejections (received_at, duration_us, status, error, event_id, event_type)
		VALUES (?, ?, ?, ?, ?, ?)`
	trimRejections = `DELETE FROM hk_rejections WHERE id <= (SELECT MAX(id) FROM hk_rejections) - ?`
)

// rowsPerStatement is how many rows one INSERT carries: one on SQLite
// (statements stay prepared, see cachingConnector, and run in-process),
// many on PostgreSQL (each statement is a round trip).
func (e *Engine) rowsPerStatement() int {
	if e.dialect == dialectPostgres {
		return 128
	}
	return 1
}

// commitBatch writes a batch in one transaction.
func (e *Engine) commitBatch(ctx context.Context, batch []batchItem, results []batchResult) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	tx, err := e.db.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.rollback(ctx) }()

	// Events: the first item of an id inserts it; repeats in the same batch
	// are duplicates (one statement may not touch a row twice).
	var (
		first  = map[string]int{}
		events []*eventRow
		extra  = map[string]int64{}
	)
	for i, it := range batch {
		if it.event == nil {
			continue
		}
		if _, seen := first[it.event.id]; seen {
			extra[it.event.id]++
			continue
		}
		first[it.event.id] = i
		events = append(events, it.event)
	}
	// A webhook event that a synthetic event already covers runs nothing
	// (accounts.go).
	events, err = e.dropCovered(ctx, tx, events)
	if err != nil {
		return err
	}
	per := e.rowsPerStatement()
	var jobs []river.InsertManyParams
	for lo := 0; lo < len(events); lo += per {
		chunk := events[lo:min(lo+per, len(events))]
		q := "INSERT INTO hk_events (" + insertEventCols + ") VALUES " + repeatRows(insertEventRow, len(chunk)) + insertEventEnd
		args := make([]any, 0, 13*len(chunk))
		for _, r := range chunk {
			args = append(args, r.id, r.typ, r.version, r.account, r.source, r.transaction, r.product, r.email, r.class,
				r.createdAt, r.receivedAt, r.payload, r.receivedAt)
		}
		// RETURNING names the rows inserted; an id it leaves out was
		// already held: a duplicate.
		err := tx.query(ctx, q, args, func(scan func(...any) error) error {
			var id string
			if err := scan(&id); err != nil {
				return err
			}
			results[first[id]].isNew = true
			jobs = append(jobs, river.InsertManyParams{Args: eventArgs{EventID: id}})
			return nil
		})
		if err != nil {
			return err
		}
		for _, r := range chunk {
			if !results[first[r.id]].isNew {
				extra[r.id]++
			}
		}
	}
	ids := make([]string, 0, len(extra))
	for id := range extra {
		ids = append(ids, id)
	}
	sort.Strings(ids) // one lock order for concurrent batches
	for _, id := range ids {
		if _, err := tx.exec(ctx, `UPDATE hk_events SET deliveries = deliveries + ? WHERE event_id = ?`, extra[id], id); err != nil {
			return err
		}
	}

	// Delivery records.
	var deliveries []*webhook.Delivery
	rejected := false
	for _, it := range batch {
		d := it.delivery
		switch {
		case d == nil:
		case d.Outcome == webhook.OutcomeRejected:
			rejected = true
			if _, err := tx.exec(ctx, insertRejection, d.ReceivedAt.UnixMicro(), d.Duration.Microseconds(), d.Status, d.Error,
				d.EventID, string(d.Event)); err != nil {
				return err
			}
		default:
			deliveries = append(deliveries, d)
		}
	}
	for lo := 0; lo < len(deliveries); lo += per {
		chunk := deliveries[lo:min(lo+per, len(deliveries))]
		q := "INSERT INTO hk_deliveries (" + insertDeliveryCols + ") VALUES " + repeatRows(insertDeliveryRow, len(chunk))
		args := make([]any, 0, 10*len(chunk))
		for _, d := range chunk {
			actions, err := json.Marshal(nonNil(d.Actions))
			if err != nil {
				return err
			}
			key := eventKey(d.Account, d.EventID)
			args = append(args, key, d.Account, string(d.Event), d.ReceivedAt.UnixMicro(), d.Duration.Microseconds(), d.Status,
				d.Outcome, key, d.Error, string(actions))
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
	}
	if rejected {
		if _, err := tx.exec(ctx, trimRejections, int64(e.o.rejectedKept)); err != nil {
			return err
		}
	}
	if len(jobs) > 0 {
		if err := e.rv.insertTx(ctx, tx, jobs); err != nil {
			return err
		}
	}
	return tx.commit(ctx)
}

// retryableTx reports a PostgreSQL deadlock (40P01) or serialisation
// failure (40001): the transaction was rolled back and may simply run again.
func retryableTx(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// repeatRows writes n copies of a VALUES row, comma-separated.
func repeatRows(row string, n int) string {
	if n == 1 {
		return row
	}
	var b strings.Builder
	b.Grow(n * (len(row) + 2))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

func nonNil(a []webhook.ActionOutcome) []webhook.ActionOutcome {
	if a == nil {
		return []webhook.ActionOutcome{}
	}
	return a
}

// payClass is the payment class of a purchase event type, as DESIGN.md's
// stale rule uses it; "" for events that are not about a payment.
func payClass(t hotmart.EventType) string {
	switch t {
	case hotmart.EventPurchaseBilletPrinted:
		return "pending"
	case hotmart.EventPurchaseApproved, hotmart.EventPurchaseComplete:
		return "paid"
	case hotmart.EventPurchaseCanceled, hotmart.EventPurchaseExpired, hotmart.EventPurchaseDelayed:
		return "failed"
	case hotmart.EventPurchaseRefunded, hotmart.EventPurchaseChargeback, hotmart.EventPurchaseProtest:
		return "refunded"
	}
	return ""
}

// storedEnvelope is how an event is kept: the envelope without its hottok,
// and the data section as received, so the worker rebuilds the same event.
type storedEnvelope struct {
	ID           string          `json:"id"`
	Event        string          `json:"event"`
	Version      string          `json:"version"`
	CreationDate int64           `json:"creation_date,omitempty"`
	Data         json.RawMessage `json:"data,omitempty"`
}

func encodePayload(ev *hotmart.Event) (string, error) {
	env := storedEnvelope{ID: ev.ID, Event: string(ev.Type), Version: ev.Version, Data: ev.Raw}
	if !ev.CreatedAt.IsZero() {
		env.CreationDate = ev.CreatedAt.UnixMilli()
	}
	b, err := json.Marshal(env)
	return string(b), err
}

// decodePayload rebuilds the event. Legacy 1.0 events keep their flat
// fields in Raw and are parsed again as such.
func decodePayload(s string) (*hotmart.Event, error) {
	var env storedEnvelope
	if err := json.Unmarshal([]byte(s), &env); err != nil {
		return nil, err
	}
	if env.Version == hotmart.LegacyVersion {
		ev, err := hotmart.ParseLegacyJSON(env.Data)
		if ev != nil {
			ev.ID = env.ID
			return ev, nil
		}
		return nil, err
	}
	ev, err := hotmart.ParseEvent([]byte(s))
	if ev != nil {
		return ev, nil // a data-section error was accepted at the door too
	}
	return nil, err
}
