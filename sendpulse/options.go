package sendpulse

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
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
	baseURL      *url.URL
	apiKey       string
	clientID     string
	clientSecret string
	httpClient   *http.Client
	logger       *slog.Logger
	userAgent    string
	rate         float64
	burst        int
	retryMax     int
	retryWaitMin time.Duration
	retryWaitMax time.Duration
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
		u, err := url.Parse(strings.TrimSuffix(root, "/"))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("sendpulse: WithBaseURL: %q is not an absolute http(s) URL", root)
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("sendpulse: WithBaseURL: %q must not carry a query or fragment", root)
		}
		o.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for API calls and token fetches.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error {
		if hc == nil {
			return errors.New("sendpulse: WithHTTPClient: nil client")
		}
		o.httpClient = hc
		return nil
	}
}

// WithLogger sends the client's debug and retry log lines to l. Lines never
// carry credentials, tokens or e-mail addresses.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("sendpulse: WithLogger: nil logger")
		}
		o.logger = l
		return nil
	}
}

// WithUserAgent appends app to the User-Agent header.
func WithUserAgent(app string) Option {
	return func(o *options) error {
		if strings.ContainsAny(app, "\r\n") {
			return errors.New("sendpulse: WithUserAgent: line break in user agent")
		}
		o.userAgent = app
		return nil
	}
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
	return func(o *options) error {
		if max < 0 || minWait <= 0 || maxWait < minWait {
			return errors.New("sendpulse: WithRetry: need max >= 0 and 0 < minWait <= maxWait")
		}
		o.retryMax, o.retryWaitMin, o.retryWaitMax = max, minWait, maxWait
		if max == 0 {
			o.retryMax = -1 // httpx: negative means none
		}
		return nil
	}
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
