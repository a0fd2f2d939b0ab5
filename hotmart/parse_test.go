package hotmart_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// TestParseEvent_Fixtures decodes every sample body and checks the envelope
// and, per family, values from the data section.
func TestParseEvent_Fixtures(t *testing.T) {
	const testSend = "webhooks/%s.hotmart-test-2025-11.michael-lourenco.json"
	tests := []struct {
		file      string
		typ       hotmart.EventType
		id        string
		createdAt time.Time
		hottok    bool
		check     func(t *testing.T, e *hotmart.Event)
	}{
		{
			file: "webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", typ: hotmart.EventPurchaseApproved,
			id: "545e7d21-8fc4-4906-8fba-dcd7889f6481", createdAt: ms(1763247745737),
			check: func(t *testing.T, e *hotmart.Event) {
				d := mustPurchase(t, e)
				eq(t, "product.id", d.Product.ID, "0")
				eq(t, "product.ucode", d.Product.UCode, "fb056612-bcc6-4217-9e6d-2a5d1110ac2f")
				eq(t, "warranty_date", d.Product.WarrantyDate.Time, time.Date(2017, 12, 27, 0, 0, 0, 0, time.UTC))
				eq(t, "bundle products", len(d.Product.Content.Products), 2)
				eq(t, "bundle[1].id", d.Product.Content.Products[1].ID, "4999597")
				eq(t, "price", d.Purchase.Price.Value, "1500")
				eq(t, "currency", d.Purchase.Price.Currency, "BRL")
				minor, err := d.Purchase.Price.MinorUnits()
				eq(t, "minor units", minor, 150000)
				eq(t, "minor units err", err, nil)
				eq(t, "marketplace commission", d.Commissions[0].Value, "149.5")
				eq(t, "status", d.Purchase.Status, hotmart.StatusApproved)
				eq(t, "transaction", d.Purchase.Transaction, "HP16015479281022")
				eq(t, "approved_date", d.Purchase.ApprovedDate.Time, ms(1511783346000))
				eq(t, "order_date", d.Purchase.OrderDate.Time, ms(1511783344000))
				eq(t, "installments", d.Purchase.Payment.InstallmentsNumber, 12)
				eq(t, "payment type", d.Purchase.Payment.Type, hotmart.PaymentCreditCard)
				eq(t, "coupon", d.Purchase.Offer.CouponCode, "SHHUHA")
				eq(t, "order bump parent", d.Purchase.OrderBump.ParentPurchaseTransaction, "HP02316330308193")
				eq(t, "sckPaymentLink", d.Purchase.SckPaymentLink, "sckPaymentLinkTest")
				eq(t, "event_tickets", d.Purchase.EventTickets.Amount, 1763247745730)
				eq(t, "subscriber code", d.Subscription.Subscriber.Code, "I9OT62C3")
				eq(t, "plan id", d.Subscription.Plan.ID, "123")
				eq(t, "shipping", d.Shipping == nil, true)
				a, ok := d.Affiliate()
				eq(t, "affiliate ok", ok, true)
				eq(t, "affiliate code", a.Code, "Q58388177J")
				eq(t, "legal nature", d.Producer.LegalNature, "Pessoa Física")
			},
		},
		{
			file: "webhooks/PURCHASE_APPROVED.hotmart-test-2022-12.igorxavier.json", typ: hotmart.EventPurchaseApproved,
			id: "d49b2661-a446-4b2a-aa9d-c3b2f1d8ee11", createdAt: ms(1669954903916), hottok: true,
			check: func(t *testing.T, e *hotmart.Event) {
				d := mustPurchase(t, e)
				eq(t, "price", d.Purchase.Price.String(), "1500")
				eq(t, "price currency (absent in 2022)", d.Purchase.Price.Currency, "")
				eq(t, "checkout_country {}", d.Purchase.CheckoutCountry, hotmart.Country{})
				_, ok := d.Affiliate()
				eq(t, "affiliate ok", ok, false)
				eq(t, "buyer_ip", d.Purchase.BuyerIP, "00.00.00.00")
				eq(t, "transaction", d.Purchase.Transaction, "HP1121336654889")
			},
		},
		{
			file: "webhooks/PURCHASE_APPROVED.official-docs.json", typ: hotmart.EventPurchaseApproved,
			id: "1234567890123456789",
			// The docs' placeholder creation_date 12345678 is too small to be
			// milliseconds after 1973, so it reads as seconds.
			createdAt: time.Unix(12345678, 0).UTC(),
			check: func(t *testing.T, e *hotmart.Event) {
				d := mustPurchase(t, e)
				eq(t, "status", d.Purchase.Status, hotmart.StatusStarted)
				eq(t, "payment", d.Purchase.Payment.Type, hotmart.PaymentPicpay)
				eq(t, "price", d.Purchase.Price.Value, "150.6")
				eq(t, "offer name", d.Purchase.Offer.Name, "Offer name")
				eq(t, "phone", e.Buyer().Phone.String(), "+5531999999999")
			},
		},
		{
			file: "webhooks/PURCHASE_COMPLETE.hotmart-test-2025-09.oliverVlz.json", typ: hotmart.EventPurchaseComplete,
			id: "d1e959b9-0ef3-4cfd-9928-71c3dcb95c5c", createdAt: ms(1759194927250),
			check: func(t *testing.T, e *hotmart.Event) {
				d := mustPurchase(t, e)
				eq(t, "status", d.Purchase.Status, hotmart.StatusCompleted)
				eq(t, "canonical", d.Purchase.Status.Canonical(), hotmart.StatusComplete)
			},
		},
		{file: strings.Replace(testSend, "%s", "PURCHASE_CANCELED", 1), typ: hotmart.EventPurchaseCanceled,
			id: "ea409c21-53f7-4478-a870-89a03d6df8d5", createdAt: ms(1763247746014), check: wantStatus(hotmart.StatusCancelled)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_BILLET_PRINTED", 1), typ: hotmart.EventPurchaseBilletPrinted,
			id: "3c290891-8c78-410e-b6cb-5edd7ca9a88e", createdAt: ms(1763247745671), check: wantStatus(hotmart.StatusPrintedBillet)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_PROTEST", 1), typ: hotmart.EventPurchaseProtest,
			id: "6e401e42-f0d8-4416-a082-e95b3e35c2e3", createdAt: ms(1763247746136), check: wantStatus(hotmart.StatusDispute)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_REFUNDED", 1), typ: hotmart.EventPurchaseRefunded,
			id: "0efd923f-c6ef-405e-bbd5-df409a5b36e5", createdAt: ms(1763247746059), check: wantStatus(hotmart.StatusRefunded)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_CHARGEBACK", 1), typ: hotmart.EventPurchaseChargeback,
			id: "8b2839d3-8d3c-4dee-ad79-a487d7814d6d", createdAt: ms(1763247745854), check: wantStatus(hotmart.StatusChargeback)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_EXPIRED", 1), typ: hotmart.EventPurchaseExpired,
			id: "1d85822f-fa41-4c58-8c09-0ac945198972", createdAt: ms(1763247746098), check: wantStatus(hotmart.StatusExpired)},
		{file: strings.Replace(testSend, "%s", "PURCHASE_DELAYED", 1), typ: hotmart.EventPurchaseDelayed,
			id: "21f767f2-fa94-4bf7-b68a-002979678a8a", createdAt: ms(1763247745919), check: wantStatus(hotmart.StatusDelayed)},
		{
			file: strings.Replace(testSend, "%s", "PURCHASE_OUT_OF_SHOPPING_CART", 1), typ: hotmart.EventPurchaseOutOfShoppingCart,
			id: "fd17c748-fa1a-405a-907f-2eb014b2f99a", createdAt: ms(1763247745960),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.CartAbandonment()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "affiliate", d.Affiliate, false)
				eq(t, "product id", d.Product.ID, "123456")
				eq(t, "product name", d.Product.Name, "Produto test postback2 com ç e á")
				eq(t, "offer", d.Offer.Code, "n82b9jqz")
				eq(t, "country", d.CheckoutCountry.ISO, "BR")
				eq(t, "buyer_ip", d.BuyerIP, "127.0.0.1")
				eq(t, "phone", d.Buyer.Phone, "999999999")
			},
		},
		{
			file: strings.Replace(testSend, "%s", "SUBSCRIPTION_CANCELLATION", 1), typ: hotmart.EventSubscriptionCancellation,
			id: "e276dd75-8c7d-43d2-8398-f42e62060b99", createdAt: ms(1763247745837),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.SubscriptionCancellation()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "actual_recurrence_value", d.ActualRecurrenceValue, "64.9")
				eq(t, "cancellation_date", d.CancellationDate.Time, ms(1609181285500))
				eq(t, "date_next_charge", d.DateNextCharge.Time, ms(1617105600000))
				eq(t, "subscriber code", d.Subscriber.Code, "0000aaaa")
				eq(t, "subscription id", d.Subscription.ID, "4148584")
				eq(t, "plan", d.Subscription.Plan.Name, "Subscription Plan Name")
				eq(t, "phone (all blank)", e.Buyer().Phone.IsZero(), true)
			},
		},
		{
			file: strings.Replace(testSend, "%s", "SWITCH_PLAN", 1), typ: hotmart.EventSwitchPlan,
			id: "0c0ced4b-d92d-4b2a-b438-0a6473c6b4d5", createdAt: ms(1763247745719),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.SwitchPlan()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "switch_plan_date", d.SwitchPlanDate.Time, ms(1553729084000))
				eq(t, "subscriber code", d.Subscription.SubscriberCode, "9W2LNSG4")
				cur, ok := d.CurrentPlan()
				eq(t, "current ok", ok, true)
				eq(t, "current plan", cur.ID, "654321")
				eq(t, "current offer key", cur.Offer.ID(), "n6hup357")
				prev, _ := d.PreviousPlan()
				eq(t, "previous plan", prev.Name, "Plano teste com ç e á")
				eq(t, "date_next_charge absent", d.Subscription.DateNextCharge.IsZero(), true)
			},
		},
		{
			file: strings.Replace(testSend, "%s", "UPDATE_SUBSCRIPTION_CHARGE_DATE", 1), typ: hotmart.EventUpdateSubscriptionChargeDate,
			id: "adb0a577-8574-4fab-93e5-051473f97fb6", createdAt: ms(1763247745640), hottok: true,
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.ChargeDateUpdate()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "oldChargeDay", d.Subscription.OldChargeDay, 7)
				eq(t, "newChargeDay", d.Subscription.NewChargeDay, 1)
				eq(t, "dateNextCharge", d.Subscription.DateNextCharge.Time, time.Date(2022, 10, 25, 12, 0, 0, 0, time.UTC))
				eq(t, "subscriber code", d.Subscriber.Code, "00000000")
				eq(t, "plan offer", d.Plan.Offer.Code, "000000")
			},
		},
		{
			file: "webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.official-docs.json", typ: hotmart.EventUpdateSubscriptionChargeDate,
			id: "bc91fa06-0bd3-4cf5-853a-1fbf4716a10b", createdAt: ms(1663951146081),
			check: func(t *testing.T, e *hotmart.Event) {
				d, _ := e.ChargeDateUpdate()
				eq(t, "old_charge_day", d.Subscription.OldChargeDay, 7)
				eq(t, "new_charge_day", d.Subscription.NewChargeDay, 6)
				eq(t, "date_next_charge", d.Subscription.DateNextCharge.Time, time.Date(2022, 9, 1, 12, 0, 0, 0, time.UTC))
			},
		},
		{
			file: strings.Replace(testSend, "%s", "CLUB_FIRST_ACCESS", 1), typ: hotmart.EventClubFirstAccess,
			id: "7fe795fa-285c-430f-9a91-afce10a9216f", createdAt: ms(1763247745996),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.ClubFirstAccess()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "user", d.User.Email, "teste@hotmart.com.br")
				eq(t, "product", d.Product.ID, "0")
			},
		},
		{
			file: strings.Replace(testSend, "%s", "CLUB_MODULE_COMPLETED", 1), typ: hotmart.EventClubModuleCompleted,
			id: "082eb61b-20b4-4627-9f84-de030e548080", createdAt: ms(1763247745900),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.ClubModuleCompleted()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "product id (a JSON string)", d.Product.ID, "00000")
				eq(t, "module id", d.Module.ID, "hash123")
				eq(t, "product view", e.Product().ID, "00000")
			},
		},
		{
			file: "webhooks/ORDER_FULFILLMENT.official-docs.json", typ: hotmart.EventOrderFulfillment,
			id: "27b52d28-acf4-448a-bc5f-4ab4bc8dcb35", createdAt: ms(1716400000000),
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.OrderFulfillment()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "purchase id", d.Purchase.ID, "12345678")
				eq(t, "zip_code", d.Purchase.Shopper.Address.Zipcode, "30130000")
				eq(t, "price", d.Purchase.Price.Value, "89.9")
				eq(t, "line item quantity", d.LineItems[0].Quantity, 2)
				eq(t, "variant sku", d.LineItems[0].Variant.SKU, "SKU-CAM-M-AZ")
				eq(t, "product view", e.Product().ID, "9876543")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			e := parseFixture(t, tt.file)
			eq(t, "ID", e.ID, tt.id)
			eq(t, "Type", e.Type, tt.typ)
			eq(t, "Version", e.Version, "2.0.0")
			eq(t, "CreatedAt", e.CreatedAt, tt.createdAt)
			eq(t, "Hottok present", e.Hottok != "", tt.hottok)
			if tt.hottok {
				eq(t, "Hottok", e.Hottok, "REDACTED_HOTTOK")
			}
			eq(t, "DataErr", e.DataErr(), nil)
			if !json.Valid(e.Raw) || e.Raw[0] != '{' {
				t.Errorf("Raw is not the data object: %.40s", e.Raw)
			}
			if strings.Contains(string(e.Raw), "hottok") {
				t.Error("Raw contains the hottok")
			}
			tt.check(t, e)
		})
	}
}

