package accounts_test

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/segment"
)

const validFile = `{"accounts": [
  {"id": "acme", "name": "Acme Cursos", "hottok": ["${ACME_HOTTOK}", "acme-old-hottok-1"],
   "rules": "rules-acme.json",
   "leadlovers": {"token": "${ACME_LL}", "base_url": "https://ll.example/webapi"},
   "sendpulse": {"client_id": "sp-id", "client_secret": "${ACME_SP_SECRET}"},
   "hotmart": {"client_id": "hm-id", "client_secret": "pre-${ACME_HM_SECRET}-post", "api_url": "https://sandbox.example"}},
  {"id": "beta", "hottok": "beta-hottok-0001", "rules": "/abs/rules-beta.json",
   "sendpulse": {"api_key": "${BETA_SP_KEY}"}}
]}`

var validEnv = env{
	"ACME_HOTTOK":    "acme-hottok-SECRET-1",
	"ACME_LL":        "ll-token-SECRET-2",
	"ACME_SP_SECRET": "sp-secret-SECRET-3",
	"ACME_HM_SECRET": "hm-secret-SECRET-4",
	"BETA_SP_KEY":    "sp-key-SECRET-5",
}

// plainRules name a provider no credentials block covers.
const plainRules = `{"segmentations": [{"id": "log", "active": true, "events": ["PURCHASE_APPROVED"],
  "action": {"provider": "log", "command": "print"}}]}`

const sendpulseRules = `{"segmentations": [{"id": "deal", "active": true, "events": ["PURCHASE_APPROVED"],
  "action": {"provider": "sendpulse", "command": "upsert_deal", "pipeline": 1}}]}`

var validFiles = files{
	"/cfg/rules-acme.json": goodRules,
	"/abs/rules-beta.json": sendpulseRules,
}

func TestLoadValid(t *testing.T) {
	cfg, err := load(t, validFile, validFiles, validEnv)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Accounts) != 2 {
		t.Fatalf("accounts = %d, want 2", len(cfg.Accounts))
	}
	acme, beta := cfg.Accounts[0], cfg.Accounts[1]
	if acme.ID != "acme" || acme.Name != "Acme Cursos" || beta.ID != "beta" {
		t.Errorf("ids/names = %q %q %q", acme.ID, acme.Name, beta.ID)
	}
	if got := strings.Join(acme.Hottoks, ","); got != "acme-hottok-SECRET-1,acme-old-hottok-1" {
		t.Errorf("acme hottoks = %q", got)
	}
	if got := strings.Join(beta.Hottoks, ","); got != "beta-hottok-0001" {
		t.Errorf("beta hottoks (a plain string is one token) = %q", got)
	}
	if acme.RulesFile != "rules-acme.json" || acme.RulesPath != filepath.Join("/cfg", "rules-acme.json") {
		t.Errorf("acme rules = %q at %q", acme.RulesFile, acme.RulesPath)
	}
	if beta.RulesPath != "/abs/rules-beta.json" {
		t.Errorf("an absolute rules path moved: %q", beta.RulesPath)
	}
	if acme.Program == nil || acme.Program.Len() != 4 || beta.Program == nil || beta.Program.Len() != 1 {
		t.Errorf("programs not compiled")
	}
	if acme.Leadlovers == nil || acme.Leadlovers.Token != "ll-token-SECRET-2" || acme.Leadlovers.BaseURL != "https://ll.example/webapi" {
		t.Errorf("acme leadlovers = %+v", acme.Leadlovers)
	}
	if sp := acme.SendPulse; sp == nil || sp.ClientID != "sp-id" || sp.ClientSecret != "sp-secret-SECRET-3" || sp.APIKey != "" {
		t.Errorf("acme sendpulse = %v", acme.SendPulse)
	}
	hm := acme.Hotmart
	if hm == nil || hm.ClientSecret != "pre-hm-secret-SECRET-4-post" || hm.APIURL != "https://sandbox.example" {
		t.Fatalf("acme hotmart = %v (embedded ${VAR} must expand)", hm)
	}
	if hm.Basic != "aG0taWQ6cHJlLWhtLXNlY3JldC1TRUNSRVQtNC1wb3N0" { // base64("hm-id:pre-hm-secret-SECRET-4-post")
		t.Errorf("derived basic = %q", hm.Basic)
	}
	if beta.Hotmart != nil || beta.Leadlovers != nil || beta.SendPulse == nil || beta.SendPulse.APIKey != "sp-key-SECRET-5" {
		t.Errorf("beta credentials wrong: %v", beta)
	}
	reg, err := cfg.Registry()
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := reg.ByHottok("acme-old-hottok-1"); !ok || a != acme {
		t.Errorf("registry from config does not resolve acme's second hottok")
	}
}

