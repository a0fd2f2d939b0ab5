package leadloverstest

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultToken is the token a server accepts unless WithToken says
// otherwise (32 upper-case hex characters, like real tokens).
const DefaultToken = "0123456789ABCDEF0123456789ABCDEF"

// BasePath is the path prefix the server answers under, as the real API
// does ("/webapi"); URL includes it.
const BasePath = "/webapi"

// Server is a running fake leadlovers API. It is safe for concurrent use.
type Server struct {
	srv   *httptest.Server
	token string

	mu       sync.Mutex
	machines map[int]*machine
	leads    map[string]*lead
	tags     map[int]string
	hooks    map[int]string
	nextLead int
	nextTag  int
	nextHook int
	calls    []Call
	effects  []Effect

	queued  []queuedFault
	rate    float64
	rateOf  []Fault
	rng     *rand.Rand
	latency time.Duration
}

// Call is one request the server received.
type Call struct {
	Method string
	Path   string     // without BasePath, as sent: "/Lead", "/EmailSequences"
	Query  url.Values // without the token
	Body   []byte
	Status int    // HTTP status answered
	Fault  string // the fault injected, "" for none
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the token the server accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithSeed seeds the random source of FailRate, for reproducible runs.
func WithSeed(seed uint64) Option {
	return func(s *Server) { s.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }
}

// NewServer starts a fake API. With a non-nil tb the server is closed when
// the test ends; a demo program passes nil and calls Close.
func NewServer(tb testing.TB, opts ...Option) *Server {
	s := &Server{
		token:    DefaultToken,
		machines: map[int]*machine{},
		leads:    map[string]*lead{},
		tags:     map[int]string{},
		hooks:    map[int]string{},
		rng:      rand.New(rand.NewPCG(1, 2)),
		nextLead: 1000,
		nextHook: 500,
	}
	for _, o := range opts {
		o(s)
	}
	s.seed()
	s.srv = httptest.NewServer(s)
	if tb != nil {
		tb.Cleanup(s.Close)
	}
	return s
}

// URL returns the API base to give the client (leadlovers.WithBaseURL),
// BasePath included.
func (s *Server) URL() string { return s.srv.URL + BasePath }

// Token returns the token the server accepts.
func (s *Server) Token() string { return s.token }

// Client returns an HTTP client that reaches the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Calls returns every call received so far, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.calls)
	for i := range out {
		out[i].Query = cloneValues(out[i].Query)
	}
	return out
}

// CallCount returns how many calls matched method and path (case-
// insensitive; "" matches any).
func (s *Server) CallCount(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if matches(method, path, c.Method, c.Path) {
			n++
		}
	}
	return n
}

// SetLatency delays every answer by d. A call whose client gives up during
// the delay is neither recorded nor applied.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	s.mu.Unlock()
}

const maxBody = 1 << 20

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	lat := s.latency
	s.mu.Unlock()
	if lat > 0 {
		t := time.NewTimer(lat)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	path := r.URL.Path
	if len(path) >= len(BasePath) && strings.EqualFold(path[:len(BasePath)], BasePath) {
		path = path[len(BasePath):]
	}
	q := r.URL.Query()
	tok := q.Get("token")
	q.Del("token")

	s.mu.Lock()
	defer s.mu.Unlock()
	idx := len(s.calls)
	s.calls = append(s.calls, Call{Method: r.Method, Path: path, Query: q, Body: body})
	res := func(status int, v any) {
		s.calls[idx].Status = status
		writeJSON(w, status, v)
	}
	switch {
	case err != nil || len(body) > maxBody:
		res(http.StatusRequestEntityTooLarge, envelope(413, "Corpo da requisição muito grande"))
		return
	case tok == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.token)) != 1:
		res(http.StatusUnauthorized, envelope(401, "Token inválido"))
		return
	}

	f, faulted := s.pickFault(r.Method, path)
	if faulted && !f.AfterApply {
		s.calls[idx].Fault = f.Kind.String()
		s.calls[idx].Status = s.writeFault(w, f)
		return
	}
	status, out := s.route(r.Method, path, q, body, idx)
	if faulted {
		s.calls[idx].Fault = f.Kind.String() + " (after apply)"
		s.calls[idx].Status = s.writeFault(w, f)
		return
	}
	res(status, out)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// envelope is leadlovers' outcome body.
func envelope(code int, msg string) map[string]any {
	return map[string]any{"StatusCode": code, "Message": msg}
}

func matches(wantMethod, wantPath, method, path string) bool {
	return (wantMethod == "" || strings.EqualFold(wantMethod, method)) &&
		(wantPath == "" || strings.EqualFold(strings.TrimSuffix(wantPath, "/"), strings.TrimSuffix(path, "/")))
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
