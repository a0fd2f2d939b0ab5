package hotmart_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// One test per item of the decoder-pitfalls list in the webhook reference
// (§9). Each names the pitfall it pins down.

// purchaseBody wraps a data section in a PURCHASE_APPROVED envelope.
func purchaseBody(data string) []byte {
	return []byte(`{"id":"p-1","event":"PURCHASE_APPROVED","version":"2.0.0","creation_date":1700000000000,"data":` + data + `}`)
}

func parsePurchase(t *testing.T, data string) *hotmart.PurchaseData {
	t.Helper()
	e, err := hotmart.ParseEvent(purchaseBody(data))
	if err != nil {
		t.Fatalf("ParseEvent: %v", err)
	}
	return mustPurchase(t, e)
}

func TestPitfall01_MoneyIntegralOrFractional(t *testing.T) {
	tests := []struct {
		json     string
		text     string
		float    float64
		minor    int64
		currency string
	}{
		{`{"value":1500,"currency_value":"BRL"}`, "1500", 1500, 150000, "BRL"},
		{`{"value":997,"currency_value":"BRL"}`, "997", 997, 99700, "BRL"},
		{`{"value":149.5,"currency_value":"BRL"}`, "149.5", 149.5, 14950, "BRL"},
		{`{"value":25.90,"currency_value":"EUR"}`, "25.90", 25.9, 2590, "EUR"},
		{`{"value":0.29,"currency_value":"USD"}`, "0.29", 0.29, 29, "USD"}, // float64 would give 28.999…
		{`{"value":"149.50","currency_value":"BRL"}`, "149.50", 149.5, 14950, "BRL"},
		{`{"value":1500,"currency_value":"JPY"}`, "1500", 1500, 1500, "JPY"},
		{`{"value":1.2345,"currency_value":"KWD"}`, "1.2345", 1.2345, 1235, "KWD"}, // three decimals, rounded half up
		{`{"value":1.5e3,"currency_value":"BRL"}`, "1.5e3", 1500, 150000, "BRL"},
		{`{"value":1500}`, "1500", 1500, 150000, ""}, // 2022 bodies: no currency
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			d := parsePurchase(t, `{"purchase":{"price":`+tt.json+`}}`)
			m := d.Purchase.Price
			eq(t, "text", m.Value.String(), tt.text)
			eq(t, "float64", m.Float64(), tt.float)
			minor, err := m.MinorUnits()
			eq(t, "err", err, nil)
			eq(t, "minor units", minor, tt.minor)
			eq(t, "currency", m.Currency, tt.currency)
		})
	}
	d := parsePurchase(t, `{"commissions":[{"value":1350.5,"source":"PRODUCER","currency_value":"BRL"}]}`)
	c, ok := d.Commission(hotmart.SourceProducer)
	eq(t, "commission found", ok, true)
	eq(t, "commission money", c.Money().String(), "1350.5 BRL")
}

func TestPitfall02_DatesInFourEncodings(t *testing.T) {
	want := time.Date(2023, 9, 25, 14, 0, 0, 0, time.UTC)
	tests := []struct {
		name, json string
		want       time.Time
	}{
		{"epoch ms", `1695650400000`, want},
		{"epoch s", `1695650400`, want},
		{"numeric string ms", `"1695650400000"`, want},
		{"numeric string s", `"1695650400"`, want},
		{"RFC 3339", `"2023-09-25T14:00:00Z"`, want},
		{"RFC 3339 with millis", `"2023-09-25T14:00:00.000Z"`, want},
		{"RFC 3339 with offset", `"2023-09-25T11:00:00-03:00"`, want},
		{"space separated", `"2023-09-25 14:00:00"`, want},
		{"date only", `"2023-09-25"`, time.Date(2023, 9, 25, 0, 0, 0, 0, time.UTC)},
		{"null", `null`, time.Time{}},
		{"zero", `0`, time.Time{}},
		{"empty string", `""`, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := parsePurchase(t, `{"purchase":{"approved_date":`+tt.json+`}}`)
			eq(t, "approved_date", d.Purchase.ApprovedDate.Time, tt.want)
		})
	}
	t.Run("absent stays zero", func(t *testing.T) {
		d := parsePurchase(t, `{"purchase":{}}`)
		eq(t, "IsZero", d.Purchase.ApprovedDate.IsZero(), true)
	})
	t.Run("order_date as numeric string in a fixture", func(t *testing.T) {
		d := mustPurchase(t, parseFixture(t, "events/PURCHASE_BILLET_PRINTED.pix.json"))
		eq(t, "order_date", d.Purchase.OrderDate.Time, ms(1747312490000))
	})
	t.Run("epoch seconds in a fixture", func(t *testing.T) {
		d := mustPurchase(t, parseFixture(t, "events/PURCHASE_DELAYED.cashpayment-pt.json"))
		eq(t, "pix_expiration_date", d.Purchase.Payment.PixExpirationDate.Time, time.Unix(1695736400, 0).UTC())
	})
	t.Run("ParseTime", func(t *testing.T) {
		got, err := hotmart.ParseTime("2023-09-25 14:00:00")
		eq(t, "err", err, nil)
		eq(t, "time", got, want)
		if _, err := hotmart.ParseTime("next tuesday"); err == nil {
			t.Error("ParseTime accepted text")
		}
	})
}

