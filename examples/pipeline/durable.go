package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hotmartkit/hotmartkit/durable"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// The timeouts agree with each other: an attempt (or, in memory mode, one
// in-request run) ends before the shutdown wait does, and the write timeout
// outlasts the run it answers for.

// lease bounds one in-request run in memory mode: the job timeout, but
// short enough for a shutdown to wait it out.
func (c config) lease() time.Duration {
	l := c.jobTimeout
	if l <= 0 {
		l = webhook.DefaultLease
	}
	if c.shutdownTimeout > 2*time.Second && l > c.shutdownTimeout-time.Second {
		l = c.shutdownTimeout - time.Second
	}
	return l
}

// writeTimeout outlasts the longest answer: in durable mode a commit, in
// memory mode a whole run.
func (c config) writeTimeout() time.Duration {
	if c.durable() {
		return 30 * time.Second
	}
	return c.lease() + 10*time.Second
}

// openEngine opens durable mode's database (migrating it) with the
// configured limits. The workers start in serve.
func openEngine(c config, proc webhook.Processor, o appOptions) (*durable.Engine, error) {
	opts := []durable.Option{durable.WithLogger(o.logger)}
	if c.workers > 0 {
		opts = append(opts, durable.WithWorkers(c.workers))
	}
	if c.maxAttempts > 0 {
		opts = append(opts, durable.WithMaxAttempts(c.maxAttempts))
	}
	if c.retryMaxDelay > 0 {
		opts = append(opts, durable.WithRetryMaxDelay(c.retryMaxDelay))
	}
	if c.jobTimeout > 0 {
		opts = append(opts, durable.WithJobTimeout(c.jobTimeout))
	}
	opts = append(opts, o.durable...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	eng, err := durable.Open(ctx, c.db, proc, opts...)
	if err != nil {
		return nil, errors.New(hidePassword(err.Error(), c.db))
	}
	return eng, nil
}

// hidePassword keeps a database password out of messages.
func hidePassword(msg, dbURL string) string {
	if u, err := url.Parse(dbURL); err == nil && u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			msg = strings.ReplaceAll(msg, pw, "xxxxx")
		}
	}
	return msg
}

// listEvents answers GET /events?state=S&limit=N, newest first.
func (a *app) listEvents(w http.ResponseWriter, r *http.Request) {
	q := webhook.EventQuery{State: webhook.EventState(r.URL.Query().Get("state")), Account: r.URL.Query().Get("account")}
	switch q.State {
	case "", webhook.StateQueued, webhook.StateRunning, webhook.StateRetrying, webhook.StateDone, webhook.StateDead, webhook.StateStale:
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "state must be one of queued, running, retrying, done, dead, stale"})
		return
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "limit must be a non-negative integer"})
			return
		}
		q.Limit = n
	}
	evs, err := a.engine.Events(r.Context(), q)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, evs)
}

// event answers GET /events/{event_id}; 404 for an unknown id.
func (a *app) event(w http.ResponseWriter, r *http.Request) {
	ev, err := a.engine.Event(r.Context(), eventKey(r))
	a.answerEvent(w, http.StatusOK, ev, err)
}

// replay answers POST /events/{event_id}/replay with 202 and the event.
func (a *app) replay(w http.ResponseWriter, r *http.Request) {
	ev, err := a.engine.Replay(r.Context(), eventKey(r))
	a.answerEvent(w, http.StatusAccepted, ev, err)
}

// eventKey is the event id of the path, scoped by ?account= when given:
// with several accounts the same webhook event id may exist in two.
// Synthetic ids (sync:<account>:…) name their account already.
func eventKey(r *http.Request) string {
	id := r.PathValue("event_id")
	if acct := r.URL.Query().Get("account"); acct != "" && !strings.HasPrefix(id, "sync:") {
		return webhook.ScopeID(acct, id)
	}
	return id
}

func (a *app) answerEvent(w http.ResponseWriter, status int, ev webhook.EventRecord, err error) {
	switch {
	case errors.Is(err, webhook.ErrEventNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no event with that id"})
	case err != nil:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "database unavailable"})
	default:
		writeJSON(w, status, ev)
	}
}

// start starts the workers (durable mode).
func (a *app) start(ctx context.Context) error {
	if a.engine == nil {
		return nil
	}
	if err := a.engine.Start(ctx); err != nil {
		return fmt.Errorf("starting workers: %w", err)
	}
	return nil
}

// stop lets running jobs finish until ctx ends; what is left runs after the
// next start.
func (a *app) stop(ctx context.Context) error {
	if a.engine == nil {
		return nil
	}
	return a.engine.Stop(ctx)
}
