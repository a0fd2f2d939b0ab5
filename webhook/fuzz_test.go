package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// FuzzHandler feeds arbitrary bodies and headers to the handler: it must
// never panic, and never answer 2xx unless the request carried an accepted
// hottok where the handler looks for it.
func FuzzHandler(f *testing.F) {
	for _, typ := range hotmart.EventTypes() {
		f.Add(hotmarttest.NewEvent(typ, hotmarttest.WithSeed(1)), tok, true, "application/json")
	}
	f.Add(hotmarttest.NewEvent(hotmart.EventUpdateSubscriptionChargeDate, hotmarttest.WithBodyHottok(tok)), "", false, "application/json")
	f.Add([]byte(`{"id":"1","event":"X","hottok":"`+tok+`"}`), "", false, "")
	f.Add([]byte(`{"id":1,"event":"PURCHASE_APPROVED","data":[]}`), tok, true, "application/json; charset=utf-8")
	f.Add([]byte(`hottok=`+tok+`&status=approved`), "", false, "application/x-www-form-urlencoded")
	f.Add([]byte(`{"hottok":"`+tok+`","hottok":"x"}`), tok[:3], true, "text/plain")
	f.Add([]byte{}, "", false, "")

	h, err := webhook.New(webhook.WithHottok(tok, oldTok),
		webhook.WithProcessor(webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
			webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: string(e.Type)})
			if e.Type == hotmart.EventPurchaseRefunded {
				panic("refunds panic")
			}
			_, _ = e.Purchase()
			_ = e.Buyer()
			return webhook.MarkStep(ctx, "k")
		})),
		webhook.WithMaxBodyBytes(64<<10))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, hottok string, header bool, contentType string) {
		r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		if contentType != "" {
			r.Header["Content-Type"] = []string{contentType}
		}
		if header {
			r.Header["X-Hotmart-Hottok"] = []string{hottok}
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)

		effective := hottok
		if !header {
			effective = bodyHottokOracle(body, contentType)
		}
		authentic := effective == tok || effective == oldTok
		if w.Code < 300 && !authentic {
			t.Fatalf("answered %d to hottok %q (header %v)", w.Code, effective, header)
		}
		switch w.Code {
		case 200, 400, 401, 413, 415, 500:
		default:
			t.Fatalf("unexpected status %d", w.Code)
		}
		if bytes.Contains(w.Body.Bytes(), []byte(tok)) {
			t.Fatal("answer echoes the hottok")
		}
	})
}

// bodyHottokOracle reads the body's hottok independently of the handler:
// the form field for form bodies; for JSON, the top-level "hottok" key
// matched exactly, the last non-null string winning (hotmart.BodyHottok's
// documented rule), read with encoding/json's tokenizer.
func bodyHottokOracle(body []byte, contentType string) string {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(contentType)), "application/x-www-form-urlencoded") {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return ""
		}
		return form.Get("hottok")
	}
	if !json.Valid(body) {
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	var got string
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return ""
		}
		var s string
		if key == "hottok" && json.Unmarshal(raw, &s) == nil && string(raw) != "null" {
			got = s
		}
	}
	return got
}
