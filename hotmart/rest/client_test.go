package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

const (
	testID     = "client-id-123"
	testSecret = "sup3r-s3cret-value"
	testBasic  = "Y2xpZW50LWlkLTEyMzpzdXAzci1zM2NyZXQtdmFsdWU="
	testToken  = "acc3ss-t0ken-abcdef"
	tokenURL   = "https://auth.test/security/oauth/token"
	apiURL     = "https://api.test"
)

// setup gives each test its own mock transport and client; any request no
// responder matches fails the test.
func setup(t *testing.T, opts ...rest.Option) (*rest.Client, *httpmock.MockTransport, *bytes.Buffer) {
	t.Helper()
	tr := httpmock.NewMockTransport()
	tr.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(599, ""), nil
	})
	tr.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": testToken, "token_type": "bearer", "expires_in": 172799})
	})
	var logs bytes.Buffer
	all := append([]rest.Option{
		rest.WithHTTPClient(&http.Client{Transport: tr}),
		rest.WithBaseURL(apiURL), rest.WithTokenURL(tokenURL),
		rest.WithRetry(2, time.Millisecond, 5*time.Millisecond),
		rest.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
	}, opts...)
	c, err := rest.NewClient(rest.Credentials{ClientID: testID, ClientSecret: testSecret, Basic: testBasic}, all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, tr, &logs
}

