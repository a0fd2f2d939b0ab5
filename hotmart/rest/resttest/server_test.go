package resttest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

func client(t *testing.T, srv *resttest.Server, secret string) *rest.Client {
	t.Helper()
	cr := srv.Credentials()
	cr.ClientSecret = secret
	c, err := rest.NewClient(cr, append(srv.ClientOptions(), rest.WithRetry(0, time.Millisecond, time.Millisecond))...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestServerBehaviour(t *testing.T) {
	srv := resttest.NewServer(t, resttest.WithSales(300), resttest.WithMaxQuerySpan(60*24*time.Hour))
	ctx := context.Background()
	from, _ := srv.Period()

	if _, err := client(t, srv, "wrong-secret").Products.List(ctx, nil); !rest.IsUnauthorized(err) {
		t.Errorf("bad credentials: want 401, got %v", err)
	}
	c := client(t, srv, srv.Credentials().ClientSecret)

	window := rest.SalesFilter{StartDate: from, EndDate: from.Add(50 * 24 * time.Hour)}
	def, err := c.Sales.History(ctx, &rest.SalesHistoryListOptions{ListOptions: rest.ListOptions{MaxResults: 500}, SalesFilter: window})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range def.Items {
		if st := s.Purchase.Status; st != hotmart.StatusApproved && st != hotmart.StatusComplete {
			t.Fatalf("default filter returned %s", st)
		}
	}
	window.TransactionStatus = rest.AllSaleStatuses
	all, err := c.Sales.History(ctx, &rest.SalesHistoryListOptions{ListOptions: rest.ListOptions{MaxResults: 500}, SalesFilter: window})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Items) <= len(def.Items) {
		t.Errorf("all statuses %d <= default %d", len(all.Items), len(def.Items))
	}

	_, err = c.Sales.History(ctx, &rest.SalesHistoryListOptions{ListOptions: rest.ListOptions{PageToken: "garbage"}, SalesFilter: rest.SalesFilter{StartDate: from, EndDate: from.Add(time.Hour)}})
	var ae *rest.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadRequest || ae.Code != "invalid_token" {
		t.Errorf("bad page token: want 400 invalid_token, got %v", err)
	}
	if _, err := c.Sales.History(ctx, &rest.SalesHistoryListOptions{SalesFilter: rest.SalesFilter{StartDate: from, EndDate: from.Add(90 * 24 * time.Hour)}}); !rest.IsQueryTooLong(err) {
		t.Errorf("wide window: want 502, got %v", err)
	}
	srv.FailNext(1, resttest.Fault{Status: 503})
	if _, err := c.Products.List(ctx, nil); !errors.As(err, &ae) || ae.StatusCode != 503 {
		t.Errorf("injected fault: want 503, got %v", err)
	}
	sub := srv.Subscriptions()[0]
	if _, err := c.Subscriptions.Cancel(ctx, sub.SubscriberCode, false); err != nil && !errors.As(err, &ae) {
		t.Fatal(err)
	}
	if _, err := c.Subscriptions.Cancel(ctx, sub.SubscriberCode, false); !errors.As(err, &ae) || ae.StatusCode != 400 {
		t.Errorf("second cancel: want 400, got %v", err)
	}
	if e := srv.Effects(); len(e) != 1 || e[0].Kind != resttest.EffectSubscriptionCancelled || e[0].Target != sub.SubscriberCode {
		t.Errorf("effects after two cancels: %+v, want one cancellation", e)
	}
	p, err := c.Subscriptions.Purchases(ctx, sub.SubscriberCode)
	if err != nil || len(p) == 0 || p[0].Transaction != sub.Transaction {
		t.Errorf("purchases %v %v", p, err)
	}
}

func TestFaultAfterApply(t *testing.T) {
	srv := resttest.NewServer(t, resttest.WithSales(50))
	c := srv.Client(rest.WithRetry(0, time.Millisecond, time.Millisecond))
	var tx string
	for _, s := range srv.Sales() {
		if s.Purchase.Status == hotmart.StatusApproved {
			tx = s.Purchase.Transaction
			break
		}
	}
	srv.FailNext(1, resttest.Fault{Status: http.StatusBadGateway, AfterApply: true, Method: "PUT", Path: "*/refund"})
	err := c.Sales.Refund(context.Background(), tx)
	var ae *rest.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway {
		t.Fatalf("want the injected 502, got %v", err)
	}
	if e := srv.Effects(); len(e) != 1 || e[0].Kind != resttest.EffectSaleRefunded || e[0].Target != tx {
		t.Fatalf("effects %+v: the refund must have been applied before the reply was lost", e)
	}
	calls := srv.Calls()
	if last := calls[len(calls)-1]; last.Status != http.StatusBadGateway || last.Fault == "" {
		t.Fatalf("last call %+v", last)
	}
}
