package hotmart_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// TestEvent_Buyer checks the cross-family buyer view for every family.
func TestEvent_Buyer(t *testing.T) {
	tests := []struct {
		file  string
		email string
		name  string
		phone string
		doc   string
	}{
		{"webhooks/PURCHASE_APPROVED.official-docs.json", "buyer@email.com", "Buyer Name", "+5531999999999", "123456789"},
		{"events/PURCHASE_BILLET_PRINTED.pix.json", "comprador@example.com", "Maria Exemplo", "+5531999990000", "00000000000"},
		{"events/PURCHASE_DELAYED.cashpayment-pt.json", "joao@example.com", "João Exemplo", "351912345678", "000000000"},
		{"webhooks/PURCHASE_OUT_OF_SHOPPING_CART.official-docs.json", "buyer@email.com.br", "Buyer name", "31999999999", ""},
		{"events/SUBSCRIPTION_CANCELLATION.fractional.json", "carla@example.com", "Carla Exemplo", "21988887777", ""},
		{"webhooks/SWITCH_PLAN.official-docs.json", "email@hotmart.com", "", "", ""},
		{"webhooks/UPDATE_SUBSCRIPTION_CHARGE_DATE.official-docs.json", "subscriber@example.com", "Subscriber Name", "", ""},
		{"webhooks/CLUB_FIRST_ACCESS.official-docs.json", "buyer@email.com", "Buyer Name", "", ""},
		{"events/CLUB_MODULE_COMPLETED.string-product-id.json", "aluno@example.com", "Aluno Exemplo", "", ""},
		{"events/ORDER_FULFILLMENT.zipcode-variants.json", "pedro@example.com", "Pedro Exemplo", "31988887777", "00000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b := parseFixture(t, tt.file).Buyer()
			eq(t, "Email", b.Email, tt.email)
			eq(t, "Name", b.Name, tt.name)
			eq(t, "Phone", b.Phone.String(), tt.phone)
			eq(t, "Document", b.Document, tt.doc)
		})
	}
}

func TestEvent_Buyer_PurchaseDetails(t *testing.T) {
	b := parseFixture(t, "events/PURCHASE_BILLET_PRINTED.pix.json").Buyer()
	eq(t, "DDI", b.Phone.CountryCode, "55")
	eq(t, "DDD", b.Phone.AreaCode, "31")
	eq(t, "number", b.Phone.Number, "999990000")
	eq(t, "document type", b.DocumentType, hotmart.DocumentCPF)
	eq(t, "first name", b.FirstName, "Maria")
	eq(t, "country", b.Address.CountryISO, "BR")

	pt := parseFixture(t, "events/PURCHASE_DELAYED.cashpayment-pt.json").Buyer()
	eq(t, "international number keeps DDI inside, no split", pt.Phone, hotmart.Phone{Number: "351912345678"})
	eq(t, "zipcode", pt.Address.Zipcode, "1000-001")

	cart := parseFixture(t, "webhooks/PURCHASE_OUT_OF_SHOPPING_CART.official-docs.json").Buyer()
	eq(t, "cart country from checkout_country", cart.Address.CountryISO, "BR")
}

func TestPhone_String(t *testing.T) {
	eq(t, "empty", hotmart.Phone{AreaCode: "31"}.String(), "")
	eq(t, "no DDI", hotmart.Phone{AreaCode: "31", Number: "9999"}.String(), "319999")
	eq(t, "full", hotmart.Phone{CountryCode: "55", AreaCode: "31", Number: "9999"}.String(), "+55319999")
}
