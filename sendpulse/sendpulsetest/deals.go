package sendpulsetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

func dealJSON(d *Deal) map[string]any {
	ids := make([]int64, 0, len(d.Attributes))
	for id := range d.Attributes {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	attrs := make([]map[string]any, 0, len(ids))
	for _, id := range ids {
		attrs = append(attrs, map[string]any{"attributeId": id, "value": d.Attributes[id]})
	}
	return map[string]any{
		"id": d.ID, "pipelineId": d.PipelineID, "stepId": d.StepID, "status": d.Status,
		"responsibleId": d.ResponsibleID, "number": d.ID, "name": d.Name, "price": d.Price,
		"currency": d.Currency, "attributes": attrs, "createdAt": "", "updatedAt": "",
	}
}

func (s *Server) checkStep(pipelineID, stepID int64) *apiErr {
	p := s.st.pipeline(pipelineID)
	if p == nil {
		return unprocessable("pipelineId is invalid")
	}
	if !slices.ContainsFunc(p.Steps, func(st Step) bool { return st.ID == stepID }) {
		return unprocessable("stepId does not belong to the pipeline")
	}
	return nil
}

func (s *Server) checkAttrs(pipelineID int64, attrs map[int64]string) *apiErr {
	for id, v := range attrs {
		if !slices.ContainsFunc(s.st.dealAttrs[pipelineID], func(a AttributeDef) bool { return a.ID == id }) {
			return unprocessable("attributeId %d is not defined on the pipeline", id)
		}
		if len(v) > 5500 {
			return unprocessable("attribute value too long")
		}
	}
	return nil
}

func (s *Server) createDeal(w http.ResponseWriter, r *http.Request) {
	var in struct {
		PipelineID    int64   `json:"pipelineId"`
		StepID        int64   `json:"stepId"`
		ResponsibleID int64   `json:"responsibleId"`
		Name          string  `json:"name"`
		Price         float64 `json:"price"`
		Currency      string  `json:"currency"`
		Contact       []int64 `json:"contact"`
		Attributes    []struct {
			AttributeID int64  `json:"attributeId"`
			Value       string `json:"value"`
		} `json:"attributes"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if e := s.checkStep(in.PipelineID, in.StepID); e != nil {
		fail(w, e)
		return
	}
	if len([]rune(in.Name)) > 255 {
		fail(w, unprocessable("name is too long"))
		return
	}
	if in.Currency != "" && s.currencies != nil && !slices.Contains(s.currencies, in.Currency) {
		fail(w, unprocessable("currency %s is not supported", in.Currency))
		return
	}
	if in.ResponsibleID != 0 && !s.st.user(in.ResponsibleID) {
		fail(w, unprocessable("responsibleId is invalid"))
		return
	}
	for _, c := range in.Contact {
		if s.st.contact(c) == nil {
			fail(w, unprocessable("contact %d not found", c))
			return
		}
	}
	attrs := map[int64]string{}
	for _, a := range in.Attributes {
		attrs[a.AttributeID] = a.Value
	}
	if e := s.checkAttrs(in.PipelineID, attrs); e != nil {
		fail(w, e)
		return
	}
	d := &Deal{ID: s.st.id(), PipelineID: in.PipelineID, StepID: in.StepID, Status: 1, ResponsibleID: in.ResponsibleID,
		Name: in.Name, Price: in.Price, Currency: in.Currency, Contacts: slices.Clone(in.Contact), Attributes: attrs}
	s.st.deals = append(s.st.deals, d)
	s.effect(fmt.Sprintf("deal.create %d", d.ID))
	data(w, 200, dealJSON(d))
}

func (s *Server) dealOf(r *http.Request) (*Deal, *apiErr) {
	id, e := pathID(r, "id")
	if e != nil {
		return nil, e
	}
	d := s.st.deal(id)
	if d == nil {
		return nil, notFound("Deal")
	}
	return d, nil
}

func (s *Server) getDeal(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	data(w, 200, dealJSON(d))
}

// updateDeal requires every field SendPulse marks required, so a client
// that forgets to resend one is caught instead of silently blanking it.
func (s *Server) updateDeal(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		PipelineID    int64   `json:"pipelineId"`
		StepID        int64   `json:"stepId"`
		Status        int     `json:"status"`
		Name          string  `json:"name"`
		Price         float64 `json:"price"`
		Currency      string  `json:"currency"`
		ResponsibleID int64   `json:"responsibleId"`
	}
	var keys map[string]json.RawMessage
	if e := decode(r, &in, &keys); e != nil {
		fail(w, e)
		return
	}
	for _, k := range []string{"pipelineId", "status", "stepId", "name", "price"} {
		if _, ok := keys[k]; !ok {
			fail(w, unprocessable("%s is required", k))
			return
		}
	}
	if in.Status < 0 || in.Status > 3 {
		fail(w, unprocessable("status is invalid"))
		return
	}
	if e := s.checkStep(in.PipelineID, in.StepID); e != nil {
		fail(w, e)
		return
	}
	next := *d
	next.PipelineID, next.StepID, next.Status, next.Name, next.Price = in.PipelineID, in.StepID, in.Status, in.Name, in.Price
	// Optional fields are overwritten too: an absent one is blanked.
	next.Currency, next.ResponsibleID = in.Currency, in.ResponsibleID
	if !dealFieldsEqual(&next, d) {
		*d = next
		s.effect(fmt.Sprintf("deal.update %d", d.ID))
	}
	data(w, 200, dealJSON(d))
}

func dealFieldsEqual(a, b *Deal) bool {
	return a.PipelineID == b.PipelineID && a.StepID == b.StepID && a.Status == b.Status && a.Name == b.Name &&
		a.Price == b.Price && a.Currency == b.Currency && a.ResponsibleID == b.ResponsibleID
}

func (s *Server) deleteDeal(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	s.st.deals = slices.DeleteFunc(s.st.deals, func(x *Deal) bool { return x == d })
	s.effect(fmt.Sprintf("deal.delete %d", d.ID))
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) changePipeline(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		PipelineID int64 `json:"pipelineId"`
		StepID     int64 `json:"stepId"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if e := s.checkStep(in.PipelineID, in.StepID); e != nil {
		fail(w, e)
		return
	}
	if d.PipelineID != in.PipelineID || d.StepID != in.StepID {
		d.PipelineID, d.StepID = in.PipelineID, in.StepID
		s.effect(fmt.Sprintf("deal.move %d", d.ID))
	}
	writeJSON(w, 200, map[string]any{"success": true})
}

func (s *Server) listDeals(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Limit       int     `json:"limit"`
		Offset      int     `json:"offset"`
		Name        string  `json:"name"`
		Email       string  `json:"email"`
		PipelineIDs []int64 `json:"pipelineIds"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if in.Limit <= 0 {
		in.Limit = 10
	}
	var hits []*Deal
	for _, d := range s.st.deals {
		if in.Name != "" && !strings.Contains(strings.ToLower(d.Name), strings.ToLower(in.Name)) {
			continue
		}
		if len(in.PipelineIDs) > 0 && !slices.Contains(in.PipelineIDs, d.PipelineID) {
			continue
		}
		if in.Email != "" && !slices.ContainsFunc(d.Contacts, func(id int64) bool {
			c := s.st.contact(id)
			return c != nil && c.hasEmail(in.Email)
		}) {
			continue
		}
		hits = append(hits, d)
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].ID < hits[j].ID })
	page := []map[string]any{}
	for i := in.Offset; i < len(hits) && i < in.Offset+in.Limit; i++ {
		page = append(page, dealJSON(hits[i]))
	}
	writeJSON(w, 200, map[string]any{"data": page, "meta": map[string]any{"total": len(hits)}})
}

func (s *Server) linkContact(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	cid, e := pathID(r, "cid")
	if e != nil {
		fail(w, e)
		return
	}
	if s.st.contact(cid) == nil {
		fail(w, notFound("Contact"))
		return
	}
	if !slices.Contains(d.Contacts, cid) {
		d.Contacts = append(d.Contacts, cid)
		s.effect(fmt.Sprintf("deal.link %d", d.ID))
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) setDealAttr(w http.ResponseWriter, r *http.Request) {
	d, e := s.dealOf(r)
	if e != nil {
		fail(w, e)
		return
	}
	aid, e := pathID(r, "aid")
	if e != nil {
		fail(w, e)
		return
	}
	var in struct {
		Value string `json:"value"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if e := s.checkAttrs(d.PipelineID, map[int64]string{aid: in.Value}); e != nil {
		fail(w, e)
		return
	}
	if old, ok := d.Attributes[aid]; !ok || old != in.Value {
		if d.Attributes == nil {
			d.Attributes = map[int64]string{}
		}
		d.Attributes[aid] = in.Value
		s.effect(fmt.Sprintf("deal.attribute %d", d.ID))
	}
	data(w, 200, map[string]any{"attributeId": aid, "value": in.Value})
}

func (s *Server) createPayment(w http.ResponseWriter, r *http.Request) {
	var in struct {
		DealID      int64   `json:"dealId"`
		ContactID   int64   `json:"contactId"`
		Description string  `json:"description"`
		Price       float64 `json:"price"`
		Currency    string  `json:"currency"`
	}
	if e := decode(r, &in, nil); e != nil {
		fail(w, e)
		return
	}
	if s.st.deal(in.DealID) == nil {
		fail(w, unprocessable("dealId is invalid"))
		return
	}
	p := Payment{ID: s.st.id(), DealID: in.DealID, ContactID: in.ContactID, Description: in.Description, Price: in.Price, Currency: in.Currency}
	s.st.payments = append(s.st.payments, p)
	s.effect(fmt.Sprintf("payment.create %d", p.ID))
	writeJSON(w, 201, paymentJSON(p))
}

func paymentJSON(p Payment) map[string]any {
	return map[string]any{"id": p.ID, "name": p.Description, "price": map[string]any{"amount": p.Price, "currency": p.Currency},
		"status": "manual", "paymentDescription": p.Description}
}

func (s *Server) listPayments(w http.ResponseWriter, r *http.Request) {
	id, e := pathID(r, "id")
	if e != nil {
		fail(w, e)
		return
	}
	out := []map[string]any{}
	for _, p := range s.st.payments {
		if p.DealID == id {
			out = append(out, paymentJSON(p))
		}
	}
	writeJSON(w, 200, map[string]any{"data": out, "total": len(out)})
}
