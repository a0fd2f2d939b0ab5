package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
	"net/http"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

const paymentsAPI = "/payments/api/v1"

// SalesService reads sales (transactions) and refunds them:
// /payments/api/v1/sales/*.
type SalesService service

// AllSaleStatuses lists every transaction status the sales endpoints know.
// Pass it as TransactionStatus to see every sale: without a status filter
// Hotmart returns only APPROVED and COMPLETE ones.
var AllSaleStatuses = []hotmart.PurchaseStatus{
	hotmart.StatusApproved, hotmart.StatusBlocked, hotmart.StatusCancelled, hotmart.StatusChargeback, hotmart.StatusComplete,
	hotmart.StatusExpired, hotmart.StatusNoFunds, hotmart.StatusOverdue, hotmart.StatusPartiallyRefunded, hotmart.StatusPreOrder,
	hotmart.StatusPrintedBillet, hotmart.StatusProcessingTransaction, hotmart.StatusProtested, hotmart.StatusRefunded,
	hotmart.StatusStarted, hotmart.StatusUnderAnalysis, hotmart.StatusWaitingPayment,
}

// Amount is a REST money object: {value, currency_code}. (Webhooks name
// the currency currency_value; see Money.)
type Amount struct {
	Value        hotmart.Decimal `json:"value"`
	CurrencyCode string          `json:"currency_code"`
}

// Money returns the amount as the webhook model's Money.
func (a Amount) Money() hotmart.Money { return hotmart.Money{Value: a.Value, Currency: a.CurrencyCode} }

// SalesFilter holds the filters shared by the sales endpoints.
type SalesFilter struct {
	ProductID         string                   `url:"product_id,omitempty"`
	StartDate         time.Time                `url:"start_date,omitempty,epochms"` // sent as epoch ms
	EndDate           time.Time                `url:"end_date,omitempty,epochms"`
	Transaction       string                   `url:"transaction,omitempty"`
	TransactionStatus []hotmart.PurchaseStatus `url:"transaction_status,omitempty"` // repeated key; empty = APPROVED and COMPLETE only (server default)
}

// SalesHistoryListOptions are the query parameters of GET /sales/history.
type SalesHistoryListOptions struct {
	ListOptions
	SalesFilter
	SalesSource  string              `url:"sales_source,omitempty"`
	BuyerName    string              `url:"buyer_name,omitempty"`
	BuyerEmail   string              `url:"buyer_email,omitempty"`
	PaymentType  hotmart.PaymentType `url:"payment_type,omitempty"`
	OfferCode    string              `url:"offer_code,omitempty"`
	CommissionAs string              `url:"commission_as,omitempty"` // PRODUCER, COPRODUCER or AFFILIATE
	Select       []string            `url:"select,omitempty,comma"`  // sparse response: fields inside items, e.g. "purchase.transaction"
}

// Sale is one item of the sales history.
type Sale struct {
	Product  SaleProduct  `json:"product"`
	Buyer    SaleUser     `json:"buyer"`
	Producer SaleUser     `json:"producer"`
	Purchase SalePurchase `json:"purchase"`
}

// SaleProduct identifies the product sold.
type SaleProduct struct {
	ID   hotmart.ID `json:"id"`
	Name string     `json:"name"`
}

// SaleUser is a buyer, producer or commission receiver.
type SaleUser struct {
	Name  string `json:"name"`
	Ucode string `json:"ucode"`
	Email string `json:"email,omitempty"`
}

// SalePurchase is the transaction itself.
type SalePurchase struct {
	Transaction        string                 `json:"transaction"`
	OrderDate          hotmart.Time           `json:"order_date"`
	ApprovedDate       hotmart.Time           `json:"approved_date"`
	Status             hotmart.PurchaseStatus `json:"status"`
	RecurrencyNumber   int                    `json:"recurrency_number"` // REST spelling of recurrence_number
	IsSubscription     bool                   `json:"is_subscription"`
	CommissionAs       string                 `json:"commission_as"`
	Price              Amount                 `json:"price"`
	Payment            SalePayment            `json:"payment"`
	Tracking           SaleTracking           `json:"tracking"`
	WarrantyExpireDate hotmart.Time           `json:"warranty_expire_date"`
	Offer              SaleOffer              `json:"offer"`
	HotmartFee         SaleFee                `json:"hotmart_fee"`
}

