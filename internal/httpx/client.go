package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/hotmartkit/hotmartkit/internal/redact"
)

// Config configures a Client. Provider and BaseURL are required.
type Config struct {
	Provider string   // name used in errors and logs
	BaseURL  *url.URL // requests' paths are resolved against it

	// HTTPClient is the underlying client (for OAuth, an oauth2 client).
	// nil means a client with a 30 s timeout.
	HTTPClient *http.Client
	Logger     *slog.Logger // nil discards
	UserAgent  string       // "" means UserAgent("")
	Limiter    *Limiter     // nil means no client-side pacing

	RetryMax      int           // retries after the first attempt; default 3, negative means none
	RetryWaitMin  time.Duration // default 500 ms
	RetryWaitMax  time.Duration // default 30 s
	MaxRetryAfter time.Duration // cap on a provider-requested wait; default 2 min

	// Redactor scrubs URLs, error messages, bodies and log lines; put the
	// client's secrets in Redactor.Secrets.
	Redactor Redactor

	// RetryAfter lets a provider read its own reset headers; it is consulted
	// before the standard Retry-After header.
	RetryAfter func(*http.Response) (time.Duration, bool)

	// CheckBody inspects a 2xx response body; a non-nil error (normally an
	// *APIError) makes the call fail. Leadlovers reports errors inside 200s.
	CheckBody func(resp *http.Response, body []byte) error

	// DecodeError fills Code and Message of an APIError from an error body.
	DecodeError func(e *APIError, body []byte)

	// OnResponse sees every response (every attempt), e.g. to read rate
	// limit headers. It must not read the body.
	OnResponse func(*http.Response)

	// RequestIDHeaders lists headers that carry a request id.
	RequestIDHeaders []string

	// WrapError turns an *APIError into the provider's own exported error
	// type, so that errors.As targets exactly one provider. nil returns the
	// *APIError itself.
	WrapError func(*APIError) error
}

// Client sends JSON requests with the retry, pacing, error and redaction
// policy of this package. It is safe for concurrent use.
type Client struct {
	cfg Config
	rc  *retryablehttp.Client
	log *slog.Logger
}

// New builds a client from cfg.
func New(cfg Config) (*Client, error) {
	if cfg.Provider == "" {
		return nil, errors.New("httpx: provider name required")
	}
	if cfg.BaseURL == nil || cfg.BaseURL.Scheme == "" || cfg.BaseURL.Host == "" {
		return nil, fmt.Errorf("%s: base URL must be absolute", cfg.Provider)
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = UserAgent("")
	}
	switch {
	case cfg.RetryMax == 0:
		cfg.RetryMax = 3
	case cfg.RetryMax < 0:
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = 500 * time.Millisecond
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 2 * time.Minute
	}
	c := &Client{cfg: cfg, log: cfg.Logger.With("provider", cfg.Provider)}

	// Pacing sits in the transport so that every attempt, retries included,
	// takes a token.
	hc := *cfg.HTTPClient
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &pacedTransport{next: base, limiter: cfg.Limiter, onResponse: cfg.OnResponse}
	// A redirect would carry the request's credentials (a token in the
	// query, an Authorization header) to wherever the Location points, in
	// the Referer if nowhere else. No API these clients call redirects, so
	// a 3xx is answered as the error it is.
	hc.CheckRedirect = refuseRedirect

	c.rc = &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       redactingLogger{log: c.log, r: cfg.Redactor},
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.RetryMax,
		CheckRetry:   c.checkRetry,
		Backoff:      c.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return c, nil
}

// Redactor returns the client's redactor.
func (c *Client) Redactor() Redactor { return c.cfg.Redactor }

// Request describes one API call.
type Request struct {
	Method string
	Path   string     // relative to the base URL ("Lead", "/crm/v1/deals"); an absolute URL is used as is
	Query  url.Values // added to the URL
	Header http.Header
	// JSON is encoded as the request body when non-nil.
	JSON any
	// Form is sent as application/x-www-form-urlencoded when non-nil.
	Form url.Values
	// Idempotent allows retrying a non-GET request on network errors and
	// 5xx (PUT upserts, DELETEs the caller knows to be safe).
	Idempotent bool
	// Sensitive lists personal values this call carries (a buyer's name,
	// e-mail, phone) that a provider may echo in an error message; they are
	// removed from the call's error.
	Sensitive []string
}

