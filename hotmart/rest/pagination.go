package rest

import (
	"context"
	"iter"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxPageSize is the largest max_results Hotmart honours on the sales and
// subscription endpoints; larger values are silently reduced by the server.
const MaxPageSize = 500

// ListOptions are the cursor parameters every paginated endpoint takes.
type ListOptions struct {
	MaxResults int    // page size; 0 = the endpoint's default
	PageToken  string // cursor from PageInfo.NextPageToken; "" = first page
}

func (o *ListOptions) listOptions() *ListOptions { return o }

func (o ListOptions) encode(q url.Values) {
	if o.MaxResults > 0 {
		q.Set("max_results", strconv.Itoa(o.MaxResults))
	}
	if o.PageToken != "" {
		q.Set("page_token", o.PageToken)
	}
}

// PageInfo is the page_info block of a paginated answer.
type PageInfo struct {
	TotalResults   int    `json:"total_results,omitempty"` // not returned by every endpoint
	NextPageToken  string `json:"next_page_token,omitempty"`
	PrevPageToken  string `json:"prev_page_token,omitempty"`
	ResultsPerPage int    `json:"results_per_page,omitempty"`
}

// Page is one page of a paginated answer.
type Page[T any] struct {
	Items    []T      `json:"items"`
	PageInfo PageInfo `json:"page_info"`
}

// pageable is any XxxOptions struct embedding ListOptions.
type pageable[O any] interface {
	*O
	listOptions() *ListOptions
}

// paginate walks every page from opts (a copy is taken: the caller's struct
// is never modified). It yields each item; on error it yields the error once
// and stops. The context is checked before each page, and a next_page_token
// already followed ends the walk with ErrRepeatedPageToken instead of
// looping forever.
func paginate[T any, O any, PO pageable[O]](ctx context.Context, opts *O, fetch func(context.Context, *O) (*Page[T], error)) iter.Seq2[T, error] {
	var cp O
	if opts != nil {
		cp = *opts
	}
	return func(yield func(T, error) bool) {
		o := cp // each iteration of the sequence starts from the caller's options
		lo := PO(&o).listOptions()
		seen := map[string]bool{}
		if lo.PageToken != "" {
			seen[lo.PageToken] = true
		}
		var zero T
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			page, err := fetch(ctx, &o)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			next := page.PageInfo.NextPageToken
			if next == "" {
				return
			}
			if seen[next] {
				yield(zero, ErrRepeatedPageToken)
				return
			}
			seen[next] = true
			lo.PageToken = next
		}
	}
}

// Helpers that write query parameters the way Hotmart reads them: dates as
// epoch milliseconds, multi-value filters as repeated keys.

func setStr(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}

func setTime(q url.Values, k string, t time.Time) {
	if !t.IsZero() {
		q.Set(k, strconv.FormatInt(t.UnixMilli(), 10))
	}
}

func setInt(q url.Values, k string, n int) {
	if n != 0 {
		q.Set(k, strconv.Itoa(n))
	}
}

func setBool(q url.Values, k string, b *bool) {
	if b != nil {
		q.Set(k, strconv.FormatBool(*b))
	}
}

func addAll[S ~string](q url.Values, k string, vs []S) {
	for _, v := range vs {
		if v != "" {
			q.Add(k, string(v))
		}
	}
}

func setSelect(q url.Values, fields []string) {
	if len(fields) > 0 {
		q.Set("select", strings.Join(fields, ","))
	}
}

// getPage fetches one page of a list endpoint.
func getPage[T any](ctx context.Context, c *Client, path string, q url.Values) (*Page[T], error) {
	var p Page[T]
	if err := c.get(ctx, path, q, &p); err != nil {
		return nil, err
	}
	return &p, nil
}
