package accounts_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

var (
	march = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	april = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
)

// historyFixture: March sales of acme, some outside the range, one already
// delivered by webhook.
func historyFixture(t *testing.T) *syncFixture {
	f := newSyncFixture(t)
	var list []accounts.Sale
	// Listed in this order (not by date), so samples follow it.
	for i := range 8 { // approved in BRL over 100: "approved" and "brl-over-100"
		list = append(list, sale(fmt.Sprintf("HP10%02d", i), "APPROVED", march.Add(time.Duration(i)*24*time.Hour)))
	}
	cheap := sale("HP2000", "APPROVED", march.Add(time.Hour))
	cheap.Price = "99.90" // "approved" only
	list = append(list, cheap,
		sale("HP3000", "COMPLETE", march.Add(2*time.Hour)),        // "approved"
		sale("HP4000", "REFUNDED", march.Add(3*time.Hour)),        // "refunded"
		sale("HP5000", "EXPIRED", march.Add(4*time.Hour)),         // no rule
		sale("HP6000", "WAITING_PAYMENT", march.Add(5*time.Hour)), // no event
		sale("HP7000", "APPROVED", march.Add(-time.Millisecond)),  // before the range
		sale("HP7001", "APPROVED", april),                         // after it: [from, to)
	)
	f.sales.set("acme", list...)
	f.sales.pageSize = 4
	f.store.webhook("acme", "HP1000", hotmart.EventPurchaseApproved)
	return f
}

func TestBackfillDryRunThenApply(t *testing.T) {
	f := historyFixture(t)
	ctx := context.Background()
	dry, err := f.sync.DryRun(ctx, "acme", march, april)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(dry)
	want := `{"dry_run":true,"events":11,"segmentations":[` +
		`{"id":"approved","events":9,"sample":["HP1001","HP1002","HP1003","HP1004","HP1005"]},` +
		`{"id":"refunded","events":1,"sample":["HP4000"]},` +
		`{"id":"brl-over-100","events":7,"sample":["HP1001","HP1002","HP1003","HP1004","HP1005"]},` +
		`{"id":"off","events":0,"sample":[]}]}`
	if string(body) != want {
		t.Fatalf("dry run =\n%s\nwant\n%s", body, want)
	}
	if len(f.store.ids()) != 0 {
		t.Fatalf("a dry run queued events")
	}
	if dry.Calls != 4 || dry.Sales != 13 || dry.Known != 1 || dry.NoEvent != 1 { // 13 sales in range, pages of 4
		t.Errorf("dry-run stats %+v", dry.Stats)
	}

	app, err := f.sync.Apply(ctx, "acme", march, april)
	if err != nil {
		t.Fatal(err)
	}
	if body, _ := json.Marshal(app); string(body) != `{"queued":11}` {
		t.Errorf("apply = %s", body)
	}
	if app.Queued != dry.Events {
		t.Errorf("apply queued %d, the dry run said %d", app.Queued, dry.Events)
	}
	// What the queued events then trigger is what the dry run counted.
	prog := f.reg.Accounts()[0].Program
	ran := map[string]int{}
	for _, id := range f.store.ids() {
		q := f.store.events[id]
		if q.source != accounts.SourceBackfill || q.account != "acme" {
			t.Errorf("%s: source %q account %q", id, q.source, q.account)
		}
		for _, m := range prog.Evaluate(q.event) {
			ran[m.Segmentation.ID]++
		}
	}
	for _, c := range dry.Segmentations {
		if ran[c.ID] != c.Events {
			t.Errorf("segmentation %s: the dry run counted %d, the queued events trigger %d", c.ID, c.Events, ran[c.ID])
		}
	}
	if _, ok := f.store.events["acme:sync:acme:HP4000:REFUNDED"]; !ok {
		t.Errorf("ids are not the synthetic ids: %v", f.store.ids())
	}

	// A second apply queues nothing; a dry run now counts nothing.
	again, err := f.sync.Apply(ctx, "acme", march, april)
	if err != nil || again.Queued != 0 {
		t.Errorf("second apply = %+v, %v", again, err)
	}
	dry2, err := f.sync.DryRun(ctx, "acme", march, april)
	if err != nil || dry2.Events != 0 || dry2.Segmentations[0].Events != 0 {
		t.Errorf("dry run after apply = %+v, %v", dry2, err)
	}
	if len(f.store.cps) != 0 {
		t.Errorf("backfill moved a sync checkpoint")
	}
}

// TestBackfillThenSync: a sync after a backfill of the same sales queues
// nothing, whatever source queued them first.
func TestBackfillThenSync(t *testing.T) {
	f := newSyncFixture(t)
	order := t0.Add(-time.Hour)
	f.sales.set("acme", sale("HP1", "APPROVED", order))
	day := t0.Truncate(24 * time.Hour)
	if app, err := f.sync.Apply(context.Background(), "acme", day, day.Add(24*time.Hour)); err != nil || app.Queued != 1 {
		t.Fatalf("apply = %+v, %v", app, err)
	}
	if rep := f.run(t, "acme"); rep.Queued != 0 {
		t.Errorf("sync after backfill queued %d", rep.Queued)
	}
}