func wantStatus(want hotmart.PurchaseStatus) func(*testing.T, *hotmart.Event) {
	return func(t *testing.T, e *hotmart.Event) {
		d := mustPurchase(t, e)
		eq(t, "canonical status", d.Purchase.Status.Canonical(), want)
		eq(t, "price minor units", must(d.Purchase.Price.MinorUnits()), 150000)
		eq(t, "buyer email", e.Buyer().Email, "testeComprador271101postman15@example.com")
	}
}

// TestParseEvent_EveryEventType builds one minimal body per known type and
// checks that it lands in the right family with a working accessor.
func TestParseEvent_EveryEventType(t *testing.T) {
	types := hotmart.EventTypes()
	eq(t, "number of event types", len(types), 16)
	for _, typ := range types {
		t.Run(string(typ), func(t *testing.T) {
			body := `{"id":"x1","event":"` + string(typ) + `","version":"2.0.0","creation_date":1700000000000,"data":{"product":{"id":42,"name":"P"}}}`
			e, err := hotmart.ParseEvent([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			if !typ.Known() || e.Family() == hotmart.FamilyUnknown {
				t.Fatalf("%s has no family", typ)
			}
			accessors := map[hotmart.Family]func() error{
				hotmart.FamilyPurchase:                 func() error { _, err := e.Purchase(); return err },
				hotmart.FamilyCartAbandonment:          func() error { _, err := e.CartAbandonment(); return err },
				hotmart.FamilySubscriptionCancellation: func() error { _, err := e.SubscriptionCancellation(); return err },
				hotmart.FamilySwitchPlan:               func() error { _, err := e.SwitchPlan(); return err },
				hotmart.FamilyChargeDateUpdate:         func() error { _, err := e.ChargeDateUpdate(); return err },
				hotmart.FamilyClubFirstAccess:          func() error { _, err := e.ClubFirstAccess(); return err },
				hotmart.FamilyClubModuleCompleted:      func() error { _, err := e.ClubModuleCompleted(); return err },
				hotmart.FamilyOrderFulfillment:         func() error { _, err := e.OrderFulfillment(); return err },
			}
			for f, call := range accessors {
				err := call()
				if f == e.Family() && err != nil {
					t.Errorf("own accessor (%s): %v", f, err)
				}
				if f != e.Family() && !errors.Is(err, hotmart.ErrWrongFamily) {
					t.Errorf("accessor %s on %s: err = %v, want ErrWrongFamily", f, typ, err)
				}
			}
			if e.Family() != hotmart.FamilySwitchPlan && e.Family() != hotmart.FamilyChargeDateUpdate && e.Family() != hotmart.FamilyOrderFulfillment {
				eq(t, "Product().ID", e.Product().ID, "42")
			}
		})
	}
}

// TestParseEvent_UnknownType keeps an unknown event's envelope and raw data.
func TestParseEvent_UnknownType(t *testing.T) {
	e := parseFixture(t, "events/UNKNOWN.future-event.json")
	eq(t, "Type", e.Type, "PURCHASE_PAYMENT_PLAN_UPDATED")
	eq(t, "Known", e.Type.Known(), false)
	eq(t, "Family", e.Family(), hotmart.FamilyUnknown)
	eq(t, "Version", e.Version, "2.1.0")
	eq(t, "CreatedAt", e.CreatedAt, ms(1790000000000))
	var raw struct {
		Purchase struct{ Transaction string } `json:"purchase"`
	}
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	eq(t, "raw transaction", raw.Purchase.Transaction, "HP999")
	if _, err := e.Purchase(); !errors.Is(err, hotmart.ErrWrongFamily) {
		t.Errorf("Purchase() on unknown type: %v", err)
	}
	eq(t, "Buyer", e.Buyer(), hotmart.Buyer{})
	eq(t, "Product", e.Product(), hotmart.ProductRef{})
}

// TestParseEvent_BadInput covers bodies whose envelope is unusable: a nil
// event and an ErrMalformed error naming the field and the reason.
func TestParseEvent_BadInput(t *testing.T) {
	long := strings.Repeat("a", hotmart.MaxEventIDLength+1)
	tests := []struct {
		name, body, field string
		reason            hotmart.Reason
	}{
		{"empty", ``, "", hotmart.ReasonSyntax},
		{"whitespace", " \n\t", "", hotmart.ReasonSyntax},
		{"not JSON", `hello`, "", hotmart.ReasonSyntax},
		{"array", `[1,2]`, "", hotmart.ReasonType},
		{"string", `"secret@example.com"`, "", hotmart.ReasonType},
		{"number", `42`, "", hotmart.ReasonType},
		{"truncated", `{"id":"a","event":"PURCHASE_APPROVED","data":{"buyer":{`, "", hotmart.ReasonSyntax},
		{"trailing garbage", `{"id":"a","event":"X"} x`, "", hotmart.ReasonSyntax},
		{"two objects", `{"id":"a","event":"X"}{}`, "", hotmart.ReasonSyntax},
		{"missing id", `{"event":"PURCHASE_APPROVED","data":{}}`, "id", hotmart.ReasonMissing},
		{"empty id", `{"id":"","event":"PURCHASE_APPROVED"}`, "id", hotmart.ReasonMissing},
		{"null id", `{"id":null,"event":"PURCHASE_APPROVED"}`, "id", hotmart.ReasonMissing},
		{"id too long", `{"id":"` + long + `","event":"PURCHASE_APPROVED"}`, "id", hotmart.ReasonTooLong},
		{"numeric id too long", `{"id":1` + strings.Repeat("0", hotmart.MaxEventIDLength) + `,"event":"X"}`, "id", hotmart.ReasonTooLong},
		{"missing event", `{"id":"a","data":{}}`, "event", hotmart.ReasonMissing},
		{"id is bool", `{"id":true,"event":"X"}`, "id", hotmart.ReasonType},
		{"id is object", `{"id":{"v":"secret@example.com"},"event":"X"}`, "id", hotmart.ReasonType},
		{"event is number", `{"id":"a","event":7}`, "event", hotmart.ReasonType},
		{"event is array", `{"id":"a","event":["X"]}`, "event", hotmart.ReasonType},
		{"version is object", `{"id":"a","event":"X","version":{}}`, "version", hotmart.ReasonType},
		{"hottok is number", `{"id":"a","event":"X","hottok":123}`, "hottok", hotmart.ReasonType},
		{"creation_date is text", `{"id":"a","event":"X","creation_date":"secret@example.com"}`, "creation_date", hotmart.ReasonFormat},
		{"creation_date is bool", `{"id":"a","event":"X","creation_date":true}`, "creation_date", hotmart.ReasonType},
		{"creation_date huge", `{"id":"a","event":"X","creation_date":1e300}`, "creation_date", hotmart.ReasonRange},
		{"bad data JSON", `{"id":"a","event":"PURCHASE_APPROVED","data":{"buyer":{"email":secret}}}`, "", hotmart.ReasonSyntax},
		{"bad unknown-event data", `{"id":"a","event":"NEW","data":{"x":01}}`, "", hotmart.ReasonSyntax},
		{"bad extra field", `{"id":"a","event":"X","extra":tru}`, "", hotmart.ReasonSyntax},
		{"control char in string", "{\"id\":\"a\x01\",\"event\":\"X\"}", "", hotmart.ReasonSyntax},
		{"bad escape", `{"id":"a\q","event":"X"}`, "", hotmart.ReasonSyntax},
		{"leading zero", `{"id":01,"event":"X"}`, "", hotmart.ReasonSyntax},
		{"single quotes", `{'id':'a'}`, "", hotmart.ReasonSyntax},
		{"trailing comma", `{"id":"a","event":"X",}`, "", hotmart.ReasonSyntax},
		{"missing colon", `{"id" "a"}`, "", hotmart.ReasonSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := hotmart.ParseEvent([]byte(tt.body))
			if err == nil {
				t.Fatalf("no error, event %v", e)
			}
			if e != nil {
				t.Errorf("event %v returned with envelope error", e)
			}
			if !errors.Is(err, hotmart.ErrMalformed) {
				t.Errorf("error %v does not match ErrMalformed", err)
			}
			var de *hotmart.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError", err)
			}
			eq(t, "Field", de.Field, tt.field)
			eq(t, "Reason", de.Reason, tt.reason)
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error message leaks a value: %v", err)
			}
		})
	}
}

