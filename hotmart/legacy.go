package hotmart

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// Legacy 1.0 postbacks ("Postback 1.0") are flat key/value pairs with no
// envelope: no event name, no id, no creation date. Hotmart never published
// their field list in a form this package could check, so the mapping below
// follows community handlers and is best effort (see ParseForm).

// EventLegacyUnmapped is the Type ParseForm gives a 1.0 postback whose status
// has no 2.0.0 event (such as "blocked", or a status Hotmart adds later). It
// belongs to no family: read its fields from Raw.
const EventLegacyUnmapped EventType = "LEGACY_POSTBACK"

// LegacyVersion is the Version of events built by ParseForm.
const LegacyVersion = "1.0.0"

// legacyEvents maps a 1.0 status (lower case) to its 2.0.0 event.
var legacyEvents = map[string]EventType{
	"approved":        EventPurchaseApproved,
	"canceled":        EventPurchaseCanceled,
	"cancelled":       EventPurchaseCanceled,
	"refunded":        EventPurchaseRefunded,
	"dispute":         EventPurchaseProtest,
	"chargeback":      EventPurchaseChargeback,
	"billet_printed":  EventPurchaseBilletPrinted,
	"printed_billet":  EventPurchaseBilletPrinted,
	"wayting_payment": EventPurchaseBilletPrinted, // sic, as Hotmart spells it
	"waiting_payment": EventPurchaseBilletPrinted,
	"delayed":         EventPurchaseDelayed,
	"completed":       EventPurchaseComplete,
	"complete":        EventPurchaseComplete,
	"expired":         EventPurchaseExpired,
}

// ParseForm maps a legacy 1.0 postback (the form fields of an
// application/x-www-form-urlencoded body) into the same Event model as
// ParseEvent. It is best effort: 1.0 is undocumented today, and fields it
// does not know are only in Raw.
//
//   - Type comes from "status": approved → PURCHASE_APPROVED, canceled →
//     PURCHASE_CANCELED, refunded, dispute → PURCHASE_PROTEST, chargeback,
//     billet_printed and wayting_payment → PURCHASE_BILLET_PRINTED, delayed,
//     completed → PURCHASE_COMPLETE, expired; any other status →
//     EventLegacyUnmapped.
//   - Version is "1.0.0"; Hottok is the "hottok" field; CreatedAt is zero
//     (1.0 carries no delivery time; the purchase dates are in the data).
//   - ID is derived from transaction and status ("v1-" and 32 hex digits),
//     so a re-sent postback gets the same ID and deduplicates.
//   - Raw is a JSON object of every field (first value of each) except
//     hottok, so fields not mapped here stay readable.
//   - For purchase types the data is a *PurchaseData (Purchase works):
//     product (prod, prod_name, warranty_date, product_support_email,
//     has_co_production), offer (off, coupon_code), prices (price,
//     full_price, original_offer_price in "currency"), buyer (email, names,
//     phone_checkout_* or phone_*, doc, doc_type, address_*), purchase
//     (transaction, status upper-cased, payment_type, installments_number,
//     billet_url, billet_barcode, refusal_reason, recurrency →
//     recurrence_number, src, sck, xcod, purchase_date,
//     confirmation_purchase_date, subscription_date_next_charge, funnel,
//     order_bump, parent_purchase_transaction, business_model), affiliate
//     (aff, aff_name), commissions (cms_marketplace, cms_vendor, cms_aff),
//     producer (producer_*) and subscription (subscriber_code,
//     name_subscription_plan, subscription_status upper-cased).
//
// A 1.0 subscription cancellation has neither transaction nor status but
// camelCase fields (subscriptionId, subscriberCode, cancellationDate,
// actualRecurrenceValue, productName, subscriptionPlanName,
// dateNextCharge); it becomes a SUBSCRIPTION_CANCELLATION whose
// SubscriptionCancellation data holds them, with an ID derived from
// subscriptionId, subscriberCode and cancellationDate.
//
// Decimals may use a comma ("149,50"). A missing transaction or status
// (outside cancellations) is an ErrMalformed error with a nil event. A field
// that does not parse (a mangled warranty_date, a price that is not a
// number) is left absent and listed in Event.Warnings, and the rest of the
// postback is decoded; no error shows a field's value.
func ParseForm(form url.Values) (*Event, error) {
	tx := strings.TrimSpace(form.Get("transaction"))
	status := strings.ToLower(strings.TrimSpace(form.Get("status")))
	if tx == "" && status == "" && isLegacyCancellation(form) {
		return parseLegacyCancellation(form)
	}
	switch {
	case tx == "":
		return nil, &DecodeError{Field: "transaction", Reason: ReasonMissing}
	case status == "":
		return nil, &DecodeError{Field: "status", Reason: ReasonMissing}
	}
	typ, ok := legacyEvents[status]
	if !ok {
		typ = EventLegacyUnmapped
	}
	e := &Event{ID: legacyID(tx, status), Type: typ, Version: LegacyVersion, Hottok: form.Get("hottok")}
	if err := e.setLegacyRaw(form); err != nil {
		return nil, err
	}
	if typ.Family() != FamilyPurchase {
		return e, nil
	}
	r := formReader{form: form}
	e.data = r.purchase(tx)
	e.Warnings = r.warnings
	return e, nil
}

