package leadlovers_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
)

// fake starts a fake server and a client for it with fast retries and no
// pacing, so that tests measure the retry policy alone.
func fake(t *testing.T, opts ...leadlovers.Option) (*leadlovers.Client, *leadloverstest.Server) {
	t.Helper()
	srv := leadloverstest.NewServer(t)
	base := []leadlovers.Option{
		leadlovers.WithBaseURL(srv.URL()),
		leadlovers.WithRateLimit(0, 1),
		leadlovers.WithRetry(3, time.Millisecond, 5*time.Millisecond),
		leadlovers.WithThrottleWait(20*time.Millisecond, time.Second),
	}
	c, err := leadlovers.NewClient(srv.Credentials(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func upsertAna(ctx context.Context, c *leadlovers.Client) error {
	_, err := c.Leads.Upsert(ctx, &leadlovers.Lead{Email: "ana@example.com", Name: "Ana",
		MachineCode: leadloverstest.MachineCustomers, EmailSequenceCode: leadloverstest.SequenceWelcome, SequenceLevelCode: 1})
	return err
}

func TestRetry429WaitsAsTold(t *testing.T) {
	c, srv := fake(t)
	srv.FailNext(1, leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: 300 * time.Millisecond})
	start := time.Now()
	if _, err := c.Leads.Insert(context.Background(), &leadlovers.Lead{Email: "ana@example.com",
		MachineCode: leadloverstest.MachineCustomers, EmailSequenceCode: leadloverstest.SequenceWelcome, SequenceLevelCode: 1}); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 280*time.Millisecond {
		t.Fatalf("retried after %v, Retry-After said 300ms", waited)
	}
	if n := srv.CallCount("POST", "/Lead"); n != 2 {
		t.Fatalf("POST /Lead calls = %d, want 2 (429 is retried even for POST)", n)
	}
	if got := srv.LeadsIn(leadloverstest.MachineCustomers); len(got) != 1 {
		t.Fatalf("leads = %v", got)
	}
}

func TestThrottleWithoutRetryAfterUsesThrottleWait(t *testing.T) {
	for _, f := range []leadloverstest.Fault{
		{Kind: leadloverstest.TooManyRequests},
		{Kind: leadloverstest.Cloudflare1015, Status: http.StatusForbidden},
		{Kind: leadloverstest.Cloudflare1015},
	} {
		t.Run(f.Kind.String(), func(t *testing.T) {
			c, srv := fake(t, leadlovers.WithThrottleWait(150*time.Millisecond, time.Second))
			srv.FailNext(1, f)
			start := time.Now()
			if err := upsertAna(context.Background(), c); err != nil {
				t.Fatal(err)
			}
			if waited := time.Since(start); waited < 140*time.Millisecond {
				t.Fatalf("waited %v, want the 150ms throttle wait", waited)
			}
			if n := srv.CallCount("PUT", "/Lead"); n != 2 {
				t.Fatalf("calls = %d", n)
			}
		})
	}
}

func TestGivingUpOnThrottleIsRateLimitError(t *testing.T) {
	c, srv := fake(t, leadlovers.WithRetry(2, time.Millisecond, time.Millisecond))
	srv.FailNext(10, leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: 10 * time.Millisecond})
	err := upsertAna(context.Background(), c)
	var rl *leadlovers.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, leadlovers.ErrRateLimited) || !leadlovers.IsRateLimited(err) {
		t.Fatalf("want *RateLimitError, got %T %v", err, err)
	}
	var ae *leadlovers.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusTooManyRequests || rl.RetryAfter != 10*time.Millisecond {
		t.Fatalf("want wrapped 429 APIError with RetryAfter, got %+v / %v", ae, rl.RetryAfter)
	}
	if n := srv.CallCount("PUT", "/Lead"); n != 3 {
		t.Fatalf("calls = %d, want 3", n)
	}
	if len(srv.Effects()) != 0 {
		t.Fatal("throttled calls must not apply")
	}
}

func TestServerErrorRetryDependsOnIdempotence(t *testing.T) {
	cases := []struct {
		name   string
		method string
		call   func(context.Context, *leadlovers.Client) error
		calls  int
		ok     bool
	}{
		{"POST insert not retried", "POST", func(ctx context.Context, c *leadlovers.Client) error {
			_, err := c.Leads.Insert(ctx, &leadlovers.Lead{Email: "ana@example.com", MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1})
			return err
		}, 1, false},
		{"POST score add not retried", "POST", func(ctx context.Context, c *leadlovers.Client) error {
			_, err := c.Leads.AddScore(ctx, "ana@example.com", 5, false)
			return err
		}, 1, false},
		{"PUT upsert retried", "PUT", upsertAna, 2, true},
		{"GET retried", "GET", func(ctx context.Context, c *leadlovers.Client) error {
			_, err := c.Sequences.List(ctx, 111)
			return err
		}, 2, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := fake(t)
			srv.FailNext(1, leadloverstest.Fault{Kind: leadloverstest.ServerError, Status: http.StatusBadGateway, Method: tc.method})
			err := tc.call(context.Background(), c)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v", err)
			}
			if !tc.ok {
				var ae *leadlovers.APIError
				if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway || !ae.Temporary() {
					t.Fatalf("want 502 APIError, got %v", err)
				}
			}
			if n := srv.CallCount(tc.method, ""); n != tc.calls {
				t.Fatalf("calls = %d, want %d", n, tc.calls)
			}
		})
	}
}

