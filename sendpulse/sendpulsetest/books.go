package sendpulsetest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
)

func (s *Server) listBooks(w http.ResponseWriter, r *http.Request) {
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	if limit <= 0 {
		limit = 100
	}
	out := []map[string]any{}
	for i := offset; i >= 0 && i < len(s.st.books) && i < offset+limit; i++ {
		b := s.st.books[i]
		active := 0
		for _, sub := range b.Subscribers {
			if !sub.Unsubscribed {
				active++
			}
		}
		out = append(out, map[string]any{"id": b.ID, "name": b.Name, "all_email_qty": len(b.Subscribers),
			"active_email_qty": active, "inactive_email_qty": len(b.Subscribers) - active,
			"creationdate": "2025-01-02 03:04:05", "status": 0, "status_explain": "Active"})
	}
	writeJSON(w, 200, out)
}

func (s *Server) bookOf(w http.ResponseWriter, r *http.Request) *Book {
	id, e := pathID(r, "id")
	if e != nil {
		fail(w, e)
		return nil
	}
	b := s.st.book(id)
	if b == nil {
		writeError(w, http.StatusNotFound, "Book not found", 213)
	}
	return b
}

// emailItems reads "emails" as strings or {email, variables} objects, as
// SendPulse accepts both.
func emailItems(w http.ResponseWriter, r *http.Request) ([]Subscriber, bool) {
	var in struct {
		Emails *[]json.RawMessage `json:"emails"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return nil, false
	}
	if in.Emails == nil {
		writeError(w, http.StatusUnprocessableEntity, "Argument emails missing", 422)
		return nil, false
	}
	if len(*in.Emails) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "No emails", 303)
		return nil, false
	}
	out := make([]Subscriber, 0, len(*in.Emails))
	for _, raw := range *in.Emails {
		var sub Subscriber
		var plain string
		if json.Unmarshal(raw, &plain) == nil {
			sub.Email = plain
		} else {
			var obj struct {
				Email     string            `json:"email"`
				Variables map[string]string `json:"variables"`
			}
			if json.Unmarshal(raw, &obj) != nil {
				writeError(w, http.StatusUnprocessableEntity, "Argument emails must be array", 422)
				return nil, false
			}
			sub.Email, sub.Variables = obj.Email, obj.Variables
		}
		if !strings.Contains(sub.Email, "@") {
			writeError(w, http.StatusUnprocessableEntity, "Argument email is invalid", 422)
			return nil, false
		}
		out = append(out, sub)
	}
	return out, true
}

func (s *Server) addEmails(w http.ResponseWriter, r *http.Request) {
	b := s.bookOf(w, r)
	if b == nil {
		return
	}
	subs, ok := emailItems(w, r)
	if !ok {
		return
	}
	for _, in := range subs {
		key := strings.ToLower(in.Email)
		cur, exists := b.Subscribers[key]
		switch {
		case !exists:
			b.Subscribers[key] = &Subscriber{Email: in.Email, Variables: in.Variables}
			s.effect(fmt.Sprintf("book.add %d", b.ID))
		case cur.Unsubscribed || !sameVars(cur.Variables, in.Variables):
			if cur.Variables == nil {
				cur.Variables = map[string]string{}
			}
			maps.Copy(cur.Variables, in.Variables)
			cur.Unsubscribed = false
			s.effect(fmt.Sprintf("book.update %d", b.ID))
		}
	}
	writeJSON(w, 200, map[string]bool{"result": true})
}

// sameVars reports whether applying in would leave cur unchanged.
func sameVars(cur, in map[string]string) bool {
	for k, v := range in {
		if cur[k] != v {
			return false
		}
	}
	return true
}

func (s *Server) deleteEmails(w http.ResponseWriter, r *http.Request) {
	b := s.bookOf(w, r)
	if b == nil {
		return
	}
	subs, ok := emailItems(w, r)
	if !ok {
		return
	}
	if len(subs) > 100 {
		writeError(w, http.StatusUnprocessableEntity, "Limit is exceeded. Max count: 100", 422)
		return
	}
	for _, in := range subs {
		key := strings.ToLower(in.Email)
		if _, ok := b.Subscribers[key]; ok {
			delete(b.Subscribers, key)
			s.effect(fmt.Sprintf("book.delete %d", b.ID))
		}
	}
	writeJSON(w, 200, map[string]bool{"result": true})
}

func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	b := s.bookOf(w, r)
	if b == nil {
		return
	}
	subs, ok := emailItems(w, r)
	if !ok {
		return
	}
	for _, in := range subs {
		if cur, ok := b.Subscribers[strings.ToLower(in.Email)]; ok && !cur.Unsubscribed {
			cur.Unsubscribed = true
			s.effect(fmt.Sprintf("book.unsubscribe %d", b.ID))
		}
	}
	writeJSON(w, 200, map[string]bool{"result": true})
}

func (s *Server) sendEvent(w http.ResponseWriter, r *http.Request) {
	var payload map[string]any
	if e := decode(r, &payload, nil); e != nil {
		fail(w, e)
		return
	}
	_, hasEmail := payload["email"].(string)
	_, hasPhone := payload["phone"].(string)
	if !hasEmail && !hasPhone {
		writeError(w, http.StatusUnprocessableEntity, "email or phone is required", 422)
		return
	}
	s.st.events = append(s.st.events, Event{Name: r.PathValue("name"), Payload: payload})
	s.effect("event " + r.PathValue("name"))
	writeJSON(w, 200, map[string]bool{"result": true})
}
