package backfill_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart/backfill"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

// BenchmarkBackfill100k imports 100,000 sales (200 pages of 500) from the
// fake server limited to 1,200 calls per minute, so one run takes ~10 s.
// It reports the achieved rate as a fraction of the allowed one, the 429s
// the server sent and the heap in use after 10k and after 100k records.
func BenchmarkBackfill100k(b *testing.B) {
	const perMinute = 1200
	srv := resttest.NewServer(b, resttest.WithSales(100_000), resttest.WithRateLimit(perMinute, time.Minute))
	from, to := srv.Period()
	b.ResetTimer()
	for range b.N {
		c, err := rest.NewClient(srv.Credentials(),
			rest.WithBaseURL(srv.URL()), rest.WithTokenURL(srv.TokenURL()))
		if err != nil {
			b.Fatal(err)
		}
		before := srv.Stats()
		report := backfill.NewReport()
		var heap10k, heap100k uint64
		n := 0
		var cp backfill.Checkpoint
		start := time.Now()
		err = backfill.Run(context.Background(), c, &cp, backfill.Options{From: from, To: to, Kinds: []backfill.Kind{backfill.KindSale}},
			func(r backfill.Record) error {
				report.Add(r)
				n++
				if n == 10_000 || n == 100_000 {
					runtime.GC()
					var ms runtime.MemStats
					runtime.ReadMemStats(&ms)
					if n == 10_000 {
						heap10k = ms.HeapInuse
					} else {
						heap100k = ms.HeapInuse
					}
				}
				return nil
			})
		elapsed := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if n != 100_000 {
			b.Fatalf("imported %d", n)
		}
		after := srv.Stats()
		calls := after.Requests - before.Requests
		achieved := float64(calls) / elapsed.Minutes()
		b.ReportMetric(achieved/perMinute, "rate/allowed")
		b.ReportMetric(float64(after.RateLimited-before.RateLimited), "429s")
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(heap10k)/(1<<20), "MiB@10k")
		b.ReportMetric(float64(heap100k)/(1<<20), "MiB@100k")
	}
}
