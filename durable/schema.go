package durable

import (
	"context"
	"fmt"
	"strings"
)

// schema is this package's own tables, beside River's. Times are Unix
// microseconds in BIGINT columns and lists are JSON text, so the same SQL
// runs on SQLite and PostgreSQL. Every statement is idempotent.
var schema = []string{
	`CREATE TABLE IF NOT EXISTS hk_events (
		event_id TEXT PRIMARY KEY,
		event_type TEXT NOT NULL,
		version TEXT NOT NULL,
		account TEXT NOT NULL DEFAULT '',
		source TEXT NOT NULL DEFAULT 'webhook',
		transaction_code TEXT NOT NULL DEFAULT '',
		product_id TEXT NOT NULL DEFAULT '',
		buyer_email TEXT NOT NULL DEFAULT '',
		pay_class TEXT NOT NULL DEFAULT '',
		created_at BIGINT NOT NULL,
		received_at BIGINT NOT NULL,
		payload TEXT NOT NULL,
		state TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		next_attempt_at BIGINT NOT NULL DEFAULT 0,
		last_error TEXT NOT NULL DEFAULT '',
		actions TEXT NOT NULL DEFAULT '[]',
		deliveries INTEGER NOT NULL DEFAULT 1,
		updated_at BIGINT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS hk_events_received ON hk_events (received_at)`,
	`CREATE INDEX IF NOT EXISTS hk_events_tx ON hk_events (transaction_code)`,
	`CREATE INDEX IF NOT EXISTS hk_events_buyer ON hk_events (buyer_email, received_at)`,
	`CREATE TABLE IF NOT EXISTS hk_steps (
		event_id TEXT NOT NULL,
		step_key TEXT NOT NULL,
		done_at BIGINT NOT NULL,
		PRIMARY KEY (event_id, step_key)
	)`,
	`CREATE TABLE IF NOT EXISTS hk_deliveries (
		id @SERIAL@,
		event_id TEXT NOT NULL,
		account TEXT NOT NULL DEFAULT '',
		event_type TEXT NOT NULL,
		received_at BIGINT NOT NULL,
		duration_us BIGINT NOT NULL,
		status INTEGER NOT NULL,
		outcome TEXT NOT NULL,
		attempt INTEGER NOT NULL,
		error TEXT NOT NULL,
		actions TEXT NOT NULL
	)`,
	`CREATE INDEX IF NOT EXISTS hk_deliveries_event ON hk_deliveries (event_id)`,
	`CREATE INDEX IF NOT EXISTS hk_deliveries_received ON hk_deliveries (received_at)`,
	// Rejected requests (401, 400, 413…) apart and trimmed, so a flood of
	// forged requests cannot push real deliveries out.
	`CREATE TABLE IF NOT EXISTS hk_rejections (
		id @SERIAL@,
		received_at BIGINT NOT NULL,
		duration_us BIGINT NOT NULL,
		status INTEGER NOT NULL,
		error TEXT NOT NULL,
		event_id TEXT NOT NULL,
		event_type TEXT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS hk_locks (
		lock_key TEXT PRIMARY KEY,
		holder TEXT NOT NULL,
		until_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS hk_segmentations (
		id TEXT PRIMARY KEY,
		position BIGINT NOT NULL,
		body TEXT NOT NULL
	)`,
	// Several accounts and reconciliation (issue 14): which event covers
	// an account's (transaction, event type), so webhook and sync never run
	// the same one twice; and each account's sync checkpoint.
	`CREATE INDEX IF NOT EXISTS hk_events_account_tx ON hk_events (account, transaction_code, event_type)`,
	`CREATE TABLE IF NOT EXISTS hk_covers (
		account TEXT NOT NULL,
		transaction_code TEXT NOT NULL,
		event_type TEXT NOT NULL,
		event_id TEXT NOT NULL,
		source TEXT NOT NULL,
		PRIMARY KEY (account, transaction_code, event_type)
	)`,
	`CREATE TABLE IF NOT EXISTS hk_checkpoints (
		account TEXT PRIMARY KEY,
		start_at BIGINT NOT NULL,
		through_at BIGINT NOT NULL,
		updated_at BIGINT NOT NULL
	)`,
	`CREATE TABLE IF NOT EXISTS hk_meta (
		name TEXT PRIMARY KEY,
		value BIGINT NOT NULL
	)`,
}

// migrationLockKey is the PostgreSQL advisory lock that serialises
// concurrent starters' migrations ("hotmartkit" in ASCII, folded).
const migrationLockKey = 0x686f746d61

func schemaSQL(d dialect, stmt string) string {
	serial := "INTEGER PRIMARY KEY AUTOINCREMENT"
	if d == dialectPostgres {
		serial = "BIGSERIAL PRIMARY KEY"
	}
	return strings.ReplaceAll(stmt, "@SERIAL@", serial)
}

// migrate creates River's tables and ours. Several processes may start at
// once on an empty database: on PostgreSQL they queue on a session advisory
// lock (River's migrations each run in their own transaction, as some
// cannot share one); on SQLite everything runs in one transaction that takes
// the write lock at BEGIN (see sqliteDSN), which serialises them the same way.
func (e *Engine) migrate(ctx context.Context) error {
	if pg, ok := e.db.(*pgDB); ok {
		conn, err := pg.pool.Acquire(ctx)
		if err != nil {
			return err
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", int64(migrationLockKey)); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer func() {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", int64(migrationLockKey))
		}()
		if err := e.rv.migrate(ctx); err != nil {
			return fmt.Errorf("river migrations: %w", err)
		}
		return e.migrateOwn(ctx, nil)
	}
	return e.migrateOwn(ctx, e.rv.migrateTx)
}

func (e *Engine) migrateOwn(ctx context.Context, before func(context.Context, dbTx) error) error {
	tx, err := e.db.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.rollback(context.WithoutCancel(ctx)) }()
	if before != nil {
		if err := before(ctx, tx); err != nil {
			return fmt.Errorf("river migrations: %w", err)
		}
	}
	for _, s := range schema {
		if _, err := tx.exec(ctx, schemaSQL(e.dialect, s)); err != nil {
			return fmt.Errorf("schema: %w", err)
		}
	}
	if err := e.migrateAccounts(ctx, tx); err != nil { // accounts.go
		return fmt.Errorf("schema: %w", err)
	}
	return tx.commit(ctx)
}
