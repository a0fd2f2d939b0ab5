package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// A provider outage longer than any Hotmart retry loses nothing: every
// delivery is answered 200 while both providers are down (so Hotmart has
// nothing to retry and nothing to switch off), the events keep retrying,
// and once the providers are back every action happens exactly once.
func TestProviderOutageLosesNothing(t *testing.T) {
	const n = 24
	events := reliabilityEvents(n)
	want := baselineEffects(t, events)

	f := newFakes(t)
	cfg := config{
		path: "/hook", hottoks: []string{"test-hottok-1"},
		leadloversToken: f.ll.Token(), leadloversURL: f.ll.URL(),
		sendpulseAPIKey: f.sp.Credentials().APIKey, sendpulseURL: f.sp.URL(),
		db: "sqlite:" + filepath.Join(t.TempDir(), "hk.db"), workers: 4, maxAttempts: 25,
		retryMaxDelay: 100 * time.Millisecond, jobTimeout: 5 * time.Second,
	}
	a, p := newApp(cfg, demoRules, appOptions{retryWait: time.Millisecond,
		durable: []durable.Option{durable.WithRetryBaseDelay(10 * time.Millisecond), durable.WithPollInterval(10 * time.Millisecond)}})
	if len(p) > 0 {
		t.Fatal(p)
	}
	ctx := context.Background()
	if err := a.start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.stop(ctx) })

	f.ll.FailRate(1, leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusServiceUnavailable})
	f.sp.FailRate(1, sendpulsetest.Fault{Status: http.StatusServiceUnavailable})
	for i, body := range events {
		rec := httptest.NewRecorder()
		req := hotmarttest.NewRequest(body, "test-hottok-1")
		req.URL.Path = cfg.path
		a.mux.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("event %d answered %d during the outage", i, rec.Code)
		}
	}
	// Stay down until every event has failed several attempts.
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("rel-%04d", i)
		for {
			ev, err := a.engine.Event(ctx, id)
			if err == nil && ev.Attempts >= 3 && ev.State == webhook.StateRetrying {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %+v %v", id, ev, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	if evs, _ := a.engine.Events(ctx, webhook.EventQuery{State: webhook.StateDead}); len(evs) > 0 {
		t.Fatalf("%d events dead during the outage", len(evs))
	}
	f.ll.FailRate(0)
	f.sp.FailRate(0)
	deadline = time.Now().Add(60 * time.Second)
	for {
		evs, err := a.engine.Events(ctx, webhook.EventQuery{State: webhook.StateDone, Limit: 1000})
		if err == nil && len(evs) == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d done after recovery", len(evs), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	checkExactlyOnce(t, f, want, n)
}
