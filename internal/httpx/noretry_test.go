package httpx_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

func TestWithNoRetryStatus(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ctx       context.Context
		wantCalls int32
	}{
		{"default retries 502", context.Background(), 4},
		{"502 opted out", httpx.WithNoRetryStatus(context.Background(), http.StatusBadGateway), 1},
		{"other status opted out", httpx.WithNoRetryStatus(context.Background(), http.StatusServiceUnavailable), 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int32
			c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.WriteHeader(http.StatusBadGateway)
			}, nil)
			_, err := c.Do(tc.ctx, httpx.Request{Path: "x"}, nil)
			var ae *httpx.APIError
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway {
				t.Fatalf("want *APIError 502, got %v", err)
			}
			if got := calls.Load(); got != tc.wantCalls {
				t.Fatalf("calls = %d, want %d", got, tc.wantCalls)
			}
		})
	}
}
