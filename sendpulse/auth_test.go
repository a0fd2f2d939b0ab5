package sendpulse_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// fake starts a sendpulsetest server and a client for it, with fast retries.
func fake(t *testing.T, creds *sendpulse.Credentials, srvOpts []sendpulsetest.Option, opts ...sendpulse.Option) (*sendpulse.Client, *sendpulsetest.Server) {
	t.Helper()
	srv := sendpulsetest.NewServer(t, srvOpts...)
	cr := srv.OAuthCredentials()
	if creds != nil {
		cr = *creds
	}
	base := []sendpulse.Option{sendpulse.WithBaseURL(srv.URL()), sendpulse.WithRateLimit(0, 1),
		sendpulse.WithRetry(3, time.Millisecond, 5*time.Millisecond)}
	c, err := sendpulse.NewClient(cr, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func TestOAuthTokenFetchedOnceAcrossManyCalls(t *testing.T) {
	c, srv := fake(t, nil, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := c.CRM.Pipelines.List(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
	for _, call := range srv.Calls() {
		if call.Path != "/oauth/access_token" && call.Status != 200 {
			t.Fatalf("call %s answered %d", call.Path, call.Status)
		}
	}
}

func TestOAuthRefreshedOnceAfterServerSideExpiry(t *testing.T) {
	c, srv := fake(t, nil, nil)
	ctx := context.Background()
	if _, err := c.CRM.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	srv.ExpireTokens()
	for range 3 {
		if _, err := c.CRM.Users.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2", n)
	}
	var unauthorized int
	for _, call := range srv.Calls() {
		if call.Status == http.StatusUnauthorized {
			unauthorized++
		}
	}
	if unauthorized != 1 {
		t.Fatalf("401 answers = %d, want exactly 1 (the call that found the token dead)", unauthorized)
	}
}

func TestOAuthRefreshedBeforeLifetimeEnds(t *testing.T) {
	c, srv := fake(t, nil, []sendpulsetest.Option{sendpulsetest.WithTokenLifetime(time.Second)}, sendpulse.WithTokenRefreshMargin(0))
	ctx := context.Background()
	if _, err := c.CRM.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond)
	if _, err := c.CRM.Users.List(ctx); err != nil {
		t.Fatal(err)
	}
	if n := srv.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2", n)
	}
	for _, call := range srv.Calls() {
		if call.Status == http.StatusUnauthorized {
			t.Fatal("an expired token was sent instead of being refreshed first")
		}
	}
}

func TestWrongClientSecretIsTypedError(t *testing.T) {
	srv := sendpulsetest.NewServer(t)
	defer srv.Close()
	c, err := sendpulse.NewClient(sendpulse.Credentials{ClientID: srv.OAuthCredentials().ClientID, ClientSecret: "wrong-secret-123"}, sendpulse.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CRM.Users.List(context.Background())
	var ae *sendpulse.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Code != "invalid_client" {
		t.Fatalf("want 401 invalid_client APIError, got %v", err)
	}
	if strings.Contains(err.Error(), "wrong-secret-123") {
		t.Fatal("secret in error")
	}
	if n := srv.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d: a refused credential must not be retried", n)
	}
}

func TestAPIKeyNeverFetchesToken(t *testing.T) {
	c2, srv2 := fake(t, &sendpulse.Credentials{APIKey: sendpulsetest.DefaultAPIKey}, nil)
	if _, err := c2.CRM.Users.List(context.Background()); err != nil {
		t.Fatal(err)
	}
	if srv2.TokenRequests() != 0 {
		t.Fatal("API key client fetched a token")
	}
	if got := srv2.Calls()[0].Auth; got != "Bearer "+sendpulsetest.DefaultAPIKey {
		t.Fatalf("Authorization = %q", got)
	}
	// A wrong key gives 401 once: there is nothing to refresh.
	c3, srv3 := fake(t, &sendpulse.Credentials{APIKey: "not-the-key-0000"}, nil)
	_, err := c3.CRM.Users.List(context.Background())
	if !sendpulse.IsUnauthorized(err) || len(srv3.Calls()) != 1 {
		t.Fatalf("err=%v calls=%d", err, len(srv3.Calls()))
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("429 then 200 is one success", func(t *testing.T) {
		c, srv := fake(t, &sendpulse.Credentials{APIKey: sendpulsetest.DefaultAPIKey}, nil)
		srv.FailNext(1, sendpulsetest.Fault{Status: http.StatusTooManyRequests})
		// A POST that creates: 429 means it was not processed, so it is retried.
		if _, err := c.CRM.Contacts.Create(ctx, &sendpulse.ContactCreate{ResponsibleID: srv.Users()[0].ID, FirstName: "A"}); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Calls()); n != 2 {
			t.Fatalf("calls = %d, want 2", n)
		}
		if len(srv.Contacts()) != 1 || len(srv.Effects()) != 1 {
			t.Fatalf("contacts=%d effects=%d", len(srv.Contacts()), len(srv.Effects()))
		}
	})
	t.Run("POST not retried on 5xx", func(t *testing.T) {
		c, srv := fake(t, &sendpulse.Credentials{APIKey: sendpulsetest.DefaultAPIKey}, nil)
		srv.FailNext(1, sendpulsetest.Fault{Status: http.StatusInternalServerError})
		_, err := c.CRM.Deals.Create(ctx, &sendpulse.DealCreate{PipelineID: srv.Pipelines()[0].ID, StepID: srv.Pipelines()[0].Steps[0].ID})
		var ae *sendpulse.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 500 {
			t.Fatalf("want 500 APIError, got %v", err)
		}
		if n := len(srv.Calls()); n != 1 {
			t.Fatalf("calls = %d, want 1", n)
		}
	})
	t.Run("idempotent POST retried on 5xx", func(t *testing.T) {
		c, srv := fake(t, &sendpulse.Credentials{APIKey: sendpulsetest.DefaultAPIKey}, nil)
		srv.FailNext(2, sendpulsetest.Fault{Status: http.StatusBadGateway})
		book := srv.Books()[0]
		if err := c.AddressBooks.AddEmails(ctx, book, []sendpulse.Subscriber{{Email: "a@b.test"}}, nil); err != nil {
			t.Fatal(err)
		}
		if n := len(srv.Calls()); n != 3 || srv.BookSize(book) != 1 {
			t.Fatalf("calls = %d size = %d", n, srv.BookSize(book))
		}
	})
	t.Run("context cancel stops a backoff at once", func(t *testing.T) {
		c, srv := fake(t, &sendpulse.Credentials{APIKey: sendpulsetest.DefaultAPIKey}, nil, sendpulse.WithRetry(5, 10*time.Second, 20*time.Second))
		srv.FailNext(10, sendpulsetest.Fault{Status: http.StatusTooManyRequests})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		_, err := c.CRM.Users.List(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("returned after %v", d)
		}
	})
}
