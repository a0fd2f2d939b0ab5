package hotmarttest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

func TestNewLegacyFormRoundTrip(t *testing.T) {
	purchases := []hotmart.EventType{}
	for _, typ := range hotmart.EventTypes() {
		if typ.Family() == hotmart.FamilyPurchase {
			purchases = append(purchases, typ)
		}
	}
	for _, typ := range purchases {
		t.Run(string(typ), func(t *testing.T) {
			form := hotmarttest.NewLegacyForm(typ, hotmarttest.WithBuyerEmail("ana@example.com"),
				hotmarttest.WithProductID(123), hotmarttest.WithPrice("97.5", "BRL"),
				hotmarttest.WithTransaction("HP1"), hotmarttest.WithBodyHottok("tok"), hotmarttest.WithAffiliate("AFF", "A"))
			ev, err := hotmart.ParseForm(form)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Type != typ || ev.Hottok != "tok" || ev.Version != "1.0.0" {
				t.Errorf("event = %v hottok %q", ev, ev.Hottok)
			}
			d, err := ev.Purchase()
			if err != nil {
				t.Fatal(err)
			}
			if d.Buyer.Email != "ana@example.com" || d.Product.ID != "123" || d.Purchase.Price.Value != "97.5" ||
				d.Purchase.Transaction != "HP1" || d.Subscription == nil || d.Subscription.Subscriber.Code != "I9OT62C3" {
				t.Errorf("data = %+v", d)
			}
			if a, ok := d.Affiliate(); !ok || a.Code != "AFF" {
				t.Errorf("affiliate = %+v", a)
			}
		})
	}
}

func TestFormRequestAndPost(t *testing.T) {
	form := hotmarttest.NewLegacyForm(hotmart.EventPurchaseApproved, hotmarttest.WithBodyHottok("tok"))
	r := hotmarttest.NewFormRequest(form)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("hottok") != "tok" || r.Header.Get("X-Hotmart-Hottok") != "" {
		t.Errorf("form request: %v %v", err, r.PostForm)
	}
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = r.Header.Get("Content-Type") + " " + string(b)
	}))
	defer srv.Close()
	resp, err := hotmarttest.PostForm(context.Background(), srv.URL, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got != "application/x-www-form-urlencoded "+form.Encode() {
		t.Errorf("posted %q", got)
	}
}
