package sendpulse_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
)

// Two replicas that start together may both create the deal attributes.
// Whichever created what, every deal must carry one attribute per name: the
// replicas settle on the lowest id per name.
func TestReplicasSettleOnOneAttributePerName(t *testing.T) {
	c, srv := fake(t, nil, nil)
	params := upsertParams(t, srv)
	// Latency makes both replicas list the (empty) attributes before either
	// creates one, which is the race seen with three processes.
	srv.SetLatency(20 * time.Millisecond)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, tx := range []string{"HP1700000001", "HP1700000002"} {
		x, err := sendpulse.NewExecutor(c)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := purchase(t, hotmart.EventPurchaseApproved, tx, "buyer"+tx+"@example.com", "97.00", hotmart.StatusApproved)
			errs[i] = x.Execute(context.Background(), segment.Match{Event: e, Params: params})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	attrIDs := func(tx string) []int64 {
		deals := srv.DealsByTransaction(tx)
		if len(deals) != 1 {
			t.Fatalf("%s: %d deals", tx, len(deals))
		}
		var ids []int64
		for id := range deals[0].Attributes {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		return ids
	}
	a, b := attrIDs("HP1700000001"), attrIDs("HP1700000002")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("attribute ids differ: %v vs %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("the replicas wrote to different attributes: %v vs %v", a, b)
		}
	}
}
