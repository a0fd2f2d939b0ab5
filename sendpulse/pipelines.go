package sendpulse

import (
	"context"
	"net/http"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// PipelinesService reads CRM pipelines and their steps (stages).
type PipelinesService service

// Pipeline is a CRM sales pipeline with its steps.
type Pipeline struct {
	ID       int64     `json:"id"`
	UserID   int64     `json:"userId,omitempty"`
	Name     string    `json:"name"`
	Status   int       `json:"status,omitempty"`
	Order    int       `json:"order,omitempty"`
	Steps    []Step    `json:"steps,omitempty"`
	Settings []Setting `json:"settings,omitempty"`
}

// FirstStep returns the step with the lowest order, which SendPulse shows
// first: where a deal goes when no step is chosen.
func (p *Pipeline) FirstStep() (Step, bool) {
	if len(p.Steps) == 0 {
		return Step{}, false
	}
	first := p.Steps[0]
	for _, s := range p.Steps[1:] {
		if s.Order < first.Order {
			first = s
		}
	}
	return first, true
}

// HasStep reports whether id is one of p's steps.
func (p *Pipeline) HasStep(id int64) bool {
	for _, s := range p.Steps {
		if s.ID == id {
			return true
		}
	}
	return false
}

// Step is one stage of a pipeline.
type Step struct {
	ID         int64  `json:"id"`
	PipelineID int64  `json:"pipelineId,omitempty"`
	Name       string `json:"name"`
	Order      int    `json:"order,omitempty"`
	Status     int    `json:"status,omitempty"`
	Color      string `json:"color,omitempty"`
}

// Setting is a pipeline setting (currency, responsible, …).
type Setting struct {
	Name  string `json:"name"`
	Value Text   `json:"value"`
}

// AttributeDef is a custom field defined on a pipeline's deals or on
// contacts.
type AttributeDef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Type int    `json:"type"` // 0 text, 1 number, 2 date, 3 link, 4 select, 5 multiselect
}

// Attribute types.
const (
	AttributeText   = 0
	AttributeNumber = 1
	AttributeDate   = 2
)

// List returns every pipeline with its steps.
//
// API: GET /crm/v1/pipelines
func (s *PipelinesService) List(ctx context.Context) ([]Pipeline, error) {
	var out envelope[list[Pipeline]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/pipelines"}, &out)
	return out.Data, err
}

// Get returns one pipeline.
//
// API: GET /crm/v1/pipelines/{pipelineId}
func (s *PipelinesService) Get(ctx context.Context, id int64) (*Pipeline, error) {
	if err := checkID("Pipelines.Get", "id", id); err != nil {
		return nil, err
	}
	var out envelope[*Pipeline]
	if err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/pipelines/" + itoa(id)}, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, errEmpty("pipeline")
	}
	return out.Data, nil
}

// Steps lists a pipeline's steps.
//
// API: GET /crm/v1/pipelines/{pipelineId}/steps
func (s *PipelinesService) Steps(ctx context.Context, pipelineID int64) ([]Step, error) {
	if err := checkID("Pipelines.Steps", "pipelineID", pipelineID); err != nil {
		return nil, err
	}
	var out envelope[list[Step]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/pipelines/" + itoa(pipelineID) + "/steps"}, &out)
	return out.Data, err
}

// Attributes lists the deal attributes defined on a pipeline.
//
// API: GET /crm/v1/pipelines/{pipelineId}/attributes
func (s *PipelinesService) Attributes(ctx context.Context, pipelineID int64) ([]AttributeDef, error) {
	if err := checkID("Pipelines.Attributes", "pipelineID", pipelineID); err != nil {
		return nil, err
	}
	var out envelope[list[AttributeDef]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/pipelines/" + itoa(pipelineID) + "/attributes"}, &out)
	return out.Data, err
}

// CreateAttribute defines a deal attribute on a pipeline.
//
// API: POST /crm/v1/pipelines/{pipelineId}/attributes
func (s *PipelinesService) CreateAttribute(ctx context.Context, pipelineID int64, name string, typ int) (*AttributeDef, error) {
	if err := checkID("Pipelines.CreateAttribute", "pipelineID", pipelineID); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, argErr("Pipelines.CreateAttribute", "name", "is required")
	}
	var out envelope[*AttributeDef]
	err := s.c.do(ctx, httpx.Request{
		Method: http.MethodPost,
		Path:   "/crm/v1/pipelines/" + itoa(pipelineID) + "/attributes",
		JSON:   AttributeDef{Name: name, Type: typ},
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, errEmpty("attribute")
	}
	return out.Data, nil
}
