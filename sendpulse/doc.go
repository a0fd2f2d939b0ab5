// Package sendpulse is a client for the SendPulse REST API — CRM
// (pipelines, users, contacts, deals, payments), Bulk Email address books
// and Automation 360 events — and the executor that turns Hotmart payment
// events into CRM deals and mailing-list changes.
//
// # Authentication
//
// NewClient takes Credentials holding exactly one of APIKey (a static key
// from the account settings) or ClientID and ClientSecret (OAuth). With
// client credentials the token comes from <root>/oauth/access_token through
// golang.org/x/oauth2/clientcredentials and is cached until
// DefaultTokenRefreshMargin before it expires (WithTokenRefreshMargin), or
// until half its lifetime for a token that lives less than twice the
// margin: SendPulse throttles token requests, so one client fetches one
// token per hour, not one per call. A 401 on a
// cached token drops it and repeats the call once with a fresh one. Share
// one Client per credential.
//
// # Errors
//
// Failures SendPulse reports are *APIError values (errors.As): HTTP status,
// Code (the envelope's error_code, or the OAuth error such as
// "invalid_client"), Message, and the start of the body. 200, 201 and 204
// are success; a 2xx whose body says {"result": false} is an error too.
// IsNotFound, IsUnauthorized and IsRateLimited test the common cases. No
// error or log line carries a credential, a token or a buyer's e-mail.
//
// # Rate limits
//
// SendPulse allows 10 requests per second; the client paces itself to that
// with a token bucket (WithRateLimit to change it; SetRateLimit to adjust
// it at run time). A 429 is retried for every method, with jittered
// exponential backoff since SendPulse sends no Retry-After. Network errors
// and 5xx are retried only for calls that are safe to repeat (reads,
// searches, upserts, moves, attribute writes); creates are not, because a
// repeat could create a second record. Cancelling the context ends a
// backoff at once.
//
// # CRM deals from payments
//
// PaymentClass puts a purchase event in one of four classes: pending
// (billet printed, waiting payment), paid (approved, complete), failed
// (cancelled, expired, delayed) or refunded (refunded, chargeback,
// protest). The upsert_deal action keeps one deal per Hotmart transaction
// in the step mapped from that class: the buyer's contact is found by exact
// e-mail or created (never duplicated), the deal is found by its name,
// which ends with " #<transaction>", and by its "Hotmart transaction"
// attribute, then created or moved (change-pipeline) and updated (a PUT
// that resends every required field). Amount and currency go on the deal;
// product, status, price and date go in deal attributes the executor
// creates on the pipeline when absent. Without a pipeline the first one is
// used, a class without a step goes to the pipeline's first step, and
// without a responsible the account's first user is used — as SendPulse's
// own integration does.
//
// # Executor
//
// Spec is the segment.Provider for rules with "provider": "sendpulse" and
// the commands upsert_deal {pipeline?, stages, name, responsible?},
// add_to_list {book, variables?} and remove_from_list {book}; it validates
// the parameters when the rules are compiled and reports every problem at
// once as ParamErrors, one *ParamError (Field, Reason, Suggestion) per
// problem ("stages.paid", "book"; "did you mean" for a misspelled name),
// each unwrapping to the *segment.ParamError segment.Compile reads. NewExecutor returns the
// segment.Executor that runs them. Every action is safe to run again after
// a partial failure: each step looks before it writes or writes an upsert,
// and a contact whose creation was cut short is found again by its
// external id (ExternalContactID). Events of the same transaction or the
// same buyer are serialised inside the process.//
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
package sendpulse
