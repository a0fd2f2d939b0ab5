// Package hotmarttest helps test code that receives Hotmart webhooks: an
// event factory producing realistic payload 2.0.0 webhook bodies for every
// event type (NewEvent, NewParsedEvent, with EventOption values for the
// fields rules look at), requests carrying a hottok as Hotmart sends it
// (NewRequest, Post), and legacy 1.0 postbacks (NewLegacyForm, PostForm).
//
// The fake Hotmart REST API lives in hotmart/rest/resttest, beside the
// client it serves, so that code building test events (the pipeline's
// "test with an e-mail" among it) links no REST client, OAuth or retry code.
package hotmarttest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// EventOption sets one field of a generated event. Options that do not apply
// to the event's family (a price on CLUB_FIRST_ACCESS, say) are ignored.
type EventOption func(*eventConfig)

type eventConfig struct {
	id        string
	seed      uint64
	seeded    bool
	createdAt time.Time
	hottok    string

	productID    int64
	productUCode string
	productName  string

	buyerEmail     string
	buyerName      string
	buyerPhone     string
	buyerPhoneCode string
	buyerDocument  string
	buyerDocType   string
	buyerCountry   string

	status             string
	subscriptionStatus string
	price              string
	currency           string
	transaction        string
	subscriberCode     string
	noSubscription     bool
	planID             int64
	planName           string
	offer              string
	affiliateCode      string
	affiliateName      string
	paymentType        string
	installments       int
	recurrence         int
	moduleID           string
	moduleName         string
}

// Defaults are the values of Hotmart's own test sends where those are
// plausible (product name, transaction, subscriber code), and realistic
// Brazilian checkout values elsewhere.
func defaults() eventConfig {
	return eventConfig{
		productID:          0,
		productUCode:       "fb056612-bcc6-4217-9e6d-2a5d1110ac2f",
		productName:        "Produto test postback2",
		buyerEmail:         "teste@hotmart.com.br",
		buyerName:          "Teste Comprador",
		buyerPhone:         "999999999",
		buyerPhoneCode:     "31",
		buyerDocument:      "00000000000",
		buyerDocType:       "CPF",
		buyerCountry:       "BR",
		subscriptionStatus: "ACTIVE",
		price:              "1500",
		currency:           "BRL",
		transaction:        "HP16015479281022",
		subscriberCode:     "I9OT62C3",
		planID:             123,
		planName:           "plano de teste",
		offer:              "test",
		installments:       1,
		recurrence:         1,
		moduleID:           "hash123",
		moduleName:         "Módulo 1",
	}
}

// WithEventID sets the envelope id (default: a random UUID, or one derived
// from WithSeed).
func WithEventID(id string) EventOption { return func(c *eventConfig) { c.id = id } }

// WithSeed makes the generated event deterministic: the envelope id is a
// UUID derived from seed and the event type, and the creation time is fixed
// (2025-11-15T22:22:25.737Z) unless WithCreatedAt says otherwise.
func WithSeed(seed uint64) EventOption {
	return func(c *eventConfig) { c.seed, c.seeded = seed, true }
}

// WithCreatedAt sets the envelope creation time (kept to the millisecond).
func WithCreatedAt(t time.Time) EventOption { return func(c *eventConfig) { c.createdAt = t } }

// WithBodyHottok puts a top-level "hottok" in the body, as Hotmart does for
// UPDATE_SUBSCRIPTION_CHARGE_DATE and some other deliveries.
func WithBodyHottok(tok string) EventOption { return func(c *eventConfig) { c.hottok = tok } }

// WithProductID sets product.id.
func WithProductID(id int64) EventOption { return func(c *eventConfig) { c.productID = id } }

// WithProductUCode sets product.ucode (purchase events and line items).
func WithProductUCode(u string) EventOption { return func(c *eventConfig) { c.productUCode = u } }

// WithProductName sets product.name.
func WithProductName(n string) EventOption { return func(c *eventConfig) { c.productName = n } }

// WithBuyerEmail sets the buyer's (subscriber's, user's, shopper's) e-mail.
func WithBuyerEmail(e string) EventOption { return func(c *eventConfig) { c.buyerEmail = e } }