func TestPitfall03_IDsChangeType(t *testing.T) {
	number := parseFixture(t, "webhooks/CLUB_MODULE_COMPLETED.official-docs.json")
	str := parseFixture(t, "events/CLUB_MODULE_COMPLETED.string-product-id.json")
	test := parseFixture(t, "webhooks/CLUB_MODULE_COMPLETED.hotmart-test-2025-11.michael-lourenco.json")
	eq(t, "integer product.id", number.Product().ID, "3526906")
	eq(t, "string product.id", str.Product().ID, "4062912")
	eq(t, "string product.id keeps leading zeros", test.Product().ID, "00000")
	d, _ := str.ClubModuleCompleted()
	eq(t, "module.id", d.Module.ID, "j14okvB4pL")

	p := parsePurchase(t, `{"product":{"id":"4062912"},"subscription":{"subscriber":{"code":12133421},"plan":{"id":"77"}}}`)
	eq(t, "product id from string", p.Product.ID, "4062912")
	eq(t, "subscriber code from number", p.Subscription.Subscriber.Code, "12133421")
	eq(t, "plan id from string", p.Subscription.Plan.ID, "77")

	var a, b hotmart.ID
	_ = json.Unmarshal([]byte(`4062912`), &a)
	_ = json.Unmarshal([]byte(`"4062912"`), &b)
	eq(t, "number and string ids are equal", a, b)
	out, _ := json.Marshal(a)
	eq(t, "ID marshals as string", string(out), `"4062912"`)
}

func TestPitfall04_CamelCaseLeaks(t *testing.T) {
	e := parseFixture(t, "webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.hotmart-test-2025-11.michael-lourenco.json")
	eq(t, "creationDate", e.CreatedAt, ms(1763247745640))
	d, _ := e.ChargeDateUpdate()
	eq(t, "oldChargeDay", d.Subscription.OldChargeDay, 7)
	eq(t, "newChargeDay", d.Subscription.NewChargeDay, 1)
	eq(t, "dateNextCharge", d.Subscription.DateNextCharge.Time, time.Date(2022, 10, 25, 12, 0, 0, 0, time.UTC))

	club := parseFixture(t, "webhooks/CLUB_FIRST_ACCESS.hotmart-test-2025-11.michael-lourenco.json")
	eq(t, "club creationDate", club.CreatedAt, ms(1763247745996))

	p := mustPurchase(t, parseFixture(t, "webhooks/PURCHASE_COMPLETE.hotmart-test-2025-11.michael-lourenco.json"))
	eq(t, "sckPaymentLink", p.Purchase.SckPaymentLink, "sckPaymentLinkTest")

	s, _ := parseFixture(t, "events/SUBSCRIPTION_CANCELLATION.fractional.json").SubscriptionCancellation()
	eq(t, "dddCell", s.Subscriber.Phone.DDDCell, "21")
	eq(t, "cell", s.Subscriber.Phone.Cell, "988887777")
}

func TestPitfall05_EmptyObjectsAndStrings(t *testing.T) {
	d := parsePurchase(t, `{"purchase":{"checkout_country":{}},"buyer":{"email":"a@example.com","address":{"country":"Brasil","country_iso":"BR"}}}`)
	eq(t, "checkout_country {}", d.Purchase.CheckoutCountry, hotmart.Country{})
	eq(t, "partial address", d.Buyer.Address, hotmart.Address{Country: "Brasil", CountryISO: "BR"})

	e := parseFixture(t, "webhooks/SUBSCRIPTION_CANCELLATION.hotmart-test-2025-11.michael-lourenco.json")
	eq(t, "blank phone block is no phone", e.Buyer().Phone, hotmart.Phone{})

	empty := parsePurchase(t, `{}`)
	eq(t, "empty data: zero transaction", empty.Purchase.Transaction, "")
	eq(t, "empty data: no subscription", empty.Subscription == nil, true)
	eq(t, "empty string money", parsePurchase(t, `{"purchase":{"price":{"value":""}}}`).Purchase.Price.IsZero(), true)
}

