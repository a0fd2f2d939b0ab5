package console_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/hotmartkit/hotmartkit/console"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

// findChromium returns the browser to drive. Without one the browser tests
// skip, except under CI, where they fail.
func findChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found (install Debian's chromium package); browser tests cannot be skipped under CI")
	}
	t.Skip("chromium not found: skipping the browser tests (install Debian's chromium package to run them)")
	return ""
}

// artifactDir is where screenshots go: $HOTMARTKIT_ARTIFACTS/console, or a
// temporary directory removed after the test.
func artifactDir(t *testing.T) string {
	if base := os.Getenv("HOTMARTKIT_ARTIFACTS"); base != "" {
		dir := filepath.Join(base, "console")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// TestBrowser drives the console in headless Chromium, one browser and one
// tab for every step, in order.
func TestBrowser(t *testing.T) {
	path := findChromium(t)
	f := newFixture(t)
	shots := artifactDir(t)
	docs := os.Getenv("HOTMARTKIT_UPDATE_DOCS") != "" // refresh the README's screenshots

	// Chromium's helpers may still be writing to the profile when the
	// browser is gone, so it is removed here, best effort, rather than by
	// t.TempDir's strict cleanup.
	profile, err := os.MkdirTemp("", "hotmartkit-console-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		for range 10 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 860))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if err := chromedp.Run(bctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	base := f.srv.URL + "/admin"

	run := func(t *testing.T, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(bctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	shot := func(t *testing.T, name string, doc string) {
		t.Helper()
		var png []byte
		run(t, chromedp.FullScreenshot(&png, 100))
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		if docs && doc != "" {
			if err := os.WriteFile(filepath.Join("..", "docs", doc), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	text := func(t *testing.T, sel string) string {
		t.Helper()
		var s string
		run(t, chromedp.Text(sel, &s, chromedp.ByQuery))
		return s
	}

	ok := t.Run("login", func(t *testing.T) {
		var body, loc string
		run(t, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name="token"]`, chromedp.ByQuery))
		shot(t, "login", "")
		run(t, chromedp.SendKeys(`input[name="token"]`, "not-the-token", chromedp.ByQuery),
			chromedp.Click(`button[data-action="login"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`p.alert`, chromedp.ByQuery), chromedp.Text(`p.alert`, &body, chromedp.ByQuery))
		var cookies []*network.Cookie
		run(t, chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			cookies, err = network.GetCookies().Do(ctx)
			return err
		}))
		for _, c := range cookies {
			if c.Name == console.CookieName {
				t.Fatal("a wrong token set a session cookie")
			}
		}
		run(t, chromedp.SendKeys(`input[name="token"]`, adminToken, chromedp.ByQuery),
			chromedp.Click(`button[data-action="login"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`svg.chart`, chromedp.ByQuery), chromedp.Location(&loc))
		if loc != base+"/" {
			t.Fatalf("after login at %s, want %s/", loc, base)
		}
		run(t, chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			cookies, err = network.GetCookies().Do(ctx)
			return err
		}))
		found := false
		for _, c := range cookies {
			if c.Name == console.CookieName {
				found = true
				if !c.HTTPOnly || c.SameSite != network.CookieSameSiteStrict {
					t.Errorf("session cookie HttpOnly=%v SameSite=%v", c.HTTPOnly, c.SameSite)
				}
			}
		}
		if !found {
			t.Fatal("no session cookie after login")
		}
		shot(t, "overview", "")
	})
	if !ok {
		t.FailNow() // every later step needs the session
	}

	t.Run("see a posted delivery", func(t *testing.T) {
		f.exec.setFail("approved-br")
		if st := f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-failed"),
			hotmarttest.WithTransaction("HP0001")); st != 500 {
			t.Fatalf("failing delivery answered %d", st)
		}
		f.exec.setFail("")
		f.post(t, hotmart.EventPurchaseBilletPrinted, hotmarttest.WithEventID("ev-billet"), hotmarttest.WithTransaction("HP0002"))
		f.post(t, hotmart.EventPurchaseRefunded, hotmarttest.WithEventID("ev-refund"), hotmarttest.WithTransaction("HP0003"))
		f.log.addDead("ev-dead")
		if st := f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-browser"),
			hotmarttest.WithBuyerEmail(buyerEmail), hotmarttest.WithTransaction("HP0004")); st != 200 {
			t.Fatalf("delivery answered %d", st)
		}
		var state string
		var ok bool
		run(t, chromedp.Navigate(base+"/events"),
			chromedp.WaitVisible(`tr[data-event-id="ev-browser"]`, chromedp.ByQuery),
			chromedp.AttributeValue(`tr[data-event-id="ev-browser"]`, "data-state", &state, &ok, chromedp.ByQuery))
		if state != "done" {
			t.Errorf("posted event state %q, want done", state)
		}
		if row := text(t, `tr[data-event-id="ev-browser"]`); strings.Contains(row, buyerEmail) || !strings.Contains(row, "m***@e***.com") {
			t.Errorf("the list does not mask the buyer: %q", row)
		}
		shot(t, "events", "console-events.png")

		run(t, chromedp.Navigate(base+"/events/ev-browser"), chromedp.WaitVisible(`[data-current-state]`, chromedp.ByQuery))
		if st := text(t, `tr[data-delivery-status]`); !strings.Contains(st, "200") {
			t.Errorf("delivery row %q lacks the 200 answered", st)
		}
		shot(t, "event", "")

		run(t, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`svg.chart rect`, chromedp.ByQuery))
		if n := text(t, `[data-state-count="done"] strong`); n != "3" {
			t.Errorf("overview counts %s done events, want 3", n)
		}
		shot(t, "overview-busy", "")
	})

	t.Run("replay a dead event", func(t *testing.T) {
		run(t, chromedp.Navigate(base+"/dead"), chromedp.WaitVisible(`tr[data-event-id="ev-dead"]`, chromedp.ByQuery))
		shot(t, "dead", "")
		run(t, chromedp.Navigate(base+"/events/ev-dead"), chromedp.WaitVisible(`[data-current-state]`, chromedp.ByQuery))
		if s := text(t, `[data-current-state]`); s != "dead" {
			t.Fatalf("state %q before replay", s)
		}
		run(t, chromedp.Click(`button[data-action="replay"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`section[data-state="done"]`, chromedp.ByQuery))
		if s := text(t, `[data-current-state]`); s != "done" {
			t.Fatalf("state %q after replay", s)
		}
		shot(t, "event-replayed", "")
	})

	t.Run("switch a segmentation off", func(t *testing.T) {
		before := f.exec.count("approved-br")
		run(t, chromedp.Navigate(base+"/segmentations"),
			chromedp.WaitVisible(`article[data-segmentation-id="approved-br"][data-active="true"]`, chromedp.ByQuery))
		shot(t, "segmentations", "console-segmentations.png")
		run(t, chromedp.Click(`article[data-segmentation-id="approved-br"] button[data-action="toggle"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`article[data-segmentation-id="approved-br"][data-active="false"]`, chromedp.ByQuery))
		if st := f.post(t, hotmart.EventPurchaseApproved, hotmarttest.WithEventID("ev-after-off")); st != 200 {
			t.Fatalf("delivery answered %d", st)
		}
		if n := f.exec.count("approved-br"); n != before {
			t.Fatalf("the switched-off segmentation ran (%d calls, had %d)", n, before)
		}
		shot(t, "segmentations-off", "")
	})

	t.Run("edit with a bad field path", func(t *testing.T) {
		bad := `{"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"],
  "conditions": [{"field": "buyer.shoe_size", "op": "eq", "value": "42"}],
  "action": {"provider": "leadlovers", "command": "add_lead"}}`
		run(t, chromedp.Navigate(base+"/segmentations/approved-br"),
			chromedp.WaitVisible(`textarea[name="json"]`, chromedp.ByQuery),
			chromedp.SetValue(`textarea[name="json"]`, bad, chromedp.ByQuery),
			chromedp.Click(`button[data-action="save"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-error-field="conditions[0].field"]`, chromedp.ByQuery))
		if s := text(t, `[data-error-field="conditions[0].field"]`); !strings.Contains(s, "conditions[0].field") {
			t.Errorf("inline error %q", s)
		}
		segs, _ := f.rules.Segmentations(t.Context())
		if segs[0].Conditions[0].Field != "buyer.address.country_iso" {
			t.Fatal("the bad edit was saved")
		}
		shot(t, "edit-error", "")
	})

	t.Run("test with an e-mail", func(t *testing.T) {
		before := f.exec.count("refunds")
		run(t, chromedp.Navigate(base+"/segmentations/refunds"),
			chromedp.WaitVisible(`input[name="email"]`, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="email"]`, "tester@example.com", chromedp.ByQuery),
			chromedp.Click(`button[data-action="test"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`[data-test-result]`, chromedp.ByQuery))
		if s := text(t, `[data-test-result]`); !strings.Contains(s, "ok") {
			t.Fatalf("test result %q", s)
		}
		if f.exec.count("refunds") != before+1 {
			t.Fatal("the test did not run the action")
		}
		shot(t, "test-result", "")
	})

	t.Run("POST without CSRF is refused", func(t *testing.T) {
		run(t, chromedp.Navigate(base+"/segmentations"),
			chromedp.WaitVisible(`article[data-segmentation-id="refunds"]`, chromedp.ByQuery),
			// Strip the token from the form, as a forged form would lack it.
			chromedp.Evaluate(`document.querySelector('article[data-segmentation-id="refunds"] form input[name="csrf"]').remove()`, nil),
			chromedp.Click(`article[data-segmentation-id="refunds"] button[data-action="toggle"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`body`, chromedp.ByQuery))
		var body string
		run(t, chromedp.Sleep(200*time.Millisecond), chromedp.Text(`body`, &body, chromedp.ByQuery))
		if !strings.Contains(body, "forbidden") {
			t.Fatalf("page after a POST without csrf: %q", body)
		}
		segs, _ := f.rules.Segmentations(t.Context())
		for _, s := range segs {
			if s.ID == "refunds" && s.Active {
				t.Fatal("the refused toggle switched the segmentation on")
			}
		}
	})
}
