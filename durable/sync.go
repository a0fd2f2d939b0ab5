package durable

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/hotmartkit/hotmartkit/accounts"
)

// syncArgs is the River job of one account's reconciliation run.
type syncArgs struct {
	Account string `json:"account"`
}

func (syncArgs) Kind() string { return "hotmartkit_sync" }

// SyncTimeout bounds one reconciliation run of one account.
const SyncTimeout = 10 * time.Minute

// MinSyncInterval is the shortest interval ScheduleSync accepts (River's
// unique-by-period jobs need at least a second).
const MinSyncInterval = time.Second

// syncWorker runs accounts.Syncer.Run for one account.
type syncWorker struct {
	river.WorkerDefaults[syncArgs]
	e *Engine
}

func (w *syncWorker) Timeout(*river.Job[syncArgs]) time.Duration { return SyncTimeout }

func (w *syncWorker) Work(ctx context.Context, job *river.Job[syncArgs]) error {
	s := w.e.syncer.Load()
	if s == nil {
		return errNoSyncer
	}
	rep, err := s.Run(ctx, job.Args.Account)
	if err != nil {
		w.e.log.Warn("durable: sync failed", "account", job.Args.Account, "error", err.Error())
		if errors.Is(err, accounts.ErrUnknownAccount) || errors.Is(err, accounts.ErrNotSynced) {
			return river.JobCancel(err)
		}
		return err
	}
	w.e.log.Info("durable: sync done", "account", rep.Account, "calls", rep.Calls, "sales", rep.Sales,
		"queued", rep.Queued, "known", rep.Known, "invalid", rep.Invalid)
	if hook := w.e.onSync.Load(); hook != nil {
		(*hook)(rep)
	}
	return nil
}

// ScheduleSync reconciles the given accounts every interval with s: one
// River periodic job per account, inserted by the leader only and unique
// per period, so across every process sharing the database each account
// syncs once per interval (and once at start). Call it on every process,
// before or after Start; the job runs on whichever process takes it.
func (e *Engine) ScheduleSync(s *accounts.Syncer, accountIDs []string, interval time.Duration) error {
	switch {
	case s == nil:
		return &ConfigError{Option: "ScheduleSync", Reason: "nil Syncer"}
	case interval < MinSyncInterval:
		return &ConfigError{Option: "ScheduleSync", Reason: "interval shorter than a second"}
	}
	e.syncer.Store(s)
	for _, id := range accountIDs {
		id := id
		job := river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) {
				return syncArgs{Account: id}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: interval}}
			},
			&river.PeriodicJobOpts{ID: "hotmartkit_sync:" + id, RunOnStart: true})
		if err := e.rv.addPeriodic(job); err != nil {
			return fmt.Errorf("durable: scheduling the sync of %s: %w", id, err)
		}
	}
	return nil
}

// OnSync sets a function called after each successful sync run in this
// process (metrics, logs, tests).
func (e *Engine) OnSync(fn func(*accounts.SyncReport)) {
	if fn == nil {
		e.onSync.Store(nil)
		return
	}
	e.onSync.Store(&fn)
}
