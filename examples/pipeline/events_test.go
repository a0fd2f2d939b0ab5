package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
)

// The /events routes and /deliveries' state, from outside the process.
func TestEventsRoutes(t *testing.T) {
	s := startServed(t, "adm", "-db", "sqlite:"+t.TempDir()+"/hk.db", "-max-attempts", "2", "-retry-max-delay", "100ms")
	auth := "Bearer adm"
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-routes"),
		hotmarttest.WithBuyerEmail("rui@example.com"), hotmarttest.WithBuyerCountry("BR"), hotmarttest.WithTransaction("HPR1"))
	// leadlovers down for good: the event goes dead after 2 attempts, while
	// Hotmart was answered 200.
	s.ll.FailRate(1, leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusInternalServerError})
	if code := deliver(t, s.hook, body, "test-hottok"); code != http.StatusOK {
		t.Fatalf("delivery during outage: %d", code)
	}
	if code := deliver(t, s.hook, body, "test-hottok"); code != http.StatusOK {
		t.Fatalf("duplicate: %d", code)
	}
	evs := waitEvents(t, s, auth, "dead", 1)
	ev := evs[0]
	for _, k := range []string{"event_id", "event", "transaction", "created_at", "state", "attempts", "next_attempt_at", "last_error", "actions"} {
		if _, ok := ev[k]; !ok {
			t.Fatalf("event lacks %q: %v", k, ev)
		}
	}
	if ev["event_id"] != "ev-routes" || ev["transaction"] != "HPR1" || ev["attempts"] != 2.0 || ev["next_attempt_at"] != nil || ev["last_error"] == "" {
		t.Fatalf("dead event: %v", ev)
	}
	if strings.Contains(string(mustJSON(ev)), "rui@example.com") {
		t.Fatal("event JSON shows the buyer e-mail")
	}
	code, b := get(t, s.base+"/events/ev-routes", auth)
	if code != http.StatusOK || !strings.Contains(string(b), `"state": "dead"`) {
		t.Fatalf("GET event: %d %s", code, b)
	}
	if code, _ := get(t, s.base+"/events/nope", auth); code != http.StatusNotFound {
		t.Fatalf("unknown event: %d", code)
	}
	if code, _ := get(t, s.base+"/events?state=bogus", auth); code != http.StatusBadRequest {
		t.Fatalf("bad state: %d", code)
	}
	if code, _ := get(t, s.base+"/events", ""); code != http.StatusUnauthorized {
		t.Fatalf("events without token: %d", code)
	}
	if code, _ := postJSON(t, s.base+"/events/nope/replay", auth, ""); code != http.StatusNotFound {
		t.Fatalf("replay unknown: %d", code)
	}
	// /deliveries: both deliveries carry the event's state now.
	code, b = get(t, s.base+"/deliveries", auth)
	var ds []map[string]any
	if code != http.StatusOK || json.Unmarshal(b, &ds) != nil || len(ds) != 2 || ds[0]["state"] != "dead" || ds[1]["state"] != "dead" {
		t.Fatalf("deliveries: %d %s", code, b)
	}

	// Provider back; replay: 202 with the event, then done, lead added once.
	s.ll.FailRate(0)
	code, b = postJSON(t, s.base+"/events/ev-routes/replay", auth, "")
	var replayed map[string]any
	if code != http.StatusAccepted || json.Unmarshal(b, &replayed) != nil || replayed["event_id"] != "ev-routes" || replayed["attempts"] != 0.0 {
		t.Fatalf("replay: %d %s", code, b)
	}
	waitEvents(t, s, auth, "done", 1)
	if got := s.ll.LeadsIn(leadloverstest.MachineCustomers); len(got) != 1 {
		t.Fatalf("leads after replay: %v", got)
	}
	if n := len(s.sp.DealsByTransaction("HPR1")); n != 1 {
		t.Fatalf("deals after replay: %d", n)
	}
	code, b = get(t, s.base+"/deliveries?limit=1", auth)
	if code != http.StatusOK || !strings.Contains(string(b), `"state": "done"`) {
		t.Fatalf("deliveries after replay: %s", b)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("exit %d\n%s", code, s.stderr.String())
	}
}

// Served mode defaults to durable SQLite; -db memory keeps the simple mode
// (no /events routes); a bad -db exits 2 naming it.
func TestDBFlag(t *testing.T) {
	c, p := parseConfig([]string{"-hottok", "x"}, envFrom(nil))
	if len(p) > 0 || c.db != "sqlite:hotmartkit.db" || !c.durable() || c.workers != 4 || c.maxAttempts != 25 ||
		c.retryMaxDelay != time.Hour || c.jobTimeout != time.Minute || c.shutdownTimeout != 30*time.Second {
		t.Fatalf("defaults: %+v %v", c, p)
	}
	c, p = parseConfig(nil, envFrom(map[string]string{"HOTMART_HOTTOK": "x", "DATABASE_URL": "postgresql://u@h/db", "WORKERS": "9",
		"MAX_ATTEMPTS": "3", "RETRY_MAX_DELAY": "5m", "JOB_TIMEOUT": "20s"}))
	if len(p) > 0 || c.db != "postgresql://u@h/db" || c.workers != 9 || c.maxAttempts != 3 || c.retryMaxDelay != 5*time.Minute || c.jobTimeout != 20*time.Second {
		t.Fatalf("from env: %+v %v", c, p)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-hottok", "x", "-db", "mysql://x"}, "-db [DATABASE_URL]"},
		{[]string{"-hottok", "x", "-db", "sqlite:"}, "-db [DATABASE_URL]"},
		{[]string{"-hottok", "x", "-workers", "0"}, "-workers [WORKERS]"},
		{[]string{"-hottok", "x", "-max-attempts", "x"}, "-max-attempts [MAX_ATTEMPTS]"},
		{[]string{"-hottok", "x", "-retry-max-delay", "soon"}, "-retry-max-delay [RETRY_MAX_DELAY]"},
		{[]string{"-hottok", "x", "-job-timeout", "-1s"}, "-job-timeout [JOB_TIMEOUT]"},
		{[]string{"-hottok", "x", "-shutdown-timeout", "0"}, "-shutdown-timeout"},
	} {
		code, _, stderr := runCapture(t, tc.args, nil)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming %s", tc.args, code, stderr, tc.want)
		}
	}
	s := startServed(t, "adm", "-db", "memory")
	if code, _ := get(t, s.base+"/events", "Bearer adm"); code != http.StatusNotFound {
		t.Fatalf("/events in memory mode: %d", code)
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}
