package accounts

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
)

// ErrUnknownAccount is matched (errors.Is) by the error of a method given
// an account id the registry does not hold.
var ErrUnknownAccount = errors.New("accounts: unknown account")

// Registry is the set of accounts one receiver serves: id → account, and
// hottok → account for the webhook door. It is immutable once built and
// safe for concurrent use.
type Registry struct {
	accounts []*Account
	byID     map[string]*Account
	// tokens holds one digest per hottok of every account. Comparing
	// fixed-size digests keeps the comparison's time independent of the
	// candidate's length as well as its content.
	tokens []tokenEntry
	// onCompare, when set (by a test), is called after each comparison,
	// to check that every token is compared on every lookup.
	onCompare func()
}

type tokenEntry struct {
	digest  [sha256.Size]byte
	account int // index into accounts
}

// NewRegistry builds a registry. It checks what Load checks across
// accounts, for accounts built in code: ids present, valid and unique,
// at least one hottok each, no hottok shared by two accounts. The error
// is a *ConfigError.
func NewRegistry(accounts ...*Account) (*Registry, error) {
	r := &Registry{byID: make(map[string]*Account, len(accounts))}
	var probs problems
	if len(accounts) == 0 {
		probs.add("", -1, "accounts", "no account defined")
	}
	seen := map[[sha256.Size]byte]string{}
	for i, a := range accounts {
		if a == nil {
			probs.add("", i, "", "nil account")
			continue
		}
		if !validID(a.ID) {
			probs.add("", i, "id", fmt.Sprintf("must be 1 to %d letters, digits, '-' or '_'", maxIDLength))
			continue
		}
		if _, dup := r.byID[a.ID]; dup {
			probs.add(a.ID, i, "id", "duplicate id")
			continue
		}
		if len(a.Hottoks) == 0 {
			probs.add(a.ID, i, "hottok", "at least one hottok is required")
		}
		for k, tok := range a.Hottoks {
			if len(tok) < MinHottokLength {
				probs.add(a.ID, i, fmt.Sprintf("hottok[%d]", k), fmt.Sprintf("shorter than %d characters", MinHottokLength))
				continue
			}
			d := sha256.Sum256([]byte(tok))
			if other, dup := seen[d]; dup {
				probs.add(a.ID, i, fmt.Sprintf("hottok[%d]", k), "same hottok as accounts["+other+"]")
				continue
			}
			seen[d] = a.ID
			r.tokens = append(r.tokens, tokenEntry{digest: d, account: len(r.accounts)})
		}
		r.byID[a.ID] = a
		r.accounts = append(r.accounts, a)
	}
	if err := probs.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// Accounts returns the accounts in the order they were given.
func (r *Registry) Accounts() []*Account {
	out := make([]*Account, len(r.accounts))
	copy(out, r.accounts)
	return out
}

// Get returns the account with that id.
func (r *Registry) Get(id string) (*Account, bool) {
	a, ok := r.byID[id]
	return a, ok
}

// ByHottok returns the account that tok authenticates. It compares tok with
// every hottok of every account, in constant time and without stopping at
// a match, so neither the answer's time nor its account leaks which token
// (or how much of one) was right. An empty tok matches nothing.
func (r *Registry) ByHottok(tok string) (*Account, bool) {
	if tok == "" {
		return nil, false
	}
	d := sha256.Sum256([]byte(tok))
	found, idx := 0, 0
	for _, t := range r.tokens {
		eq := subtle.ConstantTimeCompare(d[:], t.digest[:])
		if r.onCompare != nil {
			r.onCompare()
		}
		idx = subtle.ConstantTimeSelect(eq, t.account, idx)
		found |= eq
	}
	if found == 0 {
		return nil, false
	}
	return r.accounts[idx], true
}

// ResolveHottok is ByHottok returning the account's id, in the shape of a
// webhook handler's token resolver: pass reg.ResolveHottok where the
// handler asks for a func(token string) (account string, ok bool).
func (r *Registry) ResolveHottok(tok string) (account string, ok bool) {
	a, ok := r.ByHottok(tok)
	if !ok {
		return "", false
	}
	return a.ID, true
}

// Synced returns the accounts that have Hotmart REST credentials, in order:
// those a host schedules a sync for.
func (r *Registry) Synced() []*Account {
	var out []*Account
	for _, a := range r.accounts {
		if a.Hotmart != nil {
			out = append(out, a)
		}
	}
	return out
}

// Scope returns the key under which an account's event id is stored: the
// same event id in two accounts is two events, for dedupe, step marks,
// deliveries and event state alike. An empty account (a single-account
// receiver) leaves the id as it is, so a database written before accounts
// existed keeps its keys. Account ids cannot contain ":", so the scoped
// key is unambiguous.
func Scope(account, eventID string) string {
	if account == "" {
		return eventID
	}
	return account + ":" + eventID
}
