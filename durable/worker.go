package durable

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// eventWorker runs the Processor on one queued event.
type eventWorker struct {
	river.WorkerDefaults[eventArgs]
	e *Engine
}

func (w *eventWorker) Work(ctx context.Context, job *river.Job[eventArgs]) error {
	var meta struct {
		Snoozes int `json:"snoozes"`
	}
	_ = json.Unmarshal(job.Metadata, &meta)
	return w.e.work(ctx, job.Args.EventID, job.Attempt, job.MaxAttempts, meta.Snoozes)
}

// maxSnoozes bounds how often a provider's Retry-After may put an event
// off without spending an attempt: a provider that answers 429 forever
// must not keep an event alive forever.
const maxSnoozes = 100

// A provider error that carried Retry-After offers one of these methods
// (the providers' APIError has RetryDelay).
type (
	retryAfterer interface{ RetryAfter() time.Duration }
	retryDelayer interface{ RetryDelay() time.Duration }
)

// retryAfter finds the wait a provider asked for anywhere in err's chain.
func retryAfter(err error) time.Duration {
	var ra retryAfterer
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return ra.RetryAfter()
	}
	var rd retryDelayer
	if errors.As(err, &rd) && rd.RetryDelay() > 0 {
		return rd.RetryDelay()
	}
	return 0
}

type loadedEvent struct {
	state, email, transaction, class, payload string
	account                                   string
	createdAt, receivedAt                     int64
	actions                                   string
}

func (e *Engine) loadEvent(ctx context.Context, q querier, id string) (loadedEvent, bool, error) {
	var r loadedEvent
	found := false
	err := q.query(ctx, `SELECT state, buyer_email, transaction_code, pay_class, payload, created_at, received_at, actions, account
		FROM hk_events WHERE event_id = ?`, []any{id}, func(scan func(...any) error) error {
		found = true
		return scan(&r.state, &r.email, &r.transaction, &r.class, &r.payload, &r.createdAt, &r.receivedAt, &r.actions, &r.account)
	})
	return r, found, err
}

func finished(state string) bool {
	return state == string(webhook.StateDone) || state == string(webhook.StateStale)
}

// work is one attempt. The event's state is written whatever happens to
// ctx (a cancelled attempt still says it will be retried).
func (e *Engine) work(ctx context.Context, id string, attempt, maxAttempts, snoozes int) error {
	bg := context.WithoutCancel(ctx)
	ev, found, err := e.loadEvent(ctx, e.db, id)
	if err != nil {
		return err
	}
	if !found || finished(ev.state) {
		// Gone after retention, or an older job of an event a replay or
		// another job already finished: nothing to do.
		return nil
	}
	l, ev, found, err := e.claim(ctx, id, ev, attempt)
	if err != nil {
		e.setRetrying(bg, nil, id, attempt, maxAttempts, "waiting for another event of the same buyer: "+err.Error(), nil)
		return err
	}
	if !found {
		return nil
	}
	defer l.release(e) // unless a final write released it already
	if stale, err := e.isStale(ctx, id, ev); err != nil {
		return err
	} else if stale {
		return e.write(bg, l, `UPDATE hk_events SET state = 'stale', next_attempt_at = 0, last_error = '', updated_at = ? WHERE event_id = ?`,
			nowMicro(), id)
	}
	event, err := decodePayload(ev.payload)
	if err != nil {
		// Cannot happen for what the door accepted; retrying will not help.
		e.setFinal(bg, l, id, webhook.StateDead, "stored event does not decode", ev.actions, nil)
		return river.JobCancel(errors.New("stored event does not decode"))
	}
	if ev.account != "" { // several accounts: the processor routes by it (webhook.ByAccount)
		ctx = webhook.ContextWithAccount(ctx, ev.account)
	}
	runCtx, actions := webhook.ProcessContext(ctx, stepStore{e}, id, attempt)
	perr := safeProcess(runCtx, e.proc, event)
	got := actions()
	merged := mergeActions(ev.actions, got)
	if perr == nil || errors.Is(perr, webhook.ErrNoHandler) {
		e.setFinal(bg, l, id, webhook.StateDone, "", "", merged)
		return nil
	}
	msg := scrub(errorText(perr, got), event)
	if ra := retryAfter(perr); ra > 0 && ctx.Err() == nil && snoozes < maxSnoozes {
		wait := min(ra, e.o.retryMax)
		next := time.Now().Add(wait)
		e.setRetryingAt(bg, l, id, "snoozed: "+msg, merged, next)
		return river.JobSnooze(wait)
	}
	if attempt >= maxAttempts {
		e.setFinal(bg, l, id, webhook.StateDead, msg, "", merged)
		return errors.New(msg)
	}
	e.setRetrying(bg, l, id, attempt, maxAttempts, msg, merged)
	return errors.New(msg)
}

// orderWait bounds how long an event waits for earlier events of its buyer
// that are queued or running: deliveries that arrive together run in the
// order they arrived, but a backlog never blocks a buyer for long.
const orderWait = 5 * time.Second

