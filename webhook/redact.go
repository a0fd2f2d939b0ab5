package webhook

import (
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Redaction of error text before it reaches the history or the log. Errors
// come from the host's processor and the providers it calls, whose APIs like
// to echo the lead they refused; so besides the values known to be secret or
// personal (the hottoks, the event's buyer e-mail, phone and document), any
// e-mail address and any standalone run of 9 or more digits (documents,
// phone numbers, with or without punctuation) is masked.

const (
	maskHottok = "[hottok]"
	maskPII    = "[redacted]"
	maskEmail  = "[email]"
	maskNumber = "[number]"
	minDigits  = 9
)

func redact(s string, tokens []string, e *hotmart.Event) string {
	if s == "" {
		return s
	}
	for _, t := range tokens {
		// A short token would match inside ordinary words and shred the
		// text; WithHottok refuses them, and this guards any other path.
		if len(t) >= MinHottokLength && strings.Contains(s, t) {
			s = strings.ReplaceAll(s, t, maskHottok)
		}
	}
	if e != nil {
		b := e.Buyer()
		for _, v := range [...]string{b.Email, b.Document, b.Phone.String(), b.Phone.AreaCode + b.Phone.Number, b.Phone.Number} {
			if len(v) >= 4 && strings.Contains(s, v) {
				s = strings.ReplaceAll(s, v, maskPII)
			}
		}
	}
	return maskNumbers(maskEmails(s))
}

func isLocalChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("._%+-", c) >= 0
}

func isDomainChar(c byte) bool { return isAlnum(c) || c == '.' || c == '-' }

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func maskEmails(s string) string {
	if strings.IndexByte(s, '@') < 0 {
		return s
	}
	var out strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '@' {
			continue
		}
		l := i
		for l > last && isLocalChar(s[l-1]) {
			l--
		}
		r := i + 1
		for r < len(s) && isDomainChar(s[r]) {
			r++
		}
		for r > i+1 && (s[r-1] == '.' || s[r-1] == '-') {
			r-- // sentence punctuation, not part of the domain
		}
		if l == i || r == i+1 {
			continue
		}
		out.WriteString(s[last:l])
		out.WriteString(maskEmail)
		last = r
		i = r - 1
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// maskNumbers masks runs of digits and the punctuation that formats
// documents and phones (". - / ( ) space +") holding at least minDigits
// digits, when the run is not glued to a letter (so "HP16015479281022", a
// transaction code, stays).
func maskNumbers(s string) string {
	var out strings.Builder
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) && s[i] != '+' && s[i] != '(' {
			i++
			continue
		}
		start := i
		digits, end := 0, i
		for j := i; j < len(s); j++ {
			c := s[j]
			if isDigit(c) {
				digits++
				end = j + 1
				continue
			}
			if strings.IndexByte(".-/() +", c) < 0 {
				break
			}
		}
		glued := (start > 0 && isAlnum(s[start-1])) || (end < len(s) && isAlnum(s[end]))
		if digits >= minDigits && !glued {
			out.WriteString(s[last:start])
			out.WriteString(maskNumber)
			last = end
		}
		if end > i {
			i = end
		} else {
			i++
		}
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}
