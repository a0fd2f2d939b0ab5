package sendpulse

import (
	"context"
	"errors"
	"iter"
	"net/http"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// DealsService manages CRM deals.
type DealsService service

// DealStatus is a deal's outcome.
type DealStatus int

// Deal statuses as the CRM numbers them.
const (
	DealInactive     DealStatus = 0
	DealActive       DealStatus = 1
	DealUnsuccessful DealStatus = 2 // lost
	DealSuccessful   DealStatus = 3 // won
)

// Deal is a CRM deal.
type Deal struct {
	ID            int64            `json:"id"`
	PipelineID    int64            `json:"pipelineId"`
	StepID        int64            `json:"stepId"`
	Status        DealStatus       `json:"status"`
	ResponsibleID int64            `json:"responsibleId,omitempty"`
	Number        int64            `json:"number,omitempty"`
	Name          string           `json:"name"`
	Price         Number           `json:"price"`
	Currency      string           `json:"currency,omitempty"`
	SourceID      int64            `json:"sourceId,omitempty"`
	Order         int              `json:"order,omitempty"`
	Attributes    []AttributeValue `json:"attributes,omitempty"`
	CreatedAt     string           `json:"createdAt,omitempty"`
	UpdatedAt     string           `json:"updatedAt,omitempty"`
}

// Attribute returns the value of the attribute with id.
func (d *Deal) Attribute(id int64) (string, bool) {
	for _, a := range d.Attributes {
		if a.AttributeID == id {
			return string(a.Value), true
		}
	}
	return "", false
}

// DealAttribute is an attribute value sent with a new deal.
type DealAttribute struct {
	AttributeID int64  `json:"attributeId"`
	Value       string `json:"value"`
}

// DealCreate is the body of Create. PipelineID and StepID are required.
type DealCreate struct {
	PipelineID    int64           `json:"pipelineId"`
	StepID        int64           `json:"stepId"`
	ResponsibleID int64           `json:"responsibleId,omitempty"`
	Name          string          `json:"name,omitempty"` // at most 255 characters
	Price         float64         `json:"price"`
	Currency      string          `json:"currency,omitempty"`
	SourceID      int64           `json:"sourceId,omitempty"`
	Contacts      []int64         `json:"contact,omitempty"`
	Attributes    []DealAttribute `json:"attributes,omitempty"`
}

// DealUpdate is the body of Update. SendPulse overwrites every field with
// what is sent, and requires PipelineID, StepID, Status, Name and Price: build
// it from the current deal with (*Deal).UpdateRequest so nothing is lost.
type DealUpdate struct {
	PipelineID    int64      `json:"pipelineId"`
	StepID        int64      `json:"stepId"`
	Status        DealStatus `json:"status"`
	Name          string     `json:"name"`
	Price         float64    `json:"price"`
	Currency      string     `json:"currency,omitempty"`
	ResponsibleID int64      `json:"responsibleId,omitempty"`
	SourceID      int64      `json:"sourceId,omitempty"`
	Order         int        `json:"order,omitempty"`
}

// UpdateRequest returns an update that resends every field of d as it is.
func (d *Deal) UpdateRequest() *DealUpdate {
	return &DealUpdate{
		PipelineID: d.PipelineID, StepID: d.StepID, Status: d.Status, Name: d.Name,
		Price: float64(d.Price), Currency: d.Currency, ResponsibleID: d.ResponsibleID,
		SourceID: d.SourceID, Order: d.Order,
	}
}

func (s *DealsService) one(ctx context.Context, r httpx.Request) (*Deal, error) {
	var out envelope[*Deal]
	if err := s.c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	if out.Data == nil || out.Data.ID == 0 {
		return nil, errEmpty("deal")
	}
	return out.Data, nil
}

// Create creates a deal. It is not retried on 5xx or network errors, as a
// repeat could create a second deal: look the deal up (List) before
// creating it again.
//
// API: POST /crm/v1/deals
func (s *DealsService) Create(ctx context.Context, in *DealCreate) (*Deal, error) {
	if in == nil {
		return nil, argErr("Deals.Create", "deal", "is required")
	}
	if err := errors.Join(checkID("Deals.Create", "PipelineID", in.PipelineID), checkID("Deals.Create", "StepID", in.StepID)); err != nil {
		return nil, err
	}
	if len([]rune(in.Name)) > 255 {
		return nil, argErr("Deals.Create", "Name", "is longer than 255 characters")
	}
	return s.one(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals", JSON: in, Sensitive: []string{in.Name}})
}

// Get returns one deal.
//
// API: GET /crm/v1/deals/{dealId}
func (s *DealsService) Get(ctx context.Context, id int64) (*Deal, error) {
	if err := checkID("Deals.Get", "id", id); err != nil {
		return nil, err
	}
	return s.one(ctx, httpx.Request{Path: "/crm/v1/deals/" + itoa(id)})
}

// Update replaces a deal's fields with in (see DealUpdate). Sending the same
// values twice leaves the same deal, so it is retried on 5xx.
//
// API: PUT /crm/v1/deals/{dealId}
func (s *DealsService) Update(ctx context.Context, id int64, in *DealUpdate) (*Deal, error) {
	const m = "Deals.Update"
	if in == nil {
		return nil, argErr(m, "update", "is required (start from Deal.UpdateRequest)")
	}
	var nameErr error
	if in.Name == "" {
		nameErr = argErr(m, "Name", "is required (start from Deal.UpdateRequest)")
	}
	if err := errors.Join(checkID(m, "id", id), checkID(m, "PipelineID", in.PipelineID), checkID(m, "StepID", in.StepID), nameErr); err != nil {
		return nil, err
	}
	return s.one(ctx, httpx.Request{Method: http.MethodPut, Path: "/crm/v1/deals/" + itoa(id), JSON: in, Idempotent: true, Sensitive: []string{in.Name}})
}

// ChangePipeline moves a deal to a pipeline and step. Moving it where it
// already is changes nothing, so it is retried on 5xx.
//
// API: POST /crm/v1/deals/{dealId}/change-pipeline
func (s *DealsService) ChangePipeline(ctx context.Context, id, pipelineID, stepID int64) error {
	const m = "Deals.ChangePipeline"
	if err := errors.Join(checkID(m, "id", id), checkID(m, "pipelineID", pipelineID), checkID(m, "stepID", stepID)); err != nil {
		return err
	}
	body := struct {
		PipelineID int64 `json:"pipelineId"`
		StepID     int64 `json:"stepId"`
	}{pipelineID, stepID}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals/" + itoa(id) + "/change-pipeline", JSON: body, Idempotent: true}, nil)
}

// Delete deletes a deal.
//
// API: DELETE /crm/v1/deals/{dealId}
func (s *DealsService) Delete(ctx context.Context, id int64) error {
	if err := checkID("Deals.Delete", "id", id); err != nil {
		return err
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodDelete, Path: "/crm/v1/deals/" + itoa(id), Idempotent: true}, nil)
}

// LinkContact links a contact to a deal.
//
// API: POST /crm/v1/deals/{dealId}/contacts/{contactId}
func (s *DealsService) LinkContact(ctx context.Context, dealID, contactID int64) error {
	if err := errors.Join(checkID("Deals.LinkContact", "dealID", dealID), checkID("Deals.LinkContact", "contactID", contactID)); err != nil {
		return err
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals/" + itoa(dealID) + "/contacts/" + itoa(contactID), Idempotent: true}, nil)
}

// SetAttribute sets the value of an existing deal attribute.
//
// API: PUT /crm/v1/deals/{dealId}/attributes/{attributeId}
func (s *DealsService) SetAttribute(ctx context.Context, dealID, attributeID int64, value string) error {
	if err := errors.Join(checkID("Deals.SetAttribute", "dealID", dealID), checkID("Deals.SetAttribute", "attributeID", attributeID)); err != nil {
		return err
	}
	body := struct {
		Value string `json:"value"`
	}{value}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPut, Path: "/crm/v1/deals/" + itoa(dealID) + "/attributes/" + itoa(attributeID), JSON: body, Idempotent: true}, nil)
}

