package main

import (
	"cmp"
	"net/url"

	"github.com/hotmartkit/hotmartkit/sendpulse"
)

// config is read from the environment only.
type config struct {
	demo     bool
	addr     string
	hottok   string
	pipeline string // name; "" for the account's first pipeline

	apiKey, clientID, clientSecret string
	baseURL                        string
}

// readConfig returns the configuration and one line per problem. With
// neither a hottok nor SendPulse credentials it chooses the demo.
func readConfig(getenv func(string) string) (config, []string) {
	c := config{
		addr:         cmp.Or(getenv("ADDR"), ":8080"),
		hottok:       getenv("HOTMART_HOTTOK"),
		pipeline:     getenv("SENDPULSE_PIPELINE"),
		apiKey:       getenv("SENDPULSE_API_KEY"),
		clientID:     getenv("SENDPULSE_CLIENT_ID"),
		clientSecret: getenv("SENDPULSE_CLIENT_SECRET"),
		baseURL:      cmp.Or(getenv("SENDPULSE_BASE_URL"), sendpulse.DefaultBaseURL),
	}
	if c.hottok == "" && c.apiKey == "" && c.clientID == "" && c.clientSecret == "" {
		c.demo = true
		return c, nil
	}
	var problems []string
	if c.hottok == "" {
		problems = append(problems, "HOTMART_HOTTOK: required to serve")
	}
	switch {
	case c.apiKey != "" && (c.clientID != "" || c.clientSecret != ""):
		problems = append(problems, "SENDPULSE_API_KEY: give either it or SENDPULSE_CLIENT_ID and SENDPULSE_CLIENT_SECRET, not both")
	case c.apiKey == "" && c.clientID == "" && c.clientSecret == "":
		problems = append(problems, "SENDPULSE_API_KEY (or SENDPULSE_CLIENT_ID and SENDPULSE_CLIENT_SECRET): required to serve")
	case c.apiKey == "" && c.clientSecret == "":
		problems = append(problems, "SENDPULSE_CLIENT_SECRET: required with SENDPULSE_CLIENT_ID")
	case c.apiKey == "" && c.clientID == "":
		problems = append(problems, "SENDPULSE_CLIENT_ID: required with SENDPULSE_CLIENT_SECRET")
	}
	if u, err := url.Parse(c.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, "SENDPULSE_BASE_URL: not an http(s) URL")
	}
	return c, problems
}

// creds are the SendPulse credentials the configuration names.
func (c config) creds() sendpulse.Credentials {
	if c.apiKey != "" {
		return sendpulse.Credentials{APIKey: c.apiKey}
	}
	return sendpulse.Credentials{ClientID: c.clientID, ClientSecret: c.clientSecret}
}
