package webhook

import "errors"

// ErrNoHottok is matched (errors.Is) by the error New returns when no hottok,
// or an empty one, was configured. A handler without a secret would accept
// forged deliveries, so it is never built.
var ErrNoHottok = errors.New("webhook: no hottok configured")

// ErrShortHottok is matched by the error New returns when a hottok is
// shorter than MinHottokLength.
var ErrShortHottok = errors.New("webhook: hottok too short")

// ErrNoProcessor is matched by the error New returns when no Processor was
// configured.
var ErrNoProcessor = errors.New("webhook: no processor configured")

// ErrNoHandler is returned (wrapped) by Mux.Process for an event type with no
// registered processor. The Handler answers such events with the unhandled
// status (200 unless WithUnhandledStatus says otherwise) instead of 500.
var ErrNoHandler = errors.New("webhook: no processor for event type")

// ErrDuplicate is returned (wrapped) by a Processor that recognised the
// event as one it already holds, as a durable queue does at the door. The
// Handler answers 200 and records the delivery as a duplicate.
var ErrDuplicate = errors.New("webhook: duplicate event")

// ErrUnavailable is returned (wrapped) by a Processor that cannot take the
// event now, e.g. its database is down. The Handler answers 503 so that
// Hotmart delivers it again later.
var ErrUnavailable = errors.New("webhook: processor unavailable")

// ErrLeaseLost is returned by Store.Complete and Store.Fail when the claim's
// lease expired and another delivery claimed the event meanwhile.
var ErrLeaseLost = errors.New("webhook: claim lease lost")

// ErrStoreFull is returned by MemoryStore.Begin when every entry is held by
// an in-flight delivery and none can be evicted.
var ErrStoreFull = errors.New("webhook: store full")

// ConfigError reports an invalid option or registration. It matches its Err
// sentinel (ErrNoHottok, ErrShortHottok, ErrNoProcessor) when there is one.
type ConfigError struct {
	Option string // the option or method at fault, e.g. "WithHottok"
	Reason string
	Err    error
}

func (e *ConfigError) Error() string { return "webhook: " + e.Option + ": " + e.Reason }

// Unwrap returns the sentinel the error stands for, if any.
func (e *ConfigError) Unwrap() error { return e.Err }
