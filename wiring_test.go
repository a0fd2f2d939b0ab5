package hotmartkit_test

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/leadlovers"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// README: begin wiring
// newHandler wires hotmartkit for production: the seller's rules, both
// providers' executors, and the webhook handler that runs them.
func newHandler(rulesJSON []byte, hottok, leadloversToken, sendpulseAPIKey string) (http.Handler, error) {
	rules, err := segment.ParseRules(rulesJSON)
	if err != nil {
		return nil, err
	}
	program, err := segment.Compile(rules, segment.WithProviders(leadlovers.Spec, sendpulse.Spec))
	if err != nil {
		return nil, err // lists every problem, naming the segmentation and field
	}
	llClient, err := leadlovers.NewClient(leadlovers.Credentials{Token: leadloversToken})
	if err != nil {
		return nil, err
	}
	spClient, err := sendpulse.NewClient(sendpulse.Credentials{APIKey: sendpulseAPIKey})
	if err != nil {
		return nil, err
	}
	llExec, err := leadlovers.NewExecutor(llClient)
	if err != nil {
		return nil, err
	}
	spExec, err := sendpulse.NewExecutor(spClient)
	if err != nil {
		return nil, err
	}
	processor, err := pipeline.New(program,
		pipeline.WithExecutor("leadlovers", llExec),
		pipeline.WithExecutor("sendpulse", spExec))
	if err != nil {
		return nil, err
	}
	store, err := webhook.NewMemoryStore() // use a shared Store when running several replicas
	if err != nil {
		return nil, err
	}
	return webhook.New(
		webhook.WithHottok(hottok),
		webhook.WithProcessor(processor),
		webhook.WithStore(store))
}

// README: end wiring

func TestReadmeMirrorsWiring(t *testing.T) {
	src, err := os.ReadFile("wiring_test.go")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(src), "// README: begin wiring\n")
	snippet, _, _ := strings.Cut(rest, "\n// README: end wiring")
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if snippet == "" || !strings.Contains(string(readme), snippet) {
		t.Fatal("README.md no longer shows newHandler from wiring_test.go verbatim; copy it again")
	}
}

func TestNewHandlerRefusesBadConfiguration(t *testing.T) {
	rules := []byte(`{"segmentations": [{"id": "a", "active": true, "events": ["PURCHASE_APPROVED"],
	  "action": {"provider": "leadlovers", "command": "add_lead", "machine": 1, "sequence": 1, "level": 1}}]}`)
	if _, err := newHandler(rules, "", "tok", "key"); !errors.Is(err, webhook.ErrNoHottok) {
		t.Fatalf("empty hottok: %v", err)
	}
	var ae *leadlovers.ArgumentError
	if _, err := newHandler(rules, "hottok-1234", "", "key"); !errors.As(err, &ae) || ae.Arg != "Credentials.Token" {
		t.Fatalf("empty leadlovers token: %v", err)
	}
	var re *segment.RulesError
	if _, err := newHandler([]byte(`{"segmentations": [{"id": "a", "events": ["NOPE"]}]}`), "hottok-1234", "t", "k"); !errors.As(err, &re) {
		t.Fatalf("bad rules: %v", err)
	}
	if h, err := newHandler(rules, "hottok-1234", "t", "k"); err != nil || h == nil {
		t.Fatalf("good configuration: %v", err)
	}
}
