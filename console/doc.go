// Package console is hotmartkit's operator console: an embeddable
// http.Handler that shows Hotmart deliveries and events, replays failed and
// dead events, and lets an operator switch, edit, test, explain and delete
// segmentations without a deploy.
//
// It is server-rendered with html/template, its stylesheet and a few lines
// of optional JavaScript come from embed (no CDN, no build step), and every
// page works without JavaScript.
//
// Mount it under any prefix:
//
//	c, err := console.New(adminToken,
//		console.WithPrefix("/admin"),
//		console.WithEvents(events),     // webhook.EventLog: durable mode's, or webhook.MemoryEvents
//		console.WithHistory(history),   // webhook.History: the delivery history
//		console.WithRules(store, segment.WithProviders(leadlovers.Spec, sendpulse.Spec)),
//		console.WithPipeline(p),        // for "test with an e-mail" and executor checks
//		console.WithLogger(logger))
//	mux.Handle("/admin/", c)
//
// # Security
//
// New refuses an empty admin token; a host without one mounts nothing, so
// every console path answers 404. GET <prefix>/login exchanges the token for
// a session cookie (HttpOnly, SameSite=Strict, Secure on TLS), signed with a
// key derived from the token, so changing the token ends every session and
// replicas sharing the token share sessions. "Authorization: Bearer <token>"
// works on every page too. Tokens are compared in constant time.
//
// Every form carries a hidden "csrf" field bound to the session; a POST
// without a valid one answers 403. Every response carries a
// Content-Security-Policy that allows no inline script, X-Frame-Options:
// DENY and Cache-Control: no-store. Buyers' personal data is masked unless
// the operator asks to reveal it, and every action (login, logout, replay,
// toggle, create, edit, delete, test, reveal, export) is logged with slog,
// without personal data.
//
// # Wiring
//
// The pipeline should follow the same RuleStore (pipeline.WithRuleStore),
// so a change applies from the next event on in every process sharing the
// store. In the simple (in-request) mode, pipeline.NewMemoryRules and
// webhook.NewMemoryEvents (whose Wrap goes around the pipeline given to
// webhook.New) hold everything in memory, and the pages say so; durable
// mode supplies database-backed implementations of the same interfaces.
package console
