package sendpulse

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// EventsService starts Automation 360 flows.
type EventsService service

// Send posts an event to the Automation 360 event named name. payload must
// carry "email" or "phone" (as strings) plus any variables the flow uses.
// It is not retried on 5xx: a repeat could start the flow twice.
//
// API: POST /events/name/{eventName}
func (s *EventsService) Send(ctx context.Context, name string, payload map[string]any) error {
	if name == "" {
		return errors.New("sendpulse: Events.Send: empty event name")
	}
	_, hasEmail := payload["email"]
	_, hasPhone := payload["phone"]
	if !hasEmail && !hasPhone {
		return errors.New("sendpulse: Events.Send: payload needs email or phone")
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/events/name/" + url.PathEscape(name), JSON: payload}, nil)
}

func errEmpty(what string) error {
	return errors.New("sendpulse: response carried no " + what)
}
