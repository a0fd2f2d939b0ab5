package leadlovers

import (
	"context"
	"net/url"
	"strings"
)

// RestHooksService subscribes URLs to leadlovers' webhooks (REST hooks).
// The only event known is a new lead ("new_lead_event").
type RestHooksService service

// EventNewLead is the event leadlovers pushes when a lead is captured.
const EventNewLead = "new_lead_event"

type hookBody struct {
	TargetURL string `json:"Target_url" validate:"required,http_url"`
	Event     string `json:"Event" validate:"required"`
}

// Subscribe asks leadlovers to POST event (EventNewLead) to targetURL and
// returns the subscription id. appName identifies the integration in
// leadlovers.
//
// leadlovers API: POST /RestHook.
func (s *RestHooksService) Subscribe(ctx context.Context, appName, targetURL, event string) (Code, error) {
	appName = strings.TrimSpace(appName)
	if appName == "" {
		return 0, &ArgumentError{Method: "RestHooks.Subscribe", Arg: "applicationName", Reason: "is required"}
	}
	if event == "" {
		event = EventNewLead
	}
	b := &hookBody{TargetURL: targetURL, Event: event}
	if err := checkStruct("RestHooks.Subscribe", b); err != nil {
		return 0, err
	}
	var out struct {
		ID Code `json:"Id"`
	}
	q := url.Values{"applicationName": {appName}}
	if err := s.c.do(ctx, call{method: "POST", path: "RestHook", query: q, body: b}, &out); err != nil {
		return 0, err
	}
	return out.ID, nil
}

// Unsubscribe removes a subscription by id.
//
// leadlovers API: DELETE /RestHook.
func (s *RestHooksService) Unsubscribe(ctx context.Context, id Code) error {
	if err := requirePositive("RestHooks.Unsubscribe", "Id", int(id)); err != nil {
		return err
	}
	body := struct {
		ID Code `json:"Id"`
	}{id}
	return s.c.do(ctx, call{method: "DELETE", path: "RestHook", body: body, idempotent: true}, nil)
}
