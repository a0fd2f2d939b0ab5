package hotmart

import "strings"

// Every enum below is an open string type: values Hotmart has not documented
// decode without error and compare by their text. Each has a Canonical method
// that folds case and the spelling drift seen between Hotmart's documentation,
// its webhook bodies and its REST API onto one documented spelling, so that
// code comparing statuses never has to list every variant.

// PurchaseStatus is data.purchase.status.
type PurchaseStatus string

// Purchase statuses: the documented list, then the spellings actually sent.
const (
	StatusApproved              PurchaseStatus = "APPROVED"
	StatusBlocked               PurchaseStatus = "BLOCKED"
	StatusCancelled             PurchaseStatus = "CANCELLED"
	StatusChargeback            PurchaseStatus = "CHARGEBACK"
	StatusComplete              PurchaseStatus = "COMPLETE"
	StatusExpired               PurchaseStatus = "EXPIRED"
	StatusNoFunds               PurchaseStatus = "NO_FUNDS"
	StatusOverdue               PurchaseStatus = "OVERDUE"
	StatusPartiallyRefunded     PurchaseStatus = "PARTIALLY_REFUNDED"
	StatusPreOrder              PurchaseStatus = "PRE_ORDER"
	StatusPrintedBillet         PurchaseStatus = "PRINTED_BILLET"
	StatusProcessingTransaction PurchaseStatus = "PROCESSING_TRANSACTION"
	StatusDispute               PurchaseStatus = "DISPUTE"
	StatusRefunded              PurchaseStatus = "REFUNDED"
	StatusStarted               PurchaseStatus = "STARTED"
	StatusUnderAnalysis         PurchaseStatus = "UNDER_ANALISYS" // sic, as documented
	StatusWaitingPayment        PurchaseStatus = "WAITING_PAYMENT"
	StatusDelayed               PurchaseStatus = "DELAYED"

	// Spellings Hotmart sends that differ from its documentation.
	StatusCompleted     PurchaseStatus = "COMPLETED"      // PURCHASE_COMPLETE bodies
	StatusCanceled      PurchaseStatus = "CANCELED"       // PURCHASE_CANCELED bodies
	StatusBilletPrinted PurchaseStatus = "BILLET_PRINTED" // PURCHASE_BILLET_PRINTED bodies
	StatusProtested     PurchaseStatus = "PROTESTED"      // REST spelling of DISPUTE
)

// Canonical returns the documented spelling for s: upper case, COMPLETED →
// COMPLETE, CANCELED → CANCELLED, BILLET_PRINTED → PRINTED_BILLET,
// PROTESTED → DISPUTE, UNDER_ANALYSIS → UNDER_ANALISYS and the legacy
// "wayting_payment" → WAITING_PAYMENT. Unknown values come back upper-cased.
func (s PurchaseStatus) Canonical() PurchaseStatus {
	switch u := PurchaseStatus(upper(string(s))); u {
	case StatusCompleted:
		return StatusComplete
	case StatusCanceled:
		return StatusCancelled
	case StatusBilletPrinted:
		return StatusPrintedBillet
	case StatusProtested:
		return StatusDispute
	case "UNDER_ANALYSIS":
		return StatusUnderAnalysis
	case "WAYTING_PAYMENT":
		return StatusWaitingPayment
	default:
		return u
	}
}

// Equal reports whether s and o are the same status once canonicalised.
func (s PurchaseStatus) Equal(o PurchaseStatus) bool { return s.Canonical() == o.Canonical() }

// PaymentType is data.purchase.payment.type.
type PaymentType string

// Payment types as documented, plus observed spellings.
const (
	PaymentBillet               PaymentType = "BILLET"
	PaymentCashPayment          PaymentType = "CASH_PAYMENT"
	PaymentCreditCard           PaymentType = "CREDIT_CARD"
	PaymentDirectBankTransfer   PaymentType = "DIRECT_BANK_TRANSFER"
	PaymentDirectDebit          PaymentType = "DIRECT_DEBIT"
	PaymentFinancedBillet       PaymentType = "FINANCED_BILLET"
	PaymentFinancedInstallment  PaymentType = "FINANCED_INSTALLMENT"
	PaymentGooglePay            PaymentType = "GOOGLE_PAY"
	PaymentHotcard              PaymentType = "HOTCARD"
	PaymentHybrid               PaymentType = "HYBRID"
	PaymentManualTransfer       PaymentType = "MANUAL_TRANSFER"
	PaymentPaypal               PaymentType = "PAYPAL"
	PaymentPaypalInternacional  PaymentType = "PAYPAL_INTERNACIONAL" // sic, as documented
	PaymentPicpay               PaymentType = "PICPAY"
	PaymentPix                  PaymentType = "PIX"
	PaymentSamsungPay           PaymentType = "SAMSUNG_PAY"
	PaymentWallet               PaymentType = "WALLET"
	PaymentCashPaymentNoSpacing PaymentType = "CASHPAYMENT" // sent for a Portugal checkout
)

