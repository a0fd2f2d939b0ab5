package backfill

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

// Report aggregates records into daily revenue and order counts per
// currency, and subscription counts per status. Its memory grows with the
// number of days × currencies, not with the number of records. It is not
// safe for concurrent use.
type Report struct {
	days     map[dayKey]*DayTotals
	subs     map[hotmart.SubscriptionStatus]int
	charges  int
	skipped  int
	badPrice int
}

type dayKey struct {
	day      string
	currency string
}

// DayTotals are one day's sales in one currency (by order date, UTC).
type DayTotals struct {
	Day         string // YYYY-MM-DD
	Currency    string
	NewOrders   int // every sale ordered that day, whatever its status
	Approved    int // APPROVED or COMPLETE
	Refunded    int // REFUNDED or PARTIALLY_REFUNDED
	Chargebacks int // CHARGEBACK or DISPUTE (PROTESTED)
	Failed      int // CANCELLED, EXPIRED, NO_FUNDS, BLOCKED, OVERDUE, DELAYED
	Pending     int // everything else (waiting payment, billet printed, under analysis…)

	// Revenue is the sum of approved sales' prices, RefundedValue that of
	// refunded and charged-back ones, both in the currency's minor unit.
	Revenue       int64
	RefundedValue int64
}

// RevenueText formats Revenue as a decimal in the currency's unit.
func (d DayTotals) RevenueText() string { return formatMinor(d.Revenue, d.Currency) }

// RefundedText formats RefundedValue likewise.
func (d DayTotals) RefundedText() string { return formatMinor(d.RefundedValue, d.Currency) }

// NewReport returns an empty report.
func NewReport() *Report {
	return &Report{days: map[dayKey]*DayTotals{}, subs: map[hotmart.SubscriptionStatus]int{}}
}

// Add counts one record. Subscription charges are counted as charges only:
// the same transactions also come as sales, which carry the money.
func (r *Report) Add(rec Record) {
	switch {
	case rec.Sale != nil:
		r.addSale(rec.Sale)
	case rec.Subscription != nil:
		r.subs[rec.Subscription.Status.Canonical()]++
	case rec.Charge != nil:
		r.charges++
	}
}

func (r *Report) addSale(s *rest.Sale) {
	p := &s.Purchase
	if p.OrderDate.IsZero() {
		r.skipped++
		return
	}
	k := dayKey{p.OrderDate.UTC().Format(time.DateOnly), strings.ToUpper(p.Price.CurrencyCode)}
	d := r.days[k]
	if d == nil {
		d = &DayTotals{Day: k.day, Currency: k.currency}
		r.days[k] = d
	}
	d.NewOrders++
	minor, err := p.Price.Value.Scaled(hotmart.CurrencyDigits(k.currency))
	if err != nil {
		r.badPrice++
		minor = 0
	}
	switch p.Status.Canonical() {
	case hotmart.StatusApproved, hotmart.StatusComplete:
		d.Approved++
		d.Revenue += minor
	case hotmart.StatusRefunded, hotmart.StatusPartiallyRefunded:
		d.Refunded++
		d.RefundedValue += minor
	case hotmart.StatusChargeback, hotmart.StatusDispute:
		d.Chargebacks++
		d.RefundedValue += minor
	case hotmart.StatusCancelled, hotmart.StatusExpired, hotmart.StatusNoFunds, hotmart.StatusBlocked,
		hotmart.StatusOverdue, hotmart.StatusDelayed:
		d.Failed++
	default:
		d.Pending++
	}
}

// Days returns the daily totals sorted by day, then currency.
func (r *Report) Days() []DayTotals {
	out := make([]DayTotals, 0, len(r.days))
	for _, d := range r.days {
		out = append(out, *d)
	}
	slices.SortFunc(out, func(a, b DayTotals) int {
		return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Currency, b.Currency))
	})
	return out
}

// Totals sums the daily totals per currency (Day is empty).
func (r *Report) Totals() []DayTotals {
	by := map[string]*DayTotals{}
	for _, d := range r.days {
		t := by[d.Currency]
		if t == nil {
			t = &DayTotals{Currency: d.Currency}
			by[d.Currency] = t
		}
		t.NewOrders += d.NewOrders
		t.Approved += d.Approved
		t.Refunded += d.Refunded
		t.Chargebacks += d.Chargebacks
		t.Failed += d.Failed
		t.Pending += d.Pending
		t.Revenue += d.Revenue
		t.RefundedValue += d.RefundedValue
	}
	out := make([]DayTotals, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b DayTotals) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}

// Subscriptions returns subscription counts per canonical status.
func (r *Report) Subscriptions() map[hotmart.SubscriptionStatus]int {
	out := make(map[hotmart.SubscriptionStatus]int, len(r.subs))
	for k, v := range r.subs {
		out[k] = v
	}
	return out
}

// Charges returns how many subscription charges were counted.
func (r *Report) Charges() int { return r.charges }

// WriteTable prints the report: one line per day and currency, the totals
// per currency, then subscription counts.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "day\tcurrency\tnew\tapproved\trevenue\trefunded\tchargebacks\trefunded value\tfailed\tpending\t")
	row := func(day string, d DayTotals) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%d\t%d\t%s\t%d\t%d\t\n", day, d.Currency, d.NewOrders, d.Approved,
			d.RevenueText(), d.Refunded, d.Chargebacks, d.RefundedText(), d.Failed, d.Pending)
	}
	for _, d := range r.Days() {
		row(d.Day, d)
	}
	for _, d := range r.Totals() {
		row("total", d)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.subs) > 0 || r.charges > 0 {
		keys := make([]string, 0, len(r.subs))
		total := 0
		for k, v := range r.subs {
			keys = append(keys, string(k))
			total += v
		}
		slices.Sort(keys)
		fmt.Fprintf(w, "\nsubscriptions: %d", total)
		for _, k := range keys {
			fmt.Fprintf(w, ", %s %d", k, r.subs[hotmart.SubscriptionStatus(k)])
		}
		fmt.Fprintln(w)
		if r.charges > 0 {
			fmt.Fprintf(w, "subscription charges: %d\n", r.charges)
		}
	}
	if r.skipped > 0 || r.badPrice > 0 {
		fmt.Fprintf(w, "\nskipped: %d sales without order date, %d unreadable prices\n", r.skipped, r.badPrice)
	}
	return nil
}

func formatMinor(v int64, currency string) string {
	digits := hotmart.CurrencyDigits(currency)
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if digits > 0 {
		for len(s) <= digits {
			s = "0" + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
