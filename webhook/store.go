package webhook

import (
	"context"
	"time"
)

// Store gives the Handler deduplication and exactly-once effects across
// deliveries of the same event id. MemoryStore implements it for one
// process; a SQL or Redis implementation shares it between replicas.
//
// The protocol, per delivery of an event id:
//
//  1. Begin counts the attempt and tries to claim the event for lease. Exactly
//     one caller at a time may hold an unexpired claim. A claim whose lease
//     ran out (its holder crashed or hung) may be taken by the next Begin;
//     the old holder's Complete or Fail then reports ErrLeaseLost.
//  2. The claim holder runs the processor, which may record per-key marks
//     with MarkStep and read them with StepDone. Marks survive a failed
//     attempt, so a retry skips the steps that already succeeded.
//  3. The holder ends the claim with Complete (later deliveries are answered
//     200 without processing) or Fail (a later delivery claims and runs
//     again).
//
// A delivery that finds the event in flight calls Wait, which returns when
// the holder ends its claim, the lease expires or ctx is done. A store
// shared between processes may implement Wait by polling.
//
// In SQL terms: Begin is an INSERT … ON CONFLICT DO UPDATE that takes the row
// when it is not completed and its lease_until is past, returning the row;
// Complete and Fail are UPDATEs guarded by the claim token; marks are rows of
// a (event_id, key) table. In Redis: SET NX PX for the claim, a Lua script
// for the token-guarded end, a set per event for marks.
//
// All methods must be safe for concurrent use.
type Store interface {
	// Begin records one delivery attempt of event id and tries to claim it.
	Begin(ctx context.Context, id string, lease time.Duration) (Claim, error)
	// Wait blocks until the current claim on id ends or expires, or ctx is
	// done (then it returns ctx's error).
	Wait(ctx context.Context, id string) (WaitResult, error)
	// Complete ends the claim identified by token and marks id completed.
	Complete(ctx context.Context, id, token string) error
	// Fail ends the claim identified by token without completing id; status
	// is the HTTP status the holder answered, handed to waiting duplicates.
	Fail(ctx context.Context, id, token string, status int) error
	// MarkStep and StepDone keep the event's step marks (see StepStore).
	StepStore
}

// ClaimState is what Begin found.
type ClaimState int

// Claim states.
const (
	// Claimed: the caller now holds the event and must end the claim with
	// Complete or Fail.
	Claimed ClaimState = iota + 1
	// AlreadyCompleted: an earlier delivery completed the event.
	AlreadyCompleted
	// InFlight: another delivery holds an unexpired claim.
	InFlight
)

// String names the state.
func (s ClaimState) String() string {
	switch s {
	case Claimed:
		return "claimed"
	case AlreadyCompleted:
		return "completed"
	case InFlight:
		return "in_flight"
	}
	return "unknown"
}

// Claim is the result of Store.Begin.
type Claim struct {
	State ClaimState
	// Token identifies the caller's claim when State is Claimed; it guards
	// Complete and Fail against a holder whose lease was taken over.
	Token string
	// Attempt is this delivery's number among the deliveries of the event
	// id the store remembers: 1 for the first.
	Attempt int
}

// WaitResult is what a delivery that waited for an in-flight duplicate
// learnt.
type WaitResult struct {
	// Completed is true when the holder completed the event.
	Completed bool
	// Status is the HTTP status the holder answered when it failed; 0 when
	// the claim expired without an outcome (the caller may Begin again).
	Status int
}
