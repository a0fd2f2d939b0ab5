package accounts_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/hotmartkit/hotmartkit/accounts"
)

func TestRegistry(t *testing.T) {
	a := account(t, "acme", "acme-hottok-1", "acme-hottok-2")
	b := account(t, "beta", "beta-hottok-1")
	r := registry(t, a, b)
	if got, ok := r.Get("beta"); !ok || got != b {
		t.Errorf("Get(beta) = %v, %t", got, ok)
	}
	if _, ok := r.Get("gamma"); ok {
		t.Errorf("Get(gamma) found an account")
	}
	if ids := r.Accounts(); len(ids) != 2 || ids[0] != a || ids[1] != b {
		t.Errorf("Accounts() = %v", ids)
	}
	// Isolation at the door: a hottok of A never authenticates as B.
	for tok, want := range map[string]*accounts.Account{
		"acme-hottok-1": a, "acme-hottok-2": a, "beta-hottok-1": b,
		"": nil, "beta-hottok-": nil, "acme-hottok-1 ": nil, "ACME-HOTTOK-1": nil,
	} {
		got, ok := r.ByHottok(tok)
		if ok != (want != nil) || got != want {
			t.Errorf("ByHottok(%q) = %v, %t; want %v", tok, got, ok, want)
		}
	}
}

func TestRegistryResolveAndSynced(t *testing.T) {
	a := account(t, "acme", "acme-hottok-1")
	b := account(t, "beta", "beta-hottok-1")
	b.Hotmart = nil
	r := registry(t, a, b)
	if id, ok := r.ResolveHottok("beta-hottok-1"); !ok || id != "beta" {
		t.Errorf("ResolveHottok = %q, %t", id, ok)
	}
	if id, ok := r.ResolveHottok("wrong-hottok"); ok || id != "" {
		t.Errorf("ResolveHottok(wrong) = %q, %t", id, ok)
	}
	if s := r.Synced(); len(s) != 1 || s[0] != a {
		t.Errorf("Synced() = %v", s)
	}
}

func TestRegistryConcurrentLookups(t *testing.T) {
	r := registry(t, account(t, "acme", "acme-hottok-1"), account(t, "beta", "beta-hottok-1"))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, want := "acme-hottok-1", "acme"
			if i%2 == 1 {
				tok, want = "beta-hottok-1", "beta"
			}
			for range 200 {
				if a, ok := r.ByHottok(tok); !ok || a.ID != want {
					t.Errorf("ByHottok(%q) = %v", tok, a)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestNewRegistryRefuses(t *testing.T) {
	tests := []struct {
		name  string
		accts []*accounts.Account
		want  string
	}{
		{"none", nil, "accounts: no account defined"},
		{"nil account", []*accounts.Account{nil}, "accounts[0]: nil account"},
		{"bad id", []*accounts.Account{{ID: "a b", Hottoks: []string{"hottok-0001"}}}, "accounts[0].id: must be"},
		{"duplicate id", []*accounts.Account{{ID: "a", Hottoks: []string{"hottok-0001"}}, {ID: "a", Hottoks: []string{"hottok-0002"}}},
			"accounts[a].id: duplicate id"},
		{"no hottok", []*accounts.Account{{ID: "a"}}, "accounts[a].hottok: at least one hottok is required"},
		{"short hottok", []*accounts.Account{{ID: "a", Hottoks: []string{"short"}}}, "accounts[a].hottok[0]: shorter than 8 characters"},
		{"shared hottok", []*accounts.Account{{ID: "a", Hottoks: []string{"hottok-0001"}}, {ID: "b", Hottoks: []string{"hottok-0001"}}},
			"accounts[b].hottok[0]: same hottok as accounts[a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := accounts.NewRegistry(tt.accts...)
			var ce *accounts.ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) != 1 || !strings.HasPrefix(ce.Error(), tt.want) {
				t.Fatalf("err = %v, want one problem starting %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hottok-000") {
				t.Errorf("the error shows a hottok")
			}
		})
	}
}

func TestScope(t *testing.T) {
	for _, tc := range []struct{ account, id, want string }{
		{"acme", "8f0c", "acme:8f0c"},
		{"beta", "8f0c", "beta:8f0c"},
		{"", "8f0c", "8f0c"},
		{"acme", "sync:acme:HP1:APPROVED", "acme:sync:acme:HP1:APPROVED"},
	} {
		if got := accounts.Scope(tc.account, tc.id); got != tc.want {
			t.Errorf("Scope(%q, %q) = %q, want %q", tc.account, tc.id, got, tc.want)
		}
	}
	if accounts.Scope("acme", "x") == accounts.Scope("beta", "x") {
		t.Errorf("the same event id in two accounts must be two keys")
	}
}
