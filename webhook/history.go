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
	EventID string
	// Account is the account whose hottok authenticated the delivery, with
	// WithHottokResolver; empty for a single-account handler.
	Account    string
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
	// State is the event's state now (not when the delivery was answered),
	// filled in by History.Deliveries; empty for rejected requests.
	State EventState
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
	Account    string          `json:"account"`
	Event      string          `json:"event"`
	ReceivedAt string          `json:"received_at"`
	DurationMS float64         `json:"duration_ms"`
	Status     int             `json:"status"`
	Outcome    string          `json:"outcome"`
	Attempt    int             `json:"attempt"`
	Error      string          `json:"error"`
	Actions    []ActionOutcome `json:"actions"`
	State      EventState      `json:"state"`
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
		Account:    d.Account,
		Event:      string(d.Event),
		ReceivedAt: d.ReceivedAt.UTC().Format(time.RFC3339Nano),
		DurationMS: float64(d.Duration.Microseconds()) / 1000,
		Status:     d.Status,
		Outcome:    d.Outcome,
		Attempt:    d.Attempt,
		Error:      d.Error,
		Actions:    actions,
		State:      d.State,
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
		EventID: w.EventID, Account: w.Account, Event: hotmart.EventType(w.Event), ReceivedAt: at,
		Duration: time.Duration(w.DurationMS * float64(time.Millisecond)),
		Status:   w.Status, Outcome: w.Outcome, Attempt: w.Attempt, Error: w.Error, Actions: w.Actions,
		State: w.State,
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
	Account string // deliveries authenticated as this account
	Status  int    // HTTP status answered
	Limit   int    // at most this many; 0 means all
}

// DefaultHistorySize is the capacity of the Handler's default MemoryHistory.
const DefaultHistorySize = 1000

// RejectedHistorySize is how many rejected requests (Outcome "rejected":
// 401, 400, 413…) a MemoryHistory keeps, apart from the real deliveries so
// that a flood of forged or broken requests cannot push those out.
const RejectedHistorySize = 100

// MemoryHistory is a History holding the newest deliveries in fixed-size
// rings: recording never allocates more memory once they are full. Rejected
// requests go to a ring of their own (RejectedHistorySize entries).
type MemoryHistory struct {
	mu       sync.Mutex
	seq      uint64 // orders records across the two rings
	accepted ring
	rejected ring
}

type ring struct {
	buf  []histEntry
	next int // index the next record goes to
	n    int // records held
}

type histEntry struct {
	d   Delivery
	seq uint64
}

func (r *ring) add(d Delivery, seq uint64) {
	r.buf[r.next] = histEntry{d, seq}
	r.next = (r.next + 1) % len(r.buf)
	if r.n < len(r.buf) {
		r.n++
	}
}

// at returns the i-th newest record (0 for the newest).
func (r *ring) at(i int) *histEntry { return &r.buf[(r.next-1-i+2*len(r.buf))%len(r.buf)] }

// NewMemoryHistory returns a MemoryHistory holding up to size deliveries,
// plus up to RejectedHistorySize rejected requests.
func NewMemoryHistory(size int) (*MemoryHistory, error) {
	if size <= 0 {
		return nil, &ConfigError{Option: "NewMemoryHistory", Reason: "size must be positive"}
	}
	return &MemoryHistory{
		accepted: ring{buf: make([]histEntry, size)},
		rejected: ring{buf: make([]histEntry, min(size, RejectedHistorySize))},
	}, nil
}

// Record implements History.
func (h *MemoryHistory) Record(_ context.Context, d Delivery) error {
	h.mu.Lock()
	h.seq++
	if d.Outcome == OutcomeRejected {
		h.rejected.add(d, h.seq)
	} else {
		h.accepted.add(d, h.seq)
	}
	h.mu.Unlock()
	return nil
}

// Deliveries implements History: both rings merged, newest first. Each
// record's State is its event's state now, as the simple mode knows it: done
// when the event's newest delivery was answered 2xx, retrying otherwise. The
// returned records are copies; their Actions slices are shared with the
// history and must not be modified.
func (h *MemoryHistory) Deliveries(_ context.Context, q Query) ([]Delivery, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	states := make(map[string]EventState)
	for i := 0; i < h.accepted.n; i++ {
		d := &h.accepted.at(i).d
		if _, seen := states[d.EventID]; !seen && d.EventID != "" {
			if d.Status < 300 {
				states[d.EventID] = StateDone
			} else {
				states[d.EventID] = StateRetrying
			}
		}
	}
	out := []Delivery{}
	ai, ri := 0, 0
	for ai < h.accepted.n || ri < h.rejected.n {
		var d Delivery
		if ri >= h.rejected.n || (ai < h.accepted.n && h.accepted.at(ai).seq > h.rejected.at(ri).seq) {
			d = h.accepted.at(ai).d
			ai++
			d.State = states[d.EventID]
		} else {
			d = h.rejected.at(ri).d
			ri++
		}
		if q.Account != "" && d.Account != q.Account {
			continue
		}
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
