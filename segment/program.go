package segment

import (
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// Program is a compiled set of rules. It is immutable and safe for
// concurrent use by any number of goroutines.
type Program struct {
	rules    Rules
	compiled []compiledRule
	byID     map[string]int
	// index holds, per event type, the active rules that listen to it.
	index map[hotmart.EventType]*bucket
}

// bucket holds the active rules of one event type, as ascending rule
// indices: those for every product, and those scoped to products, keyed by
// product id and lower-cased ucode.
type bucket struct {
	all       []int32
	byProduct map[string][]int32
}

func (p *Program) buildIndex() {
	p.index = make(map[hotmart.EventType]*bucket)
	for i := range p.compiled {
		r := &p.compiled[i]
		if !r.seg.Active {
			continue
		}
		for _, ev := range r.events {
			b := p.index[ev]
			if b == nil {
				b = &bucket{}
				p.index[ev] = b
			}
			if len(r.products) == 0 {
				b.all = append(b.all, int32(i))
				continue
			}
			if b.byProduct == nil {
				b.byProduct = make(map[string][]int32)
			}
			for _, key := range r.products {
				b.byProduct[key] = append(b.byProduct[key], int32(i))
			}
		}
	}
}

// Evaluate returns the segmentations e triggers, in rule order: active,
// listening to e's type, scoped to e's product (or to all products), with
// every condition holding. It returns nil, without allocating, when nothing
// matches. Only the rules indexed under e's type and product are looked at,
// so the cost grows with the rules that could match, not with their number.
func (p *Program) Evaluate(e *hotmart.Event) []Match {
	if p == nil || e == nil {
		return nil
	}
	b := p.index[e.Type]
	if b == nil {
		return nil
	}
	var byID, byUCode []int32
	if len(b.byProduct) > 0 {
		prod := e.Product()
		if prod.ID != "" {
			byID = b.byProduct[string(prod.ID)]
		}
		if prod.UCode != "" {
			byUCode = b.byProduct[strings.ToLower(prod.UCode)]
		}
	}
	var out []Match
	// Merge the three ascending lists, visiting each rule once.
	all := b.all
	for {
		next := int32(-1)
		for _, l := range [3][]int32{all, byID, byUCode} {
			if len(l) > 0 && (next < 0 || l[0] < next) {
				next = l[0]
			}
		}
		if next < 0 {
			return out
		}
		if len(all) > 0 && all[0] == next {
			all = all[1:]
		}
		if len(byID) > 0 && byID[0] == next {
			byID = byID[1:]
		}
		if len(byUCode) > 0 && byUCode[0] == next {
			byUCode = byUCode[1:]
		}
		r := &p.compiled[next]
		if r.holds(e) {
			out = append(out, p.match(r, e))
		}
	}
}

func (p *Program) match(r *compiledRule, e *hotmart.Event) Match {
	return Match{Segmentation: r.seg, Index: r.index, Event: e, Params: r.params}
}

// MatchFor returns the Match that segmentation id produces for e, without
// checking whether it is active, listens to e's type or product, or whether
// its conditions hold — what a "test this segmentation" button needs. It
// reports false when no segmentation has that id.
func (p *Program) MatchFor(id string, e *hotmart.Event) (Match, bool) {
	i, ok := p.byID[id]
	if !ok {
		return Match{}, false
	}
	return p.match(&p.compiled[i], e), true
}

// Segmentation returns the segmentation with the given id. The value is
// shared with the Program: treat it as read-only.
func (p *Program) Segmentation(id string) (*Segmentation, bool) {
	i, ok := p.byID[id]
	if !ok {
		return nil, false
	}
	return &p.rules.Segmentations[i], true
}

// Rules returns a copy of the rules the Program was compiled from.
func (p *Program) Rules() Rules { return p.rules.clone() }

// Len returns the number of segmentations, active or not.
func (p *Program) Len() int { return len(p.compiled) }