// DealListOptions filters List. Zero fields are not sent.
type DealListOptions struct {
	ListOptions         // Limit: SendPulse's default is 10
	Name        string  `json:"name,omitempty"`
	Email       string  `json:"email,omitempty"`
	Phone       string  `json:"phone,omitempty"`
	PipelineIDs []int64 `json:"pipelineIds,omitempty"`
}

// List searches deals and returns one page.
//
// API: POST /crm/v1/deals/get-list
func (s *DealsService) List(ctx context.Context, opts *DealListOptions) (*Page[Deal], error) {
	o := DealListOptions{}
	if opts != nil {
		o = *opts
	}
	var out struct {
		Data list[Deal] `json:"data"`
		Meta struct {
			Total int `json:"total"`
		} `json:"meta"`
	}
	// A search changes nothing, so it is retried like a GET.
	err := s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals/get-list", JSON: &o, Idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	return newPage(out.Data, out.Meta.Total, o.ListOptions, 10), nil
}

// All iterates over every deal matching opts, fetching pages as needed
// (opts.Limit per page, 50 when zero). It stops at the first error, which
// it yields.
func (s *DealsService) All(ctx context.Context, opts *DealListOptions) iter.Seq2[Deal, error] {
	o := DealListOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Limit <= 0 {
		o.Limit = 50
	}
	return allPages(ctx, &o, s.List)
}
