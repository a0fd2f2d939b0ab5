package accounts

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/hotmartkit/hotmartkit/segment"
)

// Provider names as rules files spell them; the credentials blocks of an
// account carry the same names.
const (
	ProviderLeadlovers = "leadlovers"
	ProviderSendPulse  = "sendpulse"
)

// maxIDLength bounds an account id, which travels in event ids and URLs.
const maxIDLength = 64

// loader walks the file by hand rather than with DisallowUnknownFields, so
// every problem names its account and field, and the standard library's
// wording (which differs between Go versions) never reaches a message.
type loader struct {
	opts   *options
	getenv func(string) (string, bool)
	probs  problems
	// hottokAt gives, per account, the file position of each of its
	// Hottoks (invalid ones are left out of Hottoks).
	hottokAt map[*Account][]int
}

// acctCtx is one account being read: where its problems go.
type acctCtx struct {
	l     *loader
	id    string
	index int
}

func (a *acctCtx) problem(field, reason string) { a.l.probs.add(a.id, a.index, field, reason) }

var accountKeys = []string{"id", "name", "hottok", "rules", "leadlovers", "sendpulse", "hotmart"}

func (l *loader) load(data []byte) *Config {
	if len(data) == 0 {
		l.probs.add("", -1, "", "empty file")
		return nil
	}
	var top map[string]json.RawMessage
	if data[0] != '{' || json.Unmarshal(data, &top) != nil {
		if json.Valid(data) {
			l.probs.add("", -1, "", "must be a JSON object with an \"accounts\" array")
		} else {
			l.probs.add("", -1, "", "not valid JSON")
		}
		return nil
	}
	for _, k := range sortedKeys(top) {
		if k != "accounts" {
			l.probs.add("", -1, quoteKey(k), "unknown field (want only \"accounts\")")
		}
	}
	var raws []json.RawMessage
	if rawAccts, ok := top["accounts"]; !ok || isNull(rawAccts) {
		l.probs.add("", -1, "accounts", "missing")
		return nil
	} else if json.Unmarshal(rawAccts, &raws) != nil {
		l.probs.add("", -1, "accounts", "must be an array of objects")
		return nil
	}
	if len(raws) == 0 {
		l.probs.add("", -1, "accounts", "no account defined")
		return nil
	}
	cfg := &Config{}
	firstID := map[string]int{}
	type tokenAt struct {
		account string
		index   int
		field   string
	}
	tokens := map[string]tokenAt{}
	for i, raw := range raws {
		a := l.account(i, raw)
		if a == nil {
			continue
		}
		ac := &acctCtx{l: l, id: a.ID, index: i}
		if a.ID != "" {
			if j, dup := firstID[a.ID]; dup {
				ac.problem("id", fmt.Sprintf("duplicate id: accounts[%d] and accounts[%d] are both %q", j, i, a.ID))
			} else {
				firstID[a.ID] = i
			}
		}
		for k, tok := range a.Hottoks {
			field := "hottok[" + strconv.Itoa(l.hottokAt[a][k]) + "]"
			if prev, dup := tokens[tok]; dup {
				// Name both places, never the token.
				if prev.index == i {
					ac.problem(field, "same hottok as "+prev.field)
				} else {
					ac.problem(field, "same hottok as "+accountLabel(prev.account, prev.index)+"."+prev.field+
						": a hottok must identify one account")
				}
				continue
			}
			tokens[tok] = tokenAt{account: a.ID, index: i, field: field}
		}
		cfg.Accounts = append(cfg.Accounts, a)
	}
	return cfg
}

// account reads one element of "accounts"; nil when it is not an object.
func (l *loader) account(index int, raw json.RawMessage) *Account {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(raw)) == 0 || bytes.TrimSpace(raw)[0] != '{' || json.Unmarshal(raw, &m) != nil {
		l.probs.add("", index, "", "must be an object")
		return nil
	}
	a := &Account{}
	ac := &acctCtx{l: l, index: index}

	// The id first: every later problem is named after it.
	if rawID, ok := m["id"]; !ok || isNull(rawID) {
		ac.problem("id", "missing")
	} else if id, ok := ac.str("id", rawID); ok {
		switch {
		case id == "":
			ac.problem("id", "empty")
		case !validID(id):
			ac.problem("id", fmt.Sprintf("must be 1 to %d letters, digits, '-' or '_'", maxIDLength))
		default:
			a.ID = id
			ac.id = id
		}
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(accountKeys, k) {
			ac.problem(quoteKey(k), "unknown field (want one of "+strings.Join(accountKeys, ", ")+")")
		}
	}
	if raw, ok := m["name"]; ok && !isNull(raw) {
		a.Name, _ = ac.str("name", raw)
	}
	a.Hottoks, l.hottokAt[a] = ac.hottoks(m["hottok"])
	ac.credentials(a, m)
	has := map[string]bool{}
	for _, p := range []string{ProviderLeadlovers, ProviderSendPulse} {
		if raw, ok := m[p]; ok && !isNull(raw) {
			has[p] = true
		}
	}
	ac.rules(a, m["rules"], has)
	return a
}

