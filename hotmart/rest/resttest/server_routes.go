package resttest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func (s *Server) routes(mux *http.ServeMux) {
	h := func(pattern string, fn func(http.ResponseWriter, *http.Request)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			s.serve(w, r, fn)
		})
	}
	const pay = "/payments/api/v1"
	h("GET "+pay+"/sales/history", s.salesHistory)
	h("GET "+pay+"/sales/summary", s.salesSummary)
	h("GET "+pay+"/sales/users", s.salesUsers)
	h("GET "+pay+"/sales/commissions", s.salesCommissions)
	h("GET "+pay+"/sales/price/details", s.salesPriceDetails)
	h("PUT "+pay+"/sales/{tx}/refund", s.salesRefund)
	h("GET "+pay+"/subscriptions", s.subscriptionsList)
	h("GET "+pay+"/subscriptions/transactions", s.subscriptionTransactions)
	h("GET "+pay+"/subscriptions/{code}/purchases", s.subscriptionPurchases)
	h("POST "+pay+"/subscriptions/{code}/cancel", s.subscriptionCancel)
	h("POST "+pay+"/subscriptions/cancel", s.subscriptionCancelMany)
	h("POST "+pay+"/subscriptions/{code}/reactivate", s.subscriptionReactivate)
	h("PATCH "+pay+"/subscriptions/{code}", s.subscriptionDueDay)
	h("GET /products/api/v1/products", s.productsList)
	h("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "Not found")
	})
}

// window reads a [from, to] epoch-ms date filter; it answers 400 for a bad
// value and 502 when the window is wider than the configured span.
func (s *Server) window(w http.ResponseWriter, q url.Values, fromKey, toKey string, defFrom, defTo time.Time) (int64, int64, bool) {
	read := func(k string, def time.Time) (int64, bool) {
		v := q.Get(k)
		if v == "" {
			return def.UnixMilli(), true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "invalid_value_parameter", k+" must be epoch milliseconds")
			return 0, false
		}
		return n, true
	}
	from, ok := read(fromKey, defFrom)
	if !ok {
		return 0, 0, false
	}
	to, ok := read(toKey, defTo)
	if !ok {
		return 0, 0, false
	}
	if s.cfg.maxSpan > 0 && time.Duration(to-from)*time.Millisecond > s.cfg.maxSpan {
		s.stats.QueryTooLong++
		writeError(w, http.StatusBadGateway, "internal_server_error", "The query took longer than 30 seconds")
		return 0, 0, false
	}
	return from, to, true
}

// matchSales returns the indexes of the sales matching a sales-family query.
func (s *Server) matchSales(w http.ResponseWriter, r *http.Request, onlySubs bool, fromKey, toKey, statusKey string) ([]int, bool) {
	q := r.URL.Query()
	from, to, ok := s.window(w, q, fromKey, toKey, s.cfg.from, s.cfg.to)
	if !ok {
		return nil, false
	}
	statuses := q[statusKey]
	tx := q.Get("transaction")
	if len(statuses) == 0 && tx == "" && !onlySubs {
		// Hotmart's default: approved and complete sales only.
		statuses = []string{string(hotmart.StatusApproved), string(hotmart.StatusComplete)}
	}
	sales := s.data.sales
	lo := sort.Search(len(sales), func(i int) bool { return sales[i].order >= from })
	var out []int
	for i := lo; i < len(sales) && sales[i].order <= to; i++ {
		sl := &sales[i]
		switch {
		case onlySubs && sl.sub < 0,
			len(statuses) > 0 && !slices.Contains(statuses, string(sl.status)),
			tx != "" && sl.tx != tx,
			q.Get("product_id") != "" && q.Get("product_id") != strconv.FormatInt(fakeProducts[sl.product].id, 10),
			q.Get("buyer_email") != "" && q.Get("buyer_email") != buyerEmail(sl.buyer),
			q.Get("payment_type") != "" && q.Get("payment_type") != string(sl.payment),
			q.Get("offer_code") != "" && q.Get("offer_code") != sl.offer:
			continue
		}
		out = append(out, i)
	}
	return out, true
}

