package segment_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

const webhooksDir = "../hotmart/testdata/webhooks"

// sample parses one of the real webhook bodies in hotmart/testdata.
func sample(t testing.TB, name string) *hotmart.Event {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(webhooksDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(name, "PURCHASE_GENERIC.") {
		// This 2022 sample has no envelope fields: give it some.
		body = []byte(`{"id":"generic-2022","event":"PURCHASE_APPROVED","version":"2.0.0",` + strings.TrimPrefix(strings.TrimSpace(string(body)), "{"))
	}
	e, err := hotmart.ParseEvent(body)
	if err != nil {
		t.Fatalf("ParseEvent(%s): %v", name, err)
	}
	return e
}

// allSamples parses every real webhook body.
func allSamples(t testing.TB) map[string]*hotmart.Event {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(webhooksDir, "*.json"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	out := make(map[string]*hotmart.Event, len(names))
	for _, n := range names {
		out[filepath.Base(n)] = sample(t, filepath.Base(n))
	}
	return out
}

// purchaseEvent builds a purchase event in code; mutate adjusts its data.
func purchaseEvent(t testing.TB, typ hotmart.EventType, mutate func(*hotmart.PurchaseData)) *hotmart.Event {
	t.Helper()
	d := &hotmart.PurchaseData{
		Product: hotmart.Product{ID: "4062912", UCode: "5a4c-ucode", Name: "Curso de Excel"},
		Buyer: hotmart.PurchaseBuyer{
			Email: "Ana.Souza@Example.com", Name: "Ana Souza", FirstName: "Ana",
			CheckoutPhoneCode: "31", CheckoutPhone: "999998888",
			Document: "12345678900", DocumentType: "cpf",
			Address: hotmart.Address{CountryISO: "BR", State: "Minas Gerais"},
		},
		Purchase: hotmart.Purchase{
			Transaction: "HP123", Status: hotmart.StatusApproved,
			Price:   hotmart.Money{Value: "149.90", Currency: "BRL"},
			Offer:   hotmart.Offer{Code: "k2pasun0", CouponCode: "BLACK"},
			Payment: hotmart.Payment{Type: hotmart.PaymentCreditCard, InstallmentsNumber: 3},
		},
	}
	if mutate != nil {
		mutate(d)
	}
	e, err := hotmart.NewEvent("evt-1", typ, time.Unix(1700000000, 0), d)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
