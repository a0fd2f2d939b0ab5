package backfill_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart/backfill"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

func setup(t testing.TB, opts ...resttest.ServerOption) (*resttest.Server, *rest.Client) {
	t.Helper()
	// A generous server limit keeps the tests fast: the client follows it.
	srv := resttest.NewServer(t, append([]resttest.ServerOption{resttest.WithRateLimit(100000, time.Minute)}, opts...)...)
	c, err := rest.NewClient(srv.Credentials(),
		rest.WithBaseURL(srv.URL()), rest.WithTokenURL(srv.TokenURL()),
		rest.WithRetry(3, time.Millisecond, 20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

type collected struct {
	sales, subs, charges map[string]int
}

func collect() (*collected, func(backfill.Record) error) {
	c := &collected{map[string]int{}, map[string]int{}, map[string]int{}}
	return c, func(r backfill.Record) error {
		switch r.Kind {
		case backfill.KindSale:
			c.sales[r.Key()]++
		case backfill.KindSubscription:
			c.subs[r.Key()]++
		case backfill.KindSubscriptionTransaction:
			c.charges[r.Key()]++
		}
		return nil
	}
}

// checkExactlyOnce asserts every sale and subscription of the server was
// emitted exactly once.
func checkExactlyOnce(t *testing.T, srv *resttest.Server, got *collected) {
	t.Helper()
	sales := srv.Sales()
	if len(got.sales) != len(sales) {
		t.Errorf("emitted %d distinct sales, server has %d", len(got.sales), len(sales))
	}
	charges := 0
	for _, s := range sales {
		if n := got.sales[s.Purchase.Transaction]; n != 1 {
			t.Errorf("sale %s emitted %d times", s.Purchase.Transaction, n)
		}
		if s.Purchase.IsSubscription {
			charges++
			if n := got.charges[s.Purchase.Transaction]; n != 1 {
				t.Errorf("charge %s emitted %d times", s.Purchase.Transaction, n)
			}
		}
	}
	if len(got.charges) != charges {
		t.Errorf("emitted %d charges, want %d", len(got.charges), charges)
	}
	for _, s := range srv.Subscriptions() {
		if n := got.subs[s.SubscriberCode]; n != 1 {
			t.Errorf("subscription %s emitted %d times", s.SubscriberCode, n)
		}
	}
}

func rangeOf(srv *resttest.Server) backfill.Options {
	from, to := srv.Period()
	return backfill.Options{From: from, To: to, Window: 30 * 24 * time.Hour}
}

func TestRunImportsEverythingOnce(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(3000))
	got, emit := collect()
	var cp backfill.Checkpoint
	if err := backfill.Run(context.Background(), c, &cp, rangeOf(srv), emit); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, srv, got)
	if !cp.Done || cp.Records != int64(len(got.sales)+len(got.subs)+len(got.charges)) {
		t.Errorf("checkpoint %+v", cp)
	}
}

func TestTokenExpiryMidImport(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(3000))
	got, emit := collect()
	n := 0
	var cp backfill.Checkpoint
	err := backfill.Run(context.Background(), c, &cp, rangeOf(srv), func(r backfill.Record) error {
		n++
		if n == 700 || n == 2500 {
			srv.ExpireTokens()
		}
		return emit(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, srv, got)
	st := srv.Stats()
	if st.TokenRequests != 3 || st.Unauthorized != 2 {
		t.Errorf("want 3 token fetches and 2 rejected calls, got %+v", st)
	}
}

func TestPacedUnderLimitNo429(t *testing.T) {
	// The server allows 4 calls per second; the client is configured for far
	// more but follows the announced limit, so it never collects a 429.
	srv := resttest.NewServer(t, resttest.WithSales(1500), resttest.WithRateLimit(4, time.Second))
	c, err := rest.NewClient(srv.Credentials(),
		rest.WithBaseURL(srv.URL()), rest.WithTokenURL(srv.TokenURL()),
		rest.WithRateLimit(100, 4), rest.WithRetry(3, time.Millisecond, 10*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	got, emit := collect()
	var cp backfill.Checkpoint
	opts := rangeOf(srv)
	opts.Kinds = []backfill.Kind{backfill.KindSale}
	opts.PageSize = 150
	if err := backfill.Run(context.Background(), c, &cp, opts, emit); err != nil {
		t.Fatal(err)
	}
	if len(got.sales) != 1500 {
		t.Errorf("got %d sales", len(got.sales))
	}
	if st := srv.Stats(); st.RateLimited != 0 {
		t.Errorf("client bounced off the limit: %+v", st)
	}
	if rl := c.RateLimit(); rl.Limit != 4 || rl.PerMinute != 240 {
		t.Errorf("rate limit state %+v", rl)
	}
}

func Test429StormTwoClientsOneAccount(t *testing.T) {
	// Two importers share one account's limit without knowing of each
	// other: the server answers 429s, which each client waits out.
	srv := resttest.NewServer(t, resttest.WithSales(2000), resttest.WithRateLimit(6, time.Second))
	errs := make(chan error, 2)
	results := make([]*collected, 2)
	for i := range 2 {
		c, err := rest.NewClient(srv.Credentials(),
			rest.WithBaseURL(srv.URL()), rest.WithTokenURL(srv.TokenURL()),
			rest.WithRetry(5, time.Millisecond, 10*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		got, emit := collect()
		results[i] = got
		go func() {
			var cp backfill.Checkpoint
			opts := rangeOf(srv)
			opts.PageSize = 100
			opts.Kinds = []backfill.Kind{backfill.KindSale}
			errs <- backfill.Run(context.Background(), c, &cp, opts, emit)
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("a 429 surfaced: %v", err)
		}
	}
	for i, got := range results {
		if len(got.sales) != 2000 {
			t.Errorf("client %d got %d sales", i, len(got.sales))
		}
	}
	if st := srv.Stats(); st.RateLimited == 0 {
		t.Errorf("expected a 429 storm, stats %+v", st)
	} else {
		t.Logf("server stats %+v", st)
	}
}

func TestNarrowsOn502(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(2000), resttest.WithMaxQuerySpan(5*24*time.Hour))
	got, emit := collect()
	var cp backfill.Checkpoint
	if err := backfill.Run(context.Background(), c, &cp, rangeOf(srv), emit); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, srv, got)
	if cp.Narrowed == 0 || srv.Stats().QueryTooLong == 0 {
		t.Errorf("expected narrowing: cp %+v stats %+v", cp, srv.Stats())
	}
}

func TestNarrowingGivesUpAtMinWindow(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(100), resttest.WithMaxQuerySpan(30*time.Minute))
	_, emit := collect()
	var cp backfill.Checkpoint
	opts := rangeOf(srv)
	opts.MinWindow = 2 * time.Hour
	err := backfill.Run(context.Background(), c, &cp, opts, emit)
	if !rest.IsQueryTooLong(err) {
		t.Fatalf("want a query-too-long error, got %v", err)
	}
}

func TestResumeFromCheckpoint(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(3000))
	got, emit := collect()
	var saved []byte
	opts := rangeOf(srv)
	opts.PageSize = 100
	opts.OnCheckpoint = func(cp backfill.Checkpoint) error {
		b, err := json.Marshal(cp)
		saved = b
		return err
	}
	// Stop several times: by cancelling the context, by a failing emit and
	// by a server fault; each time restart from the persisted JSON. A page
	// interrupted half way is emitted again on resume; the consumer dedupes
	// by key, and no more than one page per stop may come back.
	stops, redelivered := 0, 0
	errBoom := errors.New("boom")
	for round := 0; ; round++ {
		if round > 50 {
			t.Fatal("no progress")
		}
		var cp backfill.Checkpoint
		if saved != nil {
			if err := json.Unmarshal(saved, &cp); err != nil {
				t.Fatal(err)
			}
		}
		prev := map[string]bool{}
		for kind, m := range map[backfill.Kind]map[string]int{
			backfill.KindSale: got.sales, backfill.KindSubscription: got.subs, backfill.KindSubscriptionTransaction: got.charges} {
			for k := range m {
				prev[string(kind)+":"+k] = true
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		err := backfill.Run(ctx, c, &cp, opts, func(r backfill.Record) error {
			n++
			switch {
			case stops == 0 && n == 150:
				cancel()
			case stops == 1 && n == 420:
				stops++
				return errBoom
			case stops == 2 && n == 10:
				srv.FailNext(10, resttest.Fault{Status: 500})
			}
			if prev[string(r.Kind)+":"+r.Key()] {
				redelivered++
				return nil
			}
			return emit(r)
		})
		cancel()
		if err == nil {
			break
		}
		if errors.Is(err, errBoom) {
			continue
		}
		switch stops {
		case 0:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("want context.Canceled, got %v", err)
			}
			stops++
		case 2:
			var ae *rest.APIError
			if !errors.As(err, &ae) || ae.StatusCode != 500 {
				t.Fatalf("want the 500 to surface, got %v", err)
			}
			stops++
		}
	}
	if redelivered > stops*opts.PageSize {
		t.Errorf("%d records re-emitted over %d stops; at most one page per stop expected", redelivered, stops)
	}
	if stops < 3 {
		t.Fatalf("only %d stops happened", stops)
	}
	checkExactlyOnce(t, srv, got)
}

func TestIncrementalSync(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(2000))
	from, to := srv.Period()
	mid := from.Add(to.Sub(from) / 2)
	got, emit := collect()
	var cp backfill.Checkpoint
	if err := backfill.Run(context.Background(), c, &cp, backfill.Options{From: from, To: mid}, emit); err != nil {
		t.Fatal(err)
	}
	before := len(got.sales)
	// Nothing new: a second run with the same To does nothing.
	if err := backfill.Run(context.Background(), c, &cp, backfill.Options{From: from, To: mid}, emit); err != nil {
		t.Fatal(err)
	}
	if len(got.sales) != before {
		t.Fatal("a done checkpoint re-imported")
	}
	if err := backfill.Run(context.Background(), c, &cp, backfill.Options{From: from, To: to}, emit); err != nil {
		t.Fatal(err)
	}
	checkExactlyOnce(t, srv, got)
	if cp.Syncs != 2 || !cp.From.Equal(mid) {
		t.Errorf("checkpoint after incremental sync: %+v", cp)
	}
}

func TestBadOptions(t *testing.T) {
	_, c := setup(t, resttest.WithSales(10))
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]backfill.Options{
		"no from":        {To: from},
		"to before from": {From: from, To: from.Add(-time.Hour)},
		"bad window":     {From: from, To: from.Add(time.Hour), Window: time.Hour, MinWindow: 2 * time.Hour},
		"bad page size":  {From: from, To: from.Add(time.Hour), PageSize: 501},
		"unknown kind":   {From: from, To: from.Add(time.Hour), Kinds: []backfill.Kind{"refund"}},
	}
	for name, o := range cases {
		var cp backfill.Checkpoint
		err := backfill.Run(context.Background(), c, &cp, o, func(backfill.Record) error { return nil })
		if !errors.Is(err, backfill.ErrBadOptions) {
			t.Errorf("%s: want ErrBadOptions, got %v", name, err)
		}
	}
	cp := backfill.Checkpoint{Version: 99}
	err := backfill.Run(context.Background(), c, &cp, backfill.Options{From: from, To: from.Add(time.Hour)}, func(backfill.Record) error { return nil })
	if !errors.Is(err, backfill.ErrBadCheckpoint) {
		t.Errorf("want ErrBadCheckpoint, got %v", err)
	}
}

func TestAllIterator(t *testing.T) {
	srv, c := setup(t, resttest.WithSales(800))
	opts := rangeOf(srv)
	opts.Kinds = []backfill.Kind{backfill.KindSale}
	var cp backfill.Checkpoint
	n := 0
	for rec, err := range backfill.All(context.Background(), c, &cp, opts) {
		if err != nil {
			t.Fatal(err)
		}
		if rec.Sale == nil {
			t.Fatal("not a sale")
		}
		n++
	}
	if n != 800 || !cp.Done {
		t.Fatalf("n=%d done=%v", n, cp.Done)
	}
}
