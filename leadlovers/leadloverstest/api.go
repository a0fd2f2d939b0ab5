package leadloverstest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

func ok(body any) (int, any) { return http.StatusOK, body }

// bodyErr is leadlovers' habit: HTTP 200 carrying a failure.
func bodyErr(code int, msg string) (int, any) {
	return http.StatusOK, map[string]any{"StatusCode": code, "Message": msg, "Exception": nil}
}

func httpErr(status int, msg string) (int, any) { return status, envelope(status, msg) }

// route applies one call; s.mu is held.
func (s *Server) route(method, path string, q url.Values, body []byte, call int) (int, any) {
	p := strings.ToLower(strings.Trim(path, "/"))
	switch {
	case method == http.MethodGet && p == "user":
		return ok(map[string]any{"UserCode": "4242", "Name": "Conta de testes", "Plan": "fake"})
	case method == http.MethodGet && p == "usercode":
		return ok(map[string]any{"Value": "4242"})
	case method == http.MethodGet && p == "listdataaccount":
		return ok(map[string]any{"Items": []any{}})
	case method == http.MethodGet && p == "machines":
		return s.listMachines(q)
	case method == http.MethodGet && strings.HasPrefix(p, "machines/"):
		return s.getMachine(strings.TrimPrefix(p, "machines/"))
	case method == http.MethodGet && p == "emailsequences":
		return s.listSequences(q)
	case method == http.MethodGet && p == "levels":
		return s.listLevels(q)
	case method == http.MethodGet && (p == "forms" || p == "pages"):
		if _, st, b := s.machineFrom(q.Get("machineCode")); st != 0 {
			return st, b
		}
		return ok(map[string]any{"Items": []any{}})
	case p == "lead" && (method == http.MethodPost || method == http.MethodPut):
		return s.upsertLead(method, body, call)
	case p == "lead" && method == http.MethodPatch:
		return s.patchLead(body, call)
	case p == "lead" && method == http.MethodGet:
		return s.getLead(q)
	case p == "lead" && method == http.MethodDelete:
		return s.removeFromMachine(q, call)
	case p == "lead/funnel" && method == http.MethodDelete:
		return s.removeFromFunnel(q, call)
	case p == "leads" && method == http.MethodGet:
		return s.listLeads(q)
	case p == "emailsequence/getleadshistory" && method == http.MethodGet:
		return ok(map[string]any{"Items": []any{}})
	case p == "leadlocation" && method == http.MethodGet:
		return s.getLocation(q)
	case p == "leadlocation" && method == http.MethodPut:
		return s.moveLead(body, call)
	case p == "score" && method == http.MethodPost:
		return s.addScore(body, call)
	case p == "tag" && method == http.MethodPost:
		return s.addTag(body, call)
	case p == "tag" && method == http.MethodDelete:
		return s.removeTag(q, call)
	case p == "tag/lead" && method == http.MethodGet:
		return s.leadTags(q)
	case p == "tags" && method == http.MethodGet:
		return s.listTags()
	case p == "tags" && method == http.MethodPost:
		return s.createTag(body, call)
	case p == "tagchecker" && method == http.MethodGet:
		id, _ := strconv.Atoi(q.Get("tag"))
		_, found := s.tags[id]
		return ok(map[string]any{"Result": found})
	case p == "resthook" && method == http.MethodPost:
		return s.subscribe(q, body, call)
	case p == "resthook" && method == http.MethodDelete:
		return s.unsubscribe(body, call)
	}
	return http.StatusNotFound, map[string]any{"Message": "No HTTP resource was found that matches the request URI"}
}

func (s *Server) effect(call int, e Effect) {
	e.Call = call
	s.core.Effect(e)
}

// --- machines, sequences, levels ---