// SalePayment is how the buyer paid.
type SalePayment struct {
	Method             string              `json:"method"`
	InstallmentsNumber int                 `json:"installments_number"`
	Type               hotmart.PaymentType `json:"type"`
}

// SaleTracking carries the checkout's tracking parameters.
type SaleTracking struct {
	SourceSCK    string `json:"source_sck"`
	Source       string `json:"source"`
	ExternalCode string `json:"external_code"`
}

// SaleOffer is the offer the sale went through.
type SaleOffer struct {
	PaymentMode string `json:"payment_mode"`
	Code        string `json:"code"`
}

// SaleFee is Hotmart's fee on the sale.
type SaleFee struct {
	Total        hotmart.Decimal `json:"total"`
	Fixed        hotmart.Decimal `json:"fixed"`
	CurrencyCode string          `json:"currency_code"`
	Base         hotmart.Decimal `json:"base"`
	Percentage   hotmart.Decimal `json:"percentage"`
}

// History returns one page of GET /sales/history.
func (s *SalesService) History(ctx context.Context, opts *SalesHistoryListOptions) (*Page[Sale], error) {
	return getPage[Sale](ctx, s.c, paymentsAPI+"/sales/history", opts)
}

// All iterates over every sale matching opts, page after page.
func (s *SalesService) All(ctx context.Context, opts *SalesHistoryListOptions) iter.Seq2[Sale, error] {
	return paginate(ctx, opts, s.History)
}

// SalesSummaryListOptions are the query parameters of GET /sales/summary.
type SalesSummaryListOptions struct {
	ListOptions
	SalesFilter
	SalesSource   string              `url:"sales_source,omitempty"`
	AffiliateName string              `url:"affiliate_name,omitempty"`
	PaymentType   hotmart.PaymentType `url:"payment_type,omitempty"`
	OfferCode     string              `url:"offer_code,omitempty"`
}

// SalesSummary is the total of the matching sales in one currency.
type SalesSummary struct {
	TotalItems int    `json:"total_items"`
	TotalValue Amount `json:"total_value"`
}

// Summary returns one page of GET /sales/summary (one item per currency).
func (s *SalesService) Summary(ctx context.Context, opts *SalesSummaryListOptions) (*Page[SalesSummary], error) {
	return getPage[SalesSummary](ctx, s.c, paymentsAPI+"/sales/summary", opts)
}

// AllSummaries iterates over every summary item.
func (s *SalesService) AllSummaries(ctx context.Context, opts *SalesSummaryListOptions) iter.Seq2[SalesSummary, error] {
	return paginate(ctx, opts, s.Summary)
}

// SalesUserListOptions are the query parameters of GET /sales/users.
type SalesUserListOptions struct {
	ListOptions
	SalesFilter
	BuyerEmail    string `url:"buyer_email,omitempty"`
	BuyerName     string `url:"buyer_name,omitempty"`
	AffiliateName string `url:"affiliate_name,omitempty"`
	CommissionAs  string `url:"commission_as,omitempty"`
}

// SaleParticipants lists the people involved in one sale.
type SaleParticipants struct {
	Transaction string            `json:"transaction"`
	Product     SaleProduct       `json:"product"`
	Users       []SaleParticipant `json:"users"`
}

// SaleParticipant is one person in a sale with their role.
type SaleParticipant struct {
	Role string              `json:"role"` // PRODUCER, AFFILIATE, COPRODUCER, BUYER
	User SaleParticipantUser `json:"user"`
}

// SaleParticipantUser is a participant's registration data.
type SaleParticipantUser struct {
	Ucode     string         `json:"ucode"`
	Locale    string         `json:"locale"`
	Name      string         `json:"name"`
	TradeName string         `json:"trade_name"`
	Cellphone string         `json:"cellphone"`
	Phone     string         `json:"phone"`
	Email     string         `json:"email"`
	Documents []SaleDocument `json:"documents"`
	Address   SaleAddress    `json:"address"`
}

// SaleDocument is a participant's document (CPF, CNPJ…).
type SaleDocument struct {
	Value string               `json:"value"`
	Type  hotmart.DocumentType `json:"type"`
}

