package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// Hosts of the Hotmart REST API. The token endpoint serves production and
// sandbox credentials alike.
const (
	ProductionAPIURL = "https://developers.hotmart.com"
	SandboxAPIURL    = "https://sandbox.hotmart.com"
	TokenURL         = "https://api-sec-vlc.hotmart.com/security/oauth/token"
)

// DefaultRate is Hotmart's documented limit, in requests per second: 500
// calls per minute per account, reads and writes together.
const DefaultRate = 500.0 / 60

// DefaultBurst is the burst a client allows unless WithRateLimit says
// otherwise.
const DefaultBurst = 5

// DefaultTokenRefreshMargin is how long before its expiry a cached access
// token is replaced (never later than half the token's lifetime).
const DefaultTokenRefreshMargin = 5 * time.Minute

// Environment selects the API host a Client talks to.
type Environment int

// Environments. A credential is created as one or the other and cannot
// change, so the environment must match the credential.
const (
	Production Environment = iota
	Sandbox
)

func (e Environment) String() string {
	switch e {
	case Production:
		return "production"
	case Sandbox:
		return "sandbox"
	}
	return fmt.Sprintf("Environment(%d)", int(e))
}

// Client talks to the Hotmart REST API for one Hotmart account. It fetches
// and caches the OAuth access token, paces requests under the account's rate
// limit and retries what is safe to retry. Create one per account with
// NewClient; it is safe for concurrent use.
type Client struct {
	api     *httpx.Client
	auth    *tokenManager
	limits  *rateLimits
	baseURL *url.URL
	env     Environment

	Sales         *SalesService
	Subscriptions *SubscriptionsService
	Club          *ClubService
	Products      *ProductsService
	Coupons       *CouponsService
	Tickets       *TicketsService
	Negotiation   *NegotiationService
}

type service struct{ c *Client }

// Option configures a Client. Options validate their argument and make
// NewClient fail with a clear error when it is unusable.
type Option func(*options) error

type options struct {
	httpx.Settings
	env           Environment
	apiURL        string
	tokenURL      string
	rate          float64 // per second; 0 = no pacing
	rateSet       bool    // WithRateLimit given: a cap, not a start
	burst         int
	refreshMargin time.Duration
}

// WithEnvironment selects production (the default) or sandbox. An explicit
// WithBaseURL wins over it.
func WithEnvironment(env Environment) Option {
	return func(o *options) error {
		if env != Production && env != Sandbox {
			return fmt.Errorf("hotmart: unknown environment %d", int(env))
		}
		o.env = env
		return nil
	}
}

// WithBaseURL overrides the API host (scheme and host, optionally a path
// prefix), e.g. a hotmarttest server's URL.
func WithBaseURL(raw string) Option {
	return func(o *options) error {
		if _, err := absoluteURL(raw); err != nil {
			return fmt.Errorf("hotmart: WithBaseURL: %w", err)
		}
		o.apiURL = raw
		return nil
	}
}

// WithTokenURL overrides the full URL of the OAuth token endpoint.
func WithTokenURL(raw string) Option {
	return func(o *options) error {
		if _, err := absoluteURL(raw); err != nil {
			return fmt.Errorf("hotmart: WithTokenURL: %w", err)
		}
		o.tokenURL = raw
		return nil
	}
}

// WithHTTPClient sets the HTTP client used for every call (token included).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *options) error { return optionError("WithHTTPClient", o.SetHTTPClient(hc)) }
}

// WithLogger sends the client's debug and retry log lines to l. Lines are
// redacted: no token, secret or buyer e-mail reaches the logger.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error { return optionError("WithLogger", o.SetLogger(l)) }
}

// WithUserAgent appends app to the User-Agent header.
func WithUserAgent(app string) Option {
	return func(o *options) error { return optionError("WithUserAgent", o.SetUserAgent(app)) }
}

// WithRateLimit paces the client to perSecond requests a second on
// average, with bursts of up to burst requests; 0 turns pacing off (pauses
// Hotmart orders with a 429 or an exhausted window are still honoured).
// Without it the client starts at DefaultRate and follows the limit the
// server announces in its headers; with it the client never goes faster
// than perSecond even if the server allows more.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(o *options) error {
		if err := httpx.CheckRate(perSecond, burst); err != nil {
			return optionError("WithRateLimit", err)
		}
		o.rate, o.burst, o.rateSet = perSecond, burst, true
		return nil
	}
}

// WithRetry sets how many times a retryable failure is retried and the
// bounds of the jittered backoff between attempts. max 0 disables retries.
func WithRetry(max int, minWait, maxWait time.Duration) Option {
	return func(o *options) error { return optionError("WithRetry", o.SetRetry(max, minWait, maxWait)) }
}

// WithTokenRefreshMargin sets how long before its expiry a cached access
// token is replaced (default DefaultTokenRefreshMargin). A token whose
// lifetime is shorter than twice the margin is replaced when half its
// lifetime has gone.
func WithTokenRefreshMargin(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return fmt.Errorf("hotmart: WithTokenRefreshMargin: negative margin %v", d)
		}
		o.refreshMargin = d
		return nil
	}
}

