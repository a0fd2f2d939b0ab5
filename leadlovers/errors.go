package leadlovers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// APIError is a failure reported by leadlovers, through an HTTP status or
// through the error envelope of a 2xx body. For envelope errors StatusCode
// is the HTTP status (200 when leadlovers answered 200 with an error), Code
// is the body's StatusCode as sent ("400", "BadRequest") and Message is the
// body's Message followed by the Exception text when there is one. URL,
// Message and Body are redacted: no token, e-mail, phone, document or the
// lead's name. errors.As with a *APIError matches leadlovers errors only.
type APIError struct {
	StatusCode int           // HTTP status; 200 for an error inside a 200 body
	Code       string        // the body's StatusCode ("400", "NotFound", "1015" for Cloudflare's block)
	Message    string        // redacted
	RequestID  string        // request id when a header carried one
	RetryAfter time.Duration // how long leadlovers asked to wait, when it said
	Method     string        // HTTP method of the request
	URL        string        // request URL, token removed
	Body       []byte        // start of the response body, redacted
}

func (e *APIError) Error() string {
	s := "leadlovers: " + e.Method + " " + e.URL + ": HTTP " + strconv.Itoa(e.StatusCode)
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

// Sentinel errors, matched with errors.Is.
var (
	// ErrRateLimited matches a *RateLimitError.
	ErrRateLimited = errors.New("leadlovers: rate limited")
)

// RateLimitError is returned when leadlovers kept answering 429 (or
// Cloudflare's "error code: 1015") until the client gave up retrying.
// It unwraps to the last *APIError.
type RateLimitError struct {
	RetryAfter time.Duration // the last wait leadlovers asked for, if any
	Err        *APIError
}

func (e *RateLimitError) Error() string {
	return "leadlovers: rate limited, gave up retrying: " + e.Err.Error()
}

// Unwrap returns the last *APIError.
func (e *RateLimitError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// ArgumentError reports a call refused before it was sent (a missing
// e-mail, a non-positive machine code). It never contains the offending
// value.
type ArgumentError struct {
	Method string // "Leads.Upsert"
	Arg    string // "Email", "MachineCode"
	Reason string
}

func (e *ArgumentError) Error() string {
	return fmt.Sprintf("leadlovers: %s: %s %s", e.Method, e.Arg, e.Reason)
}

// IsNotFound reports whether err is leadlovers saying the thing asked for
// (usually a lead) does not exist: HTTP 404 or a body StatusCode 404 /
// "NotFound".
func IsNotFound(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	return ae.StatusCode == http.StatusNotFound || ae.Code == "404" || strings.EqualFold(ae.Code, "NotFound")
}

// IsRateLimited reports whether err is a rate-limit refusal.
func IsRateLimited(err error) bool {
	if errors.Is(err, ErrRateLimited) {
		return true
	}
	var ae *APIError
	return errors.As(err, &ae) && isThrottle(ae)
}

// IsDuplicate reports whether leadlovers refused a write because the thing
// already exists. leadlovers documents no code for this; the message is
// matched the way integrators do ("duplic…", "já existe").
func IsDuplicate(err error) bool {
	var ae *APIError
	if !errors.As(err, &ae) {
		return false
	}
	m := strings.ToLower(ae.Message)
	return strings.Contains(m, "duplic") || strings.Contains(m, "já existe") || strings.Contains(m, "ja existe")
}

func isThrottle(ae *APIError) bool {
	return ae.StatusCode == http.StatusTooManyRequests || ae.Code == "429" || ae.Code == cloudflareCode
}

// envelope is the outcome leadlovers repeats in most bodies.
type envelope struct {
	StatusCode json.RawMessage `json:"StatusCode"`
	Message    string          `json:"Message"`
	Exception  json.RawMessage `json:"Exception"`
}

// parseEnvelope reads the envelope of body. ok is false when the body is
// not a JSON object or carries none of the envelope keys.
func parseEnvelope(body []byte) (st BodyStatus, msg, exc string, ok bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return st, "", "", false
	}
	var env envelope
	if json.Unmarshal(body, &env) != nil {
		return st, "", "", false
	}
	if len(env.StatusCode) > 0 {
		if err := st.UnmarshalJSON(env.StatusCode); err != nil {
			// A StatusCode we cannot read is not a success we can vouch for.
			st = BodyStatus{Name: "unreadable"}
		}
	}
	exc = exceptionText(env.Exception)
	ok = len(env.StatusCode) > 0 || env.Message != "" || len(env.Exception) > 0
	return st, env.Message, exc, ok
}

// exceptionText returns the text of Exception: "" for null, "", {} or an
// object whose Message is empty (the update reply carries such an object on
// success).
func exceptionText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		return strings.TrimSpace(s)
	case '{':
		var o struct {
			Message string `json:"Message"`
		}
		if json.Unmarshal(raw, &o) == nil {
			return strings.TrimSpace(o.Message)
		}
	}
	if bytes.Equal(raw, []byte("false")) || bytes.Equal(raw, []byte("[]")) {
		return ""
	}
	return string(raw)
}

// checkBody turns an envelope reporting failure inside a 2xx into an
// *APIError: success needs a 2xx (or "OK") StatusCode when one is present
// and an empty Exception.
func checkBody(_ *http.Response, body []byte) error {
	st, msg, exc, ok := parseEnvelope(body)
	if !ok {
		return nil
	}
	if (st.IsZero() || st.OK()) && exc == "" {
		return nil
	}
	return &httpx.APIError{Code: st.String(), Message: joinMessage(msg, exc)}
}

// decodeError fills Code and Message of a non-2xx reply.
func decodeError(e *httpx.APIError, body []byte) {
	if isCloudflare1015(body) {
		e.Code, e.Message = cloudflareCode, "Cloudflare rate limit (error code: 1015)"
		return
	}
	st, msg, exc, ok := parseEnvelope(body)
	if !ok {
		return
	}
	e.Code, e.Message = st.String(), joinMessage(msg, exc)
}

func joinMessage(msg, exc string) string {
	switch {
	case exc == "" || exc == msg:
		return msg
	case msg == "":
		return "exception: " + exc
	}
	return msg + " (exception: " + exc + ")"
}
