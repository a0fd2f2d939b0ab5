package webhook

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Delivery is the record of one request to the Handler: what Hotmart's
// console shows as a line of its delivery history, seen from the receiving
// side. Error strings are redacted: they never hold a hottok or the buyer's
// e-mail, phone or document.
type Delivery struct {
	// EventID is empty for requests rejected before the body was trusted
	// (405, 415, 413, 401).
	EventID    string
	Event      hotmart.EventType
	ReceivedAt time.Time
	Duration   time.Duration
	// Status is the HTTP status answered.
	Status int
	// Outcome says in a word what happened: "processed", "failed",
	// "duplicate", "unhandled", "rejected".
	Outcome string
	// Attempt is the delivery's number among the deliveries of EventID (1
	// for the first); 0 when unknown (no Store, or no event id).
	Attempt int
	Error   string
	Actions []ActionOutcome
}

// ActionOutcome is what one segmentation's action did while an event was
// processed, as reported by the Processor with RecordAction.
type ActionOutcome struct {
	Segmentation string `json:"segmentation"`
	Provider     string `json:"provider"`
	Command      string `json:"command"`
	// Status is a short word such as "ok", "failed" or "skipped".
	Status string `json:"status"`
	Error  string `json:"error"`
}

// Outcome words of Delivery.Outcome.
const (
	OutcomeProcessed = "processed"
	OutcomeFailed    = "failed"
	OutcomeDuplicate = "duplicate"
	OutcomeUnhandled = "unhandled"
	OutcomeRejected  = "rejected"
)

type deliveryJSON struct {
	EventID    string          `json:"event_id"`
	Event      string          `json:"event"`
	ReceivedAt string          `json:"received_at"`
	DurationMS float64         `json:"duration_ms"`
	Status     int             `json:"status"`
	Outcome    string          `json:"outcome"`
	Attempt    int             `json:"attempt"`
	Error      string          `json:"error"`
	Actions    []ActionOutcome `json:"actions"`
}

// MarshalJSON writes the keys event_id, event, received_at (RFC 3339),
// duration_ms, status, outcome, attempt, error and actions (always an array).
func (d Delivery) MarshalJSON() ([]byte, error) {
	actions := d.Actions
	if actions == nil {
		actions = []ActionOutcome{}
	}
	return json.Marshal(deliveryJSON{
		EventID:    d.EventID,
		Event:      string(d.Event),
		ReceivedAt: d.ReceivedAt.UTC().Format(time.RFC3339Nano),
		DurationMS: float64(d.Duration.Microseconds()) / 1000,
		Status:     d.Status,
		Outcome:    d.Outcome,
		Attempt:    d.Attempt,
		Error:      d.Error,
		Actions:    actions,
	})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (d *Delivery) UnmarshalJSON(b []byte) error {
	var w deliveryJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	var at time.Time
	if w.ReceivedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, w.ReceivedAt)
		if err != nil {
			return err
		}
		at = t
	}
	*d = Delivery{
		EventID: w.EventID, Event: hotmart.EventType(w.Event), ReceivedAt: at,
		Duration: time.Duration(w.DurationMS * float64(time.Millisecond)),
		Status:   w.Status, Outcome: w.Outcome, Attempt: w.Attempt, Error: w.Error, Actions: w.Actions,
	}
	return nil
}

// History keeps delivery records. MemoryHistory is the default; a host that
// wants the history to survive restarts implements it over its database.
type History interface {
	// Record stores d. The Handler calls it once per request, after
	// answering, and ignores its error (logging it).
	Record(ctx context.Context, d Delivery) error
	// Deliveries returns the records matching q, newest first.
	Deliveries(ctx context.Context, q Query) ([]Delivery, error)
}

// Query filters History.Deliveries. Zero fields do not filter.
type Query struct {
	EventID string
	Status  int // HTTP status answered
	Limit   int // at most this many; 0 means all
}

// DefaultHistorySize is the capacity of the Handler's default MemoryHistory.
const DefaultHistorySize = 1000

// MemoryHistory is a History holding the newest deliveries in a fixed-size
// ring: recording never allocates more memory once it is full.
type MemoryHistory struct {
	mu   sync.Mutex
	ring []Delivery
	next int // index the next record goes to
	n    int // records held
}

// NewMemoryHistory returns a MemoryHistory holding up to size deliveries.
func NewMemoryHistory(size int) (*MemoryHistory, error) {
	if size <= 0 {
		return nil, &ConfigError{Option: "NewMemoryHistory", Reason: "size must be positive"}
	}
	return &MemoryHistory{ring: make([]Delivery, size)}, nil
}

// Record implements History.
func (h *MemoryHistory) Record(_ context.Context, d Delivery) error {
	h.mu.Lock()
	h.ring[h.next] = d
	h.next = (h.next + 1) % len(h.ring)
	if h.n < len(h.ring) {
		h.n++
	}
	h.mu.Unlock()
	return nil
}

// Deliveries implements History. The returned records are copies; their
// Actions slices are shared with the history and must not be modified.
func (h *MemoryHistory) Deliveries(_ context.Context, q Query) ([]Delivery, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := []Delivery{}
	for i := 1; i <= h.n; i++ {
		d := h.ring[(h.next-i+len(h.ring))%len(h.ring)]
		if q.EventID != "" && d.EventID != q.EventID {
			continue
		}
		if q.Status != 0 && d.Status != q.Status {
			continue
		}
		out = append(out, d)
		if q.Limit > 0 && len(out) == q.Limit {
			break
		}
	}
	return out, nil
}
