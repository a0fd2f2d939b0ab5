// Package fakekit is the shared core of the fake API servers
// (hotmarttest, leadloverstest, sendpulsetest): the call log, the effect
// log, fault injection (queued faults, a random fault rate, apply-then-drop)
// and latency. Each kit wraps it behind its own exported types, so the
// three kits offer one shape: NewServer(tb, opts...), URL(), Client(),
// FailNext(n, Fault), FailRate, SetLatency, Calls() and Effects().
package fakekit

import (
	"context"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Fault is one injected failure. Kind is the kit's own refinement
// (leadlovers' Cloudflare block, an error inside a 200…); 0 is a plain
// error status.
type Fault struct {
	Status     int
	RetryAfter time.Duration
	AfterApply bool
	Method     string
	Path       string
	Kind       int
}

// Matches reports whether f applies to a call: Method compared without
// case; Path equal to the call's path without case, or, when it starts
// with "*", a suffix of it ("*/refund" matches "/sales/HP1/refund"). Empty
// fields match anything.
func (f Fault) Matches(method, path string) bool {
	return Match(f.Method, f.Path, method, path)
}

// Match is Fault.Matches for a method and path pattern.
func Match(wantMethod, wantPath, method, path string) bool {
	if wantMethod != "" && !strings.EqualFold(wantMethod, method) {
		return false
	}
	if wantPath == "" {
		return true
	}
	w := strings.ToLower(strings.TrimSuffix(wantPath, "/"))
	p := strings.ToLower(strings.TrimSuffix(path, "/"))
	if suffix, ok := strings.CutPrefix(w, "*"); ok {
		return strings.HasSuffix(p, suffix)
	}
	return p == w
}

// Call is one recorded request.
type Call struct {
	Method string
	Path   string
	Query  url.Values
	Body   []byte
	Auth   string // the Authorization header as sent
	Status int
	Fault  string // "" when no fault was injected
}

type queued struct {
	f Fault
	n int
}

// Core holds the state shared by every kit. The zero value is not usable;
// call New. E is the kit's Effect type.
type Core[E any] struct {
	mu      sync.Mutex
	calls   []Call
	effects []E
	queued  []queued
	rate    float64
	rateOf  []Fault
	rng     *rand.Rand
	latency time.Duration
}

// New returns a core whose random fault choices follow seed.
func New[E any](seed uint64) *Core[E] {
	return &Core[E]{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// Seed reseeds the random fault choices.
func (c *Core[E]) Seed(seed uint64) {
	c.mu.Lock()
	c.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	c.mu.Unlock()
}

// FailNext queues f for the next n matching calls. Queued faults are used
// in order, before any FailRate fault.
func (c *Core[E]) FailNext(n int, f Fault) {
	if n <= 0 {
		return
	}
	c.mu.Lock()
	c.queued = append(c.queued, queued{f: f, n: n})
	c.mu.Unlock()
}

// FailRate fails a random fraction rate (0..1) of calls with one of
// faults, picked at random (def when none is given). 0 stops it.
func (c *Core[E]) FailRate(rate float64, def Fault, faults ...Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rate = min(max(rate, 0), 1)
	if len(faults) == 0 {
		faults = []Fault{def}
	}
	c.rateOf = faults
}

// SetLatency delays every answer by d.
func (c *Core[E]) SetLatency(d time.Duration) {
	c.mu.Lock()
	c.latency = d
	c.mu.Unlock()
}

// Delay waits the configured latency; false means the client went away.
func (c *Core[E]) Delay(ctx context.Context) bool {
	c.mu.Lock()
	d := c.latency
	c.mu.Unlock()
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Pick returns the fault for a call, if any, consuming a queued one.
func (c *Core[E]) Pick(method, path string) (Fault, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.queued {
		q := &c.queued[i]
		if q.n > 0 && q.f.Matches(method, path) {
			q.n--
			f := q.f
			if q.n == 0 {
				c.queued = append(c.queued[:i], c.queued[i+1:]...)
			}
			return f, true
		}
	}
	if c.rate > 0 && c.rng.Float64() < c.rate {
		f := c.rateOf[c.rng.IntN(len(c.rateOf))]
		if f.Matches(method, path) {
			return f, true
		}
	}
	return Fault{}, false
}

// Record appends a call and returns its index.
func (c *Core[E]) Record(call Call) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, call)
	return len(c.calls) - 1
}

// Answered sets the status (and fault text) of call i.
func (c *Core[E]) Answered(i, status int, fault string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if i >= 0 && i < len(c.calls) {
		c.calls[i].Status = status
		if fault != "" {
			c.calls[i].Fault = fault
		}
	}
}

// Calls returns a copy of the call log.
func (c *Core[E]) Calls() []Call {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.calls)
	for i := range out {
		q := make(url.Values, len(out[i].Query))
		for k, v := range out[i].Query {
			q[k] = slices.Clone(v)
		}
		out[i].Query = q
	}
	return out
}

// CallCount counts calls matching method and path as Fault.Matches does.
func (c *Core[E]) CallCount(method, path string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, call := range c.calls {
		if Match(method, path, call.Method, call.Path) {
			n++
		}
	}
	return n
}

// Effect records one change of state.
func (c *Core[E]) Effect(e E) {
	c.mu.Lock()
	c.effects = append(c.effects, e)
	c.mu.Unlock()
}

// Effects returns a copy of the effect log.
func (c *Core[E]) Effects() []E {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.effects)
}

// Reset clears the call and effect logs.
func (c *Core[E]) Reset() {
	c.mu.Lock()
	c.calls, c.effects = nil, nil
	c.mu.Unlock()
}
