package webhook_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// The baseline handler: reads the body and answers 200, nothing else.
var bare = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusOK)
})

// idPlaceholder is overwritten per request so every request is a new event
// (no request takes the cheap duplicate path).
const idPlaceholder = "00000000-0000-4000-8000-000000000000"

type bodies struct {
	template []byte
	at       int
	n        atomic.Uint64
}

func newBodies() *bodies {
	return newBodiesFrom(hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(idPlaceholder)))
}

func newBodiesFrom(t []byte) *bodies {
	return &bodies{template: t, at: bytes.Index(t, []byte(idPlaceholder))}
}

func (b *bodies) next() []byte {
	body := bytes.Clone(b.template)
	s := strconv.FormatUint(b.n.Add(1), 10)
	copy(body[b.at+len(idPlaceholder)-len(s):], s)
	return body
}

func benchHandlers(b *testing.B) map[string]http.Handler {
	h, err := webhook.New(webhook.WithHottok(tok),
		webhook.WithProcessor(webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })))
	if err != nil {
		b.Fatal(err)
	}
	return map[string]http.Handler{"bare": bare, "full": h}
}

// BenchmarkHandlerOverhead isolates the handler's own work from event
// decoding: the body is a bare envelope of an event type with no data
// shape, so hotmart.ParseEvent does almost nothing, and everything else
// (limits, hottok, store claim and completion, processor call, history,
// answer) runs as for a real event.
func BenchmarkHandlerOverhead(b *testing.B) {
	h, err := webhook.New(webhook.WithHottok(tok), webhook.WithProcessUnknown(),
		webhook.WithProcessor(webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })))
	if err != nil {
		b.Fatal(err)
	}
	tmpl := []byte(`{"id":"` + idPlaceholder + `","event":"BENCH_EVENT","version":"2.0.0","creation_date":1763247745737,"data":{}}`)
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"bare", bare}, {"full", h}} {
		b.Run(c.name, func(b *testing.B) {
			src := newBodiesFrom(tmpl)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, hotmarttest.NewRequest(src.next(), tok))
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// BenchmarkHandler compares the full handler (verify, decode, deduplicate,
// process with a no-op processor, record) with the bare baseline: over a
// loopback HTTP connection as Hotmart reaches it, and in process.
func BenchmarkHandler(b *testing.B) {
	for _, name := range []string{"bare", "full"} {
		b.Run("http/"+name, func(b *testing.B) {
			srv := httptest.NewServer(benchHandlers(b)[name])
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			src := newBodies()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(src.next()))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("X-HOTMART-HOTTOK", tok)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("status %d", resp.StatusCode)
					}
				}
			})
		})
	}
	for _, name := range []string{"bare", "full"} {
		b.Run("inproc/"+name, func(b *testing.B) {
			h := benchHandlers(b)[name]
			src := newBodies()
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := hotmarttest.NewRequest(src.next(), tok)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d", w.Code)
					}
				}
			})
		})
	}
}

// BenchmarkHandlerThroughputRatio sends requests to the bare handler and to
// the full one alternately from the same goroutines (b.RunParallel), over
// loopback HTTP and in process, and reports the time per request of each
// and the full handler's throughput as a fraction of the bare one's
// ("throughput-ratio", the target being ≥ 0.8). Alternating makes load on
// a shared machine weigh on both alike.
func BenchmarkHandlerThroughputRatio(b *testing.B) {
	type sender func(h http.Handler, url string, body []byte) int
	viaHTTP := func(client *http.Client) sender {
		return func(_ http.Handler, url string, body []byte) int {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-HOTMART-HOTTOK", tok)
			resp, err := client.Do(req)
			if err != nil {
				return 0
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	inProcess := func(h http.Handler, _ string, body []byte) int {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, hotmarttest.NewRequest(body, tok))
		return w.Code
	}
	for _, mode := range []string{"http", "inproc"} {
		b.Run(mode, func(b *testing.B) {
			hs := benchHandlers(b)
			bareSrv, fullSrv := httptest.NewServer(hs["bare"]), httptest.NewServer(hs["full"])
			defer bareSrv.Close()
			defer fullSrv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			send := inProcess
			if mode == "http" {
				send = viaHTTP(client)
			}
			src := newBodies()
			var bareNS, fullNS atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					body := src.next()
					t0 := time.Now()
					if code := send(hs["bare"], bareSrv.URL, body); code != http.StatusOK {
						b.Errorf("bare: status %d", code)
						return
					}
					t1 := time.Now()
					if code := send(hs["full"], fullSrv.URL, body); code != http.StatusOK {
						b.Errorf("full: status %d", code)
						return
					}
					fullNS.Add(int64(time.Since(t1)))
					bareNS.Add(int64(t1.Sub(t0)))
				}
			})
			b.ReportMetric(float64(bareNS.Load())/float64(b.N), "bare-ns/req")
			b.ReportMetric(float64(fullNS.Load())/float64(b.N), "full-ns/req")
			b.ReportMetric(float64(bareNS.Load())/float64(fullNS.Load()), "throughput-ratio")
		})
	}
}