// lease is a held buyer lock row.
type lease struct {
	key, holder string
	released    bool
}

func (l *lease) release(e *Engine) {
	if l == nil || l.released {
		return
	}
	l.released = true
	_, _ = e.db.exec(context.Background(), `DELETE FROM hk_locks WHERE lock_key = ? AND holder = ?`, l.key, l.holder)
}

// claim takes the buyer's lease and marks the event running, in one
// transaction (one fsync), after letting earlier queued or running events
// of the same buyer go first (up to orderWait). Events of one buyer thus
// run one at a time across every process sharing the database; a holder
// that died frees the lease when it runs out. The wait polls and ends with
// ctx. found is false when the event was finished meanwhile.
func (e *Engine) claim(ctx context.Context, id string, ev loadedEvent, attempt int) (*lease, loadedEvent, bool, error) {
	l := &lease{key: lockKey(id, ev), holder: e.holder + ":" + randomID()}
	leaseFor := e.o.jobTimeout + rescueMargin(e.o.jobTimeout)
	deadline := time.Now().Add(orderWait)
	pause := 5 * time.Millisecond
	for {
		cur, state, err := e.tryClaim(ctx, id, l, leaseFor, attempt, time.Now().After(deadline))
		switch {
		case err != nil:
			return nil, ev, false, err
		case state == claimTaken:
			return l, cur, true, nil
		case state == claimFinished:
			return nil, cur, false, nil
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ev, false, ctx.Err()
		case <-t.C:
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

type claimState int

const (
	claimWait claimState = iota
	claimTaken
	claimFinished
)

func (e *Engine) tryClaim(ctx context.Context, id string, l *lease, leaseFor time.Duration, attempt int, pastOrderWait bool) (loadedEvent, claimState, error) {
	var cur loadedEvent
	tx, err := e.db.begin(ctx)
	if err != nil {
		return cur, claimWait, err
	}
	defer func() { _ = tx.rollback(context.WithoutCancel(ctx)) }()
	now := time.Now()
	n, err := tx.exec(ctx, `INSERT INTO hk_locks (lock_key, holder, until_at) VALUES (?, ?, ?)
		ON CONFLICT (lock_key) DO UPDATE SET holder = excluded.holder, until_at = excluded.until_at
		WHERE hk_locks.until_at < ?`, l.key, l.holder, now.Add(leaseFor).UnixMicro(), now.UnixMicro())
	if err != nil || n == 0 {
		return cur, claimWait, err
	}
	// Under the lease, read again: the event may have been finished meanwhile.
	cur, found, err := e.loadEvent(ctx, tx, id)
	if err != nil {
		return cur, claimWait, err
	}
	if !found || finished(cur.state) {
		return cur, claimFinished, nil // the rollback frees the lease
	}
	if cur.email != "" && !pastOrderWait {
		earlier := false
		err = tx.query(ctx, `SELECT 1 FROM hk_events WHERE buyer_email = ? AND state IN ('queued', 'running')
			AND (received_at < ? OR (received_at = ? AND event_id < ?)) LIMIT 1`,
			[]any{cur.email, cur.receivedAt, cur.receivedAt, id}, func(scan func(...any) error) error {
				earlier = true
				var one int64
				return scan(&one)
			})
		if err != nil || earlier {
			return cur, claimWait, err
		}
	}
	if _, err := tx.exec(ctx, `UPDATE hk_events SET state = 'running', attempts = ?, updated_at = ? WHERE event_id = ?`,
		attempt, nowMicro(), id); err != nil {
		return cur, claimWait, err
	}
	return cur, claimTaken, tx.commit(ctx)
}

// write runs one statement and, in the same transaction, frees the lease.
func (e *Engine) write(ctx context.Context, l *lease, q string, args ...any) error {
	tx, err := e.db.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.rollback(ctx) }()
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return err
	}
	if l != nil && !l.released {
		if _, err := tx.exec(ctx, `DELETE FROM hk_locks WHERE lock_key = ? AND holder = ?`, l.key, l.holder); err != nil {
			return err
		}
	}
	if err := tx.commit(ctx); err != nil {
		return err
	}
	if l != nil {
		l.released = true
	}
	return nil
}

func lockKey(id string, ev loadedEvent) string {
	if ev.email != "" {
		return "buyer:" + ev.email
	}
	return "event:" + id
}

func nowMicro() int64 { return time.Now().UnixMicro() }

func (e *Engine) setRetrying(ctx context.Context, l *lease, id string, attempt, maxAttempts int, msg string, actions []webhook.ActionOutcome) {
	if attempt >= maxAttempts {
		e.setFinal(ctx, l, id, webhook.StateDead, msg, "", actions)
		return
	}
	rp := retryPolicy{base: e.o.retryBase, max: e.o.retryMax}
	e.setRetryingAt(ctx, l, id, msg, actions, time.Now().Add(rp.delay(attempt)))
}

func (e *Engine) setRetryingAt(ctx context.Context, l *lease, id, msg string, actions []webhook.ActionOutcome, next time.Time) {
	q := `UPDATE hk_events SET state = 'retrying', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE event_id = ?`
	args := []any{next.UnixMicro(), msg, nowMicro(), id}
	if actions != nil {
		b, _ := json.Marshal(actions)
		q = `UPDATE hk_events SET state = 'retrying', next_attempt_at = ?, last_error = ?, updated_at = ?, actions = ? WHERE event_id = ?`
		args = []any{next.UnixMicro(), msg, nowMicro(), string(b), id}
	}
	if err := e.write(ctx, l, q, args...); err != nil {
		e.log.Warn("durable: recording event state", "event_id", id, "error", err.Error())
	}
}

// setFinal records done or dead. actionsJSON is used when actions is nil.
func (e *Engine) setFinal(ctx context.Context, l *lease, id string, state webhook.EventState, msg, actionsJSON string, actions []webhook.ActionOutcome) {
	if actions != nil {
		b, _ := json.Marshal(actions)
		actionsJSON = string(b)
	}
	if actionsJSON == "" {
		actionsJSON = "[]"
	}
	if err := e.write(ctx, l, `UPDATE hk_events SET state = ?, next_attempt_at = 0, last_error = ?, actions = ?, updated_at = ? WHERE event_id = ?`,
		string(state), msg, actionsJSON, nowMicro(), id); err != nil {
		e.log.Warn("durable: recording event state", "event_id", id, "error", err.Error())
	}
}

// mergeActions keeps one outcome per segmentation: the newest, except that
// "skipped" (done by an earlier attempt) does not hide that attempt's "ok".
func mergeActions(prevJSON string, now []webhook.ActionOutcome) []webhook.ActionOutcome {
	var prev []webhook.ActionOutcome
	_ = json.Unmarshal([]byte(prevJSON), &prev)
	out := append([]webhook.ActionOutcome{}, prev...)
	for _, a := range now {
		i := -1
		for j := range out {
			if out[j].Segmentation == a.Segmentation {
				i = j
				break
			}
		}
		switch {
		case i < 0:
			out = append(out, a)
		case a.Status == "skipped" && out[i].Status == "ok":
		default:
			out[i] = a
		}
	}
	return out
}

// errorText prefers the actions' own (already redacted) errors.
func errorText(err error, actions []webhook.ActionOutcome) string {
	var parts []string
	for _, a := range actions {
		if a.Status == "failed" {
			parts = append(parts, a.Segmentation+": "+a.Error)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// scrub removes the buyer's personal data from an error text.
func scrub(s string, ev *hotmart.Event) string {
	if ev == nil {
		return s
	}
	b := ev.Buyer()
	for _, v := range []string{b.Email, b.Name, b.Phone.Number, b.Phone.String(), b.Document} {
		if len(v) >= 3 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	if len(s) > 2000 {
		s = s[:2000]
	}
	return s
}

func safeProcess(ctx context.Context, p webhook.Processor, ev *hotmart.Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			err = fmt.Errorf("processor panicked (%T)", r)
		}
	}()
	return p.Process(ctx, ev)
}

// isStale applies DESIGN.md's rule: an event older (creation_date) than an
// already processed event of the same transaction whose payment class
// differs runs nothing. Same-class events (APPROVED and COMPLETE) both run.
func (e *Engine) isStale(ctx context.Context, id string, ev loadedEvent) (bool, error) {
	if ev.class == "" || ev.transaction == "" || ev.createdAt == 0 {
		return false, nil
	}
	found := false
	err := e.db.query(ctx, `SELECT 1 FROM hk_events WHERE transaction_code = ? AND account = ? AND event_id <> ? AND state = 'done'
		AND pay_class <> '' AND pay_class <> ? AND created_at > ? LIMIT 1`,
		[]any{ev.transaction, ev.account, id, ev.class, ev.createdAt}, func(scan func(...any) error) error {
			found = true
			var one int64
			return scan(&one)
		})
	return found, err
}

// stepStore keeps step marks in hk_steps.
type stepStore struct{ e *Engine }

func (s stepStore) MarkStep(ctx context.Context, id, key string) error {
	_, err := s.e.db.exec(context.WithoutCancel(ctx), `INSERT INTO hk_steps (event_id, step_key, done_at) VALUES (?, ?, ?)
		ON CONFLICT (event_id, step_key) DO NOTHING`, id, key, nowMicro())
	return err
}

func (s stepStore) StepDone(ctx context.Context, id, key string) (bool, error) {
	found := false
	err := s.e.db.query(ctx, `SELECT 1 FROM hk_steps WHERE event_id = ? AND step_key = ?`, []any{id, key},
		func(scan func(...any) error) error {
			found = true
			var one int64
			return scan(&one)
		})
	return found, err
}