// NewClient returns a client for the account owning creds. No network call
// happens until the first request.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	if err := creds.check(); err != nil {
		return nil, err
	}
	clientID, clientSecret, basic := creds.ClientID, creds.ClientSecret, creds.Basic
	o := options{refreshMargin: DefaultTokenRefreshMargin, rate: DefaultRate, burst: DefaultBurst}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	apiRaw := o.apiURL
	if apiRaw == "" {
		apiRaw = ProductionAPIURL
		if o.env == Sandbox {
			apiRaw = SandboxAPIURL
		}
	}
	tokenRaw := o.tokenURL
	if tokenRaw == "" {
		tokenRaw = TokenURL
	}
	apiURL, _ := absoluteURL(apiRaw)
	tokenURL, _ := absoluteURL(tokenRaw)

	red := httpx.Redactor{Secrets: []string{clientSecret, basic, clientID}}
	limits := newRateLimits(o.rate, o.burst, o.rateSet)
	base := httpx.Config{
		Provider:      "hotmart",
		Redactor:      red,
		DecodeError:   decodeAPIError,
		WrapError:     wrapAPIError,
		MaxRetryAfter: 2 * time.Minute,
	}
	o.Apply(&base)
	tokCfg := base
	tokCfg.BaseURL = tokenURL
	tokHTTP, err := httpx.New(tokCfg)
	if err != nil {
		return nil, err
	}
	apiCfg := base
	apiCfg.BaseURL = apiURL
	apiCfg.Limiter = limits.limiter
	apiCfg.OnResponse = limits.observe
	apiCfg.RetryAfter = limits.retryAfter
	api, err := httpx.New(apiCfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		api:     api,
		limits:  limits,
		baseURL: apiURL,
		env:     o.env,
		auth:    newTokenManager(tokHTTP, tokenURL.String(), clientID, clientSecret, basic, o.refreshMargin),
	}
	s := service{c}
	c.Sales = (*SalesService)(&s)
	c.Subscriptions = (*SubscriptionsService)(&s)
	c.Club = (*ClubService)(&s)
	c.Products = (*ProductsService)(&s)
	c.Coupons = (*CouponsService)(&s)
	c.Tickets = (*TicketsService)(&s)
	c.Negotiation = (*NegotiationService)(&s)
	return c, nil
}

func absoluteURL(raw string) (*url.URL, error) { return httpx.ParseBaseURL(raw) }

// call sends one API request with a bearer token. A 401 means the token was
// expired or revoked early: the token is replaced (once for all concurrent
// callers) and the request sent again, once.
func (c *Client) call(ctx context.Context, r httpx.Request, out any) error {
	for attempt := 0; ; attempt++ {
		tok, gen, err := c.auth.token()
		if err != nil {
			return err
		}
		req := r
		// Hotmart asks for the JSON content type on every call, GETs included.
		req.Header = http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
		// A 502 is a query that ran over 30 s: repeating it cannot help.
		_, err = c.api.Do(httpx.WithNoRetryStatus(ctx, http.StatusBadGateway), req, out)
		if err == nil {
			return nil
		}
		var ae *APIError
		if errors.As(err, &ae) {
			// The access token is not among the redactor's fixed secrets
			// (it changes), so scrub it here should a server echo it.
			scrub(ae, tok)
			if ae.StatusCode == http.StatusUnauthorized && attempt == 0 {
				c.auth.invalidate(gen)
				continue
			}
			if ae.StatusCode == http.StatusBadGateway {
				return fmt.Errorf("%w: %w", ErrQueryTooLong, err)
			}
		}
		return err
	}
}

func scrub(ae *APIError, tok string) {
	if len(tok) < 4 {
		return
	}
	ae.Message = strings.ReplaceAll(ae.Message, tok, httpx.Redacted)
	ae.Code = strings.ReplaceAll(ae.Code, tok, httpx.Redacted)
	ae.Body = bytes.ReplaceAll(ae.Body, []byte(tok), []byte(httpx.Redacted))
}

func (c *Client) get(ctx context.Context, path string, q url.Values, out any) error {
	return c.call(ctx, httpx.Request{Method: http.MethodGet, Path: path, Query: q}, out)
}

// Sentinel errors. Use errors.Is.
var (
	// ErrQueryTooLong is joined to the *APIError of a 502: Hotmart gave up
	// on a query that ran over 30 s. Narrow the date range or filters and
	// retry; the backfill package does so by itself.
	ErrQueryTooLong = errors.New("hotmart: query ran longer than 30 s; narrow the date range or filters")
	// ErrRepeatedPageToken stops a pagination that would loop: the server
	// returned a next_page_token already followed.
	ErrRepeatedPageToken = errors.New("hotmart: server repeated a page token")
)

// IsQueryTooLong reports whether err is a 502 "query over 30 s" answer.
func IsQueryTooLong(err error) bool { return errors.Is(err, ErrQueryTooLong) }

// IsNotFound reports whether err is a 404 answer.
func IsNotFound(err error) bool { return statusOf(err) == http.StatusNotFound }

// IsRateLimited reports whether err is a 429 answer that outlived the retries.
func IsRateLimited(err error) bool { return statusOf(err) == http.StatusTooManyRequests }

// IsUnauthorized reports whether err is a 401 or 403 answer: the credential
// is wrong, revoked or lacks the permission.
func IsUnauthorized(err error) bool {
	s := statusOf(err)
	return s == http.StatusUnauthorized || s == http.StatusForbidden
}

func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}

// decodeAPIError reads Hotmart's {"error", "error_description"} body.
func decodeAPIError(e *httpx.APIError, body []byte) {
	var b struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(body, &b) != nil {
		return
	}
	e.Code = b.Error
	e.Message = b.Description
	if e.Message == "" {
		e.Message = b.Message
	}
}

// pathEscape makes a caller-supplied value safe as one path segment.
func pathEscape(s string) string { return url.PathEscape(s) }

func errEmpty(method, arg string) error {
	return &ArgumentError{Method: method, Arg: arg, Reason: "is required"}
}

func optionError(name string, err error) error {
	if err != nil {
		return fmt.Errorf("hotmart: %s: %w", name, err)
	}
	return nil
}
