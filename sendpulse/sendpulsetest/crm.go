package sendpulsetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /crm/v1/users", s.locked(s.listUsers))
	m.HandleFunc("GET /crm/v1/pipelines", s.locked(s.listPipelines))
	m.HandleFunc("GET /crm/v1/pipelines/{id}", s.locked(s.getPipeline))
	m.HandleFunc("GET /crm/v1/pipelines/{id}/steps", s.locked(s.listSteps))
	m.HandleFunc("GET /crm/v1/pipelines/{id}/attributes", s.locked(s.listDealAttrs))
	m.HandleFunc("POST /crm/v1/pipelines/{id}/attributes", s.locked(s.createDealAttr))

	m.HandleFunc("POST /crm/v1/contacts/create", s.locked(s.createContact))
	m.HandleFunc("GET /crm/v1/contacts/{id}", s.locked(s.getContact))
	m.HandleFunc("GET /crm/v1/contacts/external/{ext}", s.locked(s.getContactByExternal))
	m.HandleFunc("POST /crm/v1/contacts/get-list-by-email", s.locked(s.contactsByEmail))
	m.HandleFunc("POST /crm/v1/contacts/{id}/emails", s.locked(s.addContactEmails))
	m.HandleFunc("POST /crm/v1/contacts/{id}/phones", s.locked(s.addContactPhone))
	m.HandleFunc("GET /crm/v1/contacts/attributes", s.locked(s.listContactAttrs))
	m.HandleFunc("POST /crm/v1/contacts/{id}/attributes/batch", s.locked(s.setContactAttrs))
	m.HandleFunc("GET /crm/v1/contact-tags", s.locked(s.listTags))
	m.HandleFunc("POST /crm/v1/contact-tags", s.locked(s.createTag))
	m.HandleFunc("POST /crm/v1/contact-tags/{tag}/contact/{id}", s.locked(s.tagContact))
	m.HandleFunc("DELETE /crm/v1/contact-tags/{tag}/contact/{id}", s.locked(s.untagContact))

	m.HandleFunc("POST /crm/v1/deals", s.locked(s.createDeal))
	m.HandleFunc("GET /crm/v1/deals/{id}", s.locked(s.getDeal))
	m.HandleFunc("PUT /crm/v1/deals/{id}", s.locked(s.updateDeal))
	m.HandleFunc("DELETE /crm/v1/deals/{id}", s.locked(s.deleteDeal))
	m.HandleFunc("POST /crm/v1/deals/{id}/change-pipeline", s.locked(s.changePipeline))
	m.HandleFunc("POST /crm/v1/deals/get-list", s.locked(s.listDeals))
	m.HandleFunc("POST /crm/v1/deals/{id}/contacts/{cid}", s.locked(s.linkContact))
	m.HandleFunc("PUT /crm/v1/deals/{id}/attributes/{aid}", s.locked(s.setDealAttr))

	m.HandleFunc("POST /crm/v1/payments", s.locked(s.createPayment))
	m.HandleFunc("GET /crm/v1/payments/deals/{id}", s.locked(s.listPayments))

	m.HandleFunc("GET /addressbooks", s.locked(s.listBooks))
	m.HandleFunc("POST /addressbooks/{id}/emails", s.locked(s.addEmails))
	m.HandleFunc("DELETE /addressbooks/{id}/emails", s.locked(s.deleteEmails))
	m.HandleFunc("POST /addressbooks/{id}/emails/unsubscribe", s.locked(s.unsubscribe))
	m.HandleFunc("POST /events/name/{name}", s.locked(s.sendEvent))

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "Not found", 404)
	})
}

// locked runs h holding the server's lock, so each call applies atomically.
func (s *Server) locked(h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if idx, ok := r.Context().Value(callKey{}).(int); ok {
			s.curCall = idx
		}
		h(w, r)
	}
}

type apiErr struct {
	status int
	msg    string
	code   int64
}

func unprocessable(format string, a ...any) *apiErr {
	return &apiErr{http.StatusUnprocessableEntity, fmt.Sprintf(format, a...), 422}
}

func notFound(what string) *apiErr { return &apiErr{http.StatusNotFound, what + " not found", 404} }

func fail(w http.ResponseWriter, e *apiErr) { writeError(w, e.status, e.msg, e.code) }

func data(w http.ResponseWriter, status int, v any) { writeJSON(w, status, map[string]any{"data": v}) }

func pathID(r *http.Request, name string) (int64, *apiErr) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &apiErr{http.StatusBadRequest, "Invalid " + name, 400}
	}
	return id, nil
}

