package hotmart

// The field tables and per-struct decoders of the purchase data section.
// Each fieldSet lists the struct's JSON names in field order; the switch
// that follows it uses those positions.

var fieldsPurchaseData = newFieldSet("product", "affiliates", "buyer", "producer", "commissions", "purchase", "subscription", "shipping")

func (d *purchaseDecoder) purchaseData(v *PurchaseData) {
	fs := fieldsPurchaseData
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			decodeStruct(d, &v.Product, typeProduct, (*purchaseDecoder).product)
		case 1:
			decodeSlice(d, &v.Affiliates, typeAffiliates, typeAffiliate, (*purchaseDecoder).affiliate)
		case 2:
			decodeStruct(d, &v.Buyer, typePurchaseBuyer, (*purchaseDecoder).purchaseBuyer)
		case 3:
			decodeStruct(d, &v.Producer, typeProducer, (*purchaseDecoder).producer)
		case 4:
			decodeSlice(d, &v.Commissions, typeCommissions, typeCommission, (*purchaseDecoder).commission)
		case 5:
			decodeStruct(d, &v.Purchase, typePurchase, (*purchaseDecoder).purchase)
		case 6:
			decodePointer(d, &v.Subscription, typePurchaseSubscription, (*purchaseDecoder).purchaseSubscription)
		case 7:
			decodePointer(d, &v.Shipping, typePurchaseShipping, (*purchaseDecoder).purchaseShipping)
		}
	}
}

var fieldsProduct = newFieldSet("id", "ucode", "name", "has_co_production", "warranty_date", "support_email", "is_physical_product", "content")

func (d *purchaseDecoder) product(v *Product) {
	fs := fieldsProduct
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.id(&v.ID)
		case 1:
			d.str(&v.UCode)
		case 2:
			d.str(&v.Name)
		case 3:
			d.boolean(&v.HasCoProduction)
		case 4:
			d.time(&v.WarrantyDate)
		case 5:
			d.str(&v.SupportEmail)
		case 6:
			d.boolean(&v.IsPhysicalProduct)
		case 7:
			decodePointer(d, &v.Content, typeProductContent, (*purchaseDecoder).productContent)
		}
	}
}

var fieldsProductContent = newFieldSet("has_physical_products", "products")

func (d *purchaseDecoder) productContent(v *ProductContent) {
	fs := fieldsProductContent
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.boolean(&v.HasPhysicalProducts)
		case 1:
			decodeSlice(d, &v.Products, typeBundledProducts, typeBundledProduct, (*purchaseDecoder).bundledProduct)
		}
	}
}

var fieldsBundledProduct = newFieldSet("id", "ucode", "name", "is_physical_product")

func (d *purchaseDecoder) bundledProduct(v *BundledProduct) {
	fs := fieldsBundledProduct
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.id(&v.ID)
		case 1:
			d.str(&v.UCode)
		case 2:
			d.str(&v.Name)
		case 3:
			d.boolean(&v.IsPhysicalProduct)
		}
	}
}

var fieldsAffiliate = newFieldSet("affiliate_code", "name")

func (d *purchaseDecoder) affiliate(v *Affiliate) {
	fs := fieldsAffiliate
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Code)
		case 1:
			d.str(&v.Name)
		}
	}
}

var fieldsPurchaseBuyer = newFieldSet("email", "name", "first_name", "last_name", "checkout_phone", "checkout_phone_code", "document", "document_type", "address")

func (d *purchaseDecoder) purchaseBuyer(v *PurchaseBuyer) {
	fs := fieldsPurchaseBuyer
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Email)
		case 1:
			d.str(&v.Name)
		case 2:
			d.str(&v.FirstName)
		case 3:
			d.str(&v.LastName)
		case 4:
			d.str(&v.CheckoutPhone)
		case 5:
			d.str(&v.CheckoutPhoneCode)
		case 6:
			d.str(&v.Document)
		case 7:
			decodeString(d, &v.DocumentType, typeDocumentType)
		case 8:
			decodeStruct(d, &v.Address, typeAddress, (*purchaseDecoder).address)
		}
	}
}

var fieldsAddress = newFieldSet("country_iso", "country", "zipcode", "state", "city", "neighborhood", "address", "street", "complement", "number")

func (d *purchaseDecoder) address(v *Address) {
	fs := fieldsAddress
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.CountryISO)
		case 1:
			d.str(&v.Country)
		case 2:
			d.str(&v.Zipcode)
		case 3:
			d.str(&v.State)
		case 4:
			d.str(&v.City)
		case 5:
			d.str(&v.Neighborhood)
		case 6:
			d.str(&v.Address)
		case 7:
			d.str(&v.Street)
		case 8:
			d.str(&v.Complement)
		case 9:
			d.str(&v.Number)
		}
	}
}

