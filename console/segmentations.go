package console

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

type segView struct {
	S       segment.Segmentation
	Events  string
	Product string
	Conds   []string
	Action  string   // "provider command"
	Params  []string // "key: value", sorted by key
	Matches int
}

type segListData struct {
	HasRules bool
	Memory   bool
	Segs     []segView
}

// memoryStore reports whether changes vanish with the process.
func (c *Console) memoryStore() bool {
	_, ok := c.rules.(*pipeline.MemoryRules)
	return ok
}

func view(s segment.Segmentation) segView {
	v := segView{S: s}
	evs := make([]string, len(s.Events))
	for i, e := range s.Events {
		evs[i] = string(e)
	}
	v.Events = strings.Join(evs, ", ")
	if len(s.Products) == 0 {
		v.Product = "all products"
	} else {
		ps := make([]string, len(s.Products))
		for i, p := range s.Products {
			ps[i] = string(p)
		}
		v.Product = strings.Join(ps, ", ")
	}
	for _, cd := range s.Conditions {
		line := cd.Field + " " + string(cd.Op)
		if len(cd.Value) > 0 {
			line += " " + string(cd.Value)
		}
		v.Conds = append(v.Conds, line)
	}
	v.Action = s.Action.Provider + " " + s.Action.Command
	for _, k := range slices.Sorted(maps.Keys(s.Action.Params)) {
		v.Params = append(v.Params, k+": "+string(s.Action.Params[k]))
	}
	return v
}

func (c *Console) segmentationList(w http.ResponseWriter, r *http.Request, s *session) {
	d := segListData{HasRules: c.rules != nil}
	if c.rules != nil {
		d.Memory = c.memoryStore()
		segs, err := c.rules.Segmentations(r.Context())
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
			return
		}
		counts, err := c.matchCounts(r.Context())
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the event log is unavailable", err)
			return
		}
		for _, sg := range segs {
			v := view(sg)
			v.Matches = counts[sg.ID]
			d.Segs = append(d.Segs, v)
		}
	}
	c.render(w, r, http.StatusOK, "segmentations", page{Title: "Segmentations", Nav: "segmentations", CSRF: s.csrf, Flash: flash(r), Data: d})
}

// matchCounts counts, per segmentation, the events of the last 7 days its
// action ran (or was attempted) for.
func (c *Console) matchCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	if c.events == nil {
		return out, nil
	}
	evs, err := c.events.Events(ctx, webhook.EventQuery{Since: c.now().Add(-7 * 24 * time.Hour), Limit: scanLimit})
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		seen := map[string]bool{}
		for _, a := range e.Actions {
			if !seen[a.Segmentation] {
				seen[a.Segmentation] = true
				out[a.Segmentation]++
			}
		}
	}
	return out, nil
}

type fieldError struct {
	Field  string // the path inside the segmentation; "" for the whole
	Reason string
}

type segData struct {
	Memory     bool
	S          segment.Segmentation
	JSON       string
	Errors     []fieldError
	CanTest    bool
	Email      string
	TestResult *webhook.ActionOutcome
	TestError  string
	ExplainID  string
	Explain    string
	ExplainOK  bool
}

func (c *Console) find(ctx context.Context, id string) ([]segment.Segmentation, int, error) {
	if c.rules == nil {
		return nil, -1, pipeline.ErrSegmentationNotFound
	}
	segs, err := c.rules.Segmentations(ctx)
	if err != nil {
		return nil, -1, err
	}
	for i, sg := range segs {
		if sg.ID == id {
			return segs, i, nil
		}
	}
	return segs, -1, pipeline.ErrSegmentationNotFound
}

func prettySegmentation(s segment.Segmentation) string {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return "{}"
	}
	return string(b)
}

// loadSeg answers the lookup's failure itself and reports false.
func (c *Console) loadSeg(w http.ResponseWriter, r *http.Request, s *session) ([]segment.Segmentation, int, bool) {
	segs, i, err := c.find(r.Context(), r.PathValue("id"))
	switch {
	case errors.Is(err, pipeline.ErrSegmentationNotFound):
		c.failure(w, r, s, http.StatusNotFound, "no segmentation with that id", nil)
		return nil, -1, false
	case err != nil:
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return nil, -1, false
	}
	return segs, i, true
}

func (c *Console) segmentationPage(w http.ResponseWriter, r *http.Request, s *session) {
	segs, i, ok := c.loadSeg(w, r, s)
	if !ok {
		return
	}
	d := segData{Memory: c.memoryStore(), S: segs[i], JSON: prettySegmentation(segs[i]), CanTest: c.pipeline != nil}
	if id := strings.TrimSpace(r.URL.Query().Get("explain")); id != "" {
		d.ExplainID = id
		d.Explain, d.ExplainOK = c.explain(r.Context(), segs, segs[i].ID, id)
	}
	c.render(w, r, http.StatusOK, "segmentation", page{Title: segs[i].ID, Nav: "segmentations", CSRF: s.csrf, Flash: flash(r), Data: d})
}

