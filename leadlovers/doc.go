// Package leadlovers is a client for the leadlovers e-mail marketing API
// ("llapi") and the executor that runs hotmartkit's lead-machine actions
// (add_lead, move_lead, remove_lead) when Hotmart events match a
// segmentation.
//
//	c, err := leadlovers.NewClient(leadlovers.Credentials{Token: os.Getenv("LEADLOVERS_TOKEN")})
//	…
//	_, err = c.Leads.Upsert(ctx, &leadlovers.Lead{
//		Email: "ana@example.com", MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1,
//	})
//
// Calls are grouped by API area: Machines, Sequences, Levels (the pickers
// for a machine → sequence → level), Leads (write, read, locate, move,
// remove, score, tag), Tags, RestHooks and Account. Listings come as a page
// method (List, answering a *Page[T]) and an iterator over every page (All).
//
// # Authentication
//
// leadlovers authenticates with the account's personal API token, sent as
// the "token" query parameter of every request. NewClient refuses an empty
// Credentials.Token. Because the token sits in the URL, the client removes it from
// every URL, error message and log line it produces, together with lead
// e-mails and phone numbers; nothing this package returns or logs holds
// them.
//
// # Errors
//
// leadlovers often answers HTTP 200 with a failure in the body
// ({"StatusCode":400,"Message":"Código da Máquina inválido"}). Every
// response body is checked: a StatusCode other than 2xx/"OK" (number or
// string) or a non-empty Exception makes the call fail with an *APIError,
// as does a non-2xx status. Its StatusCode is the HTTP status, Code the
// body's StatusCode as sent and Message the body's message. IsNotFound,
// IsDuplicate and IsRateLimited classify them. Arguments that cannot be
// right (an empty e-mail, a machine code of 0) are refused before anything
// is sent, with an *ArgumentError naming the field.
//
// # Rate limits
//
// leadlovers publishes no limit but blocks fast clients, with HTTP 429 or
// Cloudflare's "error code: 1015" page. The client paces itself (by default
// one request a second with bursts of three; WithRateLimit, SetRateLimit)
// and treats both blocks as throttling: the call is retried, for every
// method, after the Retry-After leadlovers sent or, when it sent none, after
// a long wait (WithThrottleWait, 60 s by default), and the whole client
// pauses meanwhile. When the retries run out the error is a
// *RateLimitError. Network errors and 5xx are retried only for calls that
// are safe to repeat (GET, PUT, DELETE); a POST is never sent twice.
// Cancelling the context ends any wait at once.
//
// # Queued writes
//
// Leads.Insert (POST /Lead) only queues the lead: leadlovers answers
// "Novo lead inserido na fila para processamento." and creates the lead
// later, so a Get, Update or Locations right after may not see it yet.
// Removal from a machine is also a request processed later. Prefer
// Leads.Upsert (PUT /Lead), which creates or updates and can be repeated;
// schedule follow-up reads or updates with a delay rather than chaining
// them.
//
// # Executor
//
// Spec describes the three commands to segment.Compile
// (segment.WithProviders(leadlovers.Spec)); it checks each action's
// parameters and reports every problem at once as ParamErrors, one
// *ParamError (Field, Reason, Suggestion) per problem — "did you mean" for a
// misspelled parameter name — each unwrapping to the *segment.ParamError
// segment.Compile reads. NewExecutor returns the segment.Executor that runs
// them:
//
//   - add_lead {send, machine, sequence, level, tag?, billet_field?,
//     fields?}: upserts the buyer into the machine, sequence and level.
//     The e-mail is always sent (it is leadlovers' key); "send" adds
//     "name", "phone" and "billet_url". leadlovers has no boleto field, so
//     the boleto link goes into a dynamic field whose id the action gives
//     as billet_field, or which Spec.WithBilletField sets for every
//     action; sending billet_url with neither is a compile error. "fields"
//     maps other dynamic field ids to templates ("{{purchase.transaction}}").
//   - move_lead {from: {machine, sequence}, to: {machine, sequence, level}}:
//     moves the lead between sequences.
//   - remove_lead {machine, sequence?}: removes the lead from the sequence,
//     or from the whole machine.
//
// Each command can be run again after a partial failure without doing
// anything twice: add_lead is an upsert, and move_lead and remove_lead first
// read where the lead is, doing nothing when the work is already done.
// Events without a buyer e-mail fail with ErrNoEmail; a move whose lead is
// in neither the origin nor the destination fails with ErrNotInOrigin.
// Failures are *ActionError values naming the segmentation, command and
// event.//
// # Conventions shared with the other clients
//
// The hotmart/rest, leadlovers and sendpulse clients have one shape:
//
//   - NewClient(Credentials{…}, opts...): a credentials struct, then
//     functional options that validate their argument.
//   - WithRateLimit(perSecond, burst) and Client.SetRateLimit(perSecond,
//     burst): requests per second, 0 turns pacing off.
//   - Every list endpoint returns a *Page[T] (Items, Total, Next, HasNext);
//     copy Next into the options' ListOptions for the following page, or
//     range over the All… iterator, which yields iter.Seq2[T, error].
//     List options are XxxListOptions types embedding ListOptions.
//   - Bad arguments fail before any request with an *ArgumentError
//     (Method, Arg, Reason).
//   - Failures the API reports are this package's own *APIError (StatusCode,
//     Code, Message, RequestID, RetryAfter, Method, URL, Body): errors.As
//     with it matches this provider's errors only.
//   - Redirects are never followed (a 3xx is an *APIError), so no
//     credential reaches another host.
//   - A Client, its Credentials and its errors print, format (%v, %+v, %#v)
//     and log (slog) without any secret; errors carry no buyer e-mail,
//     phone, document or name.
package leadlovers