// Response is a successful response with its body read.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

type retryKey struct{}

// Do sends r and, when out is non-nil and the body is not empty, decodes
// the JSON body into it. Non-2xx responses (and 2xx bodies rejected by
// CheckBody) become *APIError.
func (c *Client) Do(ctx context.Context, r Request, out any) (*Response, error) {
	u, err := c.resolve(r.Path, r.Query)
	if err != nil {
		return nil, err
	}
	var body any
	contentType := ""
	switch {
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: encoding request: %w", c.cfg.Provider, err)
		}
		body, contentType = b, "application/json"
	case r.Form != nil:
		body, contentType = []byte(r.Form.Encode()), "application/x-www-form-urlencoded"
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	idem := r.Idempotent || method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, retryKey{}, idem), method, u.String(), body)
	if err != nil {
		return nil, c.cfg.Redactor.Error(err)
	}
	for k, v := range r.Header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}

	start := time.Now()
	resp, err := c.rc.Do(req)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("%s: %s %s: %w", c.cfg.Provider, method, c.cfg.Redactor.URL(u), ctxErr)
		}
		return nil, c.cfg.Redactor.Error(fmt.Errorf("%s: %s %s: %w", c.cfg.Provider, method, c.cfg.Redactor.URL(u), err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, c.cfg.Redactor.Error(fmt.Errorf("%s: reading response: %w", c.cfg.Provider, err))
	}
	if c.log.Enabled(ctx, slog.LevelDebug) { // redaction is not free: skip it when nobody listens
		c.log.LogAttrs(ctx, slog.LevelDebug, "api call",
			slog.String("method", method), slog.String("url", c.cfg.Redactor.URL(u)),
			slog.Int("status", resp.StatusCode), slog.Duration("duration", time.Since(start)))
	}

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.wrap(c.apiError(method, u, resp, data), r.Sensitive)
	}
	if c.cfg.CheckBody != nil {
		if err := c.cfg.CheckBody(resp, data); err != nil {
			var ae *APIError
			if errors.As(err, &ae) {
				c.fill(ae, method, u, resp, data)
				return nil, c.wrap(ae, r.Sensitive)
			}
			return nil, err
		}
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return nil, fmt.Errorf("%s: %s %s: decoding response: %w", c.cfg.Provider, method, c.cfg.Redactor.URL(u), c.cfg.Redactor.Error(err))
		}
	}
	return &Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

func (c *Client) resolve(path string, q url.Values) (*url.URL, error) {
	ref, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("%s: bad path: %w", c.cfg.Provider, c.cfg.Redactor.Error(err))
	}
	var u *url.URL
	if ref.IsAbs() {
		u = ref
	} else {
		// Join rather than ResolveReference so a base path such as /webapi
		// is kept for both "Lead" and "/Lead".
		// Work on the escaped forms so that an escaped "/" inside a path
		// segment (an id holding a slash) stays escaped.
		b := *c.cfg.BaseURL
		joined := strings.TrimSuffix(b.EscapedPath(), "/") + "/" + strings.TrimPrefix(ref.EscapedPath(), "/")
		p, err := url.PathUnescape(joined)
		if err != nil {
			return nil, fmt.Errorf("%s: bad path: %w", c.cfg.Provider, c.cfg.Redactor.Error(err))
		}
		b.Path, b.RawPath = p, joined
		b.RawQuery = ref.RawQuery
		u = &b
	}
	if len(q) > 0 {
		all := u.Query()
		for k, vs := range q {
			all[k] = append(all[k], vs...)
		}
		u.RawQuery = all.Encode()
	}
	return u, nil
}

// wrap scrubs the call's personal values from e and hands it to the
// provider's WrapError.
func (c *Client) wrap(e *APIError, sensitive []string) error {
	if len(sensitive) > 0 {
		e.Message = redact.Values(e.Message, sensitive...)
		e.Code = redact.Values(e.Code, sensitive...)
		e.Body = []byte(redact.Values(string(e.Body), sensitive...))
	}
	if c.cfg.WrapError != nil {
		return c.cfg.WrapError(e)
	}
	return e
}

