package hotmart_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// sameAsReference decodes data with the hand-written purchase decoder and
// with encoding/json, and fails t unless both succeed with deeply equal
// values or both fail with the same kind of error at the same field. It
// returns the fast decoder's result and error.
func sameAsReference(t testing.TB, data []byte) (*hotmart.PurchaseData, error) {
	t.Helper()
	var fast, ref hotmart.PurchaseData
	ferr := hotmart.UnmarshalPurchase(data, &fast)
	rerr := hotmart.UnmarshalPurchaseReference(data, &ref)
	switch {
	case (ferr == nil) != (rerr == nil):
		t.Fatalf("fast decoder error %v, encoding/json error %v\ninput: %q", ferr, rerr, data)
	case ferr == nil:
		if !reflect.DeepEqual(fast, ref) {
			t.Fatalf("decoded values differ\nfast: %#v\njson: %#v\ninput: %q", fast, ref, data)
		}
		return &fast, nil
	}
	fd, rd := hotmart.DecodeErrorFor("data", ferr), hotmart.DecodeErrorFor("data", rerr)
	if fd.Field != rd.Field || fd.Reason != rd.Reason {
		t.Fatalf("errors differ\nfast: %v\njson: %v\ninput: %q", fd, rd, data)
	}
	var fs, rs *json.SyntaxError
	if errors.As(ferr, &fs) != errors.As(rerr, &rs) {
		t.Fatalf("syntax error on one side only\nfast: %v\njson: %v\ninput: %q", ferr, rerr, data)
	}
	if fs != nil && ferr.Error() != rerr.Error() {
		t.Fatalf("syntax errors differ\nfast: %v\njson: %v", ferr, rerr)
	}
	var ft, rt *json.UnmarshalTypeError
	if errors.As(ferr, &ft) != errors.As(rerr, &rt) {
		t.Fatalf("type error on one side only\nfast: %v\njson: %v\ninput: %q", ferr, rerr, data)
	}
	if ft != nil && (ft.Value != rt.Value || ft.Type != rt.Type || ft.Field != rt.Field) {
		t.Fatalf("type errors differ\nfast: %+v\njson: %+v\ninput: %q", ft, rt, data)
	}
	return nil, ferr
}

