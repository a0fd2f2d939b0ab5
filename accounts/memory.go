package accounts

import (
	"context"
	"sync"
)

// SalesSourceFunc adapts a function to SalesSource.
type SalesSourceFunc func(ctx context.Context, a *Account, q SalesQuery) (*SalesPage, error)

// ListSales calls f.
func (f SalesSourceFunc) ListSales(ctx context.Context, a *Account, q SalesQuery) (*SalesPage, error) {
	return f(ctx, a, q)
}

// MemoryCheckpoints keeps checkpoints in memory, for a single process
// without a database and for tests. They do not survive a restart, so each
// start's first run covers the first window again (and queues only what the
// store does not know). Safe for concurrent use.
type MemoryCheckpoints struct {
	mu  sync.Mutex
	cps map[string]Checkpoint
}

// GetCheckpoint implements Checkpoints.
func (m *MemoryCheckpoints) GetCheckpoint(_ context.Context, account string) (Checkpoint, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp, ok := m.cps[account]
	return cp, ok, nil
}

// PutCheckpoint implements Checkpoints.
func (m *MemoryCheckpoints) PutCheckpoint(_ context.Context, account string, cp Checkpoint) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cps == nil {
		m.cps = make(map[string]Checkpoint)
	}
	m.cps[account] = cp
	return nil
}
