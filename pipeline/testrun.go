package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// ErrInvalidEmail is returned by Test for an address that is not a plain
// e-mail address.
var ErrInvalidEmail = errors.New("pipeline: not a valid e-mail address")

var testSeq atomic.Int64

// TestEvent builds the fictitious event a "test with an e-mail" button runs
// a segmentation's action on, as Hotmart's segmentation tool does: of the
// segmentation's first event type, for its first product, with email as the
// buyer's address and a fresh test id and transaction.
func TestEvent(s *segment.Segmentation, email string) (*hotmart.Event, error) {
	typ := hotmart.EventPurchaseApproved
	if len(s.Events) > 0 {
		typ = s.Events[0]
	}
	n := time.Now().UnixNano() + testSeq.Add(1)
	opts := []hotmarttest.EventOption{
		hotmarttest.WithBuyerEmail(email),
		hotmarttest.WithEventID(fmt.Sprintf("test-%s-%d", s.ID, n)),
		hotmarttest.WithTransaction(fmt.Sprintf("HPTEST%d", n%1e10)),
	}
	if len(s.Products) > 0 {
		prod := string(s.Products[0])
		if id, err := strconv.ParseInt(prod, 10, 64); err == nil {
			opts = append(opts, hotmarttest.WithProductID(id))
		} else {
			opts = append(opts, hotmarttest.WithProductUCode(prod))
		}
	}
	return hotmarttest.NewParsedEvent(typ, opts...)
}

// Test runs segmentation id's action on a fictitious event for email
// (TestEvent), whatever its switch and conditions say, and returns the
// action's outcome. Nothing is recorded as a step, so testing twice runs
// twice. It returns ErrSegmentationNotFound for an unknown id and
// ErrInvalidEmail for a malformed address.
func (p *Pipeline) Test(ctx context.Context, id, email string) (webhook.ActionOutcome, error) {
	if err := p.Sync(ctx); err != nil {
		return webhook.ActionOutcome{}, err
	}
	prog := p.Program()
	seg, ok := prog.Segmentation(id)
	if !ok {
		return webhook.ActionOutcome{}, ErrSegmentationNotFound
	}
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email {
		return webhook.ActionOutcome{}, ErrInvalidEmail
	}
	ev, err := TestEvent(seg, email)
	if err != nil {
		return webhook.ActionOutcome{}, fmt.Errorf("pipeline: building a test event: %w", err)
	}
	m, _ := prog.MatchFor(id, ev)
	return p.Run(ctx, m), nil
}