func TestPitfall06_BlankAffiliates(t *testing.T) {
	tests := []struct {
		json string
		ok   bool
		code string
	}{
		{`[{"affiliate_code":"","name":""}]`, false, ""},
		{`[{"name":""}]`, false, ""},
		{`[]`, false, ""},
		{`null`, false, ""},
		{`[{"affiliate_code":"","name":""},{"affiliate_code":"Q58388177J","name":"A"}]`, true, "Q58388177J"},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			a, ok := parsePurchase(t, `{"affiliates":`+tt.json+`}`).Affiliate()
			eq(t, "ok", ok, tt.ok)
			eq(t, "code", a.Code, tt.code)
		})
	}
}

func TestPitfall07_NullAndMissing(t *testing.T) {
	d := mustPurchase(t, parseFixture(t, "events/PURCHASE_BILLET_PRINTED.pix.json"))
	eq(t, "coupon null", d.Purchase.Offer.CouponCode, "")
	eq(t, "approved_date absent", d.Purchase.ApprovedDate.IsZero(), true)
	eq(t, "subscription absent", d.Subscription == nil, true)
	eq(t, "shipping absent", d.Shipping == nil, true)
	eq(t, "is_physical_product absent", d.Product.IsPhysicalProduct, false)

	all := parsePurchase(t, `{"product":null,"buyer":null,"purchase":{"offer":{"coupon_code":null},"approved_date":null,"price":null,"payment":null,"status":null},"subscription":null,"shipping":null,"commissions":null}`)
	eq(t, "all-null transaction", all.Purchase.Transaction, "")
	eq(t, "all-null price", all.Purchase.Price.IsZero(), true)
	eq(t, "all-null subscription", all.Subscription == nil, true)
}

func TestPitfall08_UnknownFieldsKeptInRaw(t *testing.T) {
	e := parseFixture(t, "events/PURCHASE_COMPLETE.new-fields.json")
	d := mustPurchase(t, e)
	var raw struct {
		Purchase struct {
			New string `json:"a_field_added_next_year"`
		} `json:"purchase"`
	}
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	eq(t, "unmodelled field in Raw", raw.Purchase.New, "kept in Raw")
	eq(t, "offer metadata kept raw", string(d.Purchase.Offer.Metadata), `{"campaign": "black-friday", "tags": ["a", "b"]}`)
	eq(t, "variants", d.Purchase.Variants.SKU, "CAM-P-AZ")
	eq(t, "variant attribute", d.Purchase.Variants.Attributes[0].Value, "P")
}

func TestPitfall09_UnknownEnumValues(t *testing.T) {
	d := parsePurchase(t, `{"purchase":{"status":"SOMETHING_NEW","payment":{"type":"CRYPTO"}},"commissions":[{"source":"REFERRER","value":1}],"buyer":{"document_type":"PASSPORT"},"subscription":{"status":"PAUSED"}}`)
	eq(t, "status kept", d.Purchase.Status, "SOMETHING_NEW")
	eq(t, "status canonical", d.Purchase.Status.Canonical(), "SOMETHING_NEW")
	eq(t, "payment type", d.Purchase.Payment.Type, "CRYPTO")
	eq(t, "source", d.Commissions[0].Source, "REFERRER")
	eq(t, "document type", d.Buyer.DocumentType, "PASSPORT")
	eq(t, "subscription status", d.Subscription.Status, "PAUSED")
	e, err := hotmart.ParseEvent([]byte(`{"id":"u","event":"SUBSCRIPTION_PAUSED","data":{}}`))
	eq(t, "unknown event err", err, nil)
	eq(t, "unknown event family", e.Family(), hotmart.FamilyUnknown)
}

func TestPitfall10_FieldNameTraps(t *testing.T) {
	// currency is currency_value, not currency.
	d := parsePurchase(t, `{"purchase":{"price":{"value":10,"currency":"USD","currency_value":"BRL"},"recurrence_number":4,"recurrency_number":9}}`)
	eq(t, "currency_value", d.Purchase.Price.Currency, "BRL")
	eq(t, "recurrence_number (webhook spelling)", d.Purchase.RecurrenceNumber, 4)

	// offer.key in SWITCH_PLAN vs offer.code elsewhere.
	sp, _ := parseFixture(t, "webhooks/SWITCH_PLAN.official-docs.json").SwitchPlan()
	cur, _ := sp.CurrentPlan()
	if cur.Offer.Key == "" || cur.Offer.ID() != cur.Offer.Key {
		t.Errorf("switch plan offer key not read: %+v", cur.Offer)
	}

	// zip_code (fulfillment) vs zipcode (purchase buyer).
	f, _ := parseFixture(t, "events/ORDER_FULFILLMENT.zipcode-variants.json").OrderFulfillment()
	eq(t, "shopper zip_code", f.Purchase.Shopper.Address.Zipcode, "30130000")
	eq(t, "destination zip_code", f.Delivery.Destination.Zipcode, "30140000")
	eq(t, "billing zipcode", f.Billing.Address.Zipcode, "30150000")
	eq(t, "fulfillment purchase id from string", f.Purchase.ID, "12345678")
	eq(t, "dimension weight", f.LineItems[0].Dimension.Weight, "0.35")
	eq(t, "purchase buyer zipcode", parsePurchase(t, `{"buyer":{"address":{"zipcode":"30150101"}}}`).Buyer.Address.Zipcode, "30150101")

	// affiliate (bool, cart) vs affiliates (array, purchases).
	c, _ := parseFixture(t, "webhooks/PURCHASE_OUT_OF_SHOPPING_CART.official-docs.json").CartAbandonment()
	_ = c.Affiliate // a bool: decoding did not fail
}

