package hotmart

import "encoding/json"

// PurchaseData is the data section shared by the nine purchase events
// (PURCHASE_APPROVED, _COMPLETE, _CANCELED, _BILLET_PRINTED, _PROTEST,
// _REFUNDED, _CHARGEBACK, _EXPIRED, _DELAYED). Every field is optional in
// practice: what a body does not carry stays at its zero value.
type PurchaseData struct {
	Product      Product               `json:"product"`
	Affiliates   []Affiliate           `json:"affiliates"`
	Buyer        PurchaseBuyer         `json:"buyer"`
	Producer     Producer              `json:"producer"`
	Commissions  []Commission          `json:"commissions"`
	Purchase     Purchase              `json:"purchase"`
	Subscription *PurchaseSubscription `json:"subscription,omitempty"` // nil for one-off sales
	Shipping     *PurchaseShipping     `json:"shipping,omitempty"`     // nil for digital products
}

// Affiliate returns the sale's affiliate. Hotmart sends
// [{"affiliate_code":"","name":""}], [{"name":""}] or [] when there is none;
// all of these report false.
func (d *PurchaseData) Affiliate() (Affiliate, bool) {
	for _, a := range d.Affiliates {
		if a.Code != "" {
			return a, true
		}
	}
	return Affiliate{}, false
}

// Commission returns the first commission paid to source (compared in
// canonical form).
func (d *PurchaseData) Commission(source CommissionSource) (Commission, bool) {
	want := source.Canonical()
	for _, c := range d.Commissions {
		if c.Source.Canonical() == want {
			return c, true
		}
	}
	return Commission{}, false
}

// Product is the product block of purchase, cart and members-area events.
// Only purchase events carry the fields after Name.
type Product struct {
	ID                ID              `json:"id"`
	UCode             string          `json:"ucode,omitempty"`
	Name              string          `json:"name"`
	HasCoProduction   bool            `json:"has_co_production,omitempty"`
	WarrantyDate      Time            `json:"warranty_date"`
	SupportEmail      string          `json:"support_email,omitempty"`
	IsPhysicalProduct bool            `json:"is_physical_product,omitempty"`
	Content           *ProductContent `json:"content,omitempty"` // bundles only
}

// ProductContent lists the products inside a bundle.
type ProductContent struct {
	HasPhysicalProducts bool             `json:"has_physical_products"`
	Products            []BundledProduct `json:"products"`
}

// BundledProduct is one product of a bundle.
type BundledProduct struct {
	ID                ID     `json:"id"`
	UCode             string `json:"ucode"`
	Name              string `json:"name"`
	IsPhysicalProduct bool   `json:"is_physical_product"`
}

// Affiliate is one entry of data.affiliates.
type Affiliate struct {
	Code string `json:"affiliate_code"`
	Name string `json:"name"`
}

// PurchaseBuyer is data.buyer in purchase events: only what the checkout
// collected.
type PurchaseBuyer struct {
	Email             string       `json:"email"`
	Name              string       `json:"name"`
	FirstName         string       `json:"first_name,omitempty"`
	LastName          string       `json:"last_name,omitempty"`
	CheckoutPhone     string       `json:"checkout_phone,omitempty"`      // includes the country code for non-BR numbers
	CheckoutPhoneCode string       `json:"checkout_phone_code,omitempty"` // Brazilian area code (DDD)
	Document          string       `json:"document,omitempty"`
	DocumentType      DocumentType `json:"document_type,omitempty"`
	Address           Address      `json:"address"`
}

// Address is a postal address. Purchase buyers spell the postcode "zipcode",
// order fulfillment "zip_code"; both land in Zipcode. (Address itself reads
// "zipcode"; the fulfillment types that contain one read "zip_code" into it,
// which keeps the hot purchase path free of a custom decoder.)
type Address struct {
	CountryISO   string `json:"country_iso,omitempty"`
	Country      string `json:"country,omitempty"`
	Zipcode      string `json:"zipcode,omitempty"`
	State        string `json:"state,omitempty"`
	City         string `json:"city,omitempty"`
	Neighborhood string `json:"neighborhood,omitempty"`
	Address      string `json:"address,omitempty"` // street line
	Street       string `json:"street,omitempty"`  // documented alternative name for the street line
	Complement   string `json:"complement,omitempty"`
	Number       string `json:"number,omitempty"`
}

// Producer is data.producer.
type Producer struct {
	Name        string `json:"name"`
	Document    string `json:"document,omitempty"`
	LegalNature string `json:"legal_nature,omitempty"` // "Pessoa Física" or "Pessoa Jurídica"
}

// Commission is one entry of data.commissions.
type Commission struct {
	Value              Decimal             `json:"value"`
	Currency           string              `json:"currency_value,omitempty"`
	Source             CommissionSource    `json:"source"`
	CurrencyConversion *CurrencyConversion `json:"currency_conversion,omitempty"`
}

// Money returns the commission as an amount with its currency.
func (c Commission) Money() Money { return Money{Value: c.Value, Currency: c.Currency} }

