package leadlovers

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// LeadsService writes and reads leads, their place in machines and
// sequences, their score and their tags.
type LeadsService service

// Lead is the body of an insert, upsert or update. Email is the key of
// every lead operation. MachineCode, EmailSequenceCode and
// SequenceLevelCode say where the lead goes; they are required by Insert
// and Upsert and optional for Update.
type Lead struct {
	Email             string         `json:"Email" validate:"required,email,max=254"`
	Name              string         `json:"Name,omitempty" validate:"max=100"`
	Phone             string         `json:"Phone,omitempty" validate:"max=40"`
	MachineCode       int            `json:"MachineCode,omitempty" validate:"gte=0"`
	EmailSequenceCode int            `json:"EmailSequenceCode,omitempty" validate:"gte=0"`
	SequenceLevelCode int            `json:"SequenceLevelCode,omitempty" validate:"gte=0"`
	Company           string         `json:"Company,omitempty"`
	City              string         `json:"City,omitempty"`
	State             string         `json:"State,omitempty"`
	Photo             string         `json:"Photo,omitempty"`
	Gender            string         `json:"Gender,omitempty"`
	Birthday          string         `json:"Birthday,omitempty"` // YYYY-MM-DD
	Score             int            `json:"Score,omitempty"`
	Tag               int            `json:"Tag,omitempty" validate:"gte=0"` // one tag id, not a name
	Source            string         `json:"Source,omitempty"`
	Message           string         `json:"Message,omitempty"`
	Notes             string         `json:"Notes,omitempty"`
	DynamicFields     []DynamicField `json:"DynamicFields,omitempty" validate:"dive"`
}

// DynamicField is an account-specific custom field, addressed by the
// numeric id the account owner reads in leadlovers.
type DynamicField struct {
	ID    int    `json:"Id" validate:"gt=0"`
	Value string `json:"Value"`
}

// WriteResult is leadlovers' answer to a lead write. Code is the lead's
// code when leadlovers returns it (an upsert may; an insert never does).
type WriteResult struct {
	StatusCode BodyStatus `json:"StatusCode"`
	Message    string     `json:"Message"`
	Code       Code       `json:"Code"`
}

// LeadRecord is a lead as leadlovers returns it.
type LeadRecord struct {
	Code             Code   `json:"Code"`
	Email            string `json:"Email"`
	Name             string `json:"Name"`
	Phone            Text   `json:"Phone"`
	Birthday         Text   `json:"Birthday"`
	Photo            Text   `json:"Photo"`
	City             Text   `json:"City"`
	State            Text   `json:"State"`
	Company          Text   `json:"Company"`
	Gender           Text   `json:"Gender"`
	Score            Code   `json:"Score"`
	MachineCode      Text   `json:"MachineCode"` // may list several machines
	RegistrationDate Text   `json:"RegistrationDate"`
}

// UpdatedLead is the answer to Update: the lead after the change.
type UpdatedLead struct {
	LeadRecord
	Level             int        `json:"Level"`
	Status            Text       `json:"Status"`
	Tags              []Tag      `json:"Tags"`
	EmailSequenceCode Code       `json:"EmailSequenceCode"`
	SequenceLevelCode Code       `json:"SequenceLevelCode"`
	StatusCode        BodyStatus `json:"StatusCode"`
	Message           string     `json:"Message"`
}

func (l *Lead) checkPlaced(op string) error {
	if err := checkStruct(op, l); err != nil {
		return err
	}
	if err := requirePositive(op, "MachineCode", l.MachineCode); err != nil {
		return err
	}
	if err := requirePositive(op, "EmailSequenceCode", l.EmailSequenceCode); err != nil {
		return err
	}
	return requirePositive(op, "SequenceLevelCode", l.SequenceLevelCode)
}

