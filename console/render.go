package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

//go:embed templates
var templateFS embed.FS

type templates struct {
	pages map[string]*template.Template
}

// page is what every template receives.
type page struct {
	Title  string
	Nav    string // which menu entry is current
	Prefix string
	CSRF   string
	Flash  string
	Error  string
	Data   any
}

var funcs = template.FuncMap{
	"maskEmail":  maskEmail,
	"maskText":   maskText,
	"maskDigits": maskDigits,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
	"whenp": func(t *time.Time) string {
		if t == nil || t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05Z")
	},
	"join": func(v any) string {
		switch x := v.(type) {
		case []string:
			return strings.Join(x, ", ")
		}
		return fmt.Sprint(v)
	},
}

func parseTemplates() (*templates, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	t := &templates{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		pt, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		t.pages[name] = pt
	}
	return t, nil
}

// render writes a whole page; the template runs into a buffer first so a
// template error answers 500, not half a page.
func (c *Console) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.Prefix = c.prefix
	t := c.tmpl.pages[name]
	var buf bytes.Buffer
	if t == nil {
		c.plain(w, http.StatusInternalServerError, "internal error")
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		c.log.LogAttrs(r.Context(), slog.LevelError, "console: rendering", slog.String("page", name), slog.String("error", err.Error()))
		c.plain(w, http.StatusInternalServerError, "internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// failure renders an error page with a public message; err (never shown)
// is logged.
func (c *Console) failure(w http.ResponseWriter, r *http.Request, s *session, status int, msg string, err error) {
	if err != nil {
		c.log.LogAttrs(r.Context(), slog.LevelError, "console: "+msg, slog.String("error", err.Error()))
	}
	c.render(w, r, status, "error", page{Title: http.StatusText(status), CSRF: s.csrf, Error: msg})
}
