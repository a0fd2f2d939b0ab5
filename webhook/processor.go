package webhook

import (
	"context"
	"fmt"
	"sync"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Processor is the host's code that acts on one verified, decoded,
// deduplicated event. A nil error means the event's effects are done: the
// Handler answers 200 and marks the event completed. An error (or a panic)
// makes the Handler answer 500, so Hotmart delivers the event again later.
//
// Process may be called concurrently for different events. The context
// carries the delivery's step marks (StepDone, MarkStep) and action log
// (RecordAction).
type Processor interface {
	Process(ctx context.Context, e *hotmart.Event) error
}

// ProcessorFunc adapts a function to Processor.
type ProcessorFunc func(ctx context.Context, e *hotmart.Event) error

// Process calls f.
func (f ProcessorFunc) Process(ctx context.Context, e *hotmart.Event) error { return f(ctx, e) }

// Mux routes events to a Processor per event type. It is itself a Processor.
// An event whose type has no processor of its own goes to the default
// processor (HandleDefault); without one, Process returns an error matching
// ErrNoHandler, which the Handler answers with its unhandled status (200 by
// default) rather than as a failure.
//
// A default lets a host give one event type a plain callback and leave every
// other type to one processor, typically the rules pipeline:
//
//	mux := webhook.NewMux()
//	mux.HandleFunc(hotmart.EventClubFirstAccess, welcome)
//	mux.HandleDefault(pipe)
//
// Register before serving; registration is nevertheless safe for concurrent
// use.
type Mux struct {
	mu       sync.RWMutex
	handlers map[hotmart.EventType]Processor
	fallback Processor
}

// NewMux returns an empty Mux.
func NewMux() *Mux { return &Mux{handlers: make(map[hotmart.EventType]Processor)} }

// Handle registers p for events of type t. It refuses an empty type, a nil
// processor and a second registration for the same type.
func (m *Mux) Handle(t hotmart.EventType, p Processor) error {
	switch {
	case t == "":
		return &ConfigError{Option: "Mux.Handle", Reason: "empty event type"}
	case isNil(p):
		return &ConfigError{Option: "Mux.Handle", Reason: "nil processor for " + string(t)}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.handlers == nil {
		m.handlers = make(map[hotmart.EventType]Processor)
	}
	if _, dup := m.handlers[t]; dup {
		return &ConfigError{Option: "Mux.Handle", Reason: "second processor for " + string(t)}
	}
	m.handlers[t] = p
	return nil
}

// HandleFunc registers f for events of type t.
func (m *Mux) HandleFunc(t hotmart.EventType, f func(ctx context.Context, e *hotmart.Event) error) error {
	if f == nil {
		return &ConfigError{Option: "Mux.HandleFunc", Reason: "nil function for " + string(t)}
	}
	return m.Handle(t, ProcessorFunc(f))
}

// HandleDefault registers p for every event whose type has no processor of
// its own, including types this SDK does not know when the Handler passes
// them on (WithProcessUnknown). It refuses a nil processor and a second
// default.
func (m *Mux) HandleDefault(p Processor) error {
	if isNil(p) {
		return &ConfigError{Option: "Mux.HandleDefault", Reason: "nil processor"}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fallback != nil {
		return &ConfigError{Option: "Mux.HandleDefault", Reason: "second default processor"}
	}
	m.fallback = p
	return nil
}

// Process dispatches e to the processor registered for its type, or else to
// the default processor.
func (m *Mux) Process(ctx context.Context, e *hotmart.Event) error {
	m.mu.RLock()
	p, ok := m.handlers[e.Type]
	if !ok {
		p = m.fallback
	}
	m.mu.RUnlock()
	if p == nil {
		return fmt.Errorf("%w: %s", ErrNoHandler, e.Type)
	}
	return p.Process(ctx, e)
}

func isNil(p Processor) bool {
	if p == nil {
		return true
	}
	f, ok := p.(ProcessorFunc)
	return ok && f == nil
}
