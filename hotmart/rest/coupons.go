package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
	"net/http"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// CouponsService creates, lists and deletes discount coupons:
// /products/api/v1/product/{product_id}/coupon and /coupon/*. Coupons take
// the numeric product id (not the ucode).
type CouponsService service

var restValidator = validator.New(validator.WithRequiredStructEnabled())

// CouponCreate is the body of a new coupon.
type CouponCreate struct {
	Code      string    `json:"code" validate:"required,max=25"`
	Discount  float64   `json:"discount" validate:"gt=0,lt=0.99"` // a fraction: 0.1 = 10 %
	StartDate time.Time `json:"-"`                                // optional; epoch ms on the wire
	EndDate   time.Time `json:"-"`
	Affiliate string    `json:"affiliate,omitempty"` // affiliate id the coupon is restricted to
	OfferIDs  []string  `json:"offer_ids,omitempty"`
}

// Coupon is one coupon of a product.
type Coupon struct {
	ID         hotmart.ID      `json:"id"`
	CouponCode string          `json:"coupon_code"`
	Discount   hotmart.Decimal `json:"discount"` // a fraction
	StartDate  hotmart.Time    `json:"start_date"`
	Status     string          `json:"status"` // "valid" (lower case)
	Active     bool            `json:"active"`
	TimeZone   struct {
		Offset      string `json:"offset"`
		Description string `json:"description"`
		ID          string `json:"id"`
		Name        string `json:"name"`
	} `json:"time_zone"`
}

// CouponListOptions are the query parameters of GET /coupon/product/{id}.
type CouponListOptions struct {
	ListOptions
	Code string `url:"code,omitempty"`
}

// Create adds a coupon to a product. Hotmart answers 200 with an empty
// object, so nothing is returned on success.
func (s *CouponsService) Create(ctx context.Context, productID string, c CouponCreate) error {
	if productID == "" {
		return errEmpty("Coupons.Create", "product id")
	}
	if err := restValidator.Struct(c); err != nil {
		return &ArgumentError{Method: "Coupons.Create", Arg: "coupon", Reason: "is invalid: " + err.Error()}
	}
	body := struct {
		CouponCreate
		StartDate *int64 `json:"start_date,omitempty"`
		EndDate   *int64 `json:"end_date,omitempty"`
	}{CouponCreate: c}
	if !c.StartDate.IsZero() {
		ms := c.StartDate.UnixMilli()
		body.StartDate = &ms
	}
	if !c.EndDate.IsZero() {
		ms := c.EndDate.UnixMilli()
		body.EndDate = &ms
	}
	return s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: productsAPI + "/product/" + pathEscape(productID) + "/coupon", JSON: body}, nil)
}

// List returns one page of a product's coupons.
func (s *CouponsService) List(ctx context.Context, productID string, opts *CouponListOptions) (*Page[Coupon], error) {
	if productID == "" {
		return nil, errEmpty("Coupons.List", "product id")
	}
	return getPage[Coupon](ctx, s.c, productsAPI+"/coupon/product/"+pathEscape(productID), opts)
}

// All iterates over every coupon of a product.
func (s *CouponsService) All(ctx context.Context, productID string, opts *CouponListOptions) iter.Seq2[Coupon, error] {
	return paginate(ctx, opts, func(ctx context.Context, o *CouponListOptions) (*Page[Coupon], error) {
		return s.List(ctx, productID, o)
	})
}

// Delete removes a coupon. Deleting is safe to repeat, so it is retried on
// network errors and 5xx.
func (s *CouponsService) Delete(ctx context.Context, couponID string) error {
	if couponID == "" {
		return errEmpty("Coupons.Delete", "coupon id")
	}
	return s.c.call(ctx, httpx.Request{Method: http.MethodDelete, Path: productsAPI + "/coupon/" + pathEscape(couponID), Idempotent: true}, nil)
}
