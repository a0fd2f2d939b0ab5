package pipeline

import (
	"context"
	"errors"

	"github.com/hotmartkit/hotmartkit/segment"
)

// ErrSegmentationNotFound is returned by RuleStore methods for an unknown id.
var ErrSegmentationNotFound = errors.New("pipeline: segmentation not found")

// RuleStore keeps the seller's segmentations where an operator can change
// them at run time (the console's toggle, edit and delete). A pipeline that
// reads its program from a RuleStore picks changes up on the next event, in
// every process that shares the store.
//
// Implementations validate nothing: callers compile the whole set with
// segment.Compile before they Put, so a store never holds rules that do not
// compile. Implementations must be safe for concurrent use.
type RuleStore interface {
	// Segmentations returns every stored segmentation, in a stable order.
	Segmentations(ctx context.Context) ([]segment.Segmentation, error)
	// PutSegmentation inserts or replaces the segmentation with s.ID.
	PutSegmentation(ctx context.Context, s segment.Segmentation) error
	// DeleteSegmentation removes one; ErrSegmentationNotFound if unknown.
	DeleteSegmentation(ctx context.Context, id string) error
	// SetActive switches one on or off; ErrSegmentationNotFound if unknown.
	SetActive(ctx context.Context, id string, active bool) error
	// Version changes on every successful write. It is cheap, so a pipeline
	// can ask for it on every event and recompile only when it moved.
	Version(ctx context.Context) (int64, error)
}
