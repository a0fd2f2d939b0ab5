package hotmart_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Tests of the tolerance fixes, one per fixture in testdata/tolerance.

// TestTolerance_AreaCodeWrittenTwice: checkout_phone already starts with
// the DDD that checkout_phone_code repeats; 10–11 digit numbers carry
// their own DDD and are not prefixed again.
func TestTolerance_AreaCodeWrittenTwice(t *testing.T) {
	tests := []struct {
		file, want, area, number string
	}{
		{"tolerance/PURCHASE_COMPLETE.ddd-written-twice.json", "+5565990000000", "65", "990000000"},
		{"tolerance/PURCHASE_APPROVED.number-carries-another-ddd.json", "+551133334444", "11", "33334444"},
		// Unchanged cases: the local number alone, and a test send's
		// nine-digit "area code".
		{"events/PURCHASE_BILLET_PRINTED.pix.json", "+5531999990000", "31", "999990000"},
		{"webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json", "99999999900", "", "99999999900"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := parseFixture(t, tt.file).Buyer().Phone
			eq(t, "String", p.String(), tt.want)
			eq(t, "AreaCode", p.AreaCode, tt.area)
			eq(t, "Number", p.Number, tt.number)
		})
	}
	// Non-Brazilian or unknown country: the split still happens, no DDI.
	e, err := hotmart.ParseEvent([]byte(`{"id":"p","event":"PURCHASE_APPROVED","data":{"buyer":{"email":"a@example.com","checkout_phone_code":"65","checkout_phone":"65990000000"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "no country", e.Buyer().Phone.String(), "65990000000")
}

// TestTolerance_LegacyCamelCaseCancellation: a 1.0 subscription
// cancellation posted as camelCase JSON maps to SUBSCRIPTION_CANCELLATION.
func TestTolerance_LegacyCamelCaseCancellation(t *testing.T) {
	body := readFixture(t, "tolerance/subscription-cancellation-legacy-camelcase.json")
	e, err := hotmart.ParseLegacyJSON(body)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Type", e.Type, hotmart.EventSubscriptionCancellation)
	eq(t, "Version", e.Version, hotmart.LegacyVersion)
	eq(t, "Hottok", e.Hottok, "REDACTED_HOTTOK")
	if !strings.HasPrefix(e.ID, "v1-") {
		t.Errorf("ID %q", e.ID)
	}
	if len(e.Warnings) != 0 {
		t.Errorf("warnings %v", e.Warnings)
	}
	d, err := e.SubscriptionCancellation()
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "subscription id", d.Subscription.ID, "4512877")
	eq(t, "subscriber code from a number", d.Subscriber.Code, "88120345")
	eq(t, "cancellation date with ms", d.CancellationDate.UTC().Format("2006-01-02T15:04:05.000Z"), "2024-03-05T14:22:09.518Z")
	eq(t, "date next charge", d.DateNextCharge.UTC().Format("2006-01-02"), "2024-04-02")
	eq(t, "recurrence value", d.ActualRecurrenceValue, "97.9")
	eq(t, "product name", d.Product.Name, "Clube de Leitura")
	eq(t, "plan name", d.Subscription.Plan.Name, "Plano Mensal")
	eq(t, "no e-mail", e.Buyer().Email, "")
	eq(t, "product view", e.Product().Name, "Clube de Leitura")
	if strings.Contains(string(e.Raw), "REDACTED_HOTTOK") {
		t.Error("hottok in Raw")
	}

	// The same postback again has the same ID; another cancellation not.
	again, _ := hotmart.ParseLegacyJSON(body)
	eq(t, "stable ID", again.ID, e.ID)
	other, _ := hotmart.ParseLegacyJSON([]byte(strings.Replace(string(body), "4512877", "4512878", 1)))
	if other.ID == e.ID {
		t.Error("different cancellations share an ID")
	}

	// As a form, too.
	form := url.Values{"subscriptionId": {"1"}, "subscriberCode": {"ABC"}, "cancellationDate": {"not a date"}}
	fe, err := hotmart.ParseForm(form)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "form type", fe.Type, hotmart.EventSubscriptionCancellation)
	if len(fe.Warnings) != 1 || fe.Warnings[0].Field != "cancellationDate" || fe.Warnings[0].Reason != hotmart.ReasonFormat {
		t.Errorf("warnings %v", fe.Warnings)
	}
}

// TestTolerance_UnreadableOptionalField: a mangled warranty_date in a 1.0
// form no longer empties Purchase() and Buyer(); the field is absent and
// reported.
func TestTolerance_UnreadableOptionalField(t *testing.T) {
	form, err := url.ParseQuery(string(readFixture(t, "tolerance/purchase-approved-legacy-mangled-warranty.form")))
	if err != nil {
		t.Fatal(err)
	}
	e, err := hotmart.ParseForm(form)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "DataErr", e.DataErr(), nil)
	d := mustPurchase(t, e)
	eq(t, "transaction", d.Purchase.Transaction, "HP4455667788")
	eq(t, "price", d.Purchase.Price.String(), "297.00 BRL")
	eq(t, "approved", d.Purchase.ApprovedDate.UTC().Format("2006-01-02T15:04:05"), "2024-03-05T10:00:05")
	eq(t, "warranty absent", d.Product.WarrantyDate.IsZero(), true)
	eq(t, "product", d.Product.Name, "Curso de Fotografia")
	b := e.Buyer()
	eq(t, "buyer", b.Email, "aluna@example.com")
	eq(t, "phone", b.Phone.String(), "+5521987654321")
	if len(e.Warnings) != 1 {
		t.Fatalf("warnings %v", e.Warnings)
	}
	eq(t, "warning field", e.Warnings[0].Field, "warranty_date")
	eq(t, "warning reason", e.Warnings[0].Reason, hotmart.ReasonFormat)
	if strings.Contains(e.Warnings[0].Error(), "2024") {
		t.Errorf("warning shows the value: %v", e.Warnings[0])
	}
}

// TestEvent_HottokNeverMarshalled: json.Marshal(*Event) leaves the hottok
// out.
func TestEvent_HottokNeverMarshalled(t *testing.T) {
	e := parseFixture(t, "webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.hotmart-test-2025-09.oliverVlz.json")
	eq(t, "Hottok", e.Hottok, "REDACTED_HOTTOK")
	out, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "REDACTED_HOTTOK") || strings.Contains(strings.ToLower(string(out)), `"hottok"`) {
		t.Errorf("marshalled event carries the hottok: %s", out)
	}
}

// TestBodyHottok: the door's fallback and the decoder read the body hottok
// the same way: the key exactly, the last non-null value winning.
func TestBodyHottok(t *testing.T) {
	tests := []struct{ body, want string }{
		{`{"id":"a","event":"X","hottok":"h1"}`, "h1"},
		{`{"id":"a","event":"X","HOTTOK":"h1"}`, ""},
		{`{"id":"a","event":"X","Hottok":"h1","hottok":"h2"}`, "h2"},
		{`{"hottok":"h1","hottok":null}`, "h1"},
		{`{"hottok":"h1","hottok":"h2"}`, "h2"},
		{`{"data":{"hottok":"inner"}}`, ""},
		{`{"\u0068ottok":"esc"}`, "esc"},
		{`{"hottok":"h1"`, ""},
		{`{"hottok":1}`, ""},
		{`{"id":true,"event":{},"hottok":"h1","data":[1]}`, "h1"},
		{`["hottok"]`, ""},
		{``, ""},
	}
	for _, tt := range tests {
		eq(t, tt.body, hotmart.BodyHottok([]byte(tt.body)), tt.want)
		if e, err := hotmart.ParseEvent([]byte(tt.body)); err == nil {
			eq(t, tt.body+" (ParseEvent)", e.Hottok, tt.want)
		}
	}
}
