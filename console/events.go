package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/webhook"
)

const pageSize = 50

// allStates is the order the console shows states in.
var allStates = []webhook.EventState{
	webhook.StateQueued, webhook.StateRunning, webhook.StateRetrying,
	webhook.StateDone, webhook.StateDead, webhook.StateStale,
}

// flashes are the only notices a redirect may ask a page to show, so a
// crafted link cannot put words on the page.
var flashes = map[string]string{
	"replayed":   "Replayed: the event is queued again.",
	"replayed-n": "Replayed the selected events.",
	"none":       "Nothing was selected.",
	"toggled":    "Switched.",
	"saved":      "Saved. It applies from the next event on.",
	"deleted":    "Deleted.",
}

func flash(r *http.Request) string { return flashes[r.URL.Query().Get("done")] }

type eventsData struct {
	// Accounts are the receiver's accounts (several-accounts mode), for the
	// selector; empty for a single account.
	Accounts []string
	HasLog   bool
	Events   []webhook.EventRecord
	States   []webhook.EventState
	Filter   webhook.EventQuery
	Email    string       // the filter as typed, echoed back into its input only
	Older    template.URL // link to the next page, "" on the last
	Dead     bool
}

func (c *Console) eventList(w http.ResponseWriter, r *http.Request, s *session) {
	q := r.URL.Query()
	f := webhook.EventQuery{
		State:       webhook.EventState(strings.TrimSpace(q.Get("state"))),
		Type:        hotmart.EventType(strings.TrimSpace(q.Get("type"))),
		Transaction: strings.TrimSpace(q.Get("transaction")),
		Email:       strings.TrimSpace(q.Get("email")),
		Account:     strings.TrimSpace(q.Get("account")),
		Limit:       pageSize + 1,
	}
	if b := q.Get("before"); b != "" {
		t, err := time.Parse(time.RFC3339Nano, b)
		if err != nil {
			c.failure(w, r, s, http.StatusBadRequest, "before must be an RFC 3339 time", nil)
			return
		}
		f.Before = t
	}
	d := eventsData{Accounts: c.accounts, HasLog: c.events != nil, States: allStates, Filter: f, Email: f.Email}
	if c.events != nil {
		evs, err := c.events.Events(r.Context(), f)
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the event log is unavailable", err)
			return
		}
		if len(evs) > pageSize {
			evs = evs[:pageSize]
			next := url.Values{}
			for k, v := range map[string]string{"state": string(f.State), "type": string(f.Type), "transaction": f.Transaction, "email": f.Email, "account": f.Account} {
				if v != "" {
					next.Set(k, v)
				}
			}
			next.Set("before", evs[len(evs)-1].ReceivedAt.UTC().Format(time.RFC3339Nano))
			// Built here from encoded parts, so it is safe as a whole URL;
			// the template would otherwise escape its & and %.
			d.Older = template.URL(c.prefix + "/events?" + next.Encode())
		}
		d.Events = evs
	}
	c.render(w, r, http.StatusOK, "events", page{Title: "Events", Nav: "events", CSRF: s.csrf, Flash: flash(r), Data: d})
}

func (c *Console) deadList(w http.ResponseWriter, r *http.Request, s *session) {
	d := eventsData{HasLog: c.events != nil, Dead: true}
	if c.events != nil {
		evs, err := c.events.Events(r.Context(), webhook.EventQuery{State: webhook.StateDead, Limit: 500})
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the event log is unavailable", err)
			return
		}
		d.Events = evs
	}
	c.render(w, r, http.StatusOK, "dead", page{Title: "Dead events", Nav: "dead", CSRF: s.csrf, Flash: flash(r), Data: d})
}

type buyerView struct {
	Email, Name, Phone, Document string
}

type detailData struct {
	Event      webhook.EventRecord
	Revealed   bool
	Buyer      buyerView
	Payload    string
	Deliveries []webhook.Delivery
	HasHistory bool
}

