package accounts

import "testing"

// TestByHottokComparesEveryToken checks the property that keeps ByHottok's
// time independent of which token (if any) matched: every lookup compares
// the candidate with every token of every account, whether the match is
// the first token, the last, or none.
func TestByHottokComparesEveryToken(t *testing.T) {
	accts := []*Account{
		{ID: "a", Hottoks: []string{"a-token-0001", "a-token-0002"}},
		{ID: "b", Hottoks: []string{"b-token-0001"}},
		{ID: "c", Hottoks: []string{"c-token-0001", "c-token-0002", "c-token-0003"}},
	}
	r, err := NewRegistry(accts...)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	r.onCompare = func() { calls++ }
	const total = 6
	for _, tc := range []struct {
		tok  string
		want string
	}{
		{"a-token-0001", "a"}, // first token
		{"c-token-0003", "c"}, // last token
		{"b-token-0001", "b"},
		{"a-token-0002", "a"},
		{"nobody-token", ""},
		{"a-token-000", ""}, // a prefix of a real token
		{"a-token-00011", ""},
		{"x", ""},
	} {
		calls = 0
		a, ok := r.ByHottok(tc.tok)
		if calls != total {
			t.Errorf("ByHottok(%q) made %d comparisons, want %d", tc.tok, calls, total)
		}
		got := ""
		if ok {
			got = a.ID
		}
		if got != tc.want {
			t.Errorf("ByHottok(%q) = %q, want %q", tc.tok, got, tc.want)
		}
	}
}
