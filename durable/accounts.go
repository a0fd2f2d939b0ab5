package durable

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// AccountStore is what reconciliation (package accounts) needs of the
// database: which events are known, queueing synthetic events, and each
// account's checkpoint. HasEvent and Enqueue have the shapes of
// accounts.Known and accounts.Enqueuer; KnownEvents and the checkpoint
// methods use this package's EventKey and plain times, so a host adapts
// them to accounts.BatchKnown and accounts.Checkpoints in a few lines
// (this package does not import accounts). Get it with
// Engine.AccountStore.
type AccountStore struct{ e *Engine }

// EventKey names one event type of one transaction (accounts.EventKey).
type EventKey struct {
	Transaction string
	Type        hotmart.EventType
}

// Sources of events queued by Enqueue (accounts.SourceSync and
// accounts.SourceBackfill).
const (
	SourceSync     = webhook.SourceSync
	SourceBackfill = webhook.SourceBackfill
)

// AccountStore returns the engine's AccountStore.
//
// From then on this process's door also records which webhook event covers
// each (transaction, event type), so a sync racing with it never runs the
// same one twice: call it on every process of a host that reconciles, or
// serve several accounts (WithHottokResolver), where the door always does.
func (e *Engine) AccountStore() *AccountStore {
	e.covers.Store(true)
	return &AccountStore{e}
}

// knownStates are the states in which an event counts as known to
// reconciliation: dead and stale events are not, so a sale whose webhook
// died still gets its synthetic event.
const knownStates = `('queued', 'running', 'retrying', 'done')`

// eventKey is the row key of an account's event: the event id scoped by
// account (webhook.ScopeID), except a synthetic id, which names its account
// already.
func eventKey(account, id string) string {
	if account != "" && strings.HasPrefix(id, "sync:"+account+":") {
		return id
	}
	return webhook.ScopeID(account, id)
}

// publicID is the event id as Hotmart (or the sync) gave it: the row key
// without its account scope.
func publicID(account, key string) string {
	if account == "" || strings.HasPrefix(key, "sync:") {
		return key
	}
	return strings.TrimPrefix(key, account+":")
}

// HasEvent reports whether account has an event of type t for the
// transaction that is queued, running, retrying or done (accounts.Known).
func (st *AccountStore) HasEvent(ctx context.Context, account, transaction string, t hotmart.EventType) (bool, error) {
	got, err := st.KnownEvents(ctx, account, []EventKey{{Transaction: transaction, Type: t}})
	return got[EventKey{Transaction: transaction, Type: t}], err
}