// explain runs the stored set's Explain on a stored event and returns the
// line about segmentation segID (personal values redacted).
func (c *Console) explain(ctx context.Context, segs []segment.Segmentation, segID, eventID string) (string, bool) {
	if c.events == nil {
		return "No event log is configured.", false
	}
	rec, err := c.events.Event(ctx, eventID)
	if errors.Is(err, webhook.ErrEventNotFound) {
		return "No event with that id.", false
	}
	if err != nil {
		return "The event log is unavailable.", false
	}
	ev := rebuild(rec)
	if ev == nil {
		return "The stored payload of that event does not decode.", false
	}
	prog, err := segment.Compile(segment.Rules{Segmentations: segs}, c.copts...)
	if err != nil {
		return "The stored rules do not compile.", false
	}
	for _, x := range prog.Explain(ev) {
		if x.ID == segID {
			return x.String(), x.Matched()
		}
	}
	return "Not found in the compiled rules.", false
}

// check compiles segs as a whole set and checks the pipeline has an
// executor for every active provider; problems of segmentation index i are
// returned as field errors.
func (c *Console) check(segs []segment.Segmentation, i int) []fieldError {
	prog, err := segment.Compile(segment.Rules{Segmentations: segs}, c.copts...)
	if err != nil {
		return ruleErrors(err, i)
	}
	if c.pipeline != nil {
		if err := c.pipeline.CheckProgram(prog); err != nil {
			return []fieldError{{Field: "action.provider", Reason: "no executor is configured for this provider"}}
		}
	}
	return nil
}

func ruleErrors(err error, i int) []fieldError {
	var re *segment.RulesError
	if !errors.As(err, &re) {
		return []fieldError{{Reason: err.Error()}}
	}
	var out []fieldError
	for _, p := range re.Problems {
		reason := p.Message
		if p.Suggestion != "" {
			reason += fmt.Sprintf(" (did you mean %q?)", p.Suggestion)
		}
		switch {
		case p.Index == i || p.Index == 0 && i < 0:
			out = append(out, fieldError{Field: p.Field, Reason: reason})
		default:
			out = append(out, fieldError{Reason: p.String()})
		}
	}
	return out
}

// saveSegmentation stores an edit: the JSON is parsed and the whole set
// compiled with it first; any problem is shown next to its field and
// nothing is saved.
func (c *Console) saveSegmentation(w http.ResponseWriter, r *http.Request, s *session) {
	segs, i, ok := c.loadSeg(w, r, s)
	if !ok {
		return
	}
	id := segs[i].ID
	text := r.PostForm.Get("json")
	d := segData{Memory: c.memoryStore(), S: segs[i], JSON: text, CanTest: c.pipeline != nil}
	edited, errs := parseOne(text)
	if errs == nil && edited.ID != id {
		errs = []fieldError{{Field: "id", Reason: fmt.Sprintf("must stay %q (ids cannot change here)", id)}}
	}
	if errs == nil {
		next := append([]segment.Segmentation(nil), segs...)
		next[i] = edited
		errs = c.check(next, i)
	}
	if errs != nil {
		d.Errors = errs
		c.log.LogAttrs(r.Context(), slog.LevelInfo, "console action", slog.String("action", "edit"),
			slog.String("session", s.id), slog.String("segmentation", id), slog.String("result", "refused"), slog.Int("errors", len(errs)))
		c.render(w, r, http.StatusUnprocessableEntity, "segmentation", page{Title: id, Nav: "segmentations", CSRF: s.csrf,
			Error: "Not saved: fix the problems below.", Data: d})
		return
	}
	if err := c.rules.PutSegmentation(r.Context(), edited); err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	c.action(r, s, "edit", slog.String("segmentation", id), slog.Bool("active", edited.Active))
	c.sync(r)
	http.Redirect(w, r, c.prefix+"/segmentations/"+url.PathEscape(id)+"?done=saved", http.StatusSeeOther)
}

