package rest

import (
	"fmt"
	"log/slog"
	"strings"
)

// Credentials are a Hotmart developer credential: the client id, client
// secret and the ready-made Basic value shown next to them in Hotmart's
// Developer Credentials page. All three are required.
//
// Formatting a Credentials (%v, %+v, %#v) or logging it with slog shows
// the client id only, never the secret or the Basic value.
type Credentials struct {
	ClientID     string
	ClientSecret string
	Basic        string
}

func (c Credentials) check() error {
	var missing []string
	for _, f := range []struct{ name, v string }{{"ClientID", c.ClientID}, {"ClientSecret", c.ClientSecret}, {"Basic", c.Basic}} {
		if strings.TrimSpace(f.v) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return &ArgumentError{Method: "NewClient", Arg: "Credentials." + strings.Join(missing, ", "), Reason: "is required"}
	}
	return nil
}

func secretMark(s string) string {
	if s == "" {
		return `""`
	}
	return "[REDACTED]"
}

// logMark is secretMark for slog, which quotes by itself.
func logMark(s string) string {
	if s == "" {
		return ""
	}
	return "[REDACTED]"
}

// String shows the client id and hides the secrets.
func (c Credentials) String() string {
	return fmt.Sprintf("rest.Credentials{ClientID: %q, ClientSecret: %s, Basic: %s}", c.ClientID, secretMark(c.ClientSecret), secretMark(c.Basic))
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue hides the secrets from slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID),
		slog.String("client_secret", logMark(c.ClientSecret)), slog.String("basic", logMark(c.Basic)))
}

// String describes the client without any secret: its environment and
// API host.
func (c Client) String() string {
	return fmt.Sprintf("rest.Client{env: %s, api: %s}", c.env, c.baseURL.Redacted())
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// LogValue describes the client to slog without any secret.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("env", c.env.String()), slog.String("api", c.baseURL.Redacted()))
}
