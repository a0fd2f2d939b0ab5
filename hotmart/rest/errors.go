package rest

import (
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// APIError is an error answer from Hotmart. Use errors.As with a *APIError;
// it matches errors of this package only, never another provider's.
//
// Nothing in it carries a credential, the access token or a buyer's
// e-mail, phone, document or name: URL, Message and Body are redacted.
type APIError struct {
	StatusCode int           // HTTP status
	Code       string        // Hotmart's "error" ("invalid_token", "unauthorized"…)
	Message    string        // Hotmart's "error_description", redacted
	RequestID  string        // request id when a header carried one
	RetryAfter time.Duration // how long Hotmart asked to wait, when it said
	Method     string        // HTTP method of the request
	URL        string        // request URL, redacted
	Body       []byte        // start of the response body, redacted
}

func (e *APIError) Error() string {
	s := "hotmart: " + e.Method + " " + e.URL + ": HTTP " + strconv.Itoa(e.StatusCode)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// Temporary reports whether retrying later may succeed (429 or 5xx).
func (e *APIError) Temporary() bool { return e.StatusCode == 429 || e.StatusCode >= 500 }

func wrapAPIError(e *httpx.APIError) error {
	return &APIError{StatusCode: e.StatusCode, Code: e.Code, Message: e.Message, RequestID: e.RequestID,
		RetryAfter: e.RetryAfter, Method: e.Method, URL: e.URL, Body: e.Body}
}

// ArgumentError reports a missing or invalid argument. It is returned
// before any request is sent, and never quotes the argument's value.
type ArgumentError struct {
	Method string // "Sales.Refund", "Coupons.Create"…
	Arg    string // the argument or field at fault
	Reason string
}

func (e *ArgumentError) Error() string {
	return "hotmart: " + e.Method + ": " + e.Arg + " " + e.Reason
}
