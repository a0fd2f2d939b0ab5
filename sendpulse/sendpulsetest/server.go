package sendpulsetest

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/fakekit"
	"github.com/hotmartkit/hotmartkit/sendpulse"

	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
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
	currencies    []string // accepted deal currencies; nil accepts any
	curCall       int      // index of the call whose handler runs (under mu)

	core *fakekit.Core[Effect]
	tb   testing.TB
	st   state
}

// Call is one request the server received.
type Call struct {
	Method string
	Path   string
	Query  url.Values
	Body   []byte
	Auth   string // the Authorization header as sent
	Status int    // status answered
	Fault  string // the fault injected, "" for none
}

// Effect is one change of the server's state.
type Effect struct {
	// Kind is what changed: "contact.create", "contact.email",
	// "contact.phone", "contact.attr", "contact.tag", "contact.untag",
	// "deal.create", "deal.update", "deal.move", "deal.delete",
	// "deal.contact", "deal.attr", "payment.create", "book.add",
	// "book.update", "book.delete", "book.unsubscribe", "event.send".
	Kind string
	// Target is the id of the thing changed (and a detail after a space
	// for some kinds).
	Target string
	Call   int // index in Calls of the call that caused it
}

// Fault is one injected failure, the same value type in every test kit of
// this module.
type Fault struct {
	// Status is the HTTP status answered (default 500), with SendPulse's
	// error envelope; 429 carries the rate-burst error code.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header (in
	// fractional seconds, so tests stay fast).
	RetryAfter time.Duration
	// AfterApply applies the call before failing it, as when SendPulse
	// acted and the reply was lost: the case a client must not resolve by
	// blindly repeating a create.
	AfterApply bool
	// Method and Path restrict the fault to matching calls: Method without
	// case; Path equal to the call's path, or a suffix of it when it starts
	// with "*" ("*/deals"). Empty fields match every API call (token calls
	// are never failed).
	Method, Path string
}

func (f Fault) core() fakekit.Fault {
	return fakekit.Fault{Status: f.Status, RetryAfter: f.RetryAfter, AfterApply: f.AfterApply, Method: f.Method, Path: f.Path}
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
func WithSeed(seed uint64) Option { return func(s *Server) { s.core.Seed(seed) } }

// WithCurrencies makes deals accept only these currencies, as the CRM
// spec describes (UAH, USD, EUR); others are refused with 422.
func WithCurrencies(codes ...string) Option { return func(s *Server) { s.currencies = codes } }

// WithoutData starts with no user, pipeline or address book.
func WithoutData() Option { return func(s *Server) { s.st = newState() } }

// NewServer starts a server with the default credentials and a seeded
// account: one user, the pipeline "Hotmart sales" with the steps New, Paid,
// Lost and Refunded, and the address book "Customers". With a non-nil tb
// the server is closed when the test ends; a demo program passes nil and
// calls Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		apiKey: DefaultAPIKey, clientID: DefaultClientID, clientSecret: DefaultClientSecret,
		tokenLifetime: time.Hour, tokens: map[string]time.Time{},
		core: fakekit.New[Effect](1),
		tb:   tb,
		st:   newState(),
	}
	s.st.seed()
	for _, o := range opts {
		o(s)
	}
	s.mux = http.NewServeMux()
	s.routes()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// URL is the API root to give sendpulse.WithBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Credentials returns the server's API key as credentials.
func (s *Server) Credentials() sendpulse.Credentials { return sendpulse.Credentials{APIKey: s.apiKey} }

// OAuthCredentials returns the client id and secret the server accepts.
func (s *Server) OAuthCredentials() sendpulse.Credentials {
	return sendpulse.Credentials{ClientID: s.clientID, ClientSecret: s.clientSecret}
}

// ClientOptions returns the options that point a sendpulse.Client at the
// server, with pacing off and millisecond retry waits so tests run at full
// speed.
func (s *Server) ClientOptions() []sendpulse.Option {
	return []sendpulse.Option{
		sendpulse.WithBaseURL(s.URL()),
		sendpulse.WithHTTPClient(s.srv.Client()),
		sendpulse.WithRateLimit(0, 1),
		sendpulse.WithRetry(3, time.Millisecond, 10*time.Millisecond),
	}
}

