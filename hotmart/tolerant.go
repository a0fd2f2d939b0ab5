package hotmart

import (
	"bytes"
	"errors"
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

// decodeData decodes the data section raw into a new T. A value that does
// not fit its field (wrong kind, unreadable time, out-of-range number) does
// not fail the section: that value is decoded as if it were null (so the
// field stays absent) and reported as a warning, and everything else is
// decoded. The section fails only when it is not an object, when a value
// an action cannot run without is unreadable (essential), or past
// maxWarnings. path is the section's own path ("data").
//
// Well-formed bodies take one pass. Each unreadable value costs one more
// pass over a copy with that value replaced by null: the library stops at
// the first error, and this keeps the happy path free of any bookkeeping.
func decodeData[T any](raw []byte, path string, essential func(string) bool) (*T, []*DecodeError, error) {
	var warnings []*DecodeError
	cur := raw
	for {
		v := new(T)
		err := json.Unmarshal(cur, v, decodeOpts)
		if err == nil {
			return v, warnings, nil
		}
		var sem *json.SemanticError
		if !errors.As(err, &sem) || sem.JSONPointer == "" {
			return nil, warnings, libraryError(path, cur, err)
		}
		next, at, ok := walkPointer(cur, sem.JSONPointer, path, true)
		if !ok {
			return nil, warnings, libraryError(path, cur, err)
		}
		de := libraryError(path, cur, err)
		de.Field = at
		if essential != nil && essential(at) {
			return nil, warnings, de
		}
		warnings = append(warnings, de)
		if len(warnings) > maxWarnings {
			return nil, warnings, &DecodeError{Field: path, Reason: ReasonType, Detail: "too many unreadable fields"}
		}
		cur = next
	}
}

// frame is one open object or array met by walkPointer.
type frame struct {
	array    bool
	name     string // object: the current member's name
	index    int    // array: the current element's index
	wantName bool   // object: the next token is a member name
}

// walkPointer finds the value at the JSON Pointer ptr in raw and returns
// its path in DecodeError's syntax (prefixed by path). With rewrite it also
// returns a copy of raw with that value replaced by null. ok is false when
// no value is at ptr.
func walkPointer(raw []byte, ptr jsontext.Pointer, path string, rewrite bool) (out []byte, at string, ok bool) {
	var want []string
	for tok := range ptr.Tokens() {
		want = append(want, tok)
	}
	dec := jsontext.NewDecoder(bytes.NewBuffer(raw), decodeOpts)
	var (
		buf   bytes.Buffer
		enc   = jsontext.NewEncoder(&buf, decodeOpts)
		stack []frame
		found bool
	)
	write := func(t jsontext.Token) bool { return !rewrite || enc.WriteToken(t) == nil }
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].array {
				stack[n-1].index++
			} else {
				stack[n-1].wantName = true
			}
		}
	}
	for {
		k := dec.PeekKind()
		if k == 0 {
			break
		}
		n := len(stack)
		switch {
		case n > 0 && !stack[n-1].array && stack[n-1].wantName && k != '}':
			tok, err := dec.ReadToken()
			if err != nil {
				return nil, "", false
			}
			stack[n-1].name, stack[n-1].wantName = tok.String(), false
			if !write(tok) {
				return nil, "", false
			}
			continue
		case k == '}' || k == ']':
			tok, err := dec.ReadToken()
			if err != nil || !write(tok) {
				return nil, "", false
			}
			stack = stack[:n-1]
			advance()
			continue
		}
		if !found && matches(stack, want) {
			found, at = true, path
			for _, f := range stack {
				if f.array {
					at = indexPath(at, f.index)
				} else {
					at = joinPath(at, f.name)
				}
			}
			if !rewrite {
				return nil, at, true
			}
			if dec.SkipValue() != nil || !write(jsontext.Null) {
				return nil, "", false
			}
			advance()
			continue
		}
		tok, err := dec.ReadToken()
		if err != nil || !write(tok) {
			return nil, "", false
		}
		switch k {
		case '{':
			stack = append(stack, frame{wantName: true})
		case '[':
			stack = append(stack, frame{array: true})
		default:
			advance()
		}
	}
	if !found {
		return nil, "", false
	}
	return buf.Bytes(), at, true
}

func matches(stack []frame, want []string) bool {
	if len(stack) != len(want) || len(want) == 0 {
		return false
	}
	for i, f := range stack {
		if f.array {
			if strconv.Itoa(f.index) != want[i] {
				return false
			}
		} else if f.name != want[i] {
			return false
		}
	}
	return true
}
