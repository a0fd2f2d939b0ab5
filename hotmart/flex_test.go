package hotmart_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

func TestDecimal_Scaled(t *testing.T) {
	tests := []struct {
		in      hotmart.Decimal
		digits  int
		want    int64
		wantErr bool
	}{
		{"1500", 2, 150000, false},
		{"149.5", 2, 14950, false},
		{"0.29", 2, 29, false},
		{"0.005", 2, 1, false},
		{"0.004", 2, 0, false},
		{"-12.345", 2, -1235, false},
		{"1e2", 2, 10000, false},
		{"1.5E-1", 2, 15, false},
		{"", 2, 0, false},
		{"0.000001", 2, 0, false},
		{"99999999999999999999", 2, 0, true},
		{"1e99", 2, 0, true},
		{"1", 19, 0, true},
		{"1", -1, 0, true},
	}
	for _, tt := range tests {
		got, err := tt.in.Scaled(tt.digits)
		if (err != nil) != tt.wantErr {
			t.Errorf("%q.Scaled(%d) err = %v", tt.in, tt.digits, err)
			continue
		}
		eq(t, string(tt.in), got, tt.want)
	}
}

func TestDecimal_JSON(t *testing.T) {
	tests := []struct {
		json    string
		want    hotmart.Decimal
		wantErr bool
	}{
		{`149.5`, "149.5", false},
		{`"25.90"`, "25.90", false},
		{`" 10 "`, "10", false},
		{`""`, "", false},
		{`null`, "", false},
		{`"R$ 10"`, "", true},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		var d hotmart.Decimal
		err := json.Unmarshal([]byte(tt.json), &d)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.json, err)
			continue
		}
		eq(t, tt.json, d, tt.want)
	}
	out, _ := json.Marshal(struct{ A, B hotmart.Decimal }{"25.90", ""})
	eq(t, "marshal", string(out), `{"A":25.90,"B":null}`)
}

func TestCurrencyDigits(t *testing.T) {
	for code, want := range map[string]int{"BRL": 2, "usd": 2, "JPY": 0, "CLP": 0, "KWD": 3, "": 2, "XYZ": 2} {
		eq(t, code, hotmart.CurrencyDigits(code), want)
	}
}

func TestTime_JSON(t *testing.T) {
	tests := []struct {
		json    string
		want    time.Time
		wantErr bool
	}{
		{`1511783346000`, ms(1511783346000), false},
		{`1511783346`, time.Unix(1511783346, 0).UTC(), false},
		{`"2017-12-27T00:00:00Z"`, time.Date(2017, 12, 27, 0, 0, 0, 0, time.UTC), false},
		{`null`, time.Time{}, false},
		{`"soon"`, time.Time{}, true},
		{`[1]`, time.Time{}, true},
		{`1e16`, time.Time{}, true},
	}
	for _, tt := range tests {
		var v hotmart.Time
		err := json.Unmarshal([]byte(tt.json), &v)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.json, err)
			continue
		}
		eq(t, tt.json, v.Time, tt.want)
	}
	out, _ := json.Marshal(struct{ A, B hotmart.Time }{hotmart.Time{Time: ms(1511783346000)}, hotmart.Time{}})
	eq(t, "marshal", string(out), `{"A":"2017-11-27T11:49:06Z","B":null}`)
}

func TestID_JSON(t *testing.T) {
	for _, tt := range []struct {
		json    string
		want    hotmart.ID
		wantErr bool
	}{
		{`123`, "123", false}, {`"00000"`, "00000", false}, {`null`, "", false}, {`true`, "", true}, {`{}`, "", true},
	} {
		var id hotmart.ID
		err := json.Unmarshal([]byte(tt.json), &id)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s: err = %v", tt.json, err)
			continue
		}
		eq(t, tt.json, id, tt.want)
	}
}
