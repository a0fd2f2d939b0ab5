package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// app is the wired program: the webhook handler running the pipeline, and
// the health and admin routes around it.
type app struct {
	cfg      config
	program  *segment.Program
	pipeline *pipeline.Pipeline
	webhook  *webhook.Handler
	mux      *http.ServeMux
	// What the console reads and changes: the rule store the pipeline
	// follows, the event log and the delivery history. Durable mode swaps in
	// its database-backed implementations.
	rules   pipeline.RuleStore
	copts   []segment.Option
	events  webhook.EventLog
	history webhook.History
	// engine is durable mode's database and workers; nil with -db memory.
	engine *durable.Engine
	// accounts is set with -accounts (several accounts).
	accounts *accountSet
}

// appOptions are what the demo and tests change beyond the configuration.
type appOptions struct {
	logger   *slog.Logger
	observer func(pipeline.Result)
	// retryWait shortens provider retry waits (tests, demo).
	retryWait time.Duration
	// durable adds options to durable.Open (tests and the demo shorten
	// backoff and polling).
	durable []durable.Option
	// syncOptions and restOptions tune reconciliation and the accounts'
	// REST clients (tests point them at fakes and shorten windows).
	syncOptions []accounts.SyncOption
	restOptions []rest.Option
}

// loadRules reads the rules file named by the configuration; without one,
// the program runs with no segmentations (deliveries are still verified,
// deduplicated and recorded).
func loadRules(c config) ([]byte, problems) {
	if c.rulesFile == "" {
		return []byte(`{"segmentations": []}`), nil
	}
	b, err := os.ReadFile(c.rulesFile)
	if err != nil {
		var p problems
		p.add("-rules [RULES_FILE]: cannot read %s: %v", c.rulesFile, errors.Unwrap(err))
		return nil, p
	}
	return b, nil
}

