package resttest

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"

	"github.com/hotmartkit/hotmartkit/hotmart/rest"
)

// The fake server's dataset: compact records generated from a seed, turned
// into Hotmart's wire shapes (epoch-ms dates, currency_code, …) per request.

type fakeProduct struct {
	id           int64
	ucode, name  string
	subscription bool
	price        int64 // cents
	plan         string
}

var fakeProducts = []fakeProduct{
	{1000001, "3f1c9a52-0d4e-4b6f-9c1a-1a2b3c4d5e01", "Curso de Fotografia", false, 19790, ""},
	{1000002, "3f1c9a52-0d4e-4b6f-9c1a-1a2b3c4d5e02", "Ebook Receitas", false, 4750, ""},
	{1000003, "3f1c9a52-0d4e-4b6f-9c1a-1a2b3c4d5e03", "Mentoria Premium", false, 199700, ""},
	{1000004, "3f1c9a52-0d4e-4b6f-9c1a-1a2b3c4d5e04", "Clube do Livro", true, 2990, "Mensal"},
	{1000005, "3f1c9a52-0d4e-4b6f-9c1a-1a2b3c4d5e05", "Academia Online", true, 9700, "Mensal Pro"},
}

type fakeSale struct {
	tx         string
	product    uint8
	buyer      int32
	status     hotmart.PurchaseStatus
	payment    hotmart.PaymentType
	order      int64 // epoch ms
	approved   int64 // epoch ms, 0 = none
	cents      int64
	currency   string
	recurrency int32
	sub        int32 // index into subs, -1 for one-off sales
	offer      string
}

type fakeSub struct {
	code      string
	id        int64
	product   uint8
	buyer     int32
	status    hotmart.SubscriptionStatus
	accession int64 // epoch ms
	nextCharg int64
	cents     int64
	currency  string
	firstTx   string
	dueDay    int // 0 until changed
}

