package console_test

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/console"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/segment"
)

var csrfRe = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// client does not follow redirects, so tests see the 303s.
var client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

type answer struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) do(t *testing.T, method, path string, form url.Values, hdr map[string]string) answer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

var bearer = map[string]string{"Authorization": "Bearer " + adminToken}

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("page has no csrf field")
	}
	return m[1]
}

func TestNewRefusesEmptyTokenAndBadOptions(t *testing.T) {
	_, err := console.New("  ")
	if !errors.Is(err, console.ErrNoAdminToken) {
		t.Fatalf("New(empty) = %v, want ErrNoAdminToken", err)
	}
	var ce *console.ConfigError
	for name, opt := range map[string]console.Option{
		"prefix":   console.WithPrefix("admin"),
		"events":   console.WithEvents(nil),
		"history":  console.WithHistory(nil),
		"rules":    console.WithRules(nil),
		"pipeline": console.WithPipeline(nil),
		"logger":   console.WithLogger(nil),
		"ttl":      console.WithSessionTTL(0),
	} {
		if _, err := console.New("tok", opt); !errors.As(err, &ce) {
			t.Errorf("%s: New = %v, want *ConfigError", name, err)
		}
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		method, path string
		hdr          map[string]string
	}{
		{"GET", "/admin/login", nil},
		{"GET", "/admin/", nil},
		{"GET", "/admin/", bearer},
		{"GET", "/admin/events", bearer},
		{"GET", "/admin/no-such-page", bearer},
		{"POST", "/admin/dead/replay", bearer},
		{"GET", "/admin/assets/console.css", nil},
	} {
		a := f.do(t, tc.method, tc.path, nil, tc.hdr)
		csp := a.header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("%s %s: CSP %q", tc.method, tc.path, csp)
		}
		if a.header.Get("X-Frame-Options") != "DENY" || a.header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: X-Frame-Options %q, Cache-Control %q", tc.method, tc.path,
				a.header.Get("X-Frame-Options"), a.header.Get("Cache-Control"))
		}
	}
}

func TestOutsideThePrefixIsNotFound(t *testing.T) {
	c, err := console.New(adminToken, console.WithPrefix("/admin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/", "/adminx/login", "/other"} {
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, httptest.NewRequest("GET", p, nil))
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, rec.Code)
		}
	}
}

