package durable

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
)

// SQLite spends much of a small statement's time parsing it, and neither
// database/sql nor River keep statements prepared. cachingConnector wraps
// the SQLite driver so that each connection keeps its statements prepared,
// keyed by their text: database/sql, finding no ExecerContext on the
// connection, prepares, runs and closes each statement, and here the
// prepare is a map lookup and the close a no-op.

// maxCachedStatements bounds the cache; statements past it are prepared
// and finalized each time, as without the cache.
const maxCachedStatements = 512

func openSQLite(dsn string) (*sql.DB, error) {
	probe, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := probe.Driver()
	_ = probe.Close()
	return sql.OpenDB(cachingConnector{drv: drv, dsn: dsn}), nil
}

type cachingConnector struct {
	drv driver.Driver
	dsn string
}

func (c cachingConnector) Driver() driver.Driver { return c.drv }

func (c cachingConnector) Connect(context.Context) (driver.Conn, error) {
	cn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	inner, ok := cn.(innerConn)
	if !ok {
		_ = cn.Close()
		return nil, errors.New("durable: sqlite driver lacks context support")
	}
	return &cachingConn{inner: inner, stmts: map[string]*cachedStmt{}}, nil
}

type innerConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
}

// cachingConn is used by one goroutine at a time (database/sql's rule).
type cachingConn struct {
	inner innerConn
	stmts map[string]*cachedStmt
}

func (c *cachingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *cachingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if s, ok := c.stmts[q]; ok && !s.busy {
		return s, nil
	}
	st, err := c.inner.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if _, taken := c.stmts[q]; taken || len(c.stmts) >= maxCachedStatements {
		return st, nil // a one-off: its Close finalizes it
	}
	full, ok := st.(fullStmt)
	if !ok {
		return st, nil
	}
	s := &cachedStmt{st: full}
	c.stmts[q] = s
	return s, nil
}

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		_ = s.st.Close()
	}
	c.stmts = nil
	return c.inner.Close()
}

func (c *cachingConn) Begin() (driver.Tx, error) {
	return c.inner.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.inner.BeginTx(ctx, opts)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.inner.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *cachingConn) IsValid() bool {
	if v, ok := c.inner.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

type fullStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// cachedStmt stays prepared after Close. While rows it returned are open it
// is busy, and a second use of the same text gets a one-off statement.
type cachedStmt struct {
	st   fullStmt
	busy bool
}

func (s *cachedStmt) Close() error  { return nil }
func (s *cachedStmt) NumInput() int { return s.st.NumInput() }

func (s *cachedStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.st.Exec(args) //nolint:staticcheck // required by driver.Stmt
}

func (s *cachedStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.st.Query(args) //nolint:staticcheck // required by driver.Stmt
}

func (s *cachedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.st.ExecContext(ctx, args)
}

func (s *cachedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := s.st.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	r.s.busy = false
	return r.Rows.Close()
}
