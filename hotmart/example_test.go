package hotmart_test

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func ExampleParseEvent() {
	body := []byte(`{
	  "id": "545e7d21-8fc4-4906-8fba-dcd7889f6481",
	  "creation_date": 1763247745737,
	  "event": "PURCHASE_COMPLETE",
	  "version": "2.0.0",
	  "data": {
	    "product": {"id": 4062912, "name": "Curso"},
	    "affiliates": [{"affiliate_code": "", "name": ""}],
	    "buyer": {"email": "ana@example.com", "name": "Ana", "checkout_phone_code": "31",
	              "checkout_phone": "999990000", "address": {"country_iso": "BR"}},
	    "purchase": {"transaction": "HP16015479281022", "status": "COMPLETED",
	                 "price": {"value": 149.5, "currency_value": "BRL"},
	                 "offer": {"code": "k2x9p1", "coupon_code": null}}
	  }
	}`)
	e, err := hotmart.ParseEvent(body)
	if err != nil {
		fmt.Println("rejected:", err)
		return
	}
	fmt.Println(e.Type, e.ID, e.CreatedAt.Format("2006-01-02"))

	d, err := e.Purchase()
	if err != nil {
		fmt.Println("data:", err)
		return
	}
	minor, _ := d.Purchase.Price.MinorUnits()
	fmt.Println(d.Purchase.Price, minor, d.Purchase.Status.Canonical())
	_, hasAffiliate := d.Affiliate()
	fmt.Println("affiliate:", hasAffiliate, "coupon:", d.Purchase.Offer.CouponCode == "")
	fmt.Println(e.Product().ID, e.Buyer().Phone)
	// Output:
	// PURCHASE_COMPLETE 545e7d21-8fc4-4906-8fba-dcd7889f6481 2025-11-15
	// 149.5 BRL 14950 COMPLETE
	// affiliate: false coupon: true
	// 4062912 +5531999990000
}

func ExampleParseEvent_malformed() {
	_, err := hotmart.ParseEvent([]byte(`{"event":"PURCHASE_APPROVED","data":{}}`))
	fmt.Println(errors.Is(err, hotmart.ErrMalformed))
	var de *hotmart.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Field, de.Reason)
	}
	fmt.Println(err)
	// Output:
	// true
	// id missing
	// hotmart: malformed event: field "id": missing
}

func ExampleParseForm() {
	form := url.Values{
		"hottok":      {"the-account-hottok"},
		"transaction": {"HP12345678901"},
		"status":      {"wayting_payment"},
		"prod":        {"1234567"},
		"price":       {"149,50"},
		"currency":    {"BRL"},
		"email":       {"lia@example.com"},
		"billet_url":  {"https://example.com/boleto/1"},
	}
	e, err := hotmart.ParseForm(form)
	if err != nil {
		fmt.Println("rejected:", err)
		return
	}
	d, _ := e.Purchase()
	fmt.Println(e.Type, e.Version)
	fmt.Println(d.Product.ID, d.Purchase.Price, d.Purchase.Status.Canonical())
	fmt.Println(d.Purchase.Payment.BilletURL)
	// Output:
	// PURCHASE_BILLET_PRINTED 1.0.0
	// 1234567 149.50 BRL WAITING_PAYMENT
	// https://example.com/boleto/1
}

// A value that cannot be read leaves its field absent and is reported as a
// warning, by path and reason; the rest of the event decodes.
func ExampleEvent_warnings() {
	e, err := hotmart.ParseEvent([]byte(`{"id":"e1","event":"PURCHASE_APPROVED","data":{
	  "buyer":{"email":"lia@example.com"},
	  "product":{"name":"Curso","warranty_date":"2024 - 04 - 04T00: 00: 00Z"},
	  "purchase":{"transaction":"HP1","price":{"value":1e400,"currency_value":"BRL"}}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	d, _ := e.Purchase()
	fmt.Println(d.Purchase.Transaction, d.Product.Name, d.Product.WarrantyDate.IsZero())
	for _, w := range e.Warnings {
		fmt.Println(w.Field, w.Reason)
	}
	// Output:
	// HP1 Curso true
	// data.product.warranty_date format
	// data.purchase.price.value range
}
