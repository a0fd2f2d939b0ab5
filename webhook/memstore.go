package webhook

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"
)

// Defaults of NewMemoryStore.
const (
	DefaultStoreMaxEntries = 50_000
	// DefaultStoreTTL outlives Hotmart's retries, which come about 15
	// minutes apart for an undocumented number of times.
	DefaultStoreTTL = 72 * time.Hour
	// maxStepsPerEvent bounds the marks one event may hold: one per
	// segmentation is the intended use.
	maxStepsPerEvent = 4096
)

// MemoryStore is a Store for one process. Its memory is bounded: at most
// MaxEntries event ids are remembered, and an event that is not in flight is
// forgotten TTL after its last outcome. When a new id arrives at a full
// store, the oldest completed event is evicted, or failing that the oldest
// failed one; in-flight events are never evicted (Begin returns ErrStoreFull
// when every entry is in flight).
//
// Forgetting an event forgets its attempt count and step marks: a delivery
// of it after that runs the processor again.
type MemoryStore struct {
	mu        sync.Mutex
	max       int
	ttl       time.Duration
	now       func() time.Time
	seq       uint64
	entries   map[string]*memEntry
	completed entryList // in order of completion, oldest first
	failed    entryList // not completed and not in flight, oldest first
}

// entryList is an intrusive doubly linked list of entries, so listing an
// entry costs no allocation.
type entryList struct{ head, tail *memEntry }

func (l *entryList) pushBack(e *memEntry) {
	e.prev, e.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = e
	} else {
		l.head = e
	}
	l.tail = e
}

func (l *entryList) remove(e *memEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.head = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.tail = e.prev
	}
	e.prev, e.next = nil, nil
}

type memState int

const (
	memIdle memState = iota // failed or never ended: claimable
	memInFlight
	memCompleted
)

type memEntry struct {
	id         string
	state      memState
	attempts   int
	token      string
	leaseUntil time.Time
	flight     *flight
	lastStatus int
	steps      map[string]struct{}
	listed     bool      // in completed or failed; false while in flight
	prev, next *memEntry // links of that list
	since      time.Time // when the entry joined its list
}

// flight is one claim; waiters read its result after done is closed. done
// is made by the first waiter (most claims have none), under the store's
// lock.
type flight struct {
	done      chan struct{}
	completed bool
	status    int
}

// end publishes the flight's result to its waiters; the store's lock is
// held.
func (f *flight) end() {
	if f.done != nil {
		close(f.done)
	}
}

// MemoryStoreOption configures NewMemoryStore.
type MemoryStoreOption func(*MemoryStore) error

// StoreMaxEntries sets how many event ids the store remembers (default
// DefaultStoreMaxEntries).
func StoreMaxEntries(n int) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if n <= 0 {
			return &ConfigError{Option: "StoreMaxEntries", Reason: "must be positive"}
		}
		s.max = n
		return nil
	}
}

// StoreTTL sets how long an event that is not in flight is remembered after
// its last outcome (default DefaultStoreTTL).
func StoreTTL(d time.Duration) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if d <= 0 {
			return &ConfigError{Option: "StoreTTL", Reason: "must be positive"}
		}
		s.ttl = d
		return nil
	}
}

