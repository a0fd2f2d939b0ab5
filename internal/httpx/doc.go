// Package httpx is the HTTP plumbing shared by hotmartkit's API clients
// (Hotmart REST, leadlovers, SendPulse): retries over go-retryablehttp with
// our own retry decision and backoff, a client-side rate limiter, typed API
// errors with bounded, redacted bodies, secret and personal-data redaction
// for every URL, error and log line, and the user agent.
//
// Retry policy: network errors, 429 and 5xx are retried for idempotent
// requests only (GET, HEAD, OPTIONS, or a request marked Idempotent); 429 is
// retried for every method because a throttled request was not processed.
// Backoff is capped full jitter; a Retry-After (or a provider's reset header,
// through Config.RetryAfter) is honoured up to Config.MaxRetryAfter. Waits end
// at once when the context ends. On give-up the last response is turned into
// an *APIError, so callers always see the status and provider code.
package httpx
