package hotmart_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func legacyForm(t *testing.T) url.Values {
	t.Helper()
	form, err := url.ParseQuery(strings.TrimSpace(string(readFixture(t, "legacy/approved.form"))))
	if err != nil {
		t.Fatal(err)
	}
	return form
}

func TestParseForm_StatusToType(t *testing.T) {
	tests := []struct {
		status string
		want   hotmart.EventType
	}{
		{"approved", hotmart.EventPurchaseApproved},
		{"canceled", hotmart.EventPurchaseCanceled},
		{"refunded", hotmart.EventPurchaseRefunded},
		{"dispute", hotmart.EventPurchaseProtest},
		{"chargeback", hotmart.EventPurchaseChargeback},
		{"billet_printed", hotmart.EventPurchaseBilletPrinted},
		{"wayting_payment", hotmart.EventPurchaseBilletPrinted},
		{"delayed", hotmart.EventPurchaseDelayed},
		{"completed", hotmart.EventPurchaseComplete},
		{"expired", hotmart.EventPurchaseExpired},
		{"APPROVED", hotmart.EventPurchaseApproved},
		{"blocked", hotmart.EventLegacyUnmapped},
		{"something_new", hotmart.EventLegacyUnmapped},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			e, err := hotmart.ParseForm(url.Values{"transaction": {"HP1"}, "status": {tt.status}, "email": {"a@example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "Type", e.Type, tt.want)
			eq(t, "Version", e.Version, "1.0.0")
			if tt.want == hotmart.EventLegacyUnmapped {
				eq(t, "Known", e.Type.Known(), false)
				var raw map[string]string
				_ = json.Unmarshal(e.Raw, &raw)
				eq(t, "raw status", raw["status"], tt.status)
				return
			}
			d := mustPurchase(t, e)
			eq(t, "transaction", d.Purchase.Transaction, "HP1")
			eq(t, "status upper-cased", string(d.Purchase.Status), strings.ToUpper(tt.status))
			eq(t, "buyer", e.Buyer().Email, "a@example.com")
		})
	}
}

func TestParseForm_Fields(t *testing.T) {
	e, err := hotmart.ParseForm(legacyForm(t))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Hottok", e.Hottok, "REDACTED_HOTTOK")
	eq(t, "CreatedAt", e.CreatedAt.IsZero(), true)
	if strings.Contains(string(e.Raw), "REDACTED_HOTTOK") {
		t.Error("hottok in Raw")
	}
	var raw map[string]string
	if err := json.Unmarshal(e.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	eq(t, "unmapped field kept in Raw", raw["utm_source"], "ig")

	d := mustPurchase(t, e)
	eq(t, "product id", d.Product.ID, "1234567")
	eq(t, "product name", d.Product.Name, "Curso Legado")
	eq(t, "offer", d.Purchase.Offer.Code, "abc123")
	eq(t, "coupon", d.Purchase.Offer.CouponCode, "OFF10")
	eq(t, "price (comma decimal)", d.Purchase.Price, hotmart.Money{Value: "149.50", Currency: "BRL"})
	eq(t, "price minor", must(d.Purchase.Price.MinorUnits()), 14950)
	eq(t, "full price", d.Purchase.FullPrice.Value, "159.90")
	eq(t, "status", d.Purchase.Status.Canonical(), hotmart.StatusApproved)
	eq(t, "payment type", d.Purchase.Payment.Type, hotmart.PaymentBillet)
	eq(t, "installments", d.Purchase.Payment.InstallmentsNumber, 3)
	eq(t, "billet url", d.Purchase.Payment.BilletURL, "https://example.com/boleto/1")
	eq(t, "recurrency → recurrence_number", d.Purchase.RecurrenceNumber, 2)
	eq(t, "origin", d.Purchase.Origin, hotmart.Origin{Src: "newsletter", Sck: "a|b", Xcod: "x1"})
	eq(t, "funnel", d.Purchase.IsFunnel, true)
	eq(t, "order bump", d.Purchase.OrderBump.IsOrderBump, false)
	eq(t, "purchase_date (day first)", d.Purchase.OrderDate.Time, time.Date(2019, 6, 19, 17, 46, 15, 0, time.UTC))
	eq(t, "confirmation date", d.Purchase.ApprovedDate.Time, time.Date(2019, 6, 19, 20, 50, 0, 0, time.UTC))
	eq(t, "next charge", d.Purchase.DateNextCharge.Time, time.Date(2019, 7, 19, 0, 0, 0, 0, time.UTC))
	eq(t, "warranty", d.Product.WarrantyDate.Time, time.Date(2019, 6, 26, 0, 0, 0, 0, time.UTC))
	a, ok := d.Affiliate()
	eq(t, "affiliate", ok, true)
	eq(t, "affiliate code", a.Code, "A1234567B")
	aff, _ := d.Commission(hotmart.SourceAffiliate)
	eq(t, "affiliate commission", aff.Money().String(), "14.55 BRL")
	vendor, _ := d.Commission(hotmart.SourceProducer)
	eq(t, "vendor commission", vendor.Value, "120.00")
	eq(t, "subscriber code", d.Subscription.Subscriber.Code, "ABCD1234")
	eq(t, "plan", d.Subscription.Plan.Name, "Mensal")
	eq(t, "subscription status", d.Subscription.Status.Canonical(), hotmart.SubscriptionActive)
	eq(t, "producer", d.Producer.Name, "Produtor")
	eq(t, "business model", d.Purchase.BusinessModel, "I")

	b := e.Buyer()
	eq(t, "email", b.Email, "legado@example.com")
	eq(t, "name", b.Name, "Lia Legado")
	eq(t, "checkout phone preferred", b.Phone.String(), "+5531988887777")
	eq(t, "doc", b.Document, "00000000000")
	eq(t, "doc type", b.DocumentType, hotmart.DocumentCPF)
	eq(t, "address", b.Address, hotmart.Address{Address: "Rua Velha", Number: "12", Complement: "ap 3", Neighborhood: "Centro",
		City: "Belo Horizonte", State: "MG", Zipcode: "30100000", Country: "Brasil", CountryISO: "BR"})
}

func TestParseForm_DeterministicID(t *testing.T) {
	f := func(tx, st string) string {
		e, err := hotmart.ParseForm(url.Values{"transaction": {tx}, "status": {st}})
		if err != nil {
			t.Fatal(err)
		}
		return e.ID
	}
	a := f("HP1", "approved")
	eq(t, "same postback, same id", f("HP1", "approved"), a)
	eq(t, "status case does not matter", f("HP1", "APPROVED"), a)
	if f("HP1", "refunded") == a || f("HP2", "approved") == a {
		t.Error("different postbacks share an id")
	}
	if !strings.HasPrefix(a, "v1-") || len(a) != 35 || strings.Contains(a, "HP1") {
		t.Errorf("id %q is not v1- and 32 hex digits", a)
	}
}

func TestParseForm_BadInput(t *testing.T) {
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"empty", url.Values{}, "transaction"},
		{"no status", url.Values{"transaction": {"HP1"}}, "status"},
		{"blank transaction", url.Values{"transaction": {"  "}, "status": {"approved"}}, "transaction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := hotmart.ParseForm(tt.form)
			if e != nil || !errors.Is(err, hotmart.ErrMalformed) {
				t.Fatalf("got %v, %v", e, err)
			}
			var de *hotmart.DecodeError
			errors.As(err, &de)
			eq(t, "field", de.Field, tt.field)
		})
	}
}

