package hotmart_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// parseAgreesWithJSON checks ParseEvent on a whole body against an oracle
// built from encoding/json alone: the envelope read by envelopeOracle, the
// data section decoded by json.Unmarshal into PurchaseData. Bodies that are
// not purchase events, or whose envelope ParseEvent rejects, are left to
// FuzzParseEvent.
func parseAgreesWithJSON(t *testing.T, body []byte) {
	t.Helper()
	e, err := hotmart.ParseEvent(body)
	if !json.Valid(body) {
		if e != nil || err == nil {
			t.Fatalf("invalid JSON accepted: %v %v", e, err)
		}
		return
	}
	if e == nil || e.Family() != hotmart.FamilyPurchase {
		return
	}
	fields, ok := envelopeOracle(body)
	if !ok {
		t.Fatal("envelope oracle failed on valid JSON")
	}
	var want hotmart.PurchaseData
	var wantErr error
	if data := fields["data"]; len(data) > 0 {
		if data[0] != '{' {
			wantErr = errors.New("data is not an object")
		} else if jerr := json.Unmarshal(data, &want); jerr != nil {
			wantErr = hotmart.DecodeErrorFor("data", jerr)
		}
	}
	got, gotErr := e.Purchase()
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("ParseEvent error %v, encoding/json %v\nbody: %q", gotErr, wantErr, body)
	case gotErr == nil:
		if err != nil || !reflect.DeepEqual(*got, want) {
			t.Fatalf("data differs (err %v)\nParseEvent: %#v\njson:       %#v", err, *got, want)
		}
	default:
		if err != gotErr {
			t.Fatalf("ParseEvent returned %v, Purchase %v", err, gotErr)
		}
		var de, we *hotmart.DecodeError
		if !errors.As(gotErr, &de) || !errors.Is(gotErr, hotmart.ErrMalformed) {
			t.Fatalf("error %T %v is not a *DecodeError", gotErr, gotErr)
		}
		if errors.As(wantErr, &we) && (de.Field != we.Field || de.Reason != we.Reason) {
			t.Fatalf("errors differ\nParseEvent: %v\njson:       %v", de, we)
		}
	}
}

func TestParseEventPurchaseMatchesJSON(t *testing.T) {
	for name, body := range purchaseBodies(t) {
		t.Run(name, func(t *testing.T) {
			parseAgreesWithJSON(t, body)
			for _, m := range mutations(body) {
				parseAgreesWithJSON(t, m)
			}
		})
	}
}

// FuzzParseEventPurchase is the whole-body differential fuzz test.
func FuzzParseEventPurchase(f *testing.F) {
	for _, body := range purchaseBodies(f) {
		f.Add(body)
		for _, m := range mutations(body) {
			f.Add(m)
		}
	}
	f.Fuzz(parseAgreesWithJSON)
}
