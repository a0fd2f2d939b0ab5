// Package redact scrubs secrets and personal data (e-mails, phones,
// documents, names, credentials) from text, URLs and errors.
package redact

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret or personal value this package removes.
const Redacted = "[REDACTED]"

// sensitiveParams are query parameters whose values are always secrets or
// personal data, whatever the provider.
var sensitiveParams = []string{
	"token", "access_token", "refresh_token", "client_secret", "client_id", "api_key", "apikey",
	"hottok", "password", "email", "subscriber_email", "buyer_email", "participant_email", "phone", "document",
	"name", "buyer_name", "subscriber_name", "first_name", "last_name",
}

var (
	emailPattern  = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	bearerPattern = regexp.MustCompile(`(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+`)
	// Long digit runs are phone numbers or documents in practice; the dotted
	// forms are CPF and CNPJ as Brazilians write them.
	// JSON members that hold a person's name, in the spellings the
	// providers use; their values are replaced wherever a body is echoed.
	namePattern   = regexp.MustCompile(`(?i)("(?:name|first_?name|last_?name|full_?name|buyer_?name|subscriber_?name|lead_?name)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	digitsPattern = regexp.MustCompile(`\+?\d{10,}|\d{3}\.\d{3}\.\d{3}-\d{2}|\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}`)
)

// Redactor scrubs secrets and personal data from strings. The zero value
// scrubs e-mail addresses, bearer/basic credentials, long digit runs and the
// sensitive query parameters; Secrets adds literal values (API tokens, client
// secrets) to remove wherever they appear.
type Redactor struct {
	Secrets []string
}

// String returns s with every secret and personal value replaced.
func (r Redactor) String(s string) string {
	s = r.StripSecrets(s)
	s = redactQueryInText(s)
	s = bearerPattern.ReplaceAllString(s, "$1 "+Redacted)
	s = emailPattern.ReplaceAllString(s, Redacted)
	s = namePattern.ReplaceAllString(s, `$1"`+Redacted+`"`)
	s = digitsPattern.ReplaceAllString(s, Redacted)
	return s
}

// StripSecrets removes only the configured secret values, for text such as
// provider error codes that holds no personal data but may be long numbers.
func (r Redactor) StripSecrets(s string) string {
	for _, sec := range r.Secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Redacted)
			if esc := url.QueryEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, Redacted)
			}
		}
	}
	return s
}

// URL returns u as text with sensitive query values replaced. It never
// returns the user-info part.
func (r Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if isSensitiveParam(k) {
				q[k] = []string{Redacted}
			}
		}
		c.RawQuery = q.Encode()
	}
	return r.String(c.String())
}

// Error returns err with its message redacted. A *url.Error has its URL
// scrubbed in place so that the chain below it stays useful for errors.Is.
func (r Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			ue.URL = r.URL(u)
		} else {
			ue.URL = Redacted
		}
	}
	msg := err.Error()
	clean := r.String(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }

// Unwrap keeps errors.Is(err, context.Canceled) and friends working.
func (e *redactedError) Unwrap() error { return e.err }

func isSensitiveParam(k string) bool {
	k = strings.ToLower(k)
	for _, p := range sensitiveParams {
		if k == p {
			return true
		}
	}
	return false
}

var queryParamPattern = regexp.MustCompile(`([?&;])([A-Za-z_]+)=([^&#\s"']*)`)

// redactQueryInText scrubs name=value pairs of sensitive parameters that
// appear inside free text (URLs embedded in error strings).
func redactQueryInText(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	return queryParamPattern.ReplaceAllStringFunc(s, func(m string) string {
		sub := queryParamPattern.FindStringSubmatch(m)
		if isSensitiveParam(sub[2]) {
			return sub[1] + sub[2] + "=" + Redacted
		}
		return m
	})
}

// Values removes each of vals from s, and each word of three or more
// characters of them, so that a provider echoing only a first name is
// scrubbed too. It is for personal values a call carried (a buyer's
// name), which are short and common and so cannot be secrets of a Redactor.
func Values(s string, vals ...string) string {
	for _, v := range vals {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		s = strings.ReplaceAll(s, v, Redacted)
		for _, w := range strings.Fields(v) {
			if len([]rune(w)) >= 3 {
				s = strings.ReplaceAll(s, w, Redacted)
			}
		}
	}
	return s
}
