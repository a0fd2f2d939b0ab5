package rest

import (
	"context"
	"iter"
	"net/url"
	"strconv"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
	"github.com/hotmartkit/hotmartkit/internal/query"
)

// MaxPageSize is the largest max_results Hotmart honours on the sales and
// subscription endpoints; larger values are silently reduced by the server.
const MaxPageSize = 500

// ListOptions are the cursor parameters every paginated endpoint takes;
// every XxxListOptions type embeds them.
type ListOptions struct {
	MaxResults int    `url:"max_results,omitempty"` // page size; 0 = the endpoint's default
	PageToken  string `url:"page_token,omitempty"`  // cursor from Page.Next; "" = first page
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// Page is one page of a list endpoint.
type Page[T any] struct {
	Items []T
	// Total is the number of matching items when Hotmart reports it, else 0.
	Total int
	// Next holds the cursor of the following page (copy it into the
	// options' ListOptions); nil on the last page.
	Next *ListOptions
}

// HasNext reports whether another page follows.
func (p *Page[T]) HasNext() bool { return p.Next != nil }

// wirePage is a page as Hotmart sends it.
type wirePage[T any] struct {
	Items    []T `json:"items"`
	PageInfo struct {
		TotalResults   int    `json:"total_results"`
		NextPageToken  string `json:"next_page_token"`
		ResultsPerPage int    `json:"results_per_page"`
	} `json:"page_info"`
}

// pageable is any XxxListOptions struct embedding ListOptions.
type pageable[O any] interface {
	*O
	listOptions() *ListOptions
}

// paginate walks every page from opts (a copy is taken: the caller's struct
// is never modified), refusing a next_page_token already followed
// (ErrRepeatedPageToken) instead of looping forever.
func paginate[T any, O any, PO pageable[O]](ctx context.Context, opts *O, fetch func(context.Context, *O) (*Page[T], error)) iter.Seq2[T, error] {
	var cp O
	if opts != nil {
		cp = *opts
	}
	return httpx.Paginate(ctx, func() func(context.Context) ([]T, bool, error) {
		o := cp // each iteration of the sequence starts from the caller's options
		lo := PO(&o).listOptions()
		seen := map[string]bool{}
		if lo.PageToken != "" {
			seen[lo.PageToken] = true
		}
		looped := false
		return func(ctx context.Context) ([]T, bool, error) {
			if looped {
				return nil, false, ErrRepeatedPageToken
			}
			page, err := fetch(ctx, &o)
			if err != nil {
				return nil, false, err
			}
			if page.Next == nil {
				return page.Items, false, nil
			}
			next := page.Next.PageToken
			if seen[next] {
				// Yield this page's items first, then stop on the loop.
				looped = true
				return page.Items, true, nil
			}
			seen[next] = true
			*lo = *page.Next
			return page.Items, true, nil
		}
	})
}

// getPage fetches one page of a list endpoint; opts is an options struct
// (or nil) encoded from its url tags.
func getPage[T any](ctx context.Context, c *Client, path string, opts any) (*Page[T], error) {
	q, err := query.Values(opts)
	if err != nil {
		return nil, err
	}
	return getPageQuery[T](ctx, c, path, q)
}

func getPageQuery[T any](ctx context.Context, c *Client, path string, q url.Values) (*Page[T], error) {
	var w wirePage[T]
	if err := c.get(ctx, path, q, &w); err != nil {
		return nil, err
	}
	p := &Page[T]{Items: w.Items, Total: w.PageInfo.TotalResults}
	if w.PageInfo.NextPageToken != "" {
		p.Next = &ListOptions{MaxResults: q2int(q.Get("max_results")), PageToken: w.PageInfo.NextPageToken}
	}
	return p, nil
}

func q2int(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