// StoreClock replaces time.Now, for tests of expiry.
func StoreClock(now func() time.Time) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if now == nil {
			return &ConfigError{Option: "StoreClock", Reason: "nil clock"}
		}
		s.now = now
		return nil
	}
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts ...MemoryStoreOption) (*MemoryStore, error) {
	s := &MemoryStore{
		max:     DefaultStoreMaxEntries,
		ttl:     DefaultStoreTTL,
		now:     time.Now,
		entries: make(map[string]*memEntry),
	}
	for _, o := range opts {
		if err := o(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Len returns the number of event ids remembered.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire(s.now())
	return len(s.entries)
}

// Begin implements Store.
func (s *MemoryStore) Begin(ctx context.Context, id string, lease time.Duration) (Claim, error) {
	if err := ctx.Err(); err != nil {
		return Claim{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	e := s.entries[id]
	if e == nil {
		if len(s.entries) >= s.max && !s.evictOne() {
			return Claim{}, ErrStoreFull
		}
		e = &memEntry{id: id}
		s.entries[id] = e
	}
	e.attempts++
	switch e.state {
	case memCompleted:
		return Claim{State: AlreadyCompleted, Attempt: e.attempts}, nil
	case memInFlight:
		if now.Before(e.leaseUntil) {
			return Claim{State: InFlight, Attempt: e.attempts}, nil
		}
		// The holder outlived its lease: its waiters learn nothing (status 0)
		// and may claim again; its own Complete or Fail will be refused.
		e.flight.end()
	case memIdle:
		s.unlist(e)
	}
	s.seq++
	e.state = memInFlight
	e.token = strconv.FormatUint(s.seq, 36)
	e.leaseUntil = now.Add(lease)
	e.flight = &flight{}
	return Claim{State: Claimed, Token: e.token, Attempt: e.attempts}, nil
}

// Wait implements Store.
func (s *MemoryStore) Wait(ctx context.Context, id string) (WaitResult, error) {
	s.mu.Lock()
	e := s.entries[id]
	if e == nil {
		s.mu.Unlock()
		return WaitResult{}, nil
	}
	switch e.state {
	case memCompleted:
		s.mu.Unlock()
		return WaitResult{Completed: true}, nil
	case memIdle:
		st := e.lastStatus
		s.mu.Unlock()
		return WaitResult{Status: st}, nil
	}
	f, left := e.flight, e.leaseUntil.Sub(s.now())
	if left <= 0 {
		s.mu.Unlock()
		return WaitResult{}, nil
	}
	if f.done == nil {
		f.done = make(chan struct{})
	}
	s.mu.Unlock()
	t := time.NewTimer(left)
	defer t.Stop()
	select {
	case <-f.done:
		return WaitResult{Completed: f.completed, Status: f.status}, nil
	case <-t.C:
		return WaitResult{}, nil
	case <-ctx.Done():
		return WaitResult{}, ctx.Err()
	}
}

// Complete implements Store.
func (s *MemoryStore) Complete(_ context.Context, id, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.held(id, token)
	if err != nil {
		return err
	}
	e.state = memCompleted
	e.steps = nil // a completed event is never re-run: its marks are dead weight
	e.since = s.now()
	s.completed.pushBack(e)
	e.listed = true
	e.flight.completed = true
	e.flight.end()
	return nil
}

// Fail implements Store.
func (s *MemoryStore) Fail(_ context.Context, id, token string, status int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := s.held(id, token)
	if err != nil {
		return err
	}
	e.state = memIdle
	e.lastStatus = status
	e.since = s.now()
	s.failed.pushBack(e)
	e.listed = true
	e.flight.status = status
	e.flight.end()
	return nil
}

// MarkStep implements Store. It refuses marks for an event the store does
// not remember and more than 4096 marks per event.
func (s *MemoryStore) MarkStep(_ context.Context, id, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[id]
	if e == nil {
		return errors.New("webhook: step marked for an event the store does not hold")
	}
	if e.state == memCompleted {
		return nil
	}
	if e.steps == nil {
		e.steps = make(map[string]struct{})
	}
	if _, ok := e.steps[key]; !ok && len(e.steps) >= maxStepsPerEvent {
		return errors.New("webhook: too many steps for one event")
	}
	e.steps[key] = struct{}{}
	return nil
}

// StepDone implements Store. Every step of a completed event is done.
func (s *MemoryStore) StepDone(_ context.Context, id, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[id]
	if e == nil {
		return false, nil
	}
	if e.state == memCompleted {
		return true, nil
	}
	_, ok := e.steps[key]
	return ok, nil
}

func (s *MemoryStore) held(id, token string) (*memEntry, error) {
	e := s.entries[id]
	if e == nil || e.state != memInFlight || e.token != token {
		return nil, ErrLeaseLost
	}
	return e, nil
}

// expire forgets entries whose outcome is older than the TTL. Both lists are
// in time order, so only their fronts need looking at.
func (s *MemoryStore) expire(now time.Time) {
	for _, l := range [...]*entryList{&s.completed, &s.failed} {
		for e := l.head; e != nil && now.Sub(e.since) >= s.ttl; e = l.head {
			s.drop(e)
		}
	}
}

// evictOne forgets the oldest completed entry, else the oldest failed one.
func (s *MemoryStore) evictOne() bool {
	for _, l := range [...]*entryList{&s.completed, &s.failed} {
		if l.head != nil {
			s.drop(l.head)
			return true
		}
	}
	return false
}

func (s *MemoryStore) drop(e *memEntry) {
	s.unlist(e)
	delete(s.entries, e.id)
}

func (s *MemoryStore) unlist(e *memEntry) {
	if !e.listed {
		return
	}
	if e.state == memCompleted {
		s.completed.remove(e)
	} else {
		s.failed.remove(e)
	}
	e.listed = false
}
