package hotmarttest

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
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

// APIServer is a fake Hotmart REST API over a generated in-memory dataset:
// token issuance and expiry, cursor pagination, the sales default status
// filter, rate limiting with Hotmart's headers and 429s, and injectable
// faults (5xx, and 502 for query windows wider than a configured span).
// It is for tests and demos; start one with NewAPIServer and Close it.
type APIServer struct {
	// URL is the API base URL; pass it to rest.WithBaseURL.
	URL string
	// TokenURL is the token endpoint; pass it to rest.WithTokenURL.
	TokenURL string
	// Credentials the server accepts.
	ClientID, ClientSecret, Basic string

	cfg  apiServerConfig
	srv  *httptest.Server
	data *dataset

	mu          sync.Mutex
	tokens      map[string]time.Time // access token → expiry
	windowStart time.Time
	windowCount int
	faults      []int
	stats       APIServerStats
}

// APIServerStats counts what the server saw.
type APIServerStats struct {
	TokenRequests int // token calls, successful or not
	Requests      int // API calls, every answer included
	RateLimited   int // 429 answers
	Unauthorized  int // 401 answers on API calls
	Faults        int // injected 5xx answers
	QueryTooLong  int // 502 answers for wide windows
}

type apiServerConfig struct {
	seed          uint64
	sales         int
	from, to      time.Time
	id, secret    string
	tokenLifetime time.Duration
	limit         int
	window        time.Duration
	maxSpan       time.Duration
	latency       time.Duration
}

// APIServerOption configures an APIServer.
type APIServerOption func(*apiServerConfig)

// APIServerSeed sets the dataset's random seed (default 1).
func APIServerSeed(seed uint64) APIServerOption { return func(c *apiServerConfig) { c.seed = seed } }

// APIServerSales sets how many sales (every status) the dataset holds
// (default 3000). About a fifth are subscription charges.
func APIServerSales(n int) APIServerOption {
	return func(c *apiServerConfig) {
		if n >= 0 {
			c.sales = n
		}
	}
}

// APIServerPeriod sets the period the sales' order dates fall in (default
// 2024-01-01 to 2024-07-01 UTC).
func APIServerPeriod(from, to time.Time) APIServerOption {
	return func(c *apiServerConfig) {
		if to.After(from) {
			c.from, c.to = from.UTC(), to.UTC()
		}
	}
}

// APIServerCredentials sets the accepted client id and secret; Basic is
// derived from them.
func APIServerCredentials(id, secret string) APIServerOption {
	return func(c *apiServerConfig) { c.id, c.secret = id, secret }
}

// APIServerTokenLifetime sets the access tokens' lifetime (default 48 h,
// like Hotmart). expires_in is reported in whole seconds, at least 1.
func APIServerTokenLifetime(d time.Duration) APIServerOption {
	return func(c *apiServerConfig) {
		if d > 0 {
			c.tokenLifetime = d
		}
	}
}

// APIServerRateLimit allows limit calls per fixed window (default 500 per
// minute). limit 0 disables rate limiting.
func APIServerRateLimit(limit int, window time.Duration) APIServerOption {
	return func(c *apiServerConfig) {
		if limit >= 0 && window > 0 {
			c.limit, c.window = limit, window
		}
	}
}

// APIServerMaxQuerySpan makes queries whose date window is wider than d
// answer 502, as Hotmart does for queries running over 30 s. A missing
// bound counts as the dataset's edge. 0 (default) disables it.
func APIServerMaxQuerySpan(d time.Duration) APIServerOption {
	return func(c *apiServerConfig) { c.maxSpan = d }
}

// APIServerLatency delays every API answer by d.
func APIServerLatency(d time.Duration) APIServerOption {
	return func(c *apiServerConfig) { c.latency = d }
}

// NewAPIServer starts a fake Hotmart API server.
func NewAPIServer(opts ...APIServerOption) *APIServer {
	cfg := apiServerConfig{
		seed: 1, sales: 3000,
		from:          time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		to:            time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC),
		id:            "test-client-id",
		secret:        "test-client-secret",
		tokenLifetime: 48 * time.Hour,
		limit:         rest.DefaultRateLimit,
		window:        time.Minute,
	}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	s := &APIServer{
		cfg:          cfg,
		data:         generate(cfg.seed, cfg.sales, cfg.from, cfg.to),
		tokens:       map[string]time.Time{},
		ClientID:     cfg.id,
		ClientSecret: cfg.secret,
		Basic:        base64.StdEncoding.EncodeToString([]byte(cfg.id + ":" + cfg.secret)),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /security/oauth/token", s.handleToken)
	s.routes(mux)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	s.TokenURL = s.srv.URL + "/security/oauth/token"
	return s
}

// Close shuts the server down.
func (s *APIServer) Close() { s.srv.Close() }

// Client returns an HTTP client for the server (plain HTTP, no proxy).
func (s *APIServer) Client() *http.Client { return s.srv.Client() }

// Stats returns the counters so far.
func (s *APIServer) Stats() APIServerStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// ExpireTokens makes every issued access token expire now, as if 48 h had
// passed: the next call with one answers 401 token_expired.
func (s *APIServer) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := time.Now().Add(-time.Second)
	for t := range s.tokens {
		s.tokens[t] = past
	}
}

// FailNext makes the next n API calls answer status (e.g. 500, 503).
func (s *APIServer) FailNext(status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, status)
	}
}

// Sales returns every sale of the dataset (all statuses), in order-date
// order, as the client decodes them.
func (s *APIServer) Sales() []rest.Sale {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]rest.Sale, len(s.data.sales))
	for i := range s.data.sales {
		out[i] = s.data.toSale(&s.data.sales[i])
	}
	return out
}

// Subscriptions returns every subscription of the dataset.
func (s *APIServer) Subscriptions() []rest.Subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]rest.Subscription, len(s.data.subs))
	for i := range s.data.subs {
		out[i] = s.data.toSubscription(&s.data.subs[i])
	}
	return out
}

// Period returns the dataset's period.
func (s *APIServer) Period() (from, to time.Time) { return s.cfg.from, s.cfg.to }

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

func (s *APIServer) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.TokenRequests++
	s.mu.Unlock()
	q := r.URL.Query()
	if q.Get("grant_type") != "client_credentials" {
		writeError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	if q.Get("client_id") != s.ClientID || q.Get("client_secret") != s.ClientSecret || r.Header.Get("Authorization") != "Basic "+s.Basic {
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

// guard applies, in order, the rate limit, authentication and injected
// faults to an API call. It reports whether the handler should run.
func (s *APIServer) guard(w http.ResponseWriter, r *http.Request) bool {
	if s.cfg.latency > 0 {
		time.Sleep(s.cfg.latency)
	}
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
	if len(s.faults) > 0 {
		st := s.faults[0]
		s.faults = s.faults[1:]
		s.stats.Faults++
		writeError(w, st, "internal_server_error", "Injected fault")
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
