package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
	"net/http"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// SubscriptionsService reads and manages subscriptions:
// /payments/api/v1/subscriptions/*.
type SubscriptionsService service

// AllSubscriptionStatuses lists every status GET /subscriptions accepts.
var AllSubscriptionStatuses = []hotmart.SubscriptionStatus{
	"ACTIVE", "INACTIVE", "DELAYED", "CANCELLED_BY_CUSTOMER", "CANCELLED_BY_SELLER",
	"CANCELLED_BY_ADMIN", "STARTED", "OVERDUE",
}

// SubscriptionListOptions are the query parameters of GET /subscriptions.
// Hotmart defaults accession_date and cancelation_date to the last 30 days
// when they are not given.
type SubscriptionListOptions struct {
	ListOptions
	ProductID          string                       `url:"product_id,omitempty"`
	Plan               []string                     `url:"plan,omitempty"` // plan names, repeated key
	PlanID             string                       `url:"plan_id,omitempty"`
	AccessionDate      time.Time                    `url:"accession_date,omitempty,epochms"`
	EndAccessionDate   time.Time                    `url:"end_accession_date,omitempty,epochms"`
	Status             []hotmart.SubscriptionStatus `url:"status,omitempty"` // repeated key
	SubscriberCode     string                       `url:"subscriber_code,omitempty"`
	SubscriberEmail    string                       `url:"subscriber_email,omitempty"`
	Transaction        string                       `url:"transaction,omitempty"`
	Trial              *bool                        `url:"trial,omitempty"`
	CancelationDate    time.Time                    `url:"cancelation_date,omitempty,epochms"`
	EndCancelationDate time.Time                    `url:"end_cancelation_date,omitempty,epochms"`
	DateNextCharge     time.Time                    `url:"date_next_charge,omitempty,epochms"`
	EndDateNextCharge  time.Time                    `url:"end_date_next_charge,omitempty,epochms"`
	Select             []string                     `url:"select,omitempty,comma"`
}

// Subscription is one item of GET /subscriptions.
type Subscription struct {
	SubscriberCode   string                     `json:"subscriber_code"`
	SubscriptionID   hotmart.ID                 `json:"subscription_id"`
	Status           hotmart.SubscriptionStatus `json:"status"`
	AccessionDate    hotmart.Time               `json:"accession_date"`
	EndAccessionDate hotmart.Time               `json:"end_accession_date"`
	RequestDate      hotmart.Time               `json:"request_date"`
	DateNextCharge   hotmart.Time               `json:"date_next_charge"`
	Trial            bool                       `json:"trial"`
	Transaction      string                     `json:"transaction"`
	Plan             SubscriptionPlan           `json:"plan"`
	Product          SubscriptionProduct        `json:"product"`
	Price            Amount                     `json:"price"`
	Subscriber       SubscriptionPerson         `json:"subscriber"`
}

// SubscriptionPlan is the plan of a subscription.
type SubscriptionPlan struct {
	Name             string     `json:"name"`
	ID               hotmart.ID `json:"id,omitempty"`
	RecurrencyPeriod int        `json:"recurrency_period"` // days: 7, 30, 60, 90, 180, 360
	MaxChargeCycles  int        `json:"max_charge_cycles,omitempty"`
}

// SubscriptionProduct is the product subscribed to.
type SubscriptionProduct struct {
	ID    hotmart.ID `json:"id"`
	Name  string     `json:"name"`
	Ucode string     `json:"ucode,omitempty"`
}

// SubscriptionPerson is the subscriber.
type SubscriptionPerson struct {
	ID    hotmart.ID `json:"id,omitempty"`
	Name  string     `json:"name"`
	Email string     `json:"email"`
	Ucode string     `json:"ucode,omitempty"`
}

// List returns one page of GET /subscriptions.
func (s *SubscriptionsService) List(ctx context.Context, opts *SubscriptionListOptions) (*Page[Subscription], error) {
	return getPage[Subscription](ctx, s.c, paymentsAPI+"/subscriptions", opts)
}

// All iterates over every matching subscription.
func (s *SubscriptionsService) All(ctx context.Context, opts *SubscriptionListOptions) iter.Seq2[Subscription, error] {
	return paginate(ctx, opts, s.List)
}

// SubscriptionSummaryListOptions are the query parameters of GET /subscriptions/summary.
type SubscriptionSummaryListOptions struct {
	ListOptions
	ProductID        string    `url:"product_id,omitempty"`
	SubscriberCode   string    `url:"subscriber_code,omitempty"`
	AccessionDate    time.Time `url:"accession_date,omitempty,epochms"`
	EndAccessionDate time.Time `url:"end_accession_date,omitempty,epochms"`
	DateNextCharge   time.Time `url:"date_next_charge,omitempty,epochms"`
}

