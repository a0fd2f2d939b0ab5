package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// syncBuffer is an io.Writer safe to read while the program writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type served struct {
	base   string // http://127.0.0.1:port
	hook   string // webhook URL
	ll     *leadloverstest.Server
	sp     *sendpulsetest.Server
	stop   func() int // cancels and returns the exit code
	stderr *syncBuffer
}

// startServed runs the program in served mode, in-process, against fake
// providers, exactly as an operator would configure it (flags + env).
func startServed(t *testing.T, admin string, extra ...string) *served {
	t.Helper()
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	rules := filepath.Join(t.TempDir(), "rules.json")
	if err := os.WriteFile(rules, demoRules, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-addr", "127.0.0.1:0", "-rules", rules, "-leadlovers-url", ll.URL(), "-sendpulse-url", sp.URL()}
	if admin != "" {
		args = append(args, "-admin-token", admin)
	}
	if len(extra) == 0 {
		extra = []string{"-db", "sqlite:" + filepath.Join(t.TempDir(), "hk.db")}
	}
	args = append(args, extra...)
	env := map[string]string{
		"HOTMART_HOTTOK":    "old-hottok, test-hottok",
		"LEADLOVERS_TOKEN":  ll.Token(),
		"SENDPULSE_API_KEY": sp.Credentials().APIKey,
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, envFrom(env), &out, &errb) }()

	re := regexp.MustCompile(`listening on (http://[^/\s]+)(/\S*)`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			s := &served{base: m[1], hook: m[1] + m[2], ll: ll, sp: sp, stderr: &errb}
			var once sync.Once
			code := -1
			s.stop = func() int {
				once.Do(func() { cancel(); code = <-done })
				return code
			}
			t.Cleanup(func() { s.stop() })
			return s
		}
		select {
		case code := <-done:
			t.Fatalf("program exited %d before listening:\n%s", code, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("program did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func deliver(t *testing.T, url string, body []byte, hottok string) int {
	t.Helper()
	resp, err := hotmarttest.Post(context.Background(), url, body, hottok)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func callsOf(ll *leadloverstest.Server) []string {
	var out []string
	for _, c := range ll.Calls() {
		out = append(out, c.Method+" "+c.Path)
	}
	return out
}

func effectKinds(log []sendpulsetest.Effect) []string {
	out := make([]string, len(log))
	for i, e := range log {
		out[i] = e.Kind
	}
	return out
}

func TestServedEndToEnd(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testServedEndToEnd(t, false, "-db", "memory") })
	t.Run("durable", func(t *testing.T) { testServedEndToEnd(t, true) })
}

// waitEvents polls GET /events until n events are in state want.
func waitEvents(t *testing.T, s *served, auth string, want string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, body := get(t, s.base+"/events?state="+want, auth)
		var evs []map[string]any
		if code == http.StatusOK && json.Unmarshal(body, &evs) == nil && len(evs) >= n {
			return evs
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %d events %s: %d %s\n%s", n, want, code, body, s.stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func testServedEndToEnd(t *testing.T, durableMode bool, extra ...string) {
	s := startServed(t, "admin-secret", extra...)
	ana := []hotmarttest.EventOption{
		hotmarttest.WithBuyerEmail("ana@example.com"), hotmarttest.WithBuyerName("Ana"),
		hotmarttest.WithBuyerCountry("BR"), hotmarttest.WithTransaction("HP0000000042"),
		hotmarttest.WithPrice("97.00", "BRL"), hotmarttest.WithProductName("Curso"),
	}
	steps := []hotmart.EventType{hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseApproved,
		hotmart.EventPurchaseRefunded, hotmart.EventPurchaseChargeback}
	for i, typ := range steps {
		// A minute apart, except the chargeback in the refund's minute: the
		// deal's date attribute then changes exactly as wantSP says, however
		// fast the events are sent.
		at := time.Date(2026, 5, 1, 12, min(i, 2), 0, 0, time.UTC)
		body := hotmarttest.NewEvent(typ, append(ana, hotmarttest.WithEventID(fmt.Sprintf("e2e-%d", i)), hotmarttest.WithCreatedAt(at))...)
		// The second accepted hottok works too (rotation).
		if got := deliver(t, s.hook, body, "test-hottok"); got != http.StatusOK {
			t.Fatalf("%s: HTTP %d\n%s", typ, got, s.stderr.String())
		}
	}
	if durableMode {
		waitEvents(t, s, "Bearer admin-secret", "done", len(steps))
	}

	wantLL := []string{
		"PUT /Lead",                              // billet-reminder: upsert into Boletos
		"PUT /Lead",                              // approved-customers: upsert into Clientes
		"GET /LeadLocation", "PUT /LeadLocation", // refund-winback: look, then move
		"GET /LeadLocation", "DELETE /Lead", // chargeback-remove: look, then remove
	}
	if got := callsOf(s.ll); strings.Join(got, "|") != strings.Join(wantLL, "|") {
		t.Fatalf("leadlovers calls:\n got %v\nwant %v", got, wantLL)
	}
	lead, ok := s.ll.Lead("ana@example.com")
	if !ok || len(s.ll.LeadsIn(leadloverstest.MachineRefunds)) != 0 || len(s.ll.LeadsIn(leadloverstest.MachineBillets)) != 1 {
		t.Fatalf("lead state: %+v", lead)
	}
	wantSP := []string{
		"pipeline.attribute.create", "pipeline.attribute.create", "pipeline.attribute.create",
		"pipeline.attribute.create", "pipeline.attribute.create",
		"contact.create", "contact.email", "contact.phone", "deal.create", // billet printed: pending
		"deal.move", "deal.attribute", "deal.attribute", "book.add", // approved: paid + address book
		"deal.move", "deal.attribute", "deal.attribute", // refunded
		"deal.attribute", // chargeback: already refunded, status attribute changes
	}
	if got := effectKinds(s.sp.Effects()); strings.Join(got, "|") != strings.Join(wantSP, "|") {
		t.Fatalf("sendpulse effects:\n got %v\nwant %v\n%s", got, wantSP, dumpCalls(s))
	}
	deals := s.sp.DealsByTransaction("HP0000000042")
	if len(deals) != 1 || s.sp.StepName(deals[0].StepID) != "Refunded" || len(s.sp.ContactsByEmail("ana@example.com")) != 1 {
		t.Fatalf("deals %+v contacts %d", deals, len(s.sp.ContactsByEmail("ana@example.com")))
	}

	// Health.
	if code, _ := get(t, s.base+"/healthz", ""); code != http.StatusOK {
		t.Fatalf("healthz %d", code)
	}
	// Deliveries: admin only, newest first, with the contract's keys.
	for _, auth := range []string{"", "Bearer wrong", "admin-secret"} {
		if code, _ := get(t, s.base+"/deliveries", auth); code != http.StatusUnauthorized {
			t.Fatalf("deliveries with %q: %d", auth, code)
		}
	}
	code, body := get(t, s.base+"/deliveries", "Bearer admin-secret")
	if code != http.StatusOK {
		t.Fatalf("deliveries %d", code)
	}
	var ds []map[string]any
	if err := json.Unmarshal(body, &ds); err != nil || len(ds) != 4 {
		t.Fatalf("deliveries body %s: %v", body, err)
	}
	for _, k := range []string{"event_id", "event", "received_at", "status", "attempt", "error", "actions"} {
		if _, ok := ds[0][k]; !ok {
			t.Fatalf("delivery lacks %q: %v", k, ds[0])
		}
	}
	if ds[0]["event_id"] != "e2e-3" || ds[0]["event"] != "PURCHASE_CHARGEBACK" || ds[0]["status"] != float64(200) {
		t.Fatalf("newest delivery: %v", ds[0])
	}
	if _, err := time.Parse(time.RFC3339, ds[0]["received_at"].(string)); err != nil {
		t.Fatalf("received_at: %v", err)
	}
	acts := ds[0]["actions"].([]any)
	a0 := acts[0].(map[string]any)
	if len(acts) != 2 || a0["segmentation"] != "chargeback-remove" || a0["provider"] != "leadlovers" || a0["command"] != "remove_lead" || a0["status"] != "ok" {
		t.Fatalf("actions: %v", acts)
	}

	// Test button: runs the action for a fictitious event.
	code, body = postJSON(t, s.base+"/segmentations/approved-customers/test", "Bearer admin-secret", `{"email": "tester@example.com"}`)
	var outcome map[string]any
	json.Unmarshal(body, &outcome)
	if code != http.StatusOK || outcome["segmentation"] != "approved-customers" || outcome["status"] != "ok" || outcome["command"] != "add_lead" {
		t.Fatalf("test button: %d %s", code, body)
	}
	if got := s.ll.LeadsIn(leadloverstest.MachineCustomers); len(got) != 1 || got[0] != "tester@example.com" {
		t.Fatalf("test lead not added: %v", got)
	}
	for _, tc := range []struct {
		path, auth, body string
		want             int
	}{
		{"/segmentations/nope/test", "Bearer admin-secret", `{"email": "a@b.co"}`, http.StatusNotFound},
		{"/segmentations/approved-customers/test", "Bearer admin-secret", `{"email": "not an email"}`, http.StatusBadRequest},
		{"/segmentations/approved-customers/test", "Bearer admin-secret", `{`, http.StatusBadRequest},
		{"/segmentations/approved-customers/test", "", `{"email": "a@b.co"}`, http.StatusUnauthorized},
	} {
		if code, body := postJSON(t, s.base+tc.path, tc.auth, tc.body); code != tc.want {
			t.Errorf("%s %s: %d %s, want %d", tc.path, tc.body, code, body, tc.want)
		}
	}

	if code := s.stop(); code != 0 {
		t.Fatalf("exit %d after SIGINT-equivalent, want 0\n%s", code, s.stderr.String())
	}
	if strings.Contains(s.stderr.String(), "ana@example.com") || strings.Contains(s.stderr.String(), "test-hottok") {
		t.Fatal("log leaked a buyer e-mail or the hottok")
	}
}

func TestAdminRoutesOffWithoutAdminToken(t *testing.T) {
	s := startServed(t, "")
	if code, _ := get(t, s.base+"/deliveries", "Bearer anything"); code != http.StatusNotFound {
		t.Fatalf("deliveries without admin token: %d, want 404", code)
	}
	if code, _ := postJSON(t, s.base+"/segmentations/approved-customers/test", "Bearer x", `{"email":"a@b.co"}`); code != http.StatusNotFound {
		t.Fatalf("test route without admin token: %d, want 404", code)
	}
}

func TestBadInputAtTheDoor(t *testing.T) {
	s := startServed(t, "admin")
	good := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithBuyerCountry("BR"))
	huge := append([]byte(`{"id":"x","event":"PURCHASE_APPROVED","pad":"`), bytes.Repeat([]byte("a"), 1<<20)...)
	huge = append(huge, `"}`...)
	for _, tc := range []struct {
		name   string
		body   []byte
		hottok string
		want   int
	}{
		{"wrong hottok", good, "forged", http.StatusUnauthorized},
		{"no hottok", good, "", http.StatusUnauthorized},
		{"oversized body", huge, "test-hottok", http.StatusRequestEntityTooLarge},
		{"malformed JSON", []byte(`{"id": "1", "event": `), "test-hottok", http.StatusBadRequest},
		{"not an event", []byte(`{"hello": "world"}`), "test-hottok", http.StatusBadRequest},
		{"unknown event", []byte(`{"id": "u-1", "event": "PURCHASE_TELEPORTED", "version": "2.0.0", "data": {"buyer": {"email": "a@b.co"}}}`), "test-hottok", http.StatusOK},
	} {
		if got := deliver(t, s.hook, tc.body, tc.hottok); got != tc.want {
			t.Errorf("%s: HTTP %d, want %d", tc.name, got, tc.want)
		}
	}
	if n := len(s.ll.Calls()) + len(s.sp.Calls()); n != 0 {
		t.Fatalf("%d provider calls made for rejected or unknown input", n)
	}
	// Wrong method on the webhook route.
	if code, _ := get(t, s.hook, ""); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET webhook: %d", code)
	}
}

func get(t *testing.T, url, auth string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return do(t, req)
}

func postJSON(t *testing.T, url, auth, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func dumpCalls(s *served) string {
	var b strings.Builder
	for _, c := range s.sp.Calls() {
		fmt.Fprintf(&b, "%s %s %d %s\n", c.Method, c.Path, c.Status, c.Body)
	}
	return b.String()
}
