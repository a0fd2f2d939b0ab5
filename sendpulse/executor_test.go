package sendpulse_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

var saleTime = time.Date(2025, 11, 15, 10, 0, 0, 0, time.UTC)

// purchase builds a purchase event of typ for transaction tx.
func purchase(t testing.TB, typ hotmart.EventType, tx, email, price string, status hotmart.PurchaseStatus) *hotmart.Event {
	t.Helper()
	d := &hotmart.PurchaseData{
		Product: hotmart.Product{ID: "4774438", Name: "Curso de Gelo"},
		Buyer: hotmart.PurchaseBuyer{Email: email, Name: "Maria Souza", CheckoutPhone: "999990000", CheckoutPhoneCode: "31",
			Address: hotmart.Address{CountryISO: "BR"}},
		Purchase: hotmart.Purchase{Transaction: tx, Status: status,
			OrderDate: hotmart.Time{Time: saleTime}, Price: hotmart.Money{Value: hotmart.Decimal(price), Currency: "BRL"}},
	}
	if status.Canonical() == hotmart.StatusApproved || status.Canonical() == hotmart.StatusComplete {
		d.Purchase.ApprovedDate = hotmart.Time{Time: saleTime.Add(time.Hour)}
	}
	e, err := hotmart.NewEvent("evt-"+tx+"-"+string(typ), typ, saleTime, d)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func compile(t testing.TB, command string, params string) any {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(params), &m); err != nil {
		t.Fatal(err)
	}
	p, err := sendpulse.Spec.CompileAction(command, m)
	if err != nil {
		t.Fatalf("CompileAction(%s, %s): %v", command, params, err)
	}
	return p
}

func stepID(t testing.TB, srv *sendpulsetest.Server, name string) int64 {
	t.Helper()
	for _, s := range srv.Pipelines()[0].Steps {
		if s.Name == name {
			return s.ID
		}
	}
	t.Fatalf("no step %q", name)
	return 0
}

func itoa(id int64) string { b, _ := json.Marshal(id); return string(b) }

func upsertParams(t testing.TB, srv *sendpulsetest.Server) any {
	return compile(t, "upsert_deal", `{"stages":{"pending":`+itoa(stepID(t, srv, "New"))+`,"paid":`+itoa(stepID(t, srv, "Paid"))+
		`,"refunded":`+itoa(stepID(t, srv, "Refunded"))+`},"name":"{{product.name}}"}`)
}

