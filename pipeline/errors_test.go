package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
)

// executorFunc adapts a function to segment.Executor.
type executorFunc func(context.Context, segment.Match) error

func (f executorFunc) Execute(ctx context.Context, m segment.Match) error { return f(ctx, m) }

func approvedEvent(t *testing.T) *hotmart.Event {
	t.Helper()
	ev, err := hotmart.ParseEvent([]byte(`{"id":"ev-1","event":"PURCHASE_APPROVED","version":"2.0.0","creation_date":1700000000000,
	  "data":{"buyer":{"email":"ana@example.com","name":"Ana Souza","document":"12345678909"},"purchase":{"transaction":"HP1"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func newPipeline(t *testing.T, ex segment.Executor, opts ...pipeline.Option) *pipeline.Pipeline {
	t.Helper()
	f := newFake("fake")
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "approved-br", "active": true, "events": ["PURCHASE_APPROVED"], "action": {"provider": "fake", "command": "do"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := segment.Compile(rules, segment.WithProviders(f))
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(prog, append([]pipeline.Option{pipeline.WithExecutor("fake", ex)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The error of a failed action names its segmentation once, whether or
// not the executor already did.
func TestProcessErrorNamesSegmentationOnce(t *testing.T) {
	for name, execErr := range map[string]error{
		"plain":             errors.New("status 502"),
		"names it already":  errors.New(`leadlovers: add_lead for segmentation "approved-br" (event ev-1): status 502`),
		"wrapped by caller": errors.Join(errors.New("status 502")),
	} {
		p := newPipeline(t, executorFunc(func(context.Context, segment.Match) error { return execErr }))
		err := p.Process(context.Background(), approvedEvent(t))
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		if n := strings.Count(err.Error(), "approved-br"); n != 1 {
			t.Errorf("%s: %q names the segmentation %d times", name, err, n)
		}
		if !errors.Is(err, execErr) {
			t.Errorf("%s: the executor's error is not wrapped", name)
		}
	}
}

// A recovered panic is logged and reported by its type only: its value can
// hold the buyer's personal data.
func TestExecutorPanicLogsOnlyItsType(t *testing.T) {
	var logs bytes.Buffer
	var results []pipeline.Result
	p := newPipeline(t, executorFunc(func(_ context.Context, m segment.Match) error {
		b := m.Event.Buyer()
		panic("cannot add " + b.Email + " " + b.Document + " " + b.Name)
	}), pipeline.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))),
		pipeline.WithObserver(func(r pipeline.Result) { results = append(results, r) }))

	err := p.Process(context.Background(), approvedEvent(t))
	if err == nil {
		t.Fatal("panic not reported as a failure")
	}
	texts := map[string]string{"error": err.Error(), "log": logs.String()}
	for _, r := range results {
		texts["outcome"] += r.Outcome.Error
	}
	for where, text := range texts {
		for _, secret := range []string{"ana@example.com", "12345678909", "Souza"} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the panic value %q: %s", where, secret, text)
			}
		}
	}
	if !strings.Contains(logs.String(), "panic_type=string") || !strings.Contains(err.Error(), "(string)") {
		t.Errorf("the panic's type is not reported: log %q, error %q", logs.String(), err)
	}
}
