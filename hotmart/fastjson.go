package hotmart

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader is a cursor over a JSON text that validates as it reads. It is
// the tokenizer under the hand-written purchase decoder, built to accept and
// reject exactly what encoding/json accepts and rejects (including its
// nesting limit) while allocating nothing of its own on valid input.
//
// Conventions: value methods are called with i at the first byte of a value
// (whitespace skipped, not at the end of input) and leave i just past it. A
// syntax error is sticky: it sets failed, records the offset, and every
// later step returns at once, so callers only need to check failed where
// they would otherwise loop.
type jsonReader struct {
	b      []byte
	i      int
	depth  int  // open objects and arrays, as encoding/json counts them
	failed bool // a syntax error was met
	errAt  int  // offset of the first syntax error
	keyBuf []byte
}

// maxJSONDepth is encoding/json's nesting limit: one more open object or
// array is a syntax error there, and so here.
const maxJSONDepth = 10000

func (r *jsonReader) fail(at int) {
	if !r.failed {
		r.failed, r.errAt = true, at
	}
}

// ws advances over JSON whitespace. Compact JSON has none, so the first
// test is kept inlinable; indented JSON has runs of spaces after each
// newline, which wsRun skips eight at a time.
func (r *jsonReader) ws() {
	if r.i < len(r.b) && r.b[r.i] <= ' ' {
		r.wsRun()
	}
}

const eightSpaces = 0x2020202020202020

func (r *jsonReader) wsRun() {
	b, i := r.b, r.i
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
			for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:]) == eightSpaces {
				i += 8
			}
			if i+4 <= len(b) && binary.LittleEndian.Uint32(b[i:]) == eightSpaces&0xffffffff {
				i += 4
			}
		default:
			r.i = i
			return
		}
	}
	r.i = i
}

// atValue skips whitespace and reports whether a value may start here.
func (r *jsonReader) atValue() bool {
	r.ws()
	if r.i >= len(r.b) {
		r.fail(r.i)
		return false
	}
	return true
}

// enter consumes the '{' or '[' at i and counts the new nesting level.
func (r *jsonReader) enter() bool {
	r.i++
	r.depth++
	if r.depth > maxJSONDepth {
		r.fail(r.i - 1)
		return false
	}
	return true
}

// strPlain marks the bytes a string can hold as they are: printable ASCII
// other than the quote and the backslash.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// needsLook returns a word whose lowest set bit is the high bit of the
// first byte of x (little-endian) that is not plain string content: a
// quote, a backslash, a control character or a non-ASCII byte. Bits above
// the first such byte may be spurious (borrows), so only the lowest counts.
func needsLook(x uint64) uint64 {
	quote := x ^ (ones * '"')
	slash := x ^ (ones * '\\')
	return ((quote - ones) &^ quote & highs) |
		((slash - ones) &^ slash & highs) |
		((x - ones*0x20) &^ x & highs) |
		(x & highs)
}

// scanString validates the string starting at b[i] == '"' and moves past
// it. It returns the content's bounds and whether the content is usable as
// is: no escapes and valid UTF-8, so that encoding/json would decode it to
// exactly these bytes.
func (r *jsonReader) scanString() (start, end int, plain bool) {
	b := r.b
	start = r.i + 1
	plain = true
	j := start
	for {
		// Eight plain bytes at a time, then byte by byte up to the first
		// byte that needs a look.
		for j+8 <= len(b) {
			special := needsLook(binary.LittleEndian.Uint64(b[j:]))
			if special != 0 {
				j += bits.TrailingZeros64(special) >> 3
				break
			}
			j += 8
		}
		for j < len(b) && strPlain[b[j]] {
			j++
		}
		if j >= len(b) {
			r.fail(j)
			return 0, 0, false
		}
		switch c := b[j]; {
		case c == '"':
			r.i = j + 1
			return start, j, plain
		case c == '\\':
			plain = false
			if j+1 >= len(b) {
				r.fail(j + 1)
				return 0, 0, false
			}
			switch b[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(b) || !isHex(b[k]) {
						r.fail(k)
						return 0, 0, false
					}
				}
				j += 6
			default:
				r.fail(j + 1)
				return 0, 0, false
			}
		case c < 0x20:
			r.fail(j)
			return 0, 0, false
		default: // c >= 0x80: a multi-byte sequence, valid or not
			ch, size := utf8.DecodeRune(b[j:])
			if ch == utf8.RuneError && size == 1 {
				plain = false // encoding/json replaces it with U+FFFD
			}
			j += size
		}
	}
}

