package segment

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/suggest"
)

// The values each enum field accepts, in the canonical spelling of package
// hotmart. A rule's value is canonicalised first (so COMPLETED, CANCELED,
// PAST_DUE… are accepted as the status they stand for) and then must be one
// of these: a misspelled status would otherwise compile and never match.
var (
	eventNames = func() []string {
		var out []string
		for _, t := range hotmart.EventTypes() {
			out = append(out, string(t))
		}
		return out
	}()
	purchaseStatuses = enumStrings(
		hotmart.StatusApproved, hotmart.StatusBlocked, hotmart.StatusCancelled, hotmart.StatusChargeback,
		hotmart.StatusComplete, hotmart.StatusExpired, hotmart.StatusNoFunds, hotmart.StatusOverdue,
		hotmart.StatusPartiallyRefunded, hotmart.StatusPreOrder, hotmart.StatusPrintedBillet,
		hotmart.StatusProcessingTransaction, hotmart.StatusDispute, hotmart.StatusRefunded,
		hotmart.StatusStarted, hotmart.StatusUnderAnalysis, hotmart.StatusWaitingPayment, hotmart.StatusDelayed)
	paymentTypes = enumStrings(
		hotmart.PaymentBillet, hotmart.PaymentCashPayment, hotmart.PaymentCreditCard,
		hotmart.PaymentDirectBankTransfer, hotmart.PaymentDirectDebit, hotmart.PaymentFinancedBillet,
		hotmart.PaymentFinancedInstallment, hotmart.PaymentGooglePay, hotmart.PaymentHotcard,
		hotmart.PaymentHybrid, hotmart.PaymentManualTransfer, hotmart.PaymentPaypal,
		hotmart.PaymentPaypalInternacional, hotmart.PaymentPicpay, hotmart.PaymentPix,
		hotmart.PaymentSamsungPay, hotmart.PaymentWallet)
	subscriptionStatuses = enumStrings(
		hotmart.SubscriptionActive, hotmart.SubscriptionInactive, hotmart.SubscriptionDelayed,
		hotmart.SubscriptionCancelledByCustomer, hotmart.SubscriptionCancelledBySeller,
		hotmart.SubscriptionCancelledByAdmin, hotmart.SubscriptionStarted, hotmart.SubscriptionOverdue,
		hotmart.SubscriptionExpired)
	documentTypes = enumStrings(
		hotmart.DocumentCPF, hotmart.DocumentCNPJ, hotmart.DocumentDNI, hotmart.DocumentCIF, hotmart.DocumentGeneric)
)

// enumValues holds the set of each enum field, by path.
var enumValues = map[string][]string{
	"event":                 eventNames,
	"purchase.status":       purchaseStatuses,
	"purchase.payment.type": paymentTypes,
	"subscription.status":   subscriptionStatuses,
	"buyer.document_type":   documentTypes,
}

// currencyFields hold ISO 4217 codes.
var currencyFields = map[string]bool{"purchase.price.currency": true, "commission.producer.currency": true}

func enumStrings[T ~string](vs ...T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// checkEnum reports whether canon (a value already in canonical form) is in
// f's set; when it is not, it returns the message and the nearest value.
func checkEnum(f *field, raw, canon string) (msg, suggestion string, ok bool) {
	values := enumValues[f.Path]
	if values == nil || slices.Contains(values, canon) {
		return "", "", true
	}
	suggestion = suggest.Closest(canon, values)
	switch {
	case f.Path == "event":
		msg = fmt.Sprintf("unknown event %q", raw)
	case suggestion != "":
		msg = fmt.Sprintf("%q is not a %s value", raw, f.Path)
	default:
		msg = fmt.Sprintf("%q is not a %s value (want one of %s)", raw, f.Path, strings.Join(values, ", "))
	}
	return msg, suggestion, false
}

// currencySymbols maps what people write for a currency to its ISO code.
var currencySymbols = map[string]string{"R$": "BRL", "US$": "USD", "$": "USD", "€": "EUR", "£": "GBP"}

// checkCurrency reports whether s looks like an ISO 4217 code: three
// letters (compared case-insensitively, as Hotmart's codes are upper case).
func checkCurrency(f *field, s string) (msg, suggestion string, ok bool) {
	if len(s) == 3 && isLetter(s[0]) && isLetter(s[1]) && isLetter(s[2]) {
		return "", "", true
	}
	return fmt.Sprintf("%q is not a currency code (%s holds three letters, e.g. BRL)", s, f.Path),
		currencySymbols[strings.ToUpper(strings.TrimSpace(s))], false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