// setLegacyRaw fills Raw with every field (first value of each) except the
// hottok.
func (e *Event) setLegacyRaw(form url.Values) error {
	fields := make(map[string]string, len(form))
	for k, vs := range form {
		if k != "hottok" && len(vs) > 0 {
			fields[k] = vs[0]
		}
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return &DecodeError{Reason: ReasonSyntax, Detail: "cannot encode fields", Err: err}
	}
	e.Raw = raw
	return nil
}

func isLegacyCancellation(form url.Values) bool {
	return strings.TrimSpace(form.Get("subscriptionId")) != "" || strings.TrimSpace(form.Get("subscriberCode")) != ""
}

// parseLegacyCancellation maps a camelCase 1.0 subscription cancellation.
func parseLegacyCancellation(form url.Values) (*Event, error) {
	r := formReader{form: form}
	sub, code, when := r.str("subscriptionId"), r.str("subscriberCode"), r.str("cancellationDate")
	sum := sha256.Sum256([]byte("cancellation\x00" + sub + "\x00" + code + "\x00" + when))
	e := &Event{ID: "v1-" + hex.EncodeToString(sum[:16]), Type: EventSubscriptionCancellation,
		Version: LegacyVersion, Hottok: form.Get("hottok")}
	if err := e.setLegacyRaw(form); err != nil {
		return nil, err
	}
	e.data = &SubscriptionCancellationData{
		ActualRecurrenceValue: r.decimal("actualRecurrenceValue"),
		CancellationDate:      r.time("cancellationDate"),
		DateNextCharge:        r.time("dateNextCharge"),
		Product:               Product{ID: ID(r.str("prod")), Name: r.str("productName")},
		Subscriber:            Subscriber{Code: ID(code), Email: r.str("email"), Name: r.str("name")},
		Subscription: CancelledSubscription{
			ID:   ID(sub),
			Plan: Plan{Name: r.str("subscriptionPlanName")},
		},
	}
	e.Warnings = r.warnings
	return e, nil
}

// ParseLegacyJSON accepts the variant of the 1.0 postback some receivers
// get: the same flat fields as a JSON object, values as strings (numbers and
// booleans are taken as their text; null, objects and arrays are ignored).
// It then behaves as ParseForm.
func ParseLegacyJSON(body []byte) (*Event, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, &DecodeError{Reason: ReasonSyntax, Detail: "empty body"}
	}
	dec := jsontext.NewDecoder(bytes.NewBuffer(trimmed), decodeOpts)
	if dec.PeekKind() != '{' {
		if _, err := dec.ReadValue(); err != nil {
			return nil, libraryError("", trimmed, err)
		}
		return nil, &DecodeError{Reason: ReasonType, Detail: "body is not a JSON object"}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, libraryError("", trimmed, err)
	}
	form := make(url.Values)
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, libraryError("", trimmed, err)
		}
		name := tok.String()
		v, err := dec.ReadValue()
		if err != nil {
			return nil, libraryError("", trimmed, err)
		}
		switch v.Kind() {
		case '"':
			s, _ := unquote(v)
			form.Set(name, s)
		case 'n', '{', '[':
			// nothing a flat postback field can hold
		default:
			form.Set(name, string(v))
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, libraryError("", trimmed, err)
	}
	if err := atEnd(dec); err != nil {
		return nil, err
	}
	return ParseForm(form)
}

func legacyID(tx, status string) string {
	sum := sha256.Sum256([]byte(tx + "\x00" + status))
	return "v1-" + hex.EncodeToString(sum[:16])
}

// formReader reads typed values from a postback, collecting a warning for
// each field that does not parse.
type formReader struct {
	form     url.Values
	warnings []*DecodeError
}

func (r *formReader) str(k string) string { return strings.TrimSpace(r.form.Get(k)) }

func (r *formReader) fail(k string, reason Reason, detail string) {
	r.warnings = append(r.warnings, &DecodeError{Field: k, Reason: reason, Detail: detail})
}

func (r *formReader) decimal(k string) Decimal {
	s := r.str(k)
	if s == "" {
		return ""
	}
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if !isDecimal(s) {
		r.fail(k, ReasonFormat, "not a number")
		return ""
	}
	if !finite(s) {
		r.fail(k, ReasonRange, "number out of range")
		return ""
	}
	return Decimal(s)
}

func (r *formReader) int(k string) int {
	s := r.str(k)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.fail(k, ReasonFormat, "not an integer")
		return 0
	}
	return n
}

