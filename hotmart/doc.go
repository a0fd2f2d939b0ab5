// Package hotmart models Hotmart's webhook events as Hotmart really sends
// them. It does no I/O: the REST client is package hotmart/rest.
//
// # Decoding a webhook
//
// ParseEvent decodes a payload version 2.0.0 body into an *Event: the
// envelope (ID, Type, Version, CreatedAt, the body Hottok when present) and
// Raw, the data section as sent. The data section is decoded once, into the
// shape of the event's family, and read through a typed accessor: Purchase
// (the nine purchase events), CartAbandonment, SubscriptionCancellation,
// SwitchPlan, ChargeDateUpdate, ClubFirstAccess, ClubModuleCompleted and
// OrderFulfillment. Buyer and Product give the same view of the person and
// the product whatever the family.
//
// Unknown event types are not an error: they decode into the envelope with
// Raw set and Family FamilyUnknown.
//
// # Errors and warnings
//
// Every decoding error matches ErrMalformed (errors.Is) and is a
// *DecodeError with a Field path (documented on DecodeError, e.g.
// "data.purchase.price.value" or "data.commissions[1].source") and a Reason
// category (ReasonSyntax, ReasonType, ReasonFormat, ReasonMissing,
// ReasonRange, ReasonTooLong). Code and tests branch on those two, never on
// the message text, which is the package's own and never contains a
// field's value (it may be personal data). An unusable envelope (empty
// body, not JSON, not an object, no id or event, an id over
// MaxEventIDLength bytes, an envelope field of the wrong type) returns a
// nil event.
//
// Inside the data section, one unreadable value does not hide the rest: it
// is left absent and listed in Event.Warnings, and everything else is
// decoded. Only a data section that is not an object, or an unreadable
// buyer e-mail or transaction (what actions cannot run without), fails it;
// the event then comes back with the error, the envelope and Raw still
// usable, and the typed accessor and DataErr return the same error.
//
// Decoding runs on github.com/go-json-experiment/json (the code that is
// encoding/json/v2 from Go 1.25 on, usable from Go 1.24); the tolerant
// types implement its streaming UnmarshalJSONFrom, and keep UnmarshalJSON
// for encoding/json.
//
// # Tolerance
//
// The decoder accepts the drift between Hotmart's documentation and its
// bodies: ids that are numbers or strings (ID); money as integral or
// fractional numbers, or numeric strings, kept as exact decimal text with
// float64 and minor-unit views (Decimal, Money); dates as epoch
// milliseconds, epoch seconds, numeric strings or ISO-8601 text (Time);
// camelCase keys where snake_case is documented (creationDate,
// oldChargeDay…); zip_code and zipcode; empty objects, nulls and blank
// affiliates; and enum spellings outside the documented lists. Enums are
// open string types whose Canonical method folds the spellings Hotmart uses
// (COMPLETED and COMPLETE, CANCELED and CANCELLED, BILLET_PRINTED and
// PRINTED_BILLET, CANCELED_BY_VENDOR and CANCELLED_BY_SELLER, CASHPAYMENT
// and CASH_PAYMENT) onto one.
//
// # Legacy postbacks
//
// ParseForm maps a 1.0 postback (flat form fields, lower-case statuses) into
// the same Event model, best effort; ParseLegacyJSON does the same for the
// JSON-of-strings variant, including the camelCase subscription
// cancellations (subscriptionId, subscriberCode…), which become
// SUBSCRIPTION_CANCELLATION. See ParseForm for the mapping.
//
// # Secrets
//
// Event.Hottok is a secret: Event's String, GoString and LogValue never
// show it, json.Marshal leaves it out, and Raw never contains it.
//
// # REST API
//
// The Hotmart REST API client lives in package hotmart/rest, so that
// programs that only decode webhooks link no HTTP client, OAuth or
// validation code.
package hotmart
