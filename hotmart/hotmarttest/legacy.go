package hotmarttest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// legacyStatus is the 1.0 status of each purchase event (lower case, as
// version 1.0 sends it).
var legacyStatus = map[hotmart.EventType]string{
	hotmart.EventPurchaseApproved:      "approved",
	hotmart.EventPurchaseComplete:      "completed",
	hotmart.EventPurchaseCanceled:      "canceled",
	hotmart.EventPurchaseBilletPrinted: "billet_printed",
	hotmart.EventPurchaseProtest:       "dispute",
	hotmart.EventPurchaseRefunded:      "refunded",
	hotmart.EventPurchaseChargeback:    "chargeback",
	hotmart.EventPurchaseExpired:       "expired",
	hotmart.EventPurchaseDelayed:       "delayed",
}

// NewLegacyForm returns the fields of a legacy 1.0 postback ("Postback
// 1.0") for a purchase event, built from the same options as NewEvent.
// Version 1.0 has only purchase statuses; for another type the status is
// "approved" unless WithStatus gives one. WithBodyHottok sets the "hottok"
// field, which is where 1.0 carries the token.
func NewLegacyForm(typ hotmart.EventType, opts ...EventOption) url.Values {
	c := defaults()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	status := strings.ToLower(c.status)
	if status == "" {
		status = legacyStatus[typ]
	}
	if status == "" {
		status = "approved"
	}
	payment := c.paymentType
	if payment == "" {
		payment = "credit_card"
		if typ == hotmart.EventPurchaseBilletPrinted || typ == hotmart.EventPurchaseExpired {
			payment = "billet"
		}
	}
	f := url.Values{}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("hottok", c.hottok)
	set("prod", strconv.FormatInt(c.productID, 10))
	set("prod_name", c.productName)
	set("off", c.offer)
	set("price", c.price)
	set("full_price", c.price)
	set("currency", c.currency)
	set("email", c.buyerEmail)
	set("name", c.buyerName)
	set("first_name", firstName(c.buyerName))
	set("last_name", lastName(c.buyerName))
	set("doc", c.buyerDocument)
	set("doc_type", c.buyerDocType)
	set("phone_checkout_local_code", c.buyerPhoneCode)
	set("phone_checkout_number", c.buyerPhone)
	set("address_country_ISO", c.buyerCountry)
	set("address_country", countryName(c.buyerCountry))
	set("transaction", c.transaction)
	set("status", status)
	set("payment_type", payment)
	set("installments_number", strconv.Itoa(c.installments))
	set("aff", c.affiliateCode)
	set("aff_name", c.affiliateName)
	if !c.noSubscription {
		set("subscriber_code", c.subscriberCode)
		set("name_subscription_plan", c.planName)
		set("subscription_status", strings.ToLower(c.subscriptionStatus))
		set("recurrency", strconv.Itoa(c.recurrence))
	}
	return f
}

// NewFormRequest returns a server-side request posting form as a legacy
// 1.0 postback: POST /, application/x-www-form-urlencoded, no hottok header
// (1.0 carries the token in the form).
func NewFormRequest(form url.Values) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// PostForm sends form to url as a legacy 1.0 postback, with
// http.DefaultClient. The caller closes the response body.
func PostForm(ctx context.Context, url string, form url.Values) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader([]byte(form.Encode())))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return http.DefaultClient.Do(req)
}