// WithBuyerName sets the buyer's name.
func WithBuyerName(n string) EventOption { return func(c *eventConfig) { c.buyerName = n } }

// WithBuyerPhone sets the buyer's phone: areaCode is the Brazilian DDD
// (checkout_phone_code), number the rest.
func WithBuyerPhone(areaCode, number string) EventOption {
	return func(c *eventConfig) { c.buyerPhoneCode, c.buyerPhone = areaCode, number }
}

// WithBuyerDocument sets the buyer's document and its type (CPF, CNPJ, …).
func WithBuyerDocument(doc, typ string) EventOption {
	return func(c *eventConfig) { c.buyerDocument, c.buyerDocType = doc, typ }
}

// WithBuyerCountry sets the buyer's country ISO code (and checkout country).
func WithBuyerCountry(iso string) EventOption { return func(c *eventConfig) { c.buyerCountry = iso } }

// WithStatus sets data.purchase.status for purchase and order events, and
// the subscription status for SWITCH_PLAN and UPDATE_SUBSCRIPTION_CHARGE_DATE.
// The default is the spelling Hotmart's test sends use for the event
// (COMPLETED, CANCELED, BILLET_PRINTED, DISPUTE…).
func WithStatus(s string) EventOption { return func(c *eventConfig) { c.status = s } }

// WithSubscriptionStatus sets data.subscription.status of purchase events.
func WithSubscriptionStatus(s string) EventOption {
	return func(c *eventConfig) { c.subscriptionStatus = s }
}

// WithPrice sets the price, as decimal text ("1500", "149.90"), and its
// currency. Invalid decimal text is ignored.
func WithPrice(value, currency string) EventOption {
	return func(c *eventConfig) {
		if _, err := strconv.ParseFloat(value, 64); err == nil {
			c.price = value
		}
		c.currency = currency
	}
}

// WithTransaction sets the transaction code.
func WithTransaction(t string) EventOption { return func(c *eventConfig) { c.transaction = t } }

// WithSubscriberCode sets the subscriber code.
func WithSubscriberCode(code string) EventOption {
	return func(c *eventConfig) { c.subscriberCode = code }
}

// WithoutSubscription makes a purchase a one-off sale (no data.subscription).
func WithoutSubscription() EventOption { return func(c *eventConfig) { c.noSubscription = true } }

// WithPlan sets the subscription plan (the new plan for SWITCH_PLAN).
func WithPlan(id int64, name string) EventOption {
	return func(c *eventConfig) { c.planID, c.planName = id, name }
}

// WithOffer sets the offer code (the offer key in SWITCH_PLAN).
func WithOffer(code string) EventOption { return func(c *eventConfig) { c.offer = code } }

// WithAffiliate gives the sale an affiliate. Without it purchases carry
// Hotmart's blank affiliate entry.
func WithAffiliate(code, name string) EventOption {
	return func(c *eventConfig) { c.affiliateCode, c.affiliateName = code, name }
}

// WithPayment sets the payment type and number of installments.
func WithPayment(typ string, installments int) EventOption {
	return func(c *eventConfig) { c.paymentType, c.installments = typ, installments }
}

// WithRecurrence sets purchase.recurrence_number.
func WithRecurrence(n int) EventOption { return func(c *eventConfig) { c.recurrence = n } }

// WithModule sets the members-area module of CLUB_MODULE_COMPLETED.
func WithModule(id, name string) EventOption {
	return func(c *eventConfig) { c.moduleID, c.moduleName = id, name }
}

// testStatus is the purchase status Hotmart's test sends carry per event.
var testStatus = map[hotmart.EventType]string{
	hotmart.EventPurchaseApproved:      "APPROVED",
	hotmart.EventPurchaseComplete:      "COMPLETED",
	hotmart.EventPurchaseCanceled:      "CANCELED",
	hotmart.EventPurchaseBilletPrinted: "BILLET_PRINTED",
	hotmart.EventPurchaseProtest:       "DISPUTE",
	hotmart.EventPurchaseRefunded:      "REFUNDED",
	hotmart.EventPurchaseChargeback:    "CHARGEBACK",
	hotmart.EventPurchaseExpired:       "EXPIRED",
	hotmart.EventPurchaseDelayed:       "DELAYED",
	hotmart.EventOrderFulfillment:      "APPROVED",
}

