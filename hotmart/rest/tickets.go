package rest

import (
	"context"
	"encoding/json"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
	"time"
)

// TicketsService reads the event-tickets API (/events/api/v1): a Hotmart
// "event" here is a ticketed online or in-person event sold as a product,
// not a webhook event.
type TicketsService service

// EventInfo describes a ticketed event. Product and lots are kept raw:
// Hotmart has not documented their fields.
type EventInfo struct {
	Product        json.RawMessage   `json:"product"`
	StartEventDate hotmart.Time      `json:"start_event_date"`
	EndEventDate   hotmart.Time      `json:"end_event_date"`
	Lots           []json.RawMessage `json:"lots"`
}

// Participant is one ticket holder, kept raw (the item shape is not
// documented). Decode it into your own struct.
type Participant = json.RawMessage

// ParticipantListOptions are the query parameters of GET /{event_id}/participants.
type ParticipantListOptions struct {
	ListOptions
	BuyerEmail       string    `url:"buyer_email,omitempty"`
	ParticipantEmail string    `url:"participant_email,omitempty"`
	LastUpdate       time.Time `url:"last_update,omitempty,epochms"`
	LotID            string    `url:"id_lot,omitempty"`         // id_lot
	TicketStatus     string    `url:"ticket_status,omitempty"`  // SOLD, INVITE, …
	TicketType       string    `url:"ticket_type,omitempty"`    // PAID, FREE, ALL
	CheckinStatus    string    `url:"checkin_status,omitempty"` // PENDING, PARTIAL, CONCLUDED, ALL
	TicketID         string    `url:"id_eticket,omitempty"`     // id_eticket
	TicketQRCode     string    `url:"ticket_qr_code,omitempty"`
}

// Info returns an event's dates, product and lots.
func (s *TicketsService) Info(ctx context.Context, eventID string) (*EventInfo, error) {
	if eventID == "" {
		return nil, errEmpty("Tickets.Info", "event id")
	}
	var out EventInfo
	if err := s.c.get(ctx, "/events/api/v1/"+pathEscape(eventID)+"/info", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Participants returns one page of an event's participants.
func (s *TicketsService) Participants(ctx context.Context, eventID string, opts *ParticipantListOptions) (*Page[Participant], error) {
	if eventID == "" {
		return nil, errEmpty("Tickets.Participants", "event id")
	}
	return getPage[Participant](ctx, s.c, "/events/api/v1/"+pathEscape(eventID)+"/participants", opts)
}

// AllParticipants iterates over every participant of an event.
func (s *TicketsService) AllParticipants(ctx context.Context, eventID string, opts *ParticipantListOptions) iter.Seq2[Participant, error] {
	return paginate(ctx, opts, func(ctx context.Context, o *ParticipantListOptions) (*Page[Participant], error) {
		return s.Participants(ctx, eventID, o)
	})
}
