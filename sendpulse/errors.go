package sendpulse

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// APIError is a failure reported by SendPulse: a non-2xx answer, or a 2xx
// whose body says {"result": false}. Code is SendPulse's error_code (e.g.
// "213" book not found, CodeRateBurst) or the OAuth error
// ("invalid_client"). Use errors.As with a *APIError: it matches SendPulse
// errors only. Nothing in it carries a credential, a token or a buyer's
// e-mail, phone, document or name.
type APIError struct {
	StatusCode int           // HTTP status
	Code       string        // SendPulse's error_code or OAuth error
	Message    string        // redacted
	RequestID  string        // request id when a header carried one
	RetryAfter time.Duration // how long SendPulse asked to wait, when it said
	Method     string        // HTTP method of the request
	URL        string        // request URL, redacted
	Body       []byte        // start of the response body, redacted
}

func (e *APIError) Error() string {
	s := "sendpulse: " + e.Method + " " + e.URL + ": HTTP " + strconv.Itoa(e.StatusCode)
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
	Method string // "Deals.Get", "Contacts.Create"…
	Arg    string // the argument or field at fault
	Reason string
}

func (e *ArgumentError) Error() string {
	return "sendpulse: " + e.Method + ": " + e.Arg + " " + e.Reason
}

func argErr(method, arg, reason string) error {
	return &ArgumentError{Method: method, Arg: arg, Reason: reason}
}

// checkID refuses an id that cannot name anything: SendPulse ids are
// positive.
func checkID(method, arg string, id int64) error {
	if id <= 0 {
		return argErr(method, arg, "must be a positive id")
	}
	return nil
}

// Error codes SendPulse documents that callers commonly branch on.
const (
	CodeBookNotFound  = "213"
	CodeEmailNotFound = "17"
	CodeEmailExists   = "19"
	CodeNoEmails      = "303"
	// SendPulse's two ten-digit codes are given names: the redaction every
	// error passes through removes long digit runs (phone numbers).
	CodeRateBurst      = "rate_burst"      // error_code 2020202020: over 10 requests/s
	CodePlanRestricted = "plan_restricted" // error_code 3030303030: tariff plan forbids it
)

// IsNotFound reports whether err is an API answer of 404.
func IsNotFound(err error) bool { return hasStatus(err, http.StatusNotFound) }

// IsUnauthorized reports whether err is an API answer of 401: a wrong or
// revoked credential.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

// IsRateLimited reports whether err is a 429 that outlasted the retries.
func IsRateLimited(err error) bool { return hasStatus(err, http.StatusTooManyRequests) }

func hasStatus(err error, status int) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == status
}

// errorBody is SendPulse's error envelope {message, error_code}, plus the
// OAuth endpoint's {error, error_description}. error_code is a number in
// practice; a string is accepted too.
type errorBody struct {
	Message          string          `json:"message"`
	ErrorCode        json.RawMessage `json:"error_code"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Result           *bool           `json:"result"`
	Success          *bool           `json:"success"`
}

func decodeError(e *httpx.APIError, body []byte) {
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		return
	}
	e.Message = b.Message
	if e.Message == "" {
		e.Message = b.ErrorDescription
	}
	if c := strings.Trim(string(b.ErrorCode), `" `); c != "" && c != "null" {
		e.Code = c
		switch c {
		case "2020202020":
			e.Code = CodeRateBurst
		case "3030303030":
			e.Code = CodePlanRestricted
		}
	} else {
		e.Code = b.Error
	}
}

// checkBody fails 2xx answers whose body reports failure: the Bulk Email
// endpoints answer {"result": false} and legacy ones {"success": false}.
func checkBody(resp *http.Response, body []byte) error {
	if !bytes.Contains(body, []byte("false")) {
		return nil
	}
	var b errorBody
	if json.Unmarshal(body, &b) != nil {
		return nil // not an object; the caller's decoder will complain if it matters
	}
	if (b.Result != nil && !*b.Result) || (b.Success != nil && !*b.Success) {
		e := &httpx.APIError{StatusCode: resp.StatusCode}
		decodeError(e, body)
		if e.Message == "" {
			e.Message = "request reported failure"
		}
		return e
	}
	return nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
