package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Settings are the options every API client of this module offers
// (WithHTTPClient, WithLogger, WithUserAgent, WithRetry). Each client embeds
// Settings in its options, so these checks are written once; the client's
// own WithXxx functions only add their package's name to the error.
type Settings struct {
	HTTPClient   *http.Client
	Logger       *slog.Logger
	App          string // appended to the user agent
	RetryMax     int    // as Config.RetryMax: 0 means the default, negative none
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
}

// SetHTTPClient sets the underlying HTTP client.
func (s *Settings) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New("nil HTTP client")
	}
	s.HTTPClient = hc
	return nil
}

// SetLogger sets the logger of debug and retry lines.
func (s *Settings) SetLogger(l *slog.Logger) error {
	if l == nil {
		return errors.New("nil logger")
	}
	s.Logger = l
	return nil
}

// SetUserAgent sets the application name appended to the user agent.
func (s *Settings) SetUserAgent(app string) error {
	if strings.ContainsAny(app, "\r\n") {
		return errors.New("line break in user agent")
	}
	s.App = app
	return nil
}

// SetRetry sets how many times a retryable failure is retried (0: never)
// and the bounds of the backoff between attempts.
func (s *Settings) SetRetry(max int, minWait, maxWait time.Duration) error {
	if max < 0 || minWait <= 0 || maxWait < minWait {
		return fmt.Errorf("retry(%d, %v, %v): want max >= 0 and 0 < minWait <= maxWait", max, minWait, maxWait)
	}
	s.RetryMax, s.RetryWaitMin, s.RetryWaitMax = max, minWait, maxWait
	if max == 0 {
		s.RetryMax = -1
	}
	return nil
}

// Apply copies the settings into cfg.
func (s Settings) Apply(cfg *Config) {
	if s.HTTPClient != nil {
		cfg.HTTPClient = s.HTTPClient
	}
	cfg.Logger = s.Logger
	cfg.UserAgent = UserAgent(s.App)
	cfg.RetryMax, cfg.RetryWaitMin, cfg.RetryWaitMax = s.RetryMax, s.RetryWaitMin, s.RetryWaitMax
}

// ParseBaseURL checks an API base given by a user: an absolute http or
// https URL, with no query, fragment or credentials.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must not carry a query, fragment or credentials", raw)
	}
	return u, nil
}
