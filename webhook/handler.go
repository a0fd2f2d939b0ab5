package webhook

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// HottokHeader is the header Hotmart sends the hottok in.
const HottokHeader = "X-Hotmart-Hottok"

// Handler is the http.Handler Hotmart posts webhooks to. Build it with New;
// mount it on any mux. It is safe for concurrent use.
type Handler struct {
	digests        [][sha256.Size]byte // of the accepted hottoks
	tokens         []string            // kept only to redact them from error text
	resolver       func(string) (string, bool)
	proc           Processor
	maxBody        int64
	store          Store
	history        History
	log            *slog.Logger
	lease          time.Duration
	unhandled      int
	processUnknown bool
	now            func() time.Time
}

// New builds a Handler. WithHottok and WithProcessor are required; New
// returns a *ConfigError matching ErrNoHottok or ErrNoProcessor without
// them.
func New(opts ...Option) (*Handler, error) {
	o := options{
		maxBody:         DefaultMaxBodyBytes,
		lease:           DefaultLease,
		unhandledStatus: http.StatusOK,
		now:             time.Now,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	switch {
	case o.resolver != nil && len(o.tokens) > 0:
		return nil, &ConfigError{Option: "WithHottokResolver", Reason: "give either WithHottok or WithHottokResolver, not both"}
	case o.resolver == nil && len(o.tokens) == 0:
		return nil, &ConfigError{Option: "WithHottok", Reason: "at least one hottok is required", Err: ErrNoHottok}
	}
	if o.processor == nil {
		return nil, &ConfigError{Option: "WithProcessor", Reason: "a processor is required", Err: ErrNoProcessor}
	}
	if !o.storeSet {
		s, err := NewMemoryStore()
		if err != nil {
			return nil, err
		}
		o.store = s
	}
	if !o.historySet {
		hist, err := NewMemoryHistory(DefaultHistorySize)
		if err != nil {
			return nil, err
		}
		o.history = hist
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	h := &Handler{
		tokens:         append([]string(nil), o.tokens...),
		resolver:       o.resolver,
		proc:           o.processor,
		maxBody:        o.maxBody,
		store:          o.store,
		history:        o.history,
		log:            o.logger,
		lease:          o.lease,
		unhandled:      o.unhandledStatus,
		processUnknown: o.processUnknown,
		now:            o.now,
	}
	for _, t := range o.tokens {
		h.digests = append(h.digests, sha256.Sum256([]byte(t)))
	}
	return h, nil
}

// History returns where the handler records deliveries (nil when recording
// is off), so a program can serve it, e.g. on an admin route.
func (h *Handler) History() History { return h.history }

// Fixed header values, shared so answering allocates nothing for them.
var (
	hdrText    = []string{"text/plain; charset=utf-8"}
	hdrNoSniff = []string{"nosniff"}
	hdrPost    = []string{http.MethodPost}
)

// result is what serving one request came to.
type result struct {
	status  int
	body    string // short public reason
	outcome string
	err     string // for the record and the log, before redaction
	event   *hotmart.Event
}

// ServeHTTP verifies, decodes, deduplicates and processes one delivery, then
// records and logs it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	rec := Delivery{ReceivedAt: start}
	res := h.serve(r, &rec)

	hdr := w.Header()
	hdr["Content-Type"] = hdrText
	hdr["X-Content-Type-Options"] = hdrNoSniff
	if res.status == http.StatusMethodNotAllowed {
		hdr["Allow"] = hdrPost
	}
	w.WriteHeader(res.status)
	_, _ = io.WriteString(w, res.body)

	rec.Duration = h.now().Sub(start)
	rec.Status = res.status
	rec.Outcome = res.outcome
	if ev := res.event; ev != nil {
		rec.EventID, rec.Event = ev.ID, ev.Type
	}
	if res.status == http.StatusUnauthorized {
		rec.Account = ""
	}
	tokens := h.tokens
	if h.resolver != nil {
		// The handler holds no token list then: redact the one this
		// request carried.
		if v := r.Header.Get(HottokHeader); len(v) >= MinHottokLength {
			tokens = []string{v}
		}
	}
	rec.Error = redact(withWarnings(res.err, res.event), tokens, res.event)
	for i := range rec.Actions {
		rec.Actions[i].Error = redact(rec.Actions[i].Error, tokens, res.event)
	}
	if h.history != nil {
		if err := h.history.Record(context.WithoutCancel(r.Context()), rec); err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelError, "hotmart webhook: recording delivery failed",
				slog.String("error", redact(err.Error(), h.tokens, res.event)))
		}
	}
	h.logDelivery(r.Context(), &rec)
}

