package hotmarttest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

func ExampleNewEvent() {
	body := hotmarttest.NewEvent(hotmart.EventPurchaseComplete,
		hotmarttest.WithSeed(42), // deterministic id and creation time
		hotmarttest.WithProductID(1234567),
		hotmarttest.WithBuyerEmail("ana@example.com"),
		hotmarttest.WithPrice("297.00", "BRL"),
	)
	ev, err := hotmart.ParseEvent(body)
	if err != nil {
		panic(err)
	}
	d, _ := ev.Purchase()
	fmt.Println(ev.Type, ev.CreatedAt.Format("2006-01-02"))
	fmt.Println(d.Product.ID, d.Buyer.Email, d.Purchase.Price, d.Purchase.Status, d.Purchase.Status.Canonical())
	// Output:
	// PURCHASE_COMPLETE 2025-11-15
	// 1234567 ana@example.com 297.00 BRL COMPLETED COMPLETE
}

func ExampleNewRequest() {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Method, r.Header.Get("Content-Type"), r.Header.Get("X-HOTMART-HOTTOK"))
	})
	body := hotmarttest.NewEvent(hotmart.EventClubFirstAccess)
	handler.ServeHTTP(httptest.NewRecorder(), hotmarttest.NewRequest(body, "my-hottok"))
	// Output:
	// POST application/json my-hottok
}