func (s *Server) listMachines(q url.Values) (int, any) {
	page, _ := strconv.Atoi(q.Get("page"))
	size, _ := strconv.Atoi(q.Get("registers"))
	page, size = max(page, 1), max(size, 0)
	if size == 0 {
		size = 10
	}
	codes := make([]int, 0, len(s.machines))
	for c := range s.machines {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	items := []map[string]any{}
	for i := (page - 1) * size; i < len(codes) && i < page*size; i++ {
		m := s.machines[codes[i]]
		n := 0
		for _, l := range s.leads {
			if _, in := l.locs[m.code]; in {
				n++
			}
		}
		items = append(items, map[string]any{"MachineCode": m.code, "MachineName": m.name, "MachineImage": "", "Views": 0, "Leads": n})
	}
	return ok(map[string]any{"Items": items, "CurrentPage": page, "Registers": size})
}

func (s *Server) getMachine(code string) (int, any) {
	m, st, b := s.machineFrom(code)
	if st != 0 {
		return st, b
	}
	return ok(map[string]any{"MachineCode": m.code, "MachineName": m.name, "MachineImage": "", "MachineType": "1"})
}

// machineFrom resolves a machine code in a read; unknown → HTTP 400.
func (s *Server) machineFrom(raw string) (*machine, int, any) {
	code, _ := strconv.Atoi(raw)
	m, found := s.machines[code]
	if !found {
		st, b := httpErr(http.StatusBadRequest, "Código da Máquina inválido")
		return nil, st, b
	}
	return m, 0, nil
}

func (s *Server) listSequences(q url.Values) (int, any) {
	m, st, b := s.machineFrom(q.Get("machineCode"))
	if st != 0 {
		return st, b
	}
	items := []map[string]any{}
	for _, c := range sortedKeys(m.seqs) {
		items = append(items, map[string]any{"SequenceCode": c, "SequenceName": m.seqs[c].name})
	}
	return ok(map[string]any{"Items": items})
}

func (s *Server) listLevels(q url.Values) (int, any) {
	m, st, b := s.machineFrom(q.Get("machineCode"))
	if st != 0 {
		return st, b
	}
	sc, _ := strconv.Atoi(q.Get("sequenceCode"))
	seq, found := m.seqs[sc]
	if !found {
		return httpErr(http.StatusBadRequest, "Código da sequência inválido")
	}
	items := []map[string]any{}
	for i := 1; i <= seq.levels; i++ {
		items = append(items, map[string]any{"ModelCode": sc*100 + i, "Sequence": i, "Subject": seq.name + " — e-mail " + itoa(i)})
	}
	return ok(map[string]any{"Items": items})
}

// checkPlace validates a write's machine/sequence/level; the error is
// answered inside an HTTP 200, as leadlovers does.
func (s *Server) checkPlace(machineCode, seqCode, level int) (int, any, bool) {
	m, found := s.machines[machineCode]
	if !found {
		st, b := bodyErr(400, "Código da Máquina inválido")
		return st, b, false
	}
	seq, found := m.seqs[seqCode]
	if !found {
		st, b := bodyErr(400, "Código da sequência inválido")
		return st, b, false
	}
	if level < 1 || level > seq.levels {
		st, b := bodyErr(400, "Nível da sequência inválido")
		return st, b, false
	}
	return 0, nil, true
}

// --- leads ---

type leadBody struct {
	Email             string
	Name              string
	Phone             string
	MachineCode       int
	EmailSequenceCode int
	SequenceLevelCode int
	Company           string
	City              string
	State             string
	Photo             string
	Gender            string
	Birthday          string
	Score             int
	Tag               int
	Source            string
	Message           string
	Notes             string
	DynamicFields     []struct {
		ID    int `json:"Id"`
		Value string
	}
}

func (b *leadBody) strings() map[string]string {
	m := map[string]string{}
	for k, v := range map[string]string{
		"Name": b.Name, "Phone": b.Phone, "Company": b.Company, "City": b.City, "State": b.State,
		"Photo": b.Photo, "Gender": b.Gender, "Birthday": b.Birthday, "Source": b.Source,
		"Message": b.Message, "Notes": b.Notes,
	} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}

func validEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	return at > 0 && at < len(e)-1 && !strings.ContainsAny(e, " \t\r\n")
}

func decode(body []byte, v any) (int, any, bool) {
	if err := json.Unmarshal(body, v); err != nil {
		st, b := httpErr(http.StatusBadRequest, "Corpo da requisição inválido")
		return st, b, false
	}
	return 0, nil, true
}

func (s *Server) upsertLead(method string, body []byte, call int) (int, any) {
	var b leadBody
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	if !validEmail(b.Email) {
		return bodyErr(400, "E-mail inválido")
	}
	if st, out, good := s.checkPlace(b.MachineCode, b.EmailSequenceCode, b.SequenceLevelCode); !good {
		return st, out
	}
	if b.Tag != 0 {
		if _, found := s.tags[b.Tag]; !found {
			return bodyErr(400, "Tag inválida")
		}
	}
	l, found := s.leads[key(b.Email)]
	if !found {
		s.nextLead++
		l = &lead{code: s.nextLead, email: strings.TrimSpace(b.Email), data: map[string]string{}, dyn: map[int]string{},
			tags: map[int]bool{}, locs: map[int]Location{}, registered: time.Now().UTC()}
		s.leads[key(b.Email)] = l
		s.effect(call, Effect{Kind: EffectLeadCreated, Email: l.email})
	}
	s.applyData(l, &b, call)
	loc := Location{Machine: b.MachineCode, Sequence: b.EmailSequenceCode, Level: b.SequenceLevelCode}
	if l.locs[loc.Machine] != loc {
		l.locs[loc.Machine] = loc
		s.effect(call, Effect{Kind: EffectLeadPlaced, Email: l.email, Machine: loc.Machine, Sequence: loc.Sequence, Level: loc.Level})
	}
	if method == http.MethodPost {
		return ok(map[string]any{"StatusCode": 200, "Message": "Novo lead inserido na fila para processamento.", "Exception": nil})
	}
	out := l.record()
	out["StatusCode"], out["Message"] = 200, "Lead atualizado com sucesso"
	return ok(out)
}