func (s *Server) salesHistory(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, false, "start_date", "end_date", "transaction_status")
	if !ok {
		return
	}
	paged(w, r, len(idx), 50, func(i int) wireSale { return toWireSale(s.data.toSale(&s.data.sales[idx[i]])) })
}

func (s *Server) salesSummary(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, false, "start_date", "end_date", "transaction_status")
	if !ok {
		return
	}
	type sum struct {
		n     int
		cents int64
	}
	by := map[string]*sum{}
	var curs []string
	for _, i := range idx {
		sl := &s.data.sales[i]
		if by[sl.currency] == nil {
			by[sl.currency] = &sum{}
			curs = append(curs, sl.currency)
		}
		by[sl.currency].n++
		by[sl.currency].cents += sl.cents
	}
	sort.Strings(curs)
	paged(w, r, len(curs), 50, func(i int) any {
		c := curs[i]
		return map[string]any{"total_items": by[c].n, "total_value": wireAmount{decimal(by[c].cents, c), c}}
	})
}

func (s *Server) salesUsers(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, false, "start_date", "end_date", "transaction_status")
	if !ok {
		return
	}
	paged(w, r, len(idx), 50, func(i int) any {
		sl := &s.data.sales[idx[i]]
		p := fakeProducts[sl.product]
		return map[string]any{
			"transaction": sl.tx,
			"product":     map[string]any{"id": p.id, "name": p.name},
			"users": []any{
				map[string]any{"role": "BUYER", "user": map[string]any{"ucode": buyerUcode(sl.buyer), "name": buyerName(sl.buyer), "email": buyerEmail(sl.buyer), "locale": "pt_BR"}},
				map[string]any{"role": "PRODUCER", "user": map[string]any{"ucode": "u-producer", "name": "Produtora Exemplo"}},
			},
		}
	})
}

func (s *Server) salesCommissions(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, false, "start_date", "end_date", "transaction_status")
	if !ok {
		return
	}
	paged(w, r, len(idx), 50, func(i int) any {
		sl := &s.data.sales[idx[i]]
		p := fakeProducts[sl.product]
		return map[string]any{
			"transaction": sl.tx, "product": map[string]any{"id": p.id, "name": p.name},
			"exchange_rate_currency_payout": 1,
			"commissions": []any{map[string]any{
				"commission": map[string]any{"currency_value": sl.currency, "value": decimal(sl.cents*9/10, sl.currency)},
				"user":       map[string]any{"ucode": "u-producer", "name": "Produtora Exemplo"},
				"source":     "PRODUCER",
			}},
		}
	})
}

func (s *Server) salesPriceDetails(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, false, "start_date", "end_date", "transaction_status")
	if !ok {
		return
	}
	paged(w, r, len(idx), 50, func(i int) any {
		sl := &s.data.sales[idx[i]]
		p := fakeProducts[sl.product]
		return map[string]any{
			"transaction": sl.tx, "product": map[string]any{"id": p.id, "name": p.name},
			"base":  wireAmount{decimal(sl.cents, sl.currency), sl.currency},
			"total": wireAmount{decimal(sl.cents, sl.currency), sl.currency},
			"vat":   wireAmount{"0", sl.currency},
			"fee":   wireAmount{decimal(sl.cents/10, sl.currency), sl.currency},
		}
	})
}

func (s *Server) salesRefund(w http.ResponseWriter, r *http.Request) {
	i, ok := s.data.byTx[r.PathValue("tx")]
	if !ok {
		writeError(w, http.StatusNotFound, "not_found", "Transaction not found")
		return
	}
	sl := &s.data.sales[i]
	if sl.status != hotmart.StatusApproved && sl.status != hotmart.StatusComplete {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "Only approved or complete sales can be refunded")
		return
	}
	sl.status = hotmart.StatusRefunded
	s.effect(EffectSaleRefunded, sl.tx)
	w.WriteHeader(http.StatusOK) // empty body, as Hotmart answers
}

