// Package backfill imports an account's Hotmart history — every sale in
// every transaction status, every subscription and every subscription
// charge — over a date range, and keeps it in sync afterwards.
//
// # Windows and narrowing
//
// The range is read in date windows (30 days by default), page by page.
// Hotmart answers 502 when a query runs over 30 s; the backfill then halves
// the window and tries again, down to Options.MinWindow, and widens it back
// once a window succeeds.
//
// # Checkpoints
//
// Run updates a Checkpoint after every page and hands a copy to
// Options.OnCheckpoint. The checkpoint is a plain JSON-serialisable struct:
// persist it, and a later Run with it resumes at the page where the last
// one stopped. Records are emitted one at a time through a callback (or the
// All iterator) and nothing is buffered beyond the current page, so memory
// stays flat whatever the size of the history. A process killed between
// emitting a page and persisting its checkpoint re-emits that page on
// resume: consumers that must not see a record twice dedupe by Record.Key.
//
// # Incremental sync
//
// Once a checkpoint is Done, running it again with a later Options.To reads
// only the new period (starting Options.Overlap earlier, to pick up status
// changes such as refunds of recent sales). Several accounts are several
// clients, each with its own checkpoint.
//
// # Report
//
// Report aggregates emitted records into revenue and order counts per day
// and currency, and subscription counts per status.
package backfill
