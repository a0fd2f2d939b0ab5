// Package hotmartkit is the root of an SDK for automating what happens after
// a sale on Hotmart. The root package holds no code; the work is done by its
// packages.
//
// # Packages
//
//   - hotmart: the webhook event model (ParseEvent for 2.0.0 bodies, ParseForm
//     for legacy 1.0 postbacks). No I/O.
//   - hotmart/rest: the Hotmart REST API client.
//   - webhook: the net/http handler that verifies the hottok, limits and
//     decodes the body, deduplicates by event id and hands the event on.
//   - segment: the pure rule engine that decides what each event triggers.
//   - pipeline: the glue, a webhook processor that evaluates the rules and
//     runs each matched action on its provider's executor, once.
//   - leadlovers and sendpulse: provider clients and executors of the
//     actions the rules choose.
//   - durable: durable mode on River over SQLite or PostgreSQL: commit at the
//     door and answer 200, workers with retries, dead events, replay, the
//     stale rule, several replicas.
//   - console: the embeddable operator web UI (deliveries, events, replay,
//     segmentations on/off, edit, test and explain).
//   - accounts: several Hotmart accounts on one receiver, reconciliation
//     against the REST API, and rules over past sales.
//   - hotmart/backfill: resumable import of the sales history, and a revenue
//     report.
//   - hotmart/hotmarttest, hotmart/rest/resttest, leadlovers/leadloverstest,
//     sendpulse/sendpulsetest: test kits (event factory, fake servers).
//
// # How they fit
//
// A Hotmart POST reaches webhook.Handler, which calls hotmart.ParseEvent;
// the host's processor evaluates a compiled segment.Program on the event and
// runs each match with the provider's executor. Every network method takes a
// context.Context first, and every provider reports failures as its own
// typed *APIError. The three clients (rest, leadlovers, sendpulse) share one
// shape — NewClient(Credentials{…}, opts...), WithRateLimit/SetRateLimit in
// requests per second, *Page[T] plus All iterators, *ArgumentError before
// any request — and so do the three test kits (NewServer(t), URL(),
// Client(), FailNext(n, Fault), Calls(), Effects()).
//
// The package Example runs the whole flow in one function against the fake
// providers; examples/pipeline is the complete program (go run
// ./examples/pipeline for a demo).
package hotmartkit