// applyData stores the fields a write sent, recording one effect when
// anything changed.
func (s *Server) applyData(l *lead, b *leadBody, call int) {
	changed := false
	for k, v := range b.strings() {
		if l.data[k] != v {
			l.data[k], changed = v, true
		}
	}
	for _, f := range b.DynamicFields {
		if f.ID > 0 && l.dyn[f.ID] != f.Value {
			l.dyn[f.ID], changed = f.Value, true
		}
	}
	if b.Score != 0 && l.score != b.Score {
		l.score, changed = b.Score, true
	}
	if changed {
		s.effect(call, Effect{Kind: EffectLeadUpdated, Email: l.email})
	}
	if b.Tag != 0 && !l.tags[b.Tag] {
		l.tags[b.Tag] = true
		s.effect(call, Effect{Kind: EffectTagAdded, Email: l.email, Tag: b.Tag})
	}
}

func (l *lead) record() map[string]any {
	machines := make([]string, 0, len(l.locs))
	for _, m := range sortedKeys(l.locs) {
		machines = append(machines, itoa(m))
	}
	null := func(k string) any {
		if v, ok := l.data[k]; ok {
			return v
		}
		return nil
	}
	return map[string]any{
		"Code": l.code, "Email": l.email, "Name": l.data["Name"], "Phone": null("Phone"),
		"Birthday": null("Birthday"), "Photo": null("Photo"), "City": null("City"), "State": null("State"),
		"Company": null("Company"), "Gender": null("Gender"), "Score": l.score,
		"MachineCode": strings.Join(machines, ","), "RegistrationDate": l.registered.Format("2006-01-02T15:04:05"),
	}
}

func (s *Server) patchLead(body []byte, call int) (int, any) {
	var b leadBody
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	l, found := s.leads[key(b.Email)]
	if !found {
		return ok(map[string]any{"StatusCode": "NotFound", "Message": "Lead não encontrado",
			"Exception": map[string]any{"Message": "Lead não encontrado"}})
	}
	if b.MachineCode != 0 {
		if st, out, good := s.checkPlace(b.MachineCode, b.EmailSequenceCode, b.SequenceLevelCode); !good {
			return st, out
		}
		loc := Location{Machine: b.MachineCode, Sequence: b.EmailSequenceCode, Level: b.SequenceLevelCode}
		if l.locs[loc.Machine] != loc {
			l.locs[loc.Machine] = loc
			s.effect(call, Effect{Kind: EffectLeadPlaced, Email: l.email, Machine: loc.Machine, Sequence: loc.Sequence, Level: loc.Level})
		}
	}
	s.applyData(l, &b, call)
	out := l.record()
	out["StatusCode"], out["Message"], out["Exception"] = "OK", "", map[string]any{"Message": ""}
	return ok(out)
}

func (s *Server) getLead(q url.Values) (int, any) {
	l, found := s.leads[key(q.Get("email"))]
	if !found {
		return httpErr(http.StatusNotFound, "Lead não encontrado")
	}
	return ok(l.record())
}

const leadsPageSize = 10

func (s *Server) listLeads(q url.Values) (int, any) {
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	var from, to time.Time
	if v := q.Get("startDate"); v != "" {
		from, _ = time.Parse(time.DateOnly, v)
	}
	if v := q.Get("endDate"); v != "" {
		to, _ = time.Parse(time.DateOnly, v)
		to = to.AddDate(0, 0, 1)
	}
	all := make([]*lead, 0, len(s.leads))
	for _, l := range s.leads {
		if (from.IsZero() || !l.registered.Before(from)) && (to.IsZero() || l.registered.Before(to)) {
			all = append(all, l)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].code < all[j].code })
	data := []map[string]any{}
	for i := (page - 1) * leadsPageSize; i < len(all) && i < page*leadsPageSize; i++ {
		data = append(data, all[i].record())
	}
	link := func(p int) any {
		if p < 1 || (p-1)*leadsPageSize >= len(all) {
			return nil
		}
		return s.URL() + "/Leads?page=" + itoa(p)
	}
	return ok(map[string]any{"Data": data, "Links": map[string]any{"Self": link(page), "Next": link(page + 1), "Prev": link(page - 1)}})
}

