package durable_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The core stays lean: only the durable package (and programs using it)
// may link River, pgx or SQLite.
func TestCoreLinksNoDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	pkgs := []string{"hotmart", "segment", "webhook", "leadlovers", "sendpulse", "pipeline"}
	args := []string{"list", "-deps"}
	for _, p := range pkgs {
		args = append(args, "github.com/hotmartkit/hotmartkit/"+p)
	}
	out, err := exec.Command("go", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var bad []string
	for _, line := range strings.Split(string(out), "\n") {
		for _, forbidden := range []string{"github.com/riverqueue/", "github.com/jackc/", "modernc.org/sqlite", "modernc.org/libc"} {
			if strings.HasPrefix(line, forbidden) {
				bad = append(bad, line)
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("%v link database code: %v", pkgs, bad)
	}
	// And the check itself can fail: durable does link them.
	out, err = exec.Command("go", "list", "-deps", "github.com/hotmartkit/hotmartkit/durable").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "github.com/riverqueue/river\n") {
		t.Fatalf("durable's deps do not show River: %v", err)
	}
}