// parseOne reads one segmentation as written in a rules file.
func parseOne(text string) (segment.Segmentation, []fieldError) {
	text = strings.TrimSpace(text)
	if text == "" || text[0] != '{' {
		return segment.Segmentation{}, []fieldError{{Reason: "the segmentation must be a JSON object"}}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"segmentations":[`)
	buf.WriteString(text)
	buf.WriteString(`]}`)
	rules, err := segment.ParseRules(buf.Bytes())
	if err != nil {
		var re *segment.RulesError
		if errors.As(err, &re) {
			return segment.Segmentation{}, ruleErrors(err, 0)
		}
		return segment.Segmentation{}, []fieldError{{Reason: "not valid JSON for one segmentation"}}
	}
	if len(rules.Segmentations) != 1 {
		return segment.Segmentation{}, []fieldError{{Reason: "give exactly one segmentation"}}
	}
	return rules.Segmentations[0], nil
}

// sync makes this process's pipeline pick a change up at once.
func (c *Console) sync(r *http.Request) {
	if c.pipeline == nil {
		return
	}
	if err := c.pipeline.Sync(r.Context()); err != nil {
		c.log.LogAttrs(r.Context(), slog.LevelError, "console: pipeline sync", slog.String("error", err.Error()))
	}
}

func (c *Console) toggle(w http.ResponseWriter, r *http.Request, s *session) {
	segs, i, ok := c.loadSeg(w, r, s)
	if !ok {
		return
	}
	id := segs[i].ID
	active := !segs[i].Active
	if v := r.PostForm.Get("active"); v == "true" || v == "false" {
		active = v == "true"
	}
	next := append([]segment.Segmentation(nil), segs...)
	next[i].Active = active
	if errs := c.check(next, i); errs != nil {
		c.failure(w, r, s, http.StatusUnprocessableEntity, "cannot switch it on: "+errs[0].Field+": "+errs[0].Reason, nil)
		return
	}
	if err := c.rules.SetActive(r.Context(), id, active); err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	c.action(r, s, "toggle", slog.String("segmentation", id), slog.Bool("active", active))
	c.sync(r)
	http.Redirect(w, r, c.prefix+"/segmentations?done=toggled", http.StatusSeeOther)
}

func (c *Console) deleteSegmentation(w http.ResponseWriter, r *http.Request, s *session) {
	segs, i, ok := c.loadSeg(w, r, s)
	if !ok {
		return
	}
	id := segs[i].ID
	if err := c.rules.DeleteSegmentation(r.Context(), id); err != nil && !errors.Is(err, pipeline.ErrSegmentationNotFound) {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	c.action(r, s, "delete", slog.String("segmentation", id))
	c.sync(r)
	http.Redirect(w, r, c.prefix+"/segmentations?done=deleted", http.StatusSeeOther)
}

// testSegmentation runs the action on a fictitious event for the typed
// e-mail, like Hotmart's test button. The e-mail is not logged.
func (c *Console) testSegmentation(w http.ResponseWriter, r *http.Request, s *session) {
	segs, i, ok := c.loadSeg(w, r, s)
	if !ok {
		return
	}
	id := segs[i].ID
	email := strings.TrimSpace(r.PostForm.Get("email"))
	d := segData{Memory: c.memoryStore(), S: segs[i], JSON: prettySegmentation(segs[i]), CanTest: c.pipeline != nil, Email: email}
	status := http.StatusOK
	if c.pipeline == nil {
		d.TestError = "No pipeline is configured, so nothing can run."
		status = http.StatusServiceUnavailable
	} else {
		c.sync(r)
		out, err := c.pipeline.Test(r.Context(), id, email)
		switch {
		case errors.Is(err, pipeline.ErrInvalidEmail):
			d.TestError = "That is not a valid e-mail address."
			status = http.StatusBadRequest
		case err != nil:
			d.TestError = "The test could not run."
			status = http.StatusServiceUnavailable
			c.log.LogAttrs(r.Context(), slog.LevelError, "console: test", slog.String("segmentation", id), slog.String("error", err.Error()))
		default:
			d.TestResult = &out
			c.action(r, s, "test", slog.String("segmentation", id), slog.String("status", out.Status))
		}
	}
	c.render(w, r, status, "segmentation", page{Title: id, Nav: "segmentations", CSRF: s.csrf, Data: d})
}

// export answers the stored set as a rules file.
func (c *Console) export(w http.ResponseWriter, r *http.Request, s *session) {
	if c.rules == nil {
		c.failure(w, r, s, http.StatusNotFound, "no rule store is configured", nil)
		return
	}
	segs, err := c.rules.Segmentations(r.Context())
	if err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	if segs == nil {
		segs = []segment.Segmentation{}
	}
	b, err := json.MarshalIndent(segment.Rules{Segmentations: segs}, "", "  ")
	if err != nil {
		c.failure(w, r, s, http.StatusInternalServerError, "cannot export", err)
		return
	}
	c.action(r, s, "export", slog.Int("segmentations", len(segs)))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="rules.json"`)
	_, _ = w.Write(append(b, '\n'))
}
