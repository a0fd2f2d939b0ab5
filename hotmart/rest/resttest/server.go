package resttest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash/fnv"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/internal/fakekit"
)

// Server is a fake Hotmart REST API over a generated in-memory dataset:
// token issuance and expiry, cursor pagination, the sales default status
// filter, rate limiting with Hotmart's headers and 429s, 502 for query
// windows wider than a configured span, and the kit's common recording and
// fault injection. Start one with NewServer. It is safe for concurrent use.
type Server struct {
	cfg  serverConfig
	srv  *httptest.Server
	data *dataset
	core *fakekit.Core[Effect]
	tb   testing.TB

	mu          sync.Mutex
	tokens      map[string]time.Time // access token → expiry
	windowStart time.Time
	windowCount int
	stats       Stats
	curCall     int // index of the call whose handler runs (under mu)
}

// Stats counts what the server saw.
type Stats struct {
	TokenRequests int // token calls, successful or not
	Requests      int // API calls, every answer included
	RateLimited   int // 429 answers
	Unauthorized  int // 401 answers on API calls
	Faults        int // injected faults
	QueryTooLong  int // 502 answers for wide windows
}

type serverConfig struct {
	seed          uint64
	sales         int
	from, to      time.Time
	id, secret    string
	tokenLifetime time.Duration
	limit         int
	window        time.Duration
	maxSpan       time.Duration
}

// ServerOption configures a Server. (EventOption configures the event
// factory of this package.)
type ServerOption func(*serverConfig)

// WithDataSeed sets the dataset's random seed (default 1).
func WithDataSeed(seed uint64) ServerOption { return func(c *serverConfig) { c.seed = seed } }

// WithSales sets how many sales (every status) the dataset holds (default
// 3000). About a fifth are subscription charges.
func WithSales(n int) ServerOption {
	return func(c *serverConfig) {
		if n >= 0 {
			c.sales = n
		}
	}
}

// WithPeriod sets the period the sales' order dates fall in (default
// 2024-01-01 to 2024-07-01 UTC).
func WithPeriod(from, to time.Time) ServerOption {
	return func(c *serverConfig) {
		if to.After(from) {
			c.from, c.to = from.UTC(), to.UTC()
		}
	}
}

// WithCredentials sets the accepted client id and secret; Basic is derived
// from them.
func WithCredentials(id, secret string) ServerOption {
	return func(c *serverConfig) { c.id, c.secret = id, secret }
}

// WithTokenLifetime sets the access tokens' lifetime (default 48 h, like
// Hotmart). expires_in is reported in whole seconds, at least 1.
func WithTokenLifetime(d time.Duration) ServerOption {
	return func(c *serverConfig) {
		if d > 0 {
			c.tokenLifetime = d
		}
	}
}

// WithRateLimit allows limit calls per fixed window (default 500 per
// minute, like Hotmart). limit 0 disables the server's rate limiting.
func WithRateLimit(limit int, window time.Duration) ServerOption {
	return func(c *serverConfig) {
		if limit >= 0 && window > 0 {
			c.limit, c.window = limit, window
		}
	}
}

// WithMaxQuerySpan makes queries whose date window is wider than d answer
// 502, as Hotmart does for queries running over 30 s. A missing bound
// counts as the dataset's edge. 0 (default) disables it.
func WithMaxQuerySpan(d time.Duration) ServerOption {
	return func(c *serverConfig) { c.maxSpan = d }
}

// NewServer starts a fake Hotmart API. With a non-nil tb the server is
// closed when the test ends; a demo program passes nil and calls Close.
func NewServer(tb testing.TB, opts ...ServerOption) *Server {
	cfg := serverConfig{
		seed: 1, sales: 3000,
		from:          time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		to:            time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC),
		id:            "test-client-id",
		secret:        "test-client-secret",
		tokenLifetime: 48 * time.Hour,
		limit:         500,
		window:        time.Minute,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &Server{
		cfg:    cfg,
		data:   generate(cfg.seed, cfg.sales, cfg.from, cfg.to),
		tokens: map[string]time.Time{},
		core:   fakekit.New[Effect](cfg.seed),
		tb:     tb,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /security/oauth/token", s.handleToken)
	s.routes(mux)
	s.srv = httptest.NewServer(mux)
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// URL returns the API base URL (rest.WithBaseURL).
func (s *Server) URL() string { return s.srv.URL }

// TokenURL returns the token endpoint (rest.WithTokenURL).
func (s *Server) TokenURL() string { return s.srv.URL + "/security/oauth/token" }

// Credentials returns the credential the server accepts.
func (s *Server) Credentials() rest.Credentials {
	return rest.Credentials{ClientID: s.cfg.id, ClientSecret: s.cfg.secret,
		Basic: base64.StdEncoding.EncodeToString([]byte(s.cfg.id + ":" + s.cfg.secret))}
}

// ClientOptions returns the options that point a rest.Client at the
// server, with pacing off and millisecond retry waits so tests run at full
// speed.
func (s *Server) ClientOptions() []rest.Option {
	return []rest.Option{
		rest.WithBaseURL(s.URL()), rest.WithTokenURL(s.TokenURL()),
		rest.WithHTTPClient(s.srv.Client()),
		rest.WithRateLimit(0, 1),
		rest.WithRetry(3, time.Millisecond, 10*time.Millisecond),
	}
}

// Client returns a rest.Client for the server: ClientOptions followed by
// opts. It fails the test (panics without one) if opts are invalid.
func (s *Server) Client(opts ...rest.Option) *rest.Client {
	c, err := rest.NewClient(s.Credentials(), append(s.ClientOptions(), opts...)...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("resttest: Client: %v", err)
		}
		panic(err)
	}
	return c
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Stats returns the counters so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// ExpireTokens makes every issued access token expire now, as if 48 h had
// passed: the next call with one answers 401 token_expired.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for t := range s.tokens {
		s.tokens[t] = past
	}
}

