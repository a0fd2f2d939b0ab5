package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/redact"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// Outcome statuses reported for each action.
const (
	StatusOK      = "ok"      // the action ran and succeeded
	StatusFailed  = "failed"  // the action ran and failed; the event will be retried
	StatusSkipped = "skipped" // an earlier delivery of the event already did it
)

// StepKey is the webhook step key under which a segmentation's success for
// an event is recorded.
func StepKey(segmentationID string) string { return "segmentation:" + segmentationID }

// Pipeline evaluates events and runs the matched actions. It implements
// webhook.Processor and is safe for concurrent use.
type Pipeline struct {
	prog      atomic.Pointer[segment.Program]
	executors map[string]segment.Executor
	log       *slog.Logger
	timeout   time.Duration
	observe   func(Result)
	redact    redact.Redactor
	rules     *ruleFollower     // nil unless WithRuleStore
	locks     [64]chan struct{} // one-slot semaphores: waiting on them can be cancelled
	seed      maphash.Seed
}

// Result is what one action did, as handed to an observer (WithObserver).
type Result struct {
	Event   *hotmart.Event
	Match   segment.Match
	Outcome webhook.ActionOutcome
	Elapsed time.Duration
}

type options struct {
	executors map[string]segment.Executor
	log       *slog.Logger
	timeout   time.Duration
	observe   func(Result)
	rules     *ruleFollower
}

// Option configures a Pipeline.
type Option func(*options) error

// WithExecutor registers the executor for provider (the "provider" value of
// rules' actions).
func WithExecutor(provider string, e segment.Executor) Option {
	return func(o *options) error {
		if strings.TrimSpace(provider) == "" {
			return errors.New("pipeline: WithExecutor: empty provider name")
		}
		if e == nil {
			return fmt.Errorf("pipeline: WithExecutor(%q): nil executor", provider)
		}
		if _, dup := o.executors[provider]; dup {
			return fmt.Errorf("pipeline: WithExecutor(%q): registered twice", provider)
		}
		o.executors[provider] = e
		return nil
	}
}

// WithLogger sets the logger (default: discard). One line is logged per
// action, without buyer data.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) error {
		if l == nil {
			return errors.New("pipeline: WithLogger: nil logger")
		}
		o.log = l
		return nil
	}
}

// WithActionTimeout bounds each action (default 30 s; 0 means only the
// request's own context bounds it).
func WithActionTimeout(d time.Duration) Option {
	return func(o *options) error {
		if d < 0 {
			return errors.New("pipeline: WithActionTimeout: negative duration")
		}
		o.timeout = d
		return nil
	}
}

// WithObserver calls fn after every action (including skipped ones), e.g.
// to print a trace. fn must be safe for concurrent use.
func WithObserver(fn func(Result)) Option {
	return func(o *options) error {
		o.observe = fn
		return nil
	}
}

// ErrNoExecutor is returned when a rule names a provider with no executor.
var ErrNoExecutor = errors.New("pipeline: no executor for provider")

// New returns a pipeline running prog. Every provider named by an active
// rule of prog must have an executor.
func New(prog *segment.Program, opts ...Option) (*Pipeline, error) {
	o := options{executors: map[string]segment.Executor{}, timeout: 30 * time.Second}
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	p := &Pipeline{executors: o.executors, log: o.log, timeout: o.timeout, observe: o.observe, seed: maphash.MakeSeed(), rules: o.rules}
	for i := range p.locks {
		p.locks[i] = make(chan struct{}, 1)
	}
	if prog != nil || p.rules == nil {
		if err := p.SetProgram(prog); err != nil {
			return nil, err
		}
	}
	if err := p.Sync(context.Background()); err != nil {
		return nil, err
	}
	return p, nil
}

// Program returns the program in use.
func (p *Pipeline) Program() *segment.Program { return p.prog.Load() }

// SetProgram swaps the program (e.g. after the rules file changed) without
// stopping deliveries in flight; they finish with the program they started
// with. It refuses a program naming a provider with no executor.
func (p *Pipeline) SetProgram(prog *segment.Program) error {
	if prog == nil {
		return errors.New("pipeline: nil program")
	}
	if missing := p.missingExecutors(prog); len(missing) > 0 {
		return fmt.Errorf("%w: %s", ErrNoExecutor, strings.Join(missing, ", "))
	}
	p.prog.Store(prog)
	return nil
}