// Insert queues a new lead into a machine, sequence and level.
//
// leadlovers only queues the lead ("Novo lead inserido na fila para
// processamento."): success does not mean the lead exists yet, and a Get or
// Update right after can fail until the queue catches up. Insert is a
// POST, so it is never repeated after a network error or a 5xx (the lead
// may have been queued). Prefer Upsert when a re-run must not duplicate
// anything.
//
// leadlovers API: POST /Lead (http://apill.azurewebsites.net/#operation/Lead_Post).
func (s *LeadsService) Insert(ctx context.Context, lead *Lead) (*WriteResult, error) {
	if lead == nil {
		return nil, &ArgumentError{Method: "Leads.Insert", Arg: "lead", Reason: "is required"}
	}
	if err := lead.checkPlaced("Leads.Insert"); err != nil {
		return nil, err
	}
	var r WriteResult
	if err := s.c.do(ctx, call{method: "POST", path: "Lead", body: lead, sensitive: lead.personal()}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Upsert creates the lead, or updates it when the e-mail is known, and puts
// it at the given machine, sequence and level. Repeating it leaves the same
// state, so it is retried after network errors and 5xx.
//
// leadlovers API: PUT /Lead (http://apill.azurewebsites.net/#operation/Lead_Put).
func (s *LeadsService) Upsert(ctx context.Context, lead *Lead) (*WriteResult, error) {
	if lead == nil {
		return nil, &ArgumentError{Method: "Leads.Upsert", Arg: "lead", Reason: "is required"}
	}
	if err := lead.checkPlaced("Leads.Upsert"); err != nil {
		return nil, err
	}
	var r WriteResult
	if err := s.c.do(ctx, call{method: "PUT", path: "Lead", body: lead, idempotent: true, sensitive: lead.personal()}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Update changes the data of an existing lead (found by Email); zero
// fields are left unchanged. It fails for a lead still in the insert queue.
//
// leadlovers API: PATCH /Lead.
func (s *LeadsService) Update(ctx context.Context, lead *Lead) (*UpdatedLead, error) {
	if lead == nil {
		return nil, &ArgumentError{Method: "Leads.Update", Arg: "lead", Reason: "is required"}
	}
	if err := checkStruct("Leads.Update", lead); err != nil {
		return nil, err
	}
	var r UpdatedLead
	if err := s.c.do(ctx, call{method: "PATCH", path: "Lead", body: lead, idempotent: true, sensitive: lead.personal()}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Get returns the lead with this e-mail. An unknown lead is an error for
// which IsNotFound is true.
//
// leadlovers API: GET /Lead.
func (s *LeadsService) Get(ctx context.Context, email string) (*LeadRecord, error) {
	if err := requireEmail("Leads.Get", email); err != nil {
		return nil, err
	}
	var r LeadRecord
	if err := s.c.do(ctx, call{method: "GET", path: "Lead", query: url.Values{"email": {email}}}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// LeadListOptions are the query parameters of GET /Leads.
type LeadListOptions struct {
	ListOptions
	StartDate time.Time `url:"startDate,omitempty,date"` // registration date range, inclusive days; zero = open
	EndDate   time.Time `url:"endDate,omitempty,date"`
}

// leadPage is GET /Leads as sent.
type leadPage struct {
	Data  []LeadRecord `json:"Data"`
	Links struct {
		Next *string `json:"Next"`
	} `json:"Links"`
}

// List returns one page of the account's leads.
//
// leadlovers API: GET /Leads.
func (s *LeadsService) List(ctx context.Context, opts *LeadListOptions) (*Page[LeadRecord], error) {
	o := LeadListOptions{}
	if opts != nil {
		o = *opts
	}
	o.Page = max(o.Page, 1)
	var p leadPage
	if err := s.c.do(ctx, call{method: "GET", path: "Leads", query: encodeQuery(&o)}, &p); err != nil {
		return nil, err
	}
	page := &Page[LeadRecord]{Items: p.Data}
	if len(p.Data) > 0 && p.Links.Next != nil && *p.Links.Next != "" {
		page.Next = &ListOptions{Page: o.Page + 1, PerPage: o.PerPage}
	}
	return page, nil
}

// All iterates over the account's leads, following leadlovers' next link.
// It stops at the first error, which it yields.
func (s *LeadsService) All(ctx context.Context, opts *LeadListOptions) iter.Seq2[LeadRecord, error] {
	return allPages(ctx, opts, s.List)
}

// History returns the sequence history of the account's leads, undecoded
// (leadlovers documents no shape).
//
// leadlovers API: GET /EmailSequence/GetLeadsHistory.
func (s *LeadsService) History(ctx context.Context, page, numRegisters int) (json.RawMessage, error) {
	q := url.Values{"page": {strconv.Itoa(max(page, 1))}}
	if numRegisters > 0 {
		q.Set("numRegisters", strconv.Itoa(numRegisters))
	}
	var raw json.RawMessage
	if err := s.c.do(ctx, call{method: "GET", path: "EmailSequence/GetLeadsHistory", query: q}, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// Location is one place (machine, sequence, level) a lead is in.
type Location struct {
	LeadCode     Code   `json:"LeadCode"`
	LeadEmail    string `json:"LeadEmail"`
	LeadName     string `json:"LeadName"`
	MachineCode  Code   `json:"MachineCode"`
	MachineName  string `json:"MachineName"`
	SequenceCode Code   `json:"SequenceCode"`
	SequenceName string `json:"SequenceName"`
	Level        int    `json:"Level"`
}

// Locations returns every machine and sequence the lead is in.
//
// leadlovers API: GET /LeadLocation.
func (s *LeadsService) Locations(ctx context.Context, email string) ([]Location, error) {
	if err := requireEmail("Leads.Locations", email); err != nil {
		return nil, err
	}
	var out struct {
		Items []Location `json:"Items"`
	}
	if err := s.c.do(ctx, call{method: "GET", path: "LeadLocation", query: url.Values{"email": {email}}}, &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// Move is the body of a move between sequences (funnels).
type Move struct {
	Email       string `json:"Email" validate:"required,email,max=254"`
	MachineFrom int    `json:"MachineFrom" validate:"gt=0"`
	FunnelFrom  int    `json:"FunnelFrom" validate:"gt=0"`
	MachineTo   int    `json:"MachineTo" validate:"gt=0"`
	FunnelTo    int    `json:"FunnelTo" validate:"gt=0"`
	Level       int    `json:"Level" validate:"gt=0"`
}

// Move moves a lead from one sequence to another and returns where the
// lead is afterwards. leadlovers' own tests only cover moves inside one
// machine; moves across machines are accepted by the API but unconfirmed.
//
// leadlovers API: PUT /LeadLocation.
func (s *LeadsService) Move(ctx context.Context, m *Move) ([]Location, error) {
	if m == nil {
		return nil, &ArgumentError{Method: "Leads.Move", Arg: "move", Reason: "is required"}
	}
	if err := checkStruct("Leads.Move", m); err != nil {
		return nil, err
	}
	var out struct {
		Items []Location `json:"Items"`
	}
	if err := s.c.do(ctx, call{method: "PUT", path: "LeadLocation", body: m, idempotent: true}, &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// Result is the envelope leadlovers answers most writes with.
type Result struct {
	StatusCode BodyStatus `json:"StatusCode"`
	Message    string     `json:"Message"`
}

// RemoveFromMachine asks leadlovers to remove the lead from a machine. The
// removal is asynchronous ("Solicitação de remoção de Lead enviada").
//
// leadlovers API: DELETE /Lead.
func (s *LeadsService) RemoveFromMachine(ctx context.Context, email string, machineCode int) (*Result, error) {
	if err := requireEmail("Leads.RemoveFromMachine", email); err != nil {
		return nil, err
	}
	if err := requirePositive("Leads.RemoveFromMachine", "machineCode", machineCode); err != nil {
		return nil, err
	}
	q := url.Values{"email": {email}, "machineCode": {strconv.Itoa(machineCode)}}
	return s.c.result(ctx, call{method: "DELETE", path: "Lead", query: q, idempotent: true})
}

// RemoveFromSequence removes the lead from one sequence (funnel) of a
// machine, leaving it in the machine.
//
// leadlovers API: DELETE /Lead/Funnel.
func (s *LeadsService) RemoveFromSequence(ctx context.Context, email string, machineCode, sequenceCode int) (*Result, error) {
	const op = "Leads.RemoveFromSequence"
	if err := requireEmail(op, email); err != nil {
		return nil, err
	}
	if err := requirePositive(op, "machineCode", machineCode); err != nil {
		return nil, err
	}
	if err := requirePositive(op, "sequenceCode", sequenceCode); err != nil {
		return nil, err
	}
	q := url.Values{"email": {email}, "machineCode": {strconv.Itoa(machineCode)}, "sequenceCode": {strconv.Itoa(sequenceCode)}}
	return s.c.result(ctx, call{method: "DELETE", path: "Lead/Funnel", query: q, idempotent: true})
}

type scoreBody struct {
	Email     string `json:"Email" validate:"required,email,max=254"`
	Score     int    `json:"Score"`
	Overwrite bool   `json:"Overwrite"`
}

// AddScore adds score points to the lead, or sets its score when overwrite
// is true. Adding is not idempotent, so it is not repeated after a network
// error or 5xx; setting is.
//
// leadlovers API: POST /Score.
func (s *LeadsService) AddScore(ctx context.Context, email string, score int, overwrite bool) (*Result, error) {
	b := &scoreBody{Email: email, Score: score, Overwrite: overwrite}
	if err := checkStruct("Leads.AddScore", b); err != nil {
		return nil, err
	}
	return s.c.result(ctx, call{method: "POST", path: "Score", body: b, idempotent: overwrite})
}

type tagBody struct {
	Email string `json:"Email" validate:"required,email,max=254"`
	Tag   int    `json:"Tag" validate:"gt=0"`
	Score int    `json:"Score"`
}

// AddTag tags the lead with a tag id of the account, adding score points
// with it (0 for none). Tagging twice leaves one tag, so it is retried.
//
// leadlovers API: POST /Tag.
func (s *LeadsService) AddTag(ctx context.Context, email string, tag, score int) (*Result, error) {
	b := &tagBody{Email: email, Tag: tag, Score: score}
	if err := checkStruct("Leads.AddTag", b); err != nil {
		return nil, err
	}
	return s.c.result(ctx, call{method: "POST", path: "Tag", body: b, idempotent: score == 0})
}

// RemoveTag removes a tag from the lead.
//
// leadlovers API: DELETE /Tag.
func (s *LeadsService) RemoveTag(ctx context.Context, email string, tag int) (*Result, error) {
	if err := requireEmail("Leads.RemoveTag", email); err != nil {
		return nil, err
	}
	if err := requirePositive("Leads.RemoveTag", "tag", tag); err != nil {
		return nil, err
	}
	q := url.Values{"email": {email}, "tag": {strconv.Itoa(tag)}}
	return s.c.result(ctx, call{method: "DELETE", path: "Tag", query: q, idempotent: true})
}

// Tags returns the tags of a lead, by lead code (LeadRecord.Code).
//
// leadlovers API: GET /Tag/Lead.
func (s *LeadsService) Tags(ctx context.Context, leadCode int) ([]Tag, error) {
	if err := requirePositive("Leads.Tags", "leadCode", leadCode); err != nil {
		return nil, err
	}
	var out struct {
		Tags []Tag `json:"Tags"`
	}
	q := url.Values{"leadCode": {strconv.Itoa(leadCode)}}
	if err := s.c.do(ctx, call{method: "GET", path: "Tag/Lead", query: q}, &out); err != nil {
		return nil, err
	}
	return out.Tags, nil
}

func (c *Client) result(ctx context.Context, r call) (*Result, error) {
	var res Result
	if err := c.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// personal lists the lead's personal values, scrubbed from any error a
// call carrying them returns (leadlovers may echo the name in a message).
func (l *Lead) personal() []string {
	return []string{l.Name, l.Email, l.Phone, l.Company}
}