func TestUpsertDealFollowsOneTransactionAcrossStages(t *testing.T) {
	c, srv := fake(t, nil, nil)
	x, err := sendpulse.NewExecutor(c)
	if err != nil {
		t.Fatal(err)
	}
	params := upsertParams(t, srv)
	ctx := context.Background()
	const tx, email = "HP1600000001", "maria.souza@example.com"

	steps := []struct {
		typ    hotmart.EventType
		status hotmart.PurchaseStatus
		price  string
		step   string
	}{
		{hotmart.EventPurchaseBilletPrinted, hotmart.StatusBilletPrinted, "197.00", "New"},
		{hotmart.EventPurchaseApproved, hotmart.StatusApproved, "197.00", "Paid"},
		{hotmart.EventPurchaseRefunded, hotmart.StatusRefunded, "197.00", "Refunded"},
		// failed has no stage mapped: the pipeline's first step.
		{hotmart.EventPurchaseCanceled, hotmart.StatusCanceled, "180.00", "New"},
	}
	var dealID int64
	for i, s := range steps {
		e := purchase(t, s.typ, tx, email, s.price, s.status)
		if err := x.Execute(ctx, segment.Match{Event: e, Params: params}); err != nil {
			t.Fatalf("event %d (%s): %v", i, s.typ, err)
		}
		deals := srv.DealsByTransaction(tx)
		if len(deals) != 1 {
			t.Fatalf("after %s: %d deals for the transaction", s.typ, len(deals))
		}
		d := deals[0]
		if dealID == 0 {
			dealID = d.ID
		} else if d.ID != dealID {
			t.Fatalf("deal replaced: %d then %d", dealID, d.ID)
		}
		if got := srv.StepName(d.StepID); got != s.step {
			t.Errorf("after %s: step %q, want %q", s.typ, got, s.step)
		}
		if d.Name != "Curso de Gelo #"+tx || d.Currency != "BRL" || d.Price != mustFloat(s.price) {
			t.Errorf("after %s: deal %+v", s.typ, d)
		}
		if n := len(srv.ContactsByEmail(email)); n != 1 {
			t.Fatalf("after %s: %d contacts for the buyer", s.typ, n)
		}
		if len(d.Contacts) != 1 || d.Contacts[0] != srv.ContactsByEmail(email)[0].ID {
			t.Errorf("deal contacts = %v", d.Contacts)
		}
	}
	final, _ := srv.Deal(dealID)
	attrs := map[string]string{}
	for _, a := range srv.DealAttributes(final.PipelineID) {
		attrs[a.Name] = final.Attributes[a.ID]
	}
	want := map[string]string{
		sendpulse.AttrTransaction: tx, sendpulse.AttrProduct: "Curso de Gelo", sendpulse.AttrStatus: "failed (CANCELLED)",
		sendpulse.AttrPrice: "180.00 BRL", sendpulse.AttrDate: "2025-11-15T10:00:00Z",
	}
	for k, v := range want {
		if attrs[k] != v {
			t.Errorf("attribute %q = %q, want %q", k, attrs[k], v)
		}
	}
	contact := srv.ContactsByEmail(email)[0]
	if contact.FirstName != "Maria" || contact.LastName != "Souza" || len(contact.Phones) != 1 || contact.Phones[0].Phone != "+5531999990000" {
		t.Errorf("contact = %+v", contact)
	}
	if n := srv.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}

	// Replaying every event changes nothing.
	before := len(srv.Effects())
	for _, s := range steps[len(steps)-1:] {
		if err := x.Execute(ctx, segment.Match{Event: purchase(t, s.typ, tx, email, s.price, s.status), Params: params}); err != nil {
			t.Fatal(err)
		}
	}
	if after := len(srv.Effects()); after != before {
		t.Errorf("replay changed state: %v", srv.Effects()[before:])
	}

	// A second sale of the same buyer: new deal, same contact.
	e2 := purchase(t, hotmart.EventPurchaseApproved, "HP1600000002", strings.ToUpper(email), "97.00", hotmart.StatusApproved)
	if err := x.Execute(ctx, segment.Match{Event: e2, Params: params}); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Deals()); n != 2 {
		t.Fatalf("deals = %d, want 2", n)
	}
	if n := len(srv.Contacts()); n != 1 {
		t.Fatalf("contacts = %d, want 1", n)
	}
}

func mustFloat(s string) float64 { return hotmart.Decimal(s).Float64() }