// decode reads a JSON object body into v and, when keys is not nil, the
// set of keys present (to check required fields the way SendPulse does).
func decode(r *http.Request, v any, keys *map[string]json.RawMessage) *apiErr {
	dec := json.NewDecoder(r.Body)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return &apiErr{http.StatusBadRequest, "Badly formed incoming data", 999}
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return &apiErr{http.StatusBadRequest, "Badly formed incoming data", 999}
	}
	if keys != nil {
		if err := json.Unmarshal(raw, keys); err != nil {
			return &apiErr{http.StatusBadRequest, "Badly formed incoming data", 999}
		}
	}
	return nil
}

// --- users, pipelines ---

func (s *Server) listUsers(w http.ResponseWriter, _ *http.Request) { data(w, 200, s.st.users) }

func (s *Server) listPipelines(w http.ResponseWriter, _ *http.Request) {
	data(w, 200, s.st.pipelines)
}

func (s *Server) getPipeline(w http.ResponseWriter, r *http.Request) {
	p, e := s.pipelineOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	data(w, 200, p)
}

func (s *Server) pipelineOf(r *http.Request) (*Pipeline, *apiErr) {
	id, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	p := s.st.pipeline(id)
	if p == nil {
		return nil, notFound("Pipeline")
	}
	return p, nil
}

func (s *Server) listSteps(w http.ResponseWriter, r *http.Request) {
	p, e := s.pipelineOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	data(w, 200, p.Steps)
}

func (s *Server) listDealAttrs(w http.ResponseWriter, r *http.Request) {
	p, e := s.pipelineOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	data(w, 200, append([]AttributeDef{}, s.st.dealAttrs[p.ID]...))
}

func (s *Server) createDealAttr(w http.ResponseWriter, r *http.Request) {
	p, e := s.pipelineOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in AttributeDef
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if strings.TrimSpace(in.Name) == "" {
		fail(w, unprocessable("name is required"))
		return
	}
	a := AttributeDef{ID: s.st.id(), Name: in.Name, Type: in.Type}
	s.st.dealAttrs[p.ID] = append(s.st.dealAttrs[p.ID], a)
	s.effect(fmt.Sprintf("pipeline.attribute.create %d", a.ID))
	data(w, 201, a)
}

// --- contacts ---

