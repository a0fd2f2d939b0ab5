package httpx

import "github.com/hotmartkit/hotmartkit/internal/redact"

// Redactor and Redacted are package redact's, named here so the HTTP
// plumbing reads as one piece.
type Redactor = redact.Redactor

// Redacted replaces every secret or personal value removed.
const Redacted = redact.Redacted
