// Package durable is hotmartkit's durable mode: the webhook side commits
// each verified, decoded delivery to a database and answers 200 at once,
// and workers run the pipeline (any webhook.Processor) from the database
// with their own retries. It is built on River (github.com/riverqueue/river)
// over PostgreSQL (pgx v5), for several replicas sharing the work, or over
// SQLite (modernc.org/sqlite, pure Go) embedded in one process. The same
// code runs on both; this package's tables (hk_events, hk_steps,
// hk_deliveries, hk_rejections, hk_locks) sit beside River's.
//
// Wiring, in a host program:
//
//	eng, err := durable.Open(ctx, "sqlite:hotmartkit.db", pipe) // or postgres://…
//	h, err := webhook.New(webhook.WithHottok(tok),
//		webhook.WithProcessor(eng.Intake()), // commit and answer
//		webhook.WithStore(nil),              // dedupe is the database's
//		webhook.WithHistory(eng.History()))
//	err = eng.Start(ctx) // workers
//	…
//	err = eng.Stop(shutdownCtx) // after http.Server.Shutdown
//
// # At the door
//
// Intake's Process commits the event (its envelope without the hottok, and
// its data section) and a River job for it. Concurrent deliveries are
// committed together in one transaction — a group commit: one fsync for
// many deliveries — and each is answered only after the transaction holding
// it committed. An event id already held is recorded as a duplicate
// delivery and queues nothing (webhook.ErrDuplicate: 200). A database that
// cannot commit gives webhook.ErrUnavailable (503), so Hotmart retries.
//
// # Workers
//
// A worker runs the Processor with the event's step marks in the database
// (webhook.StepDone and webhook.MarkStep work as in the simple mode, per
// segmentation), so a retry runs only the actions that have not succeeded.
// A failed attempt is retried after 1 s, 2 s, 4 s… capped by
// WithRetryMaxDelay; after WithMaxAttempts attempts the event is dead, and
// only Replay runs it again. An error carrying Retry-After (a provider's
// 429: any error in the chain with a RetryAfter() or RetryDelay()
// time.Duration method, as the providers' APIError has) snoozes the event
// for that long (capped by WithRetryMaxDelay) without using an attempt, up
// to 100 times. An attempt is
// bounded by WithJobTimeout; a job still running shortly after that, because
// its process died, is rescued by River and run by another process.
//
// Events of one buyer (by e-mail; events without one, by event id) run one
// at a time across every process sharing the database: a worker takes a
// lease row in hk_locks for the buyer (in the transaction that marks the
// event running) and frees it in the one that records the outcome; a dead
// holder's lease runs out after the job timeout. Waiting for it polls and
// ends with the context. Events of a buyer that arrive together run in
// arrival order: an event waits (up to 5 s) for the buyer's earlier queued
// or running events.
//
// # Stale events
//
// The stale rule lives here, in the durable layer, because only the
// database knows what was already processed across processes and restarts.
// Under the buyer's lease, before running anything, a worker checks whether
// an event of the same purchase.transaction with a later creation_date and
// a different payment class (pending: billet printed; paid: approved,
// complete; failed: cancelled, expired, delayed; refunded: refunded,
// chargeback, protest) is already done. If so the event is stale: none of
// its actions run and its state says "stale". Events of the same class
// (APPROVED and COMPLETE) both run, in either order. Events that are not
// about a payment, or carry no transaction or creation date, are never
// stale.
//
// # History and retention
//
// Engine implements webhook.EventLog (Events, Event, Replay) and History
// returns a webhook.History over the database. The delivery that brought an
// event in is the event's own row (outcome "queued"); duplicates and
// failures are rows of hk_deliveries, written after the answer in the next
// group commit; rejected requests (401, 400, 413…) are kept apart in
// hk_rejections and trimmed (WithRejectedKept), so a flood of them cannot
// push real deliveries out. Each delivery shows its event's state now. A periodic River job forgets finished events, their
// marks and deliveries after WithRetention (at least 60 days, Hotmart's own
// history: dedupe holds that long).
//
// # Several accounts and reconciliation
//
// With webhook.WithHottokResolver, the door stores each event under its
// account (webhook.AccountFrom): the same event id in two accounts is two
// events, with their own dedupe, step marks, deliveries and stale rule.
// Workers put the account back in the processor's context, so
// webhook.ByAccount runs each account's own pipeline. Engine.AccountStore
// is what the accounts package's Syncer needs of a store (known events,
// synthetic events queued with source "sync" or "backfill", checkpoints in
// hk_checkpoints), in this package's own types, and Engine.ScheduleSync
// runs a SyncFunc (accounts.Syncer.Run) per account as a River periodic
// job: the leader inserts it, unique per interval, so every
// account syncs once per interval whatever the number of processes. One row
// per (account, transaction, event type) in hk_covers names the event that
// runs it: a webhook whose pair a live synthetic event covers is a
// duplicate, and a sync queues nothing a live webhook event covers, even
// when the two race.
//
// # SQLite
//
// As River advises, the SQLite pool has one connection. The database runs
// in WAL mode with synchronous=FULL (every commit is synced: durability is
// not traded for speed; the group commit buys the speed back), a busy
// timeout so other processes wait rather than fail, and transactions take
// the write lock when they begin.
package durable