func (r *formReader) bool(k string) bool {
	switch strings.ToLower(r.str(k)) {
	case "", "0", "false", "f", "no", "n", "nao", "não":
		return false
	case "1", "true", "t", "yes", "y", "sim", "s":
		return true
	}
	r.fail(k, ReasonFormat, "not a boolean")
	return false
}

func (r *formReader) time(k string) Time {
	t, err := ParseTime(r.str(k))
	if err != nil {
		reason := ReasonFormat
		if de, ok := err.(*DecodeError); ok {
			reason = de.Reason
		}
		r.fail(k, reason, "unrecognised time")
		return Time{}
	}
	return Time{t}
}

func (r *formReader) money(k string, currency string) Money {
	v := r.decimal(k)
	if v == "" {
		return Money{}
	}
	return Money{Value: v, Currency: currency}
}

func (r *formReader) purchase(tx string) *PurchaseData {
	cur := strings.ToUpper(r.str("currency"))
	d := &PurchaseData{
		Product: Product{
			ID:              ID(r.str("prod")),
			Name:            r.str("prod_name"),
			WarrantyDate:    r.time("warranty_date"),
			SupportEmail:    r.str("product_support_email"),
			HasCoProduction: r.bool("has_co_production"),
		},
		Buyer: PurchaseBuyer{
			Email:        r.str("email"),
			Name:         r.str("name"),
			FirstName:    r.str("first_name"),
			LastName:     r.str("last_name"),
			Document:     r.str("doc"),
			DocumentType: DocumentType(strings.ToUpper(r.str("doc_type"))),
			Address: Address{
				Address:      r.str("address"),
				Number:       r.str("address_number"),
				Complement:   r.str("address_comp"),
				Neighborhood: r.str("address_district"),
				City:         r.str("address_city"),
				State:        r.str("address_state"),
				Zipcode:      r.str("address_zip_code"),
				Country:      r.str("address_country"),
				CountryISO:   r.str("address_country_ISO"),
			},
		},
		Producer: Producer{
			Name:        r.str("producer_name"),
			Document:    r.str("producer_document"),
			LegalNature: r.str("producer_legal_nature"),
		},
		Purchase: Purchase{
			Transaction:        tx,
			Status:             PurchaseStatus(strings.ToUpper(r.str("status"))),
			OrderDate:          r.time("purchase_date"),
			ApprovedDate:       r.time("confirmation_purchase_date"),
			DateNextCharge:     r.time("subscription_date_next_charge"),
			Price:              r.money("price", cur),
			FullPrice:          r.money("full_price", cur),
			OriginalOfferPrice: r.money("original_offer_price", cur),
			Offer:              Offer{Code: r.str("off"), CouponCode: r.str("coupon_code")},
			RecurrenceNumber:   r.int("recurrency"),
			Origin:             Origin{Src: r.str("src"), Sck: r.str("sck"), Xcod: r.str("xcod")},
			OrderBump: OrderBump{
				IsOrderBump:               r.bool("order_bump"),
				ParentPurchaseTransaction: r.str("parent_purchase_transaction"),
			},
			Payment: Payment{
				Type:               PaymentType(strings.ToUpper(r.str("payment_type"))),
				InstallmentsNumber: r.int("installments_number"),
				BilletURL:          r.str("billet_url"),
				BilletBarcode:      r.str("billet_barcode"),
				RefusalReason:      r.str("refusal_reason"),
			},
			IsFunnel:      r.bool("funnel"),
			BusinessModel: r.str("business_model"),
		},
	}
	d.Buyer.CheckoutPhoneCode, d.Buyer.CheckoutPhone = r.str("phone_checkout_local_code"), r.str("phone_checkout_number")
	if d.Buyer.CheckoutPhone == "" {
		d.Buyer.CheckoutPhoneCode, d.Buyer.CheckoutPhone = r.str("phone_local_code"), r.str("phone_number")
	}
	if code := r.str("aff"); code != "" || r.str("aff_name") != "" {
		d.Affiliates = []Affiliate{{Code: code, Name: r.str("aff_name")}}
	}
	for _, c := range []struct {
		key, currencyKey string
		source           CommissionSource
	}{
		{"cms_marketplace", "", SourceMarketplace},
		{"cms_vendor", "", SourceProducer},
		{"cms_aff", "cms_aff_currency", SourceAffiliate},
	} {
		v := r.decimal(c.key)
		if v == "" {
			continue
		}
		ccy := cur
		if c.currencyKey != "" && r.str(c.currencyKey) != "" {
			ccy = strings.ToUpper(r.str(c.currencyKey))
		}
		d.Commissions = append(d.Commissions, Commission{Value: v, Currency: ccy, Source: c.source})
	}
	code, plan, status := r.str("subscriber_code"), r.str("name_subscription_plan"), r.str("subscription_status")
	if code != "" || plan != "" || status != "" {
		d.Subscription = &PurchaseSubscription{
			Status:     SubscriptionStatus(strings.ToUpper(status)),
			Plan:       Plan{Name: plan},
			Subscriber: SubscriberRef{Code: ID(code)},
		}
	}
	return d
}
