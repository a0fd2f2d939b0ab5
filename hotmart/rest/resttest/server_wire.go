package resttest

import (
	"strconv"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

// Wire shapes: what Hotmart puts on the wire (dates as epoch ms, ids as
// numbers), as opposed to the decoded hotmart types.

type wireAmount struct {
	Value        hotmart.Decimal `json:"value"`
	CurrencyCode string          `json:"currency_code"`
}

type wireSale struct {
	Product struct {
		Name string `json:"name"`
		ID   int64  `json:"id"`
	} `json:"product"`
	Buyer struct {
		Name  string `json:"name"`
		Ucode string `json:"ucode"`
		Email string `json:"email"`
	} `json:"buyer"`
	Producer struct {
		Name  string `json:"name"`
		Ucode string `json:"ucode"`
	} `json:"producer"`
	Purchase struct {
		Transaction      string     `json:"transaction"`
		OrderDate        int64      `json:"order_date"`
		ApprovedDate     *int64     `json:"approved_date,omitempty"`
		Status           string     `json:"status"`
		RecurrencyNumber int32      `json:"recurrency_number,omitempty"`
		IsSubscription   bool       `json:"is_subscription"`
		CommissionAs     string     `json:"commission_as"`
		Price            wireAmount `json:"price"`
		Payment          struct {
			Method             string `json:"method"`
			InstallmentsNumber int    `json:"installments_number"`
			Type               string `json:"type"`
		} `json:"payment"`
		Tracking struct {
			SourceSCK    string `json:"source_sck"`
			Source       string `json:"source"`
			ExternalCode string `json:"external_code"`
		} `json:"tracking"`
		WarrantyExpireDate *int64 `json:"warranty_expire_date,omitempty"`
		Offer              struct {
			PaymentMode string `json:"payment_mode"`
			Code        string `json:"code"`
		} `json:"offer"`
		HotmartFee struct {
			Total        hotmart.Decimal `json:"total"`
			Fixed        hotmart.Decimal `json:"fixed"`
			CurrencyCode string          `json:"currency_code"`
			Base         hotmart.Decimal `json:"base"`
			Percentage   hotmart.Decimal `json:"percentage"`
		} `json:"hotmart_fee"`
	} `json:"purchase"`
}

func msPtr(t hotmart.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	ms := t.UnixMilli()
	return &ms
}

func idNum(id hotmart.ID) int64 {
	n, _ := strconv.ParseInt(string(id), 10, 64)
	return n
}

func toWireSale(s rest.Sale) wireSale {
	var w wireSale
	w.Product.Name, w.Product.ID = s.Product.Name, idNum(s.Product.ID)
	w.Buyer.Name, w.Buyer.Ucode, w.Buyer.Email = s.Buyer.Name, s.Buyer.Ucode, s.Buyer.Email
	w.Producer.Name, w.Producer.Ucode = s.Producer.Name, s.Producer.Ucode
	p, wp := &s.Purchase, &w.Purchase
	wp.Transaction = p.Transaction
	wp.OrderDate = p.OrderDate.UnixMilli()
	wp.ApprovedDate = msPtr(p.ApprovedDate)
	wp.Status = string(p.Status)
	wp.RecurrencyNumber = int32(p.RecurrencyNumber)
	wp.IsSubscription = p.IsSubscription
	wp.CommissionAs = p.CommissionAs
	wp.Price = wireAmount(p.Price)
	wp.Payment.Method, wp.Payment.InstallmentsNumber, wp.Payment.Type = p.Payment.Method, p.Payment.InstallmentsNumber, string(p.Payment.Type)
	wp.WarrantyExpireDate = msPtr(p.WarrantyExpireDate)
	wp.Offer.PaymentMode, wp.Offer.Code = p.Offer.PaymentMode, p.Offer.Code
	f := p.HotmartFee
	wp.HotmartFee.Total, wp.HotmartFee.Fixed, wp.HotmartFee.CurrencyCode, wp.HotmartFee.Base, wp.HotmartFee.Percentage = f.Total, f.Fixed, f.CurrencyCode, f.Base, f.Percentage
	return w
}

type wireSubscription struct {
	SubscriberCode string `json:"subscriber_code"`
	SubscriptionID int64  `json:"subscription_id"`
	Status         string `json:"status"`
	AccessionDate  int64  `json:"accession_date"`
	DateNextCharge *int64 `json:"date_next_charge,omitempty"`
	Trial          bool   `json:"trial"`
	Transaction    string `json:"transaction"`
	Plan           struct {
		Name             string `json:"name"`
		ID               int64  `json:"id"`
		RecurrencyPeriod int    `json:"recurrency_period"`
	} `json:"plan"`
	Product struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Ucode string `json:"ucode"`
	} `json:"product"`
	Price      wireAmount `json:"price"`
	Subscriber struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Ucode string `json:"ucode"`
	} `json:"subscriber"`
}

func toWireSubscription(s rest.Subscription) wireSubscription {
	var w wireSubscription
	w.SubscriberCode, w.SubscriptionID, w.Status = s.SubscriberCode, idNum(s.SubscriptionID), string(s.Status)
	w.AccessionDate = s.AccessionDate.UnixMilli()
	w.DateNextCharge = msPtr(s.DateNextCharge)
	w.Transaction = s.Transaction
	w.Plan.Name, w.Plan.ID, w.Plan.RecurrencyPeriod = s.Plan.Name, idNum(s.Plan.ID), s.Plan.RecurrencyPeriod
	w.Product.ID, w.Product.Name, w.Product.Ucode = idNum(s.Product.ID), s.Product.Name, s.Product.Ucode
	w.Price = wireAmount(s.Price)
	w.Subscriber.Name, w.Subscriber.Email, w.Subscriber.Ucode = s.Subscriber.Name, s.Subscriber.Email, s.Subscriber.Ucode
	return w
}

// wireSubTransaction is a subset of a /subscriptions/transactions row.
type wireSubTransaction struct {
	SubscriptionID int64  `json:"subscription_id"`
	SubscriberCode string `json:"subscriber_code"`
	Status         string `json:"status"`
	BillingType    string `json:"billing_type"`
	AdoptionDate   int64  `json:"adoption_date"`
	Product        struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"product"`
	Recurrency struct {
		Status string `json:"status"`
		Number int32  `json:"number"`
	} `json:"recurrency"`
	Purchase struct {
		Transaction  string `json:"transaction"`
		OrderDate    int64  `json:"order_date"`
		ApprovedDate *int64 `json:"approved_date,omitempty"`
		Status       string `json:"status"`
		Payment      struct {
			PaymentType string `json:"payment_type"`
		} `json:"payment"`
		Price struct {
			Currency string          `json:"currency"`
			Value    hotmart.Decimal `json:"value"`
		} `json:"price"`
	} `json:"purchase"`
	Subscriber struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"subscriber"`
}