func (a *acctCtx) hottoks(raw json.RawMessage) (toks []string, at []int) {
	if raw == nil || isNull(raw) {
		a.problem("hottok", "missing: at least one hottok is required")
		return nil, nil
	}
	var list []json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '"' {
		list = []json.RawMessage{raw} // one token written as a plain string
	} else if json.Unmarshal(raw, &list) != nil {
		a.problem("hottok", "must be an array of strings")
		return nil, nil
	}
	if len(list) == 0 {
		a.problem("hottok", "empty: at least one hottok is required")
		return nil, nil
	}
	for i, r := range list {
		field := "hottok[" + strconv.Itoa(i) + "]"
		tok, ok := a.str(field, r)
		switch {
		case !ok:
		case tok == "":
			a.problem(field, "empty")
		case strings.TrimSpace(tok) != tok:
			a.problem(field, "has surrounding white space")
		case len(tok) < MinHottokLength:
			a.problem(field, fmt.Sprintf("shorter than %d characters", MinHottokLength))
		default:
			toks = append(toks, tok)
			at = append(at, i)
		}
	}
	return toks, at
}

func (a *acctCtx) credentials(acct *Account, m map[string]json.RawMessage) {
	if raw, ok := m["leadlovers"]; ok && !isNull(raw) {
		if b := a.block("leadlovers", raw, "token", "base_url"); b != nil {
			c := &LeadloversCredentials{Token: b.secret("token"), BaseURL: b.url("base_url")}
			acct.Leadlovers = c
		}
	}
	if raw, ok := m["sendpulse"]; ok && !isNull(raw) {
		if b := a.block("sendpulse", raw, "api_key", "client_id", "client_secret", "base_url"); b != nil {
			c := &SendPulseCredentials{BaseURL: b.url("base_url")}
			_, hasKey := b.m["api_key"]
			_, hasID := b.m["client_id"]
			_, hasSecret := b.m["client_secret"]
			switch {
			case hasKey && (hasID || hasSecret):
				a.problem("sendpulse", "give either api_key, or client_id and client_secret, not both")
			case hasKey:
				c.APIKey = b.secret("api_key")
			case hasID || hasSecret:
				c.ClientID = b.required("client_id")
				c.ClientSecret = b.secret("client_secret")
			default:
				a.problem("sendpulse", "needs api_key, or client_id and client_secret")
			}
			acct.SendPulse = c
		}
	}
	if raw, ok := m["hotmart"]; ok && !isNull(raw) {
		if b := a.block("hotmart", raw, "client_id", "client_secret", "basic", "api_url", "auth_url"); b != nil {
			c := &HotmartCredentials{
				ClientID:     b.required("client_id"),
				ClientSecret: b.secret("client_secret"),
				APIURL:       b.url("api_url"),
				AuthURL:      b.url("auth_url"),
			}
			if _, ok := b.m["basic"]; ok {
				c.Basic = b.secret("basic")
			} else if c.ClientID != "" && c.ClientSecret != "" {
				c.Basic = base64.StdEncoding.EncodeToString([]byte(c.ClientID + ":" + c.ClientSecret))
			}
			acct.Hotmart = c
		}
	}
}

// block is one credentials object being read.
type block struct {
	a    *acctCtx
	name string
	m    map[string]json.RawMessage
}

func (a *acctCtx) block(name string, raw json.RawMessage, keys ...string) *block {
	var m map[string]json.RawMessage
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' || json.Unmarshal(raw, &m) != nil {
		a.problem(name, "must be an object")
		return nil
	}
	for _, k := range sortedKeys(m) {
		if !slices.Contains(keys, k) {
			a.problem(name+"."+quoteKey(k), "unknown field (want one of "+strings.Join(keys, ", ")+")")
		}
	}
	for k, v := range m {
		if isNull(v) {
			delete(m, k) // null is absent
		}
	}
	return &block{a: a, name: name, m: m}
}

