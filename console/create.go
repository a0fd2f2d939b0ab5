package console

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/hotmartkit/hotmartkit/segment"
)

// newTemplate is what the "new segmentation" form starts from. It is
// inactive, as Hotmart's tool makes a new segmentation.
const newTemplate = `{
  "id": "",
  "name": "",
  "active": false,
  "events": ["PURCHASE_APPROVED"],
  "conditions": [],
  "action": {"provider": "", "command": ""}
}`

type newSegData struct {
	Memory bool
	JSON   string
	Errors []fieldError
}

func (c *Console) newSegmentationPage(w http.ResponseWriter, r *http.Request, s *session) {
	if c.rules == nil {
		c.failure(w, r, s, http.StatusNotFound, "no rule store is configured", nil)
		return
	}
	c.render(w, r, http.StatusOK, "newseg", page{Title: "New segmentation", Nav: "segmentations", CSRF: s.csrf,
		Data: newSegData{Memory: c.memoryStore(), JSON: newTemplate}})
}

// createSegmentation adds a segmentation after compiling the whole set
// with it; problems show next to their field and nothing is saved.
func (c *Console) createSegmentation(w http.ResponseWriter, r *http.Request, s *session) {
	if c.rules == nil {
		c.failure(w, r, s, http.StatusNotFound, "no rule store is configured", nil)
		return
	}
	segs, err := c.rules.Segmentations(r.Context())
	if err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	text := r.PostForm.Get("json")
	created, errs := parseOne(text)
	if errs == nil {
		id := strings.TrimSpace(created.ID)
		switch {
		case id == "":
			errs = []fieldError{{Field: "id", Reason: "required"}}
		case id == "new" || id == "export" || strings.ContainsAny(id, "/?#"):
			errs = []fieldError{{Field: "id", Reason: fmt.Sprintf("%q cannot be used as an id here", id)}}
		}
		for _, sg := range segs {
			if errs == nil && sg.ID == created.ID {
				errs = []fieldError{{Field: "id", Reason: "a segmentation with this id exists; edit it instead"}}
			}
		}
	}
	if errs == nil {
		errs = c.check(append(append([]segment.Segmentation(nil), segs...), created), len(segs))
	}
	if errs != nil {
		c.render(w, r, http.StatusUnprocessableEntity, "newseg", page{Title: "New segmentation", Nav: "segmentations",
			CSRF: s.csrf, Error: "Not saved: fix the problems below.", Data: newSegData{Memory: c.memoryStore(), JSON: text, Errors: errs}})
		return
	}
	if err := c.rules.PutSegmentation(r.Context(), created); err != nil {
		c.failure(w, r, s, http.StatusServiceUnavailable, "the rule store is unavailable", err)
		return
	}
	c.action(r, s, "create", slog.String("segmentation", created.ID), slog.Bool("active", created.Active))
	c.sync(r)
	http.Redirect(w, r, c.prefix+"/segmentations/"+url.PathEscape(created.ID)+"?done=saved", http.StatusSeeOther)
}