var fieldsProducer = newFieldSet("name", "document", "legal_nature")

func (d *purchaseDecoder) producer(v *Producer) {
	fs := fieldsProducer
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Name)
		case 1:
			d.str(&v.Document)
		case 2:
			d.str(&v.LegalNature)
		}
	}
}

var fieldsCommission = newFieldSet("value", "currency_value", "source", "currency_conversion")

func (d *purchaseDecoder) commission(v *Commission) {
	fs := fieldsCommission
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.decimal(&v.Value)
		case 1:
			d.str(&v.Currency)
		case 2:
			decodeString(d, &v.Source, typeCommissionSource)
		case 3:
			decodePointer(d, &v.CurrencyConversion, typeCurrencyConversion, (*purchaseDecoder).currencyConversion)
		}
	}
}

var fieldsCurrencyConversion = newFieldSet("converted_value", "converted_to_currency", "conversion_rate")

func (d *purchaseDecoder) currencyConversion(v *CurrencyConversion) {
	fs := fieldsCurrencyConversion
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.decimal(&v.ConvertedValue)
		case 1:
			d.str(&v.ConvertedToCurrency)
		case 2:
			d.decimal(&v.ConversionRate)
		}
	}
}

var fieldsPurchase = newFieldSet("transaction", "status", "order_date", "approved_date", "date_next_charge",
	"full_price", "original_offer_price", "price", "offer", "recurrence_number",
	"subscription_anticipation_purchase", "origin", "checkout_country", "order_bump", "payment",
	"invoice_by", "is_funnel", "event_tickets", "business_model", "variants", "sckPaymentLink", "buyer_ip")

func (d *purchaseDecoder) purchase(v *Purchase) {
	fs := fieldsPurchase
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Transaction)
		case 1:
			decodeString(d, &v.Status, typePurchaseStatus)
		case 2:
			d.time(&v.OrderDate)
		case 3:
			d.time(&v.ApprovedDate)
		case 4:
			d.time(&v.DateNextCharge)
		case 5:
			decodeStruct(d, &v.FullPrice, typeMoney, (*purchaseDecoder).money)
		case 6:
			decodeStruct(d, &v.OriginalOfferPrice, typeMoney, (*purchaseDecoder).money)
		case 7:
			decodeStruct(d, &v.Price, typeMoney, (*purchaseDecoder).money)
		case 8:
			decodeStruct(d, &v.Offer, typeOffer, (*purchaseDecoder).offer)
		case 9:
			decodeInt(d, &v.RecurrenceNumber, typeInt)
		case 10:
			d.boolean(&v.SubscriptionAnticipationPurchase)
		case 11:
			decodeStruct(d, &v.Origin, typeOrigin, (*purchaseDecoder).origin)
		case 12:
			decodeStruct(d, &v.CheckoutCountry, typeCountry, (*purchaseDecoder).country)
		case 13:
			decodeStruct(d, &v.OrderBump, typeOrderBump, (*purchaseDecoder).orderBump)
		case 14:
			decodeStruct(d, &v.Payment, typePayment, (*purchaseDecoder).payment)
		case 15:
			d.str(&v.InvoiceBy)
		case 16:
			d.boolean(&v.IsFunnel)
		case 17:
			decodeStruct(d, &v.EventTickets, typeEventTickets, (*purchaseDecoder).eventTickets)
		case 18:
			d.str(&v.BusinessModel)
		case 19:
			decodePointer(d, &v.Variants, typeVariants, (*purchaseDecoder).variants)
		case 20:
			d.str(&v.SckPaymentLink)
		case 21:
			d.str(&v.BuyerIP)
		}
	}
}

var fieldsMoney = newFieldSet("value", "currency_value")

func (d *purchaseDecoder) money(v *Money) {
	fs := fieldsMoney
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.decimal(&v.Value)
		case 1:
			d.str(&v.Currency)
		}
	}
}

var fieldsOffer = newFieldSet("code", "key", "coupon_code", "name", "description", "metadata")

func (d *purchaseDecoder) offer(v *Offer) {
	fs := fieldsOffer
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Code)
		case 1:
			d.str(&v.Key)
		case 2:
			d.str(&v.CouponCode)
		case 3:
			d.str(&v.Name)
		case 4:
			d.str(&v.Description)
		case 5:
			d.raw(&v.Metadata)
		}
	}
}

var fieldsOrigin = newFieldSet("src", "sck", "xcod")

func (d *purchaseDecoder) origin(v *Origin) {
	fs := fieldsOrigin
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Src)
		case 1:
			d.str(&v.Sck)
		case 2:
			d.str(&v.Xcod)
		}
	}
}

