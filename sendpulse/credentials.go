package sendpulse

import (
	"fmt"
	"log/slog"
	"strings"
)

// Credentials authenticate a client: either APIKey (account settings →
// API → API keys), or ClientID and ClientSecret (the REST API "ID" and
// "Secret"), whose OAuth tokens are fetched from <base URL>/oauth/access_token,
// cached and replaced before they expire. Exactly one of the two forms.
//
// Formatting Credentials (%v, %+v, %#v) or logging them with slog shows
// the client id only, never the key or the secret.
type Credentials struct {
	APIKey       string
	ClientID     string
	ClientSecret string
}

func (c Credentials) check() error {
	key, id, secret := strings.TrimSpace(c.APIKey) != "", strings.TrimSpace(c.ClientID) != "", strings.TrimSpace(c.ClientSecret) != ""
	switch {
	case key && (id || secret):
		return &ArgumentError{Method: "NewClient", Arg: "Credentials", Reason: "must hold an APIKey or a ClientID and ClientSecret, not both"}
	case key:
		return nil
	case id && !secret:
		return &ArgumentError{Method: "NewClient", Arg: "Credentials.ClientSecret", Reason: "is required with a ClientID"}
	case secret && !id:
		return &ArgumentError{Method: "NewClient", Arg: "Credentials.ClientID", Reason: "is required with a ClientSecret"}
	case !id:
		return &ArgumentError{Method: "NewClient", Arg: "Credentials", Reason: "is empty: give an APIKey or a ClientID and ClientSecret"}
	}
	return nil
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

// String shows the client id and hides the key and the secret.
func (c Credentials) String() string {
	return fmt.Sprintf("sendpulse.Credentials{APIKey: %s, ClientID: %q, ClientSecret: %s}", mark(c.APIKey), c.ClientID, mark(c.ClientSecret))
}

// GoString is String, for %#v.
func (c Credentials) GoString() string { return c.String() }

// LogValue hides the key and the secret from slog.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("api_key", logMark(c.APIKey)), slog.String("client_id", c.ClientID),
		slog.String("client_secret", logMark(c.ClientSecret)))
}

func (c Client) authKind() string {
	if c.oauth {
		return "oauth"
	}
	return "api key"
}

// String describes the client without any credential or token.
func (c Client) String() string {
	return fmt.Sprintf("sendpulse.Client{base: %s, auth: %s, rate: %g/s}", c.base, c.authKind(), c.limiter.Rate())
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// LogValue describes the client to slog without any credential or token.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base", c.base), slog.String("auth", c.authKind()), slog.Float64("rate", c.limiter.Rate()))
}
