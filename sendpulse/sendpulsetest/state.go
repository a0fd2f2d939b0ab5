package sendpulsetest

import (
	"slices"
	"strings"
)

// User is a team member of the fake account.
type User struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstname"`
	LastName  string `json:"lastname"`
	Email     string `json:"email"`
}

// Step is a pipeline stage.
type Step struct {
	ID         int64  `json:"id"`
	PipelineID int64  `json:"pipelineId"`
	Name       string `json:"name"`
	Order      int    `json:"order"`
}

// Pipeline is a CRM pipeline with its steps in order.
type Pipeline struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Order int    `json:"order"`
	Steps []Step `json:"steps"`
}

// AttributeDef is a deal attribute defined on a pipeline.
type AttributeDef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type int    `json:"type"`
}

// Email and Phone belong to a contact.
type Email struct {
	ID     int64  `json:"id"`
	Email  string `json:"email"`
	IsMain bool   `json:"isMain"`
}

// Phone is a contact's phone number.
type Phone struct {
	ID     int64  `json:"id"`
	Phone  string `json:"phone"`
	IsMain bool   `json:"isMain"`
}

// Contact is a CRM contact.
type Contact struct {
	ID                int64            `json:"id"`
	ResponsibleID     int64            `json:"responsibleId"`
	FirstName         string           `json:"firstName"`
	LastName          string           `json:"lastName"`
	ExternalContactID string           `json:"externalContactId,omitempty"`
	Emails            []Email          `json:"emails"`
	Phones            []Phone          `json:"phones"`
	Tags              []int64          `json:"-"`
	Attributes        map[int64]string `json:"-"`
}

// Deal is a CRM deal.
type Deal struct {
	ID            int64
	PipelineID    int64
	StepID        int64
	Status        int
	ResponsibleID int64
	Name          string
	Price         float64
	Currency      string
	Contacts      []int64
	Attributes    map[int64]string
}

// Payment is a manual CRM payment.
type Payment struct {
	ID          int64
	DealID      int64
	ContactID   int64
	Description string
	Price       float64
	Currency    string
}

// Book is an address book; Subscribers is keyed by lower-case e-mail.
type Book struct {
	ID          int64
	Name        string
	Subscribers map[string]*Subscriber
}

// Subscriber is an address in a book.
type Subscriber struct {
	Email        string
	Variables    map[string]string
	Unsubscribed bool
}

// Event is an Automation 360 event received.
type Event struct {
	Name    string
	Payload map[string]any
}

type state struct {
	next      int64
	users     []User
	pipelines []*Pipeline
	dealAttrs map[int64][]AttributeDef // per pipeline
	contacts  []*Contact
	tags      []tag
	deals     []*Deal
	payments  []Payment
	books     []*Book
	events    []Event
}

type tag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func newState() state { return state{next: 100, dealAttrs: map[int64][]AttributeDef{}} }

func (st *state) id() int64 { st.next++; return st.next }

// Ids of the seeded account, fixed so that rules files for demos and tests
// can name them.
const (
	SeedUser         int64 = 101 // "Ana Owner", the account's first user
	SeedPipeline     int64 = 102 // "Hotmart sales"
	SeedStepNew      int64 = 103
	SeedStepPaid     int64 = 104
	SeedStepLost     int64 = 105
	SeedStepRefunded int64 = 106
	SeedBook         int64 = 107 // address book "Customers"
)

func (st *state) seed() {
	st.users = append(st.users, User{ID: st.id(), FirstName: "Ana", LastName: "Owner", Email: "owner@shop.test"})
	st.addPipeline("Hotmart sales", "New", "Paid", "Lost", "Refunded")
	st.books = append(st.books, &Book{ID: st.id(), Name: "Customers", Subscribers: map[string]*Subscriber{}})
	if st.users[0].ID != SeedUser || st.pipelines[0].ID != SeedPipeline ||
		st.pipelines[0].Steps[3].ID != SeedStepRefunded || st.books[0].ID != SeedBook {
		panic("sendpulsetest: seed ids drifted from the Seed* constants")
	}
}

func (st *state) addPipeline(name string, steps ...string) *Pipeline {
	p := &Pipeline{ID: st.id(), Name: name, Order: len(st.pipelines)}
	for i, n := range steps {
		p.Steps = append(p.Steps, Step{ID: st.id(), PipelineID: p.ID, Name: n, Order: i})
	}
	st.pipelines = append(st.pipelines, p)
	return p
}

