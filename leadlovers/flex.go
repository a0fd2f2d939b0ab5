package leadlovers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Code is a numeric leadlovers identifier (machine, sequence, lead, tag…).
// The API sends codes as JSON numbers in most places and as strings in a few
// (a lead's MachineCode), so Code accepts a number, a numeric string, an
// empty string or null (zero).
type Code int64

// UnmarshalJSON accepts 12, "12", "" and null.
func (c *Code) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		*c = 0
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*c = 0
			return nil
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Some integrations see codes written as 12.0; accept whole floats.
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int64(f)) {
			return fmt.Errorf("leadlovers: code %.20q is not an integer", s)
		}
		n = int64(f)
	}
	*c = Code(n)
	return nil
}

// Int returns c as an int.
func (c Code) Int() int { return int(c) }

// Text is a string the API sometimes sends as a number or null (a lead's
// MachineCode, which can also list several machines).
type Text string

// UnmarshalJSON accepts a string, a number, a boolean or null.
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
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("leadlovers: expected a string, got %s", jsonKind(b[0]))
	default:
		*t = Text(b)
	}
	return nil
}

// String returns t as a string.
func (t Text) String() string { return string(t) }

// BodyStatus is the StatusCode leadlovers repeats inside response bodies. It
// is a number (200, 400) in most replies and a name ("OK", "BadRequest",
// "NotFound") in others; both decode to the HTTP status they stand for.
// Names with no known number keep Name and leave Code zero.
type BodyStatus struct {
	Code int    // 200, 400, … (0 when unknown)
	Name string // the name as sent, when sent as a string
}

var statusNames = map[string]int{
	"ok": 200, "created": 201, "accepted": 202, "nocontent": 204,
	"badrequest": 400, "unauthorized": 401, "forbidden": 403, "notfound": 404,
	"conflict": 409, "unprocessableentity": 422, "toomanyrequests": 429,
	"internalservererror": 500, "badgateway": 502, "serviceunavailable": 503, "gatewaytimeout": 504,
}

// UnmarshalJSON accepts 200, "200", "OK", "BadRequest" and null.
func (s *BodyStatus) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*s = BodyStatus{}
	if len(b) == 0 || bytes.Equal(b, []byte("null")) {
		return nil
	}
	if b[0] != '"' {
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("leadlovers: StatusCode is %s, want number or string", jsonKind(b[0]))
		}
		s.Code = int(f)
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	s.Name = strings.TrimSpace(name)
	if n, err := strconv.Atoi(s.Name); err == nil {
		s.Code = n
		return nil
	}
	key := strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(s.Name))
	s.Code = statusNames[key]
	return nil
}

// IsZero reports whether no status was sent.
func (s BodyStatus) IsZero() bool { return s.Code == 0 && s.Name == "" }

// OK reports whether the status means success (2xx or "OK").
func (s BodyStatus) OK() bool { return s.Code >= 200 && s.Code <= 299 }

func (s BodyStatus) String() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Code != 0:
		return strconv.Itoa(s.Code)
	}
	return ""
}

func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	}
	return "a number"
}
