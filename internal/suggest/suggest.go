// Package suggest finds the known name nearest to a mistyped one, for the
// "did you mean" hints of rule checks (segment) and of provider parameter
// checks (leadlovers, sendpulse), so that every part of the SDK suggests
// corrections the same way.
package suggest

import "strings"

// maxLen bounds the inputs compared: names in rules files are short, and a
// long string is not a typo of one.
const maxLen = 200

// Distance is the optimal string alignment distance of a and b compared
// case-insensitively (ASCII): the number of single-byte insertions,
// deletions, substitutions and swaps of two adjacent bytes that turn one
// into the other. A swap counts as one edit, so "APPORVED" is one slip from
// "APPROVED". It returns limit when the distance is at least limit, and
// stops early once no alignment can stay below it.
func Distance(a, b string, limit int) int {
	if len(a) > maxLen || len(b) > maxLen {
		return limit
	}
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	// Three rows: the one before the previous is needed for swaps.
	rows := make([]int, 3*(len(b)+1))
	prev2, prev, cur := rows[:len(b)+1], rows[len(b)+1:2*(len(b)+1)], rows[2*(len(b)+1):]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			ca, cb := lower(a[i-1]), lower(b[j-1])
			cost := 1
			if ca == cb {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ca == lower(b[j-2]) && lower(a[i-2]) == cb {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Limit is the largest distance Closest accepts for a name of n bytes: one
// slip in a short name, about one in four bytes in a longer one, never more
// than three. Beyond that a suggestion is more likely wrong than helpful.
func Limit(n int) int {
	return min(1+n/4, 3)
}

// Closest returns the candidate nearest to s (see Distance) within
// Limit(len(s)) edits, or "" when none is that close or s is itself a
// candidate (ignoring case). Ties go to the earlier candidate, so callers
// list candidates in the order they document them.
func Closest(s string, candidates []string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	best, bestDist := "", Limit(len(s))+1
	for _, c := range candidates {
		d := Distance(s, c, bestDist)
		if d == 0 {
			return ""
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
