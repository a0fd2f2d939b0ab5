package sendpulse

import (
	"context"
	"errors"
	"net/http"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// PaymentsService records manual payments on deals and contacts.
type PaymentsService service

// Payment is a CRM payment.
type Payment struct {
	ID                 int64  `json:"id"`
	Name               string `json:"name,omitempty"`
	Price              Price  `json:"price"`
	Status             Text   `json:"status,omitempty"`
	OrderID            Text   `json:"orderId,omitempty"`
	PaymentDescription string `json:"paymentDescription,omitempty"`
	PaymentMethod      string `json:"paymentMethod,omitempty"`
	CreatedAt          string `json:"createdAt,omitempty"`
}

// Price is an amount with its currency.
type Price struct {
	Amount   Number `json:"amount"`
	Currency string `json:"currency"`
}

// PaymentCreate is the body of Create.
type PaymentCreate struct {
	DealID      int64   `json:"dealId"`
	ContactID   int64   `json:"contactId,omitempty"`
	Description string  `json:"description,omitempty"`
	Price       float64 `json:"price"`
	Currency    string  `json:"currency"`
}

// Create records a manual payment. It is not retried on 5xx: a repeat
// would record the payment twice.
//
// API: POST /crm/v1/payments
func (s *PaymentsService) Create(ctx context.Context, in *PaymentCreate) (*Payment, error) {
	if in == nil {
		return nil, argErr("Payments.Create", "payment", "is required")
	}
	var curErr error
	if in.Currency == "" {
		curErr = argErr("Payments.Create", "Currency", "is required")
	}
	if err := errors.Join(checkID("Payments.Create", "DealID", in.DealID), curErr); err != nil {
		return nil, err
	}
	var out struct {
		Payment
		Data *Payment `json:"data"`
	}
	if err := s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/payments", JSON: in}, &out); err != nil {
		return nil, err
	}
	// The spec shows the payment bare; other CRM calls wrap in data.
	if out.Data != nil {
		return out.Data, nil
	}
	return &out.Payment, nil
}

// ListByDeal lists the payments of a deal.
//
// API: GET /crm/v1/payments/deals/{dealId}
func (s *PaymentsService) ListByDeal(ctx context.Context, dealID int64) ([]Payment, error) {
	if err := checkID("Payments.ListByDeal", "dealID", dealID); err != nil {
		return nil, err
	}
	var out envelope[list[Payment]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/payments/deals/" + itoa(dealID)}, &out)
	return out.Data, err
}
