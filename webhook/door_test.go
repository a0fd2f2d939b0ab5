package webhook_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// TestHandlerDoesNotTrustContentLength: memory before authentication. A
// request that declares 1 MiB but sends a few bytes must not make the
// handler allocate the declared size: the body buffer grows only as bytes
// arrive.
func TestHandlerDoesNotTrustContentLength(t *testing.T) {
	h, c := setup(t, nil, webhook.WithMaxBodyBytes(2<<20))
	const declared = 1 << 20
	const requests = 16
	reqs := make([]*http.Request, requests)
	for i := range reqs {
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"id":"x"`))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-HOTMART-HOTTOK", "wrong")
		r.ContentLength = declared
		reqs[i] = r
	}
	serve(h, reqs[0]) // warm the pools
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, r := range reqs[1:] {
		if w := serve(h, r); w.Code != http.StatusBadRequest {
			t.Fatalf("status %d, want 400 for a body shorter than declared", w.Code)
		}
	}
	runtime.ReadMemStats(&after)
	perRequest := (after.TotalAlloc - before.TotalAlloc) / (requests - 1)
	if perRequest > 64<<10 {
		t.Errorf("handler allocated %d bytes per request for a 9-byte body declaring %d", perRequest, declared)
	}
	if c.n.Load() != 0 {
		t.Error("processor called")
	}
}

// countingReader reports how many bytes the handler pulled from the body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// TestHandlerReadsNoMoreThanDeclared: a declared length is read exactly.
func TestHandlerReadsNoMoreThanDeclared(t *testing.T) {
	h, c := setup(t, nil)
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	cr := &countingReader{r: io.MultiReader(strings.NewReader(string(body)), strings.NewReader(strings.Repeat(" ", 1<<16)))}
	r := httptest.NewRequest(http.MethodPost, "/", cr)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-HOTMART-HOTTOK", tok)
	r.ContentLength = int64(len(body))
	if w := serve(h, r); w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if cr.n != len(body) {
		t.Errorf("read %d bytes, declared %d", cr.n, len(body))
	}
	if c.n.Load() != 1 {
		t.Error("processor not called")
	}
}

// TestHandlerProcessesEventWithWarnings: one unreadable optional field
// does not reject the delivery. The event is processed with the field
// absent, and the history records the warning by path and reason, without
// the value.
func TestHandlerProcessesEventWithWarnings(t *testing.T) {
	var seen *hotmart.Event
	h, _ := setup(t, func(_ context.Context, e *hotmart.Event) error {
		seen = e
		return nil
	})
	body := []byte(`{"id":"w-1","event":"PURCHASE_APPROVED","version":"2.0.0","creation_date":1700000000000,"data":{` +
		`"product":{"id":7,"name":"Curso","warranty_date":"2017 - 12 - 27T00: 00: 00Z"},` +
		`"buyer":{"email":"lia@example.com"},"purchase":{"transaction":"HP1","price":{"value":1e400,"currency_value":"BRL"}}}}`)
	w := serve(h, hotmarttest.NewRequest(body, tok))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if seen == nil {
		t.Fatal("processor not called")
	}
	d, err := seen.Purchase()
	if err != nil {
		t.Fatal(err)
	}
	if d.Purchase.Transaction != "HP1" || seen.Buyer().Email != "lia@example.com" || !d.Product.WarrantyDate.IsZero() || d.Purchase.Price.Value != "" {
		t.Errorf("decoded %+v", d)
	}
	if len(seen.Warnings) != 2 {
		t.Fatalf("warnings %v", seen.Warnings)
	}
	ds, err := h.History().Deliveries(context.Background(), webhook.Query{})
	if err != nil || len(ds) != 1 {
		t.Fatalf("history %v, %v", ds, err)
	}
	rec := ds[0]
	if rec.Outcome != webhook.OutcomeProcessed || rec.Status != http.StatusOK || rec.EventID != "w-1" {
		t.Errorf("record %+v", rec)
	}
	for _, want := range []string{"data.product.warranty_date (format)", "data.purchase.price.value (range)"} {
		if !strings.Contains(rec.Error, want) {
			t.Errorf("history error %q lacks %q", rec.Error, want)
		}
	}
	if strings.Contains(rec.Error, "1e400") || strings.Contains(rec.Error, "2017") {
		t.Errorf("history shows a value: %q", rec.Error)
	}
}
