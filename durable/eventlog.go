package durable

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

var _ webhook.EventLog = (*Engine)(nil)

const eventColumns = `event_id, event_type, account, source, transaction_code, product_id, created_at, received_at,
	state, attempts, next_attempt_at, last_error, actions, buyer_email, payload`

func scanEvent(scan func(...any) error) (webhook.EventRecord, error) {
	var (
		r                         webhook.EventRecord
		typ, state, actions, pl   string
		created, received, nextAt int64
		attempts                  int64
	)
	if err := scan(&r.EventID, &typ, &r.Account, &r.Source, &r.Transaction, &r.ProductID, &created, &received,
		&state, &attempts, &nextAt, &r.LastError, &actions, &r.BuyerEmail, &pl); err != nil {
		return r, err
	}
	r.EventID = publicID(r.Account, r.EventID)
	r.Event, r.State, r.Attempts = hotmart.EventType(typ), webhook.EventState(state), int(attempts)
	if created != 0 {
		r.CreatedAt = time.UnixMicro(created).UTC()
	}
	r.ReceivedAt = time.UnixMicro(received).UTC()
	if nextAt != 0 && r.State == webhook.StateRetrying {
		t := time.UnixMicro(nextAt).UTC()
		r.NextAttemptAt = &t
	}
	if err := json.Unmarshal([]byte(actions), &r.Actions); err != nil || r.Actions == nil {
		r.Actions = []webhook.ActionOutcome{}
	}
	var env storedEnvelope
	if json.Unmarshal([]byte(pl), &env) == nil {
		r.Payload = env.Data
	}
	return r, nil
}

// Events implements webhook.EventLog: newest received first.
func (e *Engine) Events(ctx context.Context, q webhook.EventQuery) ([]webhook.EventRecord, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, v any) { where = append(where, cond); args = append(args, v) }
	if q.Account != "" {
		add("account = ?", q.Account)
	}
	if q.State != "" {
		add("state = ?", string(q.State))
	}
	if q.Type != "" {
		add("event_type = ?", string(q.Type))
	}
	if q.Transaction != "" {
		add("transaction_code = ?", q.Transaction)
	}
	if q.Email != "" {
		add("buyer_email = ?", strings.ToLower(strings.TrimSpace(q.Email)))
	}
	if !q.Since.IsZero() {
		add("received_at >= ?", q.Since.UnixMicro())
	}
	if !q.Before.IsZero() {
		add("received_at < ?", q.Before.UnixMicro())
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	sql := "SELECT " + eventColumns + " FROM hk_events"
	if len(where) > 0 {
		sql += " WHERE " + strings.Join(where, " AND ")
	}
	sql += " ORDER BY received_at DESC, event_id DESC LIMIT ?"
	args = append(args, limit)
	out := []webhook.EventRecord{}
	err := e.db.query(ctx, sql, args, func(scan func(...any) error) error {
		r, err := scanEvent(scan)
		if err == nil {
			out = append(out, r)
		}
		return err
	})
	return out, err
}

// Event implements webhook.EventLog.
func (e *Engine) Event(ctx context.Context, id string) (webhook.EventRecord, error) {
	var (
		r     webhook.EventRecord
		found bool
	)
	key, err := e.resolveKey(ctx, id)
	if err != nil {
		return r, err
	}
	err = e.db.query(ctx, "SELECT "+eventColumns+" FROM hk_events WHERE event_id = ?", []any{key},
		func(scan func(...any) error) error {
			var err error
			r, err = scanEvent(scan)
			found = err == nil
			return err
		})
	if err != nil {
		return r, err
	}
	if !found {
		return r, webhook.ErrEventNotFound
	}
	return r, nil
}

// Replay implements webhook.EventLog: the event is queued again with its
// attempts reset, whatever its state; step marks stay, so actions that
// already succeeded are skipped.
func (e *Engine) Replay(ctx context.Context, id string) (webhook.EventRecord, error) {
	id, err := e.resolveKey(ctx, id)
	if err != nil {
		return webhook.EventRecord{}, err
	}
	tx, err := e.db.begin(ctx)
	if err != nil {
		return webhook.EventRecord{}, err
	}
	defer func() { _ = tx.rollback(context.WithoutCancel(ctx)) }()
	n, err := tx.exec(ctx, `UPDATE hk_events SET state = 'queued', attempts = 0, next_attempt_at = 0, last_error = '',
		updated_at = ? WHERE event_id = ?`, nowMicro(), id)
	if err != nil {
		return webhook.EventRecord{}, err
	}
	if n == 0 {
		return webhook.EventRecord{}, webhook.ErrEventNotFound
	}
	if err := e.rv.insertTx(ctx, tx, []river.InsertManyParams{{Args: eventArgs{EventID: id}}}); err != nil {
		return webhook.EventRecord{}, err
	}
	if err := tx.commit(ctx); err != nil {
		return webhook.EventRecord{}, err
	}
	return e.Event(ctx, id) // a key resolves to itself
}

// History returns the delivery history kept in the database, for
// webhook.WithHistory. Rejected requests are kept apart and trimmed to the
// newest WithRejectedKept; each delivery's State is its event's state now.
func (e *Engine) History() webhook.History { return history{e} }

