package hotmart

import "strings"

// Buyer is the person behind an event, whatever the family calls them:
// data.buyer in purchases and cart abandonment, data.subscriber in
// subscription events, data.user in members-area events and
// data.purchase.shopper in order fulfillment. Fields the event does not carry
// are empty.
type Buyer struct {
	Email        string
	Name         string
	FirstName    string
	LastName     string
	Phone        Phone
	Document     string
	DocumentType DocumentType
	Address      Address
}

// Phone is a phone number split as Hotmart sends it: CountryCode (DDI) is
// only filled when it is known to be Brazil's 55 (a Brazilian address with
// a two-digit area code); international numbers carry their DDI inside
// Number. An area code that is not two digits (Hotmart's test sends put
// nine there) is dropped rather than glued onto the number.
type Phone struct {
	CountryCode string // DDI, e.g. "55"
	AreaCode    string // DDD, Brazilian area code
	Number      string
}

// IsZero reports whether no number is known.
func (p Phone) IsZero() bool { return p.Number == "" }

// String joins the parts as digits, prefixed by "+" when the country code is
// known: "+5531999999999", or "31999999999".
func (p Phone) String() string {
	if p.Number == "" {
		return ""
	}
	if p.CountryCode == "" {
		return p.AreaCode + p.Number
	}
	return "+" + p.CountryCode + p.AreaCode + p.Number
}

// Buyer returns the buyer view of the event. For an event whose data did not
// decode, or an unknown event type, it is the zero Buyer.
func (e *Event) Buyer() Buyer {
	switch d := e.data.(type) {
	case *PurchaseData:
		b := d.Buyer
		out := Buyer{
			Email: b.Email, Name: b.Name, FirstName: b.FirstName, LastName: b.LastName,
			Document: b.Document, DocumentType: b.DocumentType, Address: b.Address,
			Phone: Phone{Number: b.CheckoutPhone},
		}
		out.Phone = checkoutPhone(b.CheckoutPhoneCode, b.CheckoutPhone, b.Address.CountryISO)
		return out
	case *CartAbandonmentData:
		return Buyer{Email: d.Buyer.Email, Name: d.Buyer.Name, Phone: Phone{Number: d.Buyer.Phone},
			Address: Address{CountryISO: d.CheckoutCountry.ISO, Country: d.CheckoutCountry.Name}}
	case *SubscriptionCancellationData:
		return Buyer{Email: d.Subscriber.Email, Name: d.Subscriber.Name, Phone: d.Subscriber.Phone.best()}
	case *SwitchPlanData:
		return Buyer{Email: d.Subscription.User.Email, Name: d.Subscription.User.Name}
	case *ChargeDateUpdateData:
		return Buyer{Email: d.Subscriber.Email, Name: d.Subscriber.Name, Phone: d.Subscriber.Phone.best()}
	case *ClubFirstAccessData:
		return Buyer{Email: d.User.Email, Name: d.User.Name}
	case *ClubModuleCompletedData:
		return Buyer{Email: d.User.Email, Name: d.User.Name}
	case *OrderFulfillmentData:
		s := d.Purchase.Shopper
		return Buyer{Email: s.Email, Name: s.Name, Phone: Phone{Number: s.Phone}, Document: s.Document, Address: s.Address}
	}
	return Buyer{}
}

// checkoutPhone splits a purchase buyer's phone. checkout_phone_code is a
// Brazilian DDD; test sends put nine digits there, which is no area code,
// so only two digits are trusted. checkout_phone usually holds the local
// number, but real 2026 deliveries repeat the DDD inside it (code "65",
// phone "65990000000"): a number of 10 or 11 digits already carries its
// area code (8 or 9 local digits after a two-digit DDD), so it is split
// rather than prefixed again.
func checkoutPhone(code, number, countryISO string) Phone {
	p := Phone{Number: number}
	if !isAreaCode(code) {
		return p
	}
	p.AreaCode = code
	if n := len(number); (n == 10 || n == 11) && isDigits(number) && isAreaCode(number[:2]) {
		p.AreaCode, p.Number = number[:2], number[2:]
	}
	if strings.EqualFold(countryISO, "BR") {
		p.CountryCode = "55"
	}
	return p
}

func isDigits[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// isAreaCode reports whether s is a two-digit Brazilian DDD (11 to 99).
func isAreaCode(s string) bool {
	return len(s) == 2 && s[0] >= '1' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s != "10"
}

// best prefers the mobile number, which is what messaging tools want.
func (p SubscriberPhone) best() Phone {
	if p.Cell != "" {
		return Phone{AreaCode: p.DDDCell, Number: p.Cell}
	}
	return Phone{AreaCode: p.DDDPhone, Number: p.Phone}
}

// ProductRef identifies the product an event is about.
type ProductRef struct {
	ID    ID
	UCode string // only purchase events carry it
	Name  string
}

// Product returns the product the event is about, whatever family it is;
// the zero ProductRef when the event carries none. For ORDER_FULFILLMENT it
// is the first line item's product.
func (e *Event) Product() ProductRef {
	var p *Product
	switch d := e.data.(type) {
	case *PurchaseData:
		p = &d.Product
	case *CartAbandonmentData:
		p = &d.Product
	case *SubscriptionCancellationData:
		p = &d.Product
	case *SwitchPlanData:
		p = &d.Subscription.Product
	case *ChargeDateUpdateData:
		p = &d.Subscription.Product
	case *ClubFirstAccessData:
		p = &d.Product
	case *ClubModuleCompletedData:
		p = &d.Product
	case *OrderFulfillmentData:
		if len(d.LineItems) > 0 {
			lp := d.LineItems[0].Product
			return ProductRef{ID: lp.ID, UCode: lp.UCode, Name: lp.Name}
		}
		return ProductRef{}
	default:
		return ProductRef{}
	}
	return ProductRef{ID: p.ID, UCode: p.UCode, Name: p.Name}
}
