package hotmart_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// readFixture returns a file under testdata.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parseFixture parses a testdata file and fails the test on any error.
func parseFixture(t testing.TB, name string) *hotmart.Event {
	t.Helper()
	e, err := hotmart.ParseEvent(readFixture(t, name))
	if err != nil {
		t.Fatalf("ParseEvent(%s): %v", name, err)
	}
	return e
}

func mustPurchase(t testing.TB, e *hotmart.Event) *hotmart.PurchaseData {
	t.Helper()
	d, err := e.Purchase()
	if err != nil {
		t.Fatalf("Purchase(): %v", err)
	}
	return d
}

func ms(n int64) time.Time { return time.UnixMilli(n).UTC() }

func eq[T comparable](t testing.TB, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