// SubscriptionSummary is one item of GET /subscriptions/summary (data up to
// 24 h behind).
type SubscriptionSummary struct {
	SubscriberCode   string                     `json:"subscriber_code"`
	SubscriptionID   hotmart.ID                 `json:"subscription_id"`
	Status           hotmart.SubscriptionStatus `json:"status"`
	Lifetime         int                        `json:"lifetime"` // days
	AccessionDate    hotmart.Time               `json:"accession_date"`
	EndAccessionDate hotmart.Time               `json:"end_accession_date"`
	Trial            bool                       `json:"trial"`
	Plan             SubscriptionPlan           `json:"plan"`
	Product          SubscriptionProduct        `json:"product"`
	Offer            struct {
		Code string `json:"code"`
	} `json:"offer"`
	LastRecurrency struct {
		Number            int          `json:"number"`
		RequestDate       hotmart.Time `json:"request_date"`
		Status            string       `json:"status"` // PAID, NOT_PAID, CLAIMED, REFUNDED, CHARGEBACK
		TransactionNumber string       `json:"transaction_number"`
		BillingType       string       `json:"billing_type"`
	} `json:"last_recurrency"`
	UnpaidRecurrencies []struct {
		Number     int          `json:"number"`
		ChargeDate hotmart.Time `json:"charge_date"`
	} `json:"unpaid_recurrencies"`
	Subscriber SubscriptionPerson `json:"subscriber"`
}

// Summary returns one page of GET /subscriptions/summary.
func (s *SubscriptionsService) Summary(ctx context.Context, opts *SubscriptionSummaryListOptions) (*Page[SubscriptionSummary], error) {
	return getPage[SubscriptionSummary](ctx, s.c, paymentsAPI+"/subscriptions/summary", opts)
}

// AllSummaries iterates over every subscription summary.
func (s *SubscriptionsService) AllSummaries(ctx context.Context, opts *SubscriptionSummaryListOptions) iter.Seq2[SubscriptionSummary, error] {
	return paginate(ctx, opts, s.Summary)
}

// SubscriptionTransactionListOptions are the query parameters of
// GET /subscriptions/transactions. The transaction-date window defaults to
// the last 30 days on the server.
type SubscriptionTransactionListOptions struct {
	ListOptions
	ProductID           string                       `url:"product_id,omitempty"`
	Transaction         string                       `url:"transaction,omitempty"`
	SubscriberName      string                       `url:"subscriber_name,omitempty"`
	SubscriberEmail     string                       `url:"subscriber_email,omitempty"`
	SubscriberCode      string                       `url:"subscriber_code,omitempty"`
	BillingType         string                       `url:"billing_type,omitempty"`
	SubscriptionStatus  []hotmart.SubscriptionStatus `url:"subscription_status,omitempty"`
	RecurrencyStatus    []string                     `url:"recurrency_status,omitempty"`
	PurchaseStatus      []hotmart.PurchaseStatus     `url:"purchase_status,omitempty"`
	TransactionDate     time.Time                    `url:"transaction_date,omitempty,epochms"`
	EndTransactionDate  time.Time                    `url:"end_transaction_date,omitempty,epochms"`
	OfferCode           string                       `url:"offer_code,omitempty"`
	PurchasePaymentType hotmart.PaymentType          `url:"purchase_payment_type,omitempty"`
}

