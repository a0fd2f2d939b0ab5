package segment

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestDecimalCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "0", 0},
		{"0", "-0.000", 0},
		{"0.0e5", "0", 0},
		{"1", "1.0", 0},
		{"1500", "1.5e3", 0},
		{"1500", "15E2", 0},
		{"0.29", "29e-2", 0},
		{"149.90", "149.9", 0},
		{"0010.50", "10.5", 0},
		{"149.9", "149.89", 1},
		{"149.89", "149.9", -1},
		{"100", "99.999", 1},
		{"0.1", "0.09", 1},
		{"-1", "0", -1},
		{"0", "-1", 1},
		{"1", "0", 1},
		{"0", "0.0001", -1},
		{"-0.0001", "0", -1},
		{"-2", "-10", 1},
		{"-10.5", "-10.49", -1},
		{"-1", "1", -1},
		{"1e400", "9e399", 1},
		{"1e-400", "0", 1},
		{"1e999999999999", "1e999999999998", 0}, // both clamped: absurd exponents are equal, never a crash
		{"123456789012345678901234567890", "123456789012345678901234567891", -1},
	}
	for _, tt := range tests {
		a, okA := parseDec(tt.a)
		b, okB := parseDec(tt.b)
		if !okA || !okB {
			t.Fatalf("parse %q/%q failed", tt.a, tt.b)
		}
		if got := a.cmp(b); got != tt.want {
			t.Errorf("cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := b.cmp(a); got != -tt.want {
			t.Errorf("cmp(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestDecimalRejects(t *testing.T) {
	for _, s := range []string{"", "-", ".5", "5.", "1..2", "1.2.3", "abc", "1e", "1e+", "--1", "1 ", "0x10", "1_000"} {
		if _, ok := parseDec(s); ok {
			t.Errorf("parseDec(%q) accepted", s)
		}
	}
}

// TestDecimalCompareAgainstBigRat cross-checks random decimals with
// math/big, which is exact.
func TestDecimalCompareAgainstBigRat(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() string {
		s := strconv.FormatInt(r.Int64N(2000000)-1000000, 10)
		if r.IntN(2) == 0 {
			s += "." + strconv.Itoa(r.IntN(1000))
		}
		if r.IntN(4) == 0 {
			s += "e" + strconv.Itoa(r.IntN(10)-5)
		}
		return s
	}
	for range 20000 {
		a, b := gen(), gen()
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		da, _ := parseDec(a)
		db, _ := parseDec(b)
		if got, want := da.cmp(db), ra.Cmp(rb); got != want {
			t.Fatalf("cmp(%s, %s) = %d, big.Rat says %d", a, b, got, want)
		}
	}
}
