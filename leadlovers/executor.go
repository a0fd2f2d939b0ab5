package leadlovers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"unicode/utf8"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// Errors an Executor returns (wrapped in an *ActionError).
var (
	// ErrNoEmail: the event carries no buyer e-mail, leadlovers' key.
	ErrNoEmail = errors.New("leadlovers: event has no buyer e-mail")
	// ErrNotInOrigin: move_lead found the lead neither in its origin nor
	// already in its destination.
	ErrNotInOrigin = errors.New("leadlovers: lead is not in the move's origin sequence")
	// ErrNotCompiled: the match's Params did not come from Spec.
	ErrNotCompiled = errors.New("leadlovers: match params were not compiled by leadlovers.Spec")
)

// ActionError reports a failed action. It names the segmentation, the
// command and the event, never the buyer; Err says why (an *APIError, a
// *RateLimitError, ErrNoEmail, …).
type ActionError struct {
	Segmentation string
	Command      string
	EventID      string
	Err          error
}

func (e *ActionError) Error() string {
	return fmt.Sprintf("leadlovers: %s for segmentation %q (event %s): %v", e.Command, e.Segmentation, e.EventID, e.Err)
}

// Unwrap returns the cause.
func (e *ActionError) Unwrap() error { return e.Err }

// Executor runs compiled leadlovers actions. Every command is safe to run
// again after a partial failure: add_lead is an upsert, move_lead and
// remove_lead look where the lead is before they write.
type Executor struct {
	c   *Client
	log *slog.Logger
}

var _ segment.Executor = (*Executor)(nil)

// ExecutorOption configures an Executor.
type ExecutorOption func(*Executor) error

// WithExecutorLogger logs one line per action (segmentation, command,
// event id, outcome; never the buyer's data).
func WithExecutorLogger(l *slog.Logger) ExecutorOption {
	return func(x *Executor) error {
		if l == nil {
			return errors.New("leadlovers: nil logger")
		}
		x.log = l
		return nil
	}
}

// NewExecutor returns an executor that acts through c.
func NewExecutor(c *Client, opts ...ExecutorOption) (*Executor, error) {
	if c == nil {
		return nil, errors.New("leadlovers: NewExecutor needs a client")
	}
	x := &Executor{c: c, log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(x); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// Execute runs the action of m for m.Event.
func (x *Executor) Execute(ctx context.Context, m segment.Match) error {
	ae := &ActionError{}
	if m.Segmentation != nil {
		ae.Segmentation, ae.Command = m.Segmentation.ID, m.Segmentation.Action.Command
	}
	if m.Event != nil {
		ae.EventID = m.Event.ID
	}
	err := x.execute(ctx, m, ae)
	x.log.LogAttrs(ctx, slog.LevelInfo, "leadlovers action",
		slog.String("segmentation", ae.Segmentation), slog.String("command", ae.Command),
		slog.String("event", ae.EventID), slog.Bool("ok", err == nil))
	if err != nil {
		ae.Err = err
		return ae
	}
	return nil
}

func (x *Executor) execute(ctx context.Context, m segment.Match, ae *ActionError) error {
	if m.Event == nil {
		return errors.New("leadlovers: match has no event")
	}
	email := m.Event.Buyer().Email
	switch p := m.Params.(type) {
	case *AddLeadAction:
		ae.Command = CommandAddLead
		if email == "" {
			return ErrNoEmail
		}
		return x.addLead(ctx, m.Event, p)
	case *MoveLeadAction:
		ae.Command = CommandMoveLead
		if email == "" {
			return ErrNoEmail
		}
		return x.moveLead(ctx, email, p)
	case *RemoveLeadAction:
		ae.Command = CommandRemoveLead
		if email == "" {
			return ErrNoEmail
		}
		return x.removeLead(ctx, email, p)
	}
	return fmt.Errorf("%w (got %T)", ErrNotCompiled, m.Params)
}

// maxName is leadlovers' limit on a lead's name.
const maxName = 100

// LeadFor builds the lead an add_lead action upserts for e; the executor
// sends exactly this. Fields whose value is empty for e are left out.
func (a *AddLeadAction) LeadFor(e *hotmart.Event) *Lead {
	b := e.Buyer()
	l := &Lead{Email: b.Email, MachineCode: a.Machine, EmailSequenceCode: a.Sequence, SequenceLevelCode: a.Level, Tag: a.Tag}
	if a.sends(SendName) {
		l.Name = truncateRunes(b.Name, maxName)
	}
	if a.sends(SendPhone) {
		l.Phone = b.Phone.String()
	}
	if a.sends(SendBilletURL) {
		if p, err := e.Purchase(); err == nil && p.Purchase.Payment.BilletURL != "" {
			l.DynamicFields = append(l.DynamicFields, DynamicField{ID: a.BilletField, Value: p.Purchase.Payment.BilletURL})
		}
	}
	for _, f := range a.Fields {
		if v := f.Template.Render(e); v != "" {
			l.DynamicFields = append(l.DynamicFields, DynamicField{ID: f.ID, Value: v})
		}
	}
	return l
}

// addLead upserts, so a re-run leaves one lead in one place.
func (x *Executor) addLead(ctx context.Context, e *hotmart.Event, a *AddLeadAction) error {
	_, err := x.c.Leads.Upsert(ctx, a.LeadFor(e))
	return err
}

// moveLead looks before it writes: a lead already in the destination
// (a re-run after the move went through) is left alone.
func (x *Executor) moveLead(ctx context.Context, email string, a *MoveLeadAction) error {
	locs, err := x.c.Leads.Locations(ctx, email)
	if IsNotFound(err) {
		return ErrNotInOrigin
	}
	if err != nil {
		return err
	}
	inOrigin := false
	for _, l := range locs {
		if int(l.MachineCode) == a.ToMachine && int(l.SequenceCode) == a.ToSequence {
			return nil
		}
		if int(l.MachineCode) == a.FromMachine && int(l.SequenceCode) == a.FromSequence {
			inOrigin = true
		}
	}
	if !inOrigin {
		return ErrNotInOrigin
	}
	_, err = x.c.Leads.Move(ctx, &Move{Email: email, MachineFrom: a.FromMachine, FunnelFrom: a.FromSequence,
		MachineTo: a.ToMachine, FunnelTo: a.ToSequence, Level: a.ToLevel})
	return err
}

// removeLead looks before it writes: a lead that is not (or no longer) in
// the machine or sequence needs nothing.
func (x *Executor) removeLead(ctx context.Context, email string, a *RemoveLeadAction) error {
	locs, err := x.c.Leads.Locations(ctx, email)
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	in := false
	for _, l := range locs {
		if int(l.MachineCode) == a.Machine && (a.Sequence == 0 || int(l.SequenceCode) == a.Sequence) {
			in = true
			break
		}
	}
	if !in {
		return nil
	}
	if a.Sequence > 0 {
		_, err = x.c.Leads.RemoveFromSequence(ctx, email, a.Machine, a.Sequence)
	} else {
		_, err = x.c.Leads.RemoveFromMachine(ctx, email, a.Machine)
	}
	return err
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n])
}
