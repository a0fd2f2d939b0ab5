package accounts

import (
	"fmt"
	"log/slog"
	"strings"
)

// The String, GoString and LogValue methods below exist so that printing or
// logging a configuration, by accident or on purpose, shows its shape and
// never a hottok or a secret.

// String lists the account ids.
func (c Config) String() string {
	return fmt.Sprintf("accounts.Config{Accounts:[%s]}", strings.Join(c.ids(), " "))
}

func (c Config) ids() []string {
	ids := make([]string, len(c.Accounts))
	for i, a := range c.Accounts {
		if a != nil {
			ids[i] = a.ID
		}
	}
	return ids
}

// GoString is String.
func (c Config) GoString() string { return c.String() }

// LogValue logs the account ids.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("accounts", c.ids()))
}

// String describes the account without secrets: its id, name, how many
// hottoks, its rules file and which providers it has credentials for.
func (a Account) String() string {
	return fmt.Sprintf("accounts.Account{ID:%q Name:%q Hottoks:%d Rules:%q Segmentations:%d Leadlovers:%t SendPulse:%s Hotmart:%t}",
		a.ID, a.Name, len(a.Hottoks), a.RulesFile, len(a.Rules.Segmentations),
		a.Leadlovers != nil, a.SendPulse.mode(), a.Hotmart != nil)
}

// GoString is String, so %#v shows no secret either.
func (a Account) GoString() string { return a.String() }

// LogValue logs the account's id and name only.
func (a Account) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", a.ID), slog.String("name", a.Name))
}

// String shows the base URL and whether the token is set.
func (c LeadloversCredentials) String() string {
	return fmt.Sprintf("accounts.LeadloversCredentials{Token:%s BaseURL:%q}", redacted(c.Token), c.BaseURL)
}

// GoString is String.
func (c LeadloversCredentials) GoString() string { return c.String() }

// LogValue is String.
func (c LeadloversCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

func (c *SendPulseCredentials) mode() string {
	switch {
	case c == nil:
		return "none"
	case c.APIKey != "":
		return "api_key"
	default:
		return "oauth"
	}
}

// String shows the mode (api_key or oauth), the client id and base URL.
func (c SendPulseCredentials) String() string {
	return fmt.Sprintf("accounts.SendPulseCredentials{Mode:%s ClientID:%q APIKey:%s ClientSecret:%s BaseURL:%q}",
		c.mode(), c.ClientID, redacted(c.APIKey), redacted(c.ClientSecret), c.BaseURL)
}

// GoString is String.
func (c SendPulseCredentials) GoString() string { return c.String() }

// LogValue is String.
func (c SendPulseCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// String shows the client id and URLs.
func (c HotmartCredentials) String() string {
	return fmt.Sprintf("accounts.HotmartCredentials{ClientID:%q ClientSecret:%s Basic:%s APIURL:%q AuthURL:%q}",
		c.ClientID, redacted(c.ClientSecret), redacted(c.Basic), c.APIURL, c.AuthURL)
}

// GoString is String.
func (c HotmartCredentials) GoString() string { return c.String() }

// LogValue is String.
func (c HotmartCredentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

func redacted(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}
