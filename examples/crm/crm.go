package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/webhook"
)

const webhookPath = "/hotmart/webhook"

// stepNames names the pipeline step for each payment class. Edit it to
// match the steps of your SendPulse pipeline (the comparison ignores case).
var stepNames = map[sendpulse.Class]string{
	sendpulse.ClassPending:  "New",      // billet printed, waiting payment
	sendpulse.ClassPaid:     "Paid",     // approved, complete
	sendpulse.ClassFailed:   "Lost",     // cancelled, expired, delayed
	sendpulse.ClassRefunded: "Refunded", // refunded, chargeback, protest
}

// paymentEvents are the events that carry a payment status.
var paymentEvents = []hotmart.EventType{
	hotmart.EventPurchaseBilletPrinted, hotmart.EventPurchaseApproved, hotmart.EventPurchaseComplete,
	hotmart.EventPurchaseCanceled, hotmart.EventPurchaseExpired, hotmart.EventPurchaseDelayed,
	hotmart.EventPurchaseProtest, hotmart.EventPurchaseRefunded, hotmart.EventPurchaseChargeback,
}

// newMux wires webhook handler → pipeline → SendPulse executor and mounts
// the handler. It reads the account's pipelines once, to turn step names
// into ids. extra options are for the demo and tests.
func newMux(ctx context.Context, cfg config, extra ...sendpulse.Option) (*http.ServeMux, error) {
	opts := append([]sendpulse.Option{sendpulse.WithBaseURL(cfg.baseURL), sendpulse.WithUserAgent("hotmartkit-crm")}, extra...)
	client, err := sendpulse.NewClient(cfg.creds(), opts...)
	if err != nil {
		return nil, err
	}
	rules, err := dealRules(ctx, client, cfg.pipeline)
	if err != nil {
		return nil, err
	}
	prog, err := segment.Compile(rules, segment.WithProviders(sendpulse.Spec))
	if err != nil {
		return nil, err
	}
	exec, err := sendpulse.NewExecutor(client)
	if err != nil {
		return nil, err
	}
	pl, err := pipeline.New(prog, pipeline.WithExecutor("sendpulse", exec))
	if err != nil {
		return nil, err
	}
	h, err := webhook.New(webhook.WithHottok(cfg.hottok), webhook.WithProcessor(pl))
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(webhookPath, h)
	return mux, nil
}

// dealRules builds the program's one segmentation in code: every payment
// event of every product upserts the transaction's deal in the step of its
// payment class.
func dealRules(ctx context.Context, client *sendpulse.Client, pipelineName string) (segment.Rules, error) {
	p, err := findPipeline(ctx, client, pipelineName)
	if err != nil {
		return segment.Rules{}, err
	}
	stages := map[sendpulse.Class]int64{}
	for class, name := range stepNames {
		i := slices.IndexFunc(p.Steps, func(s sendpulse.Step) bool { return strings.EqualFold(s.Name, name) })
		if i < 0 {
			return segment.Rules{}, fmt.Errorf("sendpulse pipeline %q has no step %q for %s payments (steps: %s); edit stepNames", p.Name, name, class, stepList(p.Steps))
		}
		stages[class] = p.Steps[i].ID
	}
	return segment.Rules{Segmentations: []segment.Segmentation{{
		ID:     "payments-to-deals",
		Name:   "Every payment → a deal in " + p.Name,
		Active: true,
		Events: paymentEvents,
		Action: segment.Action{
			Provider: "sendpulse",
			Command:  sendpulse.CommandUpsertDeal,
			Params: map[string]json.RawMessage{
				"pipeline": mustJSON(p.ID),
				"stages":   mustJSON(stages),
				"name":     mustJSON("{{product.name}} — {{buyer.name}}"), // the executor appends " #<transaction>"
			},
		},
	}}}, nil
}

func findPipeline(ctx context.Context, client *sendpulse.Client, name string) (sendpulse.Pipeline, error) {
	pipelines, err := client.CRM.Pipelines.List(ctx)
	if err != nil {
		return sendpulse.Pipeline{}, fmt.Errorf("reading SendPulse pipelines: %w", err)
	}
	for _, p := range pipelines {
		if name == "" || strings.EqualFold(p.Name, name) {
			return p, nil
		}
	}
	if name == "" {
		return sendpulse.Pipeline{}, fmt.Errorf("the SendPulse account has no CRM pipeline")
	}
	return sendpulse.Pipeline{}, fmt.Errorf("SENDPULSE_PIPELINE: no pipeline named %q", name)
}

func stepList(steps []sendpulse.Step) string {
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// mustJSON marshals values that cannot fail to marshal (ids, strings, maps
// of them).
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