func (s *Server) subscriptionsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	now := time.Now()
	from, to, ok := s.window(w, q, "accession_date", "end_accession_date", now.Add(-30*day), now)
	if !ok {
		return
	}
	statuses := q["status"]
	var idx []int
	for i := range s.data.subs {
		sb := &s.data.subs[i]
		switch {
		case sb.accession < from || sb.accession > to,
			len(statuses) > 0 && !slices.Contains(statuses, string(sb.status)),
			q.Get("subscriber_code") != "" && q.Get("subscriber_code") != sb.code,
			q.Get("subscriber_email") != "" && q.Get("subscriber_email") != buyerEmail(sb.buyer),
			q.Get("product_id") != "" && q.Get("product_id") != strconv.FormatInt(fakeProducts[sb.product].id, 10):
			continue
		}
		idx = append(idx, i)
	}
	paged(w, r, len(idx), 50, func(i int) wireSubscription {
		return toWireSubscription(s.data.toSubscription(&s.data.subs[idx[i]]))
	})
}

func (s *Server) subscriptionTransactions(w http.ResponseWriter, r *http.Request) {
	idx, ok := s.matchSales(w, r, true, "transaction_date", "end_transaction_date", "purchase_status")
	if !ok {
		return
	}
	paged(w, r, len(idx), 50, func(i int) wireSubTransaction {
		sl := &s.data.sales[idx[i]]
		sb := &s.data.subs[sl.sub]
		p := fakeProducts[sl.product]
		var t wireSubTransaction
		t.SubscriptionID, t.SubscriberCode, t.Status, t.BillingType, t.AdoptionDate = sb.id, sb.code, string(sb.status), "SUBSCRIPTION", sb.accession
		t.Product.ID, t.Product.Name = p.id, p.name
		t.Recurrency.Number, t.Recurrency.Status = sl.recurrency, "PAID"
		if !approvedLike(sl.status) {
			t.Recurrency.Status = "NOT_PAID"
		}
		t.Purchase.Transaction, t.Purchase.OrderDate, t.Purchase.Status = sl.tx, sl.order, string(sl.status)
		if sl.approved != 0 {
			a := sl.approved
			t.Purchase.ApprovedDate = &a
		}
		t.Purchase.Payment.PaymentType = string(sl.payment)
		t.Purchase.Price.Currency, t.Purchase.Price.Value = sl.currency, decimal(sl.cents, sl.currency)
		t.Subscriber.Name, t.Subscriber.Email = buyerName(sb.buyer), buyerEmail(sb.buyer)
		return t
	})
}

func (s *Server) findSub(w http.ResponseWriter, code string) *fakeSub {
	for i := range s.data.subs {
		if s.data.subs[i].code == code {
			return &s.data.subs[i]
		}
	}
	writeError(w, http.StatusNotFound, "not_found", "Subscription not found")
	return nil
}

func (s *Server) subscriptionPurchases(w http.ResponseWriter, r *http.Request) {
	sb := s.findSub(w, r.PathValue("code"))
	if sb == nil {
		return
	}
	out := []any{}
	for i := range s.data.sales {
		sl := &s.data.sales[i]
		if sl.sub < 0 || &s.data.subs[sl.sub] != sb {
			continue
		}
		m := map[string]any{
			"transaction": sl.tx, "payment_engine": "HotPay", "status": sl.status,
			"price": wireAmount{decimal(sl.cents, sl.currency), sl.currency}, "payment_type": sl.payment,
			"payment_method": "CREDIT_CARD_VISA", "recurrency_number": sl.recurrency, "under_warranty": false,
			"purchase_subscription": true,
		}
		if sl.approved != 0 {
			m["approved_date"] = sl.approved
		}
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, out)
}

