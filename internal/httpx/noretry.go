package httpx

import (
	"context"
	"net/http"
	"slices"
)

type noRetryKey struct{}

// WithNoRetryStatus returns a context under which responses with one of the
// given statuses are not retried, even for idempotent requests. Hotmart's
// 502 means "the query ran over 30 s": repeating it only burns another 30 s
// of the provider's time, so the caller narrows the query instead.
func WithNoRetryStatus(ctx context.Context, statuses ...int) context.Context {
	return context.WithValue(ctx, noRetryKey{}, statuses)
}

func noRetry(ctx context.Context, resp *http.Response) bool {
	if resp == nil {
		return false
	}
	s, _ := ctx.Value(noRetryKey{}).([]int)
	return slices.Contains(s, resp.StatusCode)
}
