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
// Every call is recorded (Calls) with its method, path, query (token
// removed) and body. Every change of state is recorded as an Effect
// (Effects): a call that leaves the state as it was, such as a repeated
// upsert, records none, so a test can assert that each intended change
// happened exactly once however many times the client retried.
//
// # Faults
//
// FailNext queues faults for the next matching calls; FailRate fails a
// random fraction of calls; SetLatency delays every answer. Faults are
// answered before the call is applied, unless Fault.AfterApply is set, which
// simulates a reply lost after leadlovers did the work.
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
