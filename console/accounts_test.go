package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/console"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// accountLog is an EventLog of fixed records, filtering by account.
type accountLog []webhook.EventRecord

func (l accountLog) Events(_ context.Context, q webhook.EventQuery) ([]webhook.EventRecord, error) {
	var out []webhook.EventRecord
	for _, r := range l {
		if q.Account == "" || q.Account == r.Account {
			out = append(out, r)
		}
	}
	return out, nil
}

func (l accountLog) Event(_ context.Context, id string) (webhook.EventRecord, error) {
	for _, r := range l {
		if r.EventID == id {
			return r, nil
		}
	}
	return webhook.EventRecord{}, webhook.ErrEventNotFound
}

func (l accountLog) Replay(ctx context.Context, id string) (webhook.EventRecord, error) {
	return l.Event(ctx, id)
}

func TestConsoleAccountSelectorAndSyntheticEvents(t *testing.T) {
	now := time.Now()
	log := accountLog{
		{EventID: "wh-1", Account: "acme", Source: webhook.SourceWebhook, Event: "PURCHASE_APPROVED", State: webhook.StateDone, ReceivedAt: now},
		{EventID: "sync:beta:HP1:REFUNDED", Account: "beta", Source: webhook.SourceSync, Event: "PURCHASE_REFUNDED", State: webhook.StateDone, ReceivedAt: now},
	}
	c, err := console.New("admin-token-1", console.WithEvents(log), console.WithAccounts("acme", "beta"))
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer admin-token-1")
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	page := get("/events?account=beta")
	if !strings.Contains(page, `data-account-select`) || !strings.Contains(page, `<option value="beta" selected>`) {
		t.Fatalf("no account selector with beta selected:\n%s", page)
	}
	if !strings.Contains(page, `data-event-id="sync:beta:HP1:REFUNDED"`) || strings.Contains(page, `data-event-id="wh-1"`) {
		t.Fatalf("?account=beta does not filter:\n%s", page)
	}
	if !strings.Contains(page, `data-source="sync"`) || !strings.Contains(page, "data-synthetic") {
		t.Fatalf("the synthetic event is not marked:\n%s", page)
	}
	all := get("/events")
	if !strings.Contains(all, `data-event-id="wh-1"`) || strings.Count(all, "data-synthetic") != 1 {
		t.Fatalf("all accounts: want both events, one marked synthetic:\n%s", all)
	}
	if _, err := console.New("admin-token-1", console.WithAccounts("")); err == nil {
		t.Fatal("empty account id accepted")
	}
}
