package sendpulse_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// A token shorter-lived than the refresh margin is replaced at half its
// life, not before every call (1,213 token requests for 2,545 calls with
// 4-second tokens before).
func TestShortTokensRefreshedAtHalfLife(t *testing.T) {
	c, srv := fake(t, nil, []sendpulsetest.Option{sendpulsetest.WithTokenLifetime(time.Second)})
	ctx := context.Background()
	calls := 0
	for start := time.Now(); time.Since(start) < 1300*time.Millisecond; calls++ {
		if _, err := c.CRM.Users.List(ctx); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// 1.3 s of calls with a token replaced every 0.5 s: 3 fetches, one
	// more for timing slack.
	if n := srv.TokenRequests(); n > 4 || calls < 20 {
		t.Fatalf("%d token requests for %d calls over 1.3 s of 1 s tokens; want at most 4", n, calls)
	}
}

// SendPulse error messages may echo the deal name, which holds the buyer's
// name; the error must not.
func TestErrorsCarryNoBuyerName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"message":"Deal \"Curso — Ana Beatriz Souza #HP1\" is invalid","error_code":422}`))
	}))
	t.Cleanup(srv.Close)
	c, err := sendpulse.NewClient(sendpulse.Credentials{APIKey: "key-123456"}, sendpulse.WithBaseURL(srv.URL), sendpulse.WithRateLimit(0, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CRM.Deals.Create(context.Background(), &sendpulse.DealCreate{PipelineID: 1, StepID: 2, Name: "Curso — Ana Beatriz Souza #HP1"})
	if err == nil {
		t.Fatal("want the 422")
	}
	for _, personal := range []string{"Ana", "Beatriz", "Souza"} {
		if strings.Contains(err.Error(), personal) {
			t.Errorf("error shows %q: %v", personal, err)
		}
	}
}

// The OAuth token call does not follow redirects either: the client secret
// travels in its body.
func TestTokenCallRedirectNotFollowed(t *testing.T) {
	reached := 0
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached++ }))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(srv.Close)
	c, err := sendpulse.NewClient(sendpulse.Credentials{ClientID: "id", ClientSecret: "secret-value-1"}, sendpulse.WithBaseURL(srv.URL),
		sendpulse.WithRateLimit(0, 1), sendpulse.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.CRM.Users.List(context.Background()); err == nil || reached != 0 {
		t.Fatalf("redirect followed (%d), err %v", reached, err)
	}
}
