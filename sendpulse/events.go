package sendpulse

import (
	"context"
	"errors"
	"net/http"
	"strings"

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
	if err := checkSegment("Events.Send", "name", name); err != nil {
		return err
	}
	_, hasEmail := payload["email"]
	_, hasPhone := payload["phone"]
	if !hasEmail && !hasPhone {
		return argErr("Events.Send", "payload", "needs email or phone")
	}
	var personal []string
	for _, v := range payload {
		if s, ok := v.(string); ok {
			personal = append(personal, s)
		}
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/events/name/" + name, JSON: payload, Sensitive: personal}, nil)
}

func errEmpty(what string) error {
	return errors.New("sendpulse: response carried no " + what)
}

// checkSegment refuses a value that cannot stand as one path segment as it
// is. Values are not escaped: SendPulse's ids and event names never need
// it, and an escaped slash would be read as a separator by some proxies.
func checkSegment(method, arg, v string) error {
	if v == "" {
		return argErr(method, arg, "is required")
	}
	for _, r := range v {
		if r <= ' ' || r == 0x7f || strings.ContainsRune("/?#%\\", r) {
			return argErr(method, arg, "cannot be used in a URL path (spaces, /, ?, #, % or \\)")
		}
	}
	return nil
}
