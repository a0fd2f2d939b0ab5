package hotmart

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Data shapes of the events outside the purchase family.

// CartAbandonmentData is the data of PURCHASE_OUT_OF_SHOPPING_CART. Hotmart
// checks for abandoned checkouts every 30 minutes and only reports buyers who
// typed a name or e-mail.
type CartAbandonmentData struct {
	// Affiliate tells whether the checkout came through an affiliate (a
	// boolean here, unlike the affiliates array of purchases).
	Affiliate       bool      `json:"affiliate"`
	Product         Product   `json:"product"`
	Buyer           CartBuyer `json:"buyer"`
	Offer           Offer     `json:"offer"`
	CheckoutCountry Country   `json:"checkout_country"` // at data level here, not under purchase
	BuyerIP         string    `json:"buyer_ip,omitempty"`
}

// CartBuyer is what the buyer typed before leaving the checkout.
type CartBuyer struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"` // includes the country code for non-BR numbers
}

// SubscriptionCancellationData is the data of SUBSCRIPTION_CANCELLATION.
type SubscriptionCancellationData struct {
	ActualRecurrenceValue Decimal               `json:"actual_recurrence_value"`
	CancellationDate      Time                  `json:"cancellation_date"`
	DateNextCharge        Time                  `json:"date_next_charge"` // when access should end
	Product               Product               `json:"product"`
	Subscriber            Subscriber            `json:"subscriber"`
	Subscription          CancelledSubscription `json:"subscription"`
}

// Subscriber identifies the person holding a subscription.
type Subscriber struct {
	Code  ID              `json:"code"`
	Name  string          `json:"name"`
	Email string          `json:"email"`
	Phone SubscriberPhone `json:"phone"`
}

// SubscriberPhone is the subscriber's phone block; Hotmart names its keys in
// camelCase and sends them all as "" when unknown.
type SubscriberPhone struct {
	DDDPhone string `json:"dddPhone,omitempty"`
	Phone    string `json:"phone,omitempty"`
	DDDCell  string `json:"dddCell,omitempty"`
	Cell     string `json:"cell,omitempty"`
}

// CancelledSubscription is data.subscription of SUBSCRIPTION_CANCELLATION.
type CancelledSubscription struct {
	ID   ID   `json:"id"`
	Plan Plan `json:"plan"`
}

// SwitchPlanData is the data of SWITCH_PLAN.
type SwitchPlanData struct {
	SwitchPlanDate Time                   `json:"switch_plan_date"`
	Subscription   SwitchPlanSubscription `json:"subscription"`
	Plans          []SwitchPlanEntry      `json:"plans"`
}

// CurrentPlan returns the plan marked current, which is the new plan.
func (d *SwitchPlanData) CurrentPlan() (SwitchPlanEntry, bool) {
	for _, p := range d.Plans {
		if p.Current {
			return p, true
		}
	}
	return SwitchPlanEntry{}, false
}

// PreviousPlan returns the first plan not marked current.
func (d *SwitchPlanData) PreviousPlan() (SwitchPlanEntry, bool) {
	for _, p := range d.Plans {
		if !p.Current {
			return p, true
		}
	}
	return SwitchPlanEntry{}, false
}

// SwitchPlanSubscription is data.subscription of SWITCH_PLAN.
type SwitchPlanSubscription struct {
	SubscriberCode ID                 `json:"subscriber_code"`
	Status         SubscriptionStatus `json:"status"`
	DateNextCharge Time               `json:"date_next_charge"`
	Product        Product            `json:"product"`
	User           User               `json:"user"`
}

// SwitchPlanEntry is one plan of SWITCH_PLAN's plans list. Its offer is
// named by "key", decoded into Offer.Key.
type SwitchPlanEntry struct {
	ID      ID     `json:"id"`
	Name    string `json:"name"`
	Offer   Offer  `json:"offer"`
	Current bool   `json:"current"`
}

// User is a members-area user or the user of a plan switch.
type User struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"`
}

// ChargeDateUpdateData is the data of UPDATE_SUBSCRIPTION_CHARGE_DATE.
type ChargeDateUpdateData struct {
	Subscriber   Subscriber             `json:"subscriber"`
	Subscription ChargeDateSubscription `json:"subscription"`
	Plan         Plan                   `json:"plan"`
}

