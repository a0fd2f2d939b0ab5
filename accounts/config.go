package accounts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/hotmartkit/hotmartkit/segment"
)

// MaxFileSize bounds the accounts file Load reads.
const MaxFileSize = 4 << 20

// MinHottokLength is the shortest hottok Load accepts. Hotmart's own are
// much longer; a short one is a typo or a placeholder.
const MinHottokLength = 8

// Config is a loaded, checked accounts file.
type Config struct {
	// Accounts in file order.
	Accounts []*Account
}

// Account is one Hotmart account: the hottoks that authenticate its
// webhooks, its compiled rules, its providers' credentials and, once the
// host attaches them, the executors and REST client built from those
// credentials.
//
// Load fills everything but Executors and Client. A host attaches those
// before it serves (an Account is not modified afterwards, so it may then be
// shared between goroutines). String, GoString and LogValue never show a
// hottok or a secret.
type Account struct {
	// ID is the account's unique, stable name: letters, digits, "-" and
	// "_". It scopes event ids, dedupe and checkpoints, and appears in
	// synthetic event ids and admin routes, so changing it makes the
	// account's history look new.
	ID string
	// Name is free text for people.
	Name string
	// Hottoks are the tokens that authenticate the account's webhooks
	// (several during a rotation). Secret.
	Hottoks []string
	// RulesFile is the rules file as the accounts file writes it (before
	// ${VAR} expansion, so messages can show it); RulesPath is the expanded
	// path it was read from, resolved against the accounts file's directory.
	RulesFile, RulesPath string
	// Rules are the parsed segmentations; Program is their compiled form.
	Rules   segment.Rules
	Program *segment.Program

	// Provider credentials; nil when the file has no such block.
	Leadlovers *LeadloversCredentials
	SendPulse  *SendPulseCredentials
	// Hotmart holds the REST API credentials; an account without them is
	// not reconciled.
	Hotmart *HotmartCredentials

	// Executors maps a provider name ("leadlovers", "sendpulse") to the
	// executor that runs this account's actions on that provider. The host
	// fills it from the credentials above; this package never calls it.
	Executors map[string]segment.Executor
	// Client is the host's Hotmart REST client for this account (for
	// example a *rest.Client), for its SalesSource to use. This package
	// never calls it.
	Client any
}

// LeadloversCredentials is an account's "leadlovers" block.
type LeadloversCredentials struct {
	Token   string // secret
	BaseURL string // "" = the SDK's default
}

// SendPulseCredentials is an account's "sendpulse" block: either APIKey, or
// ClientID and ClientSecret (OAuth).
type SendPulseCredentials struct {
	APIKey       string // secret
	ClientID     string
	ClientSecret string // secret
	BaseURL      string // "" = the SDK's default
}

// HotmartCredentials is an account's "hotmart" block: the REST API's
// developer credentials.
type HotmartCredentials struct {
	ClientID     string
	ClientSecret string // secret
	// Basic is the ready-made Basic value Hotmart shows with the
	// credentials. When the file omits it, Load fills in
	// base64(client_id:client_secret), which is what Hotmart shows.
	Basic   string // secret
	APIURL  string // "" = the SDK's default
	AuthURL string // "" = the SDK's default
}

// Option configures Load and LoadFile.
type Option func(*options) error

type options struct {
	baseDir     string
	readFile    func(string) ([]byte, error)
	compileOpts []segment.Option
}

// WithBaseDir sets the directory relative rules paths are resolved against.
// LoadFile sets it to the accounts file's directory; Load defaults to the
// working directory.
func WithBaseDir(dir string) Option {
	return func(o *options) error {
		if dir == "" {
			return errors.New("accounts: WithBaseDir: empty directory")
		}
		o.baseDir = dir
		return nil
	}
}

// WithCompileOptions passes options to segment.Compile for every account's
// rules, typically segment.WithProviders(leadlovers.Spec, sendpulse.Spec) so
// actions are checked against the providers that exist.
func WithCompileOptions(opts ...segment.Option) Option {
	return func(o *options) error {
		for _, op := range opts {
			if op == nil {
				return errors.New("accounts: WithCompileOptions: nil option")
			}
		}
		o.compileOpts = append(o.compileOpts, opts...)
		return nil
	}
}

// WithReadFile replaces os.ReadFile for reading rules files (tests, or a
// host that keeps its configuration elsewhere than the file system).
func WithReadFile(read func(path string) ([]byte, error)) Option {
	return func(o *options) error {
		if read == nil {
			return errors.New("accounts: WithReadFile: nil function")
		}
		o.readFile = read
		return nil
	}
}

// LoadFile reads and checks the accounts file at path. Relative rules
// paths are resolved against the file's directory. See Load.
func LoadFile(path string, getenv func(string) (string, bool), opts ...Option) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(err)
	}
	defer f.Close()
	opts = append([]Option{WithBaseDir(filepath.Dir(path))}, opts...)
	return Load(f, getenv, opts...)
}

// Load reads and checks an accounts file:
//
//	{"accounts": [{"id": "acme", "name": "…", "hottok": ["${ACME_HOTTOK}"],
//	  "rules": "rules-acme.json",
//	  "leadlovers": {"token": "${ACME_LL_TOKEN}", "base_url": "…"},
//	  "sendpulse": {"api_key": "…"} or {"client_id": "…", "client_secret": "…", "base_url": "…"},
//	  "hotmart": {"client_id": "…", "client_secret": "…", "basic": "…", "api_url": "…", "auth_url": "…"}}]}
//
// Any string may hold ${NAME} references, whole or embedded, replaced by
// getenv(NAME) (os.LookupEnv when getenv is nil); a variable that is not
// set is an error. Every rules file is parsed and compiled with the options
// given by WithCompileOptions.
//
// Every problem is reported at once, as a *ConfigError holding one
// *Problem per problem, each naming the account and the field; the error
// is returned with a nil Config. Other errors (the options, reading r)
// are returned as they are.
func Load(r io.Reader, getenv func(string) (string, bool), opts ...Option) (*Config, error) {
	o := options{baseDir: ".", readFile: os.ReadFile}
	for _, op := range opts {
		if op == nil {
			return nil, errors.New("accounts: nil Option")
		}
		if err := op(&o); err != nil {
			return nil, err
		}
	}
	if getenv == nil {
		getenv = os.LookupEnv
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, fileError(err)
	}
	if len(data) > MaxFileSize {
		return nil, &ConfigError{Problems: []*Problem{{Index: -1,
			Reason: fmt.Sprintf("larger than %d bytes", MaxFileSize)}}}
	}
	l := loader{opts: &o, getenv: getenv, hottokAt: map[*Account][]int{}}
	cfg := l.load(bytes.TrimSpace(data))
	if err := l.probs.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// fileError reports a file that cannot be read without the operating
// system's wording, which may differ between platforms.
func fileError(err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &ConfigError{Problems: []*Problem{{Index: -1, Reason: "file not found"}}}
	case errors.Is(err, os.ErrPermission):
		return &ConfigError{Problems: []*Problem{{Index: -1, Reason: "permission denied"}}}
	}
	return fmt.Errorf("accounts: reading the accounts file: %w", err)
}

// Registry builds the registry of the loaded accounts.
func (c *Config) Registry() (*Registry, error) { return NewRegistry(c.Accounts...) }
