package httpx_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

func TestAPIErrorRetryDelay(t *testing.T) {
	var err error = fmt.Errorf("wrapped: %w", &httpx.APIError{StatusCode: 429, RetryAfter: 3 * time.Second})
	var rd interface{ RetryDelay() time.Duration }
	if !errors.As(err, &rd) || rd.RetryDelay() != 3*time.Second {
		t.Fatalf("RetryDelay not found through the chain: %v", err)
	}
}
