package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"
)

// config is the program's configuration: flags, each with an environment
// variable as fallback (the flag wins when both are given).
type config struct {
	demo  bool
	serve bool // with demo: keep serving the console after the trace

	addr, path string
	rulesFile  string
	hottoks    []string
	adminToken string

	leadloversToken, leadloversURL                string
	sendpulseAPIKey, sendpulseID, sendpulseSecret string
	sendpulseURL                                  string
}

// envVars are the variables whose presence means served mode.
var envVars = []string{
	"ADDR", "RULES_FILE", "HOTMART_HOTTOK", "ADMIN_TOKEN",
	"LEADLOVERS_TOKEN", "LEADLOVERS_BASE_URL",
	"SENDPULSE_API_KEY", "SENDPULSE_CLIENT_ID", "SENDPULSE_CLIENT_SECRET", "SENDPULSE_BASE_URL",
}

const (
	defaultLeadloversURL = "https://llapi.leadlovers.com/webapi"
	defaultSendpulseURL  = "https://api.sendpulse.com"
)

// problems collects configuration errors, one line each.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// parseConfig reads flags and environment. A flag syntax error is returned
// as a single problem.
func parseConfig(args []string, getenv func(string) string) (config, problems) {
	var c config
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	env := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	var hottok string
	fs.BoolVar(&c.demo, "demo", false, "run the self-contained demo")
	fs.BoolVar(&c.serve, "serve", false, "run the demo (implies -demo), then keep serving its operator console until Ctrl-C")
	fs.StringVar(&c.addr, "addr", env("ADDR", ":8080"), "listen address [ADDR]")
	fs.StringVar(&c.path, "path", "/hotmart/webhook", "webhook route")
	fs.StringVar(&c.rulesFile, "rules", env("RULES_FILE", ""), "segmentation rules file [RULES_FILE]")
	fs.StringVar(&hottok, "hottok", env("HOTMART_HOTTOK", ""), "accepted hottok(s), comma-separated [HOTMART_HOTTOK]")
	fs.StringVar(&c.adminToken, "admin-token", env("ADMIN_TOKEN", ""), "bearer token of the admin routes [ADMIN_TOKEN]")
	fs.StringVar(&c.leadloversToken, "leadlovers-token", env("LEADLOVERS_TOKEN", ""), "leadlovers API token [LEADLOVERS_TOKEN]")
	fs.StringVar(&c.leadloversURL, "leadlovers-url", env("LEADLOVERS_BASE_URL", defaultLeadloversURL), "leadlovers API base [LEADLOVERS_BASE_URL]")
	fs.StringVar(&c.sendpulseAPIKey, "sendpulse-api-key", env("SENDPULSE_API_KEY", ""), "SendPulse API key [SENDPULSE_API_KEY]")
	fs.StringVar(&c.sendpulseID, "sendpulse-client-id", env("SENDPULSE_CLIENT_ID", ""), "SendPulse OAuth client id [SENDPULSE_CLIENT_ID]")
	fs.StringVar(&c.sendpulseSecret, "sendpulse-client-secret", env("SENDPULSE_CLIENT_SECRET", ""), "SendPulse OAuth client secret [SENDPULSE_CLIENT_SECRET]")
	fs.StringVar(&c.sendpulseURL, "sendpulse-url", env("SENDPULSE_BASE_URL", defaultSendpulseURL), "SendPulse API root [SENDPULSE_BASE_URL]")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, problems{"usage: pipeline [-demo] [-serve] [-addr :8080] [-path /hotmart/webhook] [-rules FILE] -hottok TOKEN[,TOKEN] [-admin-token T] [-leadlovers-token T] [-leadlovers-url URL] [-sendpulse-api-key K | -sendpulse-client-id ID -sendpulse-client-secret S] [-sendpulse-url URL]"}
		}
		return c, problems{err.Error()}
	}
	if fs.NArg() > 0 {
		return c, problems{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	for _, t := range strings.Split(hottok, ",") {
		if t = strings.TrimSpace(t); t != "" {
			c.hottoks = append(c.hottoks, t)
		}
	}
	if !c.demo && len(args) == 0 {
		c.demo = true
		for _, v := range envVars {
			if getenv(v) != "" {
				c.demo = false
				break
			}
		}
	}
	if c.serve {
		c.demo = true // -serve is the demo kept running: it implies -demo
	}
	if c.demo {
		return c, nil
	}

	var p problems
	if len(c.hottoks) == 0 {
		p.add("-hottok [HOTMART_HOTTOK]: required in served mode")
	}
	if !strings.HasPrefix(c.path, "/") {
		p.add("-path: must start with /")
	}
	if c.path == "/healthz" || c.path == "/deliveries" || strings.HasPrefix(c.path, "/segmentations/") ||
		c.path == consolePrefix || strings.HasPrefix(c.path, consolePrefix+"/") {
		p.add("-path: %s is taken by another route", c.path)
	}
	checkURL(&p, "-leadlovers-url [LEADLOVERS_BASE_URL]", c.leadloversURL)
	checkURL(&p, "-sendpulse-url [SENDPULSE_BASE_URL]", c.sendpulseURL)
	switch {
	case c.sendpulseAPIKey != "" && (c.sendpulseID != "" || c.sendpulseSecret != ""):
		p.add("-sendpulse-api-key [SENDPULSE_API_KEY]: give either an API key or a client id and secret, not both")
	case c.sendpulseID != "" && c.sendpulseSecret == "":
		p.add("-sendpulse-client-secret [SENDPULSE_CLIENT_SECRET]: required with -sendpulse-client-id")
	case c.sendpulseSecret != "" && c.sendpulseID == "":
		p.add("-sendpulse-client-id [SENDPULSE_CLIENT_ID]: required with -sendpulse-client-secret")
	}
	return c, p
}

func checkURL(p *problems, name, raw string) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add("%s: not an http(s) URL", name)
	}
}

func (c config) hasLeadlovers() bool { return c.leadloversToken != "" }
func (c config) hasSendpulse() bool {
	return c.sendpulseAPIKey != "" || (c.sendpulseID != "" && c.sendpulseSecret != "")
}