func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return http.ErrUseLastResponse
}

func (c *Client) apiError(method string, u *url.URL, resp *http.Response, data []byte) *APIError {
	e := &APIError{}
	c.fill(e, method, u, resp, data)
	return e
}

func (c *Client) fill(e *APIError, method string, u *url.URL, resp *http.Response, data []byte) {
	e.Provider, e.Method, e.URL = c.cfg.Provider, method, c.cfg.Redactor.URL(u)
	if e.StatusCode == 0 {
		e.StatusCode = resp.StatusCode
	}
	for _, h := range append(c.cfg.RequestIDHeaders, "X-Request-Id", "X-Request-ID") {
		if v := resp.Header.Get(h); v != "" && e.RequestID == "" {
			e.RequestID = v
		}
	}
	if d, ok := c.retryAfter(resp); ok {
		e.RetryAfter = d
	}
	if c.cfg.DecodeError != nil && e.Code == "" && e.Message == "" {
		c.cfg.DecodeError(e, data)
	}
	e.Message = c.cfg.Redactor.String(e.Message)
	e.Code = c.cfg.Redactor.StripSecrets(e.Code) // codes such as 2020202020 are not phone numbers
	if len(data) > MaxErrorBody {
		data = data[:MaxErrorBody]
	}
	e.Body = []byte(c.cfg.Redactor.String(string(data)))
}

func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	idem, _ := ctx.Value(retryKey{}).(bool)
	if err != nil {
		// Transport failures: the request may have reached the server, so
		// only idempotent requests are repeated.
		return idem, nil
	}
	if noRetry(ctx, resp) {
		return false, nil
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return idem, nil
	}
	return false, nil
}

// backoff is capped full jitter, or the provider's requested wait (capped).
func (c *Client) backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := c.retryAfter(resp); ok {
			return d
		}
	}
	ceil := min << uint(attempt)
	if ceil <= 0 || ceil > max {
		ceil = max
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

func (c *Client) retryAfter(resp *http.Response) (time.Duration, bool) {
	if c.cfg.RetryAfter != nil {
		if d, ok := c.cfg.RetryAfter(resp); ok {
			return clamp(d, c.cfg.MaxRetryAfter), true
		}
	}
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return clamp(d, c.cfg.MaxRetryAfter), true
	}
	return 0, false
}

func clamp(d, max time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	if d > max {
		return max
	}
	return d
}

// ParseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(n * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now), true
	}
	return 0, false
}

type pacedTransport struct {
	next       http.RoundTripper
	limiter    *Limiter
	onResponse func(*http.Response)
}

func (t *pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.limiter.Wait(req.Context()); err != nil {
		return nil, err
	}
	resp, err := t.next.RoundTrip(req)
	if err == nil && t.onResponse != nil {
		t.onResponse(resp)
	}
	return resp, err
}

// redactingLogger routes retryablehttp's log lines to slog with every value
// scrubbed: its debug lines carry full URLs, which may hold a token.
type redactingLogger struct {
	log *slog.Logger
	r   Redactor
}

func (l redactingLogger) clean(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		switch x := v.(type) {
		case string:
			out[i] = l.r.String(x)
		case *url.URL:
			out[i] = l.r.URL(x)
		case error:
			out[i] = l.r.String(x.Error())
		case fmt.Stringer:
			out[i] = l.r.String(x.String())
		case *http.Request:
			out[i] = x.Method + " " + l.r.URL(x.URL)
		default:
			out[i] = v
		}
	}
	return out
}

func (l redactingLogger) emit(level slog.Level, msg string, kv []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, msg, l.clean(kv)...)
}

func (l redactingLogger) Error(msg string, kv ...any) { l.emit(slog.LevelError, msg, kv) }
func (l redactingLogger) Info(msg string, kv ...any)  { l.emit(slog.LevelInfo, msg, kv) }
func (l redactingLogger) Debug(msg string, kv ...any) { l.emit(slog.LevelDebug, msg, kv) }
func (l redactingLogger) Warn(msg string, kv ...any)  { l.emit(slog.LevelWarn, msg, kv) }