func TestTokenRequestShape(t *testing.T) {
	c, tr, _ := setup(t)
	var tokenCalls atomic.Int32
	tr.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		tokenCalls.Add(1)
		q := r.URL.Query()
		if q.Get("grant_type") != "client_credentials" || q.Get("client_id") != testID || q.Get("client_secret") != testSecret {
			t.Errorf("token query %v", q)
		}
		if r.Header.Get("Authorization") != "Basic "+testBasic || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("token headers %v", r.Header)
		}
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": testToken, "expires_in": 172799})
	})
	tr.RegisterResponder(http.MethodGet, apiURL+"/products/api/v1/products", func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("bearer header %q", r.Header.Get("Authorization"))
		}
		return httpmock.NewStringResponse(200, `{"items":[],"page_info":{}}`), nil
	})
	for range 3 {
		if _, err := c.Products.List(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := tokenCalls.Load(); n != 1 {
		t.Fatalf("token fetched %d times; want it cached", n)
	}
}

func TestRefreshOnceOn401(t *testing.T) {
	c, tr, _ := setup(t)
	var tokens atomic.Int32
	tr.RegisterResponder(http.MethodPost, tokenURL, func(r *http.Request) (*http.Response, error) {
		n := tokens.Add(1)
		return httpmock.NewJsonResponse(200, map[string]any{"access_token": "tok" + string(rune('0'+n)), "expires_in": 172799})
	})
	var calls atomic.Int32
	tr.RegisterResponder(http.MethodGet, apiURL+"/products/api/v1/products", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		if r.Header.Get("Authorization") == "Bearer tok1" {
			return httpmock.NewStringResponse(401, `{"error":"token_expired","error_description":"expired"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"items":[{"id":1,"name":"A","ucode":"u"}]}`), nil
	})
	p, err := c.Products.List(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || tokens.Load() != 2 || calls.Load() != 2 {
		t.Fatalf("items=%d tokens=%d calls=%d", len(p.Items), tokens.Load(), calls.Load())
	}
	// A credential that keeps failing surfaces the 401 after one refresh.
	tr.RegisterResponder(http.MethodGet, apiURL+"/products/api/v1/products",
		httpmock.NewStringResponder(401, `{"error":"unauthorized","error_description":"nope"}`))
	_, err = c.Products.List(context.Background(), nil)
	var ae *rest.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 401 || ae.Code != "unauthorized" || !rest.IsUnauthorized(err) {
		t.Fatalf("want 401 APIError, got %v", err)
	}
}

func TestNewClientValidation(t *testing.T) {
	for _, tc := range []struct {
		name            string
		id, secret, bas string
		opts            []rest.Option
		want            string
	}{
		{"empty id", "", "s", "b", nil, "ClientID"},
		{"empty secret", "i", " ", "b", nil, "ClientSecret"},
		{"empty basic", "i", "s", "", nil, "Basic"},
		{"bad base url", "i", "s", "b", []rest.Option{rest.WithBaseURL("not a url")}, "WithBaseURL"},
		{"bad token url", "i", "s", "b", []rest.Option{rest.WithTokenURL("ftp://x/y")}, "WithTokenURL"},
		{"bad rate", "i", "s", "b", []rest.Option{rest.WithRateLimit(-1, 1)}, "WithRateLimit"}, {"bad burst", "i", "s", "b", []rest.Option{rest.WithRateLimit(1, 0)}, "WithRateLimit"},
		{"bad retry", "i", "s", "b", []rest.Option{rest.WithRetry(1, time.Second, time.Millisecond)}, "WithRetry"},
		{"bad env", "i", "s", "b", []rest.Option{rest.WithEnvironment(7)}, "environment"},
		{"nil http client", "i", "s", "b", []rest.Option{rest.WithHTTPClient(nil)}, "WithHTTPClient"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := rest.NewClient(rest.Credentials{ClientID: tc.id, ClientSecret: tc.secret, Basic: tc.bas}, tc.opts...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want error naming %q, got %v", tc.want, err)
			}
		})
	}
}

func TestEnvironmentSelectsHost(t *testing.T) {
	for _, tc := range []struct {
		env  rest.Environment
		host string
	}{{rest.Production, rest.ProductionAPIURL}, {rest.Sandbox, rest.SandboxAPIURL}} {
		tr := httpmock.NewMockTransport()
		tr.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			t.Errorf("unexpected %s %s", r.Method, r.URL)
			return httpmock.NewStringResponse(599, ""), nil
		})
		tr.RegisterResponder(http.MethodPost, rest.TokenURL, httpmock.NewStringResponder(200, `{"access_token":"t","expires_in":100}`))
		tr.RegisterResponder(http.MethodGet, tc.host+"/products/api/v1/products", httpmock.NewStringResponder(200, `{"items":[]}`))
		c, err := rest.NewClient(rest.Credentials{ClientID: "i", ClientSecret: "secret", Basic: "basic"}, rest.WithEnvironment(tc.env), rest.WithHTTPClient(&http.Client{Transport: tr}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Products.List(context.Background(), nil); err != nil {
			t.Fatalf("%v: %v", tc.env, err)
		}
	}
}

var (
	jan1 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	feb1 = time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	yes  = true
)

// TestRequestShapes checks method, path, query and JSON body of every endpoint.
func TestRequestShapes(t *testing.T) {
	ctx := context.Background()
	lo := rest.ListOptions{MaxResults: 10, PageToken: "tok"}
	for _, tc := range []struct {
		name   string
		method string
		path   string
		query  string // url-encoded, sorted by key
		body   string // JSON, "" for none
		resp   string
		call   func(c *rest.Client) error
	}{
		{"sales history", "GET", "/payments/api/v1/sales/history",
			"buyer_email=a%40b.c&commission_as=PRODUCER&end_date=1706745600000&max_results=10&offer_code=o1&page_token=tok&payment_type=PIX&product_id=7&select=purchase.transaction%2Cbuyer.email&start_date=1704067200000&transaction_status=REFUNDED&transaction_status=CHARGEBACK",
			"", `{"items":[],"page_info":{}}`, func(c *rest.Client) error {
				_, err := c.Sales.History(ctx, &rest.SalesHistoryListOptions{ListOptions: lo,
					SalesFilter: rest.SalesFilter{ProductID: "7", StartDate: jan1, EndDate: feb1, TransactionStatus: []hotmart.PurchaseStatus{"REFUNDED", "CHARGEBACK"}},
					BuyerEmail:  "a@b.c", PaymentType: "PIX", OfferCode: "o1", CommissionAs: "PRODUCER", Select: []string{"purchase.transaction", "buyer.email"}})
				return err
			}},
		{"sales summary", "GET", "/payments/api/v1/sales/summary", "affiliate_name=Ana&transaction=HP1", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Sales.Summary(ctx, &rest.SalesSummaryListOptions{SalesFilter: rest.SalesFilter{Transaction: "HP1"}, AffiliateName: "Ana"})
				return err
			}},
		{"sales users", "GET", "/payments/api/v1/sales/users", "buyer_name=Bo&commission_as=AFFILIATE", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Sales.Users(ctx, &rest.SalesUserListOptions{BuyerName: "Bo", CommissionAs: "AFFILIATE"})
				return err
			}},
		{"sales commissions", "GET", "/payments/api/v1/sales/commissions", "commission_as=COPRODUCER&start_date=1704067200000", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Sales.Commissions(ctx, &rest.SalesCommissionListOptions{SalesFilter: rest.SalesFilter{StartDate: jan1}, CommissionAs: "COPRODUCER"})
				return err
			}},
		{"sales price details", "GET", "/payments/api/v1/sales/price/details", "payment_type=BILLET", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Sales.PriceDetails(ctx, &rest.SalesPriceDetailListOptions{PaymentType: "BILLET"})
				return err
			}},
		{"refund", "PUT", "/payments/api/v1/sales/HP123/refund", "", "", ``,
			func(c *rest.Client) error { return c.Sales.Refund(ctx, "HP123") }},
		{"subscriptions", "GET", "/payments/api/v1/subscriptions",
			"accession_date=1704067200000&end_accession_date=1706745600000&plan=Gold&plan=Silver&status=ACTIVE&status=CANCELLED_BY_SELLER&trial=true", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Subscriptions.List(ctx, &rest.SubscriptionListOptions{AccessionDate: jan1, EndAccessionDate: feb1,
					Plan: []string{"Gold", "Silver"}, Status: []hotmart.SubscriptionStatus{"ACTIVE", "CANCELLED_BY_SELLER"}, Trial: &yes})
				return err
			}},
		{"subscriptions summary", "GET", "/payments/api/v1/subscriptions/summary", "subscriber_code=ABC", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Subscriptions.Summary(ctx, &rest.SubscriptionSummaryListOptions{SubscriberCode: "ABC"})
				return err
			}},
		{"subscription transactions", "GET", "/payments/api/v1/subscriptions/transactions",
			"end_transaction_date=1706745600000&purchase_status=APPROVED&purchase_status=NO_FUNDS&transaction_date=1704067200000", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Subscriptions.Transactions(ctx, &rest.SubscriptionTransactionListOptions{TransactionDate: jan1, EndTransactionDate: feb1,
					PurchaseStatus: []hotmart.PurchaseStatus{"APPROVED", "NO_FUNDS"}})
				return err
			}},
		{"subscription purchases (bare array)", "GET", "/payments/api/v1/subscriptions/B2HNQAXJ/purchases", "", "",
			`[{"transaction":"HP1","approved_date":1704067200000,"price":{"value":10,"currency_code":"BRL"}}]`,
			func(c *rest.Client) error {
				p, err := c.Subscriptions.Purchases(ctx, "B2HNQAXJ")
				if err == nil && (len(p) != 1 || p[0].Price.Value != "10" || !p[0].ApprovedDate.Equal(jan1)) {
					return errors.New("bare array not decoded")
				}
				return err
			}},
		{"cancel", "POST", "/payments/api/v1/subscriptions/B2HNQAXJ/cancel", "", `{"send_mail":true}`,
			`{"status":"INACTIVE","subscriber_code":"B2HNQAXJ","creation_date":"2020-07-20 17:57:42","date_last_recurrence":3,"trial_period":"7"}`,
			func(c *rest.Client) error {
				r, err := c.Subscriptions.Cancel(ctx, "B2HNQAXJ", true)
				if err == nil && (r.Status != "INACTIVE" || r.CreationDate.Year() != 2020 || r.TrialPeriod != "7") {
					return errors.New("cancel answer not decoded")
				}
				return err
			}},
		{"cancel many", "POST", "/payments/api/v1/subscriptions/cancel", "", `{"subscriber_code":["A","B"],"send_mail":false}`,
			`{"success_subscriptions":[{"subscriber_code":"A"}],"fail_subscriptions":[{"subscriber_code":"B","error":"SUBSCRIPTION_ALREADY_CANCELED_OR_OVERDUE"}]}`,
			func(c *rest.Client) error {
				r, err := c.Subscriptions.CancelMany(ctx, []string{"A", "B"}, false)
				if err == nil && (len(r.Succeeded) != 1 || r.Failed[0].Error == "") {
					return errors.New("bulk answer not decoded")
				}
				return err
			}},
		{"reactivate", "POST", "/payments/api/v1/subscriptions/A/reactivate", "", `{"charge":true}`, `{"status":"INACTIVE"}`,
			func(c *rest.Client) error { _, err := c.Subscriptions.Reactivate(ctx, "A", true); return err }},
		{"reactivate many", "POST", "/payments/api/v1/subscriptions/reactivate", "", `{"subscriber_code":["A"],"charge":false}`, `{}`,
			func(c *rest.Client) error {
				_, err := c.Subscriptions.ReactivateMany(ctx, []string{"A"}, false)
				return err
			}},
		{"due day (empty 200)", "PATCH", "/payments/api/v1/subscriptions/A", "", `{"due_day":10}`, ``,
			func(c *rest.Client) error { return c.Subscriptions.ChangeDueDay(ctx, "A", 10) }},
		{"club modules", "GET", "/club/api/v1/modules", "is_extra=true&subdomain=my_subdomain", "", `[{"module_id":"M1","name":"Intro"}]`,
			func(c *rest.Client) error {
				m, err := c.Club.Modules(ctx, rest.ClubModulesOptions{Subdomain: "my_subdomain", IsExtra: &yes})
				if err == nil && (len(m) != 1 || m[0].ModuleID != "M1") {
					return errors.New("modules not decoded")
				}
				return err
			}},
		{"club pages v1", "GET", "/club/api/v1/modules/M1/pages", "subdomain=sd", "", `[]`,
			func(c *rest.Client) error { _, err := c.Club.Pages(ctx, "sd", "M1"); return err }},
		{"club pages v2", "GET", "/club/api/v2/modules/2Z7RAMXEJW/pages", "product_id=123456789", "",
			`[{"page_id":"P","dripping_configs":[{"liberation":{"type":"BY_DATE","liberation_date":"2024-01-01T00:00:00Z"}}]}]`,
			func(c *rest.Client) error {
				p, err := c.Club.PagesV2(ctx, "123456789", "2Z7RAMXEJW")
				if err == nil && !p[0].DrippingConfigs[0].Liberation.LiberationDate.Equal(jan1) {
					return errors.New("v2 pages not decoded")
				}
				return err
			}},
		{"club users", "GET", "/club/api/v1/users", "email=ana&max_results=10&page_token=tok&subdomain=sd", "",
			`{"items":[{"user_id":"U","last_access_date":1546728645}],"page_info":{}}`,
			func(c *rest.Client) error {
				p, err := c.Club.Users(ctx, &rest.ClubUserListOptions{ListOptions: lo, Subdomain: "sd", Email: "ana"})
				if err == nil && p.Items[0].LastAccessDate.Year() != 2019 {
					return errors.New("epoch seconds not decoded")
				}
				return err
			}},
		{"club lessons", "GET", "/club/api/v1/users/U1/lessons", "subdomain=sd", "", `{"lessons":[{"page_id":"P"}]}`,
			func(c *rest.Client) error { _, err := c.Club.Lessons(ctx, "sd", "U1"); return err }},
		{"products", "GET", "/products/api/v1/products", "format=EBOOK&status=ACTIVE", "", `{"items":[]}`,
			func(c *rest.Client) error {
				_, err := c.Products.List(ctx, &rest.ProductListOptions{Status: "ACTIVE", Format: "EBOOK"})
				return err
			}},
		{"offers", "GET", "/products/api/v1/products/ab907e46/offers", "max_results=10&page_token=tok", "", `{"items":[]}`,
			func(c *rest.Client) error { _, err := c.Products.Offers(ctx, "ab907e46", &lo); return err }},
		{"plans", "GET", "/products/api/v1/products/3f9e2d5a/plans", "", "", `{"items":[]}`,
			func(c *rest.Client) error { _, err := c.Products.Plans(ctx, "3f9e2d5a", nil); return err }},
		{"coupon create", "POST", "/products/api/v1/product/1234/coupon", "",
			`{"code":"OFF10","discount":0.1,"offer_ids":["o1"],"start_date":1704067200000}`, `{}`,
			func(c *rest.Client) error {
				return c.Coupons.Create(ctx, "1234", rest.CouponCreate{Code: "OFF10", Discount: 0.1, StartDate: jan1, OfferIDs: []string{"o1"}})
			}},
		{"coupon list", "GET", "/products/api/v1/coupon/product/1234", "code=OFF10", "", `{"items":[{"id":9,"coupon_code":"OFF10","discount":0.1}]}`,
			func(c *rest.Client) error {
				_, err := c.Coupons.List(ctx, "1234", &rest.CouponListOptions{Code: "OFF10"})
				return err
			}},
		{"coupon delete", "DELETE", "/products/api/v1/coupon/9", "", "", ``,
			func(c *rest.Client) error { return c.Coupons.Delete(ctx, "9") }},
		{"event info", "GET", "/events/api/v1/777/info", "", "", `{"start_event_date":1704067200000,"lots":[{}]}`,
			func(c *rest.Client) error { _, err := c.Tickets.Info(ctx, "777"); return err }},
		{"event participants", "GET", "/events/api/v1/777/participants", "checkin_status=PENDING&ticket_status=SOLD", "", `{"items":[{"x":1}]}`,
			func(c *rest.Client) error {
				_, err := c.Tickets.Participants(ctx, "777", &rest.ParticipantListOptions{TicketStatus: "SOLD", CheckinStatus: "PENDING"})
				return err
			}},
		{"negotiate", "POST", "/payments/api/v1/installments/negotiate", "",
			`{"subscription_id":42,"recurrences":[3,4],"payment_type":"BILLET","document":"12345678909"}`,
			`{"subscription_id":42,"transaction":"HP9","payment":{"type":"BILLET","billet_url":"https://x"}}`,
			func(c *rest.Client) error {
				n, err := c.Negotiation.Create(ctx, rest.NegotiationRequest{SubscriptionID: 42, Recurrences: []int{3, 4}, PaymentType: "BILLET", Document: "12345678909"})
				if err == nil && n.Transaction != "HP9" {
					return errors.New("negotiation not decoded")
				}
				return err
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, tr, _ := setup(t)
			hit := false
			tr.RegisterResponder(tc.method, apiURL+tc.path, func(r *http.Request) (*http.Response, error) {
				hit = true
				if got := r.URL.Query().Encode(); got != tc.query {
					t.Errorf("query\n got %s\nwant %s", got, tc.query)
				}
				if r.Header.Get("Authorization") != "Bearer "+testToken || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("headers %v", r.Header)
				}
				var body []byte
				if r.Body != nil {
					body, _ = io.ReadAll(r.Body)
				}
				if tc.body == "" && len(body) > 0 {
					t.Errorf("unexpected body %s", body)
				}
				if tc.body != "" {
					var got, want any
					if err := json.Unmarshal(body, &got); err != nil {
						t.Errorf("body %q: %v", body, err)
					}
					json.Unmarshal([]byte(tc.body), &want)
					gb, _ := json.Marshal(got)
					wb, _ := json.Marshal(want)
					if !bytes.Equal(gb, wb) {
						t.Errorf("body\n got %s\nwant %s", gb, wb)
					}
				}
				return httpmock.NewStringResponse(200, tc.resp), nil
			})
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			if !hit {
				t.Fatal("endpoint not called")
			}
		})
	}
}

