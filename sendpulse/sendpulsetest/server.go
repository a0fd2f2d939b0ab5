package sendpulsetest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Default credentials a new Server accepts.
const (
	DefaultAPIKey       = "sp-test-api-key-5f2c9e1a7b"
	DefaultClientID     = "sp-test-client-id"
	DefaultClientSecret = "sp-test-client-secret-8d41b6"
)

// Server is an in-memory SendPulse: OAuth token issuance with expiry,
// static API keys, a CRM (users, pipelines with steps, contacts, deals,
// payments), address books and Automation 360 events, behind the real
// paths and envelopes. It records every call and can inject faults. It is
// safe for concurrent use.
type Server struct {
	srv *httptest.Server
	mux *http.ServeMux

	mu            sync.Mutex
	apiKey        string
	clientID      string
	clientSecret  string
	tokenLifetime time.Duration
	tokens        map[string]time.Time // access token → expiry
	tokenRequests int

	calls   []Call
	effects []string

	failNext   []int // statuses to answer the next calls with
	failRate   float64
	failStatus int
	rng        *mrand.Rand
	latency    time.Duration
	rules      []*failRule
	currencies []string // accepted deal currencies; nil accepts any

	st state
}

// Call is one request the server received.
type Call struct {
	Method string
	Path   string
	Query  url.Values
	Body   []byte
	Auth   string // the Authorization header as sent
	Status int    // status answered
}

// Option configures a Server.
type Option func(*Server)

// WithCredentials sets the OAuth client id and secret the server accepts.
func WithCredentials(id, secret string) Option {
	return func(s *Server) { s.clientID, s.clientSecret = id, secret }
}

// WithAPIKey sets the static API key the server accepts.
func WithAPIKey(key string) Option { return func(s *Server) { s.apiKey = key } }

// WithTokenLifetime sets how long issued tokens live (default 3600 s, as
// SendPulse). expires_in is sent in whole seconds, at least 1.
func WithTokenLifetime(d time.Duration) Option { return func(s *Server) { s.tokenLifetime = d } }

// WithSeed makes FailRate's choices reproducible.
func WithSeed(seed uint64) Option {
	return func(s *Server) { s.rng = mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
}

// WithCurrencies makes deals accept only these currencies, as the CRM
// spec describes (UAH, USD, EUR); others are refused with 422.
func WithCurrencies(codes ...string) Option { return func(s *Server) { s.currencies = codes } }

// WithoutData starts with no user, pipeline or address book.
func WithoutData() Option { return func(s *Server) { s.st = newState() } }

// NewServer starts a server with the default credentials and a seeded
// account: one user, the pipeline "Hotmart sales" with the steps New, Paid,
// Lost and Refunded, and the address book "Customers".
func NewServer(opts ...Option) *Server {
	s := &Server{
		apiKey: DefaultAPIKey, clientID: DefaultClientID, clientSecret: DefaultClientSecret,
		tokenLifetime: time.Hour, tokens: map[string]time.Time{},
		failStatus: http.StatusInternalServerError,
		rng:        mrand.New(mrand.NewPCG(1, 2)),
		st:         newState(),
	}
	s.st.seed()
	for _, o := range opts {
		o(s)
	}
	s.mux = http.NewServeMux()
	s.routes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API root to give sendpulse.WithBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// APIKey, ClientID and ClientSecret return the accepted credentials.
func (s *Server) APIKey() string       { return s.apiKey }
func (s *Server) ClientID() string     { return s.clientID }
func (s *Server) ClientSecret() string { return s.clientSecret }

// FailNext makes the next n API calls (token requests excluded) answer
// status with SendPulse's error envelope, without applying them.
func (s *Server) FailNext(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failNext = append(s.failNext, status)
	}
}

type failRule struct {
	method, suffix string
	status         int
	after          bool
}

// FailOn makes the next call whose method is method and whose path ends
// with suffix answer status. With afterApply false nothing is applied; with
// afterApply true the call is applied first and its answer is lost, as when
// a connection drops after the server acted: the case a client must not
// resolve by blindly repeating a create.
func (s *Server) FailOn(method, suffix string, status int, afterApply bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, &failRule{method, suffix, status, afterApply})
}

func (s *Server) matchRule(r *http.Request) *failRule {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.rules {
		if f.method == r.Method && strings.HasSuffix(r.URL.Path, f.suffix) {
			s.rules = append(s.rules[:i], s.rules[i+1:]...)
			return f
		}
	}
	return nil
}

// FailRate makes a random fraction p of API calls answer 500 (or the
// status set by FailRateStatus) before anything is applied.
func (s *Server) FailRate(p float64) {
	s.mu.Lock()
	s.failRate = p
	s.mu.Unlock()
}

