package leadlovers_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/leadlovers"
)

// leadlovers echoes lead data in its messages; the buyer's name must not
// reach the error (and so the logs and /deliveries).
func TestErrorsCarryNoBuyerName(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"StatusCode":400,"Message":"O lead Ana Beatriz Souza (ana.souza@example.com, 31 99876-5432) já está na máquina"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := leadlovers.NewClient(leadlovers.Credentials{Token: testToken}, leadlovers.WithBaseURL(srv.URL+"/webapi"),
		leadlovers.WithRateLimit(0, 1), leadlovers.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Leads.Upsert(context.Background(), &leadlovers.Lead{Email: "ana.souza@example.com", Name: "Ana Beatriz Souza",
		Phone: "31 99876-5432", MachineCode: 1, EmailSequenceCode: 1, SequenceLevelCode: 1})
	if err == nil {
		t.Fatal("want the envelope's error")
	}
	for _, personal := range []string{"Ana", "Beatriz", "Souza", "ana.souza", "99876"} {
		if strings.Contains(err.Error(), personal) {
			t.Errorf("error shows %q: %v", personal, err)
		}
	}
	if !strings.Contains(err.Error(), "máquina") {
		t.Errorf("the rest of the message should stay: %v", err)
	}
}

// A redirect is never followed: the token travels in the query, and a
// followed redirect would hand it (with the Referer) to the other host.
func TestRedirectNotFollowed(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { reached.Add(1) }))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/collect", http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	c, err := leadlovers.NewClient(leadlovers.Credentials{Token: testToken}, leadlovers.WithBaseURL(srv.URL+"/webapi"),
		leadlovers.WithRateLimit(0, 1), leadlovers.WithRetry(0, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Machines.Get(context.Background(), 1)
	if err == nil || reached.Load() != 0 {
		t.Fatalf("redirect followed (other host reached %d times), err %v", reached.Load(), err)
	}
	if strings.Contains(err.Error(), testToken) {
		t.Fatalf("error shows the token: %v", err)
	}
}