func (h *Handler) logDelivery(ctx context.Context, d *Delivery) {
	level := slog.LevelInfo
	switch {
	case d.Status >= 500:
		level = slog.LevelError
	case d.Status >= 400:
		level = slog.LevelWarn
	}
	if !h.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("event_id", d.EventID),
		slog.String("event", string(d.Event)),
		slog.Int("status", d.Status),
		slog.String("outcome", d.Outcome),
		slog.Int("attempt", d.Attempt),
		slog.Duration("duration", d.Duration),
		slog.Int("actions", len(d.Actions)),
	}
	if d.Error != "" {
		attrs = append(attrs, slog.String("error", d.Error))
	}
	h.log.LogAttrs(ctx, level, "hotmart webhook delivery", attrs...)
}

func reject(status int, body string) result {
	return result{status: status, body: body, outcome: OutcomeRejected, err: body}
}

type bodyKind int

const (
	bodyJSON bodyKind = iota
	bodyForm
)

func (h *Handler) serve(r *http.Request, rec *Delivery) result {
	if r.Method != http.MethodPost {
		return reject(http.StatusMethodNotAllowed, "method not allowed")
	}
	kind, ok := contentKind(r.Header.Get("Content-Type"))
	if !ok {
		return reject(http.StatusUnsupportedMediaType, "unsupported content type")
	}
	buf, res, ok := h.readBody(r)
	if !ok {
		return res
	}
	// Neither decoder keeps a reference to the body, so the buffer can go
	// back once the event is decoded and processed.
	defer putBuffer(buf)
	switch kind {
	case bodyForm:
		return h.serveForm(r, rec, buf.Bytes())
	default:
		return h.serveJSON(r, rec, buf.Bytes())
	}
}

// contentKind accepts application/json with any parameters, and a missing
// Content-Type (Hotmart does not document the header; its body is JSON).
func contentKind(ct string) (bodyKind, bool) {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	switch {
	case ct == "", strings.EqualFold(ct, "application/json"):
		return bodyJSON, true
	case strings.EqualFold(ct, "application/x-www-form-urlencoded"):
		return bodyForm, formSupported
	}
	return 0, false
}

// readBody reads at most maxBody bytes into a pooled buffer that grows only
// as bytes arrive: a declared Content-Length is a claim, not yet backed by
// anything, and the hottok has not been checked, so it decides nothing but
// the limit. A declared length over the limit is refused before reading
// anything; a declared length is read exactly, never past it (fewer bytes
// is an error); an undeclared one is read up to the limit. The caller puts
// the buffer back with putBuffer once nothing refers to the body.
func (h *Handler) readBody(r *http.Request) (*bytes.Buffer, result, bool) {
	if r.ContentLength > h.maxBody {
		return nil, reject(http.StatusRequestEntityTooLarge, "body too large"), false
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	if r.Body == nil || r.ContentLength == 0 {
		return buf, result{}, true
	}
	limit := h.maxBody + 1 // one byte more tells "too large" from "exactly the limit"
	if r.ContentLength > 0 {
		limit = r.ContentLength
	}
	n, err := buf.ReadFrom(io.LimitReader(r.Body, limit))
	switch {
	case err != nil:
		putBuffer(buf)
		return nil, reject(http.StatusBadRequest, "could not read body"), false
	case r.ContentLength > 0 && n < r.ContentLength:
		putBuffer(buf)
		return nil, reject(http.StatusBadRequest, "could not read body"), false
	case n > h.maxBody:
		putBuffer(buf)
		return nil, reject(http.StatusRequestEntityTooLarge, "body too large"), false
	}
	return buf, result{}, true
}

// bodyPool holds request-body buffers. Hotmart bodies are a few KiB, so a
// warm buffer takes a whole body without growing.
var bodyPool = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 8<<10)) }}

