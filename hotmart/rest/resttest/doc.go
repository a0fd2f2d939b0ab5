// Package resttest is a fake Hotmart REST API for tests and demos of code
// that uses hotmart/rest: a generated dataset (WithSales, WithPeriod,
// WithDataSeed), OAuth tokens that expire (WithTokenLifetime,
// ExpireTokens), cursor pages, Hotmart's rate-limit headers and 429s
// (WithRateLimit), 502 for query windows wider than WithMaxQuerySpan, and
// the dataset as the client decodes it (Sales, Subscriptions, Period,
// Stats). Its effects are refunds and subscription changes.
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
package resttest
