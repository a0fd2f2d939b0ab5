// Package accounts lets one receiver serve several Hotmart accounts, and
// closes the hole lost webhooks leave: it reconciles each account with the
// Hotmart REST API and applies the rules to past sales.
//
// It does no I/O of its own. A host (examples/pipeline, or any service)
// wires it to its webhook handler, its database and its REST client through
// a few small interfaces.
//
// # Accounts file
//
//	{"accounts": [
//	  {"id": "acme", "name": "Acme Cursos",
//	   "hottok": ["${ACME_HOTTOK}"],
//	   "rules": "rules-acme.json",
//	   "leadlovers": {"token": "${ACME_LEADLOVERS_TOKEN}"},
//	   "sendpulse": {"client_id": "${ACME_SP_ID}", "client_secret": "${ACME_SP_SECRET}"},
//	   "hotmart": {"client_id": "${ACME_HM_ID}", "client_secret": "${ACME_HM_SECRET}"}}
//	]}
//
// [Load] and [LoadFile] read it. Any string may hold ${NAME} references,
// whole or embedded, read from the environment, so secrets stay out of the
// file. Ids are unique (letters, digits, "-", "_"); every account has at
// least one hottok of at least 8 characters, and no hottok belongs to two
// accounts; rules paths are relative to the accounts file, and each rules
// file must parse and compile (with the providers' specs given by
// [WithCompileOptions]) and name only providers the account has
// credentials for. Every problem is reported at once, as a [*ConfigError]
// of [*Problem] values, one line each, naming the account and the field:
//
//	accounts[acme].sendpulse.client_secret: ${ACME_SP_SECRET} is not set
//	accounts[beta].hottok[0]: same hottok as accounts[acme].hottok[0]: a hottok must identify one account
//
// No message, String, GoString or LogValue shows a hottok, a secret or a
// value read from the environment.
//
// # Registry
//
// A [Registry] maps ids to accounts and, for the webhook door, hottoks to
// accounts: [Registry.ByHottok] compares the candidate with every hottok of
// every account in constant time. The host attaches to each [Account] its
// executors (Account.Executors, by provider name) and its REST client
// (Account.Client); this package never calls them. [Scope] turns an
// account's event id into the key dedupe, step marks and event state are
// stored under, so the same event id in two accounts is two events.
//
// # Reconciliation
//
// A [Syncer] reconciles an account ([Syncer.Run]): it lists the sales
// ordered in the account's window (from its [Checkpoint] minus an overlap,
// for late status changes; the last 7 days on the first run) through a
// [SalesSource], and for each sale whose current status implies an event
// type ([EventTypeFor]) that the [Known] store does not hold for that
// transaction, queues a synthetic event through an [Enqueuer]. The event is
// a real *hotmart.Event, decoded from a webhook body written from the sale
// ([SyntheticEvent]), so rules see the fields they see for a webhook. Its
// id is deterministic ([SyntheticID], sync:<account>:<transaction>:<STATUS>)
// and its creation_date is the time the sync saw the status. The
// checkpoint moves only after the events are queued.
//
// # Rules over history
//
// [Syncer.DryRun] tells, per segmentation, how many of the sales ordered in
// a range would trigger it, with sample transactions; [Syncer.Apply] queues
// those events (source "backfill") with the same deterministic ids, so a
// repeated Apply queues nothing.
package accounts
