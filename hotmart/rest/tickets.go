package rest

import (
	"context"
	"encoding/json"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"iter"
	"net/url"
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

// ParticipantsOptions are the query parameters of GET /{event_id}/participants.
type ParticipantsOptions struct {
	ListOptions
	BuyerEmail       string
	ParticipantEmail string
	LastUpdate       time.Time
	LotID            string // id_lot
	TicketStatus     string // SOLD, INVITE, …
	TicketType       string // PAID, FREE, ALL
	CheckinStatus    string // PENDING, PARTIAL, CONCLUDED, ALL
	TicketID         string // id_eticket
	TicketQRCode     string
}

func (o *ParticipantsOptions) values() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	o.ListOptions.encode(q)
	setStr(q, "buyer_email", o.BuyerEmail)
	setStr(q, "participant_email", o.ParticipantEmail)
	setTime(q, "last_update", o.LastUpdate)
	setStr(q, "id_lot", o.LotID)
	setStr(q, "ticket_status", o.TicketStatus)
	setStr(q, "ticket_type", o.TicketType)
	setStr(q, "checkin_status", o.CheckinStatus)
	setStr(q, "id_eticket", o.TicketID)
	setStr(q, "ticket_qr_code", o.TicketQRCode)
	return q
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
func (s *TicketsService) Participants(ctx context.Context, eventID string, opts *ParticipantsOptions) (*Page[Participant], error) {
	if eventID == "" {
		return nil, errEmpty("Tickets.Participants", "event id")
	}
	return getPage[Participant](ctx, s.c, "/events/api/v1/"+pathEscape(eventID)+"/participants", opts.values())
}

// AllParticipants iterates over every participant of an event.
func (s *TicketsService) AllParticipants(ctx context.Context, eventID string, opts *ParticipantsOptions) iter.Seq2[Participant, error] {
	return paginate(ctx, opts, func(ctx context.Context, o *ParticipantsOptions) (*Page[Participant], error) {
		return s.Participants(ctx, eventID, o)
	})
}
