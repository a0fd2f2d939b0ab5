package durable

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"
)

// dialect is the database kind. The SQL in this package is written once,
// with ? placeholders, and rebound to $n for PostgreSQL.
type dialect int

const (
	dialectSQLite dialect = iota + 1
	dialectPostgres
)

// querier is what both a pool and a transaction offer.
type querier interface {
	exec(ctx context.Context, q string, args ...any) (int64, error)
	// query calls each once per row with a scan function.
	query(ctx context.Context, q string, args []any, each func(scan func(dest ...any) error) error) error
}

type dbTx interface {
	querier
	commit(ctx context.Context) error
	rollback(ctx context.Context) error
}

type database interface {
	querier
	begin(ctx context.Context) (dbTx, error)
	close()
}

// rebind turns ? placeholders into $1, $2… (no ? appears in our literals).
func rebind(d dialect, q string) string {
	if d != dialectPostgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// --- PostgreSQL over pgx ---

type pgDB struct{ pool *pgxpool.Pool }
type pgTx struct{ tx pgx.Tx }

type pgQ interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func pgExec(ctx context.Context, q pgQ, sql string, args []any) (int64, error) {
	tag, err := q.Exec(ctx, rebind(dialectPostgres, sql), args...)
	return tag.RowsAffected(), err
}

func pgQuery(ctx context.Context, q pgQ, sql string, args []any, each func(func(...any) error) error) error {
	rows, err := q.Query(ctx, rebind(dialectPostgres, sql), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (d *pgDB) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return pgExec(ctx, d.pool, q, args)
}
func (d *pgDB) query(ctx context.Context, q string, args []any, each func(func(...any) error) error) error {
	return pgQuery(ctx, d.pool, q, args, each)
}
func (d *pgDB) begin(ctx context.Context) (dbTx, error) {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return &pgTx{tx}, nil
}
func (d *pgDB) close() { d.pool.Close() }

func (t *pgTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return pgExec(ctx, t.tx, q, args)
}
func (t *pgTx) query(ctx context.Context, q string, args []any, each func(func(...any) error) error) error {
	return pgQuery(ctx, t.tx, q, args, each)
}
func (t *pgTx) commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t *pgTx) rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

// --- SQLite over database/sql ---

type sqlDB struct{ db *sql.DB }
type sqlTx struct{ tx *sql.Tx }

type sqlQ interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func sqlExec(ctx context.Context, q sqlQ, query string, args []any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func sqlQuery(ctx context.Context, q sqlQ, query string, args []any, each func(func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (d *sqlDB) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return sqlExec(ctx, d.db, q, args)
}
func (d *sqlDB) query(ctx context.Context, q string, args []any, each func(func(...any) error) error) error {
	return sqlQuery(ctx, d.db, q, args, each)
}
func (d *sqlDB) begin(ctx context.Context) (dbTx, error) {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &sqlTx{tx}, nil
}
func (d *sqlDB) close() { _ = d.db.Close() }

func (t *sqlTx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return sqlExec(ctx, t.tx, q, args)
}
func (t *sqlTx) query(ctx context.Context, q string, args []any, each func(func(...any) error) error) error {
	return sqlQuery(ctx, t.tx, q, args, each)
}
func (t *sqlTx) commit(context.Context) error   { return t.tx.Commit() }
func (t *sqlTx) rollback(context.Context) error { return t.tx.Rollback() }

// ErrBadURL is matched by Open's error for a database URL it cannot use.
var ErrBadURL = errors.New("durable: unsupported database URL")

// parseURL splits a database URL into its dialect and the driver's DSN.
func parseURL(raw string) (dialect, string, error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(raw, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return 0, "", fmt.Errorf("%w: sqlite: needs a file path (sqlite:PATH)", ErrBadURL)
		}
		if strings.ContainsAny(path, "?#") {
			return 0, "", fmt.Errorf("%w: sqlite: path must not carry parameters", ErrBadURL)
		}
		return dialectSQLite, path, nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if _, err := url.Parse(raw); err != nil {
			return 0, "", fmt.Errorf("%w: postgres URL does not parse", ErrBadURL)
		}
		return dialectPostgres, raw, nil
	}
	return 0, "", fmt.Errorf("%w: want sqlite:PATH, postgres://… or postgresql://…", ErrBadURL)
}

// sqliteDSN applies River's advice for SQLite (one connection, as SQLite
// allows one writer) and keeps full durability: WAL with synchronous=FULL
// syncs every commit; busy_timeout makes other processes wait rather than
// fail; transactions take the write lock at BEGIN, so two never deadlock
// upgrading from a read.
func sqliteDSN(path string) string {
	return path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_txlock=immediate"
}
