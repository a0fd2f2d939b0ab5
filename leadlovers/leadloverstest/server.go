package leadloverstest

import (
	"crypto/subtle"
	"encoding/json"
	"github.com/hotmartkit/hotmartkit/internal/fakekit"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

	core *fakekit.Core[Effect]
	tb   testing.TB
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
	return func(s *Server) { s.core.Seed(seed) }
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
		core:     fakekit.New[Effect](1),
		tb:       tb,
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

// ClientOptions returns the options that point a leadlovers.Client at the
// server, with pacing off and millisecond waits so tests run at full speed.
func (s *Server) ClientOptions() []leadlovers.Option {
	return []leadlovers.Option{
		leadlovers.WithBaseURL(s.URL()),
		leadlovers.WithHTTPClient(s.srv.Client()),
		leadlovers.WithRateLimit(0, 1),
		leadlovers.WithRetry(3, time.Millisecond, 10*time.Millisecond),
		leadlovers.WithThrottleWait(10*time.Millisecond, 50*time.Millisecond),
	}
}

// Credentials returns the credentials the server accepts.
func (s *Server) Credentials() leadlovers.Credentials { return leadlovers.Credentials{Token: s.token} }

// Client returns a leadlovers.Client for the server: ClientOptions
// followed by opts. It fails the test (panics without one) if opts are
// invalid.
func (s *Server) Client(opts ...leadlovers.Option) *leadlovers.Client {
	c, err := leadlovers.NewClient(s.Credentials(), append(s.ClientOptions(), opts...)...)
	if err != nil {
		if s.tb != nil {
			s.tb.Helper()
			s.tb.Fatalf("leadloverstest: Client: %v", err)
		}
		panic(err)
	}
	return c
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Calls returns every call received so far, in order.
func (s *Server) Calls() []Call {
	cc := s.core.Calls()
	out := make([]Call, len(cc))
	for i, c := range cc {
		out[i] = Call{Method: c.Method, Path: c.Path, Query: c.Query, Body: c.Body, Status: c.Status, Fault: c.Fault}
	}
	return out
}

// CallCount returns how many calls matched method and path (as Fault
// matches them; "" matches any).
func (s *Server) CallCount(method, path string) int { return s.core.CallCount(method, path) }

// SetLatency delays every answer by d. A call whose client gives up during
// the delay is neither recorded nor applied.
func (s *Server) SetLatency(d time.Duration) { s.core.SetLatency(d) }

const maxBody = 1 << 20

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.core.Delay(r.Context()) {
		return
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
	idx := s.core.Record(fakekit.Call{Method: r.Method, Path: path, Query: q, Body: body})
	res := func(status int, v any) {
		s.core.Answered(idx, status, "")
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
		s.core.Answered(idx, s.writeFault(w, f), f.Kind.String())
		return
	}
	status, out := s.route(r.Method, path, q, body, idx)
	if faulted {
		s.core.Answered(idx, s.writeFault(w, f), f.Kind.String()+" (after apply)")
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

func itoa(n int) string { return strconv.Itoa(n) }