// TestUpsertDealUnderRandomFaults re-runs each event until it succeeds, as
// Hotmart's retries would, with 20 % of calls failing before they apply;
// the end state and the count of effects must equal a fault-free run.
func TestUpsertDealUnderRandomFaults(t *testing.T) {
	run := func(failRate float64) (*sendpulsetest.Server, int) {
		c, srv := fake(t, nil, []sendpulsetest.Option{sendpulsetest.WithSeed(7)}, sendpulse.WithRetry(0, time.Millisecond, time.Millisecond))
		x, _ := sendpulse.NewExecutor(c)
		params := upsertParams(t, srv)
		srv.FailRate(failRate)
		failures := 0
		events := []*hotmart.Event{
			purchase(t, hotmart.EventPurchaseBilletPrinted, "HP1", "ana@example.com", "50.00", hotmart.StatusBilletPrinted),
			purchase(t, hotmart.EventPurchaseBilletPrinted, "HP2", "bia@example.com", "70.00", hotmart.StatusBilletPrinted),
			purchase(t, hotmart.EventPurchaseApproved, "HP1", "ana@example.com", "50.00", hotmart.StatusApproved),
			purchase(t, hotmart.EventPurchaseApproved, "HP3", "ana@example.com", "20.00", hotmart.StatusApproved),
			purchase(t, hotmart.EventPurchaseChargeback, "HP1", "ana@example.com", "50.00", hotmart.StatusChargeback),
			purchase(t, hotmart.EventPurchaseExpired, "HP2", "bia@example.com", "70.00", hotmart.StatusExpired),
		}
		for _, e := range events {
			for attempt := 0; ; attempt++ {
				err := x.Execute(context.Background(), segment.Match{Event: e, Params: params})
				if err == nil {
					break
				}
				var ae *sendpulse.APIError
				if !errors.As(err, &ae) || ae.StatusCode != 500 || attempt > 50 {
					t.Fatalf("%s: %v", e.Type, err)
				}
				failures++
			}
		}
		srv.FailRate(0)
		return srv, failures
	}
	clean, _ := run(0)
	faulty, failures := run(0.2)
	if failures == 0 {
		t.Fatal("no fault was injected")
	}
	if len(clean.Effects()) != len(faulty.Effects()) {
		t.Errorf("effects: clean %d, with faults %d\nclean %v\nfaulty %v", len(clean.Effects()), len(faulty.Effects()), clean.Effects(), faulty.Effects())
	}
	for _, tx := range []string{"HP1", "HP2", "HP3"} {
		a, b := clean.DealsByTransaction(tx), faulty.DealsByTransaction(tx)
		if len(b) != 1 || clean.StepName(a[0].StepID) != faulty.StepName(b[0].StepID) {
			t.Errorf("%s: clean %+v faulty %+v", tx, a, b)
		}
	}
	if len(faulty.Contacts()) != 2 {
		t.Errorf("contacts = %d, want 2", len(faulty.Contacts()))
	}
}

func TestReRunAfterPartialFailureDuplicatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, method, suffix string
		after                bool
	}{
		{"contact created, e-mail not added", "POST", "/emails", false},
		{"contact with e-mail, phone not added", "POST", "/phones", false},
		{"contact created, e-mail answer lost", "POST", "/emails", true},
		{"contact create answer lost", "POST", "/contacts/create", true},
		{"deal create answer lost", "POST", "/crm/v1/deals", true},
		{"deal create refused", "POST", "/crm/v1/deals", false},
		{"attribute definition answer lost", "POST", "/attributes", true},
		{"move answer lost", "POST", "/change-pipeline", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := fake(t, nil, nil, sendpulse.WithRetry(0, time.Millisecond, time.Millisecond))
			x, _ := sendpulse.NewExecutor(c)
			params := upsertParams(t, srv)
			ctx := context.Background()
			billet := purchase(t, hotmart.EventPurchaseBilletPrinted, "HP9", "zeca@example.com", "10.00", hotmart.StatusBilletPrinted)
			paid := purchase(t, hotmart.EventPurchaseApproved, "HP9", "zeca@example.com", "10.00", hotmart.StatusApproved)
			if tc.suffix == "/change-pipeline" {
				if err := x.Execute(ctx, segment.Match{Event: billet, Params: params}); err != nil {
					t.Fatal(err)
				}
			}
			srv.FailNext(1, sendpulsetest.Fault{Method: tc.method, Path: "*" + tc.suffix, Status: 500, AfterApply: tc.after})
			if err := x.Execute(ctx, segment.Match{Event: paid, Params: params}); err == nil {
				t.Fatal("fault not hit")
			}
			if err := x.Execute(ctx, segment.Match{Event: paid, Params: params}); err != nil {
				t.Fatalf("re-run: %v", err)
			}
			if n := len(srv.Contacts()); n != 1 || len(srv.ContactsByEmail("zeca@example.com")) != 1 {
				t.Fatalf("contacts = %d", n)
			}
			if ph := srv.ContactsByEmail("zeca@example.com")[0].Phones; len(ph) != 1 {
				t.Fatalf("phones = %+v, want the buyer's one phone", ph)
			}
			deals := srv.DealsByTransaction("HP9")
			if len(deals) != 1 || srv.StepName(deals[0].StepID) != "Paid" {
				t.Fatalf("deals = %+v", deals)
			}
			if n := len(srv.DealAttributes(deals[0].PipelineID)); n != 5 {
				t.Fatalf("attribute definitions = %d, want 5", n)
			}
		})
	}
}

