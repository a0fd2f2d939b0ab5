package durable

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
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

// SyncFunc reconciles one account: accounts.Syncer.Run, typically.
type SyncFunc func(ctx context.Context, account string) error

// syncWorker runs the SyncFunc for one account.
type syncWorker struct {
	river.WorkerDefaults[syncArgs]
	e *Engine
}

func (w *syncWorker) Timeout(*river.Job[syncArgs]) time.Duration { return SyncTimeout }

func (w *syncWorker) Work(ctx context.Context, job *river.Job[syncArgs]) error {
	fn := w.e.syncFn.Load()
	if fn == nil {
		return errNoSyncer
	}
	if err := (*fn)(ctx, job.Args.Account); err != nil {
		w.e.log.Warn("durable: sync failed", "account", job.Args.Account, "error", err.Error())
		// The next period's run starts over from the checkpoint: retrying
		// this one as well would only run two at once.
		return river.JobCancel(err)
	}
	return nil
}

// ScheduleSync reconciles the given accounts every interval with run
// (accounts.Syncer.Run wrapped in a SyncFunc): one River periodic job per
// account, inserted by the leader only and unique
// per period, so across every process sharing the database each account
// syncs once per interval (and once at start). Call it on every process,
// before or after Start; the job runs on whichever process takes it.
func (e *Engine) ScheduleSync(run SyncFunc, accountIDs []string, interval time.Duration) error {
	switch {
	case run == nil:
		return &ConfigError{Option: "ScheduleSync", Reason: "nil SyncFunc"}
	case interval < MinSyncInterval:
		return &ConfigError{Option: "ScheduleSync", Reason: "interval shorter than a second"}
	}
	e.syncFn.Store(&run)
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
