package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/segment"
)

// secretMarker is every environment variable's value while fuzzing. It
// holds characters an account id cannot, so no id or label can spell it:
// if it shows in an error, a value leaked.
const secretMarker = "s3cr3t!value"

// FuzzLoad: any file either loads into a registry or fails with a
// *ConfigError whose lines are single lines that never show an
// environment value; it never panics.
func FuzzLoad(f *testing.F) {
	f.Add(validFile)
	f.Add(`{"accounts": [{"id": "a", "hottok": ["${X}", "${X}"], "rules": "r.json"}]}`)
	f.Add(`{"accounts": [{"id": "a", "hottok": "${X}", "rules": "${R}", "sendpulse": {"api_key": "${K}"}}]}`)
	f.Add(`{"accounts": [{"id": "${X}", "hottok": ["${"], "rules": 1, "hotmart": {"api_url": "${X}"}}]}`)
	f.Add(`{"accounts": [null, [], {}, {"id": "a", "leadlovers": null, "hottok": [null]}]}`)
	f.Add(`{"accounts": {}}`)
	f.Add(`[]`)
	f.Add(``)
	fsys := files{"/cfg/r.json": plainRules, "/cfg/rules-acme.json": goodRules, "/abs/rules-beta.json": sendpulseRules}
	getenv := func(name string) (string, bool) { return secretMarker, name != "UNSET" }
	f.Fuzz(func(t *testing.T, file string) {
		cfg, err := accounts.Load(strings.NewReader(file), getenv,
			accounts.WithBaseDir("/cfg"), accounts.WithReadFile(fsys.read),
			accounts.WithCompileOptions(segment.AllowUnknownProviders()))
		if err == nil {
			if _, err := cfg.Registry(); err != nil {
				t.Fatalf("a loaded config does not make a registry: %v", err)
			}
			return
		}
		var ce *accounts.ConfigError
		if !errors.As(err, &ce) || len(ce.Problems) == 0 {
			t.Fatalf("error %T is not a *ConfigError: %v", err, err)
		}
		for _, line := range ce.Lines() {
			if strings.Contains(line, "\n") {
				t.Fatalf("problem spans lines: %q", line)
			}
			if strings.Contains(line, secretMarker) && !strings.Contains(file, secretMarker) {
				t.Fatalf("problem shows an environment value: %q", line)
			}
		}
	})
}
