package durable

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/hotmartkit/hotmartkit/webhook"
)

// Engine is durable mode over one database: the door that commits
// deliveries (Intake), the delivery history (History), the event log
// (Events, Event, Replay) and the workers that run the Processor. Build it
// with Open, start the workers with Start, end with Stop. It is safe for
// concurrent use.
type Engine struct {
	dialect dialect
	db      database
	rv      riverSide
	proc    webhook.Processor
	o       options
	log     *slog.Logger
	holder  string // this process, in lock rows
	batch   *batcher

	stopOnce sync.Once

	// Reconciliation (ScheduleSync, AccountStore).
	syncFn atomic.Pointer[SyncFunc]
	covers atomic.Bool // the door records covers (accounts.go)
}

// riverSide is the part of River that depends on the driver's transaction
// type, behind one interface so the rest of the package is written once.
type riverSide interface {
	migrate(ctx context.Context) error
	migrateTx(ctx context.Context, tx dbTx) error
	insertTx(ctx context.Context, tx dbTx, params []river.InsertManyParams) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
	stopAndCancel(ctx context.Context) error
	addPeriodic(job *river.PeriodicJob) error
}

func (r *riverBackend[TTx]) addPeriodic(job *river.PeriodicJob) error {
	_, err := r.client.PeriodicJobs().AddSafely(job)
	return err
}

type riverBackend[TTx any] struct {
	driver riverdriver.Driver[TTx]
	client *river.Client[TTx]
	unwrap func(dbTx) TTx
}

func (r *riverBackend[TTx]) migrate(ctx context.Context) error {
	m, err := rivermigrate.New(r.driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

func (r *riverBackend[TTx]) migrateTx(ctx context.Context, tx dbTx) error {
	m, err := rivermigrate.New(r.driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return err
	}
	// On SQLite, River's migrations all fit in one transaction, and that
	// transaction is what serialises concurrent starters (see migrate).
	//lint:ignore SA1019 the single transaction is the point here
	_, err = m.MigrateTx(ctx, r.unwrap(tx), rivermigrate.DirectionUp, nil)
	return err
}

func (r *riverBackend[TTx]) insertTx(ctx context.Context, tx dbTx, params []river.InsertManyParams) error {
	// The fast path: COPY on PostgreSQL, no RETURNING on SQLite. Jobs are
	// not unique (hk_events is the dedupe), so nothing can conflict.
	_, err := r.client.InsertManyFastTx(ctx, r.unwrap(tx), params)
	return err
}

func (r *riverBackend[TTx]) start(ctx context.Context) error { return r.client.Start(ctx) }
func (r *riverBackend[TTx]) stop(ctx context.Context) error  { return r.client.Stop(ctx) }
func (r *riverBackend[TTx]) stopAndCancel(ctx context.Context) error {
	return r.client.StopAndCancel(ctx)
}

// Open connects to the database named by rawURL — "sqlite:PATH",
// "postgres://…" or "postgresql://…" — migrates River's schema and this
// package's tables, and returns an Engine whose workers will run proc.
// Several processes may Open the same empty PostgreSQL database at once.
func Open(ctx context.Context, rawURL string, proc webhook.Processor, opts ...Option) (*Engine, error) {
	if proc == nil {
		return nil, &ConfigError{Option: "Open", Reason: "nil processor"}
	}
	o := options{
		workers: DefaultWorkers, maxAttempts: DefaultMaxAttempts,
		retryBase: DefaultRetryBase, retryMax: DefaultRetryMaxDelay,
		jobTimeout: DefaultJobTimeout, retention: DefaultRetention,
		rejectedKept: DefaultRejectedKept, maxConns: 20, batchMax: 256,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	d, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	e := &Engine{dialect: d, proc: proc, o: o, log: o.logger, holder: randomID()}

	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &eventWorker{e: e}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &retentionWorker{e: e}); err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, &syncWorker{e: e}); err != nil {
		return nil, err
	}
	cfg := &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.workers}},
		Workers:              workers,
		MaxAttempts:          o.maxAttempts,
		JobTimeout:           o.jobTimeout,
		RescueStuckJobsAfter: o.jobTimeout + rescueMargin(o.jobTimeout),
		RetryPolicy:          &retryPolicy{base: o.retryBase, max: o.retryMax},
		Logger:               riverLogger(o.logger),
		PeriodicJobs: []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return retentionArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true})},
		CompletedJobRetentionPeriod: 24 * time.Hour,
		DiscardedJobRetentionPeriod: 7 * 24 * time.Hour,
	}

	switch d {
	case dialectSQLite:
		db, err := openSQLite(sqliteDSN(dsn))
		if err != nil {
			return nil, fmt.Errorf("durable: open sqlite: %w", err)
		}
		db.SetMaxOpenConns(1) // SQLite has one writer; River advises one connection
		db.SetMaxIdleConns(1)
		db.SetConnMaxLifetime(0)
		e.db = &sqlDB{db}
		cfg.FetchPollInterval = o.pollIntervalOr(100 * time.Millisecond)
		cfg.FetchCooldown = min(20*time.Millisecond, cfg.FetchPollInterval)
		drv := riversqlite.New(db)
		client, err := river.NewClient(drv, cfg)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("durable: river: %w", err)
		}
		e.rv = &riverBackend[*sql.Tx]{driver: drv, client: client, unwrap: func(t dbTx) *sql.Tx { return t.(*sqlTx).tx }}
	case dialectPostgres:
		pcfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrBadURL, redactURLError(err))
		}
		pcfg.MaxConns = o.maxConns
		pool, err := pgxpool.NewWithConfig(ctx, pcfg)
		if err != nil {
			return nil, fmt.Errorf("durable: postgres: %w", err)
		}
		e.db = &pgDB{pool}
		cfg.FetchPollInterval = o.pollIntervalOr(time.Second)
		cfg.FetchCooldown = min(50*time.Millisecond, cfg.FetchPollInterval)
		drv := riverpgxv5.New(pool)
		client, err := river.NewClient(drv, cfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("durable: river: %w", err)
		}
		e.rv = &riverBackend[pgx.Tx]{driver: drv, client: client, unwrap: func(t dbTx) pgx.Tx { return t.(*pgTx).tx }}
	}
	if err := e.migrate(ctx); err != nil {
		e.db.close()
		return nil, fmt.Errorf("durable: migrate: %w", err)
	}
	parallel := 1
	if d == dialectPostgres {
		parallel = 2 // two transactions in flight: one fills while the other commits; more only shrinks the batches
	}
	e.batch = newBatcher(e, parallel, o.batchMax)
	return e, nil
}

