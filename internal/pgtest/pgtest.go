// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server named by HOTMARTKIT_TEST_POSTGRES_URL (which .ci/run starts), so
// PostgreSQL tests can run in parallel and leave nothing behind.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the server's URL; its user must be allowed to CREATE DATABASE.
const EnvVar = "HOTMARTKIT_TEST_POSTGRES_URL"

// URL returns the URL of a new, empty database, dropped when the test ends.
// Without EnvVar it fails the test when CI is set (a PostgreSQL test must
// not pass by skipping there) and skips it elsewhere, saying how to run it.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvVar)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal(EnvVar + " is not set under CI: .ci/run must start PostgreSQL")
		}
		t.Skip("PostgreSQL tests skipped: set " + EnvVar + "=postgres://user@host:port/db?sslmode=disable (a server where the user may CREATE DATABASE)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connecting to %s: %v", EnvVar, err)
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
		// FORCE ends connections a stopped engine or a killed process left.
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