func TestPitfall11_BilletPrintedForPix(t *testing.T) {
	e := parseFixture(t, "events/PURCHASE_BILLET_PRINTED.pix.json")
	d := mustPurchase(t, e)
	eq(t, "event", e.Type, hotmart.EventPurchaseBilletPrinted)
	eq(t, "payment type", d.Purchase.Payment.Type, hotmart.PaymentPix)
	eq(t, "status canonical", d.Purchase.Status.Canonical(), hotmart.StatusPrintedBillet)
	eq(t, "pix code", d.Purchase.Payment.PixCode, "00020126580014br.gov.bcb.pix0136example")
	eq(t, "pix qrcode", d.Purchase.Payment.PixQRCode, "https://example.com/qr.png")
	eq(t, "pix expiration", d.Purchase.Payment.PixExpirationDate.Time, ms(1747398896000))
	eq(t, "no billet url", d.Purchase.Payment.BilletURL, "")
}

func TestPitfall12_TestSendArtefacts(t *testing.T) {
	e := parseFixture(t, "webhooks/PURCHASE_APPROVED.hotmart-test-2025-09.oliverVlz.json")
	d := mustPurchase(t, e)
	eq(t, "product id 0", d.Product.ID, "0")
	eq(t, "event_tickets holding a timestamp", d.Purchase.EventTickets.Amount > 1e12, true)
	eq(t, "buyer_ip", d.Purchase.BuyerIP, "00.00.00.00")
	eq(t, "9-digit checkout_phone_code kept as sent", d.Buyer.CheckoutPhoneCode, "999999999")
	// …but it is no DDD, so the buyer view does not glue it onto the number.
	eq(t, "buyer phone", e.Buyer().Phone, hotmart.Phone{Number: "99999999900"})
}

func TestPitfall13_HottokLocation(t *testing.T) {
	tests := []struct {
		file, hottok string
	}{
		{"webhooks/PURCHASE_APPROVED.hotmart-test-2022-12.igorxavier.json", "REDACTED_HOTTOK"}, // body, after data
		{"webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.hotmart-test-2025-11.michael-lourenco.json", "REDACTED_HOTTOK"},
		{"webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", ""}, // header only
	}
	for _, tt := range tests {
		e := parseFixture(t, tt.file)
		eq(t, tt.file, e.Hottok, tt.hottok)
		if strings.Contains(string(e.Raw), "REDACTED_HOTTOK") {
			t.Errorf("%s: hottok in Raw", tt.file)
		}
		if strings.Contains(e.String(), "REDACTED_HOTTOK") {
			t.Errorf("%s: hottok in String()", tt.file)
		}
	}
	// A hottok nested inside data is not the envelope's.
	e, err := hotmart.ParseEvent([]byte(`{"id":"a","event":"X","data":{"hottok":"inner"}}`))
	eq(t, "err", err, nil)
	eq(t, "nested hottok ignored", e.Hottok, "")
}

// TestPitfall14_AnonymizedFixtureTypes: strings where objects belong are
// warnings; everything readable still decodes.
func TestPitfall14_AnonymizedFixtureTypes(t *testing.T) {
	e, err := hotmart.ParseEvent(readFixture(t, "events/PURCHASE_APPROVED.anonymized.json"))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ID", e.ID, "anon-0001")
	eq(t, "Type", e.Type, hotmart.EventPurchaseApproved)
	var fields []string
	for _, w := range e.Warnings {
		fields = append(fields, w.Field)
		eq(t, w.Field+" reason", w.Reason, hotmart.ReasonType)
		if strings.Contains(w.Error(), "[ANON]") {
			t.Errorf("warning leaks the value: %v", w)
		}
	}
	eq(t, "warned fields", strings.Join(fields, ","), "data.buyer.address,data.subscription")
	d := mustPurchase(t, e)
	eq(t, "transaction kept", d.Purchase.Transaction, "HP5555")
	eq(t, "price kept", d.Purchase.Price.Value, "97")
	eq(t, "address absent", d.Buyer.Address, hotmart.Address{})
	if d.Subscription != nil {
		t.Error("unreadable subscription is not absent")
	}
}
