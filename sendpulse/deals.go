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
	if in == nil || in.PipelineID == 0 || in.StepID == 0 {
		return nil, errors.New("sendpulse: Deals.Create: pipelineId and stepId are required")
	}
	if len([]rune(in.Name)) > 255 {
		return nil, errors.New("sendpulse: Deals.Create: name longer than 255 characters")
	}
	return s.one(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals", JSON: in})
}

// Get returns one deal.
//
// API: GET /crm/v1/deals/{dealId}
func (s *DealsService) Get(ctx context.Context, id int64) (*Deal, error) {
	return s.one(ctx, httpx.Request{Path: "/crm/v1/deals/" + itoa(id)})
}

// Update replaces a deal's fields with in (see DealUpdate). Sending the same
// values twice leaves the same deal, so it is retried on 5xx.
//
// API: PUT /crm/v1/deals/{dealId}
func (s *DealsService) Update(ctx context.Context, id int64, in *DealUpdate) (*Deal, error) {
	if in == nil || in.PipelineID == 0 || in.StepID == 0 || in.Name == "" {
		return nil, errors.New("sendpulse: Deals.Update: pipelineId, stepId and name are required (start from Deal.UpdateRequest)")
	}
	return s.one(ctx, httpx.Request{Method: http.MethodPut, Path: "/crm/v1/deals/" + itoa(id), JSON: in, Idempotent: true})
}

// Edit reads a deal, lets change modify the full update built from it, and
// writes it back: the safe way to change one field.
func (s *DealsService) Edit(ctx context.Context, id int64, change func(*DealUpdate)) (*Deal, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	u := d.UpdateRequest()
	change(u)
	return s.Update(ctx, id, u)
}

// ChangePipeline moves a deal to a pipeline and step. Moving it where it
// already is changes nothing, so it is retried on 5xx.
//
// API: POST /crm/v1/deals/{dealId}/change-pipeline
func (s *DealsService) ChangePipeline(ctx context.Context, id, pipelineID, stepID int64) error {
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
	return s.c.do(ctx, httpx.Request{Method: http.MethodDelete, Path: "/crm/v1/deals/" + itoa(id), Idempotent: true}, nil)
}

// LinkContact links a contact to a deal.
//
// API: POST /crm/v1/deals/{dealId}/contacts/{contactId}
func (s *DealsService) LinkContact(ctx context.Context, dealID, contactID int64) error {
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals/" + itoa(dealID) + "/contacts/" + itoa(contactID), Idempotent: true}, nil)
}

// SetAttribute sets the value of an existing deal attribute.
//
// API: PUT /crm/v1/deals/{dealId}/attributes/{attributeId}
func (s *DealsService) SetAttribute(ctx context.Context, dealID, attributeID int64, value string) error {
	body := struct {
		Value string `json:"value"`
	}{value}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPut, Path: "/crm/v1/deals/" + itoa(dealID) + "/attributes/" + itoa(attributeID), JSON: body, Idempotent: true}, nil)
}

// DealListOptions filters List. Zero fields are not sent.
type DealListOptions struct {
	Limit       int     `json:"limit,omitempty"` // SendPulse's default is 10
	Offset      int     `json:"offset,omitempty"`
	Name        string  `json:"name,omitempty"`
	Email       string  `json:"email,omitempty"`
	Phone       string  `json:"phone,omitempty"`
	PipelineIDs []int64 `json:"pipelineIds,omitempty"`
}

// List searches deals and returns one page with the total count.
//
// API: POST /crm/v1/deals/get-list
func (s *DealsService) List(ctx context.Context, opts *DealListOptions) ([]Deal, int, error) {
	if opts == nil {
		opts = &DealListOptions{}
	}
	var out struct {
		Data list[Deal] `json:"data"`
		Meta struct {
			Total int `json:"total"`
		} `json:"meta"`
	}
	err := s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/deals/get-list", JSON: opts, Idempotent: true}, &out)
	if err != nil {
		return nil, 0, err
	}
	return out.Data, out.Meta.Total, nil
}

// All iterates over every deal matching opts, fetching pages as needed
// (opts.Limit per page, 50 when zero). It stops at the first error, which
// it yields.
func (s *DealsService) All(ctx context.Context, opts *DealListOptions) iter.Seq2[Deal, error] {
	return func(yield func(Deal, error) bool) {
		o := DealListOptions{}
		if opts != nil {
			o = *opts
		}
		if o.Limit <= 0 {
			o.Limit = 50
		}
		for {
			page, total, err := s.List(ctx, &o)
			if err != nil {
				yield(Deal{}, err)
				return
			}
			for _, d := range page {
				if !yield(d, nil) {
					return
				}
			}
			o.Offset += len(page)
			if len(page) < o.Limit || (total > 0 && o.Offset >= total) {
				return
			}
		}
	}
}
