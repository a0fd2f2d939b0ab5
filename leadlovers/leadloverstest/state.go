package leadloverstest

import (
	"sort"
	"strings"
	"time"
)

// Seed data every server starts with.
const (
	MachineCustomers = 111 // "Clientes"
	SequenceWelcome  = 222 // "Boas-vindas" in MachineCustomers, 3 levels
	SequenceUpsell   = 223 // "Pós-venda" in MachineCustomers, 2 levels
	MachineBillets   = 333 // "Boletos"
	SequenceBillet   = 444 // "Lembrete de boleto" in MachineBillets, 3 levels
	MachineRefunds   = 555 // "Reembolsos"
	SequenceWinBack  = 666 // "Recuperação" in MachineRefunds, 1 level
	TagBuyer         = 10  // "comprador"
	TagBillet        = 11  // "boleto"
)

type machine struct {
	code int
	name string
	seqs map[int]*sequence
}

type sequence struct {
	code   int
	name   string
	levels int
}

// Location is a place a lead is in. A lead is in at most one sequence of a
// machine.
type Location struct {
	Machine, Sequence, Level int
}

type lead struct {
	code       int
	email      string
	data       map[string]string // Name, Phone, Company, …
	dyn        map[int]string
	score      int
	tags       map[int]bool
	locs       map[int]Location // by machine
	registered time.Time
}

// LeadState is a copy of a stored lead.
type LeadState struct {
	Code          int
	Email         string
	Name          string
	Phone         string
	Data          map[string]string // every string field sent (Name, Phone, City…)
	DynamicFields map[int]string
	Score         int
	Tags          []int      // sorted
	Locations     []Location // sorted by machine
}

// Effect is one change of the server's state.
type Effect struct {
	Kind     string // see the Effect* constants
	Email    string
	Machine  int
	Sequence int
	Level    int
	Tag      int
	Call     int // index in Calls of the call that caused it
}

// Kinds of Effect.
const (
	EffectLeadCreated      = "lead_created"
	EffectLeadPlaced       = "lead_placed"  // put in a machine, or its sequence/level changed by an upsert
	EffectLeadUpdated      = "lead_updated" // data fields changed
	EffectLeadMoved        = "lead_moved"
	EffectLeadRemoved      = "lead_removed" // from a machine or a sequence
	EffectScoreChanged     = "score_changed"
	EffectTagAdded         = "tag_added"
	EffectTagRemoved       = "tag_removed"
	EffectAccountTagAdded  = "account_tag_created"
	EffectHookSubscribed   = "hook_subscribed"
	EffectHookUnsubscribed = "hook_unsubscribed"
)

func (s *Server) seed() {
	s.AddMachine(MachineCustomers, "Clientes")
	s.AddSequence(MachineCustomers, SequenceWelcome, "Boas-vindas", 3)
	s.AddSequence(MachineCustomers, SequenceUpsell, "Pós-venda", 2)
	s.AddMachine(MachineBillets, "Boletos")
	s.AddSequence(MachineBillets, SequenceBillet, "Lembrete de boleto", 3)
	s.AddMachine(MachineRefunds, "Reembolsos")
	s.AddSequence(MachineRefunds, SequenceWinBack, "Recuperação", 1)
	s.AddTag(TagBuyer, "comprador")
	s.AddTag(TagBillet, "boleto")
}

// AddMachine adds (or renames) a machine.
func (s *Server) AddMachine(code int, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.machines[code]; ok {
		m.name = name
		return
	}
	s.machines[code] = &machine{code: code, name: name, seqs: map[int]*sequence{}}
}

// AddSequence adds a sequence with levels 1..levels to a machine, creating
// the machine if needed.
func (s *Server) AddSequence(machineCode, code int, name string, levels int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[machineCode]
	if !ok {
		m = &machine{code: machineCode, name: "Máquina " + itoa(machineCode), seqs: map[int]*sequence{}}
		s.machines[machineCode] = m
	}
	m.seqs[code] = &sequence{code: code, name: name, levels: max(levels, 1)}
}

// AddTag adds (or renames) an account tag.
func (s *Server) AddTag(id int, title string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tags[id] = title
	s.nextTag = max(s.nextTag, id)
}

// Lead returns the stored lead with this e-mail (case-insensitive).
func (s *Server) Lead(email string) (LeadState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.leads[key(email)]
	if !ok {
		return LeadState{}, false
	}
	return l.state(), true
}

// LeadsIn returns the e-mails of the leads in a machine, sorted.
func (s *Server) LeadsIn(machineCode int) []string {
	return s.leadsWhere(func(loc Location) bool { return loc.Machine == machineCode })
}

// LeadsInSequence returns the e-mails of the leads in one sequence of a
// machine, sorted.
func (s *Server) LeadsInSequence(machineCode, sequenceCode int) []string {
	return s.leadsWhere(func(loc Location) bool { return loc.Machine == machineCode && loc.Sequence == sequenceCode })
}

func (s *Server) leadsWhere(f func(Location) bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, l := range s.leads {
		for _, loc := range l.locs {
			if f(loc) {
				out = append(out, l.email)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// Effects returns every change of state so far, in order. A call that
// leaves the state as it was records none.
func (s *Server) Effects() []Effect { return s.core.Effects() }

func (l *lead) state() LeadState {
	st := LeadState{
		Code: l.code, Email: l.email, Name: l.data["Name"], Phone: l.data["Phone"],
		Data: map[string]string{}, DynamicFields: map[int]string{}, Score: l.score,
	}
	for k, v := range l.data {
		st.Data[k] = v
	}
	for k, v := range l.dyn {
		st.DynamicFields[k] = v
	}
	for t := range l.tags {
		st.Tags = append(st.Tags, t)
	}
	sort.Ints(st.Tags)
	for _, loc := range l.locs {
		st.Locations = append(st.Locations, loc)
	}
	sort.Slice(st.Locations, func(i, j int) bool { return st.Locations[i].Machine < st.Locations[j].Machine })
	return st
}

func key(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
