package durable_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// postgresURL returns a URL to a fresh, empty PostgreSQL database dropped at
// the end of the test. Without HOTMARTKIT_TEST_POSTGRES_URL it fails under
// CI and skips elsewhere.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("HOTMARTKIT_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("HOTMARTKIT_TEST_POSTGRES_URL is not set under CI: .ci/run must start PostgreSQL")
		}
		t.Skip("PostgreSQL tests skipped: set HOTMARTKIT_TEST_POSTGRES_URL=postgres://user@host:port/db?sslmode=disable (a server where the user may CREATE DATABASE)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to HOTMARTKIT_TEST_POSTGRES_URL: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "hk_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
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
