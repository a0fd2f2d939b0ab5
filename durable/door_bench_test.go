package durable_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
)

// BenchmarkDoor: the door without HTTP, 32 goroutines committing parsed
// events: the database side's ceiling.
func BenchmarkDoor(b *testing.B) {
	for _, db := range []string{"sqlite", "postgres"} {
		b.Run(db, func(b *testing.B) {
			url := sqliteURL(b)
			if db == "postgres" {
				url = postgresURL(b)
			}
			p, _ := benchPipeline(b)
			e, err := durable.Open(context.Background(), url, p)
			if err != nil {
				b.Fatal(err)
			}
			defer e.Stop(context.Background())
			n := max(b.N, 2000)
			evs := make([]*hotmart.Event, n)
			for i, body := range benchEvents(n) {
				if evs[i], err = hotmart.ParseEvent(body); err != nil {
					b.Fatal(err)
				}
			}
			in := e.Intake()
			var next atomic.Int64
			var wg sync.WaitGroup
			b.ResetTimer()
			start := time.Now()
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= n {
							return
						}
						if err := in.Process(context.Background(), evs[i]); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
			b.ReportMetric(0, "ns/op")
		})
	}
}
