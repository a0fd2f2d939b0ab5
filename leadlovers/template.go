package leadlovers

import (
	"errors"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// renderer is a parsed "fields" value.
type renderer interface {
	Render(*hotmart.Event) string
}

type literal string

func (l literal) Render(*hotmart.Event) string { return string(l) }

// parseTemplate parses a "fields" value. TEMPORARY until
// segment.ParseTemplate lands on main: only literal text is accepted.
func parseTemplate(s string) (renderer, error) {
	if strings.Contains(s, "{{") {
		return nil, errors.New("templates are not supported yet")
	}
	return literal(s), nil
}
