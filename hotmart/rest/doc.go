// Package rest is the Hotmart REST API client: sales, subscriptions, the
// members area, products, coupons, event tickets and negotiations. Its
// types reuse the tolerant scalar and enum types of package hotmart (ID,
// Decimal, Time, PurchaseStatus…).
//
// # Client
//
// NewClient returns a Client for one Hotmart account, with one service per
// API area: Sales, Subscriptions, Club, Products, Coupons, Tickets (the
// event-tickets API, unrelated to webhook events) and Negotiation. Every
// network method takes a context first. Types
// (Sale, Subscription, Product, ClubModule, Coupon…) reuse
// the model's tolerant ID, Decimal, Time and enum types.
//
// # Authentication
//
// NewClient needs the Credentials of a developer credential (ClientID,
// ClientSecret and Basic); an empty one is refused. The token call is Hotmart's
// own (credentials as query parameters plus the Basic header). The token is
// cached with golang.org/x/oauth2 and replaced a few minutes before it
// expires (WithTokenRefreshMargin); a 401 answer replaces it at once, shared
// by concurrent callers, and the request is sent again once.
//
// # Environments
//
// WithEnvironment(Sandbox) switches the API host to sandbox.hotmart.com; the
// token URL is the same for both. WithBaseURL and WithTokenURL override the
// API host and the token endpoint separately (resttest.Server gives
// both for tests, or a ready Client).
//
// # Pagination
//
// Each list has a page method taking an XxxListOptions struct (embedding
// ListOptions: MaxResults, PageToken) and returning a *Page[T] whose Next
// holds the following page's ListOptions, and an iterator (All, AllUsers,
// AllOffers…) returning iter.Seq2[T, error] that follows next_page_token. The iterator copies the caller's options, checks
// the context between pages, yields an error once and stops, and refuses a
// page token it has already followed (ErrRepeatedPageToken). Dates go out as
// epoch milliseconds and multi-value filters as repeated keys. Sales
// endpoints return only APPROVED and COMPLETE sales unless statuses are
// given: pass AllSaleStatuses to see every sale. Endpoints that answer a
// bare array (club modules and pages, subscription purchases) return a
// slice; empty 200 answers are accepted.
//
// # Rate limits
//
// A client-side token bucket keeps the client under the account's limit
// (DefaultRate, 500 calls per minute) instead of bouncing off it. The rate
// follows X-RateLimit-Limit-Minute (WithRateLimit(perSecond, burst) caps it,
// 0 turns pacing off; SetRateLimit changes it at run time), and when
// RateLimit-Remaining reaches 0 every request waits for RateLimit-Reset. A
// 429 that still happens waits for the reset and is retried, for every
// method. Network errors and 5xx are retried, with jittered backoff, for
// reads only: refunds, cancellations and negotiations are never repeated
// automatically, since Hotmart has no idempotency keys.
//
// # REST errors
//
// Error answers are *APIError (status, Hotmart's error code and
// description, redacted URL and body); use errors.As. IsNotFound,
// IsUnauthorized and IsRateLimited test the common cases. A 502 means the
// query ran longer than 30 s: it is not retried, and the error also matches
// ErrQueryTooLong (IsQueryTooLong) so the caller can narrow its date window,
// as package backfill does. Bad arguments fail before any request with an
// *ArgumentError. No error or log line carries a credential, the access
// token or a buyer's e-mail.//
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
package rest
