package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

//go:embed assets
var assetFS embed.FS

// Console is the operator console, an http.Handler. Build it with New. It is
// safe for concurrent use.
type Console struct {
	accounts []string
	prefix   string
	token    [sha256.Size]byte // digest of the admin token
	key      []byte            // signs sessions and CSRF tokens
	events   webhook.EventLog
	history  webhook.History
	rules    pipeline.RuleStore
	copts    []segment.Option
	pipeline *pipeline.Pipeline
	log      *slog.Logger
	ttl      time.Duration
	secure   bool // Secure cookies even without TLS here (a proxy terminates it)
	now      func() time.Time
	tmpl     *templates
	mux      *http.ServeMux
}

// New builds a console guarded by adminToken. It returns a *ConfigError
// matching ErrNoAdminToken for an empty token.
func New(adminToken string, opts ...Option) (*Console, error) {
	if strings.TrimSpace(adminToken) == "" {
		return nil, &ConfigError{Option: "adminToken", Reason: "empty", Err: ErrNoAdminToken}
	}
	o := options{session: 12 * time.Hour, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	tm, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, []byte(adminToken))
	mac.Write([]byte("hotmartkit console session v1"))
	c := &Console{
		accounts: o.accounts, prefix: o.prefix, token: sha256.Sum256([]byte(adminToken)), key: mac.Sum(nil),
		events: o.events, history: o.history, rules: o.rules, copts: o.copts, pipeline: o.pipeline,
		log: o.log, ttl: o.session, secure: o.secure, now: o.now, tmpl: tm, mux: http.NewServeMux(),
	}
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	static, _ := fs.Sub(assetFS, "assets")
	c.mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(static)))
	c.mux.HandleFunc("GET /login", c.loginPage)
	c.mux.HandleFunc("POST /login", c.login)

	c.handle("POST /logout", c.logout)
	c.handle("GET /{$}", c.overview)
	c.handle("GET /events", c.eventList)
	c.handle("GET /events/{id}", c.eventDetail)
	c.handle("POST /events/{id}/replay", c.replay)
	c.handle("GET /dead", c.deadList)
	c.handle("POST /dead/replay", c.replayDead)
	c.handle("GET /segmentations", c.segmentationList)
	c.handle("GET /segmentations/export", c.export)
	c.handle("GET /segmentations/new", c.newSegmentationPage)
	c.handle("POST /segmentations/new", c.createSegmentation)
	c.handle("GET /segmentations/{id}", c.segmentationPage)
	c.handle("POST /segmentations/{id}", c.saveSegmentation)
	c.handle("POST /segmentations/{id}/toggle", c.toggle)
	c.handle("POST /segmentations/{id}/delete", c.deleteSegmentation)
	c.handle("POST /segmentations/{id}/test", c.testSegmentation)
}

// handle registers an authenticated route; POSTs also need a valid CSRF
// token.
func (c *Console) handle(pattern string, h func(http.ResponseWriter, *http.Request, *session)) {
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s, ok := c.authenticate(r)
		if !ok {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, c.prefix+"/login", http.StatusSeeOther)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="hotmartkit console"`)
			c.plain(w, http.StatusUnauthorized, "unauthorized")
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if err := r.ParseForm(); err != nil {
				c.plain(w, http.StatusBadRequest, "bad form")
				return
			}
			if !hmac.Equal([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) {
				c.log.LogAttrs(r.Context(), slog.LevelWarn, "console: POST without a valid CSRF token",
					slog.String("path", r.URL.Path))
				c.plain(w, http.StatusForbidden, "forbidden: missing or invalid CSRF token")
				return
			}
		}
		h(w, r, s)
	})
}

const maxForm = 1 << 20

// Security headers on every answer, errors included. The policy allows
// only same-origin scripts and styles: no inline script, no inline style.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// ServeHTTP implements http.Handler.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")

	path := r.URL.Path
	if c.prefix != "" {
		rest, ok := strings.CutPrefix(path, c.prefix)
		switch {
		case !ok || (rest != "" && rest[0] != '/'):
			http.NotFound(w, r)
			return
		case rest == "":
			http.Redirect(w, r, c.prefix+"/", http.StatusMovedPermanently)
			return
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path, u.RawPath = rest, ""
		r2.URL = &u
		r = r2
	}
	c.mux.ServeHTTP(w, r)
}

func (c *Console) plain(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}

// action logs one operator action. attrs never carry personal data.
func (c *Console) action(r *http.Request, s *session, name string, attrs ...slog.Attr) {
	attrs = append([]slog.Attr{slog.String("action", name), slog.String("session", s.id), slog.String("remote", r.RemoteAddr)}, attrs...)
	c.log.LogAttrs(r.Context(), slog.LevelInfo, "console action", attrs...)
}