// SubscriptionTransaction is one charge of a subscription (GET
// /subscriptions/transactions).
type SubscriptionTransaction struct {
	SubscriptionID          hotmart.ID                 `json:"subscription_id"`
	LastUpdate              hotmart.Time               `json:"last_update"`
	SubscriberCode          string                     `json:"subscriber_code"`
	Status                  hotmart.SubscriptionStatus `json:"status"`
	BillingType             string                     `json:"billing_type"`
	AdoptionDate            hotmart.Time               `json:"adoption_date"`
	DateNextCharge          hotmart.Time               `json:"date_next_charge"`
	LastRecurrencyStartDate hotmart.Time               `json:"last_recurrency_start_date"`
	CancellationDate        hotmart.Time               `json:"cancellation_date"`
	MaxCycles               int                        `json:"max_cycles"`
	LastRecurrencyNumber    int                        `json:"last_recurrency_number"`
	HasUnpaidRecurrency     bool                       `json:"has_unpaid_recurrency"`
	HasCreditCardChange     bool                       `json:"has_credit_card_change"`
	IsPaidAnticipation      bool                       `json:"is_paid_anticipation"`
	IsPaidNegotiation       bool                       `json:"is_paid_negotiation"`
	Product                 SubscriptionProduct        `json:"product"`
	TrialInfo               struct {
		Trial       bool         `json:"trial"`
		TrialPeriod int          `json:"trial_period"`
		TrialEnd    hotmart.Time `json:"trial_end"`
	} `json:"trial_info"`
	Plan struct {
		Name             string `json:"name"`
		RecurrencyPeriod int    `json:"recurrency_period"`
		RecurrencyType   string `json:"recurrency_type"`
		CouponCode       string `json:"coupon_code"`
		Offer            struct {
			Code        string `json:"code"`
			Description string `json:"description"`
			Key         string `json:"key"`
		} `json:"offer"`
	} `json:"plan"`
	Recurrency struct {
		Status              string       `json:"status"`
		Number              int          `json:"number"`
		StartDatetime       hotmart.Time `json:"start_datetime"`
		TransactionType     string       `json:"transaction_type"`
		NumberList          string       `json:"number_list"` // "3, 4"
		TransactionSequence int          `json:"transaction_sequence"`
		IsCurrentPurchase   bool         `json:"is_current_purchase"`
		HasRetry            bool         `json:"has_retry"`
		ScheduledRetry      bool         `json:"scheduled_retry"`
	} `json:"recurrency"`
	Purchase struct {
		Transaction  string                 `json:"transaction"`
		OrderDate    hotmart.Time           `json:"order_date"`
		ApprovedDate hotmart.Time           `json:"approved_date"`
		Status       hotmart.PurchaseStatus `json:"status"`
		Payment      struct {
			PaymentType          hotmart.PaymentType `json:"payment_type"`
			CreditCardFlag       string              `json:"credit_card_flag"`
			RefusalMessage       string              `json:"refusal_message"`
			RefundChargebackDate hotmart.Time        `json:"refund_chargeback_date"`
		} `json:"payment"`
		Installment struct {
			InstallmentType   string `json:"installment_type"`
			InstallmentNumber int    `json:"installment_number"`
		} `json:"installment"`
		Price struct {
			Currency   string          `json:"currency"`
			Value      hotmart.Decimal `json:"value"`
			TotalValue hotmart.Decimal `json:"total_value"`
		} `json:"price"`
	} `json:"purchase"`
	Subscriber SubscriptionPerson `json:"subscriber"`
}

// Transactions returns one page of GET /subscriptions/transactions.
func (s *SubscriptionsService) Transactions(ctx context.Context, opts *SubscriptionTransactionListOptions) (*Page[SubscriptionTransaction], error) {
	return getPage[SubscriptionTransaction](ctx, s.c, paymentsAPI+"/subscriptions/transactions", opts)
}

// AllTransactions iterates over every matching subscription charge.
func (s *SubscriptionsService) AllTransactions(ctx context.Context, opts *SubscriptionTransactionListOptions) iter.Seq2[SubscriptionTransaction, error] {
	return paginate(ctx, opts, s.Transactions)
}

// SubscriptionPurchase is one charge in GET /subscriptions/{code}/purchases.
type SubscriptionPurchase struct {
	Transaction          string                 `json:"transaction"`
	ApprovedDate         hotmart.Time           `json:"approved_date"`
	PaymentEngine        string                 `json:"payment_engine"`
	Status               hotmart.PurchaseStatus `json:"status"`
	Price                Amount                 `json:"price"`
	PaymentType          hotmart.PaymentType    `json:"payment_type"`
	PaymentMethod        string                 `json:"payment_method"`
	RecurrencyNumber     int                    `json:"recurrency_number"`
	UnderWarranty        bool                   `json:"under_warranty"`
	PurchaseSubscription bool                   `json:"purchase_subscription"`
}