func TestUpsertDealRefusesEventsItCannotHandle(t *testing.T) {
	c, srv := fake(t, nil, nil)
	x, _ := sendpulse.NewExecutor(c)
	params := upsertParams(t, srv)
	ctx := context.Background()
	noEmail := purchase(t, hotmart.EventPurchaseApproved, "HP5", "", "1.00", hotmart.StatusApproved)
	noTx := purchase(t, hotmart.EventPurchaseApproved, "", "a@b.test", "1.00", hotmart.StatusApproved)
	sub, _ := hotmart.NewEvent("e", hotmart.EventSubscriptionCancellation, saleTime, &hotmart.SubscriptionCancellationData{})
	for name, tc := range map[string]struct {
		e    *hotmart.Event
		want error
	}{"no e-mail": {noEmail, sendpulse.ErrMissingData}, "no transaction": {noTx, sendpulse.ErrMissingData},
		"not a payment": {sub, sendpulse.ErrNotPayment}} {
		if err := x.Execute(ctx, segment.Match{Event: tc.e, Params: params}); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", name, err, tc.want)
		}
	}
	if len(srv.Effects()) != 0 {
		t.Errorf("refused events changed state: %v", srv.Effects())
	}
	if err := x.Execute(ctx, segment.Match{Event: noTx, Params: "bogus"}); err == nil {
		t.Error("foreign params accepted")
	}
}

func TestListActions(t *testing.T) {
	c, srv := fake(t, nil, nil)
	x, _ := sendpulse.NewExecutor(c)
	book := srv.Books()[0]
	add := compile(t, "add_to_list", `{"book":`+itoa(book)+`,"variables":{"curso":"{{product.name}}","tx":"{{purchase.transaction}}"}}`)
	remove := compile(t, "remove_from_list", `{"book":"`+itoa(book)+`"}`)
	ctx := context.Background()
	e := purchase(t, hotmart.EventPurchaseApproved, "HP7", "Lia@Example.com", "5.00", hotmart.StatusApproved)
	for range 2 {
		if err := x.Execute(ctx, segment.Match{Event: e, Params: add}); err != nil {
			t.Fatal(err)
		}
	}
	sub, ok := srv.Subscriber(book, "lia@example.com")
	if !ok || sub.Variables["curso"] != "Curso de Gelo" || sub.Variables["tx"] != "HP7" {
		t.Fatalf("subscriber = %+v, %v", sub, ok)
	}
	if len(srv.Effects()) != 1 {
		t.Fatalf("add twice: effects = %v", srv.Effects())
	}
	if err := x.Execute(ctx, segment.Match{Event: e, Params: remove}); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.Subscriber(book, "lia@example.com"); ok {
		t.Fatal("still subscribed")
	}
	missing := compile(t, "add_to_list", `{"book":999999}`)
	err := x.Execute(ctx, segment.Match{Event: e, Params: missing})
	var ae *sendpulse.APIError
	if !errors.As(err, &ae) || ae.Code != sendpulse.CodeBookNotFound || !sendpulse.IsNotFound(err) {
		t.Fatalf("unknown book: %v", err)
	}
}