func changeOf(sb *fakeSub, status string) map[string]any {
	return map[string]any{
		"status": status, "subscriber_code": sb.code,
		"creation_date":                 time.UnixMilli(sb.accession).UTC().Format("2006-01-02 15:04:05"),
		"date_next_charge":              time.UnixMilli(sb.nextCharg).UTC().Format("2006-01-02 15:04:05"),
		"interval_type_between_charges": "MONTH", "interval_between_charges": 1, "max_charge_cycles": 0,
		"trial_period": "0", "due_day": time.UnixMilli(sb.accession).UTC().Day(),
		"shopper": map[string]any{"email": buyerEmail(sb.buyer), "phone": ""},
	}
}

func isCancelled(st hotmart.SubscriptionStatus) bool { return st.IsCancelled() || st == "INACTIVE" }

func (s *Server) subscriptionCancel(w http.ResponseWriter, r *http.Request) {
	var body struct {
		SendMail *bool `json:"send_mail"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "body must be JSON")
		return
	}
	sb := s.findSub(w, r.PathValue("code"))
	if sb == nil {
		return
	}
	if isCancelled(sb.status) {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "SUBSCRIPTION_ALREADY_CANCELED_OR_OVERDUE")
		return
	}
	sb.status = "CANCELLED_BY_SELLER"
	s.effect(EffectSubscriptionCancelled, sb.code)
	writeJSON(w, http.StatusOK, changeOf(sb, "INACTIVE"))
}

func (s *Server) subscriptionCancelMany(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Codes []string `json:"subscriber_code"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.Codes) == 0 {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "subscriber_code is required")
		return
	}
	ok, fail := []any{}, []any{}
	for _, c := range body.Codes {
		var sb *fakeSub
		for i := range s.data.subs {
			if s.data.subs[i].code == c {
				sb = &s.data.subs[i]
			}
		}
		switch {
		case sb == nil:
			fail = append(fail, map[string]any{"subscriber_code": c, "error": "SUBSCRIPTION_NOT_FOUND"})
		case isCancelled(sb.status):
			m := changeOf(sb, "INACTIVE")
			m["error"] = "SUBSCRIPTION_ALREADY_CANCELED_OR_OVERDUE"
			fail = append(fail, m)
		default:
			sb.status = "CANCELLED_BY_SELLER"
			s.effect(EffectSubscriptionCancelled, sb.code)
			ok = append(ok, changeOf(sb, "INACTIVE"))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"success_subscriptions": ok, "fail_subscriptions": fail})
}

func (s *Server) subscriptionReactivate(w http.ResponseWriter, r *http.Request) {
	sb := s.findSub(w, r.PathValue("code"))
	if sb == nil {
		return
	}
	if !isCancelled(sb.status) {
		writeError(w, http.StatusBadRequest, "invalid_parameter", "SUBSCRIPTION_ALREADY_ACTIVE")
		return
	}
	writeJSON(w, http.StatusOK, changeOf(sb, "INACTIVE")) // stays INACTIVE until the subscriber accepts
}

func (s *Server) subscriptionDueDay(w http.ResponseWriter, r *http.Request) {
	var body struct {
		DueDay int `json:"due_day"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.DueDay < 1 || body.DueDay > 31 {
		writeError(w, http.StatusBadRequest, "invalid_value_parameter", "due_day must be between 1 and 31")
		return
	}
	sb := s.findSub(w, r.PathValue("code"))
	if sb == nil {
		return
	}
	if sb.dueDay != body.DueDay {
		sb.dueDay = body.DueDay
		s.effect(EffectDueDayChanged, sb.code)
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) productsList(w http.ResponseWriter, r *http.Request) {
	paged(w, r, len(fakeProducts), 50, func(i int) any {
		p := fakeProducts[i]
		return map[string]any{
			"id": p.id, "name": p.name, "ucode": p.ucode, "status": "ACTIVE",
			"created_at":      s.cfg.from.Add(-24 * time.Hour * time.Duration(100+i)).UnixMilli(),
			"format":          map[bool]string{true: "COMMUNITY", false: "ONLINE_COURSE"}[p.subscription],
			"is_subscription": p.subscription, "warranty_period": 7,
		}
	})
}
