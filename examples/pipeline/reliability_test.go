package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// reliabilityEvents are n events about n different buyers, cycling through
// the event types whose rules act on both providers.
func reliabilityEvents(n int) [][]byte {
	types := []hotmart.EventType{
		hotmart.EventPurchaseApproved, hotmart.EventPurchaseBilletPrinted,
		hotmart.EventPurchaseCanceled, hotmart.EventPurchaseOutOfShoppingCart,
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = hotmarttest.NewEvent(types[i%len(types)],
			hotmarttest.WithEventID(fmt.Sprintf("rel-%04d", i)),
			hotmarttest.WithBuyerEmail(fmt.Sprintf("buyer%04d@example.com", i)),
			hotmarttest.WithBuyerName(fmt.Sprintf("Buyer %d", i)),
			hotmarttest.WithBuyerCountry("BR"),
			hotmarttest.WithTransaction(fmt.Sprintf("HP9%09d", i)),
		)
	}
	return out
}

type world struct {
	ll  *leadloverstest.Server
	sp  *sendpulsetest.Server
	app *app
}

func newWorld(t *testing.T) world {
	t.Helper()
	ll := leadloverstest.NewServer(t)
	sp := sendpulsetest.NewServer(t)
	cfg := config{
		path: "/hook", hottoks: []string{"hottok-1234"},
		leadloversToken: ll.Token(), leadloversURL: ll.URL(),
		sendpulseAPIKey: sp.Credentials().APIKey, sendpulseURL: sp.URL(),
	}
	a, p := newApp(cfg, demoRules, appOptions{retryWait: time.Millisecond})
	if len(p) > 0 {
		t.Fatal(p)
	}
	return world{ll: ll, sp: sp, app: a}
}

func (w world) deliver(body []byte) int {
	rec := httptest.NewRecorder()
	req := hotmarttest.NewRequest(body, "hottok-1234")
	req.URL.Path = w.app.cfg.path
	w.app.mux.ServeHTTP(rec, req)
	return rec.Code
}

// effects describes what changed at both providers, without ids (which
// depend on the order requests arrived in), as a sorted multiset.
func (w world) effects() []string {
	var out []string
	for _, e := range w.ll.Effects() {
		out = append(out, fmt.Sprintf("ll %s %s m%d s%d l%d t%d", e.Kind, e.Email, e.Machine, e.Sequence, e.Level, e.Tag))
	}
	for _, e := range w.sp.Effects() {
		out = append(out, "sp "+e.Kind)
	}
	sort.Strings(out)
	return out
}

// TestReliabilityExactlyOnceUnderFaults delivers 1,000 events 5 times each,
// concurrently, while both fake providers fail 20% of calls (some of the
// leadlovers failures after applying the call, as when a reply is lost).
// Deliveries answered with a non-2xx are retried as Hotmart does. At the end
// every intended effect must have happened exactly once: the providers'
// state changes equal those of a fault-free, one-delivery run.
func TestReliabilityExactlyOnceUnderFaults(t *testing.T) {
	n := 1000
	if testing.Short() {
		n = 100
	}
	events := reliabilityEvents(n)

	baseline := newWorld(t)
	for i, body := range events {
		if code := baseline.deliver(body); code != http.StatusOK {
			t.Fatalf("baseline event %d: HTTP %d", i, code)
		}
	}
	want := baseline.effects()

	w := newWorld(t)
	w.ll.FailRate(0.2,
		leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusServiceUnavailable},
		leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusBadGateway, AfterApply: true},
		leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: time.Millisecond},
	)
	w.sp.FailRate(0.2)

	var (
		failedAnswers atomic.Int64
		lost          atomic.Int64
		sem           = make(chan struct{}, 16)
		wg            sync.WaitGroup
	)
	for _, body := range events {
		wg.Add(1)
		sem <- struct{}{}
		go func(body []byte) {
			defer wg.Done()
			defer func() { <-sem }()
			// Five simultaneous deliveries of the same event.
			codes := make([]int, 5)
			var dup sync.WaitGroup
			for j := range codes {
				dup.Add(1)
				go func(j int) { defer dup.Done(); codes[j] = w.deliver(body) }(j)
			}
			dup.Wait()
			ok := false
			for _, c := range codes {
				if c == http.StatusOK {
					ok = true
				} else {
					failedAnswers.Add(1)
				}
			}
			// Hotmart retries until it gets a 2xx.
			for attempt := 0; !ok && attempt < 50; attempt++ {
				c := w.deliver(body)
				ok = c == http.StatusOK
				if !ok {
					failedAnswers.Add(1)
				}
			}
			if !ok {
				lost.Add(1)
			}
		}(body)
	}
	wg.Wait()
	w.ll.FailRate(0)
	w.sp.FailRate(0)

	if lost.Load() > 0 {
		t.Fatalf("%d events never succeeded", lost.Load())
	}
	got := w.effects()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("effects differ from a fault-free run: got %d, want %d\n%s", len(got), len(want), firstDiff(got, want))
	}
	for i := 0; i < n; i++ {
		email := fmt.Sprintf("buyer%04d@example.com", i)
		if i%4 != 3 { // cart abandonment has no transaction and touches only leadlovers
			if c := len(w.sp.ContactsByEmail(email)); c != 1 {
				t.Fatalf("%s: %d contacts", email, c)
			}
			if d := len(w.sp.DealsByTransaction(fmt.Sprintf("HP9%09d", i))); d != 1 {
				t.Fatalf("%s: %d deals", email, d)
			}
		}
	}
	t.Logf("%d events × 5 deliveries: %d non-2xx answers retried, %d provider effects, none lost or doubled",
		n, failedAnswers.Load(), len(got))
}

func firstDiff(got, want []string) string {
	count := func(xs []string) map[string]int {
		m := map[string]int{}
		for _, x := range xs {
			k := x
			if strings.HasPrefix(x, "ll ") {
				f := strings.Fields(x)
				k = f[0] + " " + f[1]
			}
			m[k]++
		}
		return m
	}
	g, w := count(got), count(want)
	var diffs []string
	for k := range w {
		if g[k] != w[k] {
			diffs = append(diffs, fmt.Sprintf("%s: got %d want %d", k, g[k], w[k]))
		}
	}
	for k := range g {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: got %d want 0", k, g[k]))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return strings.Join(diffs, "\n")
	}
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i] != want[i] {
			return fmt.Sprintf("first difference at %d: got %q want %q", i, got[i], want[i])
		}
	}
	return "one is a prefix of the other"
}