// TestParseForm_BadFieldIsAWarning: a field that does not parse is left
// absent and reported as a warning; the rest of the postback decodes.
func TestParseForm_BadFieldIsAWarning(t *testing.T) {
	tests := []struct {
		key, value string
		reason     hotmart.Reason
	}{
		{"price", "R$ secret", hotmart.ReasonFormat},
		{"price", "1e400", hotmart.ReasonRange},
		{"installments_number", "three-secret", hotmart.ReasonFormat},
		{"purchase_date", "yesterday-secret", hotmart.ReasonFormat},
		{"warranty_date", "2017 - 12 - 27T00: 00: 00Z", hotmart.ReasonFormat},
		{"funnel", "maybe-secret", hotmart.ReasonFormat},
		{"recurrency", "1.5", hotmart.ReasonFormat},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			e, err := hotmart.ParseForm(url.Values{"transaction": {"HP1"}, "status": {"approved"},
				"email": {"a@example.com"}, "prod": {"42"}, tt.key: {tt.value}})
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "type kept", e.Type, hotmart.EventPurchaseApproved)
			d := mustPurchase(t, e)
			eq(t, "transaction", d.Purchase.Transaction, "HP1")
			eq(t, "product", d.Product.ID, "42")
			eq(t, "buyer", e.Buyer().Email, "a@example.com")
			if len(e.Warnings) != 1 {
				t.Fatalf("warnings = %v, want one", e.Warnings)
			}
			w := e.Warnings[0]
			eq(t, "field", w.Field, tt.key)
			eq(t, "reason", w.Reason, tt.reason)
			if strings.Contains(w.Error(), "secret") || strings.Contains(w.Error(), tt.value) {
				t.Errorf("warning leaks value: %v", w)
			}
		})
	}
}

func TestParseLegacyJSON(t *testing.T) {
	e, err := hotmart.ParseLegacyJSON(readFixture(t, "legacy/approved.json"))
	if err != nil {
		t.Fatal(err)
	}
	fromForm, _ := hotmart.ParseForm(legacyForm(t))
	eq(t, "same ID as the form", e.ID, fromForm.ID)
	eq(t, "same Raw as the form", string(e.Raw), string(fromForm.Raw))
	d := mustPurchase(t, e)
	eq(t, "price", d.Purchase.Price.Value, "149.50")

	// Numbers and booleans are taken as their text.
	e, err = hotmart.ParseLegacyJSON([]byte(`{"transaction":"HP9","status":"completed","price":97.5,"installments_number":2,"funnel":true,"extra":null,"nested":{"a":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	d = mustPurchase(t, e)
	eq(t, "type", e.Type, hotmart.EventPurchaseComplete)
	eq(t, "number price", d.Purchase.Price.Value, "97.5")
	eq(t, "installments", d.Purchase.Payment.InstallmentsNumber, 2)
	eq(t, "funnel", d.Purchase.IsFunnel, true)

	for _, bad := range []string{``, `[]`, `"x"`, `{"transaction":`, `{"status":"approved"}`} {
		if e, err := hotmart.ParseLegacyJSON([]byte(bad)); e != nil || !errors.Is(err, hotmart.ErrMalformed) {
			t.Errorf("%q: got %v, %v", bad, e, err)
		}
	}
}
