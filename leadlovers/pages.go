package leadlovers

import (
	"context"
	"iter"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// ListOptions are the paging parameters every list endpoint takes; every
// XxxListOptions type embeds them.
type ListOptions struct {
	Page    int `url:"page"`                // 1-based; 0 means 1
	PerPage int `url:"registers,omitempty"` // page size where the endpoint takes one; 0 = the API's default
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// Page is one page of a list endpoint.
type Page[T any] struct {
	Items []T
	// Total is the number of matching items when leadlovers reports it,
	// else 0.
	Total int
	// Next holds the paging parameters of the following page (copy them
	// into the options' ListOptions); nil on the last page.
	Next *ListOptions
}

// HasNext reports whether another page follows.
func (p *Page[T]) HasNext() bool { return p.Next != nil }

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
