package durable_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// instant is a provider executor that answers at once.
type instant struct{ n atomic.Int64 }

func (i *instant) Execute(context.Context, segment.Match) error { i.n.Add(1); return nil }

func benchPipeline(b *testing.B) (*pipeline.Pipeline, *instant) {
	rules, err := os.ReadFile("../examples/pipeline/rules.json")
	if err != nil {
		b.Fatal(err)
	}
	parsed, err := segment.ParseRules(rules)
	if err != nil {
		b.Fatal(err)
	}
	prog, err := segment.Compile(parsed, segment.WithProviders(leadlovers.Spec, sendpulse.Spec))
	if err != nil {
		b.Fatal(err)
	}
	ex := &instant{}
	p, err := pipeline.New(prog, pipeline.WithExecutor("leadlovers", ex), pipeline.WithExecutor("sendpulse", ex))
	if err != nil {
		b.Fatal(err)
	}
	return p, ex
}

func benchEvents(n int) [][]byte {
	types := []hotmart.EventType{hotmart.EventPurchaseApproved, hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseCanceled}
	out := make([][]byte, n)
	for i := range out {
		out[i] = hotmarttest.NewEvent(types[i%len(types)], hotmarttest.WithEventID(fmt.Sprintf("bench-%d-%d", time.Now().UnixNano(), i)),
			hotmarttest.WithBuyerEmail(fmt.Sprintf("b%d@example.com", i)), hotmarttest.WithBuyerCountry("BR"),
			hotmarttest.WithTransaction(fmt.Sprintf("HPB%09d", i)))
	}
	return out
}

// load sends bodies over loopback on 32 keep-alive connections and reports
// requests/s and the 99th percentile time to answer.
func load(b *testing.B, h http.Handler, bodies [][]byte) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	const conns = 32
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var (
		next atomic.Int64
		mu   sync.Mutex
		lat  = make([]time.Duration, 0, len(bodies))
		wg   sync.WaitGroup
		bad  atomic.Int64
	)
	b.ResetTimer()
	start := time.Now()
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, len(bodies)/conns+1)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					break
				}
				req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(webhook.HottokHeader, "test-hottok-1")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					bad.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				local = append(local, time.Since(t0))
				if resp.StatusCode != http.StatusOK {
					bad.Add(1)
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if bad.Load() > 0 {
		b.Fatalf("%d requests failed", bad.Load())
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(bodies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkIngest: the door over loopback, 32 connections, providers
// instant. "simple" is the in-request mode (memory store, pipeline run in
// the request): the baseline the durable modes are measured against.
func BenchmarkIngest(b *testing.B) {
	n := max(b.N, 2000)
	b.Run("simple", func(b *testing.B) {
		p, _ := benchPipeline(b)
		h, err := webhook.New(webhook.WithHottok("test-hottok-1"), webhook.WithProcessor(p))
		if err != nil {
			b.Fatal(err)
		}
		load(b, h, benchEvents(n))
	})
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			url := sqliteURL(b)
			if db == "postgres" {
				url = postgresURL(b)
			}
			p, _ := benchPipeline(b)
			// Workers off: this measures the door alone (BenchmarkDrain
			// measures the workers).
			e, err := durable.Open(context.Background(), url, p)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Stop(context.Background())
			h, err := webhook.New(webhook.WithHottok("test-hottok-1"), webhook.WithProcessor(e.Intake()),
				webhook.WithStore(nil), webhook.WithHistory(e.History()))
			if err != nil {
				b.Fatal(err)
			}
			load(b, h, benchEvents(n))
		})
	}
}

// BenchmarkDrain: events fully processed (state done) per second by one
// process's workers, providers instant.
func BenchmarkDrain(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			url := sqliteURL(b)
			if db == "postgres" {
				url = postgresURL(b)
			}
			n := max(b.N, 1000)
			p, _ := benchPipeline(b)
			ctx := context.Background()
			e, err := durable.Open(ctx, url, p, durable.WithWorkers(16), durable.WithPollInterval(20*time.Millisecond))
			if err != nil {
				b.Fatal(err)
			}
			defer e.Stop(ctx)
			h, err := webhook.New(webhook.WithHottok("test-hottok-1"), webhook.WithProcessor(e.Intake()),
				webhook.WithStore(nil), webhook.WithHistory(nil))
			if err != nil {
				b.Fatal(err)
			}
			for _, body := range benchEvents(n) {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, hotmarttest.NewRequest(body, "test-hottok-1"))
				if rec.Code != http.StatusOK {
					b.Fatal(rec.Code)
				}
			}
			b.ResetTimer()
			start := time.Now()
			if err := e.Start(ctx); err != nil {
				b.Fatal(err)
			}
			for {
				counts, err := e.CountByState(ctx)
				if err == nil && counts[webhook.StateDone] == n {
					break
				}
				if time.Since(start) > 5*time.Minute {
					b.Fatalf("%v of %d done", counts, n)
				}
				time.Sleep(50 * time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