// KnownEvents is HasEvent for many keys in one query per 200
// transactions; the map holds true for the keys known.
func (st *AccountStore) KnownEvents(ctx context.Context, account string, keys []EventKey) (map[EventKey]bool, error) {
	out := make(map[EventKey]bool, len(keys))
	const per = 200
	for lo := 0; lo < len(keys); lo += per {
		chunk := keys[lo:min(lo+per, len(keys))]
		seen := map[string]bool{}
		args := []any{account}
		var marks []string
		for _, k := range chunk {
			if seen[k.Transaction] {
				continue
			}
			seen[k.Transaction] = true
			args = append(args, k.Transaction)
			marks = append(marks, "?")
		}
		q := `SELECT transaction_code, event_type FROM hk_events WHERE account = ? AND transaction_code IN (` +
			strings.Join(marks, ", ") + `) AND state IN ` + knownStates
		err := st.e.db.query(ctx, q, args, func(scan func(...any) error) error {
			var tx, typ string
			if err := scan(&tx, &typ); err != nil {
				return err
			}
			out[EventKey{Transaction: tx, Type: hotmart.EventType(typ)}] = true
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Enqueue (accounts.Enqueuer) commits synthetic events of an
// account with their source ("sync" or "backfill") and queues them, in one
// transaction. An id already held, or a (transaction, event type) that a
// live event (queued, running, retrying or done) already covers — a webhook
// that arrived while the sync was listing — is not queued and not counted.
func (st *AccountStore) Enqueue(ctx context.Context, account string, events []*hotmart.Event, source string) (int, error) {
	if source == "" {
		source = SourceSync
	}
	queued := 0
	const per = 100
	for lo := 0; lo < len(events); lo += per {
		n, err := st.enqueueChunk(ctx, account, events[lo:min(lo+per, len(events))], source)
		queued += n
		if err != nil {
			return queued, err
		}
	}
	return queued, nil
}

func (st *AccountStore) enqueueChunk(ctx context.Context, account string, events []*hotmart.Event, source string) (int, error) {
	tx, err := st.e.db.begin(ctx)
	if err != nil {
		return 0, err
	}
	defer func() { _ = tx.rollback(context.WithoutCancel(ctx)) }()
	now := time.Now()
	rows := make([]*eventRow, 0, len(events))
	for _, ev := range events {
		row, err := newEventRow(ev, source, now)
		if err != nil {
			return 0, err
		}
		row.account, row.id = account, eventKey(account, ev.ID)
		rows = append(rows, row)
	}
	// Covers in key order, as the door takes them (see dropCovered).
	sort.SliceStable(rows, func(i, j int) bool { return coverLess(rows[i], rows[j]) })
	var jobs []river.InsertManyParams
	for _, row := range rows {
		ok, err := st.e.claimCover(ctx, tx, row)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		inserted := false
		err = tx.query(ctx, "INSERT INTO hk_events ("+insertEventCols+") VALUES "+insertEventRow+insertEventEnd,
			[]any{row.id, row.typ, row.version, row.account, row.source, row.transaction, row.product, row.email, row.class,
				row.createdAt, row.receivedAt, row.payload, row.receivedAt},
			func(scan func(...any) error) error {
				inserted = true
				var id string
				return scan(&id)
			})
		if err != nil {
			return 0, err
		}
		if inserted {
			jobs = append(jobs, river.InsertManyParams{Args: eventArgs{EventID: row.id}})
		}
	}
	if len(jobs) > 0 {
		if err := st.e.rv.insertTx(ctx, tx, jobs); err != nil {
			return 0, err
		}
	}
	if err := tx.commit(ctx); err != nil {
		return 0, err
	}
	return len(jobs), nil
}

// hk_covers holds, per (account, transaction, event type), the event that
// runs it. Its primary key is what makes the webhook door and a sync that
// race agree: the second to insert waits for the first to commit, then
// sees its row.

// claimCover decides, for a synthetic event, whether it may run: it takes
// the cover unless a live event of another id holds it.
func (e *Engine) claimCover(ctx context.Context, tx dbTx, row *eventRow) (bool, error) {
	if row.transaction == "" || row.class == "" {
		return true, nil
	}
	holder, live, err := e.cover(ctx, tx, row)
	if err != nil {
		return false, err
	}
	switch {
	case holder == row.id:
		return true, nil // ours (a retried insert): the event id decides
	case live:
		return false, nil
	}
	_, err = tx.exec(ctx, `UPDATE hk_covers SET event_id = ?, source = ? WHERE account = ? AND transaction_code = ? AND event_type = ?`,
		row.id, row.source, row.account, row.transaction, row.typ)
	return err == nil, err
}

// cover inserts row as the cover of its key unless one exists, and returns
// the holder: its event id, and whether that event is live.
func (e *Engine) cover(ctx context.Context, tx dbTx, row *eventRow) (holder string, live bool, err error) {
	if _, err = tx.exec(ctx, `INSERT INTO hk_covers (account, transaction_code, event_type, event_id, source) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account, transaction_code, event_type) DO NOTHING`,
		row.account, row.transaction, row.typ, row.id, row.source); err != nil {
		return
	}
	var state string
	err = tx.query(ctx, `SELECT c.event_id, COALESCE(ev.state, '') FROM hk_covers c
		LEFT JOIN hk_events ev ON ev.event_id = c.event_id
		WHERE c.account = ? AND c.transaction_code = ? AND c.event_type = ?`,
		[]any{row.account, row.transaction, row.typ}, func(scan func(...any) error) error {
			return scan(&holder, &state)
		})
	if err != nil {
		return
	}
	switch state {
	case "queued", "running", "retrying", "done":
		live = true
	case "":
		// The holder is being inserted in this very transaction (ours),
		// or it is gone (retention): only ours counts as live.
		live = holder == row.id
	}
	return
}

// GetCheckpoint returns where account's reconciliation stands
// (accounts.Checkpoint's Start and Through); ok is false for an account
// never synced.
func (st *AccountStore) GetCheckpoint(ctx context.Context, account string) (start, through time.Time, ok bool, err error) {
	var (
		found    bool
		startUs  int64
		throughU int64
	)
	err = st.e.db.query(ctx, `SELECT start_at, through_at FROM hk_checkpoints WHERE account = ?`, []any{account},
		func(scan func(...any) error) error {
			found = true
			return scan(&startUs, &throughU)
		})
	if err != nil || !found {
		return start, through, false, err
	}
	if startUs != 0 {
		start = time.UnixMicro(startUs).UTC()
	}
	if throughU != 0 {
		through = time.UnixMicro(throughU).UTC()
	}
	return start, through, true, nil
}

// PutCheckpoint stores account's checkpoint; it survives restarts.
func (st *AccountStore) PutCheckpoint(ctx context.Context, account string, start, through time.Time) error {
	micro := func(t time.Time) int64 {
		if t.IsZero() {
			return 0
		}
		return t.UnixMicro()
	}
	_, err := st.e.db.exec(ctx, `INSERT INTO hk_checkpoints (account, start_at, through_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account) DO UPDATE SET start_at = excluded.start_at, through_at = excluded.through_at,
		updated_at = excluded.updated_at`, account, micro(start), micro(through), nowMicro())
	return err
}

// errNoSyncer is a sync job's error when the engine has no sync function
// (a process that did not call ScheduleSync took the job): retried later,
// by a process that has one.
var errNoSyncer = errors.New("durable: sync job taken by a process without a sync function")

// dropCovered removes from a door batch the webhook events whose (account,
// transaction, event type) a live synthetic event covers: they are
// answered as duplicates (their result stays not new) and run nothing. It
// takes the covers of the others, so a sync racing with this batch sees
// them. Both take covers in key order, in a few statements per batch, so
// two transactions never wait on each other in opposite orders.
//
// A process that neither serves several accounts nor reconciles (no
// account on the event, AccountStore never called) skips this: no sync can
// race with it.
func (e *Engine) dropCovered(ctx context.Context, tx dbTx, events []*eventRow) ([]*eventRow, error) {
	var cands []*eventRow
	for _, r := range events {
		if r.source == webhook.SourceWebhook && r.transaction != "" && r.class != "" && (r.account != "" || e.covers.Load()) {
			cands = append(cands, r)
		}
	}
	if len(cands) == 0 {
		return events, nil
	}
	sort.Slice(cands, func(i, j int) bool { return coverLess(cands[i], cands[j]) })
	type key struct{ account, transaction, typ string }
	covered := map[key]bool{}
	const per = 100
	for lo := 0; lo < len(cands); lo += per {
		chunk := cands[lo:min(lo+per, len(cands))]
		ins := make([]any, 0, 5*len(chunk))
		sel := make([]any, 0, 3*len(chunk))
		var or []string
		for _, r := range chunk {
			ins = append(ins, r.account, r.transaction, r.typ, r.id, r.source)
			sel = append(sel, r.account, r.transaction, r.typ)
			or = append(or, "(c.account = ? AND c.transaction_code = ? AND c.event_type = ?)")
		}
		if _, err := tx.exec(ctx, `INSERT INTO hk_covers (account, transaction_code, event_type, event_id, source) VALUES `+
			repeatRows("(?, ?, ?, ?, ?)", len(chunk))+` ON CONFLICT (account, transaction_code, event_type) DO NOTHING`, ins...); err != nil {
			return nil, err
		}
		err := tx.query(ctx, `SELECT c.account, c.transaction_code, c.event_type FROM hk_covers c
			JOIN hk_events ev ON ev.event_id = c.event_id
			WHERE c.source <> 'webhook' AND ev.state IN `+knownStates+` AND (`+strings.Join(or, " OR ")+`)`, sel,
			func(scan func(...any) error) error {
				var k key
				if err := scan(&k.account, &k.transaction, &k.typ); err != nil {
					return err
				}
				covered[k] = true
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	if len(covered) == 0 {
		return events, nil
	}
	kept := events[:0:0]
	for _, r := range events {
		if r.source == webhook.SourceWebhook && covered[key{r.account, r.transaction, r.typ}] {
			continue
		}
		kept = append(kept, r)
	}
	return kept, nil
}

func coverLess(a, b *eventRow) bool {
	if a.account != b.account {
		return a.account < b.account
	}
	if a.transaction != b.transaction {
		return a.transaction < b.transaction
	}
	return a.typ < b.typ
}

// resolveKey finds the row key of an event id as the event log shows it:
// the id itself (single account, synthetic ids), else the one account's
// event of that id. With several accounts holding the same id, the newest
// wins; a caller that cares passes the scoped key ("acme:<id>").
func (e *Engine) resolveKey(ctx context.Context, id string) (string, error) {
	found := false
	err := e.db.query(ctx, `SELECT 1 FROM hk_events WHERE event_id = ?`, []any{id}, func(scan func(...any) error) error {
		found = true
		var one int64
		return scan(&one)
	})
	if err != nil || found {
		return id, err
	}
	key := ""
	err = e.db.query(ctx, `SELECT event_id FROM hk_events WHERE event_id IN (
		SELECT DISTINCT account || ':' || ? FROM hk_events WHERE account <> '') ORDER BY received_at DESC LIMIT 1`,
		[]any{id}, func(scan func(...any) error) error {
			return scan(&key)
		})
	if err != nil {
		return "", err
	}
	if key == "" {
		return "", webhook.ErrEventNotFound
	}
	return key, nil
}

// migrateAccounts adds the account column to an hk_deliveries created
// before several accounts existed (CREATE TABLE IF NOT EXISTS leaves it as
// it was).
func (e *Engine) migrateAccounts(ctx context.Context, tx dbTx) error {
	if e.dialect == dialectPostgres {
		_, err := tx.exec(ctx, `ALTER TABLE hk_deliveries ADD COLUMN IF NOT EXISTS account TEXT NOT NULL DEFAULT ''`)
		return err
	}
	var n int64
	err := tx.query(ctx, `SELECT COUNT(*) FROM pragma_table_info('hk_deliveries') WHERE name = 'account'`, nil,
		func(scan func(...any) error) error { return scan(&n) })
	if err != nil || n > 0 {
		return err
	}
	_, err = tx.exec(ctx, `ALTER TABLE hk_deliveries ADD COLUMN account TEXT NOT NULL DEFAULT ''`)
	return err
}
