// Package hotmart models Hotmart's webhook events as Hotmart really sends
// them, and talks to the Hotmart REST API.
//
// ParseEvent decodes a payload version 2.0.0 body into an *Event whose data
// section is already decoded into the shape of its family (Purchase,
// CartAbandonment, SubscriptionCancellation, SwitchPlan, ChargeDateUpdate,
// ClubFirstAccess, ClubModuleCompleted, OrderFulfillment). The decoder
// tolerates the drift between Hotmart's documentation and its bodies: ids
// that are numbers or strings (ID), money as integral or fractional numbers
// kept as exact decimal text (Decimal, Money), dates as epoch milliseconds,
// epoch seconds, numeric strings or ISO-8601 text (Time), camelCase keys
// where snake_case is documented, empty objects, blank affiliates, and enum
// spellings outside the documented lists (see the Canonical methods).
package hotmart