func TestArgumentErrorsSendNothing(t *testing.T) {
	c, _, _ := setup(t)
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"refund":      func() error { return c.Sales.Refund(ctx, "") },
		"due day 0":   func() error { return c.Subscriptions.ChangeDueDay(ctx, "A", 0) },
		"due day 32":  func() error { return c.Subscriptions.ChangeDueDay(ctx, "A", 32) },
		"cancel many": func() error { _, err := c.Subscriptions.CancelMany(ctx, nil, true); return err },
		"modules":     func() error { _, err := c.Club.Modules(ctx, rest.ClubModulesOptions{}); return err },
		"coupon code": func() error {
			return c.Coupons.Create(ctx, "1", rest.CouponCreate{Code: strings.Repeat("x", 26), Discount: 0.1})
		},
		"coupon discount": func() error { return c.Coupons.Create(ctx, "1", rest.CouponCreate{Code: "X", Discount: 1.5}) },
		"negotiate billet no document": func() error {
			_, err := c.Negotiation.Create(ctx, rest.NegotiationRequest{SubscriptionID: 1, Recurrences: []int{1}, PaymentType: "BILLET"})
			return err
		},
		"negotiate 6 recurrences": func() error {
			_, err := c.Negotiation.Create(ctx, rest.NegotiationRequest{SubscriptionID: 1, Recurrences: []int{1, 2, 3, 4, 5, 6}, PaymentType: "PIX"})
			return err
		},
	} {
		var ae *rest.ArgumentError
		if err := call(); !errors.As(err, &ae) {
			t.Errorf("%s: want *ArgumentError, got %v", name, err)
		}
	}
}

