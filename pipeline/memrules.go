package pipeline

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/hotmartkit/hotmartkit/segment"
)

// MemoryRules is a RuleStore held in memory: the simple mode's store, where
// the console's toggles and edits last until the process stops. It keeps
// the segmentations in the order they were first put.
type MemoryRules struct {
	mu      sync.RWMutex
	segs    []segment.Segmentation
	version int64
}

// NewMemoryRules returns a MemoryRules holding a copy of rules (typically
// the rules file, already compiled by the caller).
func NewMemoryRules(rules segment.Rules) *MemoryRules {
	m := &MemoryRules{version: 1}
	for _, s := range rules.Segmentations {
		m.segs = append(m.segs, cloneSegmentation(s))
	}
	return m
}

// Segmentations implements RuleStore. The result is a copy.
func (m *MemoryRules) Segmentations(context.Context) ([]segment.Segmentation, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]segment.Segmentation, len(m.segs))
	for i, s := range m.segs {
		out[i] = cloneSegmentation(s)
	}
	return out, nil
}

// PutSegmentation implements RuleStore.
func (m *MemoryRules) PutSegmentation(_ context.Context, s segment.Segmentation) error {
	s = cloneSegmentation(s)
	m.mu.Lock()
	defer m.mu.Unlock()
	if i := m.index(s.ID); i >= 0 {
		m.segs[i] = s
	} else {
		m.segs = append(m.segs, s)
	}
	m.version++
	return nil
}

// DeleteSegmentation implements RuleStore.
func (m *MemoryRules) DeleteSegmentation(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.index(id)
	if i < 0 {
		return ErrSegmentationNotFound
	}
	m.segs = slices.Delete(m.segs, i, i+1)
	m.version++
	return nil
}

// SetActive implements RuleStore.
func (m *MemoryRules) SetActive(_ context.Context, id string, active bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.index(id)
	if i < 0 {
		return ErrSegmentationNotFound
	}
	m.segs[i].Active = active
	m.version++
	return nil
}

// Version implements RuleStore.
func (m *MemoryRules) Version(context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.version, nil
}

func (m *MemoryRules) index(id string) int {
	return slices.IndexFunc(m.segs, func(s segment.Segmentation) bool { return s.ID == id })
}

// cloneSegmentation deep-copies s, so a caller holding a returned value
// cannot change what the store holds.
func cloneSegmentation(s segment.Segmentation) segment.Segmentation {
	s.Events = slices.Clone(s.Events)
	s.Products = slices.Clone(s.Products)
	s.Conditions = slices.Clone(s.Conditions)
	for j := range s.Conditions {
		s.Conditions[j].Value = bytes.Clone(s.Conditions[j].Value)
	}
	if s.Action.Params != nil {
		s.Action.Params = maps.Clone(s.Action.Params)
		for k, v := range s.Action.Params {
			s.Action.Params[k] = bytes.Clone(v)
		}
	}
	return s
}
