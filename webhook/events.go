package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// EventState is where an event stands in durable processing. The simple
// (in-request) mode only ever reports StateDone or StateRetrying.
type EventState string

// The states an event can be in. They are the words DESIGN.md's /events
// routes and the console show.
const (
	StateQueued   EventState = "queued"   // committed, waiting for a worker
	StateRunning  EventState = "running"  // a worker holds it now
	StateRetrying EventState = "retrying" // an attempt failed; another is scheduled
	StateDone     EventState = "done"     // every action ran (or was skipped)
	StateDead     EventState = "dead"     // attempts used up; only a replay runs it again
	StateStale    EventState = "stale"    // superseded by a newer event of its transaction; ran nothing
)

// Event sources, for EventRecord.Source.
const (
	SourceWebhook  = "webhook"
	SourceSync     = "sync"
	SourceBackfill = "backfill"
)

// ErrEventNotFound is returned by EventLog methods for an unknown event id.
var ErrEventNotFound = errors.New("webhook: event not found")

// EventRecord is one event as an EventLog keeps it: its envelope, its state
// and the outcome of each segmentation's action. Its JSON form is the object
// of DESIGN.md's /events routes.
type EventRecord struct {
	EventID       string            `json:"event_id"`
	Event         hotmart.EventType `json:"event"`
	Account       string            `json:"account"`
	Source        string            `json:"source"`
	Transaction   string            `json:"transaction"`
	ProductID     string            `json:"product_id,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	ReceivedAt    time.Time         `json:"received_at"`
	State         EventState        `json:"state"`
	Attempts      int               `json:"attempts"`
	NextAttemptAt *time.Time        `json:"next_attempt_at"`
	LastError     string            `json:"last_error"`
	Actions       []ActionOutcome   `json:"actions"`

	// BuyerEmail lets a host filter by buyer; it is personal data, so it is
	// never marshalled.
	BuyerEmail string `json:"-"`
	// Payload is the event's data section (hotmart.Event.Raw, never the
	// envelope, so no hottok). It holds personal data: mask before showing.
	Payload json.RawMessage `json:"-"`
}

// EventQuery filters EventLog.Events. Zero fields do not filter.
type EventQuery struct {
	Account     string
	State       EventState
	Type        hotmart.EventType
	Transaction string
	Email       string // the buyer e-mail, typed in full; compared case-insensitively
	Since       time.Time
	// Before pages backwards: only events received strictly before it.
	Before time.Time
	Limit  int // 0 means a default chosen by the implementation
}

// EventLog is the event-state view that durable mode keeps and the console
// and admin routes read. Implementations must be safe for concurrent use.
type EventLog interface {
	// Events lists events, newest received first.
	Events(ctx context.Context, q EventQuery) ([]EventRecord, error)
	// Event returns one event, or ErrEventNotFound.
	Event(ctx context.Context, id string) (EventRecord, error)
	// Replay queues the event again with its attempts reset, whatever its
	// state; steps already done are still skipped. ErrEventNotFound for an
	// unknown id.
	Replay(ctx context.Context, id string) (EventRecord, error)
}
