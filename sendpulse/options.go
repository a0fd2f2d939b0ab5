package sendpulse

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// DefaultBaseURL is the root of SendPulse's REST API. The client adds
// /oauth/access_token, /crm/v1/…, /addressbooks/… and /events/… to it.
const DefaultBaseURL = "https://api.sendpulse.com"

// DefaultRate is SendPulse's documented limit, in requests per second.
const DefaultRate = 10.0

// DefaultBurst is the burst a client allows unless WithRateLimit says
// otherwise.
const DefaultBurst = 10

// DefaultTokenRefreshMargin is how long before its stated expiry an OAuth
// token is replaced: SendPulse tokens live 3600 s, so a token is used for
// about 58 minutes, then fetched again once. A token whose lifetime is
// shorter than twice the margin is replaced when half its lifetime has gone.
const DefaultTokenRefreshMargin = 2 * time.Minute

// Option configures a Client. Options validate their argument and make
// NewClient fail rather than build a client that cannot work.
type Option func(*options) error

type options struct {
	httpx.Settings
	baseURL      *url.URL
	apiKey       string
	clientID     string
	clientSecret string
	rate         float64
	burst        int
	tokenMargin  time.Duration
}

// WithBaseURL sets the API root (default DefaultBaseURL), e.g. the URL of a
// sendpulsetest.Server.
func WithBaseURL(root string) Option {
	return func(o *options) error {
		u, err := httpx.ParseBaseURL(strings.TrimSuffix(root, "/"))
		if err != nil {
			return optionError("WithBaseURL", err)
		}
		o.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for API calls and token fetches.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return optionError("WithHTTPClient", o.SetHTTPClient(hc)) }
}

// WithLogger sends the client's debug and retry log lines to l. Lines never
// carry credentials, tokens or e-mail addresses.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return optionError("WithLogger", o.SetLogger(l)) }
}

// WithUserAgent appends app to the User-Agent header.
func WithUserAgent(app string) Option {
	return func(o *options) error { return optionError("WithUserAgent", o.SetUserAgent(app)) }
}

// WithRateLimit paces requests to perSecond on average with bursts of up to
// burst requests (default DefaultRate per second, burst DefaultBurst).
// perSecond 0 turns pacing off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error {
		if err := httpx.CheckRate(perSecond, burst); err != nil {
			return optionError("WithRateLimit", err)
		}
		o.rate, o.burst = perSecond, burst
		return nil
	}
}

// WithRetry sets how many times a failed call is retried (429 for every
// call; network errors and 5xx only for calls that are safe to repeat) and
// the bounds of the jittered exponential backoff between attempts.
// max 0 means no retries.
func WithRetry(max int, minWait, maxWait time.Duration) Option {
	return func(o *options) error { return optionError("WithRetry", o.SetRetry(max, minWait, maxWait)) }
}

// WithTokenRefreshMargin sets how long before its expiry an OAuth token is
// replaced (default DefaultTokenRefreshMargin; never later than half the
// token's lifetime).
func WithTokenRefreshMargin(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return errors.New("sendpulse: WithTokenRefreshMargin: negative margin")
		}
		o.tokenMargin = d
		return nil
	}
}

func optionError(name string, err error) error {
	if err != nil {
		return fmt.Errorf("sendpulse: %s: %w", name, err)
	}
	return nil
}
