package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
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

	// Durable mode. db is "memory" for the simple in-request mode.
	db                        string
	workers, maxAttempts      int
	retryMaxDelay, jobTimeout time.Duration
	shutdownTimeout           time.Duration

	// Several accounts: the accounts file replaces the single-account
	// flags; syncInterval 0 turns reconciliation off.
	accountsFile string
	syncInterval time.Duration
}

// singleAccount lists the flags (and their variables) that -accounts
// replaces: giving both is an error.
var singleAccount = []struct{ flag, env string }{
	{"hottok", "HOTMART_HOTTOK"}, {"rules", "RULES_FILE"},
	{"leadlovers-token", "LEADLOVERS_TOKEN"}, {"leadlovers-url", "LEADLOVERS_BASE_URL"},
	{"sendpulse-api-key", "SENDPULSE_API_KEY"}, {"sendpulse-client-id", "SENDPULSE_CLIENT_ID"},
	{"sendpulse-client-secret", "SENDPULSE_CLIENT_SECRET"}, {"sendpulse-url", "SENDPULSE_BASE_URL"},
}

// durable reports whether events are committed to a database and worked
// from it (everything but -db memory; tests' bare configs are memory too).
func (c config) durable() bool { return c.db != "" && c.db != dbMemory }

// envVars are the variables whose presence means served mode.
var envVars = []string{
	"ADDR", "RULES_FILE", "HOTMART_HOTTOK", "ADMIN_TOKEN",
	"LEADLOVERS_TOKEN", "LEADLOVERS_BASE_URL",
	"SENDPULSE_API_KEY", "SENDPULSE_CLIENT_ID", "SENDPULSE_CLIENT_SECRET", "SENDPULSE_BASE_URL",
	"DATABASE_URL", "WORKERS", "MAX_ATTEMPTS", "RETRY_MAX_DELAY", "JOB_TIMEOUT",
	"ACCOUNTS_FILE", "SYNC_INTERVAL",
}

const (
	defaultLeadloversURL = "https://llapi.leadlovers.com/webapi"
	defaultSendpulseURL  = "https://api.sendpulse.com"
	defaultDB            = "sqlite:hotmartkit.db"
	dbMemory             = "memory"
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
	var hottok, workers, maxAttempts, retryMax, jobTimeout, shutdownTimeout, syncInterval string
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
	fs.StringVar(&c.db, "db", env("DATABASE_URL", defaultDB), "sqlite:PATH, postgres://… or memory [DATABASE_URL]")
	fs.StringVar(&workers, "workers", env("WORKERS", "4"), "jobs at once per process [WORKERS]")
	fs.StringVar(&maxAttempts, "max-attempts", env("MAX_ATTEMPTS", "25"), "attempts before an event is dead [MAX_ATTEMPTS]")
	fs.StringVar(&retryMax, "retry-max-delay", env("RETRY_MAX_DELAY", "1h"), "cap on the wait between attempts [RETRY_MAX_DELAY]")
	fs.StringVar(&jobTimeout, "job-timeout", env("JOB_TIMEOUT", "1m"), "one attempt's limit [JOB_TIMEOUT]")
	fs.StringVar(&shutdownTimeout, "shutdown-timeout", "30s", "how long SIGINT/SIGTERM waits for running work")
	fs.StringVar(&c.accountsFile, "accounts", env("ACCOUNTS_FILE", ""), "several Hotmart accounts: JSON accounts file, replaces -hottok, -rules and the provider flags [ACCOUNTS_FILE]")
	fs.StringVar(&syncInterval, "sync-interval", env("SYNC_INTERVAL", "15m"), "how often each account is reconciled with the REST API; 0 = off [SYNC_INTERVAL]")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, problems{"usage: pipeline [-demo] [-serve] [-addr :8080] [-path /hotmart/webhook] [-rules FILE] -hottok TOKEN[,TOKEN] [-admin-token T] [-leadlovers-token T] [-leadlovers-url URL] [-sendpulse-api-key K | -sendpulse-client-id ID -sendpulse-client-secret S] [-sendpulse-url URL] [-db sqlite:PATH|postgres://…|memory] [-workers N] [-max-attempts N] [-retry-max-delay D] [-job-timeout D] [-shutdown-timeout D] [-accounts FILE] [-sync-interval D]"}
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
	var p problems
	c.workers = positiveInt(&p, "-workers [WORKERS]", workers)
	c.maxAttempts = positiveInt(&p, "-max-attempts [MAX_ATTEMPTS]", maxAttempts)
	c.retryMaxDelay = positiveDuration(&p, "-retry-max-delay [RETRY_MAX_DELAY]", retryMax)
	c.jobTimeout = positiveDuration(&p, "-job-timeout [JOB_TIMEOUT]", jobTimeout)
	c.shutdownTimeout = positiveDuration(&p, "-shutdown-timeout", shutdownTimeout)
	if d, err := time.ParseDuration(strings.TrimSpace(syncInterval)); err != nil || d < 0 || (d > 0 && d < time.Second) {
		p.add("-sync-interval [SYNC_INTERVAL]: %q is not a duration of at least 1s, or 0 (e.g. 15m)", syncInterval)
	} else {
		c.syncInterval = d
	}
	if c.demo {
		return c, p
	}
	checkDB(&p, c.db)
	if c.accountsFile != "" {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, s := range singleAccount {
			if set[s.flag] || strings.TrimSpace(getenv(s.env)) != "" {
				p.add("-accounts [ACCOUNTS_FILE]: cannot be combined with -%s [%s]: the accounts file sets it per account", s.flag, s.env)
			}
		}
		if c.db == dbMemory {
			p.add("-accounts [ACCOUNTS_FILE]: needs a database (-db sqlite:PATH or postgres://…), not memory")
		}
	}
	if len(c.hottoks) == 0 && c.accountsFile == "" {
		p.add("-hottok [HOTMART_HOTTOK]: required in served mode")
	}
	if !strings.HasPrefix(c.path, "/") {
		p.add("-path: must start with /")
	}
	if c.path == "/healthz" || c.path == "/deliveries" || c.path == "/events" || strings.HasPrefix(c.path, "/events/") ||
		strings.HasPrefix(c.path, "/segmentations/") || c.path == consolePrefix || strings.HasPrefix(c.path, consolePrefix+"/") {
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

func positiveInt(p *problems, name, raw string) int {
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n <= 0 {
		p.add("%s: %q is not a positive integer", name, raw)
		return 0
	}
	return n
}

func positiveDuration(p *problems, name, raw string) time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(raw))
	if err != nil || d <= 0 {
		p.add("%s: %q is not a positive duration (e.g. 30s, 1m, 1h)", name, raw)
		return 0
	}
	return d
}

// checkDB accepts what durable.Open accepts, and memory; it does not
// connect (that happens at start).
func checkDB(p *problems, raw string) {
	switch {
	case raw == dbMemory:
	case strings.HasPrefix(raw, "sqlite:"):
		if strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//") == "" {
			p.add("-db [DATABASE_URL]: sqlite: needs a file path (sqlite:PATH)")
		}
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		if u, err := url.Parse(raw); err != nil || u.Host == "" {
			p.add("-db [DATABASE_URL]: not a valid postgres:// URL")
		}
	default:
		p.add("-db [DATABASE_URL]: want sqlite:PATH, postgres://…, postgresql://… or memory")
	}
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
