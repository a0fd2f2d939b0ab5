package webhook_test

import (
	"context"
	"errors"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
	"github.com/hotmartkit/hotmartkit/webhook"
)

func TestMuxRegistration(t *testing.T) {
	ok := webhook.ProcessorFunc(func(context.Context, *hotmart.Event) error { return nil })
	m := webhook.NewMux()
	if err := m.Handle(hotmart.EventPurchaseApproved, ok); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		err  error
	}{
		{"empty type", m.Handle("", ok)},
		{"nil processor", m.Handle(hotmart.EventSwitchPlan, nil)},
		{"nil func", m.Handle(hotmart.EventSwitchPlan, webhook.ProcessorFunc(nil))},
		{"nil HandleFunc", m.HandleFunc(hotmart.EventSwitchPlan, nil)},
		{"duplicate", m.Handle(hotmart.EventPurchaseApproved, ok)},
	}
	for _, tt := range tests {
		var ce *webhook.ConfigError
		if !errors.As(tt.err, &ce) {
			t.Errorf("%s: err = %v, want *ConfigError", tt.name, tt.err)
		}
	}
	var zero webhook.Mux // the zero Mux is usable too
	if err := zero.Handle(hotmart.EventSwitchPlan, ok); err != nil {
		t.Error(err)
	}
}

func TestMuxRouting(t *testing.T) {
	var got []hotmart.EventType
	m := webhook.NewMux()
	for _, typ := range []hotmart.EventType{hotmart.EventPurchaseApproved, hotmart.EventClubModuleCompleted} {
		if err := m.HandleFunc(typ, func(_ context.Context, e *hotmart.Event) error {
			got = append(got, e.Type)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, typ := range hotmart.EventTypes() {
		ev, _ := hotmarttest.NewParsedEvent(typ)
		err := m.Process(context.Background(), ev)
		registered := typ == hotmart.EventPurchaseApproved || typ == hotmart.EventClubModuleCompleted
		if registered != (err == nil) || (!registered && !errors.Is(err, webhook.ErrNoHandler)) {
			t.Errorf("%s: err = %v", typ, err)
		}
	}
	if len(got) != 2 || got[0] != hotmart.EventPurchaseApproved || got[1] != hotmart.EventClubModuleCompleted {
		t.Errorf("routed %v", got)
	}
}
