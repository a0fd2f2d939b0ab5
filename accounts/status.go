package accounts

import (
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Sources of a queued event, as /events shows them.
const (
	SourceWebhook  = "webhook"
	SourceSync     = "sync"
	SourceBackfill = "backfill"
)

// statusEvents maps a sales-history status, as the REST API spells it, to
// the event type that status implies. Statuses not listed (STARTED,
// WAITING_PAYMENT, UNDER_ANALISYS, BLOCKED, NO_FUNDS, PRE_ORDER,
// PROCESSING_TRANSACTION, PARTIALLY_REFUNDED…) imply no event: Hotmart
// sends no webhook for them either, or none a rule could tell apart.
var statusEvents = map[string]hotmart.EventType{
	"APPROVED":       hotmart.EventPurchaseApproved,
	"COMPLETE":       hotmart.EventPurchaseComplete,
	"CANCELLED":      hotmart.EventPurchaseCanceled,
	"REFUNDED":       hotmart.EventPurchaseRefunded,
	"CHARGEBACK":     hotmart.EventPurchaseChargeback,
	"PROTESTED":      hotmart.EventPurchaseProtest,
	"EXPIRED":        hotmart.EventPurchaseExpired,
	"PRINTED_BILLET": hotmart.EventPurchaseBilletPrinted,
	"DELAYED":        hotmart.EventPurchaseDelayed,
	"OVERDUE":        hotmart.EventPurchaseDelayed,
}

// SaleStatuses lists every transaction status the sales history knows, as
// the REST API spells it. Hotmart returns only APPROVED and COMPLETE sales
// unless the request names the statuses, so a SalesSource passes these.
// DELAYED is left out: the API documents it for subscription charges
// only, and an unknown value in a filter risks a 400 for the whole call.
var SaleStatuses = []string{
	"APPROVED", "BLOCKED", "CANCELLED", "CHARGEBACK", "COMPLETE", "EXPIRED",
	"NO_FUNDS", "OVERDUE", "PARTIALLY_REFUNDED", "PRE_ORDER", "PRINTED_BILLET",
	"PROCESSING_TRANSACTION", "PROTESTED", "REFUNDED", "STARTED", "UNDER_ANALISYS",
	"WAITING_PAYMENT",
}

// normStatus is the REST spelling in upper case, as ids carry it.
func normStatus(status string) string { return strings.ToUpper(strings.TrimSpace(status)) }

// EventTypeFor returns the event type a sales-history status implies, and
// false for a status that implies none. Statuses are matched as the REST
// API spells them (CANCELLED, PRINTED_BILLET, PROTESTED), in any case; the
// webhook spellings (CANCELED, BILLET_PRINTED) are not REST statuses.
func EventTypeFor(status string) (hotmart.EventType, bool) {
	t, ok := statusEvents[normStatus(status)]
	return t, ok
}

// SyntheticID is the deterministic id of the event sync or backfill queues
// for a sale of account seen with status: sync:<account>:<transaction>:<STATUS>.
// The same sale seen again with the same status gets the same id, which is
// what makes a repeated sync or backfill queue nothing new.
func SyntheticID(account, transaction, status string) string {
	return "sync:" + account + ":" + transaction + ":" + normStatus(status)
}
