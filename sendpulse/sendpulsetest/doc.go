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
// Every call is recorded (Calls); faults can be injected before anything is
// applied (FailNext, FailRate, SetLatency, ExpireTokens); and Effects counts
// the state changes actually made, so a test can assert that a flow with
// retries and re-runs changed everything exactly once. State accessors
// (ContactsByEmail, DealsByTransaction, Deal, Subscriber, …) let tests
// assert results without going through the API.
package sendpulsetest
