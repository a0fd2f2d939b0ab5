package leadlovers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// DefaultBaseURL is the leadlovers API base, path included.
const DefaultBaseURL = "https://llapi.leadlovers.com/webapi"

// Defaults for pacing. leadlovers publishes no limit; integrators throttle
// to 60–90 requests a minute per token and report multi-minute blocks when
// they go faster.
const (
	DefaultRate         = 1.0 // requests per second
	DefaultBurst        = 3
	DefaultThrottleWait = 60 * time.Second
	DefaultMaxWait      = 5 * time.Minute
)

// Option configures a Client. Options validate their argument; NewClient
// returns the first error.
type Option func(*options) error

type options struct {
	httpx.Settings
	baseURL      *url.URL
	rate         float64
	burst        int
	throttleWait time.Duration
	maxWait      time.Duration
}

func defaultOptions() options {
	u, _ := url.Parse(DefaultBaseURL)
	return options{
		Settings: httpx.Settings{RetryMax: 3, RetryWaitMin: time.Second, RetryWaitMax: 30 * time.Second},
		baseURL:  u, rate: DefaultRate, burst: DefaultBurst,
		throttleWait: DefaultThrottleWait, maxWait: DefaultMaxWait,
	}
}

func optionError(name string, err error) error {
	if err != nil {
		return fmt.Errorf("leadlovers: %s: %w", name, err)
	}
	return nil
}

// WithBaseURL sets the API base, path included (for a proxy or the
// leadloverstest fake server). It must be an absolute http or https URL
// without a query.
func WithBaseURL(raw string) Option {
	return func(o *options) error {
		u, err := httpx.ParseBaseURL(raw)
		if err != nil {
			return optionError("WithBaseURL", err)
		}
		o.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the underlying HTTP client (timeouts, proxies,
// transports). The client's Transport is wrapped, never modified.
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return optionError("WithHTTPClient", o.SetHTTPClient(hc)) }
}

// WithLogger sends the client's debug lines (one per call, one per retry)
// to l. Lines never carry the token or a lead's e-mail or phone.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return optionError("WithLogger", o.SetLogger(l)) }
}

// WithUserAgent appends app to the User-Agent header.
func WithUserAgent(app string) Option {
	return func(o *options) error { return optionError("WithUserAgent", o.SetUserAgent(app)) }
}

// WithRateLimit paces the client to perSecond requests a second on average,
// with bursts of up to burst requests. Zero perSecond turns pacing off.
// Retries take a slot too.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error {
		if err := httpx.CheckRate(perSecond, burst); err != nil {
			return optionError("WithRateLimit", err)
		}
		o.rate, o.burst = perSecond, burst
		return nil
	}
}

// WithRetry sets how many times a failed call is retried (0 = never) and
// the bounds of the jittered exponential backoff between attempts. Network
// errors and 5xx are retried only for calls safe to repeat (GET, PUT,
// DELETE); 429 is retried for all.
func WithRetry(max int, minWait, maxWait time.Duration) Option {
	return func(o *options) error { return optionError("WithRetry", o.SetRetry(max, minWait, maxWait)) }
}

// WithThrottleWait sets how long to wait after a 429 or a Cloudflare 1015
// block that carries no Retry-After (default 60 s), and the cap on any
// wait leadlovers asks for (default 5 min).
func WithThrottleWait(wait, max time.Duration) Option {
	return func(o *options) error {
		if wait <= 0 || max < wait {
			return errors.New("leadlovers: throttle waits must satisfy 0 < wait <= max")
		}
		o.throttleWait, o.maxWait = wait, max
		return nil
	}
}