// SaleAddress is a participant's address.
type SaleAddress struct {
	City         string `json:"city"`
	State        string `json:"state"`
	Country      string `json:"country"`
	ZipCode      string `json:"zip_code"`
	Address      string `json:"address"`
	Complement   string `json:"complement"`
	Neighborhood string `json:"neighborhood"`
	Number       string `json:"number"`
}

// Users returns one page of GET /sales/users (sale participants).
func (s *SalesService) Users(ctx context.Context, opts *SalesUserListOptions) (*Page[SaleParticipants], error) {
	return getPage[SaleParticipants](ctx, s.c, paymentsAPI+"/sales/users", opts)
}

// AllUsers iterates over the participants of every matching sale.
func (s *SalesService) AllUsers(ctx context.Context, opts *SalesUserListOptions) iter.Seq2[SaleParticipants, error] {
	return paginate(ctx, opts, s.Users)
}

// SalesCommissionListOptions are the query parameters of GET /sales/commissions.
type SalesCommissionListOptions struct {
	ListOptions
	SalesFilter
	CommissionAs string `url:"commission_as,omitempty"`
}

// SaleCommissions is the commission split of one sale.
type SaleCommissions struct {
	Transaction                string           `json:"transaction"`
	Product                    SaleProduct      `json:"product"`
	ExchangeRateCurrencyPayout hotmart.Decimal  `json:"exchange_rate_currency_payout"`
	Commissions                []SaleCommission `json:"commissions"`
}

// SaleCommission is what one user earned on a sale.
type SaleCommission struct {
	Commission struct {
		CurrencyValue string          `json:"currency_value"` // a currency code
		Value         hotmart.Decimal `json:"value"`
	} `json:"commission"`
	User   SaleUser                 `json:"user"`
	Source hotmart.CommissionSource `json:"source"`
}

// Commissions returns one page of GET /sales/commissions.
func (s *SalesService) Commissions(ctx context.Context, opts *SalesCommissionListOptions) (*Page[SaleCommissions], error) {
	return getPage[SaleCommissions](ctx, s.c, paymentsAPI+"/sales/commissions", opts)
}

// AllCommissions iterates over the commissions of every matching sale.
func (s *SalesService) AllCommissions(ctx context.Context, opts *SalesCommissionListOptions) iter.Seq2[SaleCommissions, error] {
	return paginate(ctx, opts, s.Commissions)
}

// SalesPriceDetailListOptions are the query parameters of GET /sales/price/details.
type SalesPriceDetailListOptions struct {
	ListOptions
	SalesFilter
	PaymentType hotmart.PaymentType `url:"payment_type,omitempty"`
}

// SalePriceDetails breaks a sale's price down.
type SalePriceDetails struct {
	Transaction string      `json:"transaction"`
	Product     SaleProduct `json:"product"`
	Base        Amount      `json:"base"`
	Total       Amount      `json:"total"`
	VAT         Amount      `json:"vat"`
	Fee         Amount      `json:"fee"`
	Coupon      struct {
		Code  string          `json:"code"`
		Value hotmart.Decimal `json:"value"`
	} `json:"coupon"`
	RealConversionRate hotmart.Decimal `json:"real_conversion_rate"`
}

// PriceDetails returns one page of GET /sales/price/details.
func (s *SalesService) PriceDetails(ctx context.Context, opts *SalesPriceDetailListOptions) (*Page[SalePriceDetails], error) {
	return getPage[SalePriceDetails](ctx, s.c, paymentsAPI+"/sales/price/details", opts)
}

// AllPriceDetails iterates over the price details of every matching sale.
func (s *SalesService) AllPriceDetails(ctx context.Context, opts *SalesPriceDetailListOptions) iter.Seq2[SalePriceDetails, error] {
	return paginate(ctx, opts, s.PriceDetails)
}

// Refund asks Hotmart to refund a sale (PUT /sales/{transaction}/refund).
// It is never retried automatically: no idempotency key exists, so after a
// network error check the sale's status before calling again.
func (s *SalesService) Refund(ctx context.Context, transaction string) error {
	if transaction == "" {
		return errEmpty("Refund", "transaction")
	}
	return s.c.call(ctx, httpx.Request{Method: http.MethodPut, Path: paymentsAPI + "/sales/" + pathEscape(transaction) + "/refund"}, nil)
}