var fieldsCountry = newFieldSet("name", "iso")

func (d *purchaseDecoder) country(v *Country) {
	fs := fieldsCountry
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Name)
		case 1:
			d.str(&v.ISO)
		}
	}
}

var fieldsOrderBump = newFieldSet("is_order_bump", "parent_purchase_transaction")

func (d *purchaseDecoder) orderBump(v *OrderBump) {
	fs := fieldsOrderBump
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.boolean(&v.IsOrderBump)
		case 1:
			d.str(&v.ParentPurchaseTransaction)
		}
	}
}

var fieldsPayment = newFieldSet("type", "installments_number", "billet_url", "billet_barcode", "pix_code", "pix_qrcode", "pix_expiration_date", "refusal_reason")

func (d *purchaseDecoder) payment(v *Payment) {
	fs := fieldsPayment
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			decodeString(d, &v.Type, typePaymentType)
		case 1:
			decodeInt(d, &v.InstallmentsNumber, typeInt)
		case 2:
			d.str(&v.BilletURL)
		case 3:
			d.str(&v.BilletBarcode)
		case 4:
			d.str(&v.PixCode)
		case 5:
			d.str(&v.PixQRCode)
		case 6:
			d.time(&v.PixExpirationDate)
		case 7:
			d.str(&v.RefusalReason)
		}
	}
}

var fieldsEventTickets = newFieldSet("amount")

func (d *purchaseDecoder) eventTickets(v *EventTickets) {
	fs := fieldsEventTickets
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		decodeInt(d, &v.Amount, typeInt64)
	}
}

var fieldsVariants = newFieldSet("sku", "attributes")

func (d *purchaseDecoder) variants(v *Variants) {
	fs := fieldsVariants
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.SKU)
		case 1:
			decodeSlice(d, &v.Attributes, typeAttributes, typeAttribute, (*purchaseDecoder).attribute)
		}
	}
}

var fieldsAttribute = newFieldSet("name", "value")

func (d *purchaseDecoder) attribute(v *Attribute) {
	fs := fieldsAttribute
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Name)
		case 1:
			d.str(&v.Value)
		}
	}
}

var fieldsPurchaseSubscription = newFieldSet("status", "plan", "subscriber")

func (d *purchaseDecoder) purchaseSubscription(v *PurchaseSubscription) {
	fs := fieldsPurchaseSubscription
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			decodeString(d, &v.Status, typeSubscriptionStatus)
		case 1:
			decodeStruct(d, &v.Plan, typePlan, (*purchaseDecoder).plan)
		case 2:
			decodeStruct(d, &v.Subscriber, typeSubscriberRef, (*purchaseDecoder).subscriberRef)
		}
	}
}

var fieldsPlan = newFieldSet("id", "name", "offer")

func (d *purchaseDecoder) plan(v *Plan) {
	fs := fieldsPlan
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.id(&v.ID)
		case 1:
			d.str(&v.Name)
		case 2:
			decodePointer(d, &v.Offer, typeOffer, (*purchaseDecoder).offer)
		}
	}
}

var fieldsSubscriberRef = newFieldSet("code")

func (d *purchaseDecoder) subscriberRef(v *SubscriberRef) {
	fs := fieldsSubscriberRef
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		d.id(&v.Code)
	}
}

var fieldsPurchaseShipping = newFieldSet("cost", "estimated_delivery_days", "carrier", "fulfillment")

func (d *purchaseDecoder) purchaseShipping(v *PurchaseShipping) {
	fs := fieldsPurchaseShipping
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			decodeStruct(d, &v.Cost, typeMoney, (*purchaseDecoder).money)
		case 1:
			decodeInt(d, &v.EstimatedDeliveryDays, typeInt)
		case 2:
			decodeStruct(d, &v.Carrier, typeCarrier, (*purchaseDecoder).carrier)
		case 3:
			if d.b[d.i] != '{' {
				d.nullOr(typeFulfillment)
				continue
			}
			if d.enter() {
				ff := fieldsFulfillment
				for g := d.firstField(ff); g >= 0; g = d.nextField(ff) {
					d.str(&v.Fulfillment.Service)
				}
			}
		}
	}
}

var fieldsFulfillment = newFieldSet("service")

var fieldsCarrier = newFieldSet("name", "service", "code")

func (d *purchaseDecoder) carrier(v *Carrier) {
	fs := fieldsCarrier
	for f := d.firstField(fs); f >= 0; f = d.nextField(fs) {
		switch f {
		case 0:
			d.str(&v.Name)
		case 1:
			d.str(&v.Service)
		case 2:
			d.str(&v.Code)
		}
	}
}
