package leadlovers

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
	"strconv"
)

// MachinesService reads the account's machines ("máquinas"), the
// containers leads are captured into.
type MachinesService service

// Machine is one machine of the account.
type Machine struct {
	MachineCode  Code   `json:"MachineCode"`
	MachineName  string `json:"MachineName"`
	MachineImage string `json:"MachineImage,omitempty"`
	MachineType  Text   `json:"MachineType,omitempty"` // only in Get
	Views        Code   `json:"Views,omitempty"`
	Leads        Code   `json:"Leads,omitempty"`
}

// MachineListOptions are the query parameters of GET /Machines.
type MachineListOptions struct {
	ListOptions
	Details bool   `url:"details,omitempty,int"` // ask for the detailed listing
	Types   string `url:"types,omitempty"`       // machine type filter, passed through as sent
}

// machinePage is GET /Machines as sent.
type machinePage struct {
	Items       []Machine `json:"Items"`
	CurrentPage int       `json:"CurrentPage"`
	Registers   int       `json:"Registers"`
}

// List returns one page of machines.
//
// leadlovers API: GET /Machines (http://apill.azurewebsites.net/#operation/Machines_Get).
func (s *MachinesService) List(ctx context.Context, opts *MachineListOptions) (*Page[Machine], error) {
	o := MachineListOptions{}
	if opts != nil {
		o = *opts
	}
	o.Page = max(o.Page, 1)
	var p machinePage
	if err := s.c.do(ctx, call{method: "GET", path: "Machines", query: encodeQuery(&o)}, &p); err != nil {
		return nil, err
	}
	size := o.PerPage
	if size <= 0 {
		size = max(p.Registers, 1)
	}
	page := &Page[Machine]{Items: p.Items}
	// leadlovers sends no total and no next link here: a full page means
	// another may follow.
	if len(p.Items) >= size {
		page.Next = &ListOptions{Page: o.Page + 1, PerPage: o.PerPage}
	}
	return page, nil
}

// All iterates over every machine, page after page, starting at
// opts.Page. It stops at the first error, which it yields.
func (s *MachinesService) All(ctx context.Context, opts *MachineListOptions) iter.Seq2[Machine, error] {
	return allPages(ctx, opts, s.List)
}

// Get returns one machine.
//
// leadlovers API: GET /Machines/{machineCode}.
func (s *MachinesService) Get(ctx context.Context, machineCode int) (*Machine, error) {
	if err := requirePositive("Machines.Get", "machineCode", machineCode); err != nil {
		return nil, err
	}
	var m Machine
	if err := s.c.do(ctx, call{method: "GET", path: "Machines/" + strconv.Itoa(machineCode)}, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// Forms returns the capture forms of a machine, undecoded (leadlovers
// documents no shape for them).
//
// leadlovers API: GET /Forms.
func (s *MachinesService) Forms(ctx context.Context, machineCode int) ([]json.RawMessage, error) {
	return s.items(ctx, "Machines.Forms", "Forms", machineCode)
}

// Pages returns the landing pages of a machine, undecoded.
//
// leadlovers API: GET /Pages.
func (s *MachinesService) Pages(ctx context.Context, machineCode int) ([]json.RawMessage, error) {
	return s.items(ctx, "Machines.Pages", "Pages", machineCode)
}

func (s *MachinesService) items(ctx context.Context, op, path string, machineCode int) ([]json.RawMessage, error) {
	if err := requirePositive(op, "machineCode", machineCode); err != nil {
		return nil, err
	}
	var out struct {
		Items []json.RawMessage `json:"Items"`
	}
	q := url.Values{"machineCode": {strconv.Itoa(machineCode)}}
	if err := s.c.do(ctx, call{method: "GET", path: path, query: q}, &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// SequencesService reads the e-mail sequences ("funis") of a machine.
type SequencesService service

// Sequence is one e-mail sequence (funnel) of a machine.
type Sequence struct {
	SequenceCode Code   `json:"SequenceCode"`
	SequenceName string `json:"SequenceName"`
}

// List returns the e-mail sequences of a machine. An unknown machine is an
// *APIError (leadlovers answers 400 "Código da Máquina inválido").
//
// leadlovers API: GET /EmailSequences (http://apill.azurewebsites.net/#operation/EmailSequences_Get).
func (s *SequencesService) List(ctx context.Context, machineCode int) ([]Sequence, error) {
	if err := requirePositive("Sequences.List", "machineCode", machineCode); err != nil {
		return nil, err
	}
	var out struct {
		Items []Sequence `json:"Items"`
	}
	q := url.Values{"machineCode": {strconv.Itoa(machineCode)}}
	if err := s.c.do(ctx, call{method: "GET", path: "EmailSequences", query: q}, &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// LevelsService reads the levels (e-mails, in order) of a sequence.
type LevelsService service

// Level is one step of an e-mail sequence. Sequence is the value to send
// as a lead's SequenceLevelCode (1 is usually the first e-mail).
type Level struct {
	ModelCode Code   `json:"ModelCode"`
	Sequence  int    `json:"Sequence"`
	Subject   string `json:"Subject"`
}

// List returns the levels of one sequence of a machine.
//
// leadlovers API: GET /Levels.
func (s *LevelsService) List(ctx context.Context, machineCode, sequenceCode int) ([]Level, error) {
	if err := requirePositive("Levels.List", "machineCode", machineCode); err != nil {
		return nil, err
	}
	if err := requirePositive("Levels.List", "sequenceCode", sequenceCode); err != nil {
		return nil, err
	}
	var out struct {
		Items []Level `json:"Items"`
	}
	q := url.Values{"machineCode": {strconv.Itoa(machineCode)}, "sequenceCode": {strconv.Itoa(sequenceCode)}}
	if err := s.c.do(ctx, call{method: "GET", path: "Levels", query: q}, &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}
