package leadlovers

import (
	"fmt"
	"log/slog"
)

// Credentials carry the account's API token: the personal token shown in
// leadlovers' API settings page.
//
// Formatting Credentials (%v, %+v, %#v) or logging them with slog never
// shows the token.
type Credentials struct {
	Token string
}

func mark(s string) string {
	if s == "" {
		return `""`
	}
	return "[REDACTED]"
}

// logMark is mark for slog, which quotes by itself.
func logMark(s string) string {
	if s == "" {
		return ""
	}
	return "[REDACTED]"
}

// String hides the token.
func (c Credentials) String() string { return "leadlovers.Credentials{Token: " + mark(c.Token) + "}" }

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue hides the token from slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("token", logMark(c.Token)))
}

// String describes the client without its token.
func (c Client) String() string {
	return fmt.Sprintf("leadlovers.Client{base: %s, rate: %g/s}", c.base, c.limiter.Rate())
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// LogValue describes the client to slog without its token.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base", c.base), slog.Float64("rate", c.limiter.Rate()))
}