// maxPooledBuffer keeps the odd large body's buffer out of the pool, so one
// big request does not pin its memory for good.
const maxPooledBuffer = 64 << 10

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		bodyPool.Put(b)
	}
}

// authorized checks the request's hottok: the header when present, else the
// body's top-level field. Every accepted token is compared, in constant time
// over SHA-256 digests, so neither the match position nor the tokens'
// lengths show in the timing.
//
// With a resolver (WithHottokResolver), the resolver decides, and the
// account it names is recorded on rec.
func (h *Handler) authorized(r *http.Request, rec *Delivery, bodyToken func() string) bool {
	var got string
	if v, present := r.Header[HottokHeader]; present {
		if len(v) > 0 {
			got = v[0]
		}
	} else {
		got = bodyToken()
	}
	if got == "" {
		return false
	}
	if h.resolver != nil {
		acct, ok := h.resolver(got)
		if ok {
			rec.Account = acct
		}
		return ok
	}
	sum := sha256.Sum256([]byte(got))
	match := 0
	for i := range h.digests {
		match |= subtle.ConstantTimeCompare(sum[:], h.digests[i][:])
	}
	return match == 1
}

func (h *Handler) serveJSON(r *http.Request, rec *Delivery, body []byte) result {
	if !h.authorized(r, rec, func() string { return hotmart.BodyHottok(body) }) {
		return reject(http.StatusUnauthorized, "invalid hottok")
	}
	ev, err := hotmart.ParseEvent(body)
	if err != nil && ev == nil && isLegacyShaped(err) {
		// Some 1.0 configurations post the flat postback fields as JSON.
		if lev, lerr := hotmart.ParseLegacyJSON(body); lerr == nil {
			ev, err = lev, nil
		}
	}
	if err != nil {
		return malformed(ev, err)
	}
	return h.dispatch(r, rec, ev)
}

// isLegacyShaped reports whether ParseEvent failed only for want of the 2.0.0
// envelope's id or event, as a flat 1.0 postback sent as JSON does.
func isLegacyShaped(err error) bool {
	var de *hotmart.DecodeError
	return errors.As(err, &de) && de.Reason == hotmart.ReasonMissing && (de.Field == "id" || de.Field == "event")
}

// withWarnings adds the event's decode warnings (fields left absent because
// their values could not be read) to the delivery's error text, so the
// history shows them for deliveries that were processed all the same. A
// warning names the field's path and the reason, never its value.
func withWarnings(errText string, ev *hotmart.Event) string {
	if ev == nil || len(ev.Warnings) == 0 {
		return errText
	}
	var b strings.Builder
	b.WriteString(errText)
	if errText != "" {
		b.WriteString("; ")
	}
	b.WriteString("unreadable fields left absent:")
	for i, w := range ev.Warnings {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" ")
		b.WriteString(w.Field)
		b.WriteString(" (")
		b.WriteString(string(w.Reason))
		b.WriteString(")")
	}
	return b.String()
}

func malformed(ev *hotmart.Event, err error) result {
	msg := "malformed event"
	var de *hotmart.DecodeError
	if errors.As(err, &de) {
		if de.Field != "" {
			msg += ": field " + de.Field
		}
		msg += ": " + string(de.Reason)
	}
	res := reject(http.StatusBadRequest, msg)
	res.event = ev // nil unless only the data section failed
	return res
}