// seededTime is the creation time of Hotmart's November 2025 test sends.
var seededTime = time.UnixMilli(1763245345737).UTC()

// NewEvent returns the body Hotmart would post for an event of type typ
// (payload version 2.0.0), shaped like Hotmart's test sends: the same keys,
// JSON types and per-event quirks (creationDate for CLUB_FIRST_ACCESS and
// UPDATE_SUBSCRIPTION_CHARGE_DATE, a string product id for
// CLUB_MODULE_COMPLETED, camelCase charge-date keys, offer "key" in
// SWITCH_PLAN). A type outside the 16 known ones gets an empty data object.
func NewEvent(typ hotmart.EventType, opts ...EventOption) []byte {
	c := defaults()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.status == "" {
		c.status = testStatus[typ]
		if typ.Family() != hotmart.FamilyPurchase && typ != hotmart.EventOrderFulfillment {
			c.status = "ACTIVE"
		}
	}
	if c.paymentType == "" {
		c.paymentType = "CREDIT_CARD"
		if typ == hotmart.EventPurchaseBilletPrinted || typ == hotmart.EventPurchaseExpired {
			c.paymentType = "BILLET"
		}
	}
	if c.createdAt.IsZero() {
		c.createdAt = time.Now()
		if c.seeded {
			c.createdAt = seededTime
		}
	}
	if c.id == "" {
		c.id = newUUID(c, typ)
	}
	created := c.createdAt.UnixMilli()
	env := map[string]any{"id": c.id, "event": string(typ), "version": "2.0.0"}
	switch typ {
	case hotmart.EventClubFirstAccess, hotmart.EventUpdateSubscriptionChargeDate:
		env["creationDate"] = created
	default:
		env["creation_date"] = created
	}
	if c.hottok != "" {
		env["hottok"] = c.hottok
	}
	env["data"] = c.data(typ, created)
	b, err := json.Marshal(env)
	if err != nil {
		// Only plain maps, strings and numbers are marshalled.
		panic("hotmarttest: " + err.Error())
	}
	return b
}

// NewParsedEvent is NewEvent followed by hotmart.ParseEvent.
func NewParsedEvent(typ hotmart.EventType, opts ...EventOption) (*hotmart.Event, error) {
	return hotmart.ParseEvent(NewEvent(typ, opts...))
}

type obj = map[string]any

func money(value, currency string) obj {
	return obj{"value": json.Number(value), "currency_value": currency}
}

func (c *eventConfig) data(typ hotmart.EventType, created int64) obj {
	switch typ.Family() {
	case hotmart.FamilyPurchase:
		return c.purchase(typ, created)
	case hotmart.FamilyCartAbandonment:
		return obj{
			"affiliate":        c.affiliateCode != "",
			"product":          obj{"id": c.productID, "name": c.productName},
			"buyer_ip":         "127.0.0.1",
			"buyer":            obj{"name": c.buyerName, "email": c.buyerEmail, "phone": c.buyerPhoneCode + c.buyerPhone},
			"offer":            obj{"code": c.offer},
			"checkout_country": obj{"name": countryName(c.buyerCountry), "iso": c.buyerCountry},
		}
	case hotmart.FamilySubscriptionCancellation:
		return obj{
			"actual_recurrence_value": json.Number(c.price),
			"cancellation_date":       created,
			"date_next_charge":        created + 30*24*3600*1000,
			"product":                 obj{"id": c.productID, "name": c.productName},
			"subscriber": obj{"code": c.subscriberCode, "name": c.buyerName, "email": c.buyerEmail,
				"phone": obj{"dddPhone": "", "phone": "", "dddCell": c.buyerPhoneCode, "cell": c.buyerPhone}},
			"subscription": obj{"id": 4148584, "plan": obj{"id": c.planID, "name": c.planName}},
		}
	case hotmart.FamilySwitchPlan:
		return obj{
			"switch_plan_date": created,
			"subscription": obj{
				"subscriber_code": c.subscriberCode, "status": c.status,
				"product": obj{"id": c.productID, "name": c.productName},
				"user":    obj{"email": c.buyerEmail},
			},
			"plans": []obj{
				{"id": c.planID, "name": c.planName, "offer": obj{"key": c.offer}, "current": true},
				{"id": c.planID + 1, "name": "Plano anterior", "offer": obj{"key": "n6hup355"}, "current": false},
			},
		}
	case hotmart.FamilyChargeDateUpdate:
		return obj{
			"subscription": obj{
				"dateNextCharge": time.UnixMilli(created).UTC().AddDate(0, 1, 0).Format("2006-01-02T15:04:05.000Z"),
				"newChargeDay":   1, "oldChargeDay": 7, "status": c.status,
				"product": obj{"id": c.productID, "name": c.productName},
			},
			"subscriber": obj{"name": c.buyerName, "email": c.buyerEmail, "code": c.subscriberCode},
			"plan":       obj{"id": c.planID, "name": c.planName, "offer": obj{"code": c.offer}},
		}
	case hotmart.FamilyClubFirstAccess:
		return obj{
			"product": obj{"id": c.productID, "name": c.productName},
			"user":    obj{"name": c.buyerName, "email": c.buyerEmail},
		}
	case hotmart.FamilyClubModuleCompleted:
		return obj{
			// Hotmart sends this product id as a JSON string.
			"product": obj{"id": strconv.FormatInt(c.productID, 10), "name": c.productName},
			"user":    obj{"email": c.buyerEmail, "name": c.buyerName},
			"module":  obj{"id": c.moduleID, "name": c.moduleName},
		}
	case hotmart.FamilyOrderFulfillment:
		return c.fulfillment(created)
	}
	return obj{}
}