// Client returns a sendpulse.Client using the API key: ClientOptions
// followed by opts. It fails the test (panics without one) if opts are
// invalid. For OAuth, pass OAuthCredentials and ClientOptions to
// sendpulse.NewClient.
func (s *Server) Client(opts ...sendpulse.Option) *sendpulse.Client {
	c, err := sendpulse.NewClient(s.Credentials(), append(s.ClientOptions(), opts...)...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("sendpulsetest: Client: %v", err)
		}
		panic(err)
	}
	return c
}

// FailNext makes the next n API calls matching f.Method and f.Path fail
// with f. Queued faults are used in order, before any FailRate fault.
func (s *Server) FailNext(n int, f Fault) { s.core.FailNext(n, f.core()) }

// FailRate makes a random fraction rate (0..1) of API calls fail, each with
// one of faults picked at random (a 500 when none is given). FailRate(0)
// stops it.
func (s *Server) FailRate(rate float64, faults ...Fault) {
	cf := make([]fakekit.Fault, len(faults))
	for i, f := range faults {
		cf[i] = f.core()
	}
	s.core.FailRate(rate, fakekit.Fault{Status: http.StatusInternalServerError}, cf...)
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) { s.core.SetLatency(d) }

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

// Calls returns every call received, token calls included, in order.
func (s *Server) Calls() []Call {
	cc := s.core.Calls()
	out := make([]Call, len(cc))
	for i, c := range cc {
		out[i] = Call{Method: c.Method, Path: c.Path, Query: c.Query, Body: c.Body, Auth: c.Auth, Status: c.Status, Fault: c.Fault}
	}
	return out
}

// CallCount counts the calls matching method and path as Fault does.
func (s *Server) CallCount(method, path string) int { return s.core.CallCount(method, path) }

// Effects returns the state changes applied, in order: a contact, e-mail,
// phone, deal, payment or event created; a deal moved or changed; a
// contact linked; an attribute value changed; a subscriber added, changed,
// deleted or unsubscribed. Writes that leave the state as it was are not
// recorded, so a client that retries safely leaves Effects equal to the
// intended changes.
func (s *Server) Effects() []Effect { return s.core.Effects() }

// ResetCounters clears the recorded calls, effects and token count.
func (s *Server) ResetCounters() {
	s.core.Reset()
	s.mu.Lock()
	s.tokenRequests = 0
	s.mu.Unlock()
}

// effect records one applied change, "kind target"; callers hold s.mu.
func (s *Server) effect(what string) {
	kind, target, _ := strings.Cut(what, " ")
	s.core.Effect(Effect{Kind: kind, Target: target, Call: s.curCall})
}

type callKey struct{}

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
	if !s.core.Delay(r.Context()) {
		return
	}
	rec := &recorder{ResponseWriter: w}
	idx := s.core.Record(fakekit.Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body, Auth: r.Header.Get("Authorization")})
	defer func() {
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.core.Answered(idx, rec.status, "")
	}()
	r = r.WithContext(context.WithValue(r.Context(), callKey{}, idx))

	if r.URL.Path == "/oauth/access_token" {
		s.token(rec, r, body)
		return
	}
	if !s.authorized(r.Header.Get("Authorization")) {
		writeError(rec, http.StatusUnauthorized, "Unauthorized!", 401)
		return
	}
	if f, ok := s.core.Pick(r.Method, r.URL.Path); ok {
		label := strconv.Itoa(f.Status)
		if f.AfterApply {
			s.mux.ServeHTTP(&discard{h: http.Header{}}, r)
			label += " (after apply)"
		}
		s.core.Answered(idx, 0, label)
		status := f.Status
		if status == 0 {
			status = http.StatusInternalServerError
		}
		if f.RetryAfter > 0 {
			rec.Header().Set("Retry-After", strconv.FormatFloat(f.RetryAfter.Seconds(), 'f', -1, 64))
		}
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
