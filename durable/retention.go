package durable

import (
	"context"
	"time"

	"github.com/riverqueue/river"
)

type retentionArgs struct{}

func (retentionArgs) Kind() string { return "hotmartkit_retention" }

// retentionWorker forgets what is older than the retention: finished
// events (their dedupe with them), their step marks and deliveries, and
// expired lock rows. River runs it hourly on one process (the leader).
type retentionWorker struct {
	river.WorkerDefaults[retentionArgs]
	e *Engine
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[retentionArgs]) error {
	return w.e.purge(ctx, time.Now().Add(-w.e.o.retention))
}

func (e *Engine) purge(ctx context.Context, cutoff time.Time) error {
	c := cutoff.UnixMicro()
	for _, q := range []string{
		`DELETE FROM hk_steps WHERE event_id IN (SELECT event_id FROM hk_events WHERE received_at < ? AND state IN ('done', 'stale', 'dead'))`,
		`DELETE FROM hk_events WHERE received_at < ? AND state IN ('done', 'stale', 'dead')`,
		`DELETE FROM hk_deliveries WHERE received_at < ?`,
		`DELETE FROM hk_rejections WHERE received_at < ?`,
		`DELETE FROM hk_locks WHERE until_at < ?`,
		// Covers of events forgotten above (accounts.go); the parameter only keeps the loop uniform.
		`DELETE FROM hk_covers WHERE CAST(? AS BIGINT) <> 0 AND NOT EXISTS (SELECT 1 FROM hk_events ev WHERE ev.event_id = hk_covers.event_id)`,
	} {
		if _, err := e.db.exec(ctx, q, c); err != nil {
			return err
		}
	}
	return nil
}
