package sendpulse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
)

// ErrNotPayment is returned by upsert_deal for an event that is not a
// purchase with a known payment class (cart abandonment, subscription and
// members-area events): such a rule is misconfigured.
var ErrNotPayment = errors.New("sendpulse: upsert_deal needs a purchase event with a payment status")

// ErrMissingData is returned when the event lacks what the action needs (a
// buyer e-mail, a transaction code).
var ErrMissingData = errors.New("sendpulse: event lacks data the action needs")

// Names of the deal attributes the executor keeps on each pipeline it
// writes to. They are created on first use when absent.
const (
	AttrTransaction = "Hotmart transaction"
	AttrProduct     = "Hotmart product"
	AttrStatus      = "Hotmart status"
	AttrPrice       = "Hotmart price"
	AttrDate        = "Hotmart date"
)

var dealAttrNames = []string{AttrTransaction, AttrProduct, AttrStatus, AttrPrice, AttrDate}

// ExecutorOption configures NewExecutor.
type ExecutorOption func(*Executor) error

// WithExecutorLogger logs one line per action at Info (ids only, never an
// e-mail address).
func WithExecutorLogger(l *slog.Logger) ExecutorOption {
	return func(x *Executor) error {
		if l == nil {
			return errors.New("sendpulse: WithExecutorLogger: nil logger")
		}
		x.log = l
		return nil
	}
}

// Executor runs sendpulse actions (segment.Executor). It caches the
// account's pipelines, first user and deal attribute ids, and serialises
// work per buyer e-mail and per transaction so that concurrent events of
// one sale never create two contacts or two deals. It is safe for
// concurrent use; share one per client.
type Executor struct {
	c   *Client
	log *slog.Logger

	mu        sync.Mutex
	pipelines []Pipeline
	firstUser int64
	attrs     map[int64]map[string]int64 // pipeline → attribute name → id

	locks keyedMutex
}

var _ segment.Executor = (*Executor)(nil)

