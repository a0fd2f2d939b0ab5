package leadloverstest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/leadlovers/leadloverstest"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServerBehaviour(t *testing.T) {
	srv := leadloverstest.NewServer(t, leadloverstest.WithToken("SECRET-TOKEN-1234"))
	tok := "?token=SECRET-TOKEN-1234"
	cases := []struct {
		name   string
		url    string
		status int
		body   string
	}{
		{"no token", srv.URL() + "/Machines", 401, `"StatusCode":401`},
		{"wrong token", srv.URL() + "/Machines?token=nope", 401, `Token inválido`},
		{"case-insensitive path", srv.URL() + "/emailsequences" + tok + "&machineCode=111", 200, `"SequenceCode":222`},
		{"unknown machine read", srv.URL() + "/EmailSequences" + tok + "&machineCode=9", 400, `Código da Máquina inválido`},
		{"unknown lead", srv.URL() + "/Lead" + tok + "&email=x@example.com", 404, `Lead não encontrado`},
		{"levels", srv.URL() + "/Levels" + tok + "&machineCode=333&sequenceCode=444", 200, `"Sequence":3`},
		{"unknown route", srv.URL() + "/Nope" + tok, 404, `No HTTP resource`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := get(t, tc.url)
			if st != tc.status || !strings.Contains(body, tc.body) {
				t.Fatalf("got %d %s", st, body)
			}
		})
	}
	for _, c := range srv.Calls() {
		if c.Query.Has("token") {
			t.Fatalf("recorded call keeps the token: %+v", c)
		}
	}
}

func TestWriteToUnknownMachineIs200WithError(t *testing.T) {
	srv := leadloverstest.NewServer(t)
	req, _ := http.NewRequest("PUT", srv.URL()+"/Lead?token="+srv.Token(), strings.NewReader(`{"Email":"a@example.com","MachineCode":9,"EmailSequenceCode":1,"SequenceLevelCode":1}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"StatusCode":400`) || len(srv.Effects()) != 0 {
		t.Fatalf("got %d %s", resp.StatusCode, b)
	}
}

// Under a 30 % failure rate, a client that retries what is safe to retry,
// and re-runs what failed, ends with every intended effect exactly once.
func TestFailRateEveryEffectOnce(t *testing.T) {
	srv := leadloverstest.NewServer(t, leadloverstest.WithSeed(7))
	c := srv.Client(leadlovers.WithRetry(2, time.Millisecond, 2*time.Millisecond), leadlovers.WithThrottleWait(time.Millisecond, time.Millisecond))
	srv.FailRate(0.3,
		leadloverstest.Fault{Kind: leadloverstest.ServerError},
		leadloverstest.Fault{Kind: leadloverstest.ServerError, AfterApply: true},
		leadloverstest.Fault{Kind: leadloverstest.TooManyRequests, RetryAfter: time.Millisecond},
		leadloverstest.Fault{Kind: leadloverstest.BodyError},
	)
	const n = 40
	pending := map[int]bool{}
	for i := range n {
		pending[i] = true
	}
	for round := 0; len(pending) > 0; round++ {
		if round > 50 {
			t.Fatalf("still failing after 50 rounds: %d left", len(pending))
		}
		for i := range pending {
			_, err := c.Leads.Upsert(context.Background(), &leadlovers.Lead{Email: fmt.Sprintf("lead%d@example.com", i),
				MachineCode: leadloverstest.MachineCustomers, EmailSequenceCode: leadloverstest.SequenceWelcome, SequenceLevelCode: 1})
			if err == nil {
				delete(pending, i)
			}
		}
	}
	if got := len(srv.LeadsIn(leadloverstest.MachineCustomers)); got != n {
		t.Fatalf("leads = %d", got)
	}
	counts := map[string]int{}
	for _, e := range srv.Effects() {
		counts[e.Kind+" "+e.Email]++
	}
	for k, v := range counts {
		if v != 1 {
			t.Fatalf("effect %q happened %d times", k, v)
		}
	}
	if len(counts) != 2*n { // created + placed per lead
		t.Fatalf("effects = %d, want %d", len(counts), 2*n)
	}
	faulted := 0
	for _, c := range srv.Calls() {
		if c.Fault != "" {
			faulted++
		}
	}
	if faulted == 0 {
		t.Fatal("no fault injected")
	}
}
