package httpx

import (
	"fmt"
	"strconv"
	"time"
)

// MaxErrorBody bounds how much of an error response body an APIError keeps.
const MaxErrorBody = 2048

// APIError is a response from a provider that reports a failure, either
// through a non-2xx status or, for providers that do so, through an error
// envelope inside a 2xx body. Provider packages expose it under their own
// name (leadlovers.APIError, sendpulse.APIError, hotmart.APIError) so
// callers use errors.As with a *APIError.
//
// Nothing in an APIError carries a secret or a buyer's personal data: the
// URL and body are redacted before they are stored.
type APIError struct {
	Provider   string        // "hotmart", "leadlovers", "sendpulse"
	Method     string        // HTTP method of the request
	URL        string        // request URL, redacted
	StatusCode int           // HTTP status; 200 for an error inside a 200 body
	Code       string        // provider error code ("token_expired", "213", …) when given
	Message    string        // provider message, redacted
	RequestID  string        // provider request id when a header carried one
	RetryAfter time.Duration // how long the provider asked to wait, when it said
	Body       []byte        // start of the response body (at most MaxErrorBody), redacted
}

func (e *APIError) Error() string {
	s := e.Provider + ": " + e.Method + " " + e.URL + ": HTTP " + strconv.Itoa(e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += fmt.Sprintf(" (request id %s)", e.RequestID)
	}
	return s
}

// Temporary reports whether retrying later may succeed (429 or 5xx).
func (e *APIError) Temporary() bool {
	return e.StatusCode == 429 || e.StatusCode >= 500
}

// RetryDelay returns how long the provider asked to wait (Retry-After), or
// 0. Queues test for it with errors.As on an interface, to wait that long
// instead of spending a retry attempt.
func (e *APIError) RetryDelay() time.Duration { return e.RetryAfter }
