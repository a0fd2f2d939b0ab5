package resttest

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/fakekit"
)

// Fault is one injected failure, the same value type in every test kit of
// this module.
type Fault struct {
	// Status is the HTTP status answered (default 503), with Hotmart's
	// error body.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header (in
	// fractional seconds, so tests stay fast).
	RetryAfter time.Duration
	// AfterApply applies the call before failing it, as when Hotmart did
	// the work and the reply was lost.
	AfterApply bool
	// Method and Path restrict the fault to matching calls: Method without
	// case; Path equal to the call's path, or a suffix of it when it starts
	// with "*" ("*/refund"). Empty fields match every call.
	Method, Path string
}

func (f Fault) core() fakekit.Fault {
	return fakekit.Fault{Status: f.Status, RetryAfter: f.RetryAfter, AfterApply: f.AfterApply, Method: f.Method, Path: f.Path}
}

// Call is one API request the server received (token calls excluded).
type Call struct {
	Method string
	Path   string
	Query  map[string][]string
	Body   []byte
	Status int    // HTTP status answered
	Fault  string // the fault injected, "" for none
}

// Effect is one change of the server's state.
type Effect struct {
	Kind   string // EffectSaleRefunded, EffectSubscriptionCancelled, EffectDueDayChanged
	Target string // transaction or subscriber code
	Call   int    // index in Calls of the call that caused it
}

// Kinds of Effect.
const (
	EffectSaleRefunded          = "sale_refunded"
	EffectSubscriptionCancelled = "subscription_cancelled"
	EffectDueDayChanged         = "due_day_changed"
)

// FailNext makes the next n calls matching f.Method and f.Path fail with
// f. Queued faults are used in order, before any FailRate fault.
func (s *Server) FailNext(n int, f Fault) { s.core.FailNext(n, f.core()) }

// FailRate makes a random fraction rate (0..1) of calls fail, each with one
// of faults picked at random (a 503 when none is given). FailRate(0) stops
// it.
func (s *Server) FailRate(rate float64, faults ...Fault) {
	cf := make([]fakekit.Fault, len(faults))
	for i, f := range faults {
		cf[i] = f.core()
	}
	s.core.FailRate(rate, fakekit.Fault{Status: http.StatusServiceUnavailable}, cf...)
}

// SetLatency delays every API answer by d.
func (s *Server) SetLatency(d time.Duration) { s.core.SetLatency(d) }

// Calls returns every API call received so far, in order.
func (s *Server) Calls() []Call {
	cc := s.core.Calls()
	out := make([]Call, len(cc))
	for i, c := range cc {
		out[i] = Call{Method: c.Method, Path: c.Path, Query: c.Query, Body: c.Body, Status: c.Status, Fault: c.Fault}
	}
	return out
}

// CallCount counts the calls matching method and path as Fault does.
func (s *Server) CallCount(method, path string) int { return s.core.CallCount(method, path) }

// Effects returns every change of state made so far, in order. A call
// that changes nothing records none.
func (s *Server) Effects() []Effect { return s.core.Effects() }

// effect records a change; handlers run with s.mu held.
func (s *Server) effect(kind, target string) {
	s.core.Effect(Effect{Kind: kind, Target: target, Call: s.curCall})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// serve records the call and applies, in order: latency, rate limit and
// authentication, injected faults, the handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, fn func(http.ResponseWriter, *http.Request)) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if !s.core.Delay(r.Context()) {
		return
	}
	idx := s.core.Record(fakekit.Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Body: body})
	sw := &statusWriter{ResponseWriter: w}
	defer func() { s.core.Answered(idx, sw.status, "") }()
	if !s.guard(sw, r) {
		return
	}
	f, faulted := s.core.Pick(r.Method, r.URL.Path)
	if faulted {
		s.mu.Lock()
		s.stats.Faults++
		if f.AfterApply {
			s.curCall = idx
			fn(&discard{h: http.Header{}}, r)
		}
		s.mu.Unlock()
		label := strconv.Itoa(f.Status)
		if f.AfterApply {
			label += " (after apply)"
		}
		s.core.Answered(idx, 0, label)
		st := f.Status
		if st == 0 {
			st = http.StatusServiceUnavailable
		}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.FormatFloat(f.RetryAfter.Seconds(), 'f', -1, 64))
		}
		writeError(sw, st, "internal_server_error", "Injected fault")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.curCall = idx
	fn(sw, r)
}