// stringAt returns the decoded content of a string scanned by scanString.
func (r *jsonReader) stringAt(start, end int, plain bool) string {
	if plain {
		return string(r.b[start:end])
	}
	return string(appendUnquoted(nil, r.b[start:end]))
}

// appendUnquoted decodes the content of a string that scanString accepted,
// by encoding/json's rules: the usual escapes, \uXXXX with surrogate pairs
// (a lone or mismatched surrogate becomes U+FFFD) and invalid UTF-8 bytes
// replaced by U+FFFD, one per byte.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch e := s[r+1]; e {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			case 'u':
				ch := hex4(s[r+2 : r+6])
				r += 6
				if utf16.IsSurrogate(ch) {
					if r+6 <= len(s) && s[r] == '\\' && s[r+1] == 'u' {
						if dec := utf16.DecodeRune(ch, hex4(s[r+2:r+6])); dec != unicode.ReplacementChar {
							dst = utf8.AppendRune(dst, dec)
							r += 6
							continue
						}
					}
					ch = unicode.ReplacementChar
				}
				dst = utf8.AppendRune(dst, ch)
				continue
			default: // '"', '\\', '/'
				dst = append(dst, e)
			}
			r += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			ch, size := utf8.DecodeRune(s[r:])
			dst = utf8.AppendRune(dst, ch)
			r += size
		}
	}
	return dst
}

// hex4 reads four hex digits that scanString has checked.
func hex4(h []byte) rune {
	var v rune
	for _, c := range h {
		switch {
		case c <= '9':
			c -= '0'
		case c >= 'a':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		v = v<<4 | rune(c)
	}
	return v
}

// key reads an object key and the colon after it, leaving i at the member's
// value. The returned bytes are valid until the next call.
func (r *jsonReader) key() ([]byte, bool) {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		r.fail(r.i)
		return nil, false
	}
	start, end, plain := r.scanString()
	if r.failed {
		return nil, false
	}
	k := r.b[start:end]
	if !plain {
		r.keyBuf = appendUnquoted(r.keyBuf[:0], k)
		k = r.keyBuf
	}
	r.ws()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail(r.i)
		return nil, false
	}
	r.i++
	return k, r.atValue()
}

// firstKey is called just past '{': it reads the first key, or the '}' of
// an empty object (and then returns false).
func (r *jsonReader) firstKey() ([]byte, bool) {
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == '}' {
		r.i++
		r.depth--
		return nil, false
	}
	return r.key()
}

// nextKey is called after a member's value: it reads ',' and the next key,
// or the closing '}' (and then returns false).
func (r *jsonReader) nextKey() ([]byte, bool) {
	if r.failed {
		return nil, false
	}
	r.ws()
	if r.i < len(r.b) {
		switch r.b[r.i] {
		case ',':
			r.i++
			r.ws()
			return r.key()
		case '}':
			r.i++
			r.depth--
			return nil, false
		}
	}
	r.fail(r.i)
	return nil, false
}

// firstElem is called just past '[': it reports whether an element
// follows, consuming the ']' of an empty array.
func (r *jsonReader) firstElem() bool {
	r.ws()
	if r.i < len(r.b) && r.b[r.i] == ']' {
		r.i++
		r.depth--
		return false
	}
	return r.atValue()
}

// nextElem is called after an element: it reads ',' and reports that
// another element follows, or consumes the closing ']'.
func (r *jsonReader) nextElem() bool {
	if r.failed {
		return false
	}
	r.ws()
	if r.i < len(r.b) {
		switch r.b[r.i] {
		case ',':
			r.i++
			return r.atValue()
		case ']':
			r.i++
			r.depth--
			return false
		}
	}
	r.fail(r.i)
	return false
}

// literal consumes true, false or null at i; word is the expected text.
func (r *jsonReader) literal(word string) {
	if len(r.b)-r.i < len(word) || string(r.b[r.i:r.i+len(word)]) != word {
		// Point at the first byte that differs, as a scanner would.
		j := r.i
		for k := 0; k < len(word) && j < len(r.b) && r.b[j] == word[k]; k++ {
			j++
		}
		r.fail(j)
		return
	}
	r.i += len(word)
}

// number consumes a number literal at i and returns its bounds. It follows
// JSON's grammar -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; what may
// follow the number is checked by the enclosing container.
func (r *jsonReader) number() (start, end int) {
	b, j := r.b, r.i
	start = j
	if j < len(b) && b[j] == '-' {
		j++
	}
	switch {
	case j < len(b) && b[j] == '0':
		j++
	case j < len(b) && b[j] >= '1' && b[j] <= '9':
		j++
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
	default:
		r.fail(j)
		return 0, 0
	}
	if j < len(b) && b[j] == '.' {
		j++
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			r.fail(j)
			return 0, 0
		}
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j >= len(b) || b[j] < '0' || b[j] > '9' {
			r.fail(j)
			return 0, 0
		}
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
	}
	r.i = j
	return start, j
}

