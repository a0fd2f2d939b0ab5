package segment

import "strings"

// dec is a decimal number read from its text without rounding: the value is
// ±0.D × 10^point, where D is the significant digits (no leading or trailing
// zeros), read from mant with the '.' skipped. Parsing only slices the input,
// so comparing an event's amount never allocates.
type dec struct {
	neg   bool
	mant  string // digits and at most one '.', as written
	first int    // index in mant of the first significant digit
	last  int    // index in mant one past the last significant digit
	point int    // decimal exponent of the digit string, see above
}

// parseDec reads a JSON number literal (the form hotmart.Decimal holds).
func parseDec(s string) (dec, bool) {
	var d dec
	if s == "" {
		return d, false
	}
	if s[0] == '-' {
		d.neg, s = true, s[1:]
	}
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		e, ok := atoiClamp(s[i+1:])
		if !ok {
			return d, false
		}
		exp, s = e, s[:i]
	}
	if s == "" {
		return d, false
	}
	dot := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '.' && dot < 0:
			dot = i
		default:
			return d, false
		}
	}
	intLen := len(s)
	if dot >= 0 {
		intLen = dot
	}
	if intLen == 0 || dot == len(s)-1 {
		return d, false
	}
	d.mant = s
	first := -1
	last := 0
	lead := 0 // significant-digit position count before the first non-zero digit
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			continue
		}
		if s[i] != '0' {
			if first < 0 {
				first = i
			}
			last = i + 1
		} else if first < 0 {
			lead++
		}
	}
	if first < 0 { // zero
		d.neg = false
		d.first, d.last = 0, 0
		return d, true
	}
	d.first, d.last = first, last
	d.point = intLen - lead + exp
	return d, true
}

// atoiClamp parses an exponent, clamping huge values so that absurd inputs
// still order correctly without overflowing.
func atoiClamp(s string) (int, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < 1_000_000_000 {
			n = n*10 + int(c-'0')
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

func (d dec) isZero() bool { return d.first == d.last }

// cmp returns -1, 0 or +1 as d is less than, equal to or greater than o.
func (d dec) cmp(o dec) int {
	switch {
	case d.isZero() && o.isZero():
		return 0
	case d.isZero():
		if o.neg {
			return 1
		}
		return -1
	case o.isZero():
		if d.neg {
			return -1
		}
		return 1
	case d.neg != o.neg:
		if d.neg {
			return -1
		}
		return 1
	}
	c := d.cmpAbs(o)
	if d.neg {
		return -c
	}
	return c
}

func (d dec) cmpAbs(o dec) int {
	if d.point != o.point {
		if d.point < o.point {
			return -1
		}
		return 1
	}
	i, j := d.first, o.first
	for {
		if i < d.last && d.mant[i] == '.' {
			i++
		}
		if j < o.last && o.mant[j] == '.' {
			j++
		}
		switch {
		case i >= d.last && j >= o.last:
			return 0
		case i >= d.last:
			return -1
		case j >= o.last:
			return 1
		case d.mant[i] != o.mant[j]:
			if d.mant[i] < o.mant[j] {
				return -1
			}
			return 1
		}
		i++
		j++
	}
}