func TestLogin(t *testing.T) {
	f := newFixture(t)
	page := f.do(t, "GET", "/admin/login", nil, nil)
	if page.status != 200 || !strings.Contains(page.body, `name="token"`) {
		t.Fatalf("login page: %d\n%s", page.status, page.body)
	}
	csrf := csrfOf(t, page.body)

	wrong := f.do(t, "POST", "/admin/login", url.Values{"token": {"nope"}, "csrf": {csrf}}, nil)
	if wrong.status != http.StatusUnauthorized || len(wrong.header.Values("Set-Cookie")) != 0 {
		t.Fatalf("wrong token: %d, cookies %v", wrong.status, wrong.header.Values("Set-Cookie"))
	}
	right := f.do(t, "POST", "/admin/login", url.Values{"token": {adminToken}, "csrf": {csrf}}, nil)
	if right.status != http.StatusSeeOther || right.header.Get("Location") != "/admin/" {
		t.Fatalf("right token: %d to %q", right.status, right.header.Get("Location"))
	}
	ck := right.header.Get("Set-Cookie")
	for _, want := range []string{console.CookieName + "=", "HttpOnly", "SameSite=Strict", "Path=/admin/"} {
		if !strings.Contains(ck, want) {
			t.Errorf("cookie %q lacks %q", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") {
		t.Errorf("cookie %q is Secure on plain HTTP", ck)
	}
	if strings.Contains(ck, adminToken) {
		t.Error("the cookie carries the admin token")
	}
	cookie := strings.SplitN(ck, ";", 2)[0]
	home := f.do(t, "GET", "/admin/", nil, map[string]string{"Cookie": cookie})
	if home.status != 200 || !strings.Contains(home.body, "Events by state") {
		t.Fatalf("home with cookie: %d", home.status)
	}
	// A tampered cookie is no session.
	bad := f.do(t, "GET", "/admin/", nil, map[string]string{"Cookie": cookie + "x"})
	if bad.status != http.StatusSeeOther {
		t.Errorf("tampered cookie: %d, want a redirect to the login", bad.status)
	}
	if strings.Contains(f.logs.String(), adminToken) {
		t.Error("the admin token was logged")
	}
}

func TestSecureCookieOnTLS(t *testing.T) {
	c, err := console.New(adminToken, console.WithPrefix("/admin"))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "https://console.example/admin/login", strings.NewReader("token="+adminToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	if ck := rec.Header().Get("Set-Cookie"); rec.Code != http.StatusSeeOther || !strings.Contains(ck, "Secure") {
		t.Fatalf("TLS login: %d, cookie %q", rec.Code, ck)
	}
}

func TestUnauthenticated(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/admin/", "/admin/events", "/admin/dead", "/admin/segmentations", "/admin/segmentations/approved-br"} {
		a := f.do(t, "GET", p, nil, nil)
		if a.status != http.StatusSeeOther || a.header.Get("Location") != "/admin/login" {
			t.Errorf("GET %s: %d to %q", p, a.status, a.header.Get("Location"))
		}
		a = f.do(t, "GET", p, nil, map[string]string{"Authorization": "Bearer wrong"})
		if a.status == http.StatusOK {
			t.Errorf("GET %s with a wrong bearer: 200", p)
		}
	}
	a := f.do(t, "POST", "/admin/segmentations/approved-br/toggle", url.Values{"active": {"false"}}, nil)
	if a.status != http.StatusUnauthorized {
		t.Errorf("POST without auth: %d, want 401", a.status)
	}
}

func TestBearerWorksOnEveryPage(t *testing.T) {
	f := newFixture(t)
	if st := f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-1")); st != 200 {
		t.Fatalf("webhook: %d", st)
	}
	for _, p := range []string{"/admin/", "/admin/events", "/admin/events/ev-1", "/admin/dead",
		"/admin/segmentations", "/admin/segmentations/approved-br", "/admin/segmentations/export",
		"/admin/segmentations/approved-br?explain=ev-1"} {
		if a := f.do(t, "GET", p, nil, bearer); a.status != 200 {
			t.Errorf("GET %s: %d\n%s", p, a.status, a.body)
		}
	}
}

func TestPostWithoutCSRFIsForbidden(t *testing.T) {
	f := newFixture(t)
	for _, form := range []url.Values{{"active": {"false"}}, {"active": {"false"}, "csrf": {"forged"}}} {
		a := f.do(t, "POST", "/admin/segmentations/approved-br/toggle", form, bearer)
		if a.status != http.StatusForbidden {
			t.Fatalf("toggle without a valid csrf: %d, want 403", a.status)
		}
	}
	segs, _ := f.rules.Segmentations(t.Context())
	if !segs[0].Active {
		t.Fatal("a refused POST changed the segmentation")
	}
	page := f.do(t, "GET", "/admin/segmentations", nil, bearer)
	a := f.do(t, "POST", "/admin/segmentations/approved-br/toggle", url.Values{"active": {"false"}, "csrf": {csrfOf(t, page.body)}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("toggle with csrf: %d", a.status)
	}
	segs, _ = f.rules.Segmentations(t.Context())
	if segs[0].Active {
		t.Fatal("toggle did not switch the segmentation off")
	}
	// A session's token does not pass for another session.
	login := f.do(t, "GET", "/admin/login", nil, nil)
	right := f.do(t, "POST", "/admin/login", url.Values{"token": {adminToken}, "csrf": {csrfOf(t, login.body)}}, nil)
	cookie := map[string]string{"Cookie": strings.SplitN(right.header.Get("Set-Cookie"), ";", 2)[0]}
	a = f.do(t, "POST", "/admin/segmentations/approved-br/toggle", url.Values{"csrf": {csrfOf(t, page.body)}}, cookie)
	if a.status != http.StatusForbidden {
		t.Fatalf("bearer csrf used by a cookie session: %d, want 403", a.status)
	}
}

func TestPersonalDataMaskedUnlessRevealed(t *testing.T) {
	f := newFixture(t)
	f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-pii"), hotmarttest.WithBuyerEmail(buyerEmail),
		hotmarttest.WithBuyerName("Maria Aparecida Silva"), hotmarttest.WithBuyerDocument("12345678909", "CPF"))
	pii := []string{buyerEmail, "Maria Aparecida Silva", "Aparecida", "12345678909"}
	for _, p := range []string{"/admin/events", "/admin/events/ev-pii", "/admin/dead", "/admin/"} {
		a := f.do(t, "GET", p, nil, bearer)
		for _, s := range pii {
			if strings.Contains(a.body, s) {
				t.Errorf("%s shows %q unmasked", p, s)
			}
		}
	}
	list := f.do(t, "GET", "/admin/events", nil, bearer)
	if !strings.Contains(list.body, "m***@e***.com") {
		t.Errorf("events list lacks the masked e-mail")
	}
	shown := f.do(t, "GET", "/admin/events/ev-pii?reveal=1", nil, bearer)
	for _, s := range []string{buyerEmail, "Maria Aparecida Silva", "12345678909"} {
		if !strings.Contains(shown.body, s) {
			t.Errorf("revealed page lacks %q", s)
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, "action=reveal") || !strings.Contains(logs, "event_id=ev-pii") {
		t.Errorf("reveal not logged:\n%s", logs)
	}
	for _, s := range pii {
		if strings.Contains(logs, s) {
			t.Errorf("the log holds %q", s)
		}
	}
}

func TestEventsFilters(t *testing.T) {
	f := newFixture(t)
	f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-a"), hotmarttest.WithBuyerEmail(buyerEmail), hotmarttest.WithTransaction("HP111"))
	f.post(t, hotmart.EventPurchaseRefunded, hotmarttest.WithEventID("ev-b"), hotmarttest.WithTransaction("HP222"))
	f.log.addDead("ev-dead")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"ev-b", "ev-a", "ev-dead"}},
		{"?state=dead", []string{"ev-dead"}},
		{"?type=PURCHASE_REFUNDED", []string{"ev-b"}},
		{"?transaction=HP111", []string{"ev-a"}},
		{"?email=" + url.QueryEscape(strings.ToUpper(buyerEmail)), []string{"ev-a"}},
	} {
		a := f.do(t, "GET", "/admin/events"+tc.query, nil, bearer)
		got := ids(a.body)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("events%s = %v, want %v", tc.query, got, tc.want)
		}
	}
}