// required reads a string that must be present and not empty.
func (b *block) required(key string) string {
	field := b.name + "." + key
	raw, ok := b.m[key]
	if !ok {
		b.a.problem(field, "missing")
		return ""
	}
	s, ok := b.a.str(field, raw)
	if ok && s == "" {
		b.a.problem(field, "empty")
	}
	return s
}

// secret is required, and refuses surrounding white space, the usual trace
// of a value pasted with its newline.
func (b *block) secret(key string) string {
	s := b.required(key)
	if s != "" && strings.TrimSpace(s) != s {
		b.a.problem(b.name+"."+key, "has surrounding white space")
		return ""
	}
	return s
}

// url reads an optional absolute http(s) URL.
func (b *block) url(key string) string {
	raw, ok := b.m[key]
	if !ok {
		return ""
	}
	field := b.name + "." + key
	s, ok := b.a.str(field, raw)
	if !ok || s == "" {
		if ok {
			b.a.problem(field, "empty (omit it for the default)")
		}
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		b.a.problem(field, "must be an absolute http or https URL")
		return ""
	}
	return s
}

// str reads a JSON string and expands its ${VAR} references.
func (a *acctCtx) str(field string, raw json.RawMessage) (string, bool) {
	var s string
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '"' || json.Unmarshal(raw, &s) != nil {
		a.problem(field, "must be a string")
		return "", false
	}
	v, reason := expand(s, a.l.getenv)
	if reason != "" {
		a.problem(field, reason)
		return "", false
	}
	return v, true
}

// rules reads, parses and compiles the account's rules file.
func (a *acctCtx) rules(acct *Account, raw json.RawMessage, has map[string]bool) {
	if raw == nil || isNull(raw) {
		a.problem("rules", "missing: the path of the account's rules file")
		return
	}
	name, ok := a.str("rules", raw)
	if !ok {
		return
	}
	if name == "" {
		a.problem("rules", "empty")
		return
	}
	// Messages name the file as written, so a path that came from the
	// environment is not shown.
	var written string
	_ = json.Unmarshal(raw, &written)
	path := name
	name = written
	if len(name) > 200 {
		name = name[:200] + "…"
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(a.l.opts.baseDir, path)
	}
	acct.RulesFile, acct.RulesPath = written, path
	data, err := a.l.opts.readFile(path)
	if err != nil {
		switch {
		case errors.Is(err, os.ErrNotExist):
			a.problem("rules", name+": file not found")
		case errors.Is(err, os.ErrPermission):
			a.problem("rules", name+": permission denied")
		default:
			a.problem("rules", name+": cannot be read")
		}
		return
	}
	rules, err := segment.ParseRules(data)
	if err != nil {
		a.ruleProblems(name, "does not parse", err)
		return
	}
	acct.Rules = rules
	prog, err := segment.Compile(rules, a.l.opts.compileOpts...)
	if err != nil {
		a.ruleProblems(name, "does not compile", err)
		return
	}
	acct.Program = prog
	a.providersHaveCredentials(acct, name, has)
}

// ruleProblems adds one problem per rule error, so each line names the
// segmentation and its field.
func (a *acctCtx) ruleProblems(name, what string, err error) {
	var re *segment.RulesError
	if errors.As(err, &re) && len(re.Problems) > 0 {
		for _, p := range re.Problems {
			a.problem("rules", name+": "+p.String())
		}
		return
	}
	a.problem("rules", name+": "+what+": "+err.Error())
}

// providersHaveCredentials refuses rules whose provider the account has
// no credentials block for: their actions could only fail. Inactive rules
// count too, since an operator may switch them on at run time. One line per
// provider, naming its first rule.
func (a *acctCtx) providersHaveCredentials(acct *Account, name string, has map[string]bool) {
	for _, p := range []string{ProviderLeadlovers, ProviderSendPulse} {
		if has[p] {
			continue
		}
		first, n := -1, 0
		for i, s := range acct.Rules.Segmentations {
			if s.Action.Provider == p {
				if first < 0 {
					first = i
				}
				n++
			}
		}
		if n == 0 {
			continue
		}
		s := acct.Rules.Segmentations[first]
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (and %d more)", n-1)
		}
		a.problem("rules", fmt.Sprintf("%s: segmentations[%d] (id %q)%s: action.provider: the account has no %q credentials",
			name, first, s.ID, more, p))
	}
}

func validID(id string) bool {
	if id == "" || len(id) > maxIDLength {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c == '-' || c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// quoteKey shows an unknown key from the file, bounded and on one line.
func quoteKey(k string) string {
	if validID(k) && len(k) <= 40 {
		return k
	}
	if len(k) > 40 {
		k = k[:40] + "…"
	}
	return strconv.Quote(k)
}