// ChargeDateSubscription is data.subscription of
// UPDATE_SUBSCRIPTION_CHARGE_DATE. Hotmart's 2025 test sends spell its keys
// in camelCase (oldChargeDay, newChargeDay, dateNextCharge); both spellings
// are accepted. DateNextCharge is an ISO-8601 string here, not epoch ms.
type ChargeDateSubscription struct {
	Product        Product            `json:"product"`
	OldChargeDay   int                `json:"old_charge_day"`
	NewChargeDay   int                `json:"new_charge_day"`
	DateNextCharge Time               `json:"date_next_charge"`
	Status         SubscriptionStatus `json:"status"`
}

// chargeDateWire is ChargeDateSubscription with the camelCase spellings.
type chargeDateWire struct {
	chargeDatePlain
	OldCamel  *int `json:"oldChargeDay"`
	NewCamel  *int `json:"newChargeDay"`
	NextCamel Time `json:"dateNextCharge"`
}

type chargeDatePlain ChargeDateSubscription

// UnmarshalJSONFrom accepts snake_case and camelCase keys.
func (s *ChargeDateSubscription) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w chargeDateWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	s.fold(&w)
	return nil
}

// UnmarshalJSON accepts snake_case and camelCase keys.
func (s *ChargeDateSubscription) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, s, decodeOpts)
}

func (s *ChargeDateSubscription) fold(w *chargeDateWire) {
	*s = ChargeDateSubscription(w.chargeDatePlain)
	if w.OldCamel != nil && s.OldChargeDay == 0 {
		s.OldChargeDay = *w.OldCamel
	}
	if w.NewCamel != nil && s.NewChargeDay == 0 {
		s.NewChargeDay = *w.NewCamel
	}
	if s.DateNextCharge.IsZero() {
		s.DateNextCharge = w.NextCamel
	}
}

// ClubFirstAccessData is the data of CLUB_FIRST_ACCESS.
type ClubFirstAccessData struct {
	Product Product `json:"product"`
	User    User    `json:"user"`
}

// ClubModuleCompletedData is the data of CLUB_MODULE_COMPLETED. Its
// product.id is a JSON string in real bodies; ID absorbs that.
type ClubModuleCompletedData struct {
	Product Product `json:"product"`
	User    User    `json:"user"`
	Module  Module  `json:"module"`
}

// Module is a members-area module.
type Module struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
}

// OrderFulfillmentData is the data of ORDER_FULFILLMENT (physical products).
type OrderFulfillmentData struct {
	Purchase           FulfillmentPurchase `json:"purchase"`
	LineItems          []LineItem          `json:"line_items"`
	Delivery           Delivery            `json:"delivery"`
	Shipping           FulfillmentShipping `json:"shipping"`
	FulfillmentService FulfillmentService  `json:"fulfillment_service"`
	Billing            Shopper             `json:"billing"`
}

// FulfillmentPurchase is data.purchase of ORDER_FULFILLMENT.
type FulfillmentPurchase struct {
	ID           ID             `json:"id"`
	Transaction  string         `json:"transaction"`
	Status       PurchaseStatus `json:"status"`
	FullPrice    Money          `json:"full_price"`
	Price        Money          `json:"price"`
	ApprovedDate Time           `json:"approved_date"`
	OrderDate    Time           `json:"order_date"`
	Shopper      Shopper        `json:"shopper"`
}

// Shopper is the buyer (or billing party) of a physical order.
type Shopper struct {
	Name     string  `json:"name"`
	Email    string  `json:"email"`
	Phone    string  `json:"phone,omitempty"`
	Document string  `json:"document,omitempty"`
	Country  string  `json:"country,omitempty"`
	TimeZone string  `json:"time_zone,omitempty"`
	Locale   string  `json:"locale,omitempty"`
	UCode    string  `json:"ucode,omitempty"`
	Address  Address `json:"address"`
}

// LineItem is one item of a physical order.
type LineItem struct {
	Offer     LineItemOffer   `json:"offer"`
	Product   LineItemProduct `json:"product"`
	Quantity  int             `json:"quantity"`
	Variant   Variant         `json:"variant"`
	Dimension Dimension       `json:"dimension"`
}

