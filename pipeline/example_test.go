package pipeline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// printExecutor stands for a provider's executor (leadlovers.NewExecutor,
// sendpulse.NewExecutor): it prints what it would do.
type printExecutor struct{}

func (printExecutor) Execute(_ context.Context, m segment.Match) error {
	fmt.Printf("rules: %s runs %s for %s\n", m.Segmentation.ID, m.Action().Command, m.Event.Type)
	return nil
}

// printProvider lets Compile check the "print" actions of the rules.
type printProvider struct{}

func (printProvider) Name() string       { return "print" }
func (printProvider) Commands() []string { return []string{"add_lead"} }
func (printProvider) CompileAction(string, map[string]json.RawMessage) (any, error) {
	return nil, nil
}

// A plain callback handles one event type; the rules pipeline handles every
// other one, through the Mux's default.
func Example_composition() {
	rules, err := segment.ParseRules([]byte(`{"segmentations": [
	  {"id": "customers", "active": true, "events": ["PURCHASE_APPROVED"],
	   "action": {"provider": "print", "command": "add_lead"}}]}`))
	if err != nil {
		log.Fatal(err)
	}
	program, err := segment.Compile(rules, segment.WithProviders(printProvider{}))
	if err != nil {
		log.Fatal(err)
	}
	pipe, err := pipeline.New(program, pipeline.WithExecutor("print", printExecutor{}))
	if err != nil {
		log.Fatal(err)
	}

	mux := webhook.NewMux()
	if err := mux.HandleFunc(hotmart.EventClubFirstAccess, func(_ context.Context, e *hotmart.Event) error {
		fmt.Println("callback: welcome e-mail for", e.Type)
		return nil
	}); err != nil {
		log.Fatal(err)
	}
	if err := mux.HandleDefault(pipe); err != nil {
		log.Fatal(err)
	}
	handler, err := webhook.New(webhook.WithHottok("my-hottok"), webhook.WithProcessor(mux))
	if err != nil {
		log.Fatal(err)
	}

	for i, event := range []string{"CLUB_FIRST_ACCESS", "PURCHASE_APPROVED", "PURCHASE_REFUNDED"} {
		body := fmt.Sprintf(`{"id": "evt-%d", "event": %q, "version": "2.0.0", "creation_date": 1700000000000,
		  "data": {"buyer": {"email": "ana@example.com"}, "purchase": {"transaction": "HP%d"}}}`, i, event, i)
		req := httptest.NewRequest(http.MethodPost, "/hotmart", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-HOTMART-HOTTOK", "my-hottok")
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		fmt.Println(event, "→", rec.Code)
	}
	// Output:
	// callback: welcome e-mail for CLUB_FIRST_ACCESS
	// CLUB_FIRST_ACCESS → 200
	// rules: customers runs add_lead for PURCHASE_APPROVED
	// PURCHASE_APPROVED → 200
	// PURCHASE_REFUNDED → 200
}