func (o options) pollIntervalOr(d time.Duration) time.Duration {
	if o.pollInterval > 0 {
		return o.pollInterval
	}
	return d
}

// rescueMargin is how long after its timeout a job still marked running is
// taken to belong to a dead process.
func rescueMargin(timeout time.Duration) time.Duration {
	return min(max(timeout/10, time.Second), time.Minute)
}

// redactURLError keeps a connection string's password out of errors.
func redactURLError(err error) string {
	return "the URL does not parse"
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// riverLogger passes River's warnings and errors on.
func riverLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

// Dialect names the database: "sqlite" or "postgres".
func (e *Engine) Dialect() string {
	if e.dialect == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// Start starts the workers. Deliveries are accepted (Intake) without it, so
// a process may take webhooks and leave the work to others. The workers run
// until Stop: cancelling ctx (a signal context, say) does not cut running
// jobs short; Stop decides how long they get.
func (e *Engine) Start(ctx context.Context) error {
	return e.rv.start(context.WithoutCancel(ctx))
}

// Stop ends durable mode gracefully: the workers stop taking jobs, running
// jobs may finish until ctx is done, then they are cancelled (and retried
// after the next start); the door refuses new deliveries (503) and the
// database is closed. Stop the HTTP server first so no delivery is
// answered 503 needlessly.
func (e *Engine) Stop(ctx context.Context) error {
	var err error
	e.stopOnce.Do(func() {
		err = e.rv.stop(ctx)
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			e.log.Warn("durable: stopping workers", "error", err.Error())
		}
		if err != nil {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = e.rv.stopAndCancel(cctx)
			cancel()
		}
		e.batch.close()
		e.db.close()
	})
	return err
}

// retryPolicy waits base, 2×base, 4×base… capped at max.
type retryPolicy struct{ base, max time.Duration }

func (p *retryPolicy) delay(attempt int) time.Duration {
	d := p.base
	for i := 1; i < attempt && d < p.max; i++ {
		d *= 2
	}
	return min(d, p.max)
}

func (p *retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(p.delay(job.Attempt))
}
