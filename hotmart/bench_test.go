package hotmart_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/hotmartkit/hotmartkit/hotmart"
)

// plainEvent is the same body decoded the naive way: no tolerance for
// Hotmart's drift (float64 money, int64 times, int ids). It is the baseline
// ParseEvent is measured against.
type plainEvent struct {
	ID           string `json:"id"`
	CreationDate int64  `json:"creation_date"`
	Event        string `json:"event"`
	Version      string `json:"version"`
	Data         struct {
		Product struct {
			ID                int    `json:"id"`
			UCode             string `json:"ucode"`
			Name              string `json:"name"`
			WarrantyDate      string `json:"warranty_date"`
			SupportEmail      string `json:"support_email"`
			HasCoProduction   bool   `json:"has_co_production"`
			IsPhysicalProduct bool   `json:"is_physical_product"`
			Content           *struct {
				HasPhysicalProducts bool `json:"has_physical_products"`
				Products            []struct {
					ID                int    `json:"id"`
					UCode             string `json:"ucode"`
					Name              string `json:"name"`
					IsPhysicalProduct bool   `json:"is_physical_product"`
				} `json:"products"`
			} `json:"content"`
		} `json:"product"`
		Affiliates []struct {
			Code string `json:"affiliate_code"`
			Name string `json:"name"`
		} `json:"affiliates"`
		Buyer struct {
			Email             string `json:"email"`
			Name              string `json:"name"`
			FirstName         string `json:"first_name"`
			LastName          string `json:"last_name"`
			CheckoutPhoneCode string `json:"checkout_phone_code"`
			CheckoutPhone     string `json:"checkout_phone"`
			Address           struct {
				City, Country, State, Neighborhood, Address, Number, Complement string
				CountryISO                                                      string `json:"country_iso"`
				Zipcode                                                         string `json:"zipcode"`
			} `json:"address"`
			Document     string `json:"document"`
			DocumentType string `json:"document_type"`
		} `json:"buyer"`
		Producer struct {
			Name        string `json:"name"`
			Document    string `json:"document"`
			LegalNature string `json:"legal_nature"`
		} `json:"producer"`
		Commissions []struct {
			Value    float64 `json:"value"`
			Source   string  `json:"source"`
			Currency string  `json:"currency_value"`
		} `json:"commissions"`
		Purchase struct {
			ApprovedDate       int64      `json:"approved_date"`
			FullPrice          plainMoney `json:"full_price"`
			Price              plainMoney `json:"price"`
			OriginalOfferPrice plainMoney `json:"original_offer_price"`
			CheckoutCountry    struct {
				Name string `json:"name"`
				ISO  string `json:"iso"`
			} `json:"checkout_country"`
			OrderBump struct {
				IsOrderBump               bool   `json:"is_order_bump"`
				ParentPurchaseTransaction string `json:"parent_purchase_transaction"`
			} `json:"order_bump"`
			EventTickets struct {
				Amount int64 `json:"amount"`
			} `json:"event_tickets"`
			OrderDate   int64  `json:"order_date"`
			Status      string `json:"status"`
			Transaction string `json:"transaction"`
			Payment     struct {
				InstallmentsNumber int    `json:"installments_number"`
				Type               string `json:"type"`
			} `json:"payment"`
			Offer struct {
				Code       string `json:"code"`
				CouponCode string `json:"coupon_code"`
			} `json:"offer"`
			SckPaymentLink string `json:"sckPaymentLink"`
			IsFunnel       bool   `json:"is_funnel"`
			BusinessModel  string `json:"business_model"`
		} `json:"purchase"`
		Subscription *struct {
			Status string `json:"status"`
			Plan   struct {
				ID   int    `json:"id"`
				Name string `json:"name"`
			} `json:"plan"`
			Subscriber struct {
				Code string `json:"code"`
			} `json:"subscriber"`
		} `json:"subscription"`
	} `json:"data"`
}

type plainMoney struct {
	Value    float64 `json:"value"`
	Currency string  `json:"currency_value"`
}

// benchBody is a typical PURCHASE_APPROVED: Hotmart's own 2025 test send.
func benchBody(b *testing.B) []byte {
	b.Helper()
	body, err := os.ReadFile("testdata/webhooks/PURCHASE_APPROVED.hotmart-test-2025-11.michael-lourenco.json")
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkParseEvent is the subject.
func BenchmarkParseEvent(b *testing.B) {
	body := benchBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		e, err := hotmart.ParseEvent(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Purchase(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselinePlainStruct decodes the same bytes into plainEvent.
func BenchmarkBaselinePlainStruct(b *testing.B) {
	body := benchBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v plainEvent
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineMap decodes the same bytes into map[string]any.
func BenchmarkBaselineMap(b *testing.B) {
	body := benchBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineLibraryPlainStruct decodes the same bytes into
// plainEvent with github.com/go-json-experiment/json, the library ParseEvent
// runs on: what the library alone costs, without any tolerance.
func BenchmarkBaselineLibraryPlainStruct(b *testing.B) {
	body := benchBody(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var v plainEvent
		if err := jsonv2.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseEventRatio runs ParseEvent (with Purchase) and the
// encoding/json baseline alternately in one loop and reports each one's
// time and their ratio, so that load on a shared machine weighs on both
// alike. The target is ratio ≤ 0.5.
func BenchmarkParseEventRatio(b *testing.B) {
	body := benchBody(b)
	var parse, base time.Duration
	for b.Loop() {
		t0 := time.Now()
		e, err := hotmart.ParseEvent(body)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Purchase(); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		var v plainEvent
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
		base += time.Since(t1)
		parse += t1.Sub(t0)
	}
	b.ReportMetric(float64(parse.Nanoseconds())/float64(b.N), "parse-ns/op")
	b.ReportMetric(float64(base.Nanoseconds())/float64(b.N), "encoding-json-ns/op")
	b.ReportMetric(float64(parse)/float64(base), "ratio")
}
