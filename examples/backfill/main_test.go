package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart/backfill"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

func noEnv(string) string { return "" }

func TestDemoModeWithoutConfiguration(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), nil, noEnv, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, want := range []string{"day", "currency", "revenue", "total       BRL", "subscriptions:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

func TestConfigurationErrors(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		flag string
	}{
		{"missing secret", []string{"-client-id", "x", "-basic", "b", "-from", "2024-01-01"}, nil, "-client-secret"},
		{"missing basic from env", nil, map[string]string{"HOTMART_CLIENT_ID": "x", "HOTMART_CLIENT_SECRET": "y"}, "-basic"},
		{"missing from", []string{"-client-id", "x", "-client-secret", "y", "-basic", "b"}, nil, "-from"},
		{"bad from", []string{"-from", "2024-13-01"}, nil, "-from"},
		{"bad to", []string{"-to", "tomorrow"}, nil, "-to"},
		{"to before from", []string{"-from", "2024-02-01", "-to", "2024-01-01"}, nil, "-to"},
		{"bad api url", []string{"-client-id", "x", "-client-secret", "y", "-basic", "b", "-from", "2024-01-01", "-api-url", "ftp://x"}, nil, "-api-url"},
		{"unknown flag", []string{"-bogus"}, nil, "-bogus"},
		{"sandbox without credentials", []string{"-sandbox", "-from", "2024-01-01"}, nil, "-client-id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, env(tc.env), &out, &errb)
			if code != exitConfig {
				t.Fatalf("exit %d, want 2; stderr %q", code, errb.String())
			}
			lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tc.flag) {
				t.Fatalf("want one line naming %s, got %q", tc.flag, errb.String())
			}
		})
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestInterruptAndResume builds the program, interrupts it with SIGINT
// mid-import, runs it again, and checks the CSV holds every sale once.
func TestInterruptAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "backfill")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	srv := resttest.NewServer(t, resttest.WithSales(6000), resttest.WithRateLimit(100000, time.Minute))
	srv.SetLatency(60 * time.Millisecond)
	cr := srv.Credentials()
	csvPath, cpPath := filepath.Join(dir, "sales.csv"), filepath.Join(dir, "cp.json")
	args := []string{"-client-id", cr.ClientID, "-client-secret", cr.ClientSecret, "-basic", cr.Basic,
		"-api-url", srv.URL(), "-auth-url", srv.TokenURL(), "-from", "2024-01-01", "-to", "2024-07-01",
		"-out", csvPath, "-checkpoint", cpPath, "-report=false"}

	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once some pages are checkpointed.
	deadline := time.Now().Add(20 * time.Second)
	for {
		var cp backfill.Checkpoint
		if b, err := os.ReadFile(cpPath); err == nil && json.Unmarshal(b, &cp) == nil && cp.Records >= 1000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint progress")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("want exit 130, got %v; stderr %q", err, stderr.String())
	}
	partial := readCSV(t, csvPath)
	if len(partial) < 2 || len(partial)-1 >= 6000 {
		t.Fatalf("interrupted run wrote %d rows", len(partial)-1)
	}

	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	rows := readCSV(t, csvPath)
	if strings.Join(rows[0], ",") != "transaction,status,product_id,product_name,buyer_email,order_date,approved_date,price,currency,payment_type,recurrence_number,offer_code" {
		t.Fatalf("header %v", rows[0])
	}
	got := map[string][]string{}
	for _, r := range rows[1:] {
		if _, dup := got[r[0]]; dup {
			t.Errorf("transaction %s written twice", r[0])
		}
		got[r[0]] = r
	}
	sales := srv.Sales()
	if len(got) != len(sales) {
		t.Fatalf("CSV has %d sales, server %d", len(got), len(sales))
	}
	for _, s := range sales {
		r, ok := got[s.Purchase.Transaction]
		if !ok {
			t.Fatalf("sale %s missing", s.Purchase.Transaction)
		}
		if r[1] != string(s.Purchase.Status) || r[7] != string(s.Purchase.Price.Value) || r[5] != s.Purchase.OrderDate.UTC().Format(time.RFC3339) {
			t.Fatalf("row %v does not match sale %+v", r, s.Purchase)
		}
		if s.Purchase.ApprovedDate.IsZero() != (r[6] == "") {
			t.Fatalf("approved_date column %q for %+v", r[6], s.Purchase.ApprovedDate)
		}
	}
}