func TestErrorsTypedAndRetries(t *testing.T) {
	c, tr, _ := setup(t)
	ctx := context.Background()
	var calls atomic.Int32
	tr.RegisterResponder("GET", apiURL+"/payments/api/v1/sales/history", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(502, `{"error":"internal_server_error"}`), nil
	})
	_, err := c.Sales.History(ctx, nil)
	if !rest.IsQueryTooLong(err) || calls.Load() != 1 {
		t.Fatalf("502: want ErrQueryTooLong after one call, got %v after %d", err, calls.Load())
	}
	var ae *rest.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 502 {
		t.Fatalf("502 must stay an *APIError: %v", err)
	}

	calls.Store(0)
	tr.RegisterResponder("GET", apiURL+"/payments/api/v1/sales/summary", func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) < 3 {
			return httpmock.NewStringResponse(503, `{"error":"internal_server_error"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"items":[{"total_items":2,"total_value":{"value":10.5,"currency_code":"BRL"}}]}`), nil
	})
	p, err := c.Sales.Summary(ctx, nil)
	if err != nil || calls.Load() != 3 || p.Items[0].TotalValue.Value != "10.5" {
		t.Fatalf("reads are retried on 5xx: %v, %d calls", err, calls.Load())
	}

	calls.Store(0)
	tr.RegisterResponder("PUT", apiURL+"/payments/api/v1/sales/HP1/refund", func(r *http.Request) (*http.Response, error) {
		calls.Add(1)
		return httpmock.NewStringResponse(500, `{"error":"internal_server_error"}`), nil
	})
	if err := c.Sales.Refund(ctx, "HP1"); err == nil || calls.Load() != 1 {
		t.Fatalf("refund must not be retried: %v, %d calls", err, calls.Load())
	}

	tr.RegisterResponder("GET", apiURL+"/products/api/v1/products", httpmock.NewStringResponder(404, `{"error":"not_found","error_description":"Not found"}`))
	if _, err := c.Products.List(ctx, nil); !rest.IsNotFound(err) {
		t.Fatalf("want not found, got %v", err)
	}
}

