package main

import (
	"context"

	"github.com/hotmartkit/hotmartkit/accounts"
	"github.com/hotmartkit/hotmartkit/durable"
)

// syncStore adapts the durable engine's AccountStore to accounts.Store
// (with BatchKnown): durable keeps to its own types, so it does not import
// package accounts.
type syncStore struct{ *durable.AccountStore }

var _ accounts.BatchKnown = syncStore{}
var _ accounts.Store = syncStore{}

func (s syncStore) KnownEvents(ctx context.Context, account string, keys []accounts.EventKey) (map[accounts.EventKey]bool, error) {
	dk := make([]durable.EventKey, len(keys))
	for i, k := range keys {
		dk[i] = durable.EventKey{Transaction: k.Transaction, Type: k.Type}
	}
	got, err := s.AccountStore.KnownEvents(ctx, account, dk)
	out := make(map[accounts.EventKey]bool, len(got))
	for k, v := range got {
		out[accounts.EventKey{Transaction: k.Transaction, Type: k.Type}] = v
	}
	return out, err
}

func (s syncStore) GetCheckpoint(ctx context.Context, account string) (accounts.Checkpoint, bool, error) {
	start, through, ok, err := s.AccountStore.GetCheckpoint(ctx, account)
	return accounts.Checkpoint{Start: start, Through: through}, ok, err
}

func (s syncStore) PutCheckpoint(ctx context.Context, account string, cp accounts.Checkpoint) error {
	return s.AccountStore.PutCheckpoint(ctx, account, cp.Start, cp.Through)
}

// syncFunc runs one account's reconciliation for the durable engine's
// periodic job, and logs what it did.
func syncFunc(s *accounts.Syncer, log func(*accounts.SyncReport)) durable.SyncFunc {
	return func(ctx context.Context, account string) error {
		rep, err := s.Run(ctx, account)
		if err == nil && log != nil {
			log(rep)
		}
		return err
	}
}
