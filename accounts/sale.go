package accounts

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Sale is what reconciliation needs of one sales-history item (GET
// /payments/api/v1/sales/history). A SalesSource fills it from its REST
// client's own type; the field comments give the REST field.
//
// It holds a buyer's e-mail and name: String, GoString and LogValue show
// only the transaction and status.
type Sale struct {
	Transaction      string    // purchase.transaction, "HP…"
	Status           string    // purchase.status, as the REST API spells it (CANCELLED, PRINTED_BILLET…)
	ProductID        string    // product.id
	ProductUCode     string    // not in the sales history; "" unless the source knows it
	ProductName      string    // product.name
	BuyerEmail       string    // buyer.email
	BuyerName        string    // buyer.name
	ProducerName     string    // producer.name
	Price            string    // purchase.price.value as exact decimal text, "150.60"
	Currency         string    // purchase.price.currency_code
	OrderDate        time.Time // purchase.order_date
	ApprovedDate     time.Time // purchase.approved_date
	PaymentType      string    // purchase.payment.type
	Installments     int       // purchase.payment.installments_number
	RecurrenceNumber int       // purchase.recurrency_number (REST spelling)
	OfferCode        string    // purchase.offer.code
	SubscriberCode   string    // not in the sales history; "" unless the source knows it
	TrackingSource   string    // purchase.tracking.source → webhook purchase.origin.src
	TrackingSCK      string    // purchase.tracking.source_sck → purchase.origin.sck
	TrackingExternal string    // purchase.tracking.external_code → purchase.origin.xcod
}

// String shows the transaction and status only.
func (s Sale) String() string {
	return fmt.Sprintf("accounts.Sale{Transaction:%q Status:%q}", s.Transaction, s.Status)
}

// GoString is String, so %#v shows no personal data either.
func (s Sale) GoString() string { return s.String() }

// LogValue logs the transaction and status only.
func (s Sale) LogValue() slog.Value {
	return slog.GroupValue(slog.String("transaction", s.Transaction), slog.String("status", s.Status))
}

// SaleError says why a sale could not become an event. Its message holds
// the transaction code and the field, never a buyer's data.
type SaleError struct {
	Transaction string
	Field       string
	Reason      string
}

func (e *SaleError) Error() string {
	t := e.Transaction
	if t == "" {
		t = "(none)"
	}
	return fmt.Sprintf("accounts: sale %s: %s: %s", t, e.Field, e.Reason)
}

// jsonNumber is the JSON number grammar: a price must be written as one to
// travel in the webhook body as Hotmart writes it.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// SyntheticEvent builds the event a sale's current status implies, as a real
// *hotmart.Event: a webhook body of payload version 2.0.0 is written and
// decoded with hotmart.ParseEvent, so rules see the same fields as for the
// webhook Hotmart would have sent. Its id is SyntheticID and its
// creation_date is seenAt, the time the status was seen.
//
// A status that implies no event returns a nil event and a nil error.
// A sale that cannot be written (no transaction, a price that is not a
// number) returns a *SaleError.
func SyntheticEvent(account string, s Sale, seenAt time.Time) (*hotmart.Event, error) {
	typ, ok := EventTypeFor(s.Status)
	if !ok {
		return nil, nil
	}
	if err := checkSale(s); err != nil {
		return nil, err
	}
	body, err := json.Marshal(webhookBody(SyntheticID(account, s.Transaction, s.Status), typ, s, seenAt))
	if err != nil {
		return nil, &SaleError{Transaction: s.Transaction, Field: "sale", Reason: "cannot be written as a webhook body"}
	}
	e, err := hotmart.ParseEvent(body)
	if err != nil {
		// Only reachable if the decoder and this writer disagree.
		return nil, &SaleError{Transaction: s.Transaction, Field: "sale", Reason: "its webhook body does not decode: " + err.Error()}
	}
	return e, nil
}

func checkSale(s Sale) error {
	bad := func(field, reason string) error {
		return &SaleError{Transaction: s.Transaction, Field: field, Reason: reason}
	}
	switch {
	case s.Transaction == "":
		return bad("transaction", "missing")
	case len(s.Transaction) > 100 || strings.ContainsFunc(s.Transaction, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return bad("transaction", "not a transaction code")
	case s.Price != "" && !jsonNumber.MatchString(s.Price):
		return bad("price", "not a decimal number")
	case s.Installments < 0:
		return bad("installments", "negative")
	case s.RecurrenceNumber < 0:
		return bad("recurrence_number", "negative")
	}
	return nil
}

// The webhook body, in Hotmart's field names. Only what the sales history
// knows is written; a field it does not know is absent, as in a webhook
// that did not carry it.
type (
	whBody struct {
		ID           string `json:"id"`
		Event        string `json:"event"`
		Version      string `json:"version"`
		CreationDate int64  `json:"creation_date"`
		Data         whData `json:"data"`
	}
	whData struct {
		Product      whProduct       `json:"product"`
		Buyer        *whPerson       `json:"buyer,omitempty"`
		Producer     *whPerson       `json:"producer,omitempty"`
		Purchase     whPurchase      `json:"purchase"`
		Subscription *whSubscription `json:"subscription,omitempty"`
	}
	whProduct struct {
		ID    json.RawMessage `json:"id,omitempty"`
		UCode string          `json:"ucode,omitempty"`
		Name  string          `json:"name,omitempty"`
	}
	whPerson struct {
		Email string `json:"email,omitempty"`
		Name  string `json:"name,omitempty"`
	}
	whPurchase struct {
		Transaction      string     `json:"transaction"`
		Status           string     `json:"status"`
		OrderDate        int64      `json:"order_date,omitempty"`
		ApprovedDate     int64      `json:"approved_date,omitempty"`
		Price            *whPrice   `json:"price,omitempty"`
		Payment          *whPayment `json:"payment,omitempty"`
		Offer            *whOffer   `json:"offer,omitempty"`
		RecurrenceNumber int        `json:"recurrence_number,omitempty"`
		Origin           *whOrigin  `json:"origin,omitempty"`
	}
	whPrice struct {
		Value    json.RawMessage `json:"value,omitempty"`
		Currency string          `json:"currency_value,omitempty"`
	}
	whPayment struct {
		Type         string `json:"type,omitempty"`
		Installments int    `json:"installments_number,omitempty"`
	}
	whOffer struct {
		Code string `json:"code"`
	}
	whOrigin struct {
		Src  string `json:"src,omitempty"`
		SCK  string `json:"sck,omitempty"`
		XCod string `json:"xcod,omitempty"`
	}
	whSubscription struct {
		Subscriber whSubscriber `json:"subscriber"`
	}
	whSubscriber struct {
		Code string `json:"code"`
	}
)

func webhookBody(id string, typ hotmart.EventType, s Sale, seenAt time.Time) *whBody {
	b := &whBody{ID: id, Event: string(typ), Version: "2.0.0", CreationDate: seenAt.UnixMilli()}
	d := &b.Data
	d.Product = whProduct{ID: productID(s.ProductID), UCode: s.ProductUCode, Name: s.ProductName}
	if s.BuyerEmail != "" || s.BuyerName != "" {
		d.Buyer = &whPerson{Email: s.BuyerEmail, Name: s.BuyerName}
	}
	if s.ProducerName != "" {
		d.Producer = &whPerson{Name: s.ProducerName}
	}
	p := &d.Purchase
	p.Transaction = s.Transaction
	p.Status = normStatus(s.Status)
	p.OrderDate = millis(s.OrderDate)
	p.ApprovedDate = millis(s.ApprovedDate)
	if s.Price != "" || s.Currency != "" {
		p.Price = &whPrice{Currency: s.Currency}
		if s.Price != "" {
			p.Price.Value = json.RawMessage(s.Price)
		}
	}
	if s.PaymentType != "" || s.Installments > 0 {
		p.Payment = &whPayment{Type: s.PaymentType, Installments: s.Installments}
	}
	if s.OfferCode != "" {
		p.Offer = &whOffer{Code: s.OfferCode}
	}
	p.RecurrenceNumber = s.RecurrenceNumber
	if s.TrackingSource != "" || s.TrackingSCK != "" || s.TrackingExternal != "" {
		p.Origin = &whOrigin{Src: s.TrackingSource, SCK: s.TrackingSCK, XCod: s.TrackingExternal}
	}
	if s.SubscriberCode != "" {
		d.Subscription = &whSubscription{Subscriber: whSubscriber{Code: s.SubscriberCode}}
	}
	return b
}

// productID writes a numeric id as a JSON number, as Hotmart does, and
// anything else as a string.
func productID(id string) json.RawMessage {
	if id == "" {
		return nil
	}
	numeric := len(id) <= 18
	for i := 0; i < len(id) && numeric; i++ {
		numeric = '0' <= id[i] && id[i] <= '9'
	}
	if numeric && (id == "0" || id[0] != '0') {
		return json.RawMessage(id)
	}
	b, _ := json.Marshal(id)
	return b
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
