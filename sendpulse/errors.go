package sendpulse

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// APIError is a failure reported by SendPulse: a non-2xx answer, or a 2xx
// whose body says {"result": false}. Code is SendPulse's error_code (e.g.
// "213" book not found, "2020202020" too many requests) or the OAuth error
// ("invalid_client"). Use errors.As with a *APIError.
type APIError = httpx.APIError

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

func decodeError(e *APIError, body []byte) {
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
		e := &APIError{StatusCode: resp.StatusCode}
		decodeError(e, body)
		if e.Message == "" {
			e.Message = "request reported failure"
		}
		return e
	}
	return nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