// Sales returns every sale of the dataset (all statuses), in order-date
// order, as the client decodes them.
func (s *Server) Sales() []rest.Sale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]rest.Sale, len(s.data.sales))
	for i := range s.data.sales {
		out[i] = s.data.toSale(&s.data.sales[i])
	}
	return out
}

// Subscriptions returns every subscription of the dataset.
func (s *Server) Subscriptions() []rest.Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]rest.Subscription, len(s.data.subs))
	for i := range s.data.subs {
		out[i] = s.data.toSubscription(&s.data.subs[i])
	}
	return out
}

// Period returns the dataset's period.
func (s *Server) Period() (from, to time.Time) { return s.cfg.from, s.cfg.to }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

func writeError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{
		"error": code, "error_description": desc,
		"error_uri": "https://developers.hotmart.com/docs/pt-BR/start/http-response-codes/",
	})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.TokenRequests++
	s.mu.Unlock()
	q := r.URL.Query()
	if q.Get("grant_type") != "client_credentials" {
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	cr := s.Credentials()
	if q.Get("client_id") != cr.ClientID || q.Get("client_secret") != cr.ClientSecret || r.Header.Get("Authorization") != "Basic "+cr.Basic {
		writeError(w, http.StatusUnauthorized, "unauthorized", "Bad credentials")
		return
	}
	var b [24]byte
	rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(s.cfg.tokenLifetime)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer",
		"expires_in": max(1, int64(math.Round(s.cfg.tokenLifetime.Seconds()))),
		"scope":      "read write", "jti": hex.EncodeToString(b[:8]),
	})
}

// guard applies, in order, the rate limit and authentication to an API
// call. It reports whether the handler should run.
func (s *Server) guard(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Requests++
	now := time.Now()
	if s.cfg.limit > 0 {
		if s.windowStart.IsZero() || now.Sub(s.windowStart) >= s.cfg.window {
			s.windowStart, s.windowCount = now, 0
		}
		s.windowCount++
		remaining := max(0, s.cfg.limit-s.windowCount)
		reset := int(math.Ceil(s.windowStart.Add(s.cfg.window).Sub(now).Seconds()))
		perMinute := int(float64(s.cfg.limit) * float64(time.Minute) / float64(s.cfg.window))
		h := w.Header()
		h.Set("RateLimit-Limit", strconv.Itoa(s.cfg.limit))
		h.Set("RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("RateLimit-Reset", strconv.Itoa(reset))
		h.Set("X-RateLimit-Limit-Minute", strconv.Itoa(perMinute))
		h.Set("X-RateLimit-Remaining-Minute", strconv.Itoa(remaining))
		if s.windowCount > s.cfg.limit {
			s.stats.RateLimited++
			writeError(w, http.StatusTooManyRequests, "too_many_requests", "Too many requests")
			return false
		}
	}
	auth := r.Header.Get("Authorization")
	const prefix = "Bearer "
	if len(auth) <= len(prefix) || auth[:len(prefix)] != prefix {
		s.stats.Unauthorized++
		writeError(w, http.StatusUnauthorized, "unauthorized", "Full authentication is required")
		return false
	}
	exp, ok := s.tokens[auth[len(prefix):]]
	if !ok {
		s.stats.Unauthorized++
		writeError(w, http.StatusUnauthorized, "invalid_token", "Invalid access token")
		return false
	}
	if !now.Before(exp) {
		s.stats.Unauthorized++
		writeError(w, http.StatusUnauthorized, "token_expired", "Access token expired")
		return false
	}
	return true
}

// pageToken is opaque to clients: an offset bound to a hash of the query, so
// that a token replayed with other filters is refused as Hotmart does.
func pageToken(offset int, qhash uint64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(offset) + ":" + strconv.FormatUint(qhash, 16)))
}

func parsePageToken(tok string, qhash uint64) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	off, h, ok := cut(string(b), ':')
	if !ok || h != strconv.FormatUint(qhash, 16) {
		return 0, false
	}
	n, err := strconv.Atoi(off)
	return n, err == nil && n >= 0
}

func cut(s string, sep byte) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func queryHash(r *http.Request) uint64 {
	q := r.URL.Query()
	q.Del("page_token")
	q.Del("max_results")
	h := fnv.New64a()
	h.Write([]byte(r.URL.Path + "?" + q.Encode()))
	return h.Sum64()
}

// paged writes items[offset:offset+size] of n with page_info.
func paged[T any](w http.ResponseWriter, r *http.Request, n int, defSize int, item func(i int) T) {
	q := r.URL.Query()
	size := defSize
	if v := q.Get("max_results"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 {
			writeError(w, http.StatusBadRequest, "invalid_value_parameter", "max_results must be a positive integer")
			return
		}
		size = min(m, rest.MaxPageSize)
	}
	h := queryHash(r)
	offset := 0
	if tok := q.Get("page_token"); tok != "" {
		o, ok := parsePageToken(tok, h)
		if !ok || o > n {
			writeError(w, http.StatusBadRequest, "invalid_token", "Invalid page token")
			return
		}
		offset = o
	}
	end := min(n, offset+size)
	items := make([]T, 0, end-offset)
	for i := offset; i < end; i++ {
		items = append(items, item(i))
	}
	info := map[string]any{"total_results": n, "results_per_page": size}
	if end < n {
		info["next_page_token"] = pageToken(end, h)
	}
	if offset > 0 {
		info["prev_page_token"] = pageToken(max(0, offset-size), h)
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "page_info": info})
}
