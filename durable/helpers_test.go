package durable_test

import (
	"context"
	"github.com/hotmartkit/hotmartkit/internal/pgtest"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// postgresURL is a fresh PostgreSQL database for this test (see pgtest.URL).
func postgresURL(t testing.TB) string {
	t.Helper()
	return pgtest.URL(t)
}

func sqliteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "hk.db")
}

// eachDB runs f on SQLite and on PostgreSQL.
func eachDB(t *testing.T, f func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, sqliteURL(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, postgresURL(t)) })
}

// fastOpts keeps tests quick: short backoff, timeouts and polling.
func fastOpts(extra ...durable.Option) []durable.Option {
	return append([]durable.Option{
		durable.WithRetryBaseDelay(20 * time.Millisecond),
		durable.WithRetryMaxDelay(200 * time.Millisecond),
		durable.WithJobTimeout(5 * time.Second),
		durable.WithPollInterval(20 * time.Millisecond),
	}, extra...)
}

func open(t *testing.T, dbURL string, proc webhook.Processor, opts ...durable.Option) *durable.Engine {
	t.Helper()
	ctx := context.Background()
	e, err := durable.Open(ctx, dbURL, proc, fastOpts(opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		start := time.Now()
		err := e.Stop(ctx)
		t.Logf("stop took %s (%v)", time.Since(start), err)
	})
	return e
}

func handler(t *testing.T, e *durable.Engine) *webhook.Handler {
	t.Helper()
	h, err := webhook.New(webhook.WithHottok("test-hottok-1"), webhook.WithProcessor(e.Intake()),
		webhook.WithStore(nil), webhook.WithHistory(e.History()))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func httptestRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
