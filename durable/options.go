package durable

import (
	"log/slog"
	"time"
)

// Defaults of Open.
const (
	DefaultWorkers       = 4
	DefaultMaxAttempts   = 25
	DefaultRetryBase     = time.Second
	DefaultRetryMaxDelay = time.Hour
	DefaultJobTimeout    = time.Minute
	// DefaultRetention is how long dedupe, events and deliveries are kept:
	// at least as long as Hotmart's own history.
	DefaultRetention = 60 * 24 * time.Hour
	// DefaultRejectedKept is how many rejected requests (401, 400, 413…)
	// the history keeps, apart from real deliveries.
	DefaultRejectedKept = 1000
)

// ConfigError reports an invalid option.
type ConfigError struct {
	Option string
	Reason string
}

func (e *ConfigError) Error() string { return "durable: " + e.Option + ": " + e.Reason }

// Option configures Open. Options validate their arguments.
type Option func(*options) error

type options struct {
	workers      int
	maxAttempts  int
	retryBase    time.Duration
	retryMax     time.Duration
	jobTimeout   time.Duration
	retention    time.Duration
	rejectedKept int
	logger       *slog.Logger
	pollInterval time.Duration
	maxConns     int32
	batchMax     int
}

func positive(name string, d time.Duration, set func(*options, time.Duration)) Option {
	return func(o *options) error {
		if d <= 0 {
			return &ConfigError{Option: name, Reason: "must be positive"}
		}
		set(o, d)
		return nil
	}
}

// WithWorkers sets how many events one process works at once (default 4).
func WithWorkers(n int) Option {
	return func(o *options) error {
		if n <= 0 || n > 10_000 {
			return &ConfigError{Option: "WithWorkers", Reason: "must be in 1..10000"}
		}
		o.workers = n
		return nil
	}
}

// WithMaxAttempts sets how many attempts an event gets before it is dead
// (default 25). A provider's 429 with Retry-After snoozes the event and
// does not count.
func WithMaxAttempts(n int) Option {
	return func(o *options) error {
		if n <= 0 || n > 1000 {
			return &ConfigError{Option: "WithMaxAttempts", Reason: "must be in 1..1000"}
		}
		o.maxAttempts = n
		return nil
	}
}

// WithRetryMaxDelay caps the wait between attempts (default 1h). The wait
// starts at the base delay and doubles per attempt.
func WithRetryMaxDelay(d time.Duration) Option {
	return positive("WithRetryMaxDelay", d, func(o *options, d time.Duration) { o.retryMax = d })
}

// WithRetryBaseDelay sets the wait after the first failed attempt (default
// 1 s); tests shorten it.
func WithRetryBaseDelay(d time.Duration) Option {
	return positive("WithRetryBaseDelay", d, func(o *options, d time.Duration) { o.retryBase = d })
}

// WithJobTimeout bounds one attempt (default 1m): its context is cancelled
// after it. A job still marked running a little after that (its process
// died) is taken over by another process.
func WithJobTimeout(d time.Duration) Option {
	return positive("WithJobTimeout", d, func(o *options, d time.Duration) { o.jobTimeout = d })
}

// WithRetention sets how long events, their dedupe and their deliveries are
// kept (default 60 days; less than 60 days is refused, since Hotmart may
// re-send an event that long after).
func WithRetention(d time.Duration) Option {
	return func(o *options) error {
		if d < DefaultRetention {
			return &ConfigError{Option: "WithRetention", Reason: "must be at least 60 days"}
		}
		o.retention = d
		return nil
	}
}

// WithRejectedKept sets how many rejected requests the history keeps
// (default 1000).
func WithRejectedKept(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return &ConfigError{Option: "WithRejectedKept", Reason: "must be positive"}
		}
		o.rejectedKept = n
		return nil
	}
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return &ConfigError{Option: "WithLogger", Reason: "nil logger"}
		}
		o.logger = l
		return nil
	}
}

// WithPollInterval sets how often workers look for new jobs when nothing
// told them (default 100 ms on SQLite, which has no notifications, and 1 s
// on PostgreSQL, where LISTEN/NOTIFY wakes them at once).
func WithPollInterval(d time.Duration) Option {
	return positive("WithPollInterval", d, func(o *options, d time.Duration) { o.pollInterval = d })
}

// WithMaxConns sets the PostgreSQL pool size (default 20). SQLite always
// uses one connection, as River advises.
func WithMaxConns(n int) Option {
	return func(o *options) error {
		if n < 4 || n > 1000 {
			return &ConfigError{Option: "WithMaxConns", Reason: "must be in 4..1000"}
		}
		o.maxConns = int32(n)
		return nil
	}
}
