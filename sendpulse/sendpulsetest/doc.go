// Package sendpulsetest is an in-memory SendPulse API for tests and demos.
//
// NewServer starts it with a seeded account (one user, the pipeline
// "Hotmart sales" with steps New, Paid, Lost, Refunded, and the address
// book "Customers") and accepts both a static API key and OAuth client
// credentials, issuing tokens that expire (WithTokenLifetime; ExpireTokens
// ends them at once). It serves the real paths and bodies the sendpulse
// package uses: CRM users, pipelines, steps and deal attributes; contacts,
// their e-mails, phones, attributes and tags; deals (create, get, update
// with every required field, change-pipeline, search, link contact,
// attributes); payments; address books; Automation 360 events. Errors use
// SendPulse's {"message", "error_code"} envelope.
//
// Every call is recorded (Calls, token calls included, with the
// Authorization header); faults can be injected (FailNext, FailRate,
// SetLatency, ExpireTokens); and Effects lists the state changes actually
// made ("deal.create", "contact.email", "book.add"…), so a test can assert
// that a flow with retries and re-runs changed everything exactly once.
// TokenRequests counts OAuth token calls. State accessors (ContactsByEmail,
// DealsByTransaction, Deal, Subscriber, …) let tests assert results without
// going through the API. Client uses the API key; OAuthCredentials gives
// the client id and secret for an OAuth client.
//
// # Entry points (the same in hotmarttest, leadloverstest and sendpulsetest)
//
//   - NewServer(tb, opts...) starts the fake; with a non-nil tb it is closed
//     by tb.Cleanup, a demo passes nil and calls Close.
//   - URL() is the base to give the client's WithBaseURL.
//   - Client(opts...) returns a client pointed at the fake with pacing off
//     and millisecond retry waits, so tests are fast with nothing to
//     configure; ClientOptions() gives those options, Credentials() the
//     accepted credentials.
//   - FailNext(n, Fault) queues faults for the next matching calls,
//     FailRate(rate, faults...) fails a random share of calls, SetLatency(d)
//     delays every answer. A Fault has Status, RetryAfter, AfterApply (apply
//     the call, then lose the reply) and Method/Path (which calls it hits;
//     a Path starting with "*" matches a suffix).
//   - Calls() returns every request as a Call (method, path, query, body,
//     status, fault); CallCount(method, path) counts them.
//   - Effects() returns every change of state as an Effect; a call that
//     changes nothing records none, so a test can assert that each intended
//     change happened once however many times the client retried.

package sendpulsetest
