package webhook

import (
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Defaults of New.
const (
	DefaultMaxBodyBytes = 1 << 20 // 1 MiB; Hotmart bodies are a few KiB
	// DefaultLease bounds one processing run: the processor's context is
	// cancelled after it, and a duplicate may then take the event over.
	DefaultLease = 2 * time.Minute
)

// Option configures New. Options validate their arguments: New returns the
// first *ConfigError met.
type Option func(*options) error

type options struct {
	tokens          []string
	resolver        func(token string) (account string, ok bool)
	processor       Processor
	maxBody         int64
	store           Store
	storeSet        bool
	history         History
	historySet      bool
	logger          *slog.Logger
	lease           time.Duration
	unhandledStatus int
	processUnknown  bool
	now             func() time.Time
}

// MinHottokLength is the shortest hottok WithHottok accepts. Hotmart's
// hottoks are long random strings; a short one is a placeholder or a typo,
// guessable, and too common a substring for the history's redaction to mask
// safely.
const MinHottokLength = 8

// WithHottok sets the accepted hottoks. Several may be accepted at once
// while a new one is rolled out; calling WithHottok again adds to the set.
// An empty token is refused (ErrNoHottok), and so is one shorter than
// MinHottokLength (ErrShortHottok). The error never quotes a token.
func WithHottok(tokens ...string) Option {
	return func(o *options) error {
		if len(tokens) == 0 {
			return &ConfigError{Option: "WithHottok", Reason: "no token given", Err: ErrNoHottok}
		}
		for i, t := range tokens {
			if t == "" {
				return &ConfigError{Option: "WithHottok", Reason: "token " + strconv.Itoa(i+1) + " is empty", Err: ErrNoHottok}
			}
			if len(t) < MinHottokLength {
				return &ConfigError{Option: "WithHottok", Err: ErrShortHottok,
					Reason: "token " + strconv.Itoa(i+1) + " is shorter than " + strconv.Itoa(MinHottokLength) + " characters"}
			}
			// HTTP strips a header value's surrounding blanks, so such a
			// token (a stray newline from a secrets file) could never match.
			if strings.TrimSpace(t) != t {
				return &ConfigError{Option: "WithHottok", Reason: "token " + strconv.Itoa(i+1) + " has surrounding white space"}
			}
		}
		o.tokens = append(o.tokens, tokens...)
		return nil
	}
}

// WithProcessor sets the code that acts on each event (required).
func WithProcessor(p Processor) Option {
	return func(o *options) error {
		if p == nil {
			return &ConfigError{Option: "WithProcessor", Reason: "nil processor", Err: ErrNoProcessor}
		}
		if f, ok := p.(ProcessorFunc); ok && f == nil {
			return &ConfigError{Option: "WithProcessor", Reason: "nil processor", Err: ErrNoProcessor}
		}
		o.processor = p
		return nil
	}
}

// WithMaxBodyBytes sets the body limit (default DefaultMaxBodyBytes). A
// larger body is answered 413 without being read past the limit.
func WithMaxBodyBytes(n int64) Option {
	return func(o *options) error {
		if n <= 0 {
			return &ConfigError{Option: "WithMaxBodyBytes", Reason: "must be positive"}
		}
		o.maxBody = n
		return nil
	}
}

// WithStore sets the deduplication store. The default is a MemoryStore with
// its default bounds; WithStore(nil) turns deduplication off (every delivery
// is processed, and StepDone always reports false).
func WithStore(s Store) Option {
	return func(o *options) error {
		o.store, o.storeSet = s, true
		return nil
	}
}

// WithHistory sets where deliveries are recorded. The default is a
// MemoryHistory of DefaultHistorySize entries (see Handler.History);
// WithHistory(nil) turns recording off.
func WithHistory(h History) Option {
	return func(o *options) error {
		o.history, o.historySet = h, true
		return nil
	}
}

// WithLogger sets the logger that gets one line per delivery. The default
// discards: a library should not write to a program's logs unasked.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return &ConfigError{Option: "WithLogger", Reason: "nil logger"}
		}
		o.logger = l
		return nil
	}
}

// WithLease sets how long one processing run may hold an event (default
// DefaultLease). The processor's context is cancelled when it runs out.
func WithLease(d time.Duration) Option {
	return func(o *options) error {
		if d <= 0 {
			return &ConfigError{Option: "WithLease", Reason: "must be positive"}
		}
		o.lease = d
		return nil
	}
}

// WithUnhandledStatus sets the status answered for an event nobody handles:
// an unknown event type (unless WithProcessUnknown), or an event the
// processor reports with ErrNoHandler. The default, 200, is what Hotmart
// wants: any other status marks the URL as failing and can get the webhook
// configuration switched off. A 2xx status completes the event; another
// status leaves it to be delivered again.
func WithUnhandledStatus(status int) Option {
	return func(o *options) error {
		if status < 200 || status > 599 {
			return &ConfigError{Option: "WithUnhandledStatus", Reason: "status must be in 200..599"}
		}
		o.unhandledStatus = status
		return nil
	}
}

// WithProcessUnknown passes events of types this SDK does not know to the
// processor (their data is in Event.Raw) instead of answering them with the
// unhandled status.
func WithProcessUnknown() Option {
	return func(o *options) error {
		o.processUnknown = true
		return nil
	}
}

// WithClock replaces time.Now for the received time and duration of
// deliveries.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return &ConfigError{Option: "WithClock", Reason: "nil clock"}
		}
		o.now = now
		return nil
	}
}

// WithHottokResolver authenticates deliveries of several accounts: resolve
// maps a candidate hottok to the account it belongs to (ok false: none),
// as accounts.Registry.ResolveHottok does, comparing it with every token of
// every account in constant time. The account travels with the delivery:
// AccountFrom(ctx) in the processor, Delivery.Account in the history, and
// dedupe and step marks are kept per account, so the same event id in two
// accounts is two events. It replaces WithHottok; giving both is an error.
func WithHottokResolver(resolve func(token string) (account string, ok bool)) Option {
	return func(o *options) error {
		if resolve == nil {
			return &ConfigError{Option: "WithHottokResolver", Reason: "nil resolver", Err: ErrNoHottok}
		}
		o.resolver = resolve
		return nil
	}
}