func TestErrorInside200IsNotRetried(t *testing.T) {
	c, srv := fake(t)
	srv.FailNext(1, leadloverstest.Fault{Kind: leadloverstest.BodyError})
	err := upsertAna(context.Background(), c)
	var ae *leadlovers.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 200 || ae.Code != "500" || !strings.Contains(ae.Message, "Falha temporária") {
		t.Fatalf("want body APIError, got %v", err)
	}
	if srv.CallCount("", "") != 1 || len(srv.Effects()) != 0 {
		t.Fatal("must fail once, apply nothing")
	}
}

func TestContextCancelStopsBackoffAtOnce(t *testing.T) {
	c, srv := fake(t, leadlovers.WithThrottleWait(time.Minute, time.Minute))
	srv.FailNext(5, leadloverstest.Fault{Kind: leadloverstest.TooManyRequests})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	err := upsertAna(ctx, c)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if el := time.Since(start); el > 2*time.Second {
		t.Fatalf("backoff not interrupted: %v", el)
	}
}

func TestThrottlePausesWholeClient(t *testing.T) {
	c, srv := fake(t, leadlovers.WithRetry(0, time.Millisecond, time.Millisecond), leadlovers.WithRateLimit(1000, 10))
	srv.FailNext(1, leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: 250 * time.Millisecond})
	if err := upsertAna(context.Background(), c); !leadlovers.IsRateLimited(err) {
		t.Fatalf("want rate limited, got %v", err)
	}
	start := time.Now()
	if _, err := c.Sequences.List(context.Background(), 111); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Fatalf("next call went out after %v, before the pause ended", waited)
	}
}

func TestPacingSpacesCalls(t *testing.T) {
	c, _ := fake(t, leadlovers.WithRateLimit(20, 1))
	start := time.Now()
	for range 4 {
		if _, err := c.Sequences.List(context.Background(), 111); err != nil {
			t.Fatal(err)
		}
	}
	if el := time.Since(start); el < 140*time.Millisecond {
		t.Fatalf("4 calls at 20/s with burst 1 took %v, want >= 150ms", el)
	}
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, srv := fake(t, leadlovers.WithLogger(log))
	const email, phone = "maria.silva@example.com", "+5531988887777"
	srv.FailRate(0.5,
		leadloverstest.Fault{Kind: leadloverstest.ServerError},
		leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: time.Millisecond},
		leadloverstest.Fault{Kind: leadloverstest.BodyError},
		leadloverstest.Fault{Kind: leadloverstest.Cloudflare1015, Status: 403},
	)
	ctx := context.Background()
	var errs []string
	record := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	for range 10 {
		_, err := c.Leads.Insert(ctx, &leadlovers.Lead{Email: email, Phone: phone, MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1})
		record(err)
		_, err = c.Leads.Get(ctx, email)
		record(err)
		_, err = c.Leads.Locations(ctx, email)
		record(err)
		_, err = c.Leads.RemoveFromSequence(ctx, email, 111, 999)
		record(err)
		_, err = c.Leads.Get(ctx, "nobody."+email)
		record(err)
	}
	// A transport failure carries the full URL in *url.Error.
	dead, err := leadlovers.NewClient(srv.Credentials(), leadlovers.WithBaseURL("http://127.0.0.1:1/webapi"), leadlovers.WithRetry(0, time.Millisecond, time.Millisecond), leadlovers.WithLogger(log))
	if err != nil {
		t.Fatal(err)
	}
	_, err = dead.Leads.Get(ctx, email)
	record(err)
	if len(errs) < 5 {
		t.Fatalf("too few faults to prove anything: %d errors", len(errs))
	}
	all := logs.String() + strings.Join(errs, "\n")
	if !strings.Contains(logs.String(), "api call") {
		t.Fatal("no debug log lines captured")
	}
	for _, secret := range []string{srv.Token(), email, "maria.silva%40example.com", strings.TrimPrefix(phone, "+")} {
		if strings.Contains(all, secret) {
			t.Fatalf("%q leaked into logs or errors:\n%s", secret, all)
		}
	}
}
