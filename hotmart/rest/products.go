package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
)

const productsAPI = "/products/api/v1"

// ProductsService reads products, their offers and plans:
// /products/api/v1/products/*. Offers and plans take the product's ucode.
type ProductsService service

// ProductListOptions are the query parameters of GET /products.
type ProductListOptions struct {
	ListOptions
	ID     string `url:"id,omitempty"`
	Status string `url:"status,omitempty"` // DRAFT, ACTIVE, PAUSED, …
	Format string `url:"format,omitempty"` // EBOOK, ONLINE_COURSE, …
}

// Product is one product of the account.
type Product struct {
	ID             hotmart.ID   `json:"id"`
	Name           string       `json:"name"`
	Ucode          string       `json:"ucode"`
	Status         string       `json:"status"`
	CreatedAt      hotmart.Time `json:"created_at"`
	Format         string       `json:"format"`
	IsSubscription bool         `json:"is_subscription"`
	WarrantyPeriod int          `json:"warranty_period"`
}

// Offer is one offer of a product.
type Offer struct {
	Code                        string `json:"code"`
	Name                        string `json:"name"`
	Description                 string `json:"description"`
	Price                       Amount `json:"price"`
	PaymentMode                 string `json:"payment_mode"`
	IsCurrencyConversionEnabled bool   `json:"is_currency_conversion_enabled"`
	IsSmartRecoveryEnabled      bool   `json:"is_smart_recovery_enabled"`
	IsMainOffer                 bool   `json:"is_main_offer"`
}

// Plan is one subscription plan of a product. PaymentMode uses
// Portuguese values (ASSINATURA, PAGAMENTO_UNICO, …).
type Plan struct {
	Code                          string `json:"code"`
	Name                          string `json:"name"`
	Description                   string `json:"description"`
	Price                         Amount `json:"price"`
	Periodicity                   string `json:"periodicity"`
	MaxInstallments               int    `json:"max_installments"`
	PaymentMode                   string `json:"payment_mode"`
	TrialPeriod                   int    `json:"trial_period,omitempty"`
	IsSubscriptionRecoveryEnabled bool   `json:"is_subscription_recovery_enabled"`
	IsSwitchPlanEnabled           bool   `json:"is_switch_plan_enabled"`
}

// List returns one page of the account's products.
func (s *ProductsService) List(ctx context.Context, opts *ProductListOptions) (*Page[Product], error) {
	return getPage[Product](ctx, s.c, productsAPI+"/products", opts)
}

// All iterates over every product.
func (s *ProductsService) All(ctx context.Context, opts *ProductListOptions) iter.Seq2[Product, error] {
	return paginate(ctx, opts, s.List)
}

// Offers returns one page of a product's offers.
func (s *ProductsService) Offers(ctx context.Context, ucode string, opts *ListOptions) (*Page[Offer], error) {
	return productPage[Offer](ctx, s, "Products.Offers", ucode, "/offers", opts)
}

// AllOffers iterates over every offer of a product.
func (s *ProductsService) AllOffers(ctx context.Context, ucode string, opts *ListOptions) iter.Seq2[Offer, error] {
	return paginate(ctx, opts, func(ctx context.Context, o *ListOptions) (*Page[Offer], error) {
		return s.Offers(ctx, ucode, o)
	})
}

// Plans returns one page of a product's plans. Hotmart answers 400
// invalid_parameter for a product without plans.
func (s *ProductsService) Plans(ctx context.Context, ucode string, opts *ListOptions) (*Page[Plan], error) {
	return productPage[Plan](ctx, s, "Products.Plans", ucode, "/plans", opts)
}

// AllPlans iterates over every plan of a product.
func (s *ProductsService) AllPlans(ctx context.Context, ucode string, opts *ListOptions) iter.Seq2[Plan, error] {
	return paginate(ctx, opts, func(ctx context.Context, o *ListOptions) (*Page[Plan], error) {
		return s.Plans(ctx, ucode, o)
	})
}

func productPage[T any](ctx context.Context, s *ProductsService, method, ucode, suffix string, opts *ListOptions) (*Page[T], error) {
	if ucode == "" {
		return nil, errEmpty(method, "product ucode")
	}
	return getPage[T](ctx, s.c, productsAPI+"/products/"+pathEscape(ucode)+suffix, opts)
}