var idRe = regexp.MustCompile(`data-event-id="([^"]+)"`)

func ids(body string) []string {
	var out []string
	for _, m := range idRe.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestReplayDeadEvents(t *testing.T) {
	f := newFixture(t)
	f.log.addDead("d1")
	f.log.addDead("d2")
	f.log.addDead("d3")
	page := f.do(t, "GET", "/admin/dead", nil, bearer)
	if got := ids(page.body); len(got) != 3 {
		t.Fatalf("dead list: %v", got)
	}
	csrf := csrfOf(t, page.body)
	a := f.do(t, "POST", "/admin/dead/replay", url.Values{"csrf": {csrf}, "id": {"d1", "d2"}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("replay selected: %d %s", a.status, a.body)
	}
	a = f.do(t, "POST", "/admin/dead/replay", url.Values{"csrf": {csrf}, "id": {"d3"}, "one": {"d3"}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("replay one: %d", a.status)
	}
	if got := ids(f.do(t, "GET", "/admin/dead", nil, bearer).body); len(got) != 0 {
		t.Fatalf("still dead: %v", got)
	}
	if a := f.do(t, "POST", "/admin/events/nope/replay", url.Values{"csrf": {csrf}}, bearer); a.status != 404 {
		t.Errorf("replay of an unknown id: %d", a.status)
	}
	if n := strings.Count(f.logs.String(), "action=replay"); n != 3 {
		t.Errorf("%d replays logged, want 3", n)
	}
}

func TestReplayInSimpleModeSkipsDoneSteps(t *testing.T) {
	f := newFixture(t)
	f.exec.setFail("approved-br")
	if st := f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-r")); st != 500 {
		t.Fatalf("failing delivery answered %d", st)
	}
	rec, _ := f.log.Event(t.Context(), "ev-r")
	if rec.State != "retrying" || rec.LastError == "" {
		t.Fatalf("after a failure: %+v", rec)
	}
	f.exec.setFail("")
	page := f.do(t, "GET", "/admin/events/ev-r", nil, bearer)
	a := f.do(t, "POST", "/admin/events/ev-r/replay", url.Values{"csrf": {csrfOf(t, page.body)}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("replay: %d", a.status)
	}
	rec, _ = f.log.Event(t.Context(), "ev-r")
	if rec.State != "done" || f.exec.count("approved-br") != 2 {
		t.Fatalf("after replay: state %s, %d calls", rec.State, f.exec.count("approved-br"))
	}
	// Replaying a done event skips the step already done.
	f.do(t, "POST", "/admin/events/ev-r/replay", url.Values{"csrf": {csrfOf(t, page.body)}}, bearer)
	if n := f.exec.count("approved-br"); n != 2 {
		t.Fatalf("replay of a done event ran the action again (%d calls)", n)
	}
}

func TestEditRefusesBadFieldPathInline(t *testing.T) {
	f := newFixture(t)
	page := f.do(t, "GET", "/admin/segmentations/approved-br", nil, bearer)
	csrf := csrfOf(t, page.body)
	bad := `{"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
	  "conditions": [{"field": "buyer.shoe_size", "op": "eq", "value": "42"}],
	  "action": {"provider": "leadlovers", "command": "add_lead"}}`
	a := f.do(t, "POST", "/admin/segmentations/approved-br", url.Values{"csrf": {csrf}, "json": {bad}}, bearer)
	if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `data-error-field="conditions[0].field"`) {
		t.Fatalf("bad field: %d\n%s", a.status, a.body)
	}
	if !strings.Contains(a.body, "buyer.shoe_size") {
		t.Error("the form lost what the operator typed")
	}
	segs, _ := f.rules.Segmentations(t.Context())
	if segs[0].Conditions[0].Field != "buyer.address.country_iso" {
		t.Fatal("a refused edit was saved")
	}
	for _, tc := range []struct{ json, field string }{
		{`{"id": "other", "events": ["PURCHASE_APPROVED"], "action": {"provider": "leadlovers", "command": "x"}}`, `data-error-field="id"`},
		{`not json`, `data-error-field=""`},
		{`{"id": "approved-br", "events": "PURCHASE_APPROVED", "action": {"provider": "leadlovers", "command": "x"}}`, `data-error-field="events"`},
		{`{"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "nobody", "command": "x"}}`, `data-error-field="action.provider"`},
	} {
		a := f.do(t, "POST", "/admin/segmentations/approved-br", url.Values{"csrf": {csrf}, "json": {tc.json}}, bearer)
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, tc.field) {
			t.Errorf("%s: %d, want 422 with %s", tc.json, a.status, tc.field)
		}
	}
	good := `{"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
	  "conditions": [{"field": "buyer.address.country_iso", "op": "eq", "value": "PT"}],
	  "action": {"provider": "leadlovers", "command": "add_lead"}}`
	a = f.do(t, "POST", "/admin/segmentations/approved-br", url.Values{"csrf": {csrf}, "json": {good}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("good edit: %d\n%s", a.status, a.body)
	}
	// The pipeline follows the edit from the next event on: a BR buyer no
	// longer matches.
	f.post(t, hotmart.EventPurchaseApproved)
	if n := f.exec.count("approved-br"); n != 0 {
		t.Fatalf("edited rule still ran for BR (%d calls)", n)
	}
	if !strings.Contains(f.logs.String(), "action=edit") {
		t.Error("edit not logged")
	}
}

func TestToggleOffStopsMatching(t *testing.T) {
	f := newFixture(t)
	f.post(t, hotmart.EventPurchaseApproved)
	if n := f.exec.count("approved-br"); n != 1 {
		t.Fatalf("before: %d calls", n)
	}
	page := f.do(t, "GET", "/admin/segmentations", nil, bearer)
	if !strings.Contains(page.body, `data-segmentation-id="approved-br" data-active="true"`) {
		t.Fatalf("list:\n%s", page.body)
	}
	f.do(t, "POST", "/admin/segmentations/approved-br/toggle", url.Values{"csrf": {csrfOf(t, page.body)}}, bearer)
	f.post(t, hotmart.EventPurchaseApproved)
	if n := f.exec.count("approved-br"); n != 1 {
		t.Fatalf("after switching off: %d calls", n)
	}
	page = f.do(t, "GET", "/admin/segmentations", nil, bearer)
	if !strings.Contains(page.body, `data-segmentation-id="approved-br" data-active="false"`) || !strings.Contains(page.body, "data-memory-mode") {
		t.Fatal("list does not show it off, or lacks the memory-mode notice")
	}
}

func TestTestWithEmail(t *testing.T) {
	f := newFixture(t)
	page := f.do(t, "GET", "/admin/segmentations/refunds", nil, bearer)
	csrf := csrfOf(t, page.body)
	a := f.do(t, "POST", "/admin/segmentations/refunds/test", url.Values{"csrf": {csrf}, "email": {"tester@example.com"}}, bearer)
	if a.status != 200 || !regexp.MustCompile(`data-test-result>ok`).MatchString(a.body) {
		t.Fatalf("test: %d\n%s", a.status, a.body)
	}
	if f.exec.count("refunds") != 1 {
		t.Fatal("the inactive segmentation's action did not run on test")
	}
	a = f.do(t, "POST", "/admin/segmentations/refunds/test", url.Values{"csrf": {csrf}, "email": {"not an e-mail"}}, bearer)
	if a.status != http.StatusBadRequest || !strings.Contains(a.body, "data-test-result>failed") {
		t.Fatalf("bad e-mail: %d", a.status)
	}
	f.exec.setFail("refunds")
	a = f.do(t, "POST", "/admin/segmentations/refunds/test", url.Values{"csrf": {csrf}, "email": {"tester@example.com"}}, bearer)
	if !strings.Contains(a.body, "data-test-result>failed") {
		t.Fatalf("failing test:\n%s", a.body)
	}
	if logs := f.logs.String(); !strings.Contains(logs, "action=test") || strings.Contains(logs, "tester@example.com") {
		t.Errorf("test logging wrong:\n%s", logs)
	}
}

func TestExplainAndExportAndDelete(t *testing.T) {
	f := newFixture(t)
	f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-pt"), hotmarttest.WithBuyerCountry("PT"))
	a := f.do(t, "GET", "/admin/segmentations/approved-br?explain=ev-pt", nil, bearer)
	if !strings.Contains(a.body, "data-explain") || !strings.Contains(a.body, "buyer.address.country_iso") {
		t.Fatalf("explain:\n%s", a.body)
	}
	exp := f.do(t, "GET", "/admin/segmentations/export", nil, bearer)
	rules, err := segment.ParseRules([]byte(exp.body))
	if err != nil || len(rules.Segmentations) != 2 || !strings.Contains(exp.header.Get("Content-Disposition"), "rules.json") {
		t.Fatalf("export: %v\n%s", err, exp.body)
	}
	if _, err := segment.Compile(rules, segment.AllowUnknownProviders()); err != nil {
		t.Fatalf("export does not compile: %v", err)
	}
	a = f.do(t, "POST", "/admin/segmentations/refunds/delete", url.Values{"csrf": {csrfOf(t, a.body)}}, bearer)
	if a.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", a.status)
	}
	if segs, _ := f.rules.Segmentations(t.Context()); len(segs) != 1 {
		t.Fatalf("after delete: %d segmentations", len(segs))
	}
	if a := f.do(t, "GET", "/admin/segmentations/refunds", nil, bearer); a.status != 404 {
		t.Errorf("deleted page: %d", a.status)
	}
}

func TestOverviewCountsAndChart(t *testing.T) {
	f := newFixture(t)
	f.exec.setFail("approved-br")
	f.post(t, hotmart.EventPurchaseApproved)
	f.exec.setFail("")
	f.post(t, hotmart.EventPurchaseApproved)
	f.log.addDead("d1")
	a := f.do(t, "GET", "/admin/", nil, bearer)
	for _, want := range []string{`data-state-count="done"`, "<strong>1</strong>", `data-provider="leadlovers"`, "<svg", "provider said no", "2 in total"} {
		if !strings.Contains(a.body, want) {
			t.Errorf("overview lacks %q", want)
		}
	}
}

var olderRe = regexp.MustCompile(`rel="next" href="([^"]+)"`)

func TestEventsPaginate(t *testing.T) {
	f := newFixture(t)
	for i := range 53 {
		f.post(t, hotmart.EventPurchaseRefunded, hotmarttest.WithEventID(fmt.Sprintf("p-%02d", i)))
		time.Sleep(time.Millisecond) // distinct receive times, as real traffic has
	}
	seen := map[string]bool{}
	next := "/admin/events?type=PURCHASE_REFUNDED"
	pages := 0
	for next != "" {
		a := f.do(t, "GET", html.UnescapeString(next), nil, bearer)
		if a.status != 200 {
			t.Fatalf("GET %s: %d", next, a.status)
		}
		for _, id := range ids(a.body) {
			if seen[id] {
				t.Fatalf("%s shown twice", id)
			}
			seen[id] = true
		}
		pages++
		next = ""
		if m := olderRe.FindStringSubmatch(a.body); m != nil {
			next = m[1]
		}
	}
	if pages != 2 || len(seen) != 53 {
		t.Fatalf("%d pages, %d events", pages, len(seen))
	}
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	login := f.do(t, "GET", "/admin/login", nil, nil)
	right := f.do(t, "POST", "/admin/login", url.Values{"token": {adminToken}, "csrf": {csrfOf(t, login.body)}}, nil)
	cookie := map[string]string{"Cookie": strings.SplitN(right.header.Get("Set-Cookie"), ";", 2)[0]}
	home := f.do(t, "GET", "/admin/", nil, cookie)
	if a := f.do(t, "POST", "/admin/logout", url.Values{}, cookie); a.status != http.StatusForbidden {
		t.Fatalf("logout without csrf: %d", a.status)
	}
	a := f.do(t, "POST", "/admin/logout", url.Values{"csrf": {csrfOf(t, home.body)}}, cookie)
	if a.status != http.StatusSeeOther || !strings.Contains(a.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Fatalf("logout: %d, cookie %q", a.status, a.header.Get("Set-Cookie"))
	}
	if !strings.Contains(f.logs.String(), "action=logout") {
		t.Error("logout not logged")
	}
}

func TestCreateSegmentation(t *testing.T) {
	f := newFixture(t)
	page := f.do(t, "GET", "/admin/segmentations/new", nil, bearer)
	if page.status != 200 || !strings.Contains(page.body, `name="json"`) {
		t.Fatalf("new page: %d", page.status)
	}
	csrf := csrfOf(t, page.body)
	for _, tc := range []struct{ json, field string }{
		{`{"id": "approved-br", "events": ["PURCHASE_APPROVED"], "action": {"provider": "leadlovers", "command": "add_lead"}}`, `data-error-field="id"`},
		{`{"id": "", "events": ["PURCHASE_APPROVED"], "action": {"provider": "leadlovers", "command": "add_lead"}}`, `data-error-field="id"`},
		{`{"id": "export", "events": ["PURCHASE_APPROVED"], "action": {"provider": "leadlovers", "command": "add_lead"}}`, `data-error-field="id"`},
		{`{"id": "x", "events": [], "action": {"provider": "leadlovers", "command": "add_lead"}}`, `data-error-field="events"`},
	} {
		a := f.do(t, "POST", "/admin/segmentations/new", url.Values{"csrf": {csrf}, "json": {tc.json}}, bearer)
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, tc.field) {
			t.Errorf("%s: %d, want 422 with %s", tc.json, a.status, tc.field)
		}
	}
	if segs, _ := f.rules.Segmentations(t.Context()); len(segs) != 2 {
		t.Fatalf("a refused creation was saved: %d segmentations", len(segs))
	}
	good := `{"id": "cart", "active": true, "events": ["PURCHASE_OUT_OF_SHOPPING_CART"], "action": {"provider": "leadlovers", "command": "add_lead"}}`
	a := f.do(t, "POST", "/admin/segmentations/new", url.Values{"csrf": {csrf}, "json": {good}}, bearer)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/admin/segmentations/cart?done=saved" {
		t.Fatalf("create: %d to %q\n%s", a.status, a.header.Get("Location"), a.body)
	}
	f.post(t, hotmart.EventPurchaseOutOfShoppingCart)
	if f.exec.count("cart") != 1 {
		t.Fatal("the new segmentation did not run on the next event")
	}
	if !strings.Contains(f.logs.String(), "action=create") {
		t.Error("create not logged")
	}
}

func TestWithSecureCookie(t *testing.T) {
	c, err := console.New(adminToken, console.WithPrefix("/admin"), console.WithSecureCookie())
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/admin/login", strings.NewReader("token="+adminToken))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	c.ServeHTTP(rec, req)
	if ck := rec.Header().Get("Set-Cookie"); !strings.Contains(ck, "Secure") {
		t.Fatalf("cookie %q not Secure", ck)
	}
}