func contactJSON(c *Contact) map[string]any {
	attrs := []map[string]any{}
	for id, v := range c.Attributes {
		attrs = append(attrs, map[string]any{"attributeId": id, "value": v})
	}
	tags := []map[string]any{}
	for _, t := range c.Tags {
		tags = append(tags, map[string]any{"id": t})
	}
	return map[string]any{
		"id": c.ID, "responsibleId": c.ResponsibleID, "firstName": c.FirstName, "lastName": c.LastName,
		"externalContactId": c.ExternalContactID, "emails": nonNil(c.Emails), "phones": nonNil(c.Phones),
		"tags": tags, "attributes": attrs,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ResponsibleID     int64  `json:"responsibleId"`
		FirstName         string `json:"firstName"`
		LastName          string `json:"lastName"`
		ExternalContactID string `json:"externalContactId"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if !s.st.user(in.ResponsibleID) {
		fail(w, unprocessable("responsibleId is invalid"))
		return
	}
	c := &Contact{ID: s.st.id(), ResponsibleID: in.ResponsibleID, FirstName: in.FirstName, LastName: in.LastName,
		ExternalContactID: in.ExternalContactID}
	s.st.contacts = append(s.st.contacts, c)
	s.effect(fmt.Sprintf("contact.create %d", c.ID))
	data(w, 200, contactJSON(c))
}

func (s *Server) contactOf(r *http.Request) (*Contact, *apiErr) {
	id, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	c := s.st.contact(id)
	if c == nil {
		return nil, notFound("Contact")
	}
	return c, nil
}

func (s *Server) getContact(w http.ResponseWriter, r *http.Request) {
	c, e := s.contactOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	data(w, 200, contactJSON(c))
}

func (s *Server) getContactByExternal(w http.ResponseWriter, r *http.Request) {
	ext := r.PathValue("ext")
	for _, c := range s.st.contacts {
		if ext != "" && c.ExternalContactID == ext {
			data(w, 200, contactJSON(c))
			return
		}
	}
	fail(w, notFound("Contact"))
}

func (s *Server) contactsByEmail(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Email             string `json:"email"`
		IsEmailFullSearch bool   `json:"isEmailFullSearch"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if in.Email == "" {
		fail(w, unprocessable("email is required"))
		return
	}
	found := []map[string]any{}
	for _, c := range s.st.contacts {
		for _, e := range c.Emails {
			if (in.IsEmailFullSearch && strings.EqualFold(e.Email, in.Email)) ||
				(!in.IsEmailFullSearch && strings.Contains(strings.ToLower(e.Email), strings.ToLower(in.Email))) {
				found = append(found, contactJSON(c))
				break
			}
		}
	}
	data(w, 200, map[string]any{"list": found, "total": len(found)})
}

func (s *Server) addContactEmails(w http.ResponseWriter, r *http.Request) {
	c, e := s.contactOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		Emails []struct {
			Email  string `json:"email"`
			IsMain bool   `json:"isMain"`
		} `json:"emails"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if len(in.Emails) == 0 {
		fail(w, unprocessable("emails is required"))
		return
	}
	for _, x := range in.Emails {
		if !strings.Contains(x.Email, "@") || len(x.Email) > 50 {
			fail(w, unprocessable("email is invalid"))
			return
		}
	}
	for _, x := range in.Emails {
		if c.hasEmail(x.Email) {
			continue
		}
		c.Emails = append(c.Emails, Email{ID: s.st.id(), Email: x.Email, IsMain: x.IsMain})
		s.effect(fmt.Sprintf("contact.email %d", c.ID))
	}
	data(w, 201, contactJSON(c))
}

func (s *Server) addContactPhone(w http.ResponseWriter, r *http.Request) {
	c, e := s.contactOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		Phone string `json:"phone"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if in.Phone == "" {
		fail(w, unprocessable("phone is required"))
		return
	}
	if !slices.ContainsFunc(c.Phones, func(p Phone) bool { return p.Phone == in.Phone }) {
		c.Phones = append(c.Phones, Phone{ID: s.st.id(), Phone: in.Phone, IsMain: len(c.Phones) == 0})
		s.effect(fmt.Sprintf("contact.phone %d", c.ID))
	}
	data(w, 201, contactJSON(c))
}

func (s *Server) listContactAttrs(w http.ResponseWriter, _ *http.Request) {
	data(w, 200, []AttributeDef{})
}

func (s *Server) setContactAttrs(w http.ResponseWriter, r *http.Request) {
	c, e := s.contactOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		AttributesValues []struct {
			AttributeID int64           `json:"attributeId"`
			Value       json.RawMessage `json:"value"`
		} `json:"attributesValues"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if c.Attributes == nil {
		c.Attributes = map[int64]string{}
	}
	for _, a := range in.AttributesValues {
		v := strings.Trim(string(a.Value), `"`)
		if old, ok := c.Attributes[a.AttributeID]; !ok || old != v {
			c.Attributes[a.AttributeID] = v
			s.effect(fmt.Sprintf("contact.attribute %d", c.ID))
		}
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) listTags(w http.ResponseWriter, _ *http.Request) { data(w, 200, nonNil(s.st.tags)) }

func (s *Server) createTag(w http.ResponseWriter, r *http.Request) {
	var in tag
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if in.Name == "" || len([]rune(in.Name)) > 64 {
		fail(w, unprocessable("name must be 1 to 64 characters"))
		return
	}
	t := tag{ID: s.st.id(), Name: in.Name}
	s.st.tags = append(s.st.tags, t)
	s.effect(fmt.Sprintf("tag.create %d", t.ID))
	data(w, 201, t)
}

func (s *Server) tagOf(r *http.Request) (*Contact, int64, *apiErr) {
	c, e := s.contactOf(r)
	if e != nil {
		return nil, 0, e
	}
	tid, e := pathID(r, "tag")
	if e != nil {
		return nil, 0, e
	}
	if !slices.ContainsFunc(s.st.tags, func(t tag) bool { return t.ID == tid }) {
		return nil, 0, notFound("Tag")
	}
	return c, tid, nil
}

func (s *Server) tagContact(w http.ResponseWriter, r *http.Request) {
	c, tid, e := s.tagOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	if !slices.Contains(c.Tags, tid) {
		c.Tags = append(c.Tags, tid)
		s.effect(fmt.Sprintf("contact.tag %d", c.ID))
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) untagContact(w http.ResponseWriter, r *http.Request) {
	c, tid, e := s.tagOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	if i := slices.Index(c.Tags, tid); i >= 0 {
		c.Tags = slices.Delete(c.Tags, i, i+1)
		s.effect(fmt.Sprintf("contact.untag %d", c.ID))
	}
	w.WriteHeader(http.StatusNoContent)
}
