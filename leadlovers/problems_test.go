package leadlovers_test

import (
	"errors"
	"testing"

	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/segment"
)

// Every problem of one action reaches segment's report with its own field,
// reason category and suggestion, not as one flattened message.
func TestActionProblemsReachCompileWithReasons(t *testing.T) {
	rules, err := segment.ParseRules([]byte(`{"segmentations":[{"id":"a","events":["PURCHASE_APPROVED"],
		"action":{"provider":"leadlovers","command":"add_lead","send":["email"],"machine":"x","sequenc":2,"level":1}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = segment.Compile(rules, segment.WithProviders(leadlovers.Spec))
	var re *segment.RulesError
	if !errors.As(err, &re) {
		t.Fatalf("want *segment.RulesError, got %v", err)
	}
	want := map[string]struct {
		reason     segment.Reason
		suggestion string
	}{
		"action.machine":  {segment.ReasonType, ""},
		"action.sequenc":  {segment.ReasonUnknown, "sequence"},
		"action.sequence": {segment.ReasonMissing, ""},
	}
	got := map[string]segment.Problem{}
	for _, p := range re.Problems {
		got[p.Field] = p
	}
	for field, w := range want {
		p, ok := got[field]
		if !ok {
			t.Errorf("no problem for %s in %v", field, re.Problems)
			continue
		}
		if p.Reason != w.reason || p.Suggestion != w.suggestion || p.Segmentation != "a" {
			t.Errorf("%s: reason %q suggestion %q segmentation %q; want %q %q \"a\"", field, p.Reason, p.Suggestion, p.Segmentation, w.reason, w.suggestion)
		}
	}
	if len(re.Problems) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(re.Problems), len(want), re.Problems)
	}
}
