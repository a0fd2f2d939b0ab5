// Package pipeline is the glue between the webhook handler, the segment rule
// engine and the provider executors: a webhook.Processor that evaluates each
// event against a compiled segment.Program and runs every matching
// segmentation's action on the executor registered for its provider.
//
// A host wires it in a few lines:
//
//	prog, _ := segment.Compile(rules, segment.WithProviders(leadlovers.Spec, sendpulse.Spec))
//	p, _ := pipeline.New(prog,
//		pipeline.WithExecutor("leadlovers", llExecutor),
//		pipeline.WithExecutor("sendpulse", spExecutor))
//	h, _ := webhook.New(webhook.WithHottok(hottok), webhook.WithProcessor(p), webhook.WithStore(store))
//
// To give one event type a plain callback and leave the rest to the rules,
// register the pipeline as a webhook.Mux's default (Mux.HandleDefault); see
// Example_composition.
//
// # Exactly-once effects
//
// Each segmentation that succeeds for an event is marked done with
// webhook.MarkStep (key "segmentation:<id>"), so when one action of an event
// fails, the 500 makes Hotmart retry and the retry runs only the actions that
// did not succeed. Executors are written to be safe to re-run as well (upserts,
// look-before-write), which covers the window between a provider call
// succeeding and its step being recorded.
//
// Actions of events about the same buyer are serialised (by e-mail) inside
// one process: Hotmart often sends PURCHASE_BILLET_PRINTED and
// PURCHASE_APPROVED for one transaction seconds apart, and two executors
// looking up the same CRM contact or deal at once would both create it.
//
// # Outcomes
//
// Every action's outcome is reported with webhook.RecordAction, so the
// delivery history shows per segmentation what ran ("ok"), what failed
// ("failed", with the redacted error) and what an earlier attempt had
// already done ("skipped"). An action's error names its segmentation once;
// an executor's panic fails only its action and is logged by its type, never
// its value (which can hold the buyer's data).
package pipeline