func TestPaginationAll(t *testing.T) {
	c, tr, _ := setup(t)
	tr.RegisterResponder("GET", apiURL+"/products/api/v1/products", func(r *http.Request) (*http.Response, error) {
		switch r.URL.Query().Get("page_token") {
		case "":
			return httpmock.NewStringResponse(200, `{"items":[{"id":1},{"id":2}],"page_info":{"next_page_token":"p2"}}`), nil
		case "p2":
			return httpmock.NewStringResponse(200, `{"items":[{"id":3}],"page_info":{"next_page_token":"p3"}}`), nil
		default:
			return httpmock.NewStringResponse(200, `{"items":[{"id":4}],"page_info":{}}`), nil
		}
	})
	opts := &rest.ProductListOptions{Status: "ACTIVE"}
	var ids []string
	for p, err := range c.Products.All(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, string(p.ID))
	}
	if strings.Join(ids, ",") != "1,2,3,4" || opts.PageToken != "" {
		t.Fatalf("ids %v, caller options modified: %+v", ids, opts)
	}

	// A server that sends a token already followed must not loop.
	tr.RegisterResponder("GET", apiURL+"/products/api/v1/products",
		httpmock.NewStringResponder(200, `{"items":[{"id":1}],"page_info":{"next_page_token":"same"}}`))
	n := 0
	var last error
	for _, err := range c.Products.All(context.Background(), nil) {
		n++
		last = err
		if n > 10 {
			t.Fatal("looping")
		}
	}
	if !errors.Is(last, rest.ErrRepeatedPageToken) {
		t.Fatalf("want ErrRepeatedPageToken, got %v", last)
	}

	// A cancelled context stops between pages.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range c.Products.All(ctx, nil) {
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("want context.Canceled, got %v", err)
		}
	}
}