// newApp compiles the rules and builds clients, executors, pipeline and
// routes. Every configuration problem is reported, not only the first.
func newApp(c config, rules []byte, o appOptions) (*app, problems) {
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	var p problems
	parsed, err := segment.ParseRules(rules)
	var prog *segment.Program
	copts := []segment.Option{segment.WithProviders(leadlovers.Spec, sendpulse.Spec)}
	if err == nil {
		prog, err = segment.Compile(parsed, copts...)
	}
	if err != nil {
		var re *segment.RulesError
		if errors.As(err, &re) {
			for _, pr := range re.Problems {
				p.add("%s: %s", rulesSource(c), pr.String())
			}
		} else {
			p.add("%s: %v", rulesSource(c), err)
		}
		return nil, p
	}
	for i, s := range parsed.Segmentations {
		if !s.Active {
			continue
		}
		switch {
		case s.Action.Provider == "leadlovers" && !c.hasLeadlovers():
			p.add("segmentations[%d] (id %q): action.provider: leadlovers needs -leadlovers-token [LEADLOVERS_TOKEN]", i, s.ID)
		case s.Action.Provider == "sendpulse" && !c.hasSendpulse():
			p.add("segmentations[%d] (id %q): action.provider: sendpulse needs -sendpulse-api-key [SENDPULSE_API_KEY] or -sendpulse-client-id/-sendpulse-client-secret [SENDPULSE_CLIENT_ID/SECRET]", i, s.ID)
		}
	}
	if len(p) > 0 {
		return nil, p
	}

	// Durable mode opens the database first: the segmentations live there
	// (seeded from the rules file on first start), so the pipeline follows
	// the database's rule store and every replica sees console edits. The
	// engine runs the pipeline through a forward reference, set below
	// before any worker starts (Start comes later, in serve or the demo).
	var (
		ruleStore pipeline.RuleStore
		eng       *durable.Engine
		pl        *pipeline.Pipeline
	)
	if c.durable() {
		eng, err = openEngine(c, webhook.ProcessorFunc(func(ctx context.Context, e *hotmart.Event) error {
			return pl.Process(ctx, e)
		}), o)
		if err != nil {
			p.add("-db [DATABASE_URL]: %v", err)
			return nil, p
		}
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		_, err = eng.SeedRules(sctx, parsed)
		cancel()
		if err != nil {
			_ = eng.Stop(context.Background())
			p.add("-db [DATABASE_URL]: storing the rules: %v", err)
			return nil, p
		}
		ruleStore = eng.RuleStore()
	} else {
		ruleStore = pipeline.NewMemoryRules(parsed)
	}
	stopEngine := func() {
		if eng != nil {
			_ = eng.Stop(context.Background())
		}
	}
	var popts = []pipeline.Option{pipeline.WithLogger(o.logger), pipeline.WithRuleStore(ruleStore, copts...)}
	if o.observer != nil {
		popts = append(popts, pipeline.WithObserver(o.observer))
	}
	if c.hasLeadlovers() {
		lopts := []leadlovers.Option{leadlovers.WithBaseURL(c.leadloversURL), leadlovers.WithLogger(o.logger), leadlovers.WithUserAgent("hotmartkit-pipeline")}
		if o.retryWait > 0 {
			lopts = append(lopts, leadlovers.WithRetry(3, o.retryWait, 4*o.retryWait), leadlovers.WithThrottleWait(o.retryWait, 4*o.retryWait), leadlovers.WithRateLimit(0, 1))
		}
		lc, err := leadlovers.NewClient(leadlovers.Credentials{Token: c.leadloversToken}, lopts...)
		if err != nil {
			p.add("-leadlovers-token [LEADLOVERS_TOKEN]: %v", err)
		} else if ex, err := leadlovers.NewExecutor(lc, leadlovers.WithExecutorLogger(o.logger)); err != nil {
			p.add("leadlovers: %v", err)
		} else {
			popts = append(popts, pipeline.WithExecutor("leadlovers", ex))
		}
	}
	if c.hasSendpulse() {
		sopts := []sendpulse.Option{sendpulse.WithBaseURL(c.sendpulseURL), sendpulse.WithLogger(o.logger), sendpulse.WithUserAgent("hotmartkit-pipeline")}
		creds := sendpulse.Credentials{APIKey: c.sendpulseAPIKey}
		if c.sendpulseAPIKey == "" {
			creds = sendpulse.Credentials{ClientID: c.sendpulseID, ClientSecret: c.sendpulseSecret}
		}
		if o.retryWait > 0 {
			sopts = append(sopts, sendpulse.WithRetry(3, o.retryWait, 4*o.retryWait), sendpulse.WithRateLimit(0, 1))
		}
		sc, err := sendpulse.NewClient(creds, sopts...)
		if err != nil {
			p.add("-sendpulse-api-key / -sendpulse-client-id: %v", err)
		} else if ex, err := sendpulse.NewExecutor(sc, sendpulse.WithExecutorLogger(o.logger)); err != nil {
			p.add("sendpulse: %v", err)
		} else {
			popts = append(popts, pipeline.WithExecutor("sendpulse", ex))
		}
	}
	if len(p) > 0 {
		stopEngine()
		return nil, p
	}
	pl, err = pipeline.New(nil, popts...)
	if err != nil {
		stopEngine()
		p.add("rules: %v", err)
		return nil, p
	}
	var (
		wh     *webhook.Handler
		events webhook.EventLog
	)
	if eng != nil {
		events = eng
		wh, err = webhook.New(
			webhook.WithHottok(c.hottoks...),
			webhook.WithProcessor(eng.Intake()),
			webhook.WithStore(nil), // dedupe lives in the database
			webhook.WithHistory(eng.History()),
			webhook.WithLogger(o.logger),
		)
	} else {
		store, serr := webhook.NewMemoryStore()
		if serr != nil {
			p.add("store: %v", serr)
			return nil, p
		}
		mem, merr := webhook.NewMemoryEvents(webhook.DefaultHistorySize)
		if merr != nil {
			p.add("events: %v", merr)
			return nil, p
		}
		events = mem
		wh, err = webhook.New(
			webhook.WithHottok(c.hottoks...),
			webhook.WithProcessor(mem.Wrap(pl, store)),
			webhook.WithStore(store),
			webhook.WithLogger(o.logger),
			webhook.WithLease(c.lease()),
		)
	}
	if err != nil {
		stopEngine()
		p.add("-hottok [HOTMART_HOTTOK]: %v", err)
		return nil, p
	}

	a := &app{cfg: c, program: prog, pipeline: pl, webhook: wh, engine: eng,
		rules: ruleStore, copts: copts, events: events, history: wh.History()}
	a.mux = a.routes()
	if c.adminToken != "" {
		a.mux.Handle("POST /segmentations/{id}/test", a.admin(http.HandlerFunc(a.testSegmentation)))
		if err := a.mountConsole(o.logger); err != nil {
			stopEngine()
			p.add("-admin-token [ADMIN_TOKEN]: %v", err)
			return nil, p
		}
	}
	return a, nil
}