// purchaseBodies returns the purchase-family webhook bodies in testdata.
func purchaseBodies(t testing.TB) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/*/PURCHASE_*.json")
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{}
	for _, name := range files {
		if strings.Contains(name, "OUT_OF_SHOPPING_CART") {
			continue // the cart-abandonment family
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		bodies[filepath.Base(name)] = b
	}
	if len(bodies) < 10 {
		t.Fatalf("found only %d purchase bodies", len(bodies))
	}
	return bodies
}

// dataSection returns the data object of a webhook body, as sent.
func dataSection(t testing.TB, body []byte) []byte {
	t.Helper()
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	return env.Data
}

func TestPurchaseDecoderMatchesOnTestdata(t *testing.T) {
	for name, body := range purchaseBodies(t) {
		t.Run(name, func(t *testing.T) {
			got, err := sameAsReference(t, dataSection(t, body))
			if strings.Contains(name, "anonymized") {
				if err == nil { // strings where objects belong
					t.Fatal("anonymised shape accepted")
				}
				return
			}
			if err != nil {
				t.Fatalf("body rejected: %v", err)
			}
			if got.Purchase.Transaction == "" && got.Buyer.Email == "" {
				t.Fatal("nothing decoded")
			}
		})
	}
}

// TestPurchaseDecoderCoversEveryField fills every field of PurchaseData and
// of the types it contains, marshals it and decodes it back: a field the
// hand-written decoder does not know (say, one added to a struct later)
// comes back empty and fails the comparison.
func TestPurchaseDecoderCoversEveryField(t *testing.T) {
	var want hotmart.PurchaseData
	fill(t, reflect.ValueOf(&want).Elem(), 0)
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sameAsReference(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("round trip lost fields\ngot:  %+v\nwant: %+v", *got, want)
	}
}

// fill sets every field reachable from v to a non-zero value that survives
// a JSON round trip.
func fill(t *testing.T, v reflect.Value, depth int) {
	switch v.Interface().(type) {
	case hotmart.ID:
		v.SetString(fmt.Sprint(4000 + depth))
		return
	case hotmart.Decimal:
		v.SetString("149.5")
		return
	case hotmart.Time:
		v.Set(reflect.ValueOf(hotmart.Time{Time: time.Date(2025, 11, 15, 22, 2, 25, 0, time.UTC)}))
		return
	case json.RawMessage:
		v.SetBytes([]byte(`{"k":[1,"x"]}`))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), depth+1)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), depth+1)
		}
	default:
		t.Fatalf("fill: unhandled kind %s (%s)", v.Kind(), v.Type())
	}
}

// The cases below pin the behaviour of encoding/json that the decoder must
// reproduce; each is checked against encoding/json and against the stated
// expectation.
func TestPurchaseDecoderCorners(t *testing.T) {
	tests := []struct {
		name  string
		data  string
		check func(t *testing.T, d *hotmart.PurchaseData)
		field string // for errors: DecodeError.Field
	}{
		{name: "case-insensitive key", data: `{"purchase":{"Transaction":"HP1","STATUS":"APPROVED"}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Transaction != "HP1" || d.Purchase.Status != "APPROVED" {
					t.Errorf("got %+v", d.Purchase)
				}
			}},
		{name: "exact key wins over folded whatever the order", data: `{"purchase":{"transaction":"a","TRANSACTION":"b"}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Transaction != "b" { // both fill the field: last wins
					t.Errorf("got %q", d.Purchase.Transaction)
				}
			}},
		{name: "unicode fold: long s and Kelvin sign", data: "{\"purchase\":{\"origin\":{\"\u017fck\":\"a\",\"xcod\":\"b\"}},\"\u212Aey\":1,\"subscription\":{\"\u017ftatus\":\"ACTIVE\"}}",
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Origin.Sck != "a" || d.Subscription == nil || d.Subscription.Status != "ACTIVE" {
					t.Errorf("got %+v %+v", d.Purchase.Origin, d.Subscription)
				}
			}},
		{name: "escaped key", data: `{"purchase":{"tr\u0061nsaction":"HP2"}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Transaction != "HP2" {
					t.Errorf("got %q", d.Purchase.Transaction)
				}
			}},
		{name: "last duplicate wins, null keeps", data: `{"buyer":{"email":"a@x","email":"b@x","email":null}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Buyer.Email != "b@x" {
					t.Errorf("got %q", d.Buyer.Email)
				}
			}},
		{name: "repeated object merges", data: `{"buyer":{"name":"N"},"buyer":{"email":"e"}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Buyer.Name != "N" || d.Buyer.Email != "e" {
					t.Errorf("got %+v", d.Buyer)
				}
			}},
		{name: "null pointer and slice", data: `{"subscription":{"status":"A"},"subscription":null,"affiliates":[{}],"affiliates":null}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Subscription != nil || d.Affiliates != nil {
					t.Errorf("got %+v %+v", d.Subscription, d.Affiliates)
				}
			}},
		{name: "repeated pointer merges", data: `{"subscription":{"status":"A"},"subscription":{"plan":{"id":1}}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Subscription.Status != "A" || d.Subscription.Plan.ID != "1" {
					t.Errorf("got %+v", d.Subscription)
				}
			}},
		{name: "empty array is non-nil", data: `{"affiliates":[]}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Affiliates == nil || len(d.Affiliates) != 0 {
					t.Errorf("got %#v", d.Affiliates)
				}
			}},
		{name: "repeated array decodes into existing elements", data: `{"affiliates":[{"affiliate_code":"X","name":"a"},{"name":"b"}],"affiliates":[{"name":"c"}],"affiliates":[null,{}]}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				want := []hotmart.Affiliate{{Code: "X", Name: "c"}, {Name: "b"}}
				if !reflect.DeepEqual(d.Affiliates, want) {
					t.Errorf("got %+v", d.Affiliates)
				}
			}},
		{name: "metadata null kept as text", data: `{"purchase":{"offer":{"metadata":{"a":[1,{"b":null}]},"metadata":null}}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if string(d.Purchase.Offer.Metadata) != "null" {
					t.Errorf("got %q", d.Purchase.Offer.Metadata)
				}
			}},
		{name: "metadata raw", data: `{"subscription":{"plan":{"offer":{"metadata": { "a" : [ 1 ] } }}}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if string(d.Subscription.Plan.Offer.Metadata) != `{ "a" : [ 1 ] }` {
					t.Errorf("got %q", d.Subscription.Plan.Offer.Metadata)
				}
			}},
		{name: "escapes, surrogates and bad UTF-8", data: "{\"buyer\":{\"name\":\"a\\u00e9\\ud83d\\ude00\\ud800x\\n\\/\xff\xc3\",\"email\":\"\\udc00\\ud800\\u0041\"}}",
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Buyer.Name != "aé😀\uFFFDx\n/\uFFFD\uFFFD" || d.Buyer.Email != "\uFFFD\uFFFDA" {
					t.Errorf("got %q %q", d.Buyer.Name, d.Buyer.Email)
				}
			}},
		{name: "ints", data: `{"purchase":{"recurrence_number":-0,"payment":{"installments_number":12}},"shipping":{"estimated_delivery_days":9223372036854775807}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Payment.InstallmentsNumber != 12 || d.Shipping.EstimatedDeliveryDays != 1<<63-1 {
					t.Errorf("got %+v %+v", d.Purchase.Payment, d.Shipping)
				}
			}},
		{name: "unknown keys skipped", data: `{"x":{"y":[1,2,{"z":"\u0000"}]},"purchase":{"q":null,"transaction":"T"}}`,
			check: func(t *testing.T, d *hotmart.PurchaseData) {
				if d.Purchase.Transaction != "T" {
					t.Errorf("got %q", d.Purchase.Transaction)
				}
			}},
		{name: "top-level null", data: ` null `, check: func(t *testing.T, d *hotmart.PurchaseData) {}},

		{name: "fractional int", data: `{"purchase":{"recurrence_number":1.5}}`, field: "data.purchase.recurrence_number"},
		{name: "overflowing int", data: `{"purchase":{"event_tickets":{"amount":9223372036854775808}}}`, field: "data.purchase.event_tickets.amount"},
		{name: "exponent int", data: `{"shipping":{"estimated_delivery_days":1e2}}`, field: "data.shipping.estimated_delivery_days"},
		{name: "string into bool", data: `{"purchase":{"is_funnel":"true"}}`, field: "data.purchase.is_funnel"},
		{name: "number into string", data: `{"buyer":{"address":{"zipcode":38400123}}}`, field: "data.buyer.address.zipcode"},
		{name: "array into struct", data: `{"purchase":{"price":[]}}`, field: "data.purchase.price"},
		{name: "object into slice", data: `{"commissions":{}}`, field: "data.commissions"},
		{name: "string in slice", data: `{"commissions":["x"]}`, field: "data.commissions"},
		{name: "field inside slice", data: `{"commissions":[{"source":1}]}`, field: "data.commissions.source"},
		{name: "bool into pointer struct", data: `{"subscription":true}`, field: "data.subscription"},
		{name: "top-level array", data: `[1]`, field: "data"},
		{name: "folded key path uses the tag", data: `{"PURCHASE":{"PRICE":{"VALUE":"abc"}}}`, field: "data.purchase.price.value"},
		{name: "first saved error wins", data: `{"purchase":{"recurrence_number":1.5,"is_funnel":1}}`, field: "data.purchase.recurrence_number"},
		{name: "custom decoder error wins over earlier one", data: `{"purchase":{"recurrence_number":1.5,"order_date":true,"approved_date":{}}}`, field: "data.purchase.order_date"},
		{name: "decimal rejects text", data: `{"commissions":[{"value":"12a"}]}`, field: "data.commissions.value"},
		{name: "id rejects bool", data: `{"product":{"content":{"products":[{"id":false}]}}}`, field: "data.product.content.products.id"},
		{name: "time out of range", data: `{"purchase":{"payment":{"pix_expiration_date":1e300}}}`, field: "data.purchase.payment.pix_expiration_date"},
		{name: "syntax error wins over type error", data: `{"purchase":{"recurrence_number":"x"},"a":[1,]}`, field: "data"},
		{name: "control character in string", data: "{\"buyer\":{\"name\":\"a\tb\"}}", field: "data"},
		{name: "bad escape", data: `{"buyer":{"name":"\x"}}`, field: "data"},
		{name: "trailing data", data: `{} {}`, field: "data"},
		{name: "trailing comma", data: `{"buyer":{"name":"a",}}`, field: "data"},
		{name: "leading zero", data: `{"purchase":{"recurrence_number":01}}`, field: "data"},
		{name: "truncated", data: `{"purchase":{"transaction":"a"`, field: "data"},
		{name: "empty", data: ``, field: "data"},
		{name: "nesting over the limit", data: `{"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, field: "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := sameAsReference(t, []byte(tt.data))
			if tt.check != nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				tt.check(t, d)
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if de := hotmart.DecodeErrorFor("data", err); de.Field != tt.field {
				t.Fatalf("field %q, want %q (%v)", de.Field, tt.field, de)
			}
		})
	}
}

func TestPurchaseDecoderNestingLimit(t *testing.T) {
	for _, depth := range []int{9998, 9999, 10000} {
		for _, open := range []string{"[", `{"a":`} {
			close := "]"
			if open != "[" {
				close = "}"
			}
			data := `{"x":` + strings.Repeat(open, depth) + "1" + strings.Repeat(close, depth) + `}`
			if open != "[" {
				data = `{"x":` + strings.Repeat(open, depth) + "{}" + strings.Repeat(close, depth) + `}`
			}
			sameAsReference(t, []byte(data))
		}
	}
}

// mutations derives, from a valid data section, variants that exercise
// encoding/json's corners: re-cased and escaped keys, repeated keys, nulls
// and values of the wrong kind in every position, odd strings and numbers,
// deep nesting. Some of them are invalid JSON on purpose.
func mutations(data []byte) [][]byte {
	var out [][]byte
	add := func(b []byte) { out = append(out, b) }
	keyRe := regexp.MustCompile(`"([A-Za-z_]+)"(\s*):`)
	valRe := regexp.MustCompile(`:(\s*)("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null|\{|\[)`)

	add(keyRe.ReplaceAllFunc(data, bytes.ToUpper))
	add(keyRe.ReplaceAllFunc(data, func(k []byte) []byte { // Title_Case
		return regexp.MustCompile(`(^"|_)[a-z]`).ReplaceAllFunc(k, bytes.ToUpper)
	}))
	add(keyRe.ReplaceAllFunc(data, func(k []byte) []byte { // s and k as their Unicode folds
		k = bytes.ReplaceAll(k, []byte("s"), []byte("\u017f"))
		return bytes.ReplaceAll(k, []byte("k"), []byte("\u212a"))
	}))
	add(keyRe.ReplaceAllFunc(data, func(k []byte) []byte { // escape the first letter
		return []byte(fmt.Sprintf(`"\u%04x%s`, k[1], k[2:]))
	}))
	add(keyRe.ReplaceAll(data, []byte(`"$1"$2:null,"$1"$2:`))) // every key twice
	add(keyRe.ReplaceAll(data, []byte(`"$1"$2:{"$1":[]},"$1"$2:`)))

	// Each value position in turn replaced by something of another kind.
	locs := valRe.FindAllSubmatchIndex(data, -1)
	replacements := []string{`null`, `"1"`, `1`, `1.5`, `-0`, `1e400`, `99999999999999999999`, `true`, `{}`, `[]`,
		`[{}]`, `"\ud800"`, `"\u00e9\ud83d\ude00"`, "\"\xff\"", `"2023-01-02T03:04:05Z"`, `""`, `" 12 "`}
	for n, loc := range locs {
		start := loc[4]
		end := start
		if c := data[start]; c == '{' || c == '[' {
			var r json.RawMessage
			if err := json.NewDecoder(bytes.NewReader(data[start:])).Decode(&r); err != nil {
				continue
			}
			end = start + len(r)
		} else {
			end = loc[5]
		}
		rep := replacements[n%len(replacements)]
		add(slicesConcat(data[:start], []byte(rep), data[end:]))
		// and a value of the same span repeated under the same key
		add(slicesConcat(data[:end], []byte(`,"`+fmt.Sprint(n)+`":`+rep), data[end:]))
	}
	// Syntax damage at a few places.
	for _, cut := range []int{1, len(data) / 3, len(data) / 2, len(data) - 1} {
		add(data[:cut])
		add(slicesConcat(data[:cut], []byte(`,`), data[cut:]))
	}
	// Deep nesting, at and past encoding/json's limit, under a known key.
	deep := func(n int) []byte {
		return slicesConcat([]byte(`{"purchase":{"offer":{"metadata":`), []byte(strings.Repeat("[", n)+strings.Repeat("]", n)), []byte(`}}}`))
	}
	add(deep(9997))
	add(deep(9998))
	return out
}

func slicesConcat(parts ...[]byte) []byte {
	return bytes.Join(parts, nil)
}

func TestPurchaseDecoderMutations(t *testing.T) {
	n := 0
	for name, body := range purchaseBodies(t) {
		for i, m := range mutations(dataSection(t, body)) {
			t.Run(fmt.Sprintf("%s/%d", name, i), func(t *testing.T) {
				sameAsReference(t, m)
			})
			n++
		}
	}
	t.Logf("%d mutated inputs agree", n)
}

// FuzzPurchaseDecoder is the differential fuzz test: for any bytes, the
// hand-written decoder and encoding/json agree.
func FuzzPurchaseDecoder(f *testing.F) {
	for _, body := range purchaseBodies(f) {
		data := dataSection(f, body)
		f.Add(data)
		for _, m := range mutations(data) {
			f.Add(m)
		}
	}
	for _, s := range []string{``, `{}`, `null`, `[]`, `"x"`, `{"purchase":{"Transaction":"x"}}`, `{"\u017fhipping":{}}`,
		`{"affiliates":[{"name":"a"},{"name":"b"}],"affiliates":[{"affiliate_code":"c"}],"affiliates":[{},{}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsReference(t, data)
	})
}

// FuzzJSONReader checks the reader under the decoder against encoding/json
// on arbitrary text: the same validity verdict, and the same decoded string.
func FuzzJSONReader(f *testing.F) {
	for _, s := range []string{``, ` `, `1`, `-0.5e+7`, `01`, `1.`, `.5`, `-`, `tru`, `true `, `nul`, `[1,]`, `{"a":1,}`, `{"a" 1}`,
		`"a\u00e9\ud83d\ude00"`, `"\ud800\u0041"`, "\"\xff\xfe\"", `"\x"`, `"a`, `[[[]]]`, `{"a":{"b":[{}]}}`, "\"\t\"", `"\u12"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := hotmart.ValidJSON(b), json.Valid(b); got != want {
			t.Fatalf("ValidJSON(%q) = %v, json.Valid %v", b, got, want)
		}
		if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '"' {
			return // json.Unmarshal would read null or report a type error
		}
		var want string
		werr := json.Unmarshal(b, &want)
		got, ok := hotmart.ReadJSONString(b)
		if ok != (werr == nil) {
			t.Fatalf("ReadJSONString(%q) ok=%v, json.Unmarshal error %v", b, ok, werr)
		}
		if ok && got != want {
			t.Fatalf("ReadJSONString(%q) = %q, json.Unmarshal %q", b, got, want)
		}
	})
}
