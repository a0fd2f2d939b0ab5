package hotmart_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// TestWildSamples decodes every body in testdata/wild (copied from
// ../shared/samples/hotmart-webhooks-wild) as the webhook door does and
// checks it against what its SOURCES.md row describes. Several synthetic
// bodies must be rejected; none may be decoded with a warning except the
// one whose dates were mangled.
func TestWildSamples(t *testing.T) {
	type row struct {
		typ       hotmart.EventType
		reject    string // Field of the expected DecodeError, "" when it decodes
		tx, email string
		price     string // Price.String()
		phone     string // Buyer().Phone.String()
		hottok    bool
		warnings  int
		check     func(*testing.T, *hotmart.Event)
	}
	purchase := func(f func(*testing.T, *hotmart.PurchaseData)) func(*testing.T, *hotmart.Event) {
		return func(t *testing.T, e *hotmart.Event) { f(t, mustPurchase(t, e)) }
	}
	rows := map[string]row{
		"01-purchase-approved-designauto-pix-body-hottok.json": {typ: hotmart.EventPurchaseApproved, tx: "HP0260583448", email: "comprador.tres@example.com", price: "7 BRL", hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "payment", d.Purchase.Payment.Type, hotmart.PaymentPix)
				eq(t, "empty document", d.Buyer.Document, "")
				eq(t, "address is country only", d.Buyer.Address, hotmart.Address{Country: d.Buyer.Address.Country, CountryISO: "BR"})
			})},
		"02-purchase-approved-designauto-name-trailing-space.json": {typ: hotmart.EventPurchaseApproved, tx: "HP1787159814", email: "comprador.musica@example.com", price: "7 BRL", hottok: true,
			check: func(t *testing.T, e *hotmart.Event) { eq(t, "name kept as sent", e.Buyer().Name, "Renato Oliveira ") }},
		"03-purchase-approved-designauto-no-hottok.json": {typ: hotmart.EventPurchaseApproved, tx: "HP3707710831", email: "suporte.kids@example.com", price: "7 BRL"},
		"04-purchase-approved-designauto-raw-test-send.json": {typ: hotmart.EventPurchaseApproved, tx: "HP16015479281022", email: "testeComprador271101postman15@example.com", price: "1500 BRL", phone: "99999999900",
			check: func(t *testing.T, e *hotmart.Event) {
				eq(t, "data-first id", e.ID, "180bf06f-e5c5-45f6-b2b2-6f5b641ca29b")
			}},
		"05-purchase-complete-freteamigo-2026-new-fields.json": {typ: hotmart.EventPurchaseComplete, tx: "HP0443067096", email: "comprador2022@example.com", price: "59.9 BRL", phone: "+5565990000000",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "status", d.Purchase.Status.Canonical(), hotmart.StatusComplete)
				eq(t, "plan", d.Subscription.Plan.Name, "Profissional")
			})},
		"06-purchase-approved-chile-clp-fractional.json": {typ: hotmart.EventPurchaseApproved, tx: "HP06308826321", email: "comprador.cl10@example.com", price: "5625.21 CLP", phone: "56900000000",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "CLP minor units round the fraction", must(d.Purchase.Price.MinorUnits()), 5625)
				eq(t, "full price", d.Purchase.FullPrice.String(), "6694 CLP")
				eq(t, "business model", d.Purchase.BusinessModel, "A")
				c, ok := d.Commission(hotmart.SourceProducer)
				if !ok || c.CurrencyConversion == nil {
					t.Fatalf("producer commission %+v", c)
				}
			})},
		"07-purchase-approved-pix-origin-redacted-2026.json": {typ: hotmart.EventPurchaseApproved, tx: "HP3159595263", email: "alice@example.com", price: "97 BRL",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "sck", d.Purchase.Origin.Sck, "HOTMART_PRODUCT_PAGE")
				eq(t, "pix expiration", d.Purchase.Payment.PixExpirationDate.IsZero(), false)
			})},
		"08-purchase-approved-dummietrading-2023-gzip-flag.json": {typ: hotmart.EventPurchaseApproved, tx: "HP1121336654889", email: "comprador.mx93@example.com", price: "1500 BRL", phone: "5210000000000"},
		"09-purchase-approved-synvaljordao-2024-log.json": {typ: hotmart.EventPurchaseApproved, tx: "HP16015479281022", email: "testeComprador271101postman15@example.com", price: "1500 BRL", phone: "99999999900", hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "sckPaymentLink", d.Purchase.SckPaymentLink != "", true)
			})},
		"10-purchase-refunded-erosvitta-raw-test-send.json": {typ: hotmart.EventPurchaseRefunded, tx: "HP16015479281022", email: "testeComprador271101postman15@example.com", price: "1500 BRL", phone: "99999999900"},
		"11-purchase-approved-bonde-edited-nulls.json": {typ: hotmart.EventPurchaseApproved, tx: "HPCOMUNIDADE001", email: "aluno@example.com", price: "540.00 BRL", phone: "+5511999999999", hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "null variants", d.Purchase.Variants == nil, true)
				eq(t, "null coupon", d.Purchase.Offer.CouponCode, "")
				eq(t, "no affiliate", len(d.Affiliates), 0)
				eq(t, "business model", d.Purchase.BusinessModel, "S")
			})},
		"12-purchase-canceled-bonde-2026-variants-shipping.json": {typ: hotmart.EventPurchaseCanceled, tx: "HP16015479281022", email: "aluno@example.com", price: "1500 BRL", phone: "99999999900",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Shipping == nil || d.Purchase.Variants == nil {
					t.Fatal("shipping or variants missing")
				}
				eq(t, "string shipping cost", d.Shipping.Cost.String(), "25.50 BRL")
			})},
		"13-subscription-cancellation-bonde-2026.json": {typ: hotmart.EventSubscriptionCancellation,
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.SubscriptionCancellation()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "empty phone block", e.Buyer().Phone.IsZero(), true)
				eq(t, "cancellation date", d.CancellationDate.IsZero(), false)
			}},
		"14-purchase-out-of-shopping-cart-bonde-2026.json": {typ: hotmart.EventPurchaseOutOfShoppingCart, email: "aluno@example.com", phone: "999999999",
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.CartAbandonment()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "buyer ip", d.BuyerIP != "", true)
			}},
		"15-subscription-cancellation-designauto-handmade-no-id.json": {reject: "id"},
		"16-purchase-complete-leadsinfinitos-curl.json":               {typ: hotmart.EventPurchaseComplete, tx: "HP-TEST-123456", email: "teste@exemplo.com", price: "287.00 BRL", hottok: true},
		"17-purchase-approved-leadsinfinitos-currency-code.json": {typ: hotmart.EventPurchaseApproved, tx: "HP000TEST123", email: "test.webhook@example.com", price: "297.00", phone: "5511999999999",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "currency_code is not currency_value", d.Purchase.Price.Currency, "")
			})},
		"18-purchase-approved-memberpress-minimal.json": {typ: hotmart.EventPurchaseApproved, tx: "TEST-001", email: "buyer@example.test", price: "49",
			check: func(t *testing.T, e *hotmart.Event) {
				eq(t, "no version", e.Version, "")
				eq(t, "no creation date", e.CreatedAt.IsZero(), true)
			}},
		"19-purchase-refund-requested-memberpress-unknown-event.json": {typ: "PURCHASE_REFUND_REQUESTED",
			check: func(t *testing.T, e *hotmart.Event) {
				eq(t, "unknown family", e.Family(), hotmart.FamilyUnknown)
				eq(t, "raw kept", strings.Contains(string(e.Raw), "TEST-002"), true)
			}},
		"20-subscription-cancellation-memberpress-minimal.json": {typ: hotmart.EventSubscriptionCancellation,
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.SubscriptionCancellation()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "code in the wrong place is not read", d.Subscriber.Code, "")
			}},
		"21-purchase-approved-facturascripts-legacy-test-send.form": {typ: hotmart.EventPurchaseApproved, tx: "HP1121336654889", email: "testeComprador271101postman15@example.com", price: "1500.00 BRL", hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "prod", d.Product.ID, "00000")
				eq(t, "legal nature", d.Producer.LegalNature, "Pessoa Física")
				eq(t, "warranty", d.Product.WarrantyDate.IsZero(), false)
			})},
		"22-purchase-expired-facturascripts-legacy-test-send.form": {typ: hotmart.EventPurchaseExpired, tx: "HP09915534436216", price: "1500.00 BRL", hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) { eq(t, "no subscription", d.Subscription == nil, true) })},
		"23-purchase-approved-evermart-legacy-compatible.form": {typ: hotmart.EventPurchaseApproved, hottok: true,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "ObjectId product", len(d.Product.ID), 24)
				eq(t, "PAY- transaction", strings.HasPrefix(d.Purchase.Transaction, "PAY-"), true)
				eq(t, "zero price", d.Purchase.Price.Value, "0.00")
				eq(t, "ms dates", d.Purchase.OrderDate.IsZero(), false)
			})},
		"24-purchase-refunded-evermart-legacy-compatible.form": {typ: hotmart.EventPurchaseRefunded, hottok: true},
		"25-subscription-cancellation-evermart-legacy-camelcase.json": {typ: hotmart.EventSubscriptionCancellation, hottok: true,
			check: func(t *testing.T, e *hotmart.Event) {
				d, err := e.SubscriptionCancellation()
				if err != nil {
					t.Fatal(err)
				}
				eq(t, "subscriber code", d.Subscriber.Code, "96921")
				eq(t, "product", d.Product.Name, "ProdutoTesteWTLL")
				eq(t, "version", e.Version, hotmart.LegacyVersion)
			}},
		"26-purchase-approved-essaytest-legacy-mangled-dates.form": {typ: hotmart.EventPurchaseApproved, tx: "HP1121336654889", email: "teste.sandbox@hotmart.com", price: "1500 BRL", hottok: true, warnings: 3,
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "mangled dates absent", d.Product.WarrantyDate.IsZero() && d.Purchase.OrderDate.IsZero(), true)
				eq(t, "prod", d.Product.ID, "2")
				c, _ := d.Commission(hotmart.SourceMarketplace)
				eq(t, "JS-reserialised number", c.Value, "149.5")
			})},
		"27-subscription-cancellation-essaytest-legacy-json.json": {reject: "id"},
		"28-purchase-canceled-seeddoc-no-id-bare-price.json":      {reject: "id"},
		"29-purchase-approved-furo-curl-origin.json": {typ: hotmart.EventPurchaseApproved, tx: "HP-TESTE-1", email: "maria@example.com", price: "197 BRL", phone: "11912345678",
			check: purchase(func(t *testing.T, d *hotmart.PurchaseData) {
				eq(t, "sck only", d.Purchase.Origin, hotmart.Origin{Sck: d.Purchase.Origin.Sck})
			})},
		"30-purchase-approved-erosvitta-debug-no-date.json": {typ: hotmart.EventPurchaseApproved, tx: "TEST123", email: "teste@hotmart.com", price: "1500 BRL"},
	}
	files, err := filepath.Glob("testdata/wild/*.*")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		name := filepath.Base(f)
		if name == "SOURCES.md" {
			continue
		}
		seen++
		r, ok := rows[name]
		if !ok {
			t.Errorf("%s has no row", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var e *hotmart.Event
			if strings.HasSuffix(name, ".form") {
				e, err = parseFormBody(body)
			} else {
				e, err = parseLikeTheDoor(body)
			}
			if r.reject != "" {
				var de *hotmart.DecodeError
				if e != nil || !errors.As(err, &de) {
					t.Fatalf("got %v, %v; want rejection", e, err)
				}
				eq(t, "rejected field", de.Field, r.reject)
				eq(t, "reason", de.Reason, hotmart.ReasonMissing)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "Type", e.Type, r.typ)
			eq(t, "hottok", e.Hottok != "", r.hottok)
			eq(t, "warnings", len(e.Warnings), r.warnings)
			if e.Family() == hotmart.FamilyPurchase {
				d := mustPurchase(t, e)
				if r.tx != "" {
					eq(t, "transaction", d.Purchase.Transaction, r.tx)
				}
				if r.price != "" {
					eq(t, "price", d.Purchase.Price.String(), r.price)
				}
			}
			if r.email != "" {
				eq(t, "email", e.Buyer().Email, r.email)
			}
			if r.phone != "" {
				eq(t, "phone", e.Buyer().Phone.String(), r.phone)
			}
			if r.check != nil {
				r.check(t, e)
			}
		})
	}
	eq(t, "rows", seen, len(rows))
}