func (s *Server) locations(l *lead) []map[string]any {
	items := []map[string]any{}
	for _, mc := range sortedKeys(l.locs) {
		loc := l.locs[mc]
		m := s.machines[mc]
		items = append(items, map[string]any{
			"LeadCode": l.code, "LeadEmail": l.email, "LeadName": l.data["Name"],
			"MachineCode": mc, "MachineName": m.name, "SequenceCode": loc.Sequence,
			"SequenceName": m.seqs[loc.Sequence].name, "Level": loc.Level,
		})
	}
	return items
}

func (s *Server) getLocation(q url.Values) (int, any) {
	l, found := s.leads[key(q.Get("email"))]
	if !found {
		return httpErr(http.StatusNotFound, "Lead não encontrado")
	}
	return ok(map[string]any{"Items": s.locations(l)})
}

func (s *Server) moveLead(body []byte, call int) (int, any) {
	var b struct {
		Email                      string
		MachineFrom, FunnelFrom    int
		MachineTo, FunnelTo, Level int
	}
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	l, found := s.leads[key(b.Email)]
	if !found {
		return bodyErr(404, "Lead não encontrado")
	}
	if st, out, good := s.checkPlace(b.MachineTo, b.FunnelTo, b.Level); !good {
		return st, out
	}
	from, in := l.locs[b.MachineFrom]
	if !in || from.Sequence != b.FunnelFrom {
		return bodyErr(400, "Lead não está no funil de origem")
	}
	delete(l.locs, b.MachineFrom)
	to := Location{Machine: b.MachineTo, Sequence: b.FunnelTo, Level: b.Level}
	l.locs[b.MachineTo] = to
	s.effect(call, Effect{Kind: EffectLeadMoved, Email: l.email, Machine: to.Machine, Sequence: to.Sequence, Level: to.Level})
	return ok(map[string]any{"Items": s.locations(l)})
}

func (s *Server) removeFromMachine(q url.Values, call int) (int, any) {
	mc, _ := strconv.Atoi(q.Get("machineCode"))
	if _, found := s.machines[mc]; !found {
		return bodyErr(400, "Código da Máquina inválido")
	}
	email := q.Get("email")
	if email == "" {
		return bodyErr(400, "E-mail inválido")
	}
	// Removal is a request processed later upstream: it is acknowledged
	// even when the lead is not in the machine.
	if l, found := s.leads[key(email)]; found {
		if loc, in := l.locs[mc]; in {
			delete(l.locs, mc)
			s.effect(call, Effect{Kind: EffectLeadRemoved, Email: l.email, Machine: mc, Sequence: loc.Sequence})
		}
	}
	return ok(envelope(200, "Solicitação de remoção de Lead enviada com sucesso."))
}

func (s *Server) removeFromFunnel(q url.Values, call int) (int, any) {
	mc, _ := strconv.Atoi(q.Get("machineCode"))
	sc, _ := strconv.Atoi(q.Get("sequenceCode"))
	var l *lead
	if e := q.Get("email"); e != "" {
		l = s.leads[key(e)]
	} else if p := q.Get("phone"); p != "" {
		for _, c := range s.leads {
			if c.data["Phone"] == p {
				l = c
				break
			}
		}
	}
	if l == nil {
		return bodyErr(404, "Lead não encontrado")
	}
	loc, in := l.locs[mc]
	if !in || loc.Sequence != sc {
		return bodyErr(400, "Lead não está no funil informado")
	}
	delete(l.locs, mc)
	s.effect(call, Effect{Kind: EffectLeadRemoved, Email: l.email, Machine: mc, Sequence: sc})
	return ok(envelope(200, "Lead removido do funil com sucesso"))
}

// --- score and tags ---

func (s *Server) addScore(body []byte, call int) (int, any) {
	var b struct {
		Email     string
		Score     int
		Overwrite bool
	}
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	l, found := s.leads[key(b.Email)]
	if !found {
		return bodyErr(404, "Lead não encontrado")
	}
	next := l.score + b.Score
	if b.Overwrite {
		next = b.Score
	}
	if next != l.score {
		l.score = next
		s.effect(call, Effect{Kind: EffectScoreChanged, Email: l.email})
	}
	return ok(envelope(200, "Sucesso ao inserir score ao lead."))
}

