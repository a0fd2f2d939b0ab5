package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"net/http"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// NegotiationService negotiates overdue subscription installments
// (POST /payments/api/v1/installments/negotiate).
type NegotiationService service

// NegotiationRequest asks for a single PIX or boleto payment covering
// overdue recurrences of a subscription.
type NegotiationRequest struct {
	SubscriptionID int64                `json:"subscription_id" validate:"required,gt=0"`
	Recurrences    []int                `json:"recurrences" validate:"required,min=1,max=5,dive,gt=0"`
	PaymentType    string               `json:"payment_type" validate:"required,oneof=PIX BILLET"`
	Discount       *NegotiationDiscount `json:"discount,omitempty"`
	Document       string               `json:"document,omitempty" validate:"required_if=PaymentType BILLET"` // buyer's CPF/CNPJ, required for BILLET
}

// NegotiationDiscount is an optional custom discount.
type NegotiationDiscount struct {
	Type  string  `json:"type" validate:"required,oneof=CUSTOM"`
	Value float64 `json:"value" validate:"gt=0"`
}

// Negotiation is the payment Hotmart issued for a negotiation.
type Negotiation struct {
	SubscriptionID hotmart.ID `json:"subscription_id"`
	Transaction    string     `json:"transaction"`
	Payment        struct {
		Type           string       `json:"type"`
		ExpirationDate hotmart.Time `json:"expiration_date"`
		BilletURL      string       `json:"billet_url,omitempty"`
		BilletBarcode  string       `json:"billet_barcode,omitempty"`
		PixCode        string       `json:"pix_code,omitempty"`
		PixQRCode      string       `json:"pix_qrcode,omitempty"`
	} `json:"payment"`
}

// Create negotiates overdue installments. It is not retried automatically.
func (s *NegotiationService) Create(ctx context.Context, r NegotiationRequest) (*Negotiation, error) {
	if err := restValidator.Struct(r); err != nil {
		return nil, &ArgumentError{Method: "Negotiation.Create", Arg: "request", Reason: "is invalid: " + err.Error()}
	}
	var out Negotiation
	if err := s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: paymentsAPI + "/installments/negotiate", JSON: r}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
