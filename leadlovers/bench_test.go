package leadlovers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/hotmartkit/hotmartkit/leadlovers"
)

// BenchmarkUpsert measures the client's cost per call (encoding, pacing
// checks, retry wrapper, envelope check, redaction of the log line)
// against a baseline that sends the same request with net/http and
// encoding/json directly. Report: client/baseline ratio of ns/op, B/op,
// allocs/op.
func BenchmarkUpsert(b *testing.B) {
	reply := []byte(`{"Code":1001,"Email":"ana@example.com","StatusCode":200,"Message":"Lead atualizado com sucesso"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = drainBody(r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(reply)
	}))
	defer srv.Close()
	lead := &leadlovers.Lead{Email: "ana@example.com", Name: "Ana", Phone: "+5531999999999",
		MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1,
		DynamicFields: []leadlovers.DynamicField{{ID: 7001, Value: "https://billet.example/123"}}}
	ctx := context.Background()

	b.Run("baseline_net_http", func(b *testing.B) {
		hc := srv.Client()
		u := srv.URL + "/webapi/Lead?" + url.Values{"token": {testToken}}.Encode()
		b.ReportAllocs()
		for b.Loop() {
			body, _ := json.Marshal(lead)
			req, _ := http.NewRequestWithContext(ctx, http.MethodPut, u, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out leadlovers.WriteResult
			if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})
	b.Run("client", func(b *testing.B) {
		c, err := leadlovers.NewClient(leadlovers.Credentials{Token: testToken}, leadlovers.WithBaseURL(srv.URL+"/webapi"),
			leadlovers.WithHTTPClient(srv.Client()), leadlovers.WithRateLimit(0, 1))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Leads.Upsert(ctx, lead); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func drainBody(r *http.Request) (int64, error) {
	var buf bytes.Buffer
	return buf.ReadFrom(r.Body)
}

// BenchmarkLeadFor measures building the add_lead body from an event
// (buyer view, billet link, two templates) against a baseline that fills
// the same Lead by hand from the decoded purchase.
func BenchmarkLeadFor(b *testing.B) {
	e := sampleEvent(b, "PURCHASE_APPROVED.official-docs.json")
	v, err := leadlovers.Spec.CompileAction("add_lead", map[string]json.RawMessage{
		"send": json.RawMessage(`["name","phone","billet_url"]`), "billet_field": json.RawMessage(`7001`),
		"machine": json.RawMessage(`111`), "sequence": json.RawMessage(`222`), "level": json.RawMessage(`1`),
		"fields": json.RawMessage(`{"501":"{{purchase.transaction}}","502":"{{product.name}}"}`),
	})
	if err != nil {
		b.Fatal(err)
	}
	a := v.(*leadlovers.AddLeadAction)
	p, _ := e.Purchase()
	b.Run("baseline_by_hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l := &leadlovers.Lead{Email: p.Buyer.Email, Name: p.Buyer.Name, Phone: "+55" + p.Buyer.CheckoutPhoneCode + p.Buyer.CheckoutPhone,
				MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1}
			l.DynamicFields = append(l.DynamicFields,
				leadlovers.DynamicField{ID: 7001, Value: p.Purchase.Payment.BilletURL},
				leadlovers.DynamicField{ID: 501, Value: p.Purchase.Transaction},
				leadlovers.DynamicField{ID: 502, Value: p.Product.Name})
			sinkLead = l
		}
	})
	b.Run("LeadFor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkLead = a.LeadFor(e)
		}
	})
}

var sinkLead *leadlovers.Lead