// TestNoSecretsInLogsOrErrors runs calls with faults and checks that no
// credential, token or buyer e-mail reaches a log line or an error.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	c, tr, logs := setup(t)
	const email = "maria.silva@example.com"
	tr.RegisterResponder("GET", apiURL+"/payments/api/v1/sales/history", func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(503, `{"error":"internal_server_error","error_description":"failed for `+email+` with token `+testToken+`"}`), nil
	})
	tr.RegisterResponder("GET", apiURL+"/payments/api/v1/subscriptions", httpmock.NewStringResponder(401, `{"error":"invalid_token","error_description":"Bearer `+testToken+`"}`))
	tr.RegisterResponder("GET", apiURL+"/products/api/v1/products", httpmock.NewErrorResponder(errors.New("dial tcp: connection reset")))
	var errs []string
	_, err := c.Sales.History(context.Background(), &rest.SalesHistoryListOptions{BuyerEmail: email})
	errs = append(errs, err.Error())
	_, err = c.Subscriptions.List(context.Background(), &rest.SubscriptionListOptions{SubscriberEmail: email})
	errs = append(errs, err.Error())
	_, err = c.Products.List(context.Background(), nil)
	errs = append(errs, err.Error())
	var ae *rest.APIError
	if errors.As(err, &ae) {
		errs = append(errs, string(ae.Body))
	}
	all := logs.String() + strings.Join(errs, "\n")
	if logs.Len() == 0 {
		t.Fatal("expected debug logs")
	}
	for _, secret := range []string{testSecret, testBasic, testToken, email, url.QueryEscape(email)} {
		if strings.Contains(all, secret) {
			t.Errorf("%q leaked:\n%s", secret, all)
		}
	}
}