// TestLoadProblems: each broken file gives exactly the listed lines, each
// naming the account and the field.
func TestLoadProblems(t *testing.T) {
	acme := func(extra string) string {
		if !strings.Contains(extra, "leadlovers") {
			extra += `, "leadlovers": {"token": "ll-token"}`
		}
		return `{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "rules-acme.json"` + extra + `}`
	}
	file := func(accts ...string) string { return `{"accounts": [` + strings.Join(accts, ",") + `]}` }
	fsys := files{
		"/cfg/rules-acme.json": goodRules,
		"/cfg/bad-field.json": `{"segmentations": [{"id": "x", "active": true, "events": ["PURCHASE_APPROVED"],
			"conditions": [{"field": "purchase.nope", "op": "eq", "value": 1}],
			"action": {"provider": "leadlovers", "command": "add_lead"}}]}`,
		"/cfg/not-json.json":  `{"segmentations": [`,
		"/cfg/sendpulse.json": sendpulseRules,
		"/cfg/plain.json":     plainRules,
	}
	tests := []struct {
		name string
		file string
		env  env
		want []string // exact lines; a trailing "…" means prefix
	}{
		{"duplicate hottok",
			file(acme(""), `{"id": "beta", "hottok": ["x", "${SHARED}"], "rules": "plain.json"}`),
			env{"SHARED": "acme-hottok-1"},
			[]string{
				"accounts[beta].hottok[0]: shorter than 8 characters",
				"accounts[beta].hottok[1]: same hottok as accounts[acme].hottok[0]: a hottok must identify one account",
			}},
		{"duplicate hottok within one account",
			file(`{"id": "acme", "hottok": ["acme-hottok-1", "acme-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok[1]: same hottok as hottok[0]"}},
		{"missing variable",
			file(acme(`, "sendpulse": {"client_id": "id", "client_secret": "${SP_SECRET}"}`)), nil,
			[]string{"accounts[acme].sendpulse.client_secret: ${SP_SECRET} is not set"}},
		{"missing variable in the id names the position",
			file(`{"id": "${ID}", "hottok": ["acme-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{"accounts[0].id: ${ID} is not set"}},
		{"malformed reference",
			file(acme(`, "leadlovers": {"token": "${LL"}`)), nil,
			[]string{"accounts[acme].leadlovers.token: unterminated ${ (want ${NAME})"}},
		{"bad variable name",
			file(acme(`, "leadlovers": {"token": "${1X}"}`)), nil,
			[]string{"accounts[acme].leadlovers.token: malformed variable reference (want ${NAME} with letters, digits and _)"}},
		{"secret pasted with its newline",
			file(acme(`, "leadlovers": {"token": "${LL}"}`)), env{"LL": "token-value\n"},
			[]string{"accounts[acme].leadlovers.token: has surrounding white space"}},
		{"rules that do not compile",
			file(`{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "bad-field.json"}`), nil,
			[]string{`accounts[acme].rules: bad-field.json: segmentations[0] (id "x"): conditions[0].field: …`}},
		{"rules that do not parse",
			file(`{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "not-json.json"}`), nil,
			[]string{"accounts[acme].rules: not-json.json: …"}},
		{"rules file missing",
			file(`{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "gone.json"}`), nil,
			[]string{"accounts[acme].rules: gone.json: file not found"}},
		{"rules naming a provider without credentials",
			file(`{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "sendpulse.json"}`), nil,
			[]string{`accounts[acme].rules: sendpulse.json: segmentations[0] (id "deal"): action.provider: the account has no "sendpulse" credentials`}},
		{"unknown account field",
			file(acme(`, "colour": "red"`)), nil,
			[]string{"accounts[acme].colour: unknown field (want one of id, name, hottok, rules, leadlovers, sendpulse, hotmart)"}},
		{"unknown credentials field",
			file(acme(`, "leadlovers": {"token": "t", "url": "https://x"}`)), nil,
			[]string{"accounts[acme].leadlovers.url: unknown field (want one of token, base_url)"}},
		{"duplicate id",
			file(acme(""), `{"id": "acme", "hottok": ["beta-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{`accounts[acme].id: duplicate id: accounts[0] and accounts[1] are both "acme"`}},
		{"id with a colon",
			file(`{"id": "a:b", "hottok": ["acme-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{"accounts[0].id: must be 1 to 64 letters, digits, '-' or '_'"}},
		{"sendpulse in both modes",
			file(acme(`, "sendpulse": {"api_key": "k", "client_id": "i", "client_secret": "s"}`)), nil,
			[]string{"accounts[acme].sendpulse: give either api_key, or client_id and client_secret, not both"}},
		{"sendpulse without its secret",
			file(acme(`, "sendpulse": {"client_id": "i"}`)), nil,
			[]string{"accounts[acme].sendpulse.client_secret: missing"}},
		{"hotmart with an empty secret",
			file(acme(`, "hotmart": {"client_id": "i", "client_secret": ""}`)), nil,
			[]string{"accounts[acme].hotmart.client_secret: empty"}},
		{"bad url",
			file(acme(`, "hotmart": {"client_id": "i", "client_secret": "s", "api_url": "sandbox.hotmart.com"}`)), nil,
			[]string{"accounts[acme].hotmart.api_url: must be an absolute http or https URL"}},
		{"wrong type",
			file(acme(`, "name": 7`)), nil,
			[]string{"accounts[acme].name: must be a string"}},
		{"no hottok",
			file(`{"id": "acme", "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok: missing: at least one hottok is required"}},
		{"hottok not strings",
			file(`{"id": "acme", "hottok": [1], "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok[0]: must be a string"}},
		{"hottok of another type",
			file(`{"id": "acme", "hottok": {"a": "b"}, "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok: must be an array of strings"}},
		{"no hottok in the list",
			file(`{"id": "acme", "hottok": [], "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok: empty: at least one hottok is required"}},
		{"hottok with spaces",
			file(`{"id": "acme", "hottok": [" acme-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{"accounts[acme].hottok[0]: has surrounding white space"}},
		{"credentials not an object",
			file(acme(`, "hotmart": "id:secret"`)), nil,
			[]string{"accounts[acme].hotmart: must be an object"}},
		{"empty url",
			file(acme(`, "sendpulse": {"api_key": "k", "base_url": ""}`)), nil,
			[]string{"accounts[acme].sendpulse.base_url: empty (omit it for the default)"}},
		{"sendpulse with nothing",
			file(acme(`, "sendpulse": {}`)), nil,
			[]string{"accounts[acme].sendpulse: needs api_key, or client_id and client_secret"}},
		{"odd unknown key",
			file(acme(`, "a.b c": 1`)), nil,
			[]string{`accounts[acme]."a.b c": unknown field (want one of id, name, hottok, rules, leadlovers, sendpulse, hotmart)`}},
		{"empty id", file(`{"id": "", "hottok": ["acme-hottok-1"], "rules": "plain.json"}`), nil,
			[]string{"accounts[0].id: empty"}},
		{"no rules", file(`{"id": "acme", "hottok": ["acme-hottok-1"]}`), nil,
			[]string{"accounts[acme].rules: missing: the path of the account's rules file"}},
		{"account not an object", file(`"acme"`), nil, []string{"accounts[0]: must be an object"}},
		{"no accounts", file(), nil, []string{"accounts: no account defined"}},
		{"top-level typo", `{"acounts": []}`, nil,
			[]string{`acounts: unknown field (want only "accounts")`, "accounts: missing"}},
		{"not JSON", `{"accounts": [`, nil, []string{"accounts file: not valid JSON"}},
		{"empty", ``, nil, []string{"accounts file: empty file"}},
		{"every problem at once",
			file(`{"id": "acme", "hottok": ["short"], "rules": "gone.json", "sendpulse": {"api_key": "${K}"}}`), nil,
			[]string{
				"accounts[acme].hottok[0]: shorter than 8 characters",
				"accounts[acme].sendpulse.api_key: ${K} is not set",
				"accounts[acme].rules: gone.json: file not found",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, tt.file, fsys, tt.env)
			if err == nil {
				t.Fatalf("Load succeeded (%v), want %d problems", cfg, len(tt.want))
			}
			var ce *accounts.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T is not a *ConfigError: %v", err, err)
			}
			got := ce.Lines()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if p, ok := strings.CutSuffix(w, "…"); ok {
					if !strings.HasPrefix(got[i], p) {
						t.Errorf("line %d = %q, want prefix %q", i, got[i], p)
					}
				} else if got[i] != w {
					t.Errorf("line %d = %q\n           want %q", i, got[i], w)
				}
				if strings.Contains(got[i], "\n") {
					t.Errorf("line %d spans lines", i)
				}
			}
			for _, v := range tt.env {
				if strings.TrimSpace(v) != "" && strings.Contains(err.Error(), strings.TrimSpace(v)) {
					t.Errorf("the error shows an environment value")
				}
			}
			if strings.Contains(err.Error(), "acme-hottok-1") {
				t.Errorf("the error shows a hottok")
			}
			// Problems carry the account and field for hosts that sort them.
			var p *accounts.Problem
			if !errors.As(err, &p) || p.Error() != got[0] {
				t.Errorf("errors.As(*Problem) = %v", p)
			}
		})
	}
}

func TestLoadProblemFields(t *testing.T) {
	_, err := load(t, `{"accounts": [{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "r.json", "leadlovers": {"token": "t"},
		"sendpulse": {"client_id": "i", "client_secret": "${SP}"}}]}`, files{"/cfg/r.json": goodRules}, nil)
	var ce *accounts.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 {
		t.Fatalf("err = %v", err)
	}
	p := ce.Problems[0]
	if p.Account != "acme" || p.Index != 0 || p.Field != "sendpulse.client_secret" || p.Reason != "${SP} is not set" {
		t.Errorf("problem = %+v", *p)
	}
}

// TestLoadNeverShowsSecrets prints and logs a loaded configuration every
// way a host might.
func TestLoadNeverShowsSecrets(t *testing.T) {
	cfg, err := load(t, validFile, validFiles, validEnv)
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	log := slog.New(slog.NewJSONHandler(&logged, nil))
	for _, a := range cfg.Accounts {
		log.Info("account", "a", a, "ll", a.Leadlovers, "sp", a.SendPulse, "hm", a.Hotmart)
	}
	log.Info("config", "cfg", cfg)
	out := fmt.Sprintf("%v %+v %#v %s %v %#v %v %#v %v %#v", cfg, cfg, cfg, cfg.Accounts, *cfg.Accounts[0],
		*cfg.Accounts[0], cfg.Accounts[0].Hotmart, *cfg.Accounts[0].SendPulse, cfg.Accounts[0].Leadlovers,
		cfg.Accounts[1].SendPulse) + logged.String()
	for _, secret := range []string{"SECRET", "acme-old-hottok-1", "beta-hottok-0001", "aG0taWQ6"} {
		if strings.Contains(out, secret) {
			t.Errorf("printed configuration shows %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, `ID:"acme"`) || !strings.Contains(out, "[redacted]") {
		t.Errorf("printed configuration lacks its shape:\n%s", out)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rules-acme.json"), []byte(goodRules), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "accounts.json")
	body := `{"accounts": [{"id": "acme", "hottok": ["acme-hottok-1"], "rules": "rules-acme.json",
		"leadlovers": {"token": "${LL_TOKEN}"}}]}`
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := accounts.LoadFile(path, env{"LL_TOKEN": "t"}.get, accounts.WithCompileOptions(segment.AllowUnknownProviders()))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Accounts[0].RulesPath != filepath.Join(dir, "rules-acme.json") {
		t.Errorf("rules path %q is not relative to the accounts file", cfg.Accounts[0].RulesPath)
	}
	_, err = accounts.LoadFile(filepath.Join(dir, "nope.json"), nil)
	var ce *accounts.ConfigError
	if !errors.As(err, &ce) || ce.Error() != "accounts file: file not found" {
		t.Errorf("missing file: %v", err)
	}
}

func TestLoadOptions(t *testing.T) {
	for name, opt := range map[string]accounts.Option{
		"empty base dir":      accounts.WithBaseDir(""),
		"nil read function":   accounts.WithReadFile(nil),
		"nil compile options": accounts.WithCompileOptions(nil),
		"nil option":          nil,
	} {
		if _, err := accounts.Load(strings.NewReader(validFile), validEnv.get, opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestLoadTooLarge(t *testing.T) {
	big := `{"accounts": [], "x": "` + strings.Repeat("a", accounts.MaxFileSize) + `"}`
	_, err := accounts.Load(strings.NewReader(big), nil)
	var ce *accounts.ConfigError
	if !errors.As(err, &ce) || !strings.HasPrefix(ce.Error(), "accounts file: larger than") {
		t.Errorf("err = %v", err)
	}
}