// Purchases returns every charge of one subscription (the endpoint answers
// a bare array, without pagination).
func (s *SubscriptionsService) Purchases(ctx context.Context, subscriberCode string) ([]SubscriptionPurchase, error) {
	if subscriberCode == "" {
		return nil, errEmpty("Subscriptions.Purchases", "subscriber code")
	}
	var out []SubscriptionPurchase
	if err := s.c.get(ctx, paymentsAPI+"/subscriptions/"+pathEscape(subscriberCode)+"/purchases", nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// SubscriptionChange is the state of a subscription after a cancel or
// reactivate call. Its dates come as "YYYY-MM-DD hh:mm:ss" strings.
type SubscriptionChange struct {
	Status                     string       `json:"status"` // ACTIVE or INACTIVE
	SubscriberCode             string       `json:"subscriber_code"`
	CreationDate               hotmart.Time `json:"creation_date"`
	CurrentRecurrence          int          `json:"current_recurrence"`
	DateLastRecurrence         hotmart.ID   `json:"date_last_recurrence"` // a date string or, in captured samples, a number
	DateNextCharge             hotmart.Time `json:"date_next_charge"`
	DueDay                     int          `json:"due_day"`
	TrialPeriod                hotmart.ID   `json:"trial_period"` // number or numeric string
	IntervalTypeBetweenCharges string       `json:"interval_type_between_charges"`
	IntervalBetweenCharges     int          `json:"interval_between_charges"`
	MaxChargeCycles            int          `json:"max_charge_cycles"` // 0 = unlimited
	ActivationDate             hotmart.Time `json:"activation_date"`
	Shopper                    struct {
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"shopper"`
	Error string `json:"error,omitempty"` // set on failures of bulk calls
}

// SubscriptionBulkResult is the answer of a bulk cancel or reactivate.
type SubscriptionBulkResult struct {
	Succeeded []SubscriptionChange `json:"success_subscriptions"`
	Failed    []SubscriptionChange `json:"fail_subscriptions"` // Error says why
}

// Cancel cancels one subscription; sendMail tells Hotmart to e-mail the
// subscriber. Not retried automatically (no idempotency key exists).
func (s *SubscriptionsService) Cancel(ctx context.Context, subscriberCode string, sendMail bool) (*SubscriptionChange, error) {
	if subscriberCode == "" {
		return nil, errEmpty("Subscriptions.Cancel", "subscriber code")
	}
	var out SubscriptionChange
	err := s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: paymentsAPI + "/subscriptions/" + pathEscape(subscriberCode) + "/cancel",
		JSON: map[string]bool{"send_mail": sendMail}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelMany cancels several subscriptions in one call.
func (s *SubscriptionsService) CancelMany(ctx context.Context, subscriberCodes []string, sendMail bool) (*SubscriptionBulkResult, error) {
	if len(subscriberCodes) == 0 {
		return nil, errEmpty("Subscriptions.CancelMany", "subscriber codes")
	}
	var out SubscriptionBulkResult
	err := s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: paymentsAPI + "/subscriptions/cancel",
		JSON: struct {
			Codes    []string `json:"subscriber_code"`
			SendMail bool     `json:"send_mail"`
		}{subscriberCodes, sendMail}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Reactivate asks to reactivate one subscription; charge bills the
// subscriber at once. The status stays INACTIVE until the subscriber
// accepts the e-mailed link.
func (s *SubscriptionsService) Reactivate(ctx context.Context, subscriberCode string, charge bool) (*SubscriptionChange, error) {
	if subscriberCode == "" {
		return nil, errEmpty("Subscriptions.Reactivate", "subscriber code")
	}
	var out SubscriptionChange
	err := s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: paymentsAPI + "/subscriptions/" + pathEscape(subscriberCode) + "/reactivate",
		JSON: map[string]bool{"charge": charge}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ReactivateMany reactivates several subscriptions in one call.
func (s *SubscriptionsService) ReactivateMany(ctx context.Context, subscriberCodes []string, charge bool) (*SubscriptionBulkResult, error) {
	if len(subscriberCodes) == 0 {
		return nil, errEmpty("Subscriptions.ReactivateMany", "subscriber codes")
	}
	var out SubscriptionBulkResult
	err := s.c.call(ctx, httpx.Request{Method: http.MethodPost, Path: paymentsAPI + "/subscriptions/reactivate",
		JSON: struct {
			Codes  []string `json:"subscriber_code"`
			Charge bool     `json:"charge"`
		}{subscriberCodes, charge}}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ChangeDueDay moves the subscription's monthly charge day (1–31). Only
// ACTIVE or DELAYED subscriptions outside their trial qualify; the change
// applies after the next scheduled charge.
func (s *SubscriptionsService) ChangeDueDay(ctx context.Context, subscriberCode string, dueDay int) error {
	if subscriberCode == "" {
		return errEmpty("Subscriptions.ChangeDueDay", "subscriber code")
	}
	if dueDay < 1 || dueDay > 31 {
		return &ArgumentError{Method: "Subscriptions.ChangeDueDay", Arg: "due day", Reason: "must be between 1 and 31"}
	}
	return s.c.call(ctx, httpx.Request{Method: http.MethodPatch, Path: paymentsAPI + "/subscriptions/" + pathEscape(subscriberCode),
		JSON: map[string]int{"due_day": dueDay}, Idempotent: true}, nil)
}
