package webhook

import (
	"context"
	"fmt"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

type accountKey struct{}

// ContextWithAccount returns ctx carrying the account an event belongs to.
// The Handler sets it for the processor when WithHottokResolver named an
// account; durable workers set it from the stored event.
func ContextWithAccount(ctx context.Context, account string) context.Context {
	return context.WithValue(ctx, accountKey{}, account)
}

// AccountFrom returns the account ctx carries ("" for a single-account
// receiver).
func AccountFrom(ctx context.Context) string {
	s, _ := ctx.Value(accountKey{}).(string)
	return s
}

// ScopeID is the key an account's event id is stored under, for dedupe and
// step marks: the same event id in two accounts is two events. An empty
// account leaves the id as it is. (accounts.Scope is the same function.)
func ScopeID(account, eventID string) string {
	if account == "" {
		return eventID
	}
	return account + ":" + eventID
}

// UnknownAccountError is returned by a ByAccount processor for an event
// whose account it has no processor for.
type UnknownAccountError struct{ Account string }

func (e *UnknownAccountError) Error() string {
	return fmt.Sprintf("webhook: no processor for account %q", e.Account)
}

// ByAccount routes each event to the processor of its account
// (AccountFrom): each account's rules run only on its own providers. An
// event of an account not in the map is an *UnknownAccountError, never
// another account's processor. The map is copied.
func ByAccount(procs map[string]Processor) Processor {
	m := make(map[string]Processor, len(procs))
	for k, v := range procs {
		m[k] = v
	}
	return ProcessorFunc(func(ctx context.Context, ev *hotmart.Event) error {
		p, ok := m[AccountFrom(ctx)]
		if !ok || p == nil {
			return &UnknownAccountError{Account: AccountFrom(ctx)}
		}
		return p.Process(ctx, ev)
	})
}
