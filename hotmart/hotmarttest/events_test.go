package hotmarttest_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

// Every event type must round-trip through hotmart.ParseEvent with the
// options' values visible in the typed data.
func TestNewEventRoundTripAllTypes(t *testing.T) {
	created := time.Date(2025, 11, 15, 22, 22, 25, 737_000_000, time.UTC)
	opts := []hotmarttest.EventOption{
		hotmarttest.WithEventID("evt-1"),
		hotmarttest.WithCreatedAt(created),
		hotmarttest.WithProductID(4062912),
		hotmarttest.WithProductUCode("uc-42"),
		hotmarttest.WithProductName("Curso de Go"),
		hotmarttest.WithBuyerEmail("ana@example.com"),
		hotmarttest.WithBuyerName("Ana Souza"),
		hotmarttest.WithBuyerPhone("31", "988887777"),
		hotmarttest.WithBuyerDocument("12345678909", "CPF"),
		hotmarttest.WithPrice("149.9", "USD"),
		hotmarttest.WithTransaction("HP0967750879"),
		hotmarttest.WithSubscriberCode("SUB123"),
		hotmarttest.WithOffer("off9"),
		hotmarttest.WithAffiliate("AFF1", "Aff Name"),
		hotmarttest.WithPlan(777, "Plano Ouro"),
	}
	for _, typ := range hotmart.EventTypes() {
		t.Run(string(typ), func(t *testing.T) {
			ev, err := hotmarttest.NewParsedEvent(typ, opts...)
			if err != nil {
				t.Fatalf("ParseEvent: %v", err)
			}
			if ev.ID != "evt-1" || ev.Type != typ || ev.Version != "2.0.0" || !ev.CreatedAt.Equal(created) {
				t.Errorf("envelope = %v, created %v", ev, ev.CreatedAt)
			}
			if got := ev.Buyer().Email; got != "ana@example.com" {
				t.Errorf("buyer email = %q", got)
			}
			p := ev.Product()
			if p.ID != "4062912" || p.Name != "Curso de Go" {
				t.Errorf("product = %+v", p)
			}
			checkFamily(t, ev)
		})
	}
}

func checkFamily(t *testing.T, ev *hotmart.Event) {
	t.Helper()
	eq := func(field, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	switch ev.Family() {
	case hotmart.FamilyPurchase:
		d, err := ev.Purchase()
		if err != nil {
			t.Fatal(err)
		}
		eq("ucode", d.Product.UCode, "uc-42")
		eq("buyer.name", d.Buyer.Name, "Ana Souza")
		eq("phone", ev.Buyer().Phone.String(), "+5531988887777") // a BR buyer's DDD implies DDI 55
		eq("document", d.Buyer.Document, "12345678909")
		eq("price", d.Purchase.Price.String(), "149.9 USD")
		eq("transaction", d.Purchase.Transaction, "HP0967750879")
		eq("offer", d.Purchase.Offer.Code, "off9")
		if d.Subscription == nil {
			t.Fatal("no subscription")
		}
		eq("subscriber", d.Subscription.Subscriber.Code.String(), "SUB123")
		eq("plan", d.Subscription.Plan.Name, "Plano Ouro")
		a, ok := d.Affiliate()
		eq("affiliate", a.Code, "AFF1")
		if !ok {
			t.Error("no affiliate")
		}
		fee, _ := d.Commission(hotmart.SourceMarketplace)
		prod, _ := d.Commission(hotmart.SourceProducer)
		f, _ := fee.Value.Scaled(2)
		n, _ := prod.Value.Scaled(2)
		if f+n != 14990 {
			t.Errorf("commissions %s + %s != price", fee.Value, prod.Value)
		}
		want := map[hotmart.EventType]hotmart.PurchaseStatus{
			hotmart.EventPurchaseApproved: "APPROVED", hotmart.EventPurchaseComplete: "COMPLETED",
			hotmart.EventPurchaseCanceled: "CANCELED", hotmart.EventPurchaseBilletPrinted: "BILLET_PRINTED",
			hotmart.EventPurchaseProtest: "DISPUTE", hotmart.EventPurchaseRefunded: "REFUNDED",
			hotmart.EventPurchaseChargeback: "CHARGEBACK", hotmart.EventPurchaseExpired: "EXPIRED",
			hotmart.EventPurchaseDelayed: "DELAYED",
		}[ev.Type]
		eq("status", string(d.Purchase.Status), string(want))
		if paid := !d.Purchase.ApprovedDate.IsZero(); paid != (want.Canonical() != hotmart.StatusPrintedBillet &&
			want != hotmart.StatusExpired && want.Canonical() != hotmart.StatusCancelled && want != hotmart.StatusDelayed) {
			t.Errorf("approved_date present = %v for %s", paid, want)
		}
	case hotmart.FamilyCartAbandonment:
		d, err := ev.CartAbandonment()
		if err != nil {
			t.Fatal(err)
		}
		eq("offer", d.Offer.Code, "off9")
		eq("phone", d.Buyer.Phone, "31988887777")
		if !d.Affiliate {
			t.Error("affiliate = false")
		}
	case hotmart.FamilySubscriptionCancellation:
		d, err := ev.SubscriptionCancellation()
		if err != nil {
			t.Fatal(err)
		}
		eq("subscriber", d.Subscriber.Code.String(), "SUB123")
		eq("recurrence value", d.ActualRecurrenceValue.String(), "149.9")
		eq("plan", d.Subscription.Plan.Name, "Plano Ouro")
		eq("phone", ev.Buyer().Phone.String(), "31988887777")
	case hotmart.FamilySwitchPlan:
		d, err := ev.SwitchPlan()
		if err != nil {
			t.Fatal(err)
		}
		eq("subscriber", d.Subscription.SubscriberCode.String(), "SUB123")
		cur, _ := d.CurrentPlan()
		eq("current plan", cur.Name, "Plano Ouro")
		eq("offer key", cur.Offer.ID(), "off9")
		eq("status", string(d.Subscription.Status), "ACTIVE")
	case hotmart.FamilyChargeDateUpdate:
		d, err := ev.ChargeDateUpdate()
		if err != nil {
			t.Fatal(err)
		}
		eq("subscriber", d.Subscriber.Code.String(), "SUB123")
		eq("offer", d.Plan.Offer.Code, "off9")
		if d.Subscription.NewChargeDay != 1 || d.Subscription.OldChargeDay != 7 || d.Subscription.DateNextCharge.IsZero() {
			t.Errorf("charge days = %+v", d.Subscription)
		}
	case hotmart.FamilyClubFirstAccess:
		d, err := ev.ClubFirstAccess()
		if err != nil {
			t.Fatal(err)
		}
		eq("user", d.User.Name, "Ana Souza")
	case hotmart.FamilyClubModuleCompleted:
		d, err := ev.ClubModuleCompleted()
		if err != nil {
			t.Fatal(err)
		}
		eq("module", d.Module.ID.String(), "hash123")
	case hotmart.FamilyOrderFulfillment:
		d, err := ev.OrderFulfillment()
		if err != nil {
			t.Fatal(err)
		}
		eq("transaction", d.Purchase.Transaction, "HP0967750879")
		eq("status", string(d.Purchase.Status), "APPROVED")
		eq("price", d.Purchase.Price.String(), "149.9 USD")
		eq("ucode", d.LineItems[0].Product.UCode, "uc-42")
		eq("offer", d.LineItems[0].Offer.Code, "off9")
	default:
		t.Fatalf("unexpected family %v", ev.Family())
	}
}

// The envelope quirks of Hotmart's test sends are reproduced per event.
func TestNewEventShape(t *testing.T) {
	tests := []struct {
		typ  hotmart.EventType
		keys []string // top-level keys expected
		not  []string // top-level keys that must be absent
		in   string   // substring expected in the body
	}{
		{hotmart.EventClubFirstAccess, []string{"creationDate"}, []string{"creation_date"}, `"user"`},
		{hotmart.EventUpdateSubscriptionChargeDate, []string{"creationDate"}, []string{"creation_date"}, `"dateNextCharge"`},
		{hotmart.EventClubModuleCompleted, []string{"creation_date"}, nil, `"id":"0"`},
		{hotmart.EventPurchaseComplete, []string{"creation_date", "data", "event", "id", "version"}, []string{"hottok"}, `"status":"COMPLETED"`},
		{hotmart.EventSwitchPlan, []string{"creation_date"}, nil, `"key":"test"`},
		{hotmart.EventPurchaseBilletPrinted, nil, nil, `"billet_url"`},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ), func(t *testing.T) {
			body := hotmarttest.NewEvent(tt.typ)
			var top map[string]json.RawMessage
			if err := json.Unmarshal(body, &top); err != nil {
				t.Fatal(err)
			}
			for _, k := range tt.keys {
				if _, ok := top[k]; !ok {
					t.Errorf("key %q missing", k)
				}
			}
			for _, k := range tt.not {
				if _, ok := top[k]; ok {
					t.Errorf("key %q present", k)
				}
			}
			if !bytes.Contains(body, []byte(tt.in)) {
				t.Errorf("body lacks %s: %s", tt.in, body)
			}
		})
	}
}