// TestParseEvent_DataErrorKeepsEnvelope: a data section that is not an
// object, or whose buyer e-mail or transaction is unreadable, comes back
// with the envelope, and the accessor returns the error.
func TestParseEvent_DataErrorKeepsEnvelope(t *testing.T) {
	tests := []struct {
		name, data, field string
		reason            hotmart.Reason
	}{
		{"email is a number", `{"buyer":{"email":5531999999999}}`, "data.buyer.email", hotmart.ReasonType},
		{"email is an object", `{"buyer":{"email":{"v":"secret"}},"product":{"id":1}}`, "data.buyer.email", hotmart.ReasonType},
		{"transaction is a number", `{"purchase":{"transaction":5531999999999}}`, "data.purchase.transaction", hotmart.ReasonType},
		{"data is an array", `["secret"]`, "data", hotmart.ReasonType},
		{"data is a string", `"secret"`, "data", hotmart.ReasonType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"id":"evt-1","event":"PURCHASE_APPROVED","version":"2.0.0","creation_date":1700000000000,"data":` + tt.data + `}`
			e, err := hotmart.ParseEvent([]byte(body))
			if err == nil {
				t.Fatal("no error")
			}
			if e == nil {
				t.Fatal("envelope lost")
			}
			eq(t, "ID", e.ID, "evt-1")
			eq(t, "Type", e.Type, hotmart.EventPurchaseApproved)
			eq(t, "CreatedAt", e.CreatedAt, ms(1700000000000))
			eq(t, "Raw", string(e.Raw), tt.data)
			eq(t, "DataErr", e.DataErr(), err)
			if _, aerr := e.Purchase(); aerr != err {
				t.Errorf("Purchase() err = %v, want %v", aerr, err)
			}
			var de *hotmart.DecodeError
			if !errors.As(err, &de) || !errors.Is(err, hotmart.ErrMalformed) {
				t.Fatalf("error %v is not a malformed DecodeError", err)
			}
			eq(t, "Field", de.Field, tt.field)
			eq(t, "Reason", de.Reason, tt.reason)
			for _, leak := range []string{"secret", "5531999999999"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q leaks %q", err, leak)
				}
			}
			eq(t, "Buyer of undecodable event", e.Buyer(), hotmart.Buyer{})
		})
	}
}

// TestParseEvent_UnreadableFieldIsAWarning: one value that does not fit
// its field leaves that field absent, is listed in Warnings with its path
// and reason, and hides nothing else.
func TestParseEvent_UnreadableFieldIsAWarning(t *testing.T) {
	const rest = `"buyer":{"email":"lia@example.com","name":"Lia"},"product":{"id":7,"name":"Curso"}`
	tests := []struct {
		name, data, field string
		reason            hotmart.Reason
		absent            func(*hotmart.PurchaseData) bool
	}{
		{"price is text", `{"purchase":{"transaction":"HP1","price":{"value":"R$ 10,00 secret","currency_value":"BRL"}},` + rest + `}`,
			"data.purchase.price.value", hotmart.ReasonFormat,
			func(d *hotmart.PurchaseData) bool {
				return d.Purchase.Price.Value == "" && d.Purchase.Price.Currency == "BRL"
			}},
		{"price is not finite", `{"purchase":{"transaction":"HP1","price":{"value":1e400,"currency_value":"BRL"}},` + rest + `}`,
			"data.purchase.price.value", hotmart.ReasonRange,
			func(d *hotmart.PurchaseData) bool { return d.Purchase.Price.Value == "" }},
		{"negative infinity as text", `{"purchase":{"transaction":"HP1","full_price":{"value":"-1e999"}},` + rest + `}`,
			"data.purchase.full_price.value", hotmart.ReasonRange,
			func(d *hotmart.PurchaseData) bool { return d.Purchase.FullPrice.Value == "" }},
		{"installments fractional", `{"purchase":{"transaction":"HP1","payment":{"installments_number":1.5,"type":"PIX"}},` + rest + `}`,
			"data.purchase.payment.installments_number", hotmart.ReasonType,
			func(d *hotmart.PurchaseData) bool {
				return d.Purchase.Payment.InstallmentsNumber == 0 && d.Purchase.Payment.Type == "PIX"
			}},
		{"installments overflow", `{"purchase":{"transaction":"HP1","payment":{"installments_number":99999999999999999999}},` + rest + `}`,
			"data.purchase.payment.installments_number", hotmart.ReasonRange,
			func(d *hotmart.PurchaseData) bool { return d.Purchase.Payment.InstallmentsNumber == 0 }},
		{"affiliates is an object", `{"affiliates":{"affiliate_code":"secret"},"purchase":{"transaction":"HP1"},` + rest + `}`,
			"data.affiliates", hotmart.ReasonType,
			func(d *hotmart.PurchaseData) bool { return d.Affiliates == nil }},
		{"approved_date is bool", `{"purchase":{"transaction":"HP1","approved_date":true},` + rest + `}`,
			"data.purchase.approved_date", hotmart.ReasonType,
			func(d *hotmart.PurchaseData) bool { return d.Purchase.ApprovedDate.IsZero() }},
		{"warranty_date mangled", `{"purchase":{"transaction":"HP1"},"buyer":{"email":"lia@example.com","name":"Lia"},"product":{"id":7,"name":"Curso","warranty_date":"2017 - 12 - 27T00: 00: 00Z"}}`,
			"data.product.warranty_date", hotmart.ReasonFormat,
			func(d *hotmart.PurchaseData) bool { return d.Product.WarrantyDate.IsZero() }},
		{"second commission source is a number", `{"purchase":{"transaction":"HP1"},"commissions":[{"value":1,"source":"MARKETPLACE"},{"value":2,"source":7}],` + rest + `}`,
			"data.commissions[1].source", hotmart.ReasonType,
			func(d *hotmart.PurchaseData) bool {
				return len(d.Commissions) == 2 && d.Commissions[1].Source == "" && d.Commissions[1].Value == "2"
			}},
		{"odd member name", `{"purchase":{"transaction":"HP1","offer":{"metadata":{}},"origin":{"sck":["x"]}},` + rest + `}`,
			"data.purchase.origin.sck", hotmart.ReasonType,
			func(d *hotmart.PurchaseData) bool { return d.Purchase.Origin.Sck == "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"id":"evt-1","event":"PURCHASE_APPROVED","data":` + tt.data + `}`
			e, err := hotmart.ParseEvent([]byte(body))
			if err != nil {
				t.Fatal(err)
			}
			d := mustPurchase(t, e)
			eq(t, "transaction", d.Purchase.Transaction, "HP1")
			eq(t, "product", d.Product.ID, "7")
			eq(t, "buyer", e.Buyer().Email, "lia@example.com")
			eq(t, "product view", e.Product().Name, "Curso")
			if len(e.Warnings) != 1 {
				t.Fatalf("Warnings = %v, want one", e.Warnings)
			}
			w := e.Warnings[0]
			eq(t, "Field", w.Field, tt.field)
			eq(t, "Reason", w.Reason, tt.reason)
			if !errors.Is(w, hotmart.ErrMalformed) {
				t.Error("warning does not match ErrMalformed")
			}
			for _, leak := range []string{"secret", "1e400", "R$", "1.5"} {
				if strings.Contains(w.Error(), leak) {
					t.Errorf("warning %q leaks %q", w, leak)
				}
			}
			if !tt.absent(d) {
				t.Errorf("field not absent / rest not kept: %+v", d)
			}
			if _, err := json.Marshal(d); err != nil {
				t.Errorf("decoded data does not marshal: %v", err)
			}
		})
	}
}