// Canonical upper-cases t and maps CASHPAYMENT → CASH_PAYMENT and
// PAYPAL_INTERNATIONAL → PAYPAL_INTERNACIONAL.
func (t PaymentType) Canonical() PaymentType {
	switch u := PaymentType(upper(string(t))); u {
	case PaymentCashPaymentNoSpacing:
		return PaymentCashPayment
	case "PAYPAL_INTERNATIONAL":
		return PaymentPaypalInternacional
	default:
		return u
	}
}

// SubscriptionStatus is the status of a subscription. Purchase events and the
// REST API spell cancellations CANCELLED_BY_*; SWITCH_PLAN and
// UPDATE_SUBSCRIPTION_CHARGE_DATE spell them CANCELED_BY_* with VENDOR for
// SELLER.
type SubscriptionStatus string

// Subscription statuses in every spelling Hotmart documents.
const (
	SubscriptionActive              SubscriptionStatus = "ACTIVE"
	SubscriptionInactive            SubscriptionStatus = "INACTIVE"
	SubscriptionDelayed             SubscriptionStatus = "DELAYED"
	SubscriptionCancelledByCustomer SubscriptionStatus = "CANCELLED_BY_CUSTOMER"
	SubscriptionCancelledBySeller   SubscriptionStatus = "CANCELLED_BY_SELLER"
	SubscriptionCancelledByAdmin    SubscriptionStatus = "CANCELLED_BY_ADMIN"
	SubscriptionStarted             SubscriptionStatus = "STARTED"
	SubscriptionOverdue             SubscriptionStatus = "OVERDUE"
	SubscriptionExpired             SubscriptionStatus = "EXPIRED"

	SubscriptionCanceledByCustomer SubscriptionStatus = "CANCELED_BY_CUSTOMER"
	SubscriptionCanceledByVendor   SubscriptionStatus = "CANCELED_BY_VENDOR"
	SubscriptionCanceledByAdmin    SubscriptionStatus = "CANCELED_BY_ADMIN"
	SubscriptionPastDue            SubscriptionStatus = "PAST_DUE"
)

// Canonical upper-cases s and maps CANCELED_BY_CUSTOMER →
// CANCELLED_BY_CUSTOMER, CANCELED_BY_VENDOR and CANCELED_BY_SELLER →
// CANCELLED_BY_SELLER, CANCELED_BY_ADMIN → CANCELLED_BY_ADMIN and
// PAST_DUE → OVERDUE.
func (s SubscriptionStatus) Canonical() SubscriptionStatus {
	switch u := SubscriptionStatus(upper(string(s))); u {
	case SubscriptionCanceledByCustomer:
		return SubscriptionCancelledByCustomer
	case SubscriptionCanceledByVendor, "CANCELED_BY_SELLER", "CANCELLED_BY_VENDOR":
		return SubscriptionCancelledBySeller
	case SubscriptionCanceledByAdmin:
		return SubscriptionCancelledByAdmin
	case SubscriptionPastDue:
		return SubscriptionOverdue
	default:
		return u
	}
}

// Equal reports whether s and o are the same status once canonicalised.
func (s SubscriptionStatus) Equal(o SubscriptionStatus) bool {
	return s.Canonical() == o.Canonical()
}

// IsCancelled reports whether s is any of the cancellation statuses.
func (s SubscriptionStatus) IsCancelled() bool {
	switch s.Canonical() {
	case SubscriptionCancelledByCustomer, SubscriptionCancelledBySeller, SubscriptionCancelledByAdmin:
		return true
	}
	return false
}

// CommissionSource is data.commissions[].source.
type CommissionSource string

// Commission sources. MARKETPLACE (Hotmart's fee) is sent in every body
// although the field table does not list it.
const (
	SourceProducer    CommissionSource = "PRODUCER"
	SourceCoproducer  CommissionSource = "COPRODUCER"
	SourceAffiliate   CommissionSource = "AFFILIATE"
	SourceAddon       CommissionSource = "ADDON"
	SourceMarketplace CommissionSource = "MARKETPLACE"
)

// Canonical upper-cases s and maps CO_PRODUCER → COPRODUCER.
func (s CommissionSource) Canonical() CommissionSource {
	if u := CommissionSource(upper(string(s))); u != "CO_PRODUCER" {
		return u
	}
	return SourceCoproducer
}

// DocumentType is buyer.document_type.
type DocumentType string

// Document types.
const (
	DocumentCPF     DocumentType = "CPF"
	DocumentCNPJ    DocumentType = "CNPJ"
	DocumentDNI     DocumentType = "DNI"
	DocumentCIF     DocumentType = "CIF"
	DocumentGeneric DocumentType = "DOCUMENT"
)

// Canonical upper-cases t.
func (t DocumentType) Canonical() DocumentType { return DocumentType(upper(string(t))) }

// upper is strings.ToUpper, which already returns its argument without
// allocating when there is nothing to change; the wrapper only names intent.
func upper(s string) string { return strings.ToUpper(s) }
