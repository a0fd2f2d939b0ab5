package durable

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

// What the worker runs is the event the door accepted: the stored form
// decodes to the same data, for every event type.
func TestPayloadRoundTrip(t *testing.T) {
	for _, typ := range hotmart.EventTypes() {
		ev, err := hotmarttest.NewParsedEvent(typ, hotmarttest.WithBuyerEmail("a@example.com"))
		if err != nil {
			t.Fatal(err)
		}
		s, err := encodePayload(ev)
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodePayload(s)
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if back.ID != ev.ID || back.Type != ev.Type || !back.CreatedAt.Equal(ev.CreatedAt) {
			t.Fatalf("%s: envelope differs: %v vs %v", typ, back, ev)
		}
		if typ.Family() == hotmart.FamilyPurchase {
			a, _ := ev.Purchase()
			b, _ := back.Purchase()
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: purchase differs:\n%+v\n%+v", typ, a, b)
			}
		}
	}
}

// A legacy 1.0 postback (form) is stored and rebuilt as the same event.
func TestPayloadRoundTripLegacy(t *testing.T) {
	form := url.Values{
		"hottok": {"secret"}, "status": {"approved"}, "transaction": {"HP123"}, "prod": {"42"},
		"email": {"a@example.com"}, "name": {"Ana"}, "price": {"97,50"}, "currency": {"BRL"},
	}
	ev, err := hotmart.ParseForm(form)
	if err != nil {
		t.Fatal(err)
	}
	s, err := encodePayload(ev)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(s, "secret") {
		t.Fatal("stored payload holds the hottok")
	}
	back, err := decodePayload(s)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := ev.Purchase()
	b, err := back.Purchase()
	if err != nil || back.ID != ev.ID || back.Type != ev.Type || !reflect.DeepEqual(a, b) {
		t.Fatalf("legacy round trip: %v %v\n%+v\n%+v", back, err, a, b)
	}
}