// TestParseEvent_FieldPathSyntax pins the documented path syntax for
// member names that need quoting.
func TestParseEvent_FieldPathSyntax(t *testing.T) {
	body := `{"id":"e","event":"CLUB_MODULE_COMPLETED","data":{"user":{"email":"a@example.com"},"module":{"id":{"a.b":1}}}}`
	e, err := hotmart.ParseEvent([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Warnings) != 1 {
		t.Fatalf("warnings %v", e.Warnings)
	}
	eq(t, "Field", e.Warnings[0].Field, "data.module.id")
	eq(t, "Reason", e.Warnings[0].Reason, hotmart.ReasonType)
}

// TestParseEvent_ManyUnreadableFields: past the bound the section fails.
func TestParseEvent_ManyUnreadableFields(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":"e","event":"PURCHASE_APPROVED","data":{"commissions":[`)
	for i := range 40 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":"x"}`)
	}
	b.WriteString(`]}}`)
	e, err := hotmart.ParseEvent([]byte(b.String()))
	if err == nil || e == nil {
		t.Fatalf("got %v, %v", e, err)
	}
	var de *hotmart.DecodeError
	if !errors.As(err, &de) {
		t.Fatal(err)
	}
	eq(t, "Field", de.Field, "data")
}

// TestParseEvent_DoesNotAliasBody: the caller may reuse the body buffer.
func TestParseEvent_DoesNotAliasBody(t *testing.T) {
	body := readFixture(t, "webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	e, err := hotmart.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	before := string(e.Raw)
	id := e.ID
	for i := range body {
		body[i] = 'x'
	}
	eq(t, "Raw after overwrite", string(e.Raw), before)
	eq(t, "ID after overwrite", e.ID, id)
}

// TestParseEvent_EnvelopeKeys covers key order, duplicates, escapes and
// whitespace at the top level.
func TestParseEvent_EnvelopeKeys(t *testing.T) {
	tests := []struct {
		name, body, id, event, version string
		createdAt                      time.Time
	}{
		{"data first", `{"data":{"product":{"id":1}},"event":"CLUB_FIRST_ACCESS","id":"a"}`, "a", "CLUB_FIRST_ACCESS", "", time.Time{}},
		{"numeric id", `{"id":1234567890123456789,"event":"X"}`, "1234567890123456789", "X", "", time.Time{}},
		{"duplicate key, last wins", `{"id":"a","id":"b","event":"X"}`, "b", "X", "", time.Time{}},
		{"null does not erase", `{"id":"a","id":null,"event":"X","version":"2.0.0","version":null}`, "a", "X", "2.0.0", time.Time{}},
		{"id of exactly 256 bytes", `{"id":"` + strings.Repeat("b", 256) + `","event":"X"}`, strings.Repeat("b", 256), "X", "", time.Time{}},
		{"escaped key", `{"\u0069d":"a","event":"X"}`, "a", "X", "", time.Time{}},
		{"escaped value", `{"id":"a\"b\u00e9","event":"X"}`, "a\"bé", "X", "", time.Time{}},
		{"other case is another key", `{"ID":"z","id":"a","Event":"Y","event":"X"}`, "a", "X", "", time.Time{}},
		{"whitespace everywhere", " \r\n{ \"id\" : \"a\" ,\t\"event\":\"X\" , \"creation_date\" : 1700000000000 } \n", "a", "X", "", ms(1700000000000)},
		{"both creation dates, snake wins", `{"id":"a","event":"X","creationDate":1600000000000,"creation_date":1700000000000}`, "a", "X", "", ms(1700000000000)},
		{"creation_date zero falls back to camel", `{"id":"a","event":"X","creation_date":0,"creationDate":1600000000000}`, "a", "X", "", ms(1600000000000)},
		{"null data", `{"id":"a","event":"PURCHASE_APPROVED","data":null}`, "a", "PURCHASE_APPROVED", "", time.Time{}},
		{"unknown nested keys", `{"id":"a","event":"X","meta":{"a":[1,{"b":"}"}]},"n":-1.5e3,"t":true,"z":null}`, "a", "X", "", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := hotmart.ParseEvent([]byte(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "ID", e.ID, tt.id)
			eq(t, "Type", string(e.Type), tt.event)
			eq(t, "Version", e.Version, tt.version)
			eq(t, "CreatedAt", e.CreatedAt, tt.createdAt)
		})
	}
}

// TestEvent_NeverShowsHottok: String, GoString and LogValue hide the secret.
func TestEvent_NeverShowsHottok(t *testing.T) {
	e := parseFixture(t, "webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.hotmart-test-2025-09.oliverVlz.json")
	eq(t, "Hottok", e.Hottok, "REDACTED_HOTTOK")
	for _, s := range []string{e.String(), e.GoString(), e.LogValue().String()} {
		if strings.Contains(s, "REDACTED_HOTTOK") || strings.Contains(s, "@") {
			t.Errorf("leaks secret or personal data: %s", s)
		}
	}
}

// TestNewEvent round-trips a built event through Raw.
func TestNewEvent(t *testing.T) {
	d := &hotmart.PurchaseData{}
	d.Purchase.Transaction = "HP1"
	d.Purchase.Price = hotmart.Money{Value: "10.5", Currency: "BRL"}
	e, err := hotmart.NewEvent("n1", hotmart.EventPurchaseApproved, ms(1700000000000), d)
	if err != nil {
		t.Fatal(err)
	}
	got := mustPurchase(t, e)
	eq(t, "transaction", got.Purchase.Transaction, "HP1")
	body, _ := json.Marshal(map[string]any{"id": e.ID, "event": e.Type, "creation_date": 1700000000000, "data": e.Raw})
	again, err := hotmart.ParseEvent(body)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "round-trip price", mustPurchase(t, again).Purchase.Price, d.Purchase.Price)
	if _, err := hotmart.NewEvent("n2", hotmart.EventSwitchPlan, time.Time{}, d); err == nil {
		t.Error("NewEvent accepted purchase data for SWITCH_PLAN")
	}
}

