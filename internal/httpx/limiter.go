package httpx

import (
	"context"
	"sync"
	"time"
)

// Limiter is a token bucket that paces requests so a client stays under a
// provider's rate limit instead of bouncing off it. It also honours pauses
// ordered by the provider (a 429 with a reset time). It is safe for
// concurrent use. A nil *Limiter never waits.
type Limiter struct {
	mu     sync.Mutex
	rate   float64 // tokens per second; <= 0 means unlimited
	burst  float64
	tokens float64
	last   time.Time
	until  time.Time // no request before this instant
	now    func() time.Time
}

// NewLimiter returns a limiter allowing perSecond requests per second on
// average with bursts of up to burst requests. perSecond <= 0 means no limit.
func NewLimiter(perSecond float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{rate: perSecond, burst: float64(burst), tokens: float64(burst), now: time.Now}
}

// PerMinute is NewLimiter for a limit stated per minute.
func PerMinute(n int, burst int) *Limiter { return NewLimiter(float64(n)/60, burst) }

// SetRate changes the sustained rate (requests per second) and burst.
func (l *Limiter) SetRate(perSecond float64, burst int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	if burst < 1 {
		burst = 1
	}
	l.rate, l.burst = perSecond, float64(burst)
	if l.tokens > l.burst {
		l.tokens = l.burst
	}
}

// Rate returns the sustained rate in requests per second.
func (l *Limiter) Rate() float64 {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// PauseUntil stops every request until t (e.g. the reset time of a 429).
func (l *Limiter) PauseUntil(t time.Time) {
	if l == nil {
		return
	}
	l.mu.Lock()
	if t.After(l.until) {
		l.until = t
	}
	l.mu.Unlock()
}

// Drain empties the bucket, so that the next requests are paced at the
// sustained rate from now on (used when the provider reports that little of
// its window remains).
func (l *Limiter) Drain() {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.refill()
	l.tokens = 0
	l.mu.Unlock()
}

// Wait blocks until a request may be sent or ctx ends.
func (l *Limiter) Wait(ctx context.Context) error {
	if l == nil {
		return ctx.Err()
	}
	for {
		l.mu.Lock()
		now := l.now()
		var d time.Duration
		switch {
		case now.Before(l.until):
			d = l.until.Sub(now)
		case l.rate <= 0:
			l.mu.Unlock()
			return ctx.Err()
		default:
			l.refill()
			if l.tokens >= 1 {
				l.tokens--
				l.mu.Unlock()
				return ctx.Err()
			}
			d = time.Duration((1 - l.tokens) / l.rate * float64(time.Second))
		}
		l.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			return err
		}
	}
}

func (l *Limiter) refill() {
	now := l.now()
	if !l.last.IsZero() && l.rate > 0 {
		l.tokens += now.Sub(l.last).Seconds() * l.rate
		if l.tokens > l.burst {
			l.tokens = l.burst
		}
	}
	l.last = now
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