// dispatch deduplicates and processes a verified, decoded event.
func (h *Handler) dispatch(r *http.Request, rec *Delivery, ev *hotmart.Event) result {
	if h.store == nil {
		return h.process(r, rec, ev, 0)
	}
	ctx := r.Context()
	key := ScopeID(rec.Account, ev.ID)
	// A claim whose lease expired while we waited is claimed again; a few
	// rounds are enough for that, and the bound keeps a broken Store from
	// spinning.
	for range 3 {
		claim, err := h.store.Begin(ctx, key, h.lease)
		if err != nil {
			return result{status: http.StatusServiceUnavailable, body: "try again later", outcome: OutcomeFailed,
				err: "store: " + err.Error(), event: ev}
		}
		rec.Attempt = claim.Attempt
		switch claim.State {
		case AlreadyCompleted:
			return result{status: http.StatusOK, body: "ok", outcome: OutcomeDuplicate, event: ev}
		case InFlight:
			wr, err := h.store.Wait(ctx, key)
			switch {
			case err != nil:
				return result{status: http.StatusServiceUnavailable, body: "try again later", outcome: OutcomeDuplicate,
					err: "gave up waiting for the delivery in flight: " + err.Error(), event: ev}
			case wr.Completed:
				return result{status: http.StatusOK, body: "ok", outcome: OutcomeDuplicate, event: ev}
			case wr.Status != 0:
				return result{status: wr.Status, body: http.StatusText(wr.Status), outcome: OutcomeDuplicate,
					err: "the delivery in flight failed", event: ev}
			}
		case Claimed:
			res := h.process(r, rec, ev, claim.Attempt)
			end := context.WithoutCancel(ctx)
			if res.status < 300 {
				err = h.store.Complete(end, key, claim.Token)
			} else {
				err = h.store.Fail(end, key, claim.Token, res.status)
			}
			if err != nil && res.err == "" {
				res.err = "store: " + err.Error()
			}
			return res
		default:
			return result{status: http.StatusInternalServerError, body: "internal error", outcome: OutcomeFailed,
				err: fmt.Sprintf("store: unknown claim state %d", claim.State), event: ev}
		}
	}
	return result{status: http.StatusServiceUnavailable, body: "try again later", outcome: OutcomeDuplicate,
		err: "event still in flight", event: ev}
}

// process runs the processor under the lease, detached from the request's
// cancellation: Hotmart hanging up must not cut a run half way through.
func (h *Handler) process(r *http.Request, rec *Delivery, ev *hotmart.Event, attempt int) result {
	if !ev.Type.Known() && !h.processUnknown {
		return h.unhandledResult(ev, "unknown event type")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), h.lease)
	defer cancel()
	if rec.Account != "" {
		ctx = ContextWithAccount(ctx, rec.Account)
	}
	dc := &deliveryCtx{Context: ctx, d: delivery{store: h.store, eventID: ScopeID(rec.Account, ev.ID), attempt: attempt}}
	err := h.safeProcess(dc, ev)
	rec.Actions = dc.d.takeActions()
	switch {
	case err == nil:
		return result{status: http.StatusOK, body: "ok", outcome: OutcomeProcessed, event: ev}
	case errors.Is(err, ErrNoHandler):
		return h.unhandledResult(ev, "no processor for event type")
	case errors.Is(err, ErrDuplicate):
		return result{status: http.StatusOK, body: "ok", outcome: OutcomeDuplicate, event: ev}
	case errors.Is(err, ErrUnavailable):
		return result{status: http.StatusServiceUnavailable, body: "try again later", outcome: OutcomeFailed,
			err: err.Error(), event: ev}
	default:
		return result{status: http.StatusInternalServerError, body: "processing failed", outcome: OutcomeFailed,
			err: err.Error(), event: ev}
	}
}

func (h *Handler) unhandledResult(ev *hotmart.Event, why string) result {
	res := result{status: h.unhandled, body: http.StatusText(h.unhandled), outcome: OutcomeUnhandled, event: ev}
	if h.unhandled >= 300 {
		res.err = why
	}
	return res
}

// safeProcess turns a panic into an error. The panic value is not kept: it
// may hold anything, personal data included.
func (h *Handler) safeProcess(ctx context.Context, ev *hotmart.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			err = fmt.Errorf("processor panicked (%T)", p)
		}
	}()
	return h.proc.Process(ctx, ev)
}
