package sendpulse

import (
	"context"
	"iter"

	"bytes"
	"encoding/json"
	"fmt"
	"github.com/hotmartkit/hotmartkit/internal/httpx"
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

// ListOptions are the paging parameters every list endpoint takes; every
// XxxListOptions type embeds them. (They travel in the query, or in the
// body of the CRM's POST searches.)
type ListOptions struct {
	Limit  int `json:"limit,omitempty" url:"limit,omitempty"`   // page size; 0 = the endpoint's default
	Offset int `json:"offset,omitempty" url:"offset,omitempty"` // items to skip
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// Page is one page of a list endpoint.
type Page[T any] struct {
	Items []T
	// Total is the number of matching items when SendPulse reports it,
	// else 0.
	Total int
	// Next holds the paging parameters of the following page (copy them
	// into the options' ListOptions); nil on the last page.
	Next *ListOptions
}

// HasNext reports whether another page follows.
func (p *Page[T]) HasNext() bool { return p.Next != nil }

// newPage builds a page from the items answered for lo; def is the page
// size the endpoint uses when lo.Limit is 0. A short page, or an offset
// reaching the total, is the last.
func newPage[T any](items []T, total int, lo ListOptions, def int) *Page[T] {
	p := &Page[T]{Items: items, Total: total}
	size := lo.Limit
	if size <= 0 {
		size = def
	}
	next := lo.Offset + len(items)
	if len(items) > 0 && len(items) >= size && (total == 0 || next < total) {
		p.Next = &ListOptions{Limit: lo.Limit, Offset: next}
	}
	return p
}

type pageable[O any] interface {
	*O
	listOptions() *ListOptions
}

// allPages walks every page from a copy of opts.
func allPages[T any, O any, PO pageable[O]](ctx context.Context, opts *O, fetch func(context.Context, *O) (*Page[T], error)) iter.Seq2[T, error] {
	var cp O
	if opts != nil {
		cp = *opts
	}
	return httpx.Paginate(ctx, func() func(context.Context) ([]T, bool, error) {
		o := cp
		return func(ctx context.Context) ([]T, bool, error) {
			p, err := fetch(ctx, &o)
			if err != nil {
				return nil, false, err
			}
			if p.Next == nil {
				return p.Items, false, nil
			}
			*PO(&o).listOptions() = *p.Next
			return p.Items, true, nil
		}
	})
}
