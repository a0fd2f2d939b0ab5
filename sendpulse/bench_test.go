package sendpulse_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// BenchmarkCall measures one GET /crm/v1/users against the fake server.
// "baseline" is a bare net/http request with the header set by hand; the
// other cases add the SDK (pacing off): with an API key, and with a cached
// OAuth token. The ratios show what the SDK's layers cost per call.
func BenchmarkCall(b *testing.B) {
	srv := sendpulsetest.NewServer(b)
	ctx := context.Background()
	b.Run("baseline", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL()+"/crm/v1/users", nil)
			req.Header.Set("Authorization", "Bearer "+srv.Credentials().APIKey)
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out struct {
				Data []sendpulse.User `json:"data"`
			}
			_ = decodeJSON(resp, &out)
		}
	})
	for name, auth := range map[string]sendpulse.Credentials{
		"apikey": srv.Credentials(),
		"oauth":  srv.OAuthCredentials(),
	} {
		b.Run(name, func(b *testing.B) {
			c, _ := sendpulse.NewClient(auth, sendpulse.WithBaseURL(srv.URL()), sendpulse.WithRateLimit(0, 1))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.CRM.Users.List(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPaymentClass: baseline is a bare switch on the event type.
func BenchmarkPaymentClass(b *testing.B) {
	e := purchase(b, hotmart.EventPurchaseApproved, "HP1", "a@b.test", "1.00", hotmart.StatusApproved)
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkBool = e.Type == hotmart.EventPurchaseApproved || e.Type == hotmart.EventPurchaseComplete
		}
	})
	b.Run("PaymentClass", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, sinkBool = sendpulse.PaymentClass(e)
		}
	})
}

// BenchmarkUpsertDealReplay measures re-running an event whose deal is
// already in place (the common case on Hotmart retries): one search, no
// write. Baseline: the same search issued directly.
func BenchmarkUpsertDealReplay(b *testing.B) {
	srv := sendpulsetest.NewServer(b)
	c, _ := sendpulse.NewClient(srv.Credentials(), sendpulse.WithBaseURL(srv.URL()), sendpulse.WithRateLimit(0, 1))
	x, _ := sendpulse.NewExecutor(c)
	params := upsertParams(b, srv)
	e := purchase(b, hotmart.EventPurchaseApproved, "HP1", "a@b.test", "1.00", hotmart.StatusApproved)
	ctx := context.Background()
	if err := x.Execute(ctx, segment.Match{Event: e, Params: params}); err != nil {
		b.Fatal(err)
	}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.CRM.Deals.List(ctx, &sendpulse.DealListOptions{Name: "#HP1", ListOptions: sendpulse.ListOptions{Limit: 50}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("UpsertDeal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := x.Execute(ctx, segment.Match{Event: e, Params: params}); err != nil {
				b.Fatal(err)
			}
		}
	})
	if n := len(srv.Deals()); n != 1 {
		b.Fatalf("deals = %d", n)
	}
}

var sinkBool bool

func decodeJSON(resp *http.Response, v any) error {
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}
