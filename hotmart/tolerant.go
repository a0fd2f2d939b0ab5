package hotmart

import (
	"bytes"
	"errors"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// decodeOpts are the options of every decode in this package: repeated keys
// are allowed (the last wins) and invalid UTF-8 becomes U+FFFD, as
// encoding/json always did. Member names match exactly; unknown members are
// ignored.
var decodeOpts = json.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// maxWarnings bounds how many unreadable fields a data section may have
// and still be decoded: past it the section is treated as not this
// event's shape at all.
const maxWarnings = 16

// decodeData decodes the data section raw into a new value from newData.
// A value that does not fit its field (wrong kind, unreadable time,
// out-of-range number) does not fail the section: that value is decoded as
// if it were null (so the field stays absent) and reported as a warning,
// and everything else is decoded. The section fails only when a value at
// one of the essential paths is unreadable, or past maxWarnings. path is
// the section's own path ("data").
//
// Each unreadable value costs one more pass, over a copy with that value
// replaced by null: the library stops at the first error, and this keeps
// the common case free of any bookkeeping.
func decodeData(raw []byte, path string, newData func() any, essential []string) (any, []*DecodeError, error) {
	var warnings []*DecodeError
	lastOff := int64(-1)
	for cur := raw; ; {
		v := newData()
		err := json.Unmarshal(cur, v, decodeOpts)
		if err == nil {
			return v, warnings, nil
		}
		de := libraryError(path, cur, err)
		var sem *json.SemanticError
		if !errors.As(err, &sem) || sem.JSONPointer == "" || slices.Contains(essential, de.Field) {
			return nil, warnings, de
		}
		next, ok := nullAt(cur, sem.ByteOffset)
		if !ok || sem.ByteOffset == lastOff {
			return nil, warnings, de
		}
		lastOff = sem.ByteOffset
		if warnings = append(warnings, de); len(warnings) > maxWarnings {
			return nil, warnings, &DecodeError{Field: path, Reason: ReasonType, Detail: "too many unreadable fields"}
		}
		cur = next
	}
}

// nullAt returns a copy of raw with the JSON value starting at byte off
// replaced by null.
func nullAt(raw []byte, off int64) ([]byte, bool) {
	if off < 0 || off >= int64(len(raw)) {
		return nil, false
	}
	v, err := jsontext.NewDecoder(bytes.NewBuffer(raw[off:]), decodeOpts).ReadValue()
	if err != nil {
		return nil, false
	}
	return slices.Concat(raw[:off], []byte("null"), raw[off+int64(len(v)):]), true
}

// pointerPath renders the JSON Pointer ptr into raw in DecodeError's path
// syntax, after path. A JSON Pointer does not say whether "1" is an array
// index or a member name; raw does, so the pointer is followed through it.
func pointerPath(raw []byte, ptr jsontext.Pointer, path string) (string, bool) {
	dec := jsontext.NewDecoder(bytes.NewBuffer(raw), decodeOpts)
	for tok := range ptr.Tokens() {
		k := dec.PeekKind()
		if _, err := dec.ReadToken(); err != nil {
			return "", false
		}
		switch k {
		case '[':
			n, err := strconv.Atoi(tok)
			if err != nil {
				return "", false
			}
			for range n {
				if dec.SkipValue() != nil {
					return "", false
				}
			}
			path = indexPath(path, n)
		case '{':
			for {
				name, err := dec.ReadToken()
				if err != nil || name.Kind() != '"' {
					return "", false
				}
				if name.String() == tok {
					break
				}
				if dec.SkipValue() != nil {
					return "", false
				}
			}
			path = joinPath(path, tok)
		default:
			return "", false
		}
	}
	return path, true
}
