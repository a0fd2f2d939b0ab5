package hotmart_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func addJSONSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"id":"a","event":"X"}`, `{"id":1,"event":"PURCHASE_APPROVED","data":{"purchase":{"price":{"value":1}}}}`,
		`{"id":"a","id":null,"event":"X","data":{"x":1},"data":null}`, `{"\u0069d":"\u00e9","event":"X"}`,
		`{"id":"a","event":"X","data":{"s":"\"}"}}`, `{"id":"a","event":"X","creation_date":"2023-01-01"}`,
		`{"id":"a","event":"PURCHASE_APPROVED","data":[1}`, `{"id":"a","event":"X","k":[{]}`,
		`{"id":"a","event":"PURCHASE_APPROVED","data":{"purchase":{"price":{"value":1e400}}}}`,
		`{"id":"a","event":"PURCHASE_APPROVED","data":{"product":{"warranty_date":"2017 - 12 - 27"},"commissions":[{"source":1},{"value":"x"}]}}`,
		`{"id":"a","event":"X","HOTTOK":"h","hottok":null}`,
	} {
		f.Add([]byte(s))
	}
}

// envelopeOracle reads the top level with encoding/json's tokenizer, by the
// rules ParseEvent documents: exact keys, last non-null value wins.
func envelopeOracle(body []byte) (map[string]json.RawMessage, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false
		}
		if string(raw) != "null" {
			fields[tok.(string)] = raw
		}
	}
	return fields, true
}

// FuzzParseEvent checks ParseEvent against encoding/json: invalid JSON
// always fails, valid JSON is never called invalid, a decoded envelope
// equals what encoding/json reads, every warning names a data field, and
// whatever decodes marshals again.
func FuzzParseEvent(f *testing.F) {
	addJSONSeeds(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := hotmart.ParseEvent(body)
		valid := json.Valid(body)
		if !valid {
			if err == nil || e != nil {
				t.Fatalf("invalid JSON accepted: event %v, err %v", e, err)
			}
		}
		if err != nil {
			if !errors.Is(err, hotmart.ErrMalformed) {
				t.Fatalf("error %v does not match ErrMalformed", err)
			}
			var de *hotmart.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T is not a *DecodeError", err)
			}
			if valid && de.Reason == hotmart.ReasonSyntax {
				t.Fatalf("valid JSON called invalid: %v", err)
			}
		}
		if e == nil {
			return
		}
		if err != nil && e.DataErr() != err {
			t.Fatalf("event returned with error %v but DataErr %v", err, e.DataErr())
		}
		fields, ok := envelopeOracle(body)
		if !ok {
			t.Fatal("ParseEvent decoded a body encoding/json cannot read as an object")
		}
		var wantID string
		if raw := fields["id"]; len(raw) > 0 && raw[0] == '"' {
			_ = json.Unmarshal(raw, &wantID)
		} else {
			wantID = string(raw)
		}
		str := func(k string) string {
			var s string
			_ = json.Unmarshal(fields[k], &s)
			return s
		}
		tm := func(k string) hotmart.Time {
			var v hotmart.Time
			if raw, ok := fields[k]; ok {
				if err := v.UnmarshalJSON(raw); err != nil {
					t.Fatalf("%s accepted by ParseEvent, rejected by Time: %v", k, err)
				}
			}
			return v
		}
		wantAt := tm("creation_date").Time
		if wantAt.IsZero() {
			wantAt = tm("creationDate").Time
		}
		switch {
		case e.ID != wantID:
			t.Fatalf("ID %q, encoding/json %q", e.ID, wantID)
		case string(e.Type) != str("event"):
			t.Fatalf("Type %q, encoding/json %q", e.Type, str("event"))
		case e.Version != str("version"):
			t.Fatalf("Version %q, encoding/json %q", e.Version, str("version"))
		case e.Hottok != str("hottok"):
			t.Fatalf("Hottok differs from encoding/json")
		case !e.CreatedAt.Equal(wantAt):
			t.Fatalf("CreatedAt %v, encoding/json %v", e.CreatedAt, wantAt)
		case !bytes.Equal(e.Raw, fields["data"]):
			t.Fatalf("Raw %q, encoding/json %q", e.Raw, fields["data"])
		case e.ID == "" || e.Type == "":
			t.Fatal("event without id or type")
		case len(e.ID) > hotmart.MaxEventIDLength:
			t.Fatal("over-long id accepted")
		}
		for _, w := range e.Warnings {
			if !strings.HasPrefix(w.Field, "data.") && !strings.HasPrefix(w.Field, "data[") || w.Reason == "" {
				t.Fatalf("warning without a data path or reason: %+v", w)
			}
		}
		if hotmart.BodyHottok(body) != e.Hottok {
			t.Fatal("BodyHottok differs from ParseEvent's Hottok")
		}
		_ = e.Buyer()
		_ = e.Product()
		if e.DataErr() == nil {
			if _, err := json.Marshal(e); err != nil {
				t.Fatalf("decoded event does not marshal: %v", err)
			}
			if _, err := hotmart.NewEvent(e.ID, e.Type, e.CreatedAt, dataOf(e)); err != nil {
				t.Fatalf("decoded data does not marshal: %v", err)
			}
		}
	})
}

// FuzzParseForm feeds arbitrary query strings to ParseForm.
func FuzzParseForm(f *testing.F) {
	f.Add(strings.TrimSpace(string(mustRead(f, "testdata/legacy/approved.form"))))
	for _, name := range []string{"21-purchase-approved-facturascripts-legacy-test-send.form", "23-purchase-approved-evermart-legacy-compatible.form",
		"26-purchase-approved-essaytest-legacy-mangled-dates.form"} {
		f.Add(strings.TrimSpace(string(mustRead(f, "testdata/wild/"+name))))
	}
	f.Add("subscriptionId=1&subscriberCode=2&cancellationDate=2022-06-23T19:38:39.173Z&actualRecurrenceValue=x")
	for _, s := range []string{"", "transaction=HP1&status=approved", "transaction=HP1&status=blocked&hottok=x",
		"transaction=HP1&status=approved&price=1,5&installments_number=x", "status=completed&transaction=%00",
		"transaction=HP1&status=approved&purchase_date=31/12/2020&funnel=sim&recurrency=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		form, _ := url.ParseQuery(query)
		e, err := hotmart.ParseForm(form)
		tx, st := strings.TrimSpace(form.Get("transaction")), strings.TrimSpace(form.Get("status"))
		if tx == "" && st == "" && (strings.TrimSpace(form.Get("subscriptionId")) != "" || strings.TrimSpace(form.Get("subscriberCode")) != "") {
			if err != nil || e.Type != hotmart.EventSubscriptionCancellation {
				t.Fatalf("1.0 cancellation: %v, %v", e, err)
			}
			if _, err := e.SubscriptionCancellation(); err != nil {
				t.Fatal(err)
			}
			return
		}
		if tx == "" || st == "" {
			if e != nil || !errors.Is(err, hotmart.ErrMalformed) {
				t.Fatalf("missing transaction/status: %v, %v", e, err)
			}
			return
		}
		if e == nil {
			t.Fatalf("nil event for a postback with transaction and status: %v", err)
		}
		if !strings.HasPrefix(e.ID, "v1-") || e.Version != "1.0.0" || e.Hottok != form.Get("hottok") {
			t.Fatalf("bad envelope %v", e)
		}
		var raw map[string]string
		if jerr := json.Unmarshal(e.Raw, &raw); jerr != nil {
			t.Fatalf("Raw is not a JSON object: %v", jerr)
		}
		if _, ok := raw["hottok"]; ok {
			t.Fatal("hottok in Raw")
		}
		if err != nil {
			t.Fatalf("event returned with error %v", err)
		}
		for _, w := range e.Warnings {
			if !form.Has(w.Field) || w.Reason == "" {
				t.Fatalf("warning %v does not name a field of the form", w)
			}
		}
		if e.Type.Family() == hotmart.FamilyPurchase {
			d, perr := e.Purchase()
			if perr != nil || d.Purchase.Transaction != tx {
				t.Fatalf("Purchase() = %v, %v", d, perr)
			}
		}
	})
}

// FuzzParseLegacyJSON feeds arbitrary bodies to ParseLegacyJSON.
func FuzzParseLegacyJSON(f *testing.F) {
	f.Add(mustRead(f, "testdata/legacy/approved.json"))
	f.Add([]byte(`{"transaction":"HP1","status":"approved","price":1.5,"funnel":true}`))
	f.Add(mustRead(f, "testdata/wild/25-subscription-cancellation-evermart-legacy-camelcase.json"))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := hotmart.ParseLegacyJSON(body)
		if err != nil && !errors.Is(err, hotmart.ErrMalformed) {
			t.Fatalf("error %v does not match ErrMalformed", err)
		}
		if e == nil && err == nil {
			t.Fatal("nil event and nil error")
		}
		if e != nil && !json.Valid(body) {
			t.Fatal("event from invalid JSON")
		}
	})
}

// dataOf returns the typed data of a decoded event, whatever its family.
func dataOf(e *hotmart.Event) any {
	var v any
	switch e.Family() {
	case hotmart.FamilyPurchase:
		v, _ = e.Purchase()
	case hotmart.FamilyCartAbandonment:
		v, _ = e.CartAbandonment()
	case hotmart.FamilySubscriptionCancellation:
		v, _ = e.SubscriptionCancellation()
	case hotmart.FamilySwitchPlan:
		v, _ = e.SwitchPlan()
	case hotmart.FamilyChargeDateUpdate:
		v, _ = e.ChargeDateUpdate()
	case hotmart.FamilyClubFirstAccess:
		v, _ = e.ClubFirstAccess()
	case hotmart.FamilyClubModuleCompleted:
		v, _ = e.ClubModuleCompleted()
	case hotmart.FamilyOrderFulfillment:
		v, _ = e.OrderFulfillment()
	}
	return v
}

func mustRead(f *testing.F, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
