package httpx

import (
	"context"
	"iter"
)

// Paginate turns a page fetcher into the iterator every client's All
// methods return. start runs at the beginning of each iteration (so ranging
// twice starts over from the caller's options) and returns next, which
// fetches one page and reports whether another follows. The context is
// checked before each page; the first error is yielded once, then the
// iteration stops.
func Paginate[T any](ctx context.Context, start func() func(context.Context) ([]T, bool, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		next := start()
		var zero T
		for {
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			items, more, err := next(ctx)
			if err != nil {
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}
