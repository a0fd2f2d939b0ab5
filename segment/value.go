package segment

import (
	"strconv"
	"strings"
)

// valueKind says which member of a value is meaningful.
type valueKind uint8

const (
	absent   valueKind = iota
	kindText           // s (with optional prefix parts) holds the text
	kindInt            // n
	kindBool           // b
)

// value is what a field resolves to on one event. It is a small struct passed
// by value so that resolving a field never allocates: text fields point into
// the event's own strings.
type value struct {
	kind valueKind
	// pre holds text that comes before s (a phone's "+55" and area code),
	// kept apart so that rendering can write the parts without joining them.
	pre [2]string
	s   string
	n   int64
	b   bool
}

func text(s string) value {
	if s == "" {
		return value{}
	}
	return value{kind: kindText, s: s}
}

func integer(n int) value {
	if n == 0 {
		return value{}
	}
	return value{kind: kindInt, n: int64(n)}
}

func boolean(b bool) value { return value{kind: kindBool, b: b} }

func (v value) present() bool { return v.kind != absent }

// textLen is the length of the rendered value.
func (v value) textLen() int {
	switch v.kind {
	case kindText:
		return len(v.pre[0]) + len(v.pre[1]) + len(v.s)
	case kindInt:
		var buf [20]byte
		return len(strconv.AppendInt(buf[:0], v.n, 10))
	case kindBool:
		if v.b {
			return 4
		}
		return 5
	}
	return 0
}

// writeTo appends the rendered value to b.
func (v value) writeTo(b *strings.Builder) {
	switch v.kind {
	case kindText:
		b.WriteString(v.pre[0])
		b.WriteString(v.pre[1])
		b.WriteString(v.s)
	case kindInt:
		var buf [20]byte
		b.Write(strconv.AppendInt(buf[:0], v.n, 10))
	case kindBool:
		b.WriteString(strconv.FormatBool(v.b))
	}
}

// String renders the value as text; "" when absent. It allocates only for
// multi-part text and integers.
func (v value) String() string {
	switch v.kind {
	case kindText:
		if v.pre[0] == "" && v.pre[1] == "" {
			return v.s
		}
		return v.pre[0] + v.pre[1] + v.s
	case kindInt:
		return strconv.FormatInt(v.n, 10)
	case kindBool:
		return strconv.FormatBool(v.b)
	}
	return ""
}
