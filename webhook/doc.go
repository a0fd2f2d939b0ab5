// Package webhook receives Hotmart webhooks: an http.Handler that verifies
// each delivery, decodes it with hotmart.ParseEvent, makes sure its effects
// happen once however often Hotmart delivers it, hands it to the host's
// Processor, and keeps a history of what it answered.
//
//	h, err := webhook.New(
//		webhook.WithHottok(os.Getenv("HOTMART_HOTTOK")),
//		webhook.WithProcessor(myProcessor),
//	)
//	mux.Handle("POST /hotmart/webhook", h)
//
// Per request the handler checks, in order: the method (POST, else 405 with
// an Allow header), the Content-Type (application/json with any parameters,
// or none at all since Hotmart does not document it; or
// application/x-www-form-urlencoded for legacy 1.0 postbacks, decoded with
// hotmart.ParseForm, or as JSON with hotmart.ParseLegacyJSON when the body
// lacks the 2.0.0 envelope; else 415), the body
// size (1 MiB by default, WithMaxBodyBytes; 413, refused before reading when
// the declared length is over, never read past the limit otherwise; the
// body is read into a pooled buffer that grows as bytes arrive, so a
// declared length costs no memory before the hottok is checked), the
// hottok (401), the envelope (400 with a short reason naming the field and
// its hotmart.Reason), and only then deduplicates and processes. A data
// field that cannot be read is not a reason to refuse the delivery: the
// event is processed without it and the delivery's history record lists it
// (Delivery.Error, "unreadable fields left absent: <path> (<reason>)"). A Processor error or panic is
// answered 500 with a generic body, so Hotmart delivers the event again.
// Event types this SDK does not know, and events a Mux has no processor
// for, are answered 200 (WithUnhandledStatus, WithProcessUnknown): any
// other answer makes Hotmart count the URL as failing.
//
// # Routing
//
// A Mux routes events to a Processor per event type, and the rest to its
// default (Mux.HandleDefault): a plain callback for one event next to the
// rules pipeline for every other one.
//
//	mux := webhook.NewMux()
//	mux.HandleFunc(hotmart.EventClubFirstAccess, welcome)
//	mux.HandleDefault(pipe) // a *pipeline.Pipeline
//	h, err := webhook.New(webhook.WithHottok(hottok), webhook.WithProcessor(mux))
//
// # Verification
//
// Hotmart authenticates a delivery only with the account's hottok, a static
// secret, sent in the X-HOTMART-HOTTOK header and sometimes also as a
// top-level "hottok" body field (legacy 1.0 forms send it only as a form
// field). The header decides when present; the body field is read only
// when the header is absent, with hotmart.BodyHottok: top level only,
// nothing else decoded, the key matched exactly ("HOTTOK" is not the
// hottok), exactly as hotmart.ParseEvent reads it. The received token is
// compared with every accepted token (WithHottok takes several, for
// rotation), in constant time over SHA-256
// digests, so neither the matching token nor the tokens' lengths show in
// the timing. New refuses to build a handler without a token, or with one
// shorter than MinHottokLength (8) characters (ErrShortHottok). A request that
// fails verification is answered 401 and its body is not decoded further.
//
// # Deduplication
//
// Hotmart delivers at least once, and retries until it gets a 2xx. A Store
// (by default a MemoryStore: bounded entries, TTL, oldest completed event
// evicted first) turns that into exactly-once processing per event id:
//
//   - an event already completed is answered 200 at once, unprocessed;
//   - a duplicate arriving while the first delivery is in flight waits for
//     it (bounded by its own request's context) and answers the same: 200
//     if it completed, 500 if it failed — and a later retry runs it again;
//   - a claim has a lease (WithLease, also the processor's time limit), so
//     an event whose holder died is taken over by the next delivery.
//
// The Store interface is written so that SQL or Redis can implement it for
// several replicas (see Store). WithStore(nil) turns deduplication off.
//
// # Steps
//
// An event often triggers several independent effects (one per
// segmentation). If one fails, the whole event is answered 500 and retried;
// StepDone and MarkStep let the retry skip the effects that already
// succeeded:
//
//	if !webhook.StepDone(ctx, seg.ID) {
//		if err := run(ctx, seg); err != nil {
//			return err
//		}
//		if err := webhook.MarkStep(ctx, seg.ID); err != nil {
//			return err
//		}
//	}
//
// Marks live in the Store with the event, survive failed attempts and are
// dropped when the event completes. Without a Store (or outside a
// delivery) StepDone reports false and MarkStep does nothing.
//
// # History
//
// Every request, rejected ones included, is recorded as a Delivery: event id
// and type (empty when the request was rejected before the body was
// trusted), received time, duration, status answered, outcome, attempt
// number per event id, redacted error, and the per-segmentation
// ActionOutcome values the processor reported with RecordAction. The
// default History is a MemoryHistory ring of the 1000 newest
// (Handler.History); Deliveries queries it newest first by event id,
// status and limit. Delivery's JSON form has the keys event_id, event,
// received_at, duration_ms, status, outcome, attempt, error and actions.
//
// # Logging
//
// WithLogger gives the handler a *slog.Logger; it writes one structured line
// per delivery (event_id, event, status, outcome, attempt, duration,
// actions, error) at Info for 2xx, Warn for 4xx and Error for 5xx. The
// default logger discards, since a library should not write to a
// program's logs unasked. Neither logs nor history ever hold a hottok or the
// buyer's e-mail, phone or document: error text is redacted of the accepted
// tokens, the event's buyer contact data, any e-mail address and any
// standalone run of nine or more digits; a processor's panic is recorded
// by its type only, never its value.
package webhook