// LineItemOffer is the offer of a line item.
type LineItemOffer struct {
	Code  string `json:"code"`
	Price Money  `json:"price"`
}

// LineItemProduct is the product of a line item.
type LineItemProduct struct {
	ID           ID     `json:"id"`
	UCode        string `json:"ucode,omitempty"`
	Name         string `json:"name"`
	Format       string `json:"format,omitempty"` // "PHYSICAL"
	SupportEmail string `json:"support_email,omitempty"`
	Seller       Seller `json:"seller"`
}

// Seller is the seller of a physical product.
type Seller struct {
	Name   string `json:"name"`
	Email  string `json:"email,omitempty"`
	UCode  string `json:"ucode,omitempty"`
	Locale string `json:"locale,omitempty"`
}

// Variant is the chosen variation of a line item.
type Variant struct {
	ID         ID          `json:"id"`
	Name       string      `json:"name,omitempty"`
	SKU        string      `json:"sku,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
}

// Dimension is a parcel's size in centimetres and weight in kilograms.
type Dimension struct {
	Depth  Decimal `json:"depth"`
	Width  Decimal `json:"width"`
	Height Decimal `json:"height"`
	Weight Decimal `json:"weight"`
}

// Delivery describes how the order is delivered; times are presumably days.
type Delivery struct {
	ShippingProcessingTime int     `json:"shipping_processing_time,omitempty"`
	MethodType             string  `json:"method_type,omitempty"` // "SHIPPING"
	DeliveryTime           int     `json:"delivery_time,omitempty"`
	Destination            Address `json:"destination"`
}

// FulfillmentShipping is data.shipping of ORDER_FULFILLMENT.
type FulfillmentShipping struct {
	Type                  string  `json:"type,omitempty"` // FLAT_RATE, FREE_SHIPPING, FIXED_PRICE
	ShippingTotalValue    Money   `json:"shipping_total_value"`
	EstimateShippingCost  Money   `json:"estimate_shipping_cost"`
	ShippingMarkupPrice   Money   `json:"shipping_markup_price"`
	ShippingLogisticsTime int     `json:"shipping_logistics_time,omitempty"`
	Carrier               Carrier `json:"carrier"`
	CarrierOptions        Carrier `json:"carrier_options"`
}

// FulfillmentService names who fulfils the order (MANUAL or PARTNER).
type FulfillmentService struct {
	ServiceType string `json:"service_type"`
	ServiceName string `json:"service_name,omitempty"`
}

// fulfillmentAddress is how ORDER_FULFILLMENT spells an address.
type fulfillmentAddress struct {
	Address
	ZipCode string `json:"zip_code"`
}

func (a fulfillmentAddress) fold() Address {
	out := a.Address
	if out.Zipcode == "" {
		out.Zipcode = a.ZipCode
	}
	return out
}

type shopperPlain Shopper

type shopperWire struct {
	shopperPlain
	Address fulfillmentAddress `json:"address"`
}

// UnmarshalJSONFrom reads the address's "zip_code" (as ORDER_FULFILLMENT
// spells it) as well as "zipcode".
func (s *Shopper) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w shopperWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*s = Shopper(w.shopperPlain)
	s.Address = w.Address.fold()
	return nil
}

// UnmarshalJSON is UnmarshalJSONFrom for encoding/json.
func (s *Shopper) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, s, decodeOpts)
}

type deliveryPlain Delivery

type deliveryWire struct {
	deliveryPlain
	Destination fulfillmentAddress `json:"destination"`
}

// UnmarshalJSONFrom reads the destination's "zip_code" as well as
// "zipcode".
func (d *Delivery) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var w deliveryWire
	if err := json.UnmarshalDecode(dec, &w); err != nil {
		return err
	}
	*d = Delivery(w.deliveryPlain)
	d.Destination = w.Destination.fold()
	return nil
}

// UnmarshalJSON is UnmarshalJSONFrom for encoding/json.
func (d *Delivery) UnmarshalJSON(b []byte) error {
	return json.Unmarshal(b, d, decodeOpts)
}
