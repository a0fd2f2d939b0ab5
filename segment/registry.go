package segment

import (
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// The field registry: every path conditions and templates accept, with the
// accessor that reads it from each event family that carries it. Accessors
// check the family before calling the typed accessor, so an event of another
// family costs a comparison, not an error value.

func purchaseOf(e *hotmart.Event) *hotmart.PurchaseData {
	if e.Type.Family() != hotmart.FamilyPurchase {
		return nil
	}
	d, err := e.Purchase()
	if err != nil {
		return nil
	}
	return d
}

func cartOf(e *hotmart.Event) *hotmart.CartAbandonmentData {
	if e.Type.Family() != hotmart.FamilyCartAbandonment {
		return nil
	}
	d, err := e.CartAbandonment()
	if err != nil {
		return nil
	}
	return d
}

func cancellationOf(e *hotmart.Event) *hotmart.SubscriptionCancellationData {
	if e.Type.Family() != hotmart.FamilySubscriptionCancellation {
		return nil
	}
	d, err := e.SubscriptionCancellation()
	if err != nil {
		return nil
	}
	return d
}

func switchPlanOf(e *hotmart.Event) *hotmart.SwitchPlanData {
	if e.Type.Family() != hotmart.FamilySwitchPlan {
		return nil
	}
	d, err := e.SwitchPlan()
	if err != nil {
		return nil
	}
	return d
}

func chargeDateOf(e *hotmart.Event) *hotmart.ChargeDateUpdateData {
	if e.Type.Family() != hotmart.FamilyChargeDateUpdate {
		return nil
	}
	d, err := e.ChargeDateUpdate()
	if err != nil {
		return nil
	}
	return d
}

func fulfillmentOf(e *hotmart.Event) *hotmart.OrderFulfillmentData {
	if e.Type.Family() != hotmart.FamilyOrderFulfillment {
		return nil
	}
	d, err := e.OrderFulfillment()
	if err != nil {
		return nil
	}
	return d
}

func canonPurchaseStatus(s string) string { return string(hotmart.PurchaseStatus(s).Canonical()) }
func canonPaymentType(s string) string    { return string(hotmart.PaymentType(s).Canonical()) }
func canonSubscriptionStatus(s string) string {
	return string(hotmart.SubscriptionStatus(s).Canonical())
}
func canonDocumentType(s string) string { return string(hotmart.DocumentType(s).Canonical()) }

// upperCanon is the canonical form of enums with no spelling drift.
func upperCanon(s string) string { return strings.ToUpper(s) }

// purchaseText builds the accessor of a text field that only purchase
// events carry.
func purchaseText(read func(*hotmart.PurchaseData) string) func(*hotmart.Event) value {
	return func(e *hotmart.Event) value {
		if d := purchaseOf(e); d != nil {
			return text(read(d))
		}
		return value{}
	}
}

// buyerText builds the accessor of a text field of the buyer. Purchase
// events, the most common, read their buyer block in place; the others go
// through the Buyer view.
func buyerText(inPurchase func(*hotmart.PurchaseBuyer) string, inView func(*hotmart.Buyer) string) func(*hotmart.Event) value {
	return func(e *hotmart.Event) value {
		if d := purchaseOf(e); d != nil {
			return text(inPurchase(&d.Buyer))
		}
		b := e.Buyer()
		return text(inView(&b))
	}
}

// commissionValue reads the value of the first commission paid to source.
func commissionValue(source hotmart.CommissionSource) func(*hotmart.Event) value {
	return func(e *hotmart.Event) value {
		if d := purchaseOf(e); d != nil {
			if c, ok := d.Commission(source); ok {
				return text(string(c.Value))
			}
		}
		return value{}
	}
}

func commissionCurrency(source hotmart.CommissionSource) func(*hotmart.Event) value {
	return func(e *hotmart.Event) value {
		if d := purchaseOf(e); d != nil {
			if c, ok := d.Commission(source); ok {
				return text(c.Currency)
			}
		}
		return value{}
	}
}

// phoneValue keeps the parts of a phone apart so rendering need not join
// them; "+55" is the only country code hotmart.Buyer fills in.
func phoneValue(p hotmart.Phone) value {
	if p.Number == "" {
		return value{}
	}
	v := value{kind: kindText, s: p.Number}
	switch p.CountryCode {
	case "":
	case "55":
		v.pre[0] = "+55"
	default:
		v.pre[0] = "+" + p.CountryCode
	}
	v.pre[1] = p.AreaCode
	return v
}

const (
	purchaseEvents     = "the nine purchase events"
	purchaseAndOrder   = "purchase events and ORDER_FULFILLMENT"
	purchaseAndCart    = "purchase events and PURCHASE_OUT_OF_SHOPPING_CART"
	everyEventWithData = "every event that names one"
	subscriptionEvents = "purchase events of subscriptions, SUBSCRIPTION_CANCELLATION, SWITCH_PLAN and UPDATE_SUBSCRIPTION_CHARGE_DATE"
)

// fieldList is the registry, in documentation order.
var fieldList = []*field{
	{
		FieldInfo: FieldInfo{Path: "event", Type: TypeEnum, Example: "PURCHASE_APPROVED",
			Doc: "the event type; present on every event"},
		canon: upperCanon,
		get:   func(e *hotmart.Event) value { return text(string(e.Type)) },
	},

	// product.*
	{
		FieldInfo: FieldInfo{Path: "product.id", Type: TypeIdentifier, Example: "4062912",
			Doc: "the product id; " + everyEventWithData + " (ORDER_FULFILLMENT: first line item)"},
		get: func(e *hotmart.Event) value { return text(string(e.Product().ID)) },
	},
	{
		FieldInfo: FieldInfo{Path: "product.ucode", Type: TypeString, Example: "fb056612-bcc6-4217-9e6d-2a5d1110ac2f",
			Doc: "the product's ucode; purchase events and ORDER_FULFILLMENT"},
		fold: true,
		get:  func(e *hotmart.Event) value { return text(e.Product().UCode) },
	},
	{
		FieldInfo: FieldInfo{Path: "product.name", Type: TypeString, Example: "Curso de Excel",
			Doc: "the product name; " + everyEventWithData},
		get: func(e *hotmart.Event) value { return text(e.Product().Name) },
	},

	// buyer.*
	{
		FieldInfo: FieldInfo{Path: "buyer.email", Type: TypeString, Example: "ana@example.com", Personal: true,
			Doc: "the buyer's, subscriber's or member's e-mail (case-insensitive); every event with a person"},
		fold: true,
		get:  buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Email }, func(b *hotmart.Buyer) string { return b.Email }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.name", Type: TypeString, Example: "Ana Souza",
			Doc: "the person's full name; every event with a person"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Name }, func(b *hotmart.Buyer) string { return b.Name }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.first_name", Type: TypeString, Example: "Ana",
			Doc: "the buyer's first name; purchase events"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.FirstName }, func(b *hotmart.Buyer) string { return b.FirstName }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.last_name", Type: TypeString, Example: "Souza",
			Doc: "the buyer's last name; purchase events"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.LastName }, func(b *hotmart.Buyer) string { return b.LastName }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.phone", Type: TypeString, Example: "+5531999999999", Personal: true,
			Doc: `the phone as digits, "+55" and area code first for Brazilian numbers; purchase, cart, SUBSCRIPTION_CANCELLATION, UPDATE_SUBSCRIPTION_CHARGE_DATE and ORDER_FULFILLMENT events`},
		get: func(e *hotmart.Event) value { return phoneValue(e.Buyer().Phone) },
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.document", Type: TypeString, Example: "12345678900", Personal: true,
			Doc: "the buyer's CPF/CNPJ or other document; purchase events and ORDER_FULFILLMENT"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Document }, func(b *hotmart.Buyer) string { return b.Document }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.document_type", Type: TypeEnum, Example: "CPF",
			Doc: "CPF, CNPJ, DNI, CIF or DOCUMENT; purchase events"},
		canon: canonDocumentType,
		get:   buyerText(func(b *hotmart.PurchaseBuyer) string { return string(b.DocumentType) }, func(b *hotmart.Buyer) string { return string(b.DocumentType) }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.address.country_iso", Type: TypeString, Example: "BR",
			Doc: "ISO country code (case-insensitive); purchase events, ORDER_FULFILLMENT, and the checkout country of PURCHASE_OUT_OF_SHOPPING_CART"},
		fold: true,
		get:  buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Address.CountryISO }, func(b *hotmart.Buyer) string { return b.Address.CountryISO }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.address.state", Type: TypeString, Example: "Minas Gerais",
			Doc: "state as the buyer typed it; purchase events and ORDER_FULFILLMENT"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Address.State }, func(b *hotmart.Buyer) string { return b.Address.State }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.address.city", Type: TypeString, Example: "Uberlândia",
			Doc: "city; purchase events and ORDER_FULFILLMENT"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Address.City }, func(b *hotmart.Buyer) string { return b.Address.City }),
	},
	{
		FieldInfo: FieldInfo{Path: "buyer.address.zipcode", Type: TypeString, Example: "38400123",
			Doc: "postcode; purchase events and ORDER_FULFILLMENT"},
		get: buyerText(func(b *hotmart.PurchaseBuyer) string { return b.Address.Zipcode }, func(b *hotmart.Buyer) string { return b.Address.Zipcode }),
	},

	// purchase.*
	{
		FieldInfo: FieldInfo{Path: "purchase.transaction", Type: TypeIdentifier, Example: "HP16015479281022",
			Doc: "the transaction code; " + purchaseAndOrder},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(d.Purchase.Transaction)
			}
			if d := fulfillmentOf(e); d != nil {
				return text(d.Purchase.Transaction)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.status", Type: TypeEnum, Example: "COMPLETE",
			Doc: "the purchase status (COMPLETED = COMPLETE, CANCELED = CANCELLED, BILLET_PRINTED = PRINTED_BILLET, PROTESTED = DISPUTE); " + purchaseAndOrder},
		canon: canonPurchaseStatus,
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(string(d.Purchase.Status))
			}
			if d := fulfillmentOf(e); d != nil {
				return text(string(d.Purchase.Status))
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.payment.type", Type: TypeEnum, Example: "CREDIT_CARD",
			Doc: "payment method (CASHPAYMENT = CASH_PAYMENT); " + purchaseEvents},
		canon: canonPaymentType,
		get:   purchaseText(func(d *hotmart.PurchaseData) string { return string(d.Purchase.Payment.Type) }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.payment.installments", Type: TypeInteger, Example: "12",
			Doc: "number of installments, absent when not sent or 0; " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return integer(d.Purchase.Payment.InstallmentsNumber)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.payment.billet_url", Type: TypeString, Example: "https://billet-link.com/bGlua19ib2xldG8",
			Doc: "the boleto link of billet payments; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Payment.BilletURL }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.payment.billet_barcode", Type: TypeString, Example: "03399.33335 33823.303087 19842.501014 7 00000000000000",
			Doc: "the boleto barcode; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Payment.BilletBarcode }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.payment.pix_code", Type: TypeString, Example: "00020101021226...",
			Doc: "the Pix copy-and-paste code; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Payment.PixCode }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.price.value", Type: TypeDecimal, Example: "149.90",
			Doc: "the price paid; " + purchaseAndOrder},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(string(d.Purchase.Price.Value))
			}
			if d := fulfillmentOf(e); d != nil {
				return text(string(d.Purchase.Price.Value))
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.price.currency", Type: TypeString, Example: "BRL",
			Doc: "ISO currency of the price (case-insensitive), absent in 2022 bodies; " + purchaseAndOrder},
		fold: true,
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(d.Purchase.Price.Currency)
			}
			if d := fulfillmentOf(e); d != nil {
				return text(d.Purchase.Price.Currency)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.full_price.value", Type: TypeDecimal, Example: "199.90",
			Doc: "the offer's full price; " + purchaseAndOrder},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(string(d.Purchase.FullPrice.Value))
			}
			if d := fulfillmentOf(e); d != nil {
				return text(string(d.Purchase.FullPrice.Value))
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.offer.code", Type: TypeIdentifier, Example: "k2pasun0",
			Doc: "the offer code; " + purchaseAndCart + ", and the current plan's offer key of SWITCH_PLAN"},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(d.Purchase.Offer.ID())
			}
			if d := cartOf(e); d != nil {
				return text(d.Offer.ID())
			}
			if d := switchPlanOf(e); d != nil {
				if p, ok := d.CurrentPlan(); ok {
					return text(p.Offer.ID())
				}
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.coupon", Type: TypeString, Example: "BLACKFRIDAY",
			Doc: "the coupon code used, absent when none; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Offer.CouponCode }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.recurrence_number", Type: TypeInteger, Example: "1",
			Doc: "which charge of a subscription this is (1 = first), absent for one-off sales; " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return integer(d.Purchase.RecurrenceNumber)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.is_funnel", Type: TypeBoolean, Example: "true",
			Doc: "whether the sale came through a sales funnel (false when not sent); " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return boolean(d.Purchase.IsFunnel)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.order_bump", Type: TypeBoolean, Example: "true",
			Doc: "whether the purchase is an order bump (false when not sent); " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return boolean(d.Purchase.OrderBump.IsOrderBump)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.checkout_country", Type: TypeString, Example: "BR",
			Doc: "ISO code of the checkout country (case-insensitive); " + purchaseAndCart},
		fold: true,
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				return text(d.Purchase.CheckoutCountry.ISO)
			}
			if d := cartOf(e); d != nil {
				return text(d.CheckoutCountry.ISO)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.origin.src", Type: TypeString, Example: "instagram",
			Doc: "the src tracking parameter; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Origin.Src }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.origin.sck", Type: TypeString, Example: "HOTMART_PRODUCT_PAGE",
			Doc: "the sck tracking parameter; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Origin.Sck }),
	},
	{
		FieldInfo: FieldInfo{Path: "purchase.origin.xcod", Type: TypeString, Example: "campaign42",
			Doc: "the xcod tracking parameter; " + purchaseEvents},
		get: purchaseText(func(d *hotmart.PurchaseData) string { return d.Purchase.Origin.Xcod }),
	},

	// affiliate.*
	{
		FieldInfo: FieldInfo{Path: "affiliate.code", Type: TypeIdentifier, Example: "Q58388177J",
			Doc: "the affiliate's code, absent (not \"\") when the sale has no affiliate; " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if a, ok := d.Affiliate(); ok {
					return text(a.Code)
				}
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "affiliate.name", Type: TypeString, Example: "Affiliate name",
			Doc: "the affiliate's name, absent when the sale has no affiliate; " + purchaseEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if a, ok := d.Affiliate(); ok {
					return text(a.Name)
				}
			}
			return value{}
		},
	},

	// subscription.*
	{
		FieldInfo: FieldInfo{Path: "subscription.status", Type: TypeEnum, Example: "CANCELLED_BY_SELLER",
			Doc: "the subscription status (CANCELED_BY_VENDOR = CANCELLED_BY_SELLER, PAST_DUE = OVERDUE, …); purchase events of subscriptions, SWITCH_PLAN and UPDATE_SUBSCRIPTION_CHARGE_DATE"},
		canon: canonSubscriptionStatus,
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if d.Subscription != nil {
					return text(string(d.Subscription.Status))
				}
				return value{}
			}
			if d := switchPlanOf(e); d != nil {
				return text(string(d.Subscription.Status))
			}
			if d := chargeDateOf(e); d != nil {
				return text(string(d.Subscription.Status))
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "subscription.subscriber_code", Type: TypeIdentifier, Example: "I9OT62C3",
			Doc: "the subscriber code (per buyer and product); " + subscriptionEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if d.Subscription != nil {
					return text(string(d.Subscription.Subscriber.Code))
				}
				return value{}
			}
			if d := cancellationOf(e); d != nil {
				return text(string(d.Subscriber.Code))
			}
			if d := switchPlanOf(e); d != nil {
				return text(string(d.Subscription.SubscriberCode))
			}
			if d := chargeDateOf(e); d != nil {
				return text(string(d.Subscriber.Code))
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "subscription.plan.name", Type: TypeString, Example: "Plano Anual",
			Doc: "the plan's name (SWITCH_PLAN: the new plan); " + subscriptionEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if d.Subscription != nil {
					return text(d.Subscription.Plan.Name)
				}
				return value{}
			}
			if d := cancellationOf(e); d != nil {
				return text(d.Subscription.Plan.Name)
			}
			if d := switchPlanOf(e); d != nil {
				if p, ok := d.CurrentPlan(); ok {
					return text(p.Name)
				}
				return value{}
			}
			if d := chargeDateOf(e); d != nil {
				return text(d.Plan.Name)
			}
			return value{}
		},
	},
	{
		FieldInfo: FieldInfo{Path: "subscription.plan.id", Type: TypeIdentifier, Example: "123",
			Doc: "the plan's id (SWITCH_PLAN: the new plan); " + subscriptionEvents},
		get: func(e *hotmart.Event) value {
			if d := purchaseOf(e); d != nil {
				if d.Subscription != nil {
					return text(string(d.Subscription.Plan.ID))
				}
				return value{}
			}
			if d := cancellationOf(e); d != nil {
				return text(string(d.Subscription.Plan.ID))
			}
			if d := switchPlanOf(e); d != nil {
				if p, ok := d.CurrentPlan(); ok {
					return text(string(p.ID))
				}
				return value{}
			}
			if d := chargeDateOf(e); d != nil {
				return text(string(d.Plan.ID))
			}
			return value{}
		},
	},

	// commission.*
	{
		FieldInfo: FieldInfo{Path: "commission.producer.value", Type: TypeDecimal, Example: "1350.5",
			Doc: "the producer's commission; " + purchaseEvents},
		get: commissionValue(hotmart.SourceProducer),
	},
	{
		FieldInfo: FieldInfo{Path: "commission.producer.currency", Type: TypeString, Example: "BRL",
			Doc: "currency of the producer's commission (case-insensitive); " + purchaseEvents},
		fold: true,
		get:  commissionCurrency(hotmart.SourceProducer),
	},
	{
		FieldInfo: FieldInfo{Path: "commission.coproducer.value", Type: TypeDecimal, Example: "200",
			Doc: "the co-producer's commission; " + purchaseEvents},
		get: commissionValue(hotmart.SourceCoproducer),
	},
	{
		FieldInfo: FieldInfo{Path: "commission.affiliate.value", Type: TypeDecimal, Example: "300",
			Doc: "the affiliate's commission; " + purchaseEvents},
		get: commissionValue(hotmart.SourceAffiliate),
	},
	{
		FieldInfo: FieldInfo{Path: "commission.marketplace.value", Type: TypeDecimal, Example: "149.5",
			Doc: "Hotmart's fee; " + purchaseEvents},
		get: commissionValue(hotmart.SourceMarketplace),
	},
}
