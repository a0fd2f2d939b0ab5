// Package hotmartkit is the root of an SDK for automating what happens after
// a sale on Hotmart. The work is done by its packages: hotmart (event model
// and REST client), webhook (the HTTP handler), segment (the rule engine) and
// the provider clients leadlovers and sendpulse.
package hotmartkit