func (c *Console) eventDetail(w http.ResponseWriter, r *http.Request, s *session) {
	if c.events == nil {
		c.failure(w, r, s, http.StatusNotFound, "no event log is configured", nil)
		return
	}
	id := r.PathValue("id")
	rec, err := c.events.Event(r.Context(), id)
	if errors.Is(err, webhook.ErrEventNotFound) {
		c.failure(w, r, s, http.StatusNotFound, "no event with that id", nil)
		return
	}
	if err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the event log is unavailable", err)
		return
	}
	reveal := r.URL.Query().Get("reveal") == "1"
	if reveal {
		c.action(r, s, "reveal", slog.String("event_id", rec.EventID))
	}
	d := detailData{Event: rec, Revealed: reveal, Payload: maskPayload(rec.Payload, reveal), HasHistory: c.history != nil}
	if ev := rebuild(rec); ev != nil {
		b := ev.Buyer()
		d.Buyer = buyerView{Email: b.Email, Name: b.Name, Phone: b.Phone.String(), Document: b.Document}
	}
	if d.Buyer.Email == "" {
		d.Buyer.Email = rec.BuyerEmail
	}
	if !reveal {
		d.Buyer = buyerView{Email: maskEmail(d.Buyer.Email), Name: maskText(d.Buyer.Name),
			Phone: maskDigits(d.Buyer.Phone), Document: maskDigits(d.Buyer.Document)}
	}
	if c.history != nil {
		ds, err := c.history.Deliveries(r.Context(), webhook.Query{EventID: rec.EventID, Limit: 100})
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the delivery history is unavailable", err)
			return
		}
		d.Deliveries = ds
	}
	c.render(w, r, http.StatusOK, "event", page{Title: "Event " + rec.EventID, Nav: "events", CSRF: s.csrf, Flash: flash(r), Data: d})
}

// rebuild turns a stored record back into an event (for the buyer view and
// Explain); nil when the payload does not decode.
func rebuild(rec webhook.EventRecord) *hotmart.Event {
	data := rec.Payload
	if len(data) == 0 {
		data = json.RawMessage("null")
	}
	env, err := json.Marshal(map[string]any{
		"id": rec.EventID, "event": string(rec.Event), "version": "2.0.0",
		"creation_date": rec.CreatedAt.UnixMilli(), "data": data,
	})
	if err != nil {
		return nil
	}
	ev, err := hotmart.ParseEvent(env)
	if err != nil {
		return nil
	}
	return ev
}

func (c *Console) replay(w http.ResponseWriter, r *http.Request, s *session) {
	if c.events == nil {
		c.failure(w, r, s, http.StatusNotFound, "no event log is configured", nil)
		return
	}
	id := r.PathValue("id")
	if err := c.replayOne(r.Context(), id); err != nil {
		if errors.Is(err, webhook.ErrEventNotFound) {
			c.failure(w, r, s, http.StatusNotFound, "no event with that id", nil)
			return
		}
		c.failure(w, r, s, http.StatusServiceUnavailable, "the replay failed", err)
		return
	}
	c.action(r, s, "replay", slog.String("event_id", id))
	http.Redirect(w, r, c.prefix+"/events/"+url.PathEscape(id)+"?done=replayed", http.StatusSeeOther)
}

func (c *Console) replayOne(ctx context.Context, id string) error {
	_, err := c.events.Replay(ctx, id)
	return err
}

// replayDead replays the event of the row's own button ("one"), or every
// checked one ("id").
func (c *Console) replayDead(w http.ResponseWriter, r *http.Request, s *session) {
	if c.events == nil {
		c.failure(w, r, s, http.StatusNotFound, "no event log is configured", nil)
		return
	}
	ids := r.PostForm["id"]
	if one := r.PostForm.Get("one"); one != "" {
		ids = []string{one}
	}
	if len(ids) == 0 {
		http.Redirect(w, r, c.prefix+"/dead?done=none", http.StatusSeeOther)
		return
	}
	if len(ids) > 500 {
		c.failure(w, r, s, http.StatusBadRequest, "select at most 500 events at a time", nil)
		return
	}
	var failed int
	for _, id := range ids {
		if err := c.replayOne(r.Context(), id); err != nil {
			failed++
			c.log.LogAttrs(r.Context(), slog.LevelWarn, "console: replay failed", slog.String("event_id", id), slog.String("error", err.Error()))
			continue
		}
		c.action(r, s, "replay", slog.String("event_id", id))
	}
	if failed > 0 {
		c.failure(w, r, s, http.StatusServiceUnavailable, fmt.Sprintf("%d of %d replays failed", failed, len(ids)), nil)
		return
	}
	http.Redirect(w, r, c.prefix+"/dead?done=replayed-n", http.StatusSeeOther)
}