// skip consumes and validates the value at i, whatever it is.
func (r *jsonReader) skip() {
	switch c := r.b[r.i]; {
	case c == '"':
		r.scanString()
	case c == '{' || c == '[':
		r.skipContainer()
	case c == '-' || (c >= '0' && c <= '9'):
		r.number()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	default:
		r.fail(r.i)
	}
}

// skipContainer consumes and validates the object or array at i without
// recursion: a bit per open level says whether it is an object.
func (r *jsonReader) skipContainer() {
	base := r.depth
	var low uint64    // kinds of the first 64 levels opened here
	var high []uint64 // and of deeper ones, only for pathological input
	isObject := func(level int) bool {
		if level < 64 {
			return low&(1<<level) != 0
		}
		level -= 64
		return high[level/64]&(1<<(level%64)) != 0
	}
	open := func() bool {
		level := r.depth - base
		obj := r.b[r.i] == '{'
		if !r.enter() {
			return false
		}
		if level < 64 {
			low = low&^(1<<level) | b2u(obj)<<level
			return true
		}
		level -= 64
		for level/64 >= len(high) {
			high = append(high, 0)
		}
		w, bit := level/64, uint(level%64)
		high[w] = high[w]&^(1<<bit) | b2u(obj)<<bit
		return true
	}

	if !open() {
		return
	}
	// After an opening bracket: a first member, or the closing bracket.
	afterOpen := true
	for {
		level := r.depth - base - 1
		obj := isObject(level)
		if afterOpen {
			r.ws()
			closer := byte(']')
			if obj {
				closer = '}'
			}
			if r.i < len(r.b) && r.b[r.i] == closer {
				r.i++
				r.depth--
				if r.depth == base {
					return
				}
				afterOpen = false
				continue
			}
		} else {
			// After a value inside the container at level.
			r.ws()
			if r.i >= len(r.b) {
				r.fail(r.i)
				return
			}
			switch c := r.b[r.i]; {
			case c == ',':
				r.i++
				r.ws()
			case (c == '}' && obj) || (c == ']' && !obj):
				r.i++
				r.depth--
				if r.depth == base {
					return
				}
				continue
			default:
				r.fail(r.i)
				return
			}
		}
		// A member (key and colon first, in an object) or an element.
		if obj {
			if _, ok := r.rawKey(); !ok {
				return
			}
		} else if !r.atValue() {
			return
		}
		if c := r.b[r.i]; c == '{' || c == '[' {
			if !open() {
				return
			}
			afterOpen = true
			continue
		}
		r.skip()
		if r.failed {
			return
		}
		afterOpen = false
	}
}

// rawKey is key without decoding: for skipped objects only the syntax
// matters.
func (r *jsonReader) rawKey() (struct{}, bool) {
	if r.i >= len(r.b) || r.b[r.i] != '"' {
		r.fail(r.i)
		return struct{}{}, false
	}
	r.scanString()
	if r.failed {
		return struct{}{}, false
	}
	r.ws()
	if r.i >= len(r.b) || r.b[r.i] != ':' {
		r.fail(r.i)
		return struct{}{}, false
	}
	r.i++
	return struct{}{}, r.atValue()
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// valid reports whether b is one JSON value with only whitespace around
// it, as json.Valid does.
func (r *jsonReader) valid(b []byte) bool {
	*r = jsonReader{b: b}
	if !r.atValue() {
		return false
	}
	r.skip()
	r.ws()
	if !r.failed && r.i != len(r.b) {
		r.fail(r.i)
	}
	return !r.failed
}

// foldKey folds a key the way encoding/json does before its
// case-insensitive field match: ASCII letters to upper case, every other
// rune to the smallest rune of its Unicode fold set (so "ſ" matches "s"
// and the Kelvin sign matches "k"), invalid UTF-8 to U+FFFD.
func foldKey(dst, key []byte) []byte {
	for i := 0; i < len(key); {
		if c := key[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		ch, n := utf8.DecodeRune(key[i:])
		dst = utf8.AppendRune(dst, foldRune(ch))
		i += n
	}
	return dst
}

func foldRune(ch rune) rune {
	for {
		next := unicode.SimpleFold(ch)
		if next <= ch {
			return next
		}
		ch = next
	}
}