// routes are the routes of both modes: the webhook, health, and with an
// admin token the delivery history and, in durable mode, the event log.
func (a *app) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle(a.cfg.path, a.webhook)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if a.cfg.adminToken != "" {
		mux.Handle("GET /deliveries", a.admin(http.HandlerFunc(a.deliveries)))
		if a.engine != nil {
			mux.Handle("GET /events", a.admin(http.HandlerFunc(a.listEvents)))
			mux.Handle("GET /events/{event_id}", a.admin(http.HandlerFunc(a.event)))
			mux.Handle("POST /events/{event_id}/replay", a.admin(http.HandlerFunc(a.replay)))
		}
	}
	return mux
}

func rulesSource(c config) string {
	if c.rulesFile == "" {
		return "rules"
	}
	return c.rulesFile
}

// admin requires "Authorization: Bearer <admin token>", compared in
// constant time.
func (a *app) admin(next http.Handler) http.Handler {
	want := []byte(a.cfg.adminToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="hotmartkit"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// deliveries answers the delivery history, newest first. Optional query
// parameters: event_id, status (HTTP status answered), limit.
func (a *app) deliveries(w http.ResponseWriter, r *http.Request) {
	q := webhook.Query{EventID: r.URL.Query().Get("event_id"), Account: r.URL.Query().Get("account")}
	for name, dst := range map[string]*int{"status": &q.Status, "limit": &q.Limit} {
		if v := r.URL.Query().Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": name + " must be a non-negative integer"})
				return
			}
			*dst = n
		}
	}
	ds, err := a.webhook.History().Deliveries(r.Context(), q)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "history unavailable"})
		return
	}
	if ds == nil {
		ds = []webhook.Delivery{}
	}
	writeJSON(w, http.StatusOK, ds)
}

// testSegmentation runs one segmentation's action on a fictitious event
// for the given e-mail, whatever its conditions say — like the test button
// of Hotmart's segmentation tool.
func (a *app) testSegmentation(w http.ResponseWriter, r *http.Request) {
	a.testSegmentationOf(w, r, a.pipeline)
}

// testSegmentationOf is testSegmentation on one pipeline (one account's,
// with several accounts).
func (a *app) testSegmentationOf(w http.ResponseWriter, r *http.Request, pl *pipeline.Pipeline) {
	id := r.PathValue("id")
	// The rules in force now, console edits included.
	if err := pl.Sync(r.Context()); err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "rules unavailable"})
		return
	}
	if _, ok := pl.Program().Segmentation(id); !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no segmentation with that id"})
		return
	}
	var req struct {
		Email string `json:"email"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	if err := dec.Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `body must be {"email": "..."}`})
		return
	}
	out, err := pl.Test(r.Context(), id, req.Email)
	switch {
	case errors.Is(err, pipeline.ErrSegmentationNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no segmentation with that id"})
	case errors.Is(err, pipeline.ErrInvalidEmail):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "email is not a valid address"})
	case err != nil:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "cannot run the test"})
	default:
		writeJSON(w, http.StatusOK, out)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
