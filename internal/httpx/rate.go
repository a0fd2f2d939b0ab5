package httpx

import (
	"errors"
	"math"
	"net/http"
	"time"
)

// CheckRate validates the arguments of every client's WithRateLimit and
// SetRateLimit: perSecond requests a second on average (0 turns pacing
// off), bursts of up to burst requests.
func CheckRate(perSecond float64, burst int) error {
	if perSecond < 0 || math.IsNaN(perSecond) || math.IsInf(perSecond, 0) {
		return errors.New("rate must be a finite number of requests per second, >= 0 (0 turns pacing off)")
	}
	if burst < 1 {
		return errors.New("burst must be at least 1")
	}
	return nil
}

// TokenRefreshAt returns when a token received at now, living life, should
// be replaced: margin before it expires, but never later than half its
// life has gone. A token shorter-lived than the margin would otherwise be
// considered stale on arrival and fetched again before every call.
func TokenRefreshAt(now time.Time, life, margin time.Duration) time.Time {
	if life <= 0 {
		return now
	}
	return now.Add(life - min(margin, life/2))
}

// WithoutRedirects returns a copy of hc (a default client when nil) that
// answers a redirect with the 3xx itself instead of following it, for the
// token calls made outside Client.
func WithoutRedirects(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = refuseRedirect
	return &c
}
