package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// A flood of rejected requests must not push real deliveries out of the
// history: rejected ones are kept apart, in a bounded ring of their own.
func TestRejectedFloodKeepsDeliveries(t *testing.T) {
	h, _ := setup(t, func(context.Context, *hotmart.Event) error { return nil })
	for i := range 10 {
		serve(h, hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseApproved, hotmarttest.WithEventID(fmt.Sprint("real-", i))), tok))
	}
	for range 1000 {
		if rec := serve(h, hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseApproved), "forged")); rec.Code != http.StatusUnauthorized {
			t.Fatalf("forged: %d", rec.Code)
		}
	}
	ds, _ := h.History().Deliveries(context.Background(), webhook.Query{})
	real, rejected := 0, 0
	for _, d := range ds {
		if d.Outcome == webhook.OutcomeRejected {
			rejected++
			continue
		}
		real++
		if d.State != webhook.StateDone {
			t.Errorf("%s: state %q, want done", d.EventID, d.State)
		}
	}
	if real != 10 || rejected != webhook.RejectedHistorySize {
		t.Fatalf("history holds %d real and %d rejected, want 10 and %d", real, rejected, webhook.RejectedHistorySize)
	}
	if ds[0].Outcome != webhook.OutcomeRejected || ds[len(ds)-1].EventID != "real-0" {
		t.Fatalf("not newest first: %+v ... %+v", ds[0], ds[len(ds)-1])
	}
}

func TestProcessorSentinels(t *testing.T) {
	for _, tc := range []struct {
		err     error
		status  int
		outcome string
	}{
		{fmt.Errorf("seen: %w", webhook.ErrDuplicate), http.StatusOK, webhook.OutcomeDuplicate},
		{fmt.Errorf("db down: %w", webhook.ErrUnavailable), http.StatusServiceUnavailable, webhook.OutcomeFailed},
		{errors.New("boom"), http.StatusInternalServerError, webhook.OutcomeFailed},
	} {
		h, _ := setup(t, func(context.Context, *hotmart.Event) error { return tc.err }, webhook.WithStore(nil))
		rec := serve(h, hotmarttest.NewRequest(hotmarttest.NewEvent(hotmart.EventPurchaseApproved), tok))
		ds, _ := h.History().Deliveries(context.Background(), webhook.Query{})
		if rec.Code != tc.status || len(ds) != 1 || ds[0].Outcome != tc.outcome {
			t.Errorf("%v: HTTP %d, history %+v; want %d %s", tc.err, rec.Code, ds, tc.status, tc.outcome)
		}
	}
}

type markMap map[string]bool

func (m markMap) MarkStep(_ context.Context, id, key string) error { m[id+"/"+key] = true; return nil }
func (m markMap) StepDone(_ context.Context, id, key string) (bool, error) {
	return m[id+"/"+key], nil
}

func TestProcessContext(t *testing.T) {
	marks := markMap{}
	ctx, actions := webhook.ProcessContext(context.Background(), marks, "ev-1", 3)
	if webhook.StepDone(ctx, "a") || webhook.Attempt(ctx) != 3 {
		t.Fatal("fresh context")
	}
	if err := webhook.MarkStep(ctx, "a"); err != nil || !webhook.StepDone(ctx, "a") || !marks["ev-1/a"] {
		t.Fatalf("mark: %v %v", err, marks)
	}
	webhook.RecordAction(ctx, webhook.ActionOutcome{Segmentation: "s", Status: "ok"})
	if got := actions(); len(got) != 1 || got[0].Segmentation != "s" {
		t.Fatalf("actions %v", got)
	}
}
