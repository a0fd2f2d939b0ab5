package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func consoleDo(t *testing.T, method, u, auth string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, u, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestConsoleOffWithoutAdminToken(t *testing.T) {
	s := startServed(t, "")
	for _, p := range []string{"/admin", "/admin/", "/admin/login", "/admin/events", "/admin/assets/console.css"} {
		if code, _ := consoleDo(t, "GET", s.base+p, "", nil); code != http.StatusNotFound {
			t.Errorf("GET %s without admin token: %d, want 404", p, code)
		}
	}
	if code, _ := consoleDo(t, "POST", s.base+"/admin/login", "", url.Values{"token": {"x"}}); code != http.StatusNotFound {
		t.Errorf("POST /admin/login without admin token: %d, want 404", code)
	}
}

// The console and the JSON admin routes work side by side, and a
// segmentation switched off in the console stops running on the next event.
func TestConsoleBesideJSONAdminRoutes(t *testing.T) {
	s := startServed(t, "admin-secret")
	auth := "Bearer admin-secret"
	if code, body := consoleDo(t, "GET", s.base+"/admin/login", "", nil); code != 200 || !strings.Contains(body, `name="token"`) {
		t.Fatalf("login page: %d", code)
	}
	code, body := consoleDo(t, "GET", s.base+"/admin/segmentations", auth, nil)
	if code != 200 || !strings.Contains(body, `data-segmentation-id="approved-customers" data-active="true"`) {
		t.Fatalf("segmentations: %d\n%s", code, body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)[1]
	if code, _ := consoleDo(t, "POST", s.base+"/admin/segmentations/approved-customers/toggle", auth, url.Values{"csrf": {csrf}}); code != http.StatusSeeOther {
		t.Fatalf("toggle: %d", code)
	}
	ev := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("c-1"), hotmarttest.WithBuyerCountry("BR"))
	if st := deliver(t, s.hook, ev, "test-hottok"); st != 200 {
		t.Fatalf("delivery: %d", st)
	}
	if calls := callsOf(s.ll); len(calls) != 0 {
		t.Fatalf("switched-off segmentation called leadlovers: %v", calls)
	}
	// JSON admin routes keep working beside the console.
	if code, body := get(t, s.base+"/deliveries", auth); code != 200 || !strings.Contains(string(body), `"event_id": "c-1"`) {
		t.Fatalf("/deliveries: %d %s", code, body)
	}
	if code, body := postJSON(t, s.base+"/segmentations/approved-customers/test", auth, `{"email":"t@example.com"}`); code != 200 || !strings.Contains(string(body), `"status": "ok"`) {
		t.Fatalf("JSON test route: %d %s", code, body)
	}
	if code, _ := postJSON(t, s.base+"/segmentations/nope/test", auth, `{}`); code != http.StatusNotFound {
		t.Fatalf("JSON test route, unknown id: %d", code)
	}
	// The event shows in the console, with its delivery; in durable mode a
	// worker finishes it shortly after the 200.
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body := consoleDo(t, "GET", s.base+"/admin/events/c-1", auth, nil)
		if code == 200 && strings.Contains(body, `data-state="done"`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("event page: %d, not done", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestDemoServeKeepsServingTheConsole(t *testing.T) {
	if c, probs := parseConfig([]string{"-serve"}, envFrom(nil)); len(probs) > 0 || !c.demo || !c.serve {
		t.Fatalf("-serve alone: demo=%v serve=%v %v", c.demo, c.serve, probs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-demo", "-serve"}, envFrom(nil), &out, &errb) }()
	re := regexp.MustCompile(`Operator console: (\S+)\nAdmin token:\s+(\S+)`)
	deadline := time.Now().Add(30 * time.Second)
	var m []string
	for m == nil {
		m = re.FindStringSubmatch(out.String())
		select {
		case code := <-done:
			t.Fatalf("demo exited %d before serving:\n%s\n%s", code, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no console URL printed:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	base, token := m[1], m[2]
	if token == "demo-admin" {
		t.Error("the served demo uses the well-known token")
	}
	if !strings.Contains(out.String(), "Redelivery of event 1") {
		t.Error("the plain trace is missing before the console URL")
	}
	code, body := consoleDo(t, "GET", base+"events", "Bearer "+token, nil)
	if code != 200 || !strings.Contains(body, `data-event-id="demo-01"`) {
		t.Fatalf("console on the demo's data: %d", code)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after Ctrl-C", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("demo did not stop")
	}
}
