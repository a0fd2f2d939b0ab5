package suggest_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"APPROVED", "APPROVED", 0},
		{"approved", "APPROVED", 0},
		{"APROVED", "APPROVED", 1},
		{"APPORVED", "APPROVED", 1}, // a swap is one edit
		{"condtions", "conditions", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		if got := suggest.Distance(tt.a, tt.b, 10); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := suggest.Distance(tt.b, tt.a, 10); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (not symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
	if got := suggest.Distance("kitten", "sitting", 2); got != 2 {
		t.Errorf("Distance over the limit = %d, want the limit 2", got)
	}
}

func TestClosest(t *testing.T) {
	statuses := []string{"APPROVED", "BLOCKED", "CANCELLED", "COMPLETE", "EXPIRED", "REFUNDED"}
	tests := []struct {
		in, want string
	}{
		{"APROVED", "APPROVED"},
		{"aproved", "APPROVED"},
		{"CANCELED", "CANCELLED"},
		{"COMPLETED", "COMPLETE"},
		{"APPROVED", ""}, // already valid
		{"PAID", ""},     // nothing close
		{"", ""},
		{"X", ""},
	}
	for _, tt := range tests {
		if got := suggest.Closest(tt.in, statuses); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// Ties go to the earlier candidate.
	if got := suggest.Closest("ab", []string{"ac", "ad"}); got != "ac" {
		t.Errorf("tie = %q, want the first candidate", got)
	}
}
