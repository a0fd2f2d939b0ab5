package sendpulse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// envelope is the CRM's wrapper: every payload sits under "data".
type envelope[T any] struct {
	Data T `json:"data"`
}

// list decodes a CRM list leniently: the API spec types some arrays as
// single objects and wraps others in {list: [...]}, so all three forms are
// accepted.
type list[T any] []T

func (l *list[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*l = nil
		return nil
	case b[0] == '[':
		var v []T
		err := json.Unmarshal(b, &v)
		*l = v
		return err
	case b[0] == '{':
		var w struct {
			List *[]T `json:"list"`
		}
		if err := json.Unmarshal(b, &w); err == nil && w.List != nil {
			*l = *w.List
			return nil
		}
		var one T
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = list[T]{one}
		return nil
	}
	return fmt.Errorf("sendpulse: expected a list, got %.20s", b)
}

// Number is a JSON number SendPulse may also send as a string ("12.50");
// null and "" read as 0.
type Number float64

// UnmarshalJSON accepts a number, a numeric string or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("sendpulse: %.20q is not a number", s)
	}
	*n = Number(f)
	return nil
}

// Text is a JSON value read as text: strings as they are, numbers and
// booleans by their literal, null as "". Attribute values come in all forms.
type Text string

// UnmarshalJSON accepts any scalar.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || bytes.Equal(b, []byte("null")):
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
	default:
		*t = Text(b)
	}
	return nil
}

// ListOptions pages a list call.
type ListOptions struct {
	Limit  int `json:"limit,omitempty"`
	Offset int `json:"offset,omitempty"`
}