func (c *eventConfig) purchase(typ hotmart.EventType, created int64) obj {
	fee, net := split(c.price)
	affiliates := []obj{{"affiliate_code": "", "name": ""}}
	if c.affiliateCode != "" {
		affiliates = []obj{{"affiliate_code": c.affiliateCode, "name": c.affiliateName}}
	}
	payment := obj{"installments_number": c.installments, "type": c.paymentType}
	if c.paymentType == "BILLET" {
		payment["billet_url"] = "https://billet-link.test/" + c.transaction
		payment["billet_barcode"] = "03399.33335 33823.303087 19844.001012 8 77700000015000"
	}
	purchase := obj{
		"full_price":           money(c.price, c.currency),
		"price":                money(c.price, c.currency),
		"original_offer_price": money(c.price, c.currency),
		"checkout_country":     obj{"name": countryName(c.buyerCountry), "iso": c.buyerCountry},
		"order_bump":           obj{"is_order_bump": false},
		"event_tickets":        obj{"amount": created},
		"order_date":           created - 60_000,
		"status":               c.status,
		"transaction":          c.transaction,
		"payment":              payment,
		"offer":                obj{"code": c.offer},
		"recurrence_number":    c.recurrence,
		"sckPaymentLink":       "sckPaymentLinkTest",
		"is_funnel":            false,
		"business_model":       "I",
	}
	switch typ {
	case hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseExpired,
		hotmart.EventPurchaseCanceled, hotmart.EventPurchaseDelayed:
		// unpaid: Hotmart sends no approved_date
	default:
		purchase["approved_date"] = created - 2_000
	}
	d := obj{
		"product": obj{
			"id": c.productID, "ucode": c.productUCode, "name": c.productName,
			"warranty_date": time.UnixMilli(created).UTC().AddDate(0, 0, 7).Format(time.RFC3339),
			"support_email": "support@hotmart.com.br", "has_co_production": false, "is_physical_product": false,
		},
		"affiliates": affiliates,
		"buyer": obj{
			"email": c.buyerEmail, "name": c.buyerName,
			"first_name": firstName(c.buyerName), "last_name": lastName(c.buyerName),
			"checkout_phone_code": c.buyerPhoneCode, "checkout_phone": c.buyerPhone,
			"address":  obj{"country": countryName(c.buyerCountry), "country_iso": c.buyerCountry},
			"document": c.buyerDocument, "document_type": c.buyerDocType,
		},
		"producer": obj{"name": "Producer Test Name", "document": "12345678965", "legal_nature": "Pessoa Física"},
		"commissions": []obj{
			{"value": json.Number(fee), "source": "MARKETPLACE", "currency_value": c.currency},
			{"value": json.Number(net), "source": "PRODUCER", "currency_value": c.currency},
		},
		"purchase": purchase,
	}
	if !c.noSubscription {
		d["subscription"] = obj{
			"status":     c.subscriptionStatus,
			"plan":       obj{"id": c.planID, "name": c.planName},
			"subscriber": obj{"code": c.subscriberCode},
		}
	}
	return d
}