// TestParseEvent_KeyOrderDoesNotMatter: data before or after event, for a
// purchase (decoded in the envelope's pass either way) and for a switch
// plan (decoded first as a purchase when data comes first, then again),
// with and without an unreadable field, gives the same event.
func TestParseEvent_KeyOrderDoesNotMatter(t *testing.T) {
	for _, c := range []struct{ event, data string }{
		{"PURCHASE_APPROVED", `{"purchase":{"transaction":"HP1","price":{"value":9.9}},"buyer":{"email":"a@example.com"}}`},
		{"PURCHASE_APPROVED", `{"purchase":{"transaction":"HP1","price":{"value":"x"}},"buyer":{"email":"a@example.com"}}`},
		{"SWITCH_PLAN", `{"subscription":{"subscriber_code":"S1","status":"ACTIVE","user":{"email":"a@example.com"}},"plans":[{"id":1,"current":true}]}`},
		{"SWITCH_PLAN", `{"subscription":{"subscriber_code":"S1","status":7,"user":{"email":"a@example.com"}},"plans":[{"id":1,"current":true}]}`},
		{"CLUB_MODULE_COMPLETED", `{"product":{"id":"4062912"},"user":{"email":"a@example.com"},"module":{"id":"m1"}}`},
		{"FUTURE_EVENT", `{"purchase":{"transaction":"HP1"}}`},
	} {
		bodies := []string{
			`{"id":"e","event":"` + c.event + `","data":` + c.data + `}`,
			`{"data":` + c.data + `,"id":"e","event":"` + c.event + `"}`,
			`{"event":"PURCHASE_APPROVED","data":` + c.data + `,"id":"e","event":"` + c.event + `"}`,
		}
		var want string
		for i, body := range bodies {
			e, err := hotmart.ParseEvent([]byte(body))
			if err != nil {
				t.Fatalf("%s: %v", body, err)
			}
			got, _ := json.Marshal(takeSnapshot(e, err))
			if i == 0 {
				want = string(got)
				continue
			}
			if string(got) != want {
				t.Errorf("%s:\n got %s\nwant %s", body, got, want)
			}
		}
	}
}
