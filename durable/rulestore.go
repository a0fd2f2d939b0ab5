package durable

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
)

// RuleStore returns the segmentations kept in the database
// (hk_segmentations, in the rules file's JSON form) with a version counter
// bumped by every write, so that every process sharing the database sees
// an operator's toggle or edit from its next event on.
func (e *Engine) RuleStore() pipeline.RuleStore { return ruleStore{e} }

type ruleStore struct{ e *Engine }

var _ pipeline.RuleStore = ruleStore{}

const rulesVersionKey = "rules_version"

func (s ruleStore) Segmentations(ctx context.Context) ([]segment.Segmentation, error) {
	out := []segment.Segmentation{}
	err := s.e.db.query(ctx, `SELECT id, body FROM hk_segmentations ORDER BY position, id`, nil,
		func(scan func(...any) error) error {
			var id, body string
			if err := scan(&id, &body); err != nil {
				return err
			}
			var seg segment.Segmentation
			if err := json.Unmarshal([]byte(body), &seg); err != nil {
				return fmt.Errorf("durable: stored segmentation %q: %w", id, err)
			}
			out = append(out, seg)
			return nil
		})
	return out, err
}

// write runs f in a transaction that also bumps the version.
func (s ruleStore) write(ctx context.Context, f func(tx dbTx) error) error {
	tx, err := s.e.db.begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.rollback(context.WithoutCancel(ctx)) }()
	if err := f(tx); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `INSERT INTO hk_meta (name, value) VALUES (?, 1)
		ON CONFLICT (name) DO UPDATE SET value = hk_meta.value + 1`, rulesVersionKey); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// PutSegmentation inserts s at the end, or replaces the one with its id in
// place.
func (s ruleStore) PutSegmentation(ctx context.Context, seg segment.Segmentation) error {
	if seg.ID == "" {
		return &ConfigError{Option: "PutSegmentation", Reason: "empty segmentation id"}
	}
	body, err := json.Marshal(seg)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx dbTx) error {
		_, err := tx.exec(ctx, `INSERT INTO hk_segmentations (id, position, body)
			VALUES (?, (SELECT COALESCE(MAX(position), 0) + 1 FROM hk_segmentations), ?)
			ON CONFLICT (id) DO UPDATE SET body = excluded.body`, seg.ID, string(body))
		return err
	})
}

func (s ruleStore) DeleteSegmentation(ctx context.Context, id string) error {
	return s.write(ctx, func(tx dbTx) error {
		n, err := tx.exec(ctx, `DELETE FROM hk_segmentations WHERE id = ?`, id)
		if err == nil && n == 0 {
			err = pipeline.ErrSegmentationNotFound
		}
		return err
	})
}

func (s ruleStore) SetActive(ctx context.Context, id string, active bool) error {
	return s.write(ctx, func(tx dbTx) error {
		var body string
		found := false
		if err := tx.query(ctx, `SELECT body FROM hk_segmentations WHERE id = ?`, []any{id},
			func(scan func(...any) error) error { found = true; return scan(&body) }); err != nil {
			return err
		}
		if !found {
			return pipeline.ErrSegmentationNotFound
		}
		var seg segment.Segmentation
		if err := json.Unmarshal([]byte(body), &seg); err != nil {
			return err
		}
		seg.Active = active
		b, err := json.Marshal(seg)
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE hk_segmentations SET body = ? WHERE id = ?`, string(b), id)
		return err
	})
}

func (s ruleStore) Version(ctx context.Context) (int64, error) {
	var v int64
	err := s.e.db.query(ctx, `SELECT value FROM hk_meta WHERE name = ?`, []any{rulesVersionKey},
		func(scan func(...any) error) error { return scan(&v) })
	return v, err
}

// SeedRules stores rules when the database holds no segmentation yet (the
// first start with a rules file), and reports whether it did. Several
// processes seeding at once store them once.
func (e *Engine) SeedRules(ctx context.Context, rules segment.Rules) (bool, error) {
	seeded := false
	err := ruleStore{e}.write(ctx, func(tx dbTx) error {
		if e.dialect == dialectPostgres {
			if _, err := tx.exec(ctx, "SELECT pg_advisory_xact_lock(?)", int64(migrationLockKey+1)); err != nil {
				return err
			}
		}
		var n int64
		if err := tx.query(ctx, `SELECT COUNT(*) FROM hk_segmentations`, nil,
			func(scan func(...any) error) error { return scan(&n) }); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		for i, seg := range rules.Segmentations {
			body, err := json.Marshal(seg)
			if err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `INSERT INTO hk_segmentations (id, position, body) VALUES (?, ?, ?)`,
				seg.ID, int64(i+1), string(body)); err != nil {
				return err
			}
		}
		seeded = true
		return nil
	})
	return seeded, err
}
