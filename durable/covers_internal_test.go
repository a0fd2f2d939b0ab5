package durable

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// Retention forgets the covers of the events it forgets, and only those.
func TestPurgeForgetsCovers(t *testing.T) {
	urls := []string{"sqlite:" + filepath.Join(t.TempDir(), "p.db")}
	if pg := freshPostgres(t); pg != "" {
		urls = append(urls, pg)
	}
	for _, u := range urls {
		ctx := context.Background()
		e, err := Open(ctx, u, webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil }))
		if err != nil {
			t.Fatal(err)
		}
		acct := "purge" + randomID()
		for _, id := range []string{"kept", "gone"} {
			if _, err := e.db.exec(ctx, `INSERT INTO hk_covers (account, transaction_code, event_type, event_id, source) VALUES (?, ?, ?, ?, 'sync')`,
				acct, id, "PURCHASE_APPROVED", acct+":"+id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.db.exec(ctx, `INSERT INTO hk_events (event_id, event_type, version, account, created_at, received_at, payload, state, updated_at)
			VALUES (?, 'PURCHASE_APPROVED', '2.0.0', ?, 0, ?, '{}', 'done', 0)`, acct+":kept", acct, time.Now().UnixMicro()); err != nil {
			t.Fatal(err)
		}
		if err := e.purge(ctx, time.Now().Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		var left []string
		err = e.db.query(ctx, `SELECT transaction_code FROM hk_covers WHERE account = ?`, []any{acct}, func(scan func(...any) error) error {
			var s string
			left = append(left, s)
			return scan(&left[len(left)-1])
		})
		_ = e.Stop(ctx)
		if err != nil || len(left) != 1 || left[0] != "kept" {
			t.Fatalf("%s: covers left %v (%v), want [kept]", u[:6], left, err)
		}
	}
}

// freshPostgres creates an empty database on HOTMARTKIT_TEST_POSTGRES_URL's
// server, dropped after the test; "" without the variable.
func freshPostgres(t *testing.T) string {
	base := os.Getenv("HOTMARTKIT_TEST_POSTGRES_URL")
	if base == "" {
		return ""
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	name := "hk_test_" + randomID()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(context.Background())
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
