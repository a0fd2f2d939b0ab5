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

// DefaultRate is SendPulse's documented per-second request limit.
const DefaultRate = 10

// DefaultTokenMargin is how long before its stated expiry an OAuth token is
// replaced: SendPulse tokens live 3600 s, so a token is used for about 58
// minutes, then fetched again once.
const DefaultTokenMargin = 2 * time.Minute

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

// WithAPIKey authenticates with a static API key (SendPulse account settings
// → API → API keys). It excludes WithClientCredentials.
func WithAPIKey(key string) Option {
	return func(o *options) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("sendpulse: WithAPIKey: empty API key")
		}
		o.apiKey = key
		return nil
	}
}

// WithClientCredentials authenticates with an OAuth client id and secret
// (the REST API "ID" and "Secret"). Tokens are fetched from
// <base URL>/oauth/access_token, cached until shortly before they expire and
// fetched again once if the API answers 401. It excludes WithAPIKey.
func WithClientCredentials(id, secret string) Option {
	return func(o *options) error {
		if strings.TrimSpace(id) == "" {
			return errors.New("sendpulse: WithClientCredentials: empty client id")
		}
		if strings.TrimSpace(secret) == "" {
			return errors.New("sendpulse: WithClientCredentials: empty client secret")
		}
		o.clientID, o.clientSecret = id, secret
		return nil
	}
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

// WithRateLimit paces requests to perSecond on average with bursts of burst
// (default DefaultRate per second, burst DefaultRate). perSecond 0 turns
// pacing off.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error {
		if perSecond < 0 || burst < 0 {
			return errors.New("sendpulse: WithRateLimit: negative rate or burst")
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

// WithTokenMargin sets how long before its expiry an OAuth token is
// replaced (default DefaultTokenMargin).
func WithTokenMargin(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return errors.New("sendpulse: WithTokenMargin: negative margin")
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