func (s *Server) addTag(body []byte, call int) (int, any) {
	var b struct {
		Email string
		Tag   int
		Score int
	}
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	l, found := s.leads[key(b.Email)]
	if !found {
		return bodyErr(404, "Lead não encontrado")
	}
	if _, found := s.tags[b.Tag]; !found {
		return bodyErr(400, "Tag inválida")
	}
	if !l.tags[b.Tag] {
		l.tags[b.Tag] = true
		s.effect(call, Effect{Kind: EffectTagAdded, Email: l.email, Tag: b.Tag})
	}
	if b.Score != 0 {
		l.score += b.Score
		s.effect(call, Effect{Kind: EffectScoreChanged, Email: l.email})
	}
	return ok(envelope(200, "Sucesso ao inserir tag"))
}

// first returns the first non-empty value among keys (clients differ on
// casing: email/Email, tag/Tag).
func first(q url.Values, keys ...string) string {
	for _, k := range keys {
		if v := q.Get(k); v != "" {
			return v
		}
	}
	return ""
}

func (s *Server) removeTag(q url.Values, call int) (int, any) {
	l, found := s.leads[key(first(q, "email", "Email"))]
	if !found {
		return bodyErr(404, "Lead não encontrado")
	}
	tag, _ := strconv.Atoi(first(q, "tag", "Tag"))
	if l.tags[tag] {
		delete(l.tags, tag)
		s.effect(call, Effect{Kind: EffectTagRemoved, Email: l.email, Tag: tag})
	}
	return ok(envelope(200, "Tag removida com sucesso"))
}

func (s *Server) leadTags(q url.Values) (int, any) {
	code, _ := strconv.Atoi(q.Get("leadCode"))
	for _, l := range s.leads {
		if l.code == code {
			tags := []map[string]any{}
			for _, t := range sortedKeys(l.tags) {
				tags = append(tags, map[string]any{"Id": t, "Title": s.tags[t]})
			}
			return ok(map[string]any{"Tags": tags})
		}
	}
	return httpErr(http.StatusNotFound, "Lead não encontrado")
}

func (s *Server) listTags() (int, any) {
	tags := []map[string]any{}
	for _, id := range sortedKeys(s.tags) {
		n := 0
		for _, l := range s.leads {
			if l.tags[id] {
				n++
			}
		}
		tags = append(tags, map[string]any{"Id": id, "Title": s.tags[id], "Count": n})
	}
	return ok(map[string]any{"Tags": tags})
}

func (s *Server) createTag(body []byte, call int) (int, any) {
	var b struct{ Title string }
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	title := strings.TrimSpace(b.Title)
	if title == "" {
		return bodyErr(400, "Título da tag obrigatório")
	}
	for _, t := range s.tags {
		if strings.EqualFold(t, title) {
			return bodyErr(400, "Tag já existe")
		}
	}
	s.nextTag++
	s.tags[s.nextTag] = title
	s.effect(call, Effect{Kind: EffectAccountTagAdded, Tag: s.nextTag})
	// Like leadlovers, the id is not returned.
	return ok(envelope(200, "Tag criada com sucesso"))
}

// --- rest hooks ---

func (s *Server) subscribe(q url.Values, body []byte, call int) (int, any) {
	var b struct {
		TargetURL string `json:"Target_url"`
		Event     string
	}
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	if q.Get("applicationName") == "" || b.Event != "new_lead_event" {
		return bodyErr(400, "Parâmetros do hook inválidos")
	}
	u, err := url.Parse(b.TargetURL)
	if err != nil || u.Host == "" {
		return bodyErr(400, "URL do hook inválida")
	}
	s.nextHook++
	s.hooks[s.nextHook] = b.TargetURL
	s.effect(call, Effect{Kind: EffectHookSubscribed})
	return ok(map[string]any{"StatusCode": 200, "Message": "Sucesso ao inserir hook.", "Id": s.nextHook})
}

func (s *Server) unsubscribe(body []byte, call int) (int, any) {
	var b struct {
		ID int `json:"Id"`
	}
	if st, out, good := decode(body, &b); !good {
		return st, out
	}
	if _, found := s.hooks[b.ID]; found {
		delete(s.hooks, b.ID)
		s.effect(call, Effect{Kind: EffectHookUnsubscribed})
	}
	return ok(envelope(200, "Hook removido com sucesso."))
}

func sortedKeys[V any](m map[int]V) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
