package leadlovers

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

const cloudflareCode = "1015"

var cloudflareBody = []byte("error code: 1015")

func isCloudflare1015(body []byte) bool {
	return bytes.HasPrefix(bytes.TrimSpace(body), cloudflareBody)
}

// cloudflareTransport turns Cloudflare's rate-limit block ("error code:
// 1015", sent with 403 or 503 as well as 429) into a 429, so the shared
// retry policy treats it as the throttle it is: retried for every method
// (the request was never processed) after a long wait.
type cloudflareTransport struct{ next http.RoundTripper }

func (t cloudflareTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode < 400 {
		return resp, err
	}
	// Peek at the start of the body only; the rest is streamed as is.
	head := make([]byte, len(cloudflareBody)+8)
	n, _ := io.ReadFull(resp.Body, head)
	head = head[:n]
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if isCloudflare1015(head) {
		resp.StatusCode = http.StatusTooManyRequests
		resp.Status = strconv.Itoa(http.StatusTooManyRequests) + " " + http.StatusText(http.StatusTooManyRequests)
	}
	return resp, nil
}

// throttlePolicy decides how long to wait after a 429: what Retry-After
// says, or a long fixed wait when it says nothing (integrators report that
// leadlovers' blocks last minutes, so a short exponential backoff only
// burns the remaining attempts).
type throttlePolicy struct {
	wait    time.Duration // after a 429 without Retry-After
	max     time.Duration // cap on any wait
	limiter *httpx.Limiter
}

func (p throttlePolicy) retryAfter(resp *http.Response) (time.Duration, bool) {
	if d, ok := httpx.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		return d, true
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		return p.wait, true
	}
	return 0, false
}

// onResponse pauses the whole client, not only the throttled call, so
// concurrent callers do not keep hitting a blocked token.
func (p throttlePolicy) onResponse(resp *http.Response) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return
	}
	if d, ok := p.retryAfter(resp); ok {
		p.limiter.PauseUntil(time.Now().Add(min(d, p.max)))
	}
}