func (st *state) pipeline(id int64) *Pipeline {
	for _, p := range st.pipelines {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (st *state) user(id int64) bool {
	return slices.ContainsFunc(st.users, func(u User) bool { return u.ID == id })
}

func (st *state) contact(id int64) *Contact {
	for _, c := range st.contacts {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func (st *state) deal(id int64) *Deal {
	for _, d := range st.deals {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func (st *state) book(id int64) *Book {
	for _, b := range st.books {
		if b.ID == id {
			return b
		}
	}
	return nil
}

func (c *Contact) hasEmail(e string) bool {
	return slices.ContainsFunc(c.Emails, func(x Email) bool { return strings.EqualFold(x.Email, e) })
}

func (c *Contact) clone() Contact {
	out := *c
	out.Emails = slices.Clone(c.Emails)
	out.Phones = slices.Clone(c.Phones)
	out.Tags = slices.Clone(c.Tags)
	out.Attributes = cloneMap(c.Attributes)
	return out
}

func (d *Deal) clone() Deal {
	out := *d
	out.Contacts = slices.Clone(d.Contacts)
	out.Attributes = cloneMap(d.Attributes)
	return out
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// --- seeding and state accessors (for tests and demos) ---

// AddUser adds a team member and returns it.
func (s *Server) AddUser(first, last, email string) User {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := User{ID: s.st.id(), FirstName: first, LastName: last, Email: email}
	s.st.users = append(s.st.users, u)
	return u
}

// AddPipeline adds a pipeline with steps in the given order.
func (s *Server) AddPipeline(name string, steps ...string) Pipeline {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.addPipeline(name, steps...)
	return Pipeline{ID: p.ID, Name: p.Name, Order: p.Order, Steps: slices.Clone(p.Steps)}
}

// AddBook adds an address book and returns its id.
func (s *Server) AddBook(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &Book{ID: s.st.id(), Name: name, Subscribers: map[string]*Subscriber{}}
	s.st.books = append(s.st.books, b)
	return b.ID
}

// Users returns the team members.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.users)
}

// Pipelines returns the pipelines with their steps.
func (s *Server) Pipelines() []Pipeline {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Pipeline, len(s.st.pipelines))
	for i, p := range s.st.pipelines {
		out[i] = Pipeline{ID: p.ID, Name: p.Name, Order: p.Order, Steps: slices.Clone(p.Steps)}
	}
	return out
}

// StepName returns the name of step id, "" when unknown.
func (s *Server) StepName(id int64) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.st.pipelines {
		for _, st := range p.Steps {
			if st.ID == id {
				return st.Name
			}
		}
	}
	return ""
}

// DealAttributes returns the deal attributes defined on a pipeline.
func (s *Server) DealAttributes(pipelineID int64) []AttributeDef {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.dealAttrs[pipelineID])
}

// Contacts returns every contact.
func (s *Server) Contacts() []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Contact, len(s.st.contacts))
	for i, c := range s.st.contacts {
		out[i] = c.clone()
	}
	return out
}

// ContactsByEmail returns the contacts carrying email (case-insensitive).
func (s *Server) ContactsByEmail(email string) []Contact {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Contact
	for _, c := range s.st.contacts {
		if c.hasEmail(email) {
			out = append(out, c.clone())
		}
	}
	return out
}

// Deals returns every deal.
func (s *Server) Deals() []Deal {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Deal, len(s.st.deals))
	for i, d := range s.st.deals {
		out[i] = d.clone()
	}
	return out
}

// Deal returns the deal with id.
func (s *Server) Deal(id int64) (Deal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.st.deal(id); d != nil {
		return d.clone(), true
	}
	return Deal{}, false
}

// DealsByName returns the deals whose name contains text.
func (s *Server) DealsByName(text string) []Deal {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Deal
	for _, d := range s.st.deals {
		if strings.Contains(d.Name, text) {
			out = append(out, d.clone())
		}
	}
	return out
}

// DealsByTransaction returns the deals that carry a Hotmart transaction
// code in their name or in an attribute value. A correct integration leaves
// exactly one per transaction.
func (s *Server) DealsByTransaction(tx string) []Deal {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Deal
	for _, d := range s.st.deals {
		hit := strings.Contains(d.Name, tx)
		for _, v := range d.Attributes {
			hit = hit || v == tx
		}
		if hit {
			out = append(out, d.clone())
		}
	}
	return out
}

// Payments returns the manual payments recorded.
func (s *Server) Payments() []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.payments)
}

// Subscriber returns the subscriber email of book id.
func (s *Server) Subscriber(bookID int64, email string) (Subscriber, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.st.book(bookID)
	if b == nil {
		return Subscriber{}, false
	}
	sub, ok := b.Subscribers[strings.ToLower(email)]
	if !ok {
		return Subscriber{}, false
	}
	out := *sub
	out.Variables = cloneMap(sub.Variables)
	return out, true
}

// BookSize returns how many addresses book id holds.
func (s *Server) BookSize(bookID int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b := s.st.book(bookID); b != nil {
		return len(b.Subscribers)
	}
	return 0
}

// Books returns the address book ids in creation order.
func (s *Server) Books() []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int64, len(s.st.books))
	for i, b := range s.st.books {
		out[i] = b.ID
	}
	return out
}

// Events returns the Automation 360 events received.
func (s *Server) Events() []Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.st.events)
}
