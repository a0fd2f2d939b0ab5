package fakekit_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/fakekit"
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		method, path, callMethod, callPath string
		want                               bool
	}{
		{"", "", "GET", "/x", true},
		{"put", "/Lead", "PUT", "/lead", true},
		{"PUT", "/Lead", "PUT", "/Tag/Lead", false}, // exact unless "*"
		{"", "*/refund", "PUT", "/payments/api/v1/sales/HP1/refund", true},
		{"POST", "*/refund", "PUT", "/sales/HP1/refund", false},
		{"", "/deals", "POST", "/crm/v1/deals", false},
	} {
		if got := fakekit.Match(tc.method, tc.path, tc.callMethod, tc.callPath); got != tc.want {
			t.Errorf("Match(%q, %q, %q, %q) = %v", tc.method, tc.path, tc.callMethod, tc.callPath, got)
		}
	}
}

func TestQueuedFaultsBeforeRate(t *testing.T) {
	c := fakekit.New[string](1)
	c.FailRate(1, fakekit.Fault{Status: 503})
	c.FailNext(2, fakekit.Fault{Status: 429, Path: "/a"})
	for i, want := range []int{429, 503, 429} {
		path := "/a"
		if i == 1 {
			path = "/b"
		}
		f, ok := c.Pick("GET", path)
		if !ok || f.Status != want {
			t.Fatalf("pick %d on %s: %+v %v, want %d", i, path, f, ok, want)
		}
	}
	c.FailRate(0, fakekit.Fault{})
	if _, ok := c.Pick("GET", "/a"); ok {
		t.Fatal("fault after the queue ran out and the rate was stopped")
	}
	i := c.Record(fakekit.Call{Method: "GET", Path: "/a"})
	c.Answered(i, 200, "")
	c.Effect("x")
	if calls := c.Calls(); len(calls) != 1 || calls[0].Status != 200 || len(c.Effects()) != 1 || c.CallCount("get", "/A") != 1 {
		t.Fatalf("calls %+v effects %v", calls, c.Effects())
	}
	c.Reset()
	if len(c.Calls())+len(c.Effects()) != 0 {
		t.Fatal("Reset kept logs")
	}
}
