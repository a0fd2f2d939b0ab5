package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// SampleSize is how many transactions a dry run shows per segmentation.
const SampleSize = 5

// MaxBackfillRange is the longest range a backfill accepts: ten years of
// sales is already a few hundred REST calls per slice of history.
const MaxBackfillRange = 3660 * 24 * time.Hour

// BackfillRequest is the body of POST /accounts/{id}/backfill:
// {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "dry_run": true}.
type BackfillRequest struct {
	From, To time.Time // UTC midnights; the range is [From, To)
	DryRun   bool
}

// RequestError says which field of a backfill request is wrong. A route
// answers it with 400.
type RequestError struct {
	Field  string
	Reason string
}

func (e *RequestError) Error() string {
	if e.Field == "" {
		return "accounts: backfill request: " + e.Reason
	}
	return "accounts: backfill request: " + e.Field + ": " + e.Reason
}

// ParseBackfillRequest decodes and checks a backfill request body: both
// dates required, as YYYY-MM-DD (UTC days), from before to, no unknown
// field. Errors are *RequestError.
func ParseBackfillRequest(body []byte) (BackfillRequest, error) {
	var raw struct {
		From   *string `json:"from"`
		To     *string `json:"to"`
		DryRun *bool   `json:"dry_run"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return BackfillRequest{}, &RequestError{Reason: `must be a JSON object {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "dry_run": bool}`}
	}
	if dec.More() {
		return BackfillRequest{}, &RequestError{Reason: "unexpected data after the object"}
	}
	day := func(field string, s *string) (time.Time, error) {
		if s == nil {
			return time.Time{}, &RequestError{Field: field, Reason: "missing"}
		}
		t, err := time.Parse(time.DateOnly, *s)
		if err != nil {
			return time.Time{}, &RequestError{Field: field, Reason: "must be a date as YYYY-MM-DD"}
		}
		return t.UTC(), nil
	}
	var (
		req BackfillRequest
		err error
	)
	if req.From, err = day("from", raw.From); err != nil {
		return BackfillRequest{}, err
	}
	if req.To, err = day("to", raw.To); err != nil {
		return BackfillRequest{}, err
	}
	if err := checkRange(req.From, req.To); err != nil {
		return BackfillRequest{}, err
	}
	req.DryRun = raw.DryRun != nil && *raw.DryRun
	return req, nil
}

// DryRunResult is what a backfill would do, as the dry-run route answers
// it: {"dry_run": true, "events": N, "segmentations": [{"id", "events",
// "sample"}]}.
type DryRunResult struct {
	DryRun bool `json:"dry_run"`
	// Events is how many events Apply would queue now.
	Events int `json:"events"`
	// Segmentations lists every segmentation of the account's program, in
	// rule order, with how many of those events it matches.
	Segmentations []SegmentationCount `json:"segmentations"`
	Stats         `json:"-"`
}

// SegmentationCount is one segmentation's share of a dry run.
type SegmentationCount struct {
	ID     string `json:"id"`
	Events int    `json:"events"`
	// Sample holds up to SampleSize transactions it matches, in the order
	// the sales were listed.
	Sample []string `json:"sample"`
}

// ApplyResult is what a backfill queued: {"queued": N}.
type ApplyResult struct {
	Queued int `json:"queued"`
	Stats  `json:"-"`
}

func checkRange(from, to time.Time) error {
	switch {
	case from.IsZero() || to.IsZero() || !from.Before(to):
		return &RequestError{Field: "to", Reason: "must be after from (the range is [from, to))"}
	case to.Sub(from) > MaxBackfillRange:
		return &RequestError{Field: "to", Reason: "the range is longer than ten years"}
	}
	return nil
}

// DryRun tells what Apply would do for the sales of account ordered in
// [from, to): one event per sale (the type its current status implies),
// skipping those already known, each evaluated with the account's program.
// It queues nothing and calls no provider. Its Events equals what Apply
// then queues, as long as nothing else queues events in between.
func (s *Syncer) DryRun(ctx context.Context, account string, from, to time.Time) (*DryRunResult, error) {
	a, err := s.account(account)
	if err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	prog, err := s.o.program(ctx, a)
	if err != nil {
		return nil, fmt.Errorf("accounts: the program of %s: %w", a.ID, err)
	}
	res := &DryRunResult{DryRun: true, Segmentations: []SegmentationCount{}}
	index := map[string]int{}
	if prog != nil {
		for i, seg := range prog.Rules().Segmentations {
			res.Segmentations = append(res.Segmentations, SegmentationCount{ID: seg.ID, Sample: []string{}})
			index[seg.ID] = i
		}
	}
	pl := newPlanner(a.ID, s.store, s.o.now().UTC())
	err = s.list(ctx, a, from.UTC(), to.UTC(), &res.Stats, func(sales []Sale) error {
		plan := &Plan{}
		if err := pl.add(ctx, plan, sales); err != nil {
			return err
		}
		res.addPlan(plan)
		res.Events += len(plan.Events)
		if prog == nil {
			return nil
		}
		for k, e := range plan.Events {
			tx := plan.Transactions[k]
			for _, m := range prog.Evaluate(e) {
				i, ok := index[m.Segmentation.ID]
				if !ok {
					continue
				}
				c := &res.Segmentations[i]
				c.Events++
				if len(c.Sample) < SampleSize {
					c.Sample = append(c.Sample, tx)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Apply queues, with source "backfill", the events DryRun counts: one per
// sale of account ordered in [from, to), with the synthetic ids, skipping
// what is already known. A repeated Apply queues 0.
func (s *Syncer) Apply(ctx context.Context, account string, from, to time.Time) (*ApplyResult, error) {
	a, err := s.account(account)
	if err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	res := &ApplyResult{}
	pl := newPlanner(a.ID, s.store, s.o.now().UTC())
	err = s.list(ctx, a, from.UTC(), to.UTC(), &res.Stats, func(sales []Sale) error {
		plan := &Plan{}
		if err := pl.add(ctx, plan, sales); err != nil {
			return err
		}
		res.addPlan(plan)
		if len(plan.Events) == 0 {
			return nil
		}
		n, err := s.store.Enqueue(ctx, a.ID, plan.Events, SourceBackfill)
		res.Queued += n
		if err != nil {
			return fmt.Errorf("accounts: queueing the backfill events of %s: %w", a.ID, err)
		}
		return nil
	})
	if err != nil {
		// What was queued stays queued; a repeated Apply skips it.
		return res, err
	}
	return res, nil
}
