package main

import (
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

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// accountsFixture is two accounts, each with its own provider fakes; acme
// also has the fake Hotmart REST API, beta has none (not synced).
type accountsFixture struct {
	dir              string
	file             string
	env              map[string]string
	acmeLL, betaLL   *leadloverstest.Server
	acmeSP, betaSP   *sendpulsetest.Server
	hm               *resttest.Server
	acmeTok, betaTok string
}

const accountsJSON = `{"accounts": [
  {"id": "acme", "name": "Acme", "hottok": ["${ACME_HOTTOK}"], "rules": "rules-acme.json",
   "leadlovers": {"token": "${ACME_LL}", "base_url": "${ACME_LL_URL}"},
   "sendpulse": {"api_key": "${ACME_SP}", "base_url": "${ACME_SP_URL}"},
   "hotmart": {"client_id": "${HM_ID}", "client_secret": "${HM_SECRET}", "api_url": "${HM_URL}", "auth_url": "${HM_AUTH}"}},
  {"id": "beta", "hottok": ["${BETA_HOTTOK}"], "rules": "rules-beta.json",
   "leadlovers": {"token": "${BETA_LL}", "base_url": "${BETA_LL_URL}"},
   "sendpulse": {"api_key": "${BETA_SP}", "base_url": "${BETA_SP_URL}"}}
]}`

// accountRules: a lead for every approved sale, and a CRM deal that
// follows the payment through its stages.
var accountRules = []byte(`{"segmentations": [
  {"id": "approved-lead", "active": true, "events": ["PURCHASE_APPROVED"],
   "action": {"provider": "leadlovers", "command": "add_lead", "send": ["email", "name"], "machine": 111, "sequence": 222, "level": 1}},
  {"id": "crm-deals", "active": true,
   "events": ["PURCHASE_BILLET_PRINTED", "PURCHASE_APPROVED", "PURCHASE_COMPLETE", "PURCHASE_CANCELED", "PURCHASE_EXPIRED",
              "PURCHASE_DELAYED", "PURCHASE_PROTEST", "PURCHASE_REFUNDED", "PURCHASE_CHARGEBACK"],
   "action": {"provider": "sendpulse", "command": "upsert_deal", "pipeline": 102,
              "stages": {"pending": 103, "paid": 104, "failed": 105, "refunded": 106}, "name": "{{product.name}}"}}
]}`)

func newAccountsFixture(t *testing.T, sales int) *accountsFixture {
	t.Helper()
	now := time.Now().UTC()
	f := &accountsFixture{dir: t.TempDir(), acmeTok: "acme-hottok-123", betaTok: "beta-hottok-456",
		acmeLL: leadloverstest.NewServer(t), betaLL: leadloverstest.NewServer(t),
		acmeSP: sendpulsetest.NewServer(t), betaSP: sendpulsetest.NewServer(t),
		hm: resttest.NewServer(t, resttest.WithSales(sales), resttest.WithPeriod(now.Add(-72*time.Hour), now.Add(-time.Hour)))}
	f.file = filepath.Join(f.dir, "accounts.json")
	if err := os.WriteFile(f.file, []byte(accountsJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rules-acme.json", "rules-beta.json"} {
		if err := os.WriteFile(filepath.Join(f.dir, name), accountRules, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	creds := f.hm.Credentials()
	f.env = map[string]string{
		"ACME_HOTTOK": f.acmeTok, "BETA_HOTTOK": f.betaTok,
		"ACME_LL": f.acmeLL.Token(), "ACME_LL_URL": f.acmeLL.URL(),
		"BETA_LL": f.betaLL.Token(), "BETA_LL_URL": f.betaLL.URL(),
		"ACME_SP": f.acmeSP.Credentials().APIKey, "ACME_SP_URL": f.acmeSP.URL(),
		"BETA_SP": f.betaSP.Credentials().APIKey, "BETA_SP_URL": f.betaSP.URL(),
		"HM_ID": creds.ClientID, "HM_SECRET": creds.ClientSecret, "HM_URL": f.hm.URL(), "HM_AUTH": f.hm.TokenURL(),
	}
	return f
}

type accountsServer struct {
	base  string
	hook  string
	stop  func() int
	out   *syncBuffer
	errb  *syncBuffer
	admin string
}

func (f *accountsFixture) start(t *testing.T, db string, extra ...string) *accountsServer {
	t.Helper()
	args := append([]string{"-addr", "127.0.0.1:0", "-accounts", f.file, "-admin-token", "admin-secret",
		"-db", db}, extra...)
	ctx, cancel := context.WithCancel(context.Background())
	s := &accountsServer{out: &syncBuffer{}, errb: &syncBuffer{}, admin: "admin-secret"}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, envFrom(f.env), s.out, s.errb) }()
	re := regexp.MustCompile(`listening on (http://[^/\s]+)(/\S*)`)
	deadline := time.Now().Add(15 * time.Second)
	for {
		if m := re.FindStringSubmatch(s.out.String()); m != nil {
			s.base, s.hook = m[1], m[1]+m[2]
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
			cancel()
			t.Fatalf("program exited %d before listening:\n%s", code, s.errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatal("program did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *accountsServer) get(t *testing.T, path string, v any) int {
	t.Helper()
	return s.do(t, http.MethodGet, path, "", v)
}

func (s *accountsServer) do(t *testing.T, method, path, body string, v any) int {
	t.Helper()
	req, _ := http.NewRequest(method, s.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

type eventJSON struct {
	EventID string `json:"event_id"`
	Event   string `json:"event"`
	Account string `json:"account"`
	Source  string `json:"source"`
	State   string `json:"state"`
}

func (s *accountsServer) events(t *testing.T, query string) []eventJSON {
	t.Helper()
	var evs []eventJSON
	if c := s.get(t, "/events?limit=1000"+query, &evs); c != http.StatusOK {
		t.Fatalf("/events: %d", c)
	}
	return evs
}

func settledAll(evs []eventJSON) bool {
	for _, e := range evs {
		if e.State == "queued" || e.State == "running" || e.State == "retrying" {
			return false
		}
	}
	return true
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Config errors: each exits 2 with one line naming the account.
func TestAccountsConfigErrors(t *testing.T) {
	f := newAccountsFixture(t, 1)
	db := "sqlite:" + filepath.Join(f.dir, "hk.db")
	cases := map[string]struct {
		file, rules string
		env         map[string]string
		args        []string
		want        string
	}{
		"duplicate hottok": {env: map[string]string{"BETA_HOTTOK": f.acmeTok}, want: "accounts[beta].hottok[0]"},
		"missing variable": {env: map[string]string{"ACME_SP": ""}, want: "accounts[acme].sendpulse.api_key"},
		"bad rules file":   {rules: `{"segmentations": [{"id": "x", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "leadlovers", "command": "nope"}}]}`, want: "accounts[acme].rules"},
		"with -hottok":     {args: []string{"-hottok", "some-hottok-1"}, want: "-accounts [ACCOUNTS_FILE]: cannot be combined with -hottok"},
		"with env var":     {env: map[string]string{"LEADLOVERS_TOKEN": "x"}, want: "cannot be combined with -leadlovers-token [LEADLOVERS_TOKEN]"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "accounts.json")
			os.WriteFile(file, []byte(accountsJSON), 0o600)
			rules := string(accountRules)
			if tc.rules != "" {
				rules = tc.rules
			}
			os.WriteFile(filepath.Join(dir, "rules-acme.json"), []byte(rules), 0o600)
			os.WriteFile(filepath.Join(dir, "rules-beta.json"), accountRules, 0o600)
			env := map[string]string{}
			for k, v := range f.env {
				env[k] = v
			}
			for k, v := range tc.env {
				env[k] = v
			}
			args := append([]string{"-addr", "127.0.0.1:0", "-accounts", file, "-db", db}, tc.args...)
			code, _, stderr := runCapture(t, args, env)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], tc.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and one line containing %q", code, stderr, tc.want)
			}
			for _, secret := range []string{f.acmeTok, f.betaTok, f.env["ACME_LL"], f.env["HM_SECRET"]} {
				if strings.Contains(stderr, secret) {
					t.Fatalf("stderr shows a secret: %s", stderr)
				}
			}
		})
	}
}

// One process, two accounts: isolation, reconciliation of sales whose
// webhook never came, no doubles in either order, a refund seen only by
// sync, and a restart that resumes from the checkpoint.
func TestAccountsServed(t *testing.T) {
	f := newAccountsFixture(t, 6)
	db := "sqlite:" + filepath.Join(f.dir, "hk.db")
	testAccountsServed(t, f, db)
}

func TestAccountsServedPostgres(t *testing.T) {
	db := postgresURL(t)
	testAccountsServed(t, newAccountsFixture(t, 6), db)
}

func testAccountsServed(t *testing.T, f *accountsFixture, db string) {
	ctx := context.Background()
	sales := f.hm.Sales()
	// A sale whose webhook does arrive, before the first sync: acme's
	// first approved sale.
	var viaWebhook string
	for _, s := range sales {
		if s.Purchase.Status == hotmart.StatusApproved {
			viaWebhook = s.Purchase.Transaction
			break
		}
	}
	if viaWebhook == "" {
		t.Fatal("the fake has no approved sale")
	}
	srv := f.start(t, db, "-sync-interval", "1s")
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID("wh-1"), hotmarttest.WithTransaction(viaWebhook))
	if c := deliver(t, srv.hook, body, f.acmeTok); c != http.StatusOK {
		t.Fatalf("acme webhook: %d", c)
	}
	// The same event id on beta is beta's own event.
	if c := deliver(t, srv.hook, body, f.betaTok); c != http.StatusOK {
		t.Fatalf("beta webhook: %d", c)
	}
	if c := deliver(t, srv.hook, body, "not-a-hottok-of-anyone"); c != http.StatusUnauthorized {
		t.Fatalf("unknown hottok: %d", c)
	}
	// Every sale whose status implies an event gets one, within a sync interval or so.
	want := 0
	for _, s := range sales {
		if implied(string(s.Purchase.Status)) {
			want++
		}
	}
	start := time.Now()
	deadline := time.Now().Add(20 * time.Second)
	for {
		evs := srv.events(t, "&account=acme")
		if len(evs) >= want && settledAll(evs) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("want %d settled events, have %+v\n%s", want, evs, srv.errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("%d sales, %d with an implied event: reconciled and run in %s", len(sales), want, time.Since(start))
	evs := srv.events(t, "&account=acme")
	perKey := map[string]int{}
	for _, e := range evs {
		if e.Account != "acme" {
			t.Fatalf("?account=acme returned %+v", e)
		}
		if e.Source == "sync" && !strings.HasPrefix(e.EventID, "sync:acme:") {
			t.Fatalf("synthetic id %q", e.EventID)
		}
		if e.Source != "sync" && e.Source != "webhook" {
			t.Fatalf("source %q", e.Source)
		}
		perKey[e.Event+"/"+strings.TrimPrefix(e.EventID, "sync:acme:")]++
	}
	if len(evs) != want {
		t.Fatalf("acme holds %d events, want %d (one per sale with an implied event: no doubles)", len(evs), want)
	}
	for _, e := range evs {
		if e.Source == "sync" && strings.Contains(e.EventID, viaWebhook) && e.Event == "PURCHASE_APPROVED" {
			t.Fatalf("sync queued %s although its webhook came first", e.EventID)
		}
	}
	// Beta never saw acme's events, and its providers none of acme's calls.
	bevs := srv.events(t, "&account=beta")
	if len(bevs) != 1 || bevs[0].EventID != "wh-1" || bevs[0].Source != "webhook" {
		t.Fatalf("beta's events: %+v", bevs)
	}
	// The console's events page filters by account and marks synthetic events.
	req, _ := http.NewRequest(http.MethodGet, srv.base+"/admin/events?account=acme", nil)
	req.Header.Set("Authorization", "Bearer "+srv.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `data-source="sync"`) ||
		!strings.Contains(string(page), `data-account-select`) || strings.Contains(string(page), `data-account="beta"`) {
		t.Fatalf("console events of acme: %d\n%s", resp.StatusCode, page)
	}
	var one eventJSON
	if c := srv.get(t, "/events/wh-1?account=beta", &one); c != http.StatusOK || one.Account != "beta" || one.EventID != "wh-1" {
		t.Fatalf("GET /events/wh-1?account=beta: %d %+v", c, one)
	}
	if n := len(f.betaSP.Deals()); n != 1 {
		t.Fatalf("beta's SendPulse holds %d deals, want 1 (its own)", n)
	}
	if len(f.acmeSP.DealsByTransaction(viaWebhook)) != 1 {
		t.Fatal("acme's deal for the webhook sale is missing")
	}

	// Sync first, webhook later: a sale refunded at Hotmart moves its
	// deal to refunded through sync alone; the late refund webhook is a
	// duplicate and runs nothing.
	hc := f.hm.Client()
	if err := hc.Sales.Refund(ctx, viaWebhook); err != nil {
		t.Fatal(err)
	}
	refundID := "sync:acme:" + viaWebhook + ":REFUNDED"
	start = time.Now()
	waitUntil(t, 20*time.Second, "the refund seen by sync to run", func() bool {
		for _, e := range srv.events(t, "&account=acme") {
			if e.EventID == refundID && e.State == "done" {
				return true
			}
		}
		return false
	})
	t.Logf("status change at Hotmart → actions: %s", time.Since(start))
	deals := f.acmeSP.DealsByTransaction(viaWebhook)
	if len(deals) != 1 || deals[0].StepID != 106 { // the demo rules' "refunded" stage
		t.Fatalf("deal at step %d (%s), want refunded", deals[0].StepID, f.acmeSP.StepName(deals[0].StepID))
	}
	late := hotmarttest.NewEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithEventID("wh-2"), hotmarttest.WithTransaction(viaWebhook))
	if c := deliver(t, srv.hook, late, f.acmeTok); c != http.StatusOK {
		t.Fatalf("late refund webhook: %d", c)
	}
	var ds []struct {
		EventID string `json:"event_id"`
		Account string `json:"account"`
		Outcome string `json:"outcome"`
	}
	waitUntil(t, 5*time.Second, "the late webhook's delivery", func() bool {
		srv.get(t, "/deliveries?account=acme&event_id=wh-2", &ds)
		return len(ds) == 1
	})
	if ds[0].Outcome != "duplicate" || ds[0].Account != "acme" {
		t.Fatalf("late refund delivery: %+v", ds)
	}

	// Dry run, apply, apply again.
	from := time.Now().UTC().Add(-5 * 24 * time.Hour).Format(time.DateOnly)
	to := time.Now().UTC().Add(48 * time.Hour).Format(time.DateOnly)
	var dry struct {
		DryRun        bool `json:"dry_run"`
		Segmentations []struct {
			ID     string   `json:"id"`
			Events int      `json:"events"`
			Sample []string `json:"sample"`
		} `json:"segmentations"`
	}
	body2 := fmt.Sprintf(`{"from": %q, "to": %q, "dry_run": true}`, from, to)
	if c := srv.do(t, http.MethodPost, "/accounts/acme/backfill", body2, &dry); c != http.StatusOK || !dry.DryRun {
		t.Fatalf("dry run: %d %+v", c, dry)
	}
	var applied struct {
		Queued int `json:"queued"`
	}
	body3 := fmt.Sprintf(`{"from": %q, "to": %q}`, from, to)
	if c := srv.do(t, http.MethodPost, "/accounts/acme/backfill", body3, &applied); c != http.StatusAccepted || applied.Queued != 0 {
		t.Fatalf("apply after sync: %d %+v: everything is known, want 0", c, applied)
	}
	// The segmentation test runs on the account's own providers.
	llBefore := len(f.betaLL.Calls())
	if c := srv.do(t, http.MethodPost, "/segmentations/approved-lead/test?account=beta", `{"email": "someone@example.com"}`, nil); c != http.StatusOK {
		t.Fatalf("segmentation test: %d", c)
	}
	if len(f.betaLL.Calls()) == llBefore {
		t.Fatal("beta's segmentation test did not reach beta's leadlovers")
	}
	if c := srv.do(t, http.MethodPost, "/segmentations/approved-lead/test", `{"email": "someone@example.com"}`, nil); c != http.StatusBadRequest {
		t.Fatalf("segmentation test without account: %d", c)
	}
	if c := srv.do(t, http.MethodPost, "/accounts/nobody/backfill", body3, nil); c != http.StatusNotFound {
		t.Fatalf("unknown account: %d", c)
	}

	// Restart: the checkpoint resumes, nothing is queued again.
	before := len(srv.events(t, "&account=acme"))
	calls := f.hm.Stats().Requests
	if code := srv.stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, srv.errb.String())
	}
	srv2 := f.start(t, db, "-sync-interval", "1s")
	waitUntil(t, 10*time.Second, "a sync after the restart", func() bool { return f.hm.Stats().Requests > calls })
	time.Sleep(300 * time.Millisecond)
	if after := len(srv2.events(t, "&account=acme")); after != before {
		t.Fatalf("restart re-queued: %d events, was %d", after, before)
	}
}

// implied mirrors DESIGN.md's status → event table.
func implied(status string) bool {
	switch status {
	case "APPROVED", "COMPLETE", "CANCELLED", "REFUNDED", "CHARGEBACK", "PROTESTED", "EXPIRED", "PRINTED_BILLET", "DELAYED", "OVERDUE":
		return true
	}
	return false
}

// costStore knows nothing and counts what it is asked to queue.
type costStore struct {
	accounts.MemoryCheckpoints
	queued int
}

func (*costStore) HasEvent(context.Context, string, string, hotmart.EventType) (bool, error) {
	return false, nil
}

func (s *costStore) Enqueue(_ context.Context, _ string, evs []*hotmart.Event, _ string) (int, error) {
	s.queued += len(evs)
	return len(evs), nil
}

// The sync's REST cost: one sales-history call per 500 sales (every
// status in one call), plus the token.
func TestSyncCostPer1000Sales(t *testing.T) {
	now := time.Now().UTC()
	hm := resttest.NewServer(t, resttest.WithSales(1000), resttest.WithPeriod(now.Add(-72*time.Hour), now.Add(-time.Hour)))
	a := &accounts.Account{ID: "acme", Hottoks: []string{"acme-hottok-123"}, Hotmart: &accounts.HotmartCredentials{ClientID: "x"},
		Client: hm.Client()}
	reg, err := accounts.NewRegistry(a)
	if err != nil {
		t.Fatal(err)
	}
	st := &costStore{}
	s, err := accounts.NewSyncer(reg, restSales{}, st)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Run(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	stats := hm.Stats()
	t.Logf("sync of %d sales: %d sales-history calls (%.1f per 1,000 sales), %d token call(s), %d events queued",
		rep.Sales, rep.Calls, rep.CallsPer1000Sales(), stats.TokenRequests, st.queued)
	if rep.Sales != 1000 || rep.Calls != 2 || stats.Requests != 2 {
		t.Fatalf("%d sales in %d calls (server saw %d): want 1000 in 2", rep.Sales, rep.Calls, stats.Requests)
	}
}