type history struct{ e *Engine }

// Record implements webhook.History. The delivery that brought an event in
// (the Handler's outcome "processed": the door succeeded) is the event's
// own row, shown with outcome "queued"; other deliveries (duplicates,
// failures, rejections) join the next group commit, and Record returns
// without waiting for it: the Handler records after answering, and the
// connection should be free for Hotmart's next delivery.
func (h history) Record(_ context.Context, d webhook.Delivery) error {
	if d.Outcome == webhook.OutcomeProcessed {
		// The door just committed this event: its row is this delivery's
		// record (see Deliveries), one write less per delivery.
		return nil
	}
	return h.e.batch.post(batchItem{delivery: &d})
}

// OutcomeQueued is the Delivery.Outcome of a delivery committed at the door.
const OutcomeQueued = "queued"

// Deliveries implements webhook.History, newest first. A queued delivery
// shows its event's actions so far.
func (h history) Deliveries(ctx context.Context, q webhook.Query) ([]webhook.Delivery, error) {
	h.e.batch.flushPosted(ctx)
	var (
		where []string
		args  []any
	)
	if q.EventID != "" {
		where, args = append(where, "d.event_id = ?"), append(args, eventKey(q.Account, q.EventID))
	}
	if q.Account != "" {
		where, args = append(where, "d.account = ?"), append(args, q.Account)
	}
	if q.Status != 0 {
		where, args = append(where, "d.status = ?"), append(args, q.Status)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	evCond := strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(cond, "d.event_id", "e.event_id"), "d.status", "200"), "d.account", "e.account")
	if evCond == "" {
		evCond = " WHERE e.source = 'webhook'"
	} else {
		evCond += " AND e.source = 'webhook'"
	}
	// Each branch takes its newest rows through its received_at index
	// before the merge, so the cost follows the limit, not the 60 days held.
	sql := `SELECT * FROM (
		SELECT * FROM (SELECT e.received_at AS at, 0 AS seq, e.event_id, e.account, e.event_type, 0, 200, '` + OutcomeQueued + `', 1, '', '[]', e.state, e.actions
			FROM hk_events e` + evCond + ` ORDER BY e.received_at DESC LIMIT ?) AS ev
		UNION ALL
		SELECT * FROM (SELECT d.received_at AS at, d.id AS seq, d.event_id, d.account, d.event_type, d.duration_us, d.status, d.outcome, d.attempt,
			d.error, d.actions, COALESCE(ev.state, ''), COALESCE(ev.actions, '[]')
			FROM hk_deliveries d LEFT JOIN hk_events ev ON ev.event_id = d.event_id` + cond + ` ORDER BY d.received_at DESC LIMIT ?) AS dl
		UNION ALL
		SELECT * FROM (SELECT r.received_at AS at, r.id AS seq, r.event_id, '', r.event_type, r.duration_us, r.status, 'rejected', 0, r.error,
			'[]', '', '[]'
			FROM hk_rejections r` + strings.ReplaceAll(strings.ReplaceAll(strings.ReplaceAll(cond, "d.event_id", "r.event_id"), "d.status", "r.status"), "d.account", "''") + ` ORDER BY r.id DESC LIMIT ?) AS rj
	) AS u ORDER BY 1 DESC, 2 DESC LIMIT ?`
	base := args
	args = nil
	for range 3 {
		args = append(append(args, base...), limit)
	}
	args = append(args, limit)
	out := []webhook.Delivery{}
	err := h.e.db.query(ctx, sql, args, func(scan func(...any) error) error {
		var (
			d                              webhook.Delivery
			at, id, dur, status, attempt   int64
			typ, actions, state, evActions string
		)
		if err := scan(&at, &id, &d.EventID, &d.Account, &typ, &dur, &status, &d.Outcome, &attempt, &d.Error, &actions, &state, &evActions); err != nil {
			return err
		}
		d.EventID = publicID(d.Account, d.EventID)
		d.ReceivedAt, d.Duration = time.UnixMicro(at).UTC(), time.Duration(dur)*time.Microsecond
		d.Event, d.Status, d.Attempt, d.State = hotmart.EventType(typ), int(status), int(attempt), webhook.EventState(state)
		_ = json.Unmarshal([]byte(actions), &d.Actions)
		if len(d.Actions) == 0 && d.Outcome == OutcomeQueued {
			_ = json.Unmarshal([]byte(evActions), &d.Actions)
		}
		out = append(out, d)
		return nil
	})
	return out, err
}

// ErrNotFound is webhook.ErrEventNotFound, for callers of this package.
var ErrNotFound = webhook.ErrEventNotFound

// CountByState counts the events held in each state: a cheap progress and
// health probe (a backlog of queued or retrying events, dead ones).
func (e *Engine) CountByState(ctx context.Context) (map[webhook.EventState]int, error) {
	out := map[webhook.EventState]int{}
	err := e.db.query(ctx, `SELECT state, COUNT(*) FROM hk_events GROUP BY state`, nil,
		func(scan func(...any) error) error {
			var (
				s string
				n int64
			)
			if err := scan(&s, &n); err != nil {
				return err
			}
			out[webhook.EventState(s)] = int(n)
			return nil
		})
	return out, err
}