type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, xs []weighted[T]) T {
	total := 0
	for _, x := range xs {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range xs {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return xs[len(xs)-1].v
}

var saleStatuses = []weighted[hotmart.PurchaseStatus]{
	{hotmart.StatusApproved, 45}, {hotmart.StatusComplete, 20}, {hotmart.StatusRefunded, 5},
	{hotmart.StatusChargeback, 2}, {hotmart.StatusCancelled, 8}, {hotmart.StatusExpired, 5},
	{hotmart.StatusWaitingPayment, 5}, {hotmart.StatusPrintedBillet, 4}, {hotmart.StatusNoFunds, 3},
	{hotmart.StatusProtested, 1}, {hotmart.StatusPartiallyRefunded, 1}, {hotmart.StatusUnderAnalysis, 1},
}

var chargeStatuses = []weighted[hotmart.PurchaseStatus]{
	{hotmart.StatusApproved, 88}, {hotmart.StatusNoFunds, 6}, {hotmart.StatusCancelled, 3},
	{hotmart.StatusRefunded, 2}, {hotmart.StatusChargeback, 1},
}

var subStatuses = []weighted[hotmart.SubscriptionStatus]{
	{"ACTIVE", 60}, {"CANCELLED_BY_CUSTOMER", 20}, {"DELAYED", 10}, {"CANCELLED_BY_SELLER", 5}, {"INACTIVE", 5},
}

var payments = []weighted[hotmart.PaymentType]{
	{hotmart.PaymentCreditCard, 70}, {hotmart.PaymentBillet, 12}, {"PIX", 15}, {"PAYPAL", 3},
}

var currencies = []weighted[string]{{"BRL", 80}, {"USD", 12}, {"EUR", 8}}

// currencyFactor turns a BRL price into the other currencies, roughly.
func currencyPrice(cents int64, cur string) int64 {
	switch cur {
	case "USD":
		return cents / 5
	case "EUR":
		return cents / 6
	}
	return cents
}

type dataset struct {
	sales []fakeSale // sorted by order date, then transaction
	subs  []fakeSub
	byTx  map[string]int
}

const day = 24 * time.Hour

func generate(seed uint64, n int, from, to time.Time) *dataset {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	span := to.Sub(from)
	ds := &dataset{}
	txn := 0
	nextTx := func() string {
		txn++
		return "HP" + strconv.FormatUint(uint64(r.Uint32()%90+10), 10) + fmt.Sprintf("%09d", txn)
	}
	randTime := func() time.Time { return from.Add(time.Duration(r.Int64N(int64(span)))) }
	subProducts := []uint8{3, 4}

	// About a fifth of the sales are subscription charges.
	for charges := 0; charges < n/5; {
		i := len(ds.subs)
		p := subProducts[r.IntN(len(subProducts))]
		cur := pick(r, currencies)
		acc := randTime()
		s := fakeSub{
			code: fmt.Sprintf("S%07d", i), id: int64(500000 + i), product: p, buyer: int32(r.IntN(n + 1)),
			status: pick(r, subStatuses), accession: acc.UnixMilli(),
			cents: currencyPrice(fakeProducts[p].price, cur), currency: cur,
		}
		k := 0
		for at := acc; at.Before(to) && charges < n/5; at = at.Add(30 * day) {
			k++
			st := pick(r, chargeStatuses)
			if k == 1 {
				st = hotmart.StatusApproved
			}
			sale := fakeSale{tx: nextTx(), product: p, buyer: s.buyer, status: st, payment: hotmart.PaymentCreditCard,
				order: at.UnixMilli(), cents: s.cents, currency: cur, recurrency: int32(k), sub: int32(i),
				offer: "off" + strconv.Itoa(int(p))}
			if approvedLike(st) {
				sale.approved = at.Add(time.Minute).UnixMilli()
			}
			if k == 1 {
				s.firstTx = sale.tx
			}
			ds.sales = append(ds.sales, sale)
			charges++
			s.nextCharg = at.Add(30 * day).UnixMilli()
		}
		ds.subs = append(ds.subs, s)
	}
	for len(ds.sales) < n {
		p := uint8(r.IntN(3))
		cur := pick(r, currencies)
		at := randTime()
		st := pick(r, saleStatuses)
		sale := fakeSale{tx: nextTx(), product: p, buyer: int32(r.IntN(n + 1)), status: st, payment: pick(r, payments),
			order: at.UnixMilli(), cents: currencyPrice(fakeProducts[p].price, cur), currency: cur, sub: -1,
			offer: "off" + strconv.Itoa(int(p))}
		if approvedLike(st) {
			sale.approved = at.Add(time.Duration(r.IntN(72)) * time.Hour).UnixMilli()
		}
		ds.sales = append(ds.sales, sale)
	}
	sort.Slice(ds.sales, func(i, j int) bool {
		a, b := &ds.sales[i], &ds.sales[j]
		if a.order != b.order {
			return a.order < b.order
		}
		return a.tx < b.tx
	})
	sort.Slice(ds.subs, func(i, j int) bool { return ds.subs[i].accession < ds.subs[j].accession })
	// Re-point charges at the sorted subscriptions.
	pos := make(map[string]int32, len(ds.subs))
	for i, s := range ds.subs {
		pos[s.code] = int32(i)
	}
	ds.byTx = make(map[string]int, len(ds.sales))
	for i := range ds.sales {
		ds.byTx[ds.sales[i].tx] = i
	}
	for i := range ds.sales {
		if ds.sales[i].sub >= 0 {
			// sub indexes were assigned before sorting subs: find by code.
			code := fmt.Sprintf("S%07d", ds.sales[i].sub)
			ds.sales[i].sub = pos[code]
		}
	}
	return ds
}

func approvedLike(s hotmart.PurchaseStatus) bool {
	switch s {
	case hotmart.StatusApproved, hotmart.StatusComplete, hotmart.StatusRefunded, hotmart.StatusChargeback,
		hotmart.StatusProtested, hotmart.StatusPartiallyRefunded:
		return true
	}
	return false
}

func buyerName(i int32) string  { return fmt.Sprintf("Comprador %d", i) }
func buyerEmail(i int32) string { return fmt.Sprintf("buyer%06d@example.com", i) }
func buyerUcode(i int32) string { return fmt.Sprintf("u-%08x", uint32(i)*2654435761) }

func decimal(cents int64, cur string) hotmart.Decimal {
	if hotmart.CurrencyDigits(cur) == 0 {
		return hotmart.Decimal(strconv.FormatInt(cents, 10))
	}
	return hotmart.Decimal(fmt.Sprintf("%d.%02d", cents/100, cents%100))
}

func msTime(ms int64) hotmart.Time {
	if ms == 0 {
		return hotmart.Time{}
	}
	return hotmart.Time{Time: time.UnixMilli(ms).UTC()}
}

// toSale is the record as the client decodes it; tests compare against it.
func (d *dataset) toSale(s *fakeSale) rest.Sale {
	p := fakeProducts[s.product]
	var out rest.Sale
	out.Product = rest.SaleProduct{ID: hotmart.ID(strconv.FormatInt(p.id, 10)), Name: p.name}
	out.Buyer = rest.SaleUser{Name: buyerName(s.buyer), Ucode: buyerUcode(s.buyer), Email: buyerEmail(s.buyer)}
	out.Producer = rest.SaleUser{Name: "Produtora Exemplo", Ucode: "u-producer"}
	pu := &out.Purchase
	pu.Transaction = s.tx
	pu.OrderDate = msTime(s.order)
	pu.ApprovedDate = msTime(s.approved)
	pu.Status = s.status
	pu.RecurrencyNumber = int(s.recurrency)
	pu.IsSubscription = s.sub >= 0
	pu.CommissionAs = "PRODUCER"
	pu.Price = rest.Amount{Value: decimal(s.cents, s.currency), CurrencyCode: s.currency}
	pu.Payment = rest.SalePayment{Type: s.payment, InstallmentsNumber: 1, Method: string(s.payment)}
	pu.Offer = rest.SaleOffer{Code: s.offer, PaymentMode: "UNIQUE_PAYMENT"}
	if s.sub >= 0 {
		pu.Offer.PaymentMode = "SUBSCRIPTION"
	}
	fee := s.cents / 10
	pu.HotmartFee = rest.SaleFee{Total: decimal(fee, s.currency), Fixed: "1", CurrencyCode: s.currency, Base: decimal(s.cents, s.currency), Percentage: "9.9"}
	if s.approved != 0 {
		pu.WarrantyExpireDate = msTime(s.approved + int64(7*day/time.Millisecond))
	}
	return out
}

func (d *dataset) toSubscription(s *fakeSub) rest.Subscription {
	p := fakeProducts[s.product]
	return rest.Subscription{
		SubscriberCode: s.code, SubscriptionID: hotmart.ID(strconv.FormatInt(s.id, 10)), Status: s.status,
		AccessionDate: msTime(s.accession), DateNextCharge: msTime(s.nextCharg), Transaction: s.firstTx,
		Plan:       rest.SubscriptionPlan{Name: p.plan, ID: hotmart.ID(strconv.FormatInt(p.id*10, 10)), RecurrencyPeriod: 30},
		Product:    rest.SubscriptionProduct{ID: hotmart.ID(strconv.FormatInt(p.id, 10)), Name: p.name, Ucode: p.ucode},
		Price:      rest.Amount{Value: decimal(s.cents, s.currency), CurrencyCode: s.currency},
		Subscriber: rest.SubscriptionPerson{Name: buyerName(s.buyer), Email: buyerEmail(s.buyer), Ucode: buyerUcode(s.buyer)},
	}
}