func TestNewEventDeterminism(t *testing.T) {
	a := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithSeed(7))
	b := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithSeed(7))
	c := hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithSeed(8))
	d := hotmarttest.NewEvent(hotmart.EventPurchaseRefunded, hotmarttest.WithSeed(7))
	if !bytes.Equal(a, b) {
		t.Error("same seed gave different bodies")
	}
	ids := map[string]bool{}
	for _, body := range [][]byte{a, c, d, hotmarttest.NewEvent(hotmart.EventPurchaseApproved), hotmarttest.NewEvent(hotmart.EventPurchaseApproved)} {
		ev, err := hotmart.ParseEvent(body)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.ID) != 36 || ev.ID[14] != '4' {
			t.Errorf("id %q is not a v4 UUID", ev.ID)
		}
		ids[ev.ID] = true
	}
	if len(ids) != 5 {
		t.Errorf("ids not distinct: %v", ids)
	}
}

func TestNewEventOptions(t *testing.T) {
	ev, err := hotmarttest.NewParsedEvent(hotmart.EventPurchaseApproved,
		hotmarttest.WithoutSubscription(), hotmarttest.WithBodyHottok("tok"),
		hotmarttest.WithPayment("PIX", 1), hotmarttest.WithRecurrence(3),
		hotmarttest.WithStatus("STARTED"), hotmarttest.WithPrice("not a number", "EUR"))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ev.Purchase()
	if d.Subscription != nil || ev.Hottok != "tok" || d.Purchase.Payment.Type != hotmart.PaymentPix ||
		d.Purchase.RecurrenceNumber != 3 || d.Purchase.Status != hotmart.StatusStarted ||
		d.Purchase.Price.String() != "1500 EUR" {
		t.Errorf("options not applied: %+v hottok=%q", d.Purchase, ev.Hottok)
	}
	if _, ok := d.Affiliate(); ok {
		t.Error("default purchase has an affiliate")
	}
	unknown, err := hotmarttest.NewParsedEvent("SOMETHING_NEW")
	if err != nil || unknown.Type != "SOMETHING_NEW" || string(unknown.Raw) != "{}" {
		t.Errorf("unknown type: %v %v %s", unknown, err, unknown.Raw)
	}
}