func TestBackfillProgram(t *testing.T) {
	f := historyFixture(t)
	rules, _ := segment.ParseRules([]byte(`{"segmentations": [{"id": "only-refunds", "active": true,
		"events": ["PURCHASE_REFUNDED"], "action": {"provider": "p", "command": "c"}}]}`))
	prog, err := segment.Compile(rules, segment.AllowUnknownProviders())
	if err != nil {
		t.Fatal(err)
	}
	s := f.newSyncer(t, accounts.WithProgram(func(_ context.Context, a *accounts.Account) (*segment.Program, error) {
		return prog, nil
	}))
	dry, err := s.DryRun(context.Background(), "acme", march, april)
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Segmentations) != 1 || dry.Segmentations[0].ID != "only-refunds" || dry.Segmentations[0].Events != 1 {
		t.Errorf("dry run with the host's program = %+v", dry.Segmentations)
	}
	s = f.newSyncer(t, accounts.WithProgram(func(context.Context, *accounts.Account) (*segment.Program, error) {
		return nil, errBoom
	}))
	if _, err := s.DryRun(context.Background(), "acme", march, april); !errors.Is(err, errBoom) {
		t.Errorf("program error: %v", err)
	}
	s = f.newSyncer(t, accounts.WithProgram(func(context.Context, *accounts.Account) (*segment.Program, error) {
		return nil, nil
	}))
	dry, err = s.DryRun(context.Background(), "acme", march, april)
	if body, _ := json.Marshal(dry); err != nil || string(body) != `{"dry_run":true,"events":11,"segmentations":[]}` {
		t.Errorf("no program: %s, %v", body, err)
	}
}

func TestBackfillRefuses(t *testing.T) {
	f := newSyncFixture(t)
	ctx := context.Background()
	if _, err := f.sync.DryRun(ctx, "acme", april, march); err == nil {
		t.Error("dry run over an inverted range")
	}
	if _, err := f.sync.Apply(ctx, "acme", march, march); err == nil {
		t.Error("apply over an empty range")
	}
	if _, err := f.sync.DryRun(ctx, "acme", march.AddDate(-20, 0, 0), april); err == nil {
		t.Error("dry run over twenty years")
	}
	if _, err := f.sync.Apply(ctx, "nobody", march, april); !errors.Is(err, accounts.ErrUnknownAccount) {
		t.Errorf("unknown account: %v", err)
	}
	f.store.failEnqueue = errBoom
	f.sales.set("acme", sale("HP1", "APPROVED", march))
	if _, err := f.sync.Apply(ctx, "acme", march, april); !errors.Is(err, errBoom) {
		t.Errorf("enqueue failure: %v", err)
	}
}

func TestParseBackfillRequest(t *testing.T) {
	ok := []struct {
		body string
		want accounts.BackfillRequest
	}{
		{`{"from": "2026-03-01", "to": "2026-04-01", "dry_run": true}`, accounts.BackfillRequest{From: march, To: april, DryRun: true}},
		{`{"from": "2026-03-01", "to": "2026-04-01"}`, accounts.BackfillRequest{From: march, To: april}},
		{`{"from": "2026-03-01", "to": "2026-04-01", "dry_run": false}`, accounts.BackfillRequest{From: march, To: april}},
	}
	for _, tc := range ok {
		got, err := accounts.ParseBackfillRequest([]byte(tc.body))
		if err != nil || !got.From.Equal(tc.want.From) || !got.To.Equal(tc.want.To) || got.DryRun != tc.want.DryRun ||
			got.From.Location() != time.UTC {
			t.Errorf("%s = %+v, %v", tc.body, got, err)
		}
	}
	bad := []struct{ body, field string }{
		{`{"to": "2026-04-01"}`, "from"},
		{`{"from": "2026-03-01"}`, "to"},
		{`{"from": "01/03/2026", "to": "2026-04-01"}`, "from"},
		{`{"from": "2026-03-01", "to": "2026-04-01T00:00:00Z"}`, "to"},
		{`{"from": "2026-04-01", "to": "2026-03-01"}`, "to"},
		{`{"from": "2026-03-01", "to": "2026-03-01"}`, "to"},
		{`{"from": "2026-03-01", "to": "2026-04-01", "dryrun": true}`, ""},
		{`{"from": "2026-03-01", "to": "2026-04-01", "dry_run": "yes"}`, ""},
		{`{"from": "2000-01-01", "to": "2026-01-01"}`, "to"},
		{`[]`, ""},
		{``, ""},
		{`{"from": "2026-03-01", "to": "2026-04-01"} {}`, ""},
	}
	for _, tc := range bad {
		_, err := accounts.ParseBackfillRequest([]byte(tc.body))
		var re *accounts.RequestError
		if !errors.As(err, &re) || re.Field != tc.field {
			t.Errorf("%s: err = %v, want a *RequestError on %q", tc.body, err, tc.field)
		}
	}
}