// NewExecutor returns the executor of Spec's commands on c.
func NewExecutor(c *Client, opts ...ExecutorOption) (*Executor, error) {
	if c == nil {
		return nil, errors.New("sendpulse: NewExecutor: nil client")
	}
	x := &Executor{c: c, log: slog.New(slog.DiscardHandler), attrs: map[int64]map[string]int64{}}
	for _, o := range opts {
		if err := o(x); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// Execute performs the matched action. It is safe to run again after a
// partial failure: every step looks before it writes, or writes in a way
// that leaves the same state when repeated.
func (x *Executor) Execute(ctx context.Context, m segment.Match) error {
	if m.Event == nil {
		return errors.New("sendpulse: match without event")
	}
	switch p := m.Params.(type) {
	case *UpsertDealParams:
		_, err := x.UpsertDeal(ctx, p, m.Event)
		return err
	case *ListParams:
		return x.list(ctx, p, m.Event)
	}
	return fmt.Errorf("sendpulse: match params are %T, not compiled by sendpulse.Spec", m.Params)
}

func (x *Executor) list(ctx context.Context, p *ListParams, e *hotmart.Event) error {
	email := strings.TrimSpace(e.Buyer().Email)
	if email == "" {
		return fmt.Errorf("%w: no buyer e-mail in %s", ErrMissingData, e.Type)
	}
	if p.Remove {
		return x.c.AddressBooks.DeleteEmails(ctx, p.Book, []string{email})
	}
	sub := Subscriber{Email: email}
	for k, t := range p.Variables {
		// An empty value would blank what an earlier event stored.
		if v := t.Render(e); v != "" {
			if sub.Variables == nil {
				sub.Variables = map[string]string{}
			}
			sub.Variables[k] = v
		}
	}
	return x.c.AddressBooks.AddEmails(ctx, p.Book, []Subscriber{sub}, nil)
}

// DealResult says what UpsertDeal did.
type DealResult struct {
	DealID    int64
	ContactID int64
	Class     Class
	StepID    int64
	Created   bool // a new deal was created
	Moved     bool // an existing deal changed step or pipeline
}

// UpsertDeal finds or creates the buyer's contact and the deal of the
// event's transaction, and puts the deal in the step mapped from the
// payment class with the sale's amount, currency, product, status and date.
//
// How the deal of a transaction is found: the deal name ends with
// " #<transaction>", and deals are searched by that text (POST
// /deals/get-list with name) and then kept only if the name really ends
// with it or the "Hotmart transaction" attribute equals the transaction.
// Nothing is stored on the host: the CRM itself is the map, so a restart
// or a second process finds the same deal.
func (x *Executor) UpsertDeal(ctx context.Context, p *UpsertDealParams, e *hotmart.Event) (*DealResult, error) {
	class, ok := PaymentClass(e)
	if !ok {
		return nil, fmt.Errorf("%w (got %s)", ErrNotPayment, e.Type)
	}
	d, err := e.Purchase()
	if err != nil {
		return nil, fmt.Errorf("%w (%s: %v)", ErrNotPayment, e.Type, err)
	}
	tx := strings.TrimSpace(d.Purchase.Transaction)
	if tx == "" {
		return nil, fmt.Errorf("%w: no purchase.transaction in %s", ErrMissingData, e.Type)
	}
	buyer := e.Buyer()
	if strings.TrimSpace(buyer.Email) == "" {
		return nil, fmt.Errorf("%w: no buyer e-mail in %s", ErrMissingData, e.Type)
	}

	pl, err := x.pipeline(ctx, p.Pipeline)
	if err != nil {
		return nil, err
	}
	stepID := p.Stages[class]
	if stepID == 0 {
		first, ok := pl.FirstStep()
		if !ok {
			return nil, fmt.Errorf("sendpulse: pipeline %d has no steps", pl.ID)
		}
		stepID = first.ID
	} else if !pl.HasStep(stepID) {
		return nil, fmt.Errorf("sendpulse: step %d (stages.%s) is not a step of pipeline %d", stepID, class, pl.ID)
	}
	responsible := p.Responsible
	if responsible == 0 {
		if responsible, err = x.defaultUser(ctx); err != nil {
			return nil, err
		}
	}
	attrIDs, err := x.dealAttributes(ctx, pl.ID)
	if err != nil {
		return nil, err
	}

	contactID, err := x.contact(ctx, buyer, responsible)
	if err != nil {
		return nil, err
	}

	unlock := x.locks.lock("tx:" + tx)
	defer unlock()

	res := &DealResult{ContactID: contactID, Class: class, StepID: stepID}
	want := dealValues(p, e, d, class, tx)
	deal, err := x.findDeal(ctx, tx, want.marker, attrIDs[AttrTransaction])
	if err != nil {
		return nil, err
	}
	if deal == nil {
		created, err := x.createDeal(ctx, &DealCreate{
			PipelineID: pl.ID, StepID: stepID, ResponsibleID: responsible, Name: want.name,
			Price: want.price, Currency: want.currency, Contacts: []int64{contactID},
			Attributes: want.attributes(attrIDs),
		})
		if err != nil {
			return nil, err
		}
		res.DealID, res.Created = created.ID, true
		x.log.LogAttrs(ctx, slog.LevelInfo, "sendpulse deal created", slog.Int64("deal", created.ID),
			slog.String("class", string(class)), slog.Int64("step", stepID))
		return res, nil
	}
	res.DealID = deal.ID
	if deal.PipelineID != pl.ID || deal.StepID != stepID {
		if err := x.c.CRM.Deals.ChangePipeline(ctx, deal.ID, pl.ID, stepID); err != nil {
			return nil, err
		}
		deal.PipelineID, deal.StepID, res.Moved = pl.ID, stepID, true
	}
	if deal.Name != want.name || float64(deal.Price) != want.price || (want.currency != "" && deal.Currency != want.currency && deal.Currency != "") {
		u := deal.UpdateRequest()
		u.Name, u.Price = want.name, want.price
		if deal.Currency != "" { // keep a deal created without currency that way
			u.Currency = want.currency
		}
		if _, err := x.c.CRM.Deals.Update(ctx, deal.ID, u); err != nil {
			return nil, err
		}
	}
	for _, a := range want.attributes(attrIDs) {
		if cur, ok := deal.Attribute(a.AttributeID); ok && cur == a.Value {
			continue
		}
		if err := x.c.CRM.Deals.SetAttribute(ctx, deal.ID, a.AttributeID, a.Value); err != nil {
			return nil, err
		}
	}
	x.log.LogAttrs(ctx, slog.LevelInfo, "sendpulse deal updated", slog.Int64("deal", deal.ID),
		slog.String("class", string(class)), slog.Int64("step", stepID), slog.Bool("moved", res.Moved))
	return res, nil
}

// createDeal creates a deal, and if SendPulse refuses its currency (the
// CRM documents only UAH, USD and EUR) creates it without one: the amount
// with its currency is kept in the "Hotmart price" attribute either way.
func (x *Executor) createDeal(ctx context.Context, in *DealCreate) (*Deal, error) {
	deal, err := x.c.CRM.Deals.Create(ctx, in)
	var ae *APIError
	if err != nil && in.Currency != "" && errors.As(err, &ae) && (ae.StatusCode == 400 || ae.StatusCode == 422) &&
		strings.Contains(strings.ToLower(ae.Message), "currency") {
		retry := *in
		retry.Currency = ""
		return x.c.CRM.Deals.Create(ctx, &retry)
	}
	return deal, err
}

type dealWant struct {
	marker, name, currency string
	price                  float64
	attrs                  map[string]string
}

func (w dealWant) attributes(ids map[string]int64) []DealAttribute {
	out := make([]DealAttribute, 0, len(dealAttrNames))
	for _, n := range dealAttrNames {
		if id, ok := ids[n]; ok && w.attrs[n] != "" {
			out = append(out, DealAttribute{AttributeID: id, Value: w.attrs[n]})
		}
	}
	return out
}

func dealValues(p *UpsertDealParams, e *hotmart.Event, d *hotmart.PurchaseData, class Class, tx string) dealWant {
	marker := " #" + tx
	name := strings.TrimSpace(p.Name.Render(e))
	if name == "" {
		name = d.Product.Name
	}
	if r := []rune(name); len(r)+len([]rune(marker)) > 255 {
		name = string(r[:max(0, 255-len([]rune(marker)))])
	}
	date := d.Purchase.ApprovedDate.Time
	if date.IsZero() {
		date = d.Purchase.OrderDate.Time
	}
	if date.IsZero() {
		date = e.CreatedAt
	}
	status := string(d.Purchase.Status.Canonical())
	if status == "" {
		status = string(e.Type)
	}
	w := dealWant{
		marker: marker, name: name + marker,
		price: d.Purchase.Price.Value.Float64(), currency: strings.ToUpper(d.Purchase.Price.Currency),
		attrs: map[string]string{
			AttrTransaction: tx,
			AttrProduct:     d.Product.Name,
			AttrStatus:      string(class) + " (" + status + ")",
			AttrPrice:       d.Purchase.Price.String(),
		},
	}
	if !date.IsZero() {
		w.attrs[AttrDate] = date.UTC().Format(time.RFC3339)
	}
	return w
}

// findDeal returns the deal of transaction tx, nil when there is none.
func (x *Executor) findDeal(ctx context.Context, tx, marker string, txAttr int64) (*Deal, error) {
	var found *Deal
	for deal, err := range x.c.CRM.Deals.All(ctx, &DealListOptions{Name: strings.TrimSpace(marker), ListOptions: ListOptions{Limit: 50}}) {
		if err != nil {
			return nil, err
		}
		v, _ := deal.Attribute(txAttr)
		if !strings.HasSuffix(deal.Name, marker) && (txAttr == 0 || v != tx) {
			continue // the search matched part of another transaction's code
		}
		if found == nil || deal.ID < found.ID {
			d := deal
			found = &d
		}
	}
	return found, nil
}

// contact returns the id of the buyer's contact, creating it when no
// contact carries the e-mail. A contact whose creation was interrupted
// before its e-mail was added is found again by its external id (derived
// from the e-mail), so a re-run completes it instead of creating another.
func (x *Executor) contact(ctx context.Context, b hotmart.Buyer, responsible int64) (int64, error) {
	email := strings.TrimSpace(b.Email)
	key := strings.ToLower(email)
	unlock := x.locks.lock("email:" + key)
	defer unlock()

	list, err := x.c.CRM.Contacts.ListByEmail(ctx, email, nil)
	if err != nil {
		return 0, err
	}
	var best *Contact
	for i := range list {
		c := &list[i]
		if c.HasEmail(email) && (best == nil || c.ID < best.ID) {
			best = c
		}
	}
	if best != nil {
		// Found by e-mail, but an earlier run may have stopped before the
		// phone was added: complete it below like a new contact.
		return x.completeContact(ctx, best, email, b.Phone.String())
	}
	ext := ExternalContactID(email)
	c, err := x.c.CRM.Contacts.GetByExternalID(ctx, ext)
	switch {
	case IsNotFound(err):
		first, last := b.FirstName, b.LastName
		if first == "" && last == "" {
			first, last, _ = strings.Cut(strings.TrimSpace(b.Name), " ")
		}
		c, err = x.c.CRM.Contacts.Create(ctx, &ContactCreate{ResponsibleID: responsible, FirstName: first, LastName: last, ExternalContactID: ext})
		if err != nil {
			return 0, err
		}
	case err != nil:
		return 0, err
	}
	return x.completeContact(ctx, c, email, b.Phone.String())
}

// completeContact adds the e-mail and phone a contact lacks. Each write is
// skipped when already done, so a re-run after a failure between them only
// does what is missing.
func (x *Executor) completeContact(ctx context.Context, c *Contact, email, phone string) (int64, error) {
	if !c.HasEmail(email) {
		if err := x.c.CRM.Contacts.AddEmails(ctx, c.ID, ContactEmail{Email: email, IsMain: true}); err != nil {
			return 0, err
		}
	}
	if phone != "" && len(c.Phones) == 0 {
		if err := x.c.CRM.Contacts.AddPhone(ctx, c.ID, phone); err != nil {
			return 0, err
		}
	}
	return c.ID, nil
}

// ExternalContactID is the externalContactId the executor gives a contact
// it creates: "hotmartkit-" and 24 hex digits of the SHA-256 of the
// lower-cased e-mail. It identifies the contact without revealing the
// address.
func ExternalContactID(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "hotmartkit-" + hex.EncodeToString(sum[:12])
}

// pipeline returns pipeline id (0: the first one), from the cache or,
// when absent there, from a fresh list.
func (x *Executor) pipeline(ctx context.Context, id int64) (*Pipeline, error) {
	pick := func(ps []Pipeline) *Pipeline {
		if len(ps) == 0 {
			return nil
		}
		if id == 0 {
			first := &ps[0]
			for i := range ps {
				if ps[i].Order < first.Order {
					first = &ps[i]
				}
			}
			return first
		}
		for i := range ps {
			if ps[i].ID == id {
				return &ps[i]
			}
		}
		return nil
	}
	x.mu.Lock()
	p := pick(x.pipelines)
	x.mu.Unlock()
	if p != nil {
		return p, nil
	}
	ps, err := x.c.CRM.Pipelines.List(ctx)
	if err != nil {
		return nil, err
	}
	x.mu.Lock()
	x.pipelines = ps
	x.mu.Unlock()
	if p = pick(ps); p == nil {
		if id == 0 {
			return nil, errors.New("sendpulse: the account has no pipeline")
		}
		return nil, fmt.Errorf("sendpulse: pipeline %d not found", id)
	}
	return p, nil
}

func (x *Executor) defaultUser(ctx context.Context) (int64, error) {
	x.mu.Lock()
	id := x.firstUser
	x.mu.Unlock()
	if id != 0 {
		return id, nil
	}
	users, err := x.c.CRM.Users.List(ctx)
	if err != nil {
		return 0, err
	}
	if len(users) == 0 {
		return 0, errors.New("sendpulse: the account has no user to make responsible")
	}
	x.mu.Lock()
	x.firstUser = users[0].ID
	x.mu.Unlock()
	return users[0].ID, nil
}

// dealAttributes returns the ids of the executor's deal attributes on a
// pipeline, creating the missing ones (once per pipeline per process).
func (x *Executor) dealAttributes(ctx context.Context, pipelineID int64) (map[string]int64, error) {
	x.mu.Lock()
	ids, ok := x.attrs[pipelineID]
	x.mu.Unlock()
	if ok {
		return ids, nil
	}
	unlock := x.locks.lock(fmt.Sprintf("attrs:%d", pipelineID))
	defer unlock()
	x.mu.Lock()
	ids, ok = x.attrs[pipelineID]
	x.mu.Unlock()
	if ok {
		return ids, nil
	}
	defs, err := x.c.CRM.Pipelines.Attributes(ctx, pipelineID)
	if err != nil {
		return nil, err
	}
	ids = lowestIDByName(defs)
	created := false
	for _, n := range dealAttrNames {
		if _, ok := ids[n]; ok {
			continue
		}
		def, err := x.c.CRM.Pipelines.CreateAttribute(ctx, pipelineID, n, AttributeText)
		if err != nil {
			return nil, err
		}
		ids[n] = def.ID
		created = true
	}
	if created {
		// Replicas starting together may each have created the same
		// attribute. Listing again and taking the lowest id per name makes
		// every process settle on one attribute, whichever created it.
		if defs, err := x.c.CRM.Pipelines.Attributes(ctx, pipelineID); err == nil {
			for n, id := range lowestIDByName(defs) {
				ids[n] = id
			}
		}
	}
	x.mu.Lock()
	x.attrs[pipelineID] = ids
	x.mu.Unlock()
	return ids, nil
}

// lowestIDByName maps each attribute name to its lowest id: the one every
// process picks when duplicates exist.
func lowestIDByName(defs []AttributeDef) map[string]int64 {
	ids := make(map[string]int64, len(defs))
	for _, d := range defs {
		if cur, ok := ids[d.Name]; !ok || d.ID < cur {
			ids[d.Name] = d.ID
		}
	}
	return ids
}

// keyedMutex serialises work per key; entries are dropped when unused.
type keyedMutex struct {
	mu sync.Mutex
	m  map[string]*keyedEntry
}

type keyedEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*keyedEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &keyedEntry{}
		k.m[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
