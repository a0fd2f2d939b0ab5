package rest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// rateLimits paces the client from Hotmart's rate-limit headers:
// X-RateLimit-Limit-Minute sets the sustained rate (unless the caller capped
// it lower), and a window with nothing left (RateLimit-Remaining or
// X-RateLimit-Remaining-Minute at 0) pauses every request until
// RateLimit-Reset, so the client waits for the window instead of collecting
// 429s. A 429 that still happens waits for the same reset before the retry.
type rateLimits struct {
	limiter *httpx.Limiter
	now     func() time.Time

	mu      sync.Mutex
	cap     float64 // per second set by the caller (follow == false)
	follow  bool    // no caller cap: follow the server's announced limit
	burst   int
	current float64 // per second in force
	last    RateLimit
}

// RateLimit is the state of the account's rate limit as last reported by
// Hotmart's response headers.
type RateLimit struct {
	Limit     int       // calls allowed in the current window (RateLimit-Limit)
	Remaining int       // calls left in the window (RateLimit-Remaining)
	Reset     time.Time // when the window resets (from RateLimit-Reset)
	PerMinute int       // X-RateLimit-Limit-Minute
	Observed  time.Time // when these headers arrived; zero if none yet
}

func newRateLimits(perSecond float64, burst int, capped bool) *rateLimits {
	return &rateLimits{
		limiter: httpx.NewLimiter(perSecond, burst),
		cap:     perSecond,
		follow:  !capped,
		burst:   burst,
		current: perSecond,
		now:     time.Now,
	}
}

// set is SetRateLimit: an explicit rate from now on, the server's
// announcements no longer raise it.
func (r *rateLimits) set(perSecond float64, burst int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cap, r.follow, r.burst, r.current = perSecond, false, burst, perSecond
	r.limiter.SetRate(perSecond, burst)
}

func headerInt(h http.Header, key string) (int, bool) {
	v := strings.TrimSpace(h.Get(key))
	if v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// resetIn reads RateLimit-Reset as seconds until the window resets (the unit
// is undocumented; seconds is what the header's IETF draft and Hotmart's
// observed values agree on).
func resetIn(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("RateLimit-Reset"))
	if v == "" {
		return 0, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// observe runs on every response (every attempt).
func (r *rateLimits) observe(resp *http.Response) {
	h := resp.Header
	now := r.now()
	reset, hasReset := resetIn(h)
	perMin, hasPerMin := headerInt(h, "X-RateLimit-Limit-Minute")
	limit, hasLimit := headerInt(h, "RateLimit-Limit")
	rem, hasRem := headerInt(h, "RateLimit-Remaining")
	remMin, hasRemMin := headerInt(h, "X-RateLimit-Remaining-Minute")
	if !hasReset && !hasPerMin && !hasLimit && !hasRem && !hasRemMin {
		return
	}

	r.mu.Lock()
	st := RateLimit{Observed: now, Limit: limit, Remaining: rem, PerMinute: perMin}
	if !hasRem && hasRemMin {
		st.Remaining = remMin
	}
	if hasReset {
		st.Reset = now.Add(reset)
	}
	r.last = st
	// An explicit cap of 0 means no pacing at all: the server's figure
	// does not switch it back on.
	if hasPerMin && perMin > 0 && (r.follow || r.cap > 0) {
		want := float64(perMin) / 60
		if !r.follow && r.cap < want {
			want = r.cap
		}
		if want != r.current {
			r.current = want
			r.limiter.SetRate(want, r.burst)
		}
	}
	r.mu.Unlock()

	exhausted := (hasRem && rem == 0) || (hasRemMin && remMin == 0) || resp.StatusCode == http.StatusTooManyRequests
	if exhausted {
		wait := reset
		if !hasReset {
			// No reset given: a whole minute is the only safe guess.
			wait = time.Minute
		}
		r.limiter.PauseUntil(now.Add(wait))
	}
}

// retryAfter tells the retry loop how long a 429 must wait.
func (r *rateLimits) retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	if d, ok := resetIn(resp.Header); ok {
		return d, true
	}
	return 0, false
}

// SetRateLimit changes the pacing of a running client, with the units of
// WithRateLimit (perSecond 0 turns pacing off). The server's announced
// limit no longer raises the rate afterwards.
func (c *Client) SetRateLimit(perSecond float64, burst int) error {
	if err := httpx.CheckRate(perSecond, burst); err != nil {
		return optionError("SetRateLimit", err)
	}
	c.limits.set(perSecond, burst)
	return nil
}

// RateLimit returns the rate-limit state from the most recent response that
// carried the headers.
func (c *Client) RateLimit() RateLimit {
	c.limits.mu.Lock()
	defer c.limits.mu.Unlock()
	return c.limits.last
}