// CurrencyConversion is set when a commission was converted to another
// currency.
type CurrencyConversion struct {
	ConvertedValue      Decimal `json:"converted_value"`
	ConvertedToCurrency string  `json:"converted_to_currency"`
	ConversionRate      Decimal `json:"conversion_rate"`
}

// Purchase is data.purchase.
type Purchase struct {
	Transaction                      string         `json:"transaction"`
	Status                           PurchaseStatus `json:"status"`
	OrderDate                        Time           `json:"order_date"`
	ApprovedDate                     Time           `json:"approved_date"` // zero before payment
	DateNextCharge                   Time           `json:"date_next_charge"`
	FullPrice                        Money          `json:"full_price"`
	OriginalOfferPrice               Money          `json:"original_offer_price"`
	Price                            Money          `json:"price"`
	Offer                            Offer          `json:"offer"`
	RecurrenceNumber                 int            `json:"recurrence_number,omitempty"`
	SubscriptionAnticipationPurchase bool           `json:"subscription_anticipation_purchase,omitempty"`
	Origin                           Origin         `json:"origin"`
	CheckoutCountry                  Country        `json:"checkout_country"`
	OrderBump                        OrderBump      `json:"order_bump"`
	Payment                          Payment        `json:"payment"`
	InvoiceBy                        string         `json:"invoice_by,omitempty"`
	IsFunnel                         bool           `json:"is_funnel,omitempty"`
	EventTickets                     EventTickets   `json:"event_tickets"`
	BusinessModel                    string         `json:"business_model,omitempty"`
	Variants                         *Variants      `json:"variants,omitempty"`
	SckPaymentLink                   string         `json:"sckPaymentLink,omitempty"` // camelCase as sent
	BuyerIP                          string         `json:"buyer_ip,omitempty"`
}

// Offer identifies the offer bought. SWITCH_PLAN calls the offer code "key";
// it is decoded into Key, and ID returns whichever is set.
type Offer struct {
	Code        string `json:"code,omitempty"`
	Key         string `json:"key,omitempty"`
	CouponCode  string `json:"coupon_code,omitempty"` // "" when null or absent
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Metadata was added to purchase bodies in 2026 with no documented
	// shape; it is kept as raw JSON.
	Metadata json.RawMessage `json:"metadata,omitempty"`
}

// ID returns the offer code, or the key where only that was sent.
func (o Offer) ID() string {
	if o.Code != "" {
		return o.Code
	}
	return o.Key
}

// Origin carries the tracking parameters of the sale.
type Origin struct {
	Src  string `json:"src,omitempty"`
	Sck  string `json:"sck,omitempty"`
	Xcod string `json:"xcod,omitempty"`
}

// Country is a checkout country. Hotmart sometimes sends {} for it.
type Country struct {
	Name string `json:"name,omitempty"`
	ISO  string `json:"iso,omitempty"`
}

// OrderBump describes whether the purchase is, or has, an order bump.
type OrderBump struct {
	IsOrderBump               bool   `json:"is_order_bump"`
	ParentPurchaseTransaction string `json:"parent_purchase_transaction,omitempty"`
}

// Payment is data.purchase.payment.
type Payment struct {
	Type               PaymentType `json:"type"`
	InstallmentsNumber int         `json:"installments_number,omitempty"`
	BilletURL          string      `json:"billet_url,omitempty"`
	BilletBarcode      string      `json:"billet_barcode,omitempty"`
	PixCode            string      `json:"pix_code,omitempty"`
	PixQRCode          string      `json:"pix_qrcode,omitempty"`
	PixExpirationDate  Time        `json:"pix_expiration_date"`
	RefusalReason      string      `json:"refusal_reason,omitempty"`
}

// EventTickets is data.purchase.event_tickets. Test sends put a millisecond
// timestamp in Amount, hence int64.
type EventTickets struct {
	Amount int64 `json:"amount,omitempty"`
}

// Variants describes the chosen variation of a product with variations.
type Variants struct {
	SKU        string      `json:"sku,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
}

// Attribute is a name/value pair of a product variation.
type Attribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// PurchaseSubscription is data.subscription on purchase events of
// subscription products.
type PurchaseSubscription struct {
	Status     SubscriptionStatus `json:"status"`
	Plan       Plan               `json:"plan"`
	Subscriber SubscriberRef      `json:"subscriber"`
}

// Plan is a subscription plan.
type Plan struct {
	ID    ID     `json:"id"`
	Name  string `json:"name"`
	Offer *Offer `json:"offer,omitempty"`
}

// SubscriberRef carries a subscriber code, which is per buyer per product.
type SubscriberRef struct {
	Code ID `json:"code"`
}

// PurchaseShipping is data.shipping on physical-product purchases.
type PurchaseShipping struct {
	Cost                  Money   `json:"cost"`
	EstimatedDeliveryDays int     `json:"estimated_delivery_days,omitempty"`
	Carrier               Carrier `json:"carrier"`
	Fulfillment           struct {
		Service string `json:"service,omitempty"`
	} `json:"fulfillment"`
}

// Carrier names a shipping carrier (CORREIOS) and its service (SEDEX, PAC)
// or code.
type Carrier struct {
	Name    string `json:"name,omitempty"`
	Service string `json:"service,omitempty"`
	Code    string `json:"code,omitempty"`
}
