package sendpulse

import "github.com/hotmartkit/hotmartkit/hotmart"

// renderer is what the executor needs of a compiled template.
type renderer interface {
	Render(*hotmart.Event) string
}

// literal is a template without references.
type literal string

func (l literal) Render(*hotmart.Event) string { return string(l) }

// parseTemplate compiles a template parameter.
// TODO(templates): switch to segment.ParseTemplate when it lands on main.
func parseTemplate(s string) (renderer, error) { return literal(s), nil }
