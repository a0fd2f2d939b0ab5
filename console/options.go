package console

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// ErrNoAdminToken is matched by the *ConfigError New returns for an empty
// admin token.
var ErrNoAdminToken = errors.New("console: an admin token is required")

// ConfigError reports an option New refused.
type ConfigError struct {
	Option string
	Reason string
	Err    error
}

func (e *ConfigError) Error() string { return fmt.Sprintf("console: %s: %s", e.Option, e.Reason) }

// Unwrap returns the sentinel the error matches, if any.
func (e *ConfigError) Unwrap() error { return e.Err }

// Option configures a Console.
type Option func(*options) error

type options struct {
	accounts []string
	prefix   string
	events   webhook.EventLog
	history  webhook.History
	rules    pipeline.RuleStore
	copts    []segment.Option
	pipeline *pipeline.Pipeline
	log      *slog.Logger
	session  time.Duration
	secure   bool
	now      func() time.Time
}

// WithPrefix sets the path the console is mounted under, e.g. "/admin" (the
// host then routes "/admin/" to it). Default: the root.
func WithPrefix(prefix string) Option {
	return func(o *options) error {
		p := strings.TrimRight(prefix, "/")
		if p != "" && !strings.HasPrefix(p, "/") {
			return &ConfigError{Option: "WithPrefix", Reason: "prefix must start with /"}
		}
		if strings.ContainsAny(p, "?#{}\"'<> ") {
			return &ConfigError{Option: "WithPrefix", Reason: "prefix must be a plain path"}
		}
		o.prefix = p
		return nil
	}
}

// WithEvents gives the console the event log its Overview, Events and Dead
// pages read and its replay button uses: durable mode's, or a
// webhook.MemoryEvents in simple mode. Without it those pages say that no
// event log is configured.
func WithEvents(l webhook.EventLog) Option {
	return func(o *options) error {
		if l == nil {
			return &ConfigError{Option: "WithEvents", Reason: "nil event log"}
		}
		o.events = l
		return nil
	}
}

// WithHistory gives the console the delivery history (what was answered to
// Hotmart, per request): the Overview's chart and each event's deliveries.
func WithHistory(h webhook.History) Option {
	return func(o *options) error {
		if h == nil {
			return &ConfigError{Option: "WithHistory", Reason: "nil history"}
		}
		o.history = h
		return nil
	}
}

// WithRules gives the console the store its Segmentations pages read and
// change. copts are the options the rules are compiled with (typically
// segment.WithProviders(...)); every change is compiled with them as a whole
// set before it is stored, so the store never holds rules that do not
// compile.
func WithRules(store pipeline.RuleStore, copts ...segment.Option) Option {
	return func(o *options) error {
		if store == nil {
			return &ConfigError{Option: "WithRules", Reason: "nil rule store"}
		}
		o.rules, o.copts = store, copts
		return nil
	}
}

// WithPipeline gives the console the running pipeline: "test with an
// e-mail" runs actions on its executors, edits are refused when they name a
// provider it has no executor for, and it is synced right after each change
// (pipeline.WithRuleStore) so the change applies at once in this process.
func WithPipeline(p *pipeline.Pipeline) Option {
	return func(o *options) error {
		if p == nil {
			return &ConfigError{Option: "WithPipeline", Reason: "nil pipeline"}
		}
		o.pipeline = p
		return nil
	}
}

// WithLogger sets where console actions are logged (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return &ConfigError{Option: "WithLogger", Reason: "nil logger"}
		}
		o.log = l
		return nil
	}
}

// WithSessionTTL sets how long a login lasts (default 12 h).
func WithSessionTTL(d time.Duration) Option {
	return func(o *options) error {
		if d < time.Minute {
			return &ConfigError{Option: "WithSessionTTL", Reason: "must be at least a minute"}
		}
		o.session = d
		return nil
	}
}

// WithSecureCookie marks the session cookie Secure on every login, for a
// console served over HTTPS by a proxy that talks plain HTTP to it. Without
// it the cookie is Secure when the request itself came over TLS.
func WithSecureCookie() Option {
	return func(o *options) error {
		o.secure = true
		return nil
	}
}

// WithAccounts names the accounts of a receiver serving several Hotmart
// accounts: the events page offers them in an account selector (the
// "account" query parameter filters by account either way) and shows each
// event's account.
func WithAccounts(ids ...string) Option {
	return func(o *options) error {
		for _, id := range ids {
			if strings.TrimSpace(id) == "" {
				return &ConfigError{Option: "WithAccounts", Reason: "empty account id"}
			}
		}
		o.accounts = append(o.accounts, ids...)
		return nil
	}
}
