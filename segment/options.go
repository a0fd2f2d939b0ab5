package segment

import (
	"errors"
	"fmt"
	"strings"
)

// Option configures Compile.
type Option func(*options) error

type options struct {
	providers    map[string]Provider
	allowUnknown bool
}

// WithProviders tells Compile which providers exist, so it can check each
// rule's action (provider name, command, parameters) and keep the
// provider's compiled parameters for Match.Params. Typically
// WithProviders(leadlovers.Spec, sendpulse.Spec).
func WithProviders(ps ...Provider) Option {
	return func(o *options) error {
		for _, p := range ps {
			if p == nil {
				return errors.New("segment: WithProviders: nil provider")
			}
			name := p.Name()
			if strings.TrimSpace(name) == "" {
				return errors.New("segment: WithProviders: provider with an empty name")
			}
			if _, dup := o.providers[name]; dup {
				return fmt.Errorf("segment: WithProviders: provider %q given twice", name)
			}
			if o.providers == nil {
				o.providers = make(map[string]Provider)
			}
			o.providers[name] = p
		}
		return nil
	}
}

// AllowUnknownProviders makes Compile accept actions whose provider was not
// given to WithProviders; their Match.Params is nil and their parameters are
// not checked. Without it such an action is a compile error.
func AllowUnknownProviders() Option {
	return func(o *options) error {
		o.allowUnknown = true
		return nil
	}
}