func (p *Pipeline) missingExecutors(prog *segment.Program) []string {
	seen := map[string]bool{}
	var missing []string
	for _, s := range prog.Rules().Segmentations {
		name := s.Action.Provider
		if !s.Active || seen[name] {
			continue
		}
		seen[name] = true
		if _, ok := p.executors[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

// Process evaluates e and runs each matched action in rule order, skipping
// those an earlier delivery of e already completed. It returns nil when
// every action succeeded (or was skipped) and otherwise an error joining
// the failures, so that the webhook handler answers 500 and Hotmart retries.
func (p *Pipeline) Process(ctx context.Context, e *hotmart.Event) error {
	if err := p.Sync(ctx); err != nil {
		return err
	}
	matches := p.prog.Load().Evaluate(e)
	if len(matches) == 0 {
		return nil
	}
	unlock, err := p.lockBuyer(ctx, e)
	if err != nil {
		return fmt.Errorf("pipeline: waiting for another event of the same buyer: %w", err)
	}
	defer unlock()

	var errs []error
	for _, m := range matches {
		id := m.Segmentation.ID
		if webhook.StepDone(ctx, StepKey(id)) {
			p.report(ctx, m, StatusSkipped, nil, 0)
			continue
		}
		start := time.Now()
		err := p.execute(ctx, m)
		if err == nil {
			if merr := webhook.MarkStep(ctx, StepKey(id)); merr != nil {
				// The action happened; failing the event makes Hotmart retry,
				// and the executor's own idempotency absorbs the re-run.
				err = fmt.Errorf("recording step: %w", merr)
			}
		}
		p.report(ctx, m, statusOf(err), err, time.Since(start))
		if err != nil {
			errs = append(errs, inSegmentation(id, err))
		}
	}
	return errors.Join(errs...)
}

// Run executes one match directly, without step bookkeeping — what a "test
// this segmentation" button does — and returns its outcome.
func (p *Pipeline) Run(ctx context.Context, m segment.Match) webhook.ActionOutcome {
	start := time.Now()
	err := p.execute(ctx, m)
	return p.report(ctx, m, statusOf(err), err, time.Since(start))
}

func (p *Pipeline) execute(ctx context.Context, m segment.Match) (err error) {
	provider := m.Segmentation.Action.Provider
	ex, ok := p.executors[provider]
	if !ok {
		return fmt.Errorf("%w %q", ErrNoExecutor, provider)
	}
	if p.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.timeout)
		defer cancel()
	}
	defer func() {
		// An executor bug must fail this action, not the whole process.
		// Only the panic's type is kept: its value can hold the buyer's
		// e-mail or CPF the executor was working with.
		if r := recover(); r != nil {
			err = fmt.Errorf("executor %q panicked (%T)", provider, r)
			p.log.LogAttrs(ctx, slog.LevelError, "executor panic",
				slog.String("provider", provider), slog.String("panic_type", fmt.Sprintf("%T", r)))
		}
	}()
	return ex.Execute(ctx, m)
}

// inSegmentation adds the segmentation to an action's error, once: an
// executor that already names it (leadlovers' ActionError says
// `for segmentation "id"`) is left as it is.
func inSegmentation(id string, err error) error {
	if strings.Contains(err.Error(), "segmentation "+strconv.Quote(id)) {
		return err
	}
	return fmt.Errorf("segmentation %q: %w", id, err)
}

func statusOf(err error) string {
	if err != nil {
		return StatusFailed
	}
	return StatusOK
}

func (p *Pipeline) report(ctx context.Context, m segment.Match, status string, err error, elapsed time.Duration) webhook.ActionOutcome {
	a := m.Segmentation.Action
	o := webhook.ActionOutcome{Segmentation: m.Segmentation.ID, Provider: a.Provider, Command: a.Command, Status: status}
	if err != nil {
		o.Error = p.redact.String(err.Error())
	}
	webhook.RecordAction(ctx, o)
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
	}
	p.log.LogAttrs(ctx, level, "action",
		slog.String("event_id", m.Event.ID), slog.String("event", string(m.Event.Type)),
		slog.String("segmentation", o.Segmentation), slog.String("provider", o.Provider),
		slog.String("command", o.Command), slog.String("status", status),
		slog.Duration("duration", elapsed), slog.String("error", o.Error))
	if p.observe != nil {
		p.observe(Result{Event: m.Event, Match: m, Outcome: o, Elapsed: elapsed})
	}
	return o
}

// lockBuyer serialises the actions of events about the same buyer. The wait
// ends with ctx: a slow buyer must not hold up a cancelled delivery.
func (p *Pipeline) lockBuyer(ctx context.Context, e *hotmart.Event) (func(), error) {
	email := e.Buyer().Email
	if email == "" {
		return func() {}, nil
	}
	var h maphash.Hash
	h.SetSeed(p.seed)
	for i := 0; i < len(email); i++ {
		c := email[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h.WriteByte(c)
	}
	sem := p.locks[h.Sum64()%uint64(len(p.locks))]
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