func TestPaymentClassOfRealBodies(t *testing.T) {
	want := map[hotmart.EventType]sendpulse.Class{
		hotmart.EventPurchaseBilletPrinted: sendpulse.ClassPending,
		hotmart.EventPurchaseApproved:      sendpulse.ClassPaid,
		hotmart.EventPurchaseComplete:      sendpulse.ClassPaid,
		hotmart.EventPurchaseCanceled:      sendpulse.ClassFailed,
		hotmart.EventPurchaseExpired:       sendpulse.ClassFailed,
		hotmart.EventPurchaseDelayed:       sendpulse.ClassFailed,
		hotmart.EventPurchaseRefunded:      sendpulse.ClassRefunded,
		hotmart.EventPurchaseChargeback:    sendpulse.ClassRefunded,
		hotmart.EventPurchaseProtest:       sendpulse.ClassRefunded,
	}
	files, _ := filepath.Glob("../hotmart/testdata/webhooks/*.json")
	if len(files) == 0 {
		t.Fatal("no sample bodies")
	}
	for _, f := range files {
		body, _ := os.ReadFile(f)
		e, err := hotmart.ParseEvent(body)
		if err != nil {
			continue // not every sample is a 2.0.0 body
		}
		got, ok := sendpulse.PaymentClass(e)
		w, want := want[e.Type]
		if ok != want || got != w {
			t.Errorf("%s: got %q,%v want %q,%v", filepath.Base(f), got, ok, w, want)
		}
	}
}

func TestStatusClass(t *testing.T) {
	for _, tc := range []struct {
		s    hotmart.PurchaseStatus
		want sendpulse.Class
		ok   bool
	}{
		{"BILLET_PRINTED", sendpulse.ClassPending, true}, {"printed_billet", sendpulse.ClassPending, true},
		{"WAITING_PAYMENT", sendpulse.ClassPending, true}, {"COMPLETED", sendpulse.ClassPaid, true},
		{"approved", sendpulse.ClassPaid, true}, {"CANCELED", sendpulse.ClassFailed, true},
		{"EXPIRED", sendpulse.ClassFailed, true}, {"DELAYED", sendpulse.ClassFailed, true},
		{"PROTESTED", sendpulse.ClassRefunded, true}, {"CHARGEBACK", sendpulse.ClassRefunded, true},
		{"REFUNDED", sendpulse.ClassRefunded, true}, {"STARTED", "", false}, {"", "", false},
	} {
		if got, ok := sendpulse.StatusClass(tc.s); got != tc.want || ok != tc.ok {
			t.Errorf("StatusClass(%q) = %q,%v", tc.s, got, ok)
		}
	}
}

func TestUpsertDealFallsBackWhenCurrencyRefused(t *testing.T) {
	c, srv := fake(t, nil, []sendpulsetest.Option{sendpulsetest.WithCurrencies("UAH", "USD", "EUR")})
	x, _ := sendpulse.NewExecutor(c)
	params := upsertParams(t, srv)
	ctx := context.Background()
	for _, typ := range []hotmart.EventType{hotmart.EventPurchaseApproved, hotmart.EventPurchaseRefunded} {
		if err := x.Execute(ctx, segment.Match{Event: purchase(t, typ, "HP8", "c@example.com", "9.90", hotmart.StatusApproved), Params: params}); err != nil {
			t.Fatal(err)
		}
	}
	deals := srv.DealsByTransaction("HP8")
	if len(deals) != 1 || deals[0].Currency != "" || deals[0].Price != 9.9 || srv.StepName(deals[0].StepID) != "Refunded" {
		t.Fatalf("deals = %+v", deals)
	}
	for _, a := range srv.DealAttributes(deals[0].PipelineID) {
		if a.Name == sendpulse.AttrPrice && deals[0].Attributes[a.ID] != "9.90 BRL" {
			t.Fatalf("price attribute = %q", deals[0].Attributes[a.ID])
		}
	}
}