func (c *eventConfig) fulfillment(created int64) obj {
	addr := obj{"address": "Rua Exemplo", "number": "100", "complement": "", "neighborhood": "Centro",
		"city": "Belo Horizonte", "state": "MG", "zip_code": "30130000", "country": countryName(c.buyerCountry)}
	shopper := obj{"country": countryName(c.buyerCountry), "phone": c.buyerPhoneCode + c.buyerPhone,
		"document": c.buyerDocument, "name": c.buyerName, "time_zone": "America/Sao_Paulo", "locale": "pt_BR",
		"ucode": "USER_UCODE_123", "email": c.buyerEmail, "address": addr}
	return obj{
		"purchase": obj{
			"full_price": money(c.price, c.currency), "price": money(c.price, c.currency),
			"approved_date": created - 2_000, "order_date": created - 60_000,
			"id": 12345678, "transaction": c.transaction, "status": c.status, "shopper": shopper,
		},
		"line_items": []obj{{
			"offer": obj{"price": money(c.price, c.currency), "code": c.offer},
			"product": obj{"id": c.productID, "name": c.productName, "format": "PHYSICAL",
				"support_email": "support@hotmart.com.br", "ucode": c.productUCode,
				"seller": obj{"name": "Producer Test Name", "email": "producer@example.com", "ucode": "SELLER_UCODE_456", "locale": "pt_BR"}},
			"quantity":  1,
			"variant":   obj{"name": "Tamanho M", "id": "var_001", "sku": "SKU-M", "attributes": []obj{{"name": "Tamanho", "value": "M"}}},
			"dimension": obj{"depth": 5.0, "width": 30.0, "weight": 0.3, "height": 2.0},
		}},
		"delivery": obj{"shipping_processing_time": 2, "method_type": "SHIPPING", "delivery_time": 5, "destination": addr},
		"shipping": obj{
			"shipping_total_value": money("15.9", c.currency), "carrier": obj{"name": "CORREIOS", "code": "COR"},
			"shipping_logistics_time": 5, "carrier_options": obj{"service": "SEDEX", "code": "04014"},
			"type": "FLAT_RATE", "estimate_shipping_cost": money("12.5", c.currency),
			"shipping_markup_price": money("3.4", c.currency),
		},
		"fulfillment_service": obj{"service_type": "MANUAL"},
		"billing":             shopper,
	}
}

// split divides a price into Hotmart's fee (9.97%, as in the test sends'
// 149.5 of 1500) and the producer's share, in cents so the two add up.
func split(price string) (fee, net string) {
	f, _ := strconv.ParseFloat(price, 64)
	cents := int64(f*100 + 0.5)
	feeCents := cents * 997 / 10000
	return centsText(feeCents), centsText(cents - feeCents)
}

func centsText(c int64) string {
	return strconv.FormatFloat(float64(c)/100, 'f', -1, 64)
}

func countryName(iso string) string {
	switch iso {
	case "BR":
		return "Brasil"
	case "PT":
		return "Portugal"
	case "ES":
		return "España"
	case "US":
		return "United States"
	}
	return iso
}

func firstName(n string) string {
	for i := 0; i < len(n); i++ {
		if n[i] == ' ' {
			return n[:i]
		}
	}
	return n
}

func lastName(n string) string {
	for i := len(n) - 1; i >= 0; i-- {
		if n[i] == ' ' {
			return n[i+1:]
		}
	}
	return ""
}

// newUUID returns a version 4 UUID: random, or derived from the seed and
// event type when WithSeed was given.
func newUUID(c eventConfig, typ hotmart.EventType) string {
	var b [16]byte
	if c.seeded {
		var in [8]byte
		binary.BigEndian.PutUint64(in[:], c.seed)
		sum := sha256.Sum256(append(in[:], typ...))
		copy(b[:], sum[:16])
	} else {
		_, _ = rand.Read(b[:])
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
