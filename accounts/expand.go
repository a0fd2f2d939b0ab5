package accounts

import (
	"strings"
)

// expand replaces every ${NAME} in s with the variable's value. It returns
// a reason (never containing a value) when a reference is malformed or names
// a variable that is not set. A "$" not followed by "{" is kept as is, so
// literal dollars need no escaping.
func expand(s string, getenv func(string) (string, bool)) (string, string) {
	if !strings.Contains(s, "${") {
		return s, ""
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), ""
		}
		b.WriteString(s[:i])
		rest := s[i+2:]
		j := strings.IndexByte(rest, '}')
		if j < 0 {
			return "", "unterminated ${ (want ${NAME})"
		}
		name := rest[:j]
		if !validVarName(name) {
			return "", "malformed variable reference (want ${NAME} with letters, digits and _)"
		}
		v, ok := getenv(name)
		if !ok {
			return "", "${" + name + "} is not set"
		}
		b.WriteString(v)
		s = rest[j+1:]
	}
}

func validVarName(name string) bool {
	if name == "" || len(name) > 128 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
