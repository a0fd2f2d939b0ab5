// Package leadloverstest is an in-memory leadlovers API for tests and
// demos: machines, sequences and levels seeded with known codes, leads
// stored per machine, sequence and level with their tags, score and
// dynamic fields, and the behaviour the leadlovers package expects from the
// real API (token in the query, errors inside HTTP 200 bodies, 404 for an
// unknown lead).
//
// # Seed data
//
// Every server starts with the machines, sequences and tags named by the
// Machine*, Sequence* and Tag* constants; add more with AddMachine,
// AddSequence and AddTag.
//
// # Recording
//
// Every call is recorded (Calls) with its method, path (without BasePath),
// query (token removed) and body. Every change of state is recorded as an
// Effect (Effects): a call that leaves the state as it was, such as a
// repeated upsert, records none. The state itself reads through Lead,
// LeadsIn and LeadsInSequence.
//
// # Faults
//
// Besides a status, a Fault has a Kind for leadlovers' own failure forms:
// TooManyRequests, Cloudflare1015 (the block page, with any status),
// ServerError (the default) and BodyError (an error inside HTTP 200).
// Faults are answered before the call is applied, unless Fault.AfterApply
// is set, which simulates a reply lost after leadlovers did the work.
//
// # Entry points (the same in hotmarttest, leadloverstest and sendpulsetest)
//
//   - NewServer(tb, opts...) starts the fake; with a non-nil tb it is closed
//     by tb.Cleanup, a demo passes nil and calls Close.
//   - URL() is the base to give the client's WithBaseURL.
//   - Client(opts...) returns a client pointed at the fake with pacing off
//     and millisecond retry waits, so tests are fast with nothing to
//     configure; ClientOptions() gives those options, Credentials() the
//     accepted token (also Token()).
//   - FailNext(n, Fault) queues faults for the next matching calls,
//     FailRate(rate, faults...) fails a random share of calls, SetLatency(d)
//     delays every answer. A Fault has Status, RetryAfter, AfterApply (apply
//     the call, then lose the reply) and Method/Path (which calls it hits;
//     a Path starting with "*" matches a suffix).
//   - Calls() returns every request as a Call (method, path, query, body,
//     status, fault); CallCount(method, path) counts them.
//   - Effects() returns every change of state as an Effect; a call that
//     changes nothing records none, so a test can assert that each intended
//     change happened once however many times the client retried.
//
// # Where the real API is unknown
//
// leadlovers documents neither its not-found answers nor its behaviour for
// repeated writes. The fake answers 404 with an error envelope for an
// unknown lead on GET /Lead and GET /LeadLocation, answers HTTP 200 with
// {"StatusCode":400,…} for writes naming an unknown machine, sequence or
// level (and HTTP 400 for reads, as leadlovers does for GET
// /EmailSequences), rejects a move whose origin does not hold the lead,
// and treats POST /Lead of a known lead like PUT /Lead. Inserts are applied
// at once rather than queued.
package leadloverstest
