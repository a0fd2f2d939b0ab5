// Package segment is the rule engine that decides what a Hotmart event
// should trigger: the seller's segmentations ("when a purchase is approved
// for product X and the buyer is in Brazil, add the lead to machine 111"),
// written as JSON or built in code, compiled once and evaluated for every
// event. It does no I/O: a Match names the action to run and carries the
// provider's compiled parameters, and the host hands it to that provider's
// Executor (package leadlovers or sendpulse).
//
// # Rules file
//
//	{
//	  "segmentations": [
//	    {
//	      "id": "approved-br",
//	      "name": "Approved, Brazil → Clientes",
//	      "active": true,
//	      "events": ["PURCHASE_APPROVED"],
//	      "products": ["1234567", "5a4c…-ucode"],
//	      "conditions": [
//	        {"field": "purchase.price.currency", "op": "in", "value": ["BRL"]},
//	        {"field": "buyer.address.country_iso", "op": "eq", "value": "BR"}
//	      ],
//	      "action": {"provider": "leadlovers", "command": "add_lead",
//	                 "machine": 111, "sequence": 222, "level": 1}
//	    }
//	  ]
//	}
//
// id is required and unique. active defaults to false, as in Hotmart's own
// tool: a segmentation does nothing until switched on. events lists one or
// more of the 16 event names (case-insensitive). products lists product ids
// (JSON number or string) or ucodes; empty means every product. All
// conditions must hold. The action object is flat: every key other than
// provider and command is a parameter of the command.
//
// [ParseRules] decodes a file; [Compile] checks it and returns a [Program].
// Both report every problem at once.
//
// # Errors
//
// The error of ParseRules and Compile is a [*RulesError] (get it with
// errors.As) holding one [Problem] per problem, in file order. Code reads
// its fields, never its text:
//
//   - Index: the segmentation's position, -1 for the document as a whole;
//     Segmentation: its id ("" when it has none).
//   - Field: where, relative to the segmentation, in a stable path syntax:
//     keys joined with ".", array elements indexed from 0 in brackets —
//     "id", "events[0]", "conditions[1].op", "conditions[1].value[2]",
//     "action.machine", "action.stages.paid". [Problem.Path] prefixes
//     "segmentations[i]." for a path from the document's root.
//   - Reason: a category — [ReasonSyntax] (not JSON; Line and Column say
//     where), [ReasonType] (wrong JSON type, or a value unfit for the
//     field's type), [ReasonUnknown] (key, event, field path, provider,
//     command, parameter), [ReasonMissing], [ReasonEnum] (a value outside
//     an enum field's set, or a currency that is not three letters),
//     [ReasonOperator], [ReasonDuplicate], [ReasonInvalid].
//   - Message: what is wrong, for people; Suggestion: the nearest valid
//     value when one is close ("APPROVED" for "APROVED", "conditions" for
//     "condtions", "buyer.address.country_iso" for "buyer.adress.country_iso").
//
// The problems are the same on every supported Go release: the file is
// read with a JSON tokenizer and every path and reason is this package's
// own, not the standard library's decoding error. Error() prints one line
// per problem, naming the segmentation and the field once each:
//
//	segmentations[2] (id "approved-br"): conditions[0].value: "APROVED" is not a purchase.status value (did you mean "APPROVED"?)
//
// # Evaluation
//
// [Program.Evaluate] returns the matching segmentations in rule order, and
// nil, without allocating, when none match. Rules are indexed by event type
// and by product id and ucode, so an event only meets the rules that could
// match it. [Program.Explain] tells, for every rule, why it matched or not:
// inactive, event not listed, product not listed, or the first failing
// condition and the value it saw ([Explanation.String] redacts a buyer's
// e-mail, phone and document). A Program is immutable and safe for
// concurrent use.
//
// # Fields
//
// Conditions and templates name event fields by path. Each has a type that
// decides the operators it accepts and how a rule writes its value. A field
// an event does not carry (another family's field, an empty string Hotmart
// sent for "none", an integer 0 that means "not sent") is absent.
//
//   - event (enum, e.g. "PURCHASE_APPROVED"): the event type; present on every event
//   - product.id (identifier, e.g. "4062912"): the product id; every event that names one
//     (ORDER_FULFILLMENT: first line item)
//   - product.ucode (string, e.g. "fb056612-bcc6-4217-9e6d-2a5d1110ac2f"): the product's ucode;
//     purchase events and ORDER_FULFILLMENT
//   - product.name (string, e.g. "Curso de Excel"): the product name; every event that names one
//   - buyer.email (string, e.g. "ana@example.com"): the buyer's, subscriber's or member's e-mail
//     (case-insensitive); every event with a person
//   - buyer.name (string, e.g. "Ana Souza"): the person's full name; every event with a person
//   - buyer.first_name (string, e.g. "Ana"): the buyer's first name; purchase events
//   - buyer.last_name (string, e.g. "Souza"): the buyer's last name; purchase events
//   - buyer.phone (string, e.g. "+5531999999999"): the phone as digits, "+55" and area code first
//     for Brazilian numbers; purchase, cart, SUBSCRIPTION_CANCELLATION,
//     UPDATE_SUBSCRIPTION_CHARGE_DATE and ORDER_FULFILLMENT events
//   - buyer.document (string, e.g. "12345678900"): the buyer's CPF/CNPJ or other document;
//     purchase events and ORDER_FULFILLMENT
//   - buyer.document_type (enum, e.g. "CPF"): CPF, CNPJ, DNI, CIF or DOCUMENT; purchase events
//   - buyer.address.country_iso (string, e.g. "BR"): ISO country code (case-insensitive); purchase
//     events, ORDER_FULFILLMENT, and the checkout country of PURCHASE_OUT_OF_SHOPPING_CART
//   - buyer.address.state (string, e.g. "Minas Gerais"): state as the buyer typed it; purchase
//     events and ORDER_FULFILLMENT
//   - buyer.address.city (string, e.g. "Uberlândia"): city; purchase events and ORDER_FULFILLMENT
//   - buyer.address.zipcode (string, e.g. "38400123"): postcode; purchase events and
//     ORDER_FULFILLMENT
//   - purchase.transaction (identifier, e.g. "HP16015479281022"): the transaction code; purchase
//     events and ORDER_FULFILLMENT
//   - purchase.status (enum, e.g. "COMPLETE"): the purchase status (COMPLETED = COMPLETE, CANCELED
//     = CANCELLED, BILLET_PRINTED = PRINTED_BILLET, PROTESTED = DISPUTE); purchase events and
//     ORDER_FULFILLMENT
//   - purchase.payment.type (enum, e.g. "CREDIT_CARD"): payment method (CASHPAYMENT =
//     CASH_PAYMENT); the nine purchase events
//   - purchase.payment.installments (integer, e.g. 12): number of installments, absent when not
//     sent or 0; the nine purchase events
//   - purchase.payment.billet_url (string, e.g. "https://billet-link.com/bGlua19ib2xldG8"): the
//     boleto link of billet payments; the nine purchase events
//   - purchase.payment.billet_barcode (string, e.g. "03399.33335 33823.303087 19842.501014 7
//     00000000000000"): the boleto barcode; the nine purchase events
//   - purchase.payment.pix_code (string, e.g. "00020101021226..."): the Pix copy-and-paste code;
//     the nine purchase events
//   - purchase.price.value (decimal, e.g. 149.90): the price paid; purchase events and
//     ORDER_FULFILLMENT
//   - purchase.price.currency (string, e.g. "BRL"): ISO currency of the price (case-insensitive),
//     absent in 2022 bodies; purchase events and ORDER_FULFILLMENT
//   - purchase.full_price.value (decimal, e.g. 199.90): the offer's full price; purchase events
//     and ORDER_FULFILLMENT
//   - purchase.offer.code (identifier, e.g. "k2pasun0"): the offer code; purchase events and
//     PURCHASE_OUT_OF_SHOPPING_CART, and the current plan's offer key of SWITCH_PLAN
//   - purchase.coupon (string, e.g. "BLACKFRIDAY"): the coupon code used, absent when none; the
//     nine purchase events
//   - purchase.recurrence_number (integer, e.g. 1): which charge of a subscription this is (1 =
//     first), absent for one-off sales; the nine purchase events
//   - purchase.is_funnel (boolean, e.g. true): whether the sale came through a sales funnel (false
//     when not sent); the nine purchase events
//   - purchase.order_bump (boolean, e.g. true): whether the purchase is an order bump (false when
//     not sent); the nine purchase events
//   - purchase.checkout_country (string, e.g. "BR"): ISO code of the checkout country
//     (case-insensitive); purchase events and PURCHASE_OUT_OF_SHOPPING_CART
//   - purchase.origin.src (string, e.g. "instagram"): the src tracking parameter; the nine
//     purchase events
//   - purchase.origin.sck (string, e.g. "HOTMART_PRODUCT_PAGE"): the sck tracking parameter; the
//     nine purchase events
//   - purchase.origin.xcod (string, e.g. "campaign42"): the xcod tracking parameter; the nine
//     purchase events
//   - affiliate.code (identifier, e.g. "Q58388177J"): the affiliate's code, absent (not "") when
//     the sale has no affiliate; the nine purchase events
//   - affiliate.name (string, e.g. "Affiliate name"): the affiliate's name, absent when the sale
//     has no affiliate; the nine purchase events
//   - subscription.status (enum, e.g. "CANCELLED_BY_SELLER"): the subscription status
//     (CANCELED_BY_VENDOR = CANCELLED_BY_SELLER, PAST_DUE = OVERDUE, …); purchase events of
//     subscriptions, SWITCH_PLAN and UPDATE_SUBSCRIPTION_CHARGE_DATE
//   - subscription.subscriber_code (identifier, e.g. "I9OT62C3"): the subscriber code (per buyer
//     and product); purchase events of subscriptions, SUBSCRIPTION_CANCELLATION, SWITCH_PLAN and
//     UPDATE_SUBSCRIPTION_CHARGE_DATE
//   - subscription.plan.name (string, e.g. "Plano Anual"): the plan's name (SWITCH_PLAN: the new
//     plan); purchase events of subscriptions, SUBSCRIPTION_CANCELLATION, SWITCH_PLAN and
//     UPDATE_SUBSCRIPTION_CHARGE_DATE
//   - subscription.plan.id (identifier, e.g. "123"): the plan's id (SWITCH_PLAN: the new plan);
//     purchase events of subscriptions, SUBSCRIPTION_CANCELLATION, SWITCH_PLAN and
//     UPDATE_SUBSCRIPTION_CHARGE_DATE
//   - commission.producer.value (decimal, e.g. 1350.5): the producer's commission; the nine
//     purchase events
//   - commission.producer.currency (string, e.g. "BRL"): currency of the producer's commission
//     (case-insensitive); the nine purchase events
//   - commission.coproducer.value (decimal, e.g. 200): the co-producer's commission; the nine
//     purchase events
//   - commission.affiliate.value (decimal, e.g. 300): the affiliate's commission; the nine
//     purchase events
//   - commission.marketplace.value (decimal, e.g. 149.5): Hotmart's fee; the nine purchase events
//
// Types: strings are compared byte for byte, except e-mails, ucodes and
// country/currency codes, which compare case-insensitively. Identifiers are
// text whatever JSON type Hotmart used, and a rule may write them as a JSON
// string or number. Enums compare case-insensitively in the canonical
// spelling of package hotmart, and Compile rejects an eq, ne, in or not_in
// value outside the field's set (ReasonEnum, with the nearest value as
// Suggestion). Currency codes must be three letters. Decimals compare numerically on their exact
// decimal text (0.29 is 0.29, not a float near it); a rule writes them as a
// JSON number or a numeric string. Integers are whole numbers; booleans
// true or false.
//
// # Operators
//
//   - eq, ne: equal, not equal (all types).
//   - in, not_in: equal to one of / none of a non-empty array (all types but
//     boolean).
//   - gt, gte, lt, lte: ordering (decimal and integer).
//   - contains, prefix: substring and prefix (string, identifier, enum).
//   - exists, not_exists: the field is present / absent; these take no value.
//
// On an absent field every operator fails except ne, not_in and not_exists,
// which are the negations of eq, in and exists and so hold. To require a
// field to be present and different, add an exists condition.
//
// # Spelling drift
//
// Hotmart spells some values differently across events, documentation and
// its REST API. Enum fields compare in canonical form, so a rule matches
// whichever spelling the event carries: COMPLETE and COMPLETED;
// CANCELLED and CANCELED; PRINTED_BILLET and BILLET_PRINTED; DISPUTE and
// PROTESTED; UNDER_ANALISYS and UNDER_ANALYSIS; CASH_PAYMENT and
// CASHPAYMENT; CANCELLED_BY_SELLER, CANCELED_BY_VENDOR and
// CANCELED_BY_SELLER; CANCELLED_BY_CUSTOMER and CANCELED_BY_CUSTOMER;
// OVERDUE and PAST_DUE. An affiliate array holding only an empty entry
// means no affiliate, so affiliate.code is absent.
//
// # Templates
//
// Action parameters that are text (a deal name, a list variable) may be
// templates: "Pedido {{purchase.transaction}} de {{buyer.name}}" references
// the same field paths; absent fields render as "". [ParseTemplate] rejects
// unknown paths. Providers parse templates once, in CompileAction (a
// *Template field decodes from a JSON string), and executors render them
// per match with [Match.Render]; rendering allocates only the result.
//
// # Providers
//
// Actions are data. A provider package describes its commands with a
// [Provider] (Name, Commands, CompileAction) so Compile can check an action
// without this package importing the provider; pass them with
// [WithProviders]. An action naming a provider that was not given is an
// error unless [AllowUnknownProviders] is set. CompileAction validates the
// parameters and returns the provider's compiled form, which Evaluate puts
// in [Match.Params]. It reports every problem of the action at once, as a
// [ProblemList] (or any error with a Problems() []Problem method, or
// several joined with errors.Join) whose Fields are relative to the action
// ("machine", "stages.paid"); Compile files each under "action." in the
// segmentation at fault and keeps its Reason and Suggestion. A
// [*ParamError] is read as one [ReasonInvalid] problem; any other error as a
// problem of the action as a whole. The provider's [Executor] runs a Match.
package segment