// FailRateStatus sets the status FailRate answers with.
func (s *Server) FailRateStatus(status int) {
	s.mu.Lock()
	s.failStatus = status
	s.mu.Unlock()
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

// ExpireTokens makes every token issued so far expired: calls with them get
// 401, as SendPulse answers a stale token.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.tokens {
		s.tokens[t] = time.Time{}
	}
}

// TokenRequests counts successful and failed calls to /oauth/access_token.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenRequests
}

// Calls returns every call received, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Effects counts the state changes applied: a contact, e-mail, phone, deal,
// payment or event created; a deal moved or changed; a contact linked; an
// attribute value changed; a subscriber added, changed, deleted or
// unsubscribed. Writes that leave the state as it was are not counted, so a
// client that retries safely leaves Effects equal to the intended changes.
func (s *Server) Effects() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.effects)
}

// EffectLog describes each counted effect, e.g. "deal.create 1007".
func (s *Server) EffectLog() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.effects...)
}

// ResetCounters clears the recorded calls, effects and token count.
func (s *Server) ResetCounters() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.effects, s.tokenRequests = nil, nil, 0
}

// effect records one applied change; callers hold s.mu.
func (s *Server) effect(what string) { s.effects = append(s.effects, what) }

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable body", 400)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := &recorder{ResponseWriter: w}
	s.mu.Lock()
	lat := s.latency
	s.mu.Unlock()
	if lat > 0 {
		select {
		case <-time.After(lat):
		case <-r.Context().Done():
		}
	}
	defer func() {
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.mu.Lock()
		s.calls = append(s.calls, Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body,
			Auth: r.Header.Get("Authorization"), Status: rec.status})
		s.mu.Unlock()
	}()

	if r.URL.Path == "/oauth/access_token" {
		s.token(rec, r, body)
		return
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		writeError(rec, http.StatusUnauthorized, "Unauthorized!", 401)
		return
	}
	if f := s.matchRule(r); f != nil {
		if f.after {
			s.mux.ServeHTTP(&discard{h: http.Header{}}, r)
		}
		writeError(rec, f.status, http.StatusText(f.status), int64(f.status))
		return
	}
	if status := s.fault(); status != 0 {
		if status == http.StatusTooManyRequests {
			writeError(rec, status, "Too Many Requests", 2020202020)
		} else {
			writeError(rec, status, http.StatusText(status), int64(status))
		}
		return
	}
	s.mux.ServeHTTP(rec, r)
}

// discard is a ResponseWriter that drops the answer.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

func (s *Server) fault() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.failNext) > 0 {
		st := s.failNext[0]
		s.failNext = s.failNext[1:]
		return st
	}
	if s.failRate > 0 && s.rng.Float64() < s.failRate {
		return s.failStatus
	}
	return 0
}

func (s *Server) authorized(h string) bool {
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apiKey != "" && tok == s.apiKey {
		return true
	}
	exp, ok := s.tokens[tok]
	return ok && time.Now().Before(exp)
}

// token implements POST /oauth/access_token. SendPulse documents a JSON
// body; form bodies (what OAuth libraries send) are accepted too.
func (s *Server) token(w http.ResponseWriter, r *http.Request, body []byte) {
	s.mu.Lock()
	s.tokenRequests++
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed", 405)
		return
	}
	var in struct {
		GrantType    string `json:"grant_type"`
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &in)
	} else if v, err := url.ParseQuery(string(body)); err == nil {
		in.GrantType, in.ClientID, in.ClientSecret = v.Get("grant_type"), v.Get("client_id"), v.Get("client_secret")
	}
	if u, p, ok := r.BasicAuth(); ok && in.ClientID == "" {
		in.ClientID, in.ClientSecret = u, p
	}
	if in.GrantType != "client_credentials" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type",
			"error_description": "The authorization grant type is not supported", "message": "The authorization grant type is not supported"})
		return
	}
	s.mu.Lock()
	ok := s.clientID != "" && in.ClientID == s.clientID && in.ClientSecret == s.clientSecret
	life := s.tokenLifetime
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client",
			"error_description": "Client authentication failed", "message": "Client authentication failed"})
		return
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := hex.EncodeToString(b[:])
	secs := int(life / time.Second)
	if secs < 1 {
		secs = 1
	}
	s.mu.Lock()
	s.tokens[tok] = time.Now().Add(life)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": secs})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers SendPulse's error envelope.
func writeError(w http.ResponseWriter, status int, msg string, code int64) {
	writeJSON(w, status, map[string]any{"message": msg, "error_code": code})
}
