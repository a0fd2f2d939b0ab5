package sendpulse_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// TestNoSecretsInLogsOrErrors runs flows with faults (429s, 5xx, expired
// tokens, a wrong secret, a wrong key) while capturing every log line at
// Debug and every error, and checks that no credential, access token or
// buyer e-mail appears in any of them.
func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const (
		secret = "cs-9f8e7d6c5b4a3210"
		apiKey = "ak-0a1b2c3d4e5f6789"
		email  = "private.buyer@example.com"
	)
	srv := sendpulsetest.NewServer(t, sendpulsetest.WithCredentials("client-77", secret), sendpulsetest.WithAPIKey(apiKey))
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	common := []sendpulse.Option{sendpulse.WithBaseURL(srv.URL()), sendpulse.WithLogger(logger), sendpulse.WithRateLimit(0, 1),
		sendpulse.WithRetry(2, time.Millisecond, 2*time.Millisecond)}
	oauth, err := sendpulse.NewClient(sendpulse.Credentials{ClientID: "client-77", ClientSecret: secret}, common...)
	if err != nil {
		t.Fatal(err)
	}
	badSecret, _ := sendpulse.NewClient(sendpulse.Credentials{ClientID: "client-77", ClientSecret: secret + "x"}, common...)
	badKey, _ := sendpulse.NewClient(sendpulse.Credentials{APIKey: apiKey + "x"}, common...)
	keyed, _ := sendpulse.NewClient(sendpulse.Credentials{APIKey: apiKey}, common...)

	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	ctx := context.Background()
	x, _ := sendpulse.NewExecutor(oauth, sendpulse.WithExecutorLogger(logger))
	params := upsertParams(t, srv)
	book := srv.Books()[0]
	add := compile(t, "add_to_list", `{"book":`+itoa(book)+`,"variables":{"e":"{{buyer.email}}"}}`)
	e := purchase(t, hotmart.EventPurchaseApproved, "HP42", email, "9.90", hotmart.StatusApproved)

	srv.FailNext(3, sendpulsetest.Fault{Status: http.StatusTooManyRequests})
	note(x.Execute(ctx, segment.Match{Event: e, Params: params}))
	srv.ExpireTokens()
	srv.FailRate(0.5)
	for range 6 {
		note(x.Execute(ctx, segment.Match{Event: e, Params: params}))
		note(x.Execute(ctx, segment.Match{Event: e, Params: add}))
		_, err := keyed.CRM.Contacts.ListByEmail(ctx, email, nil)
		note(err)
	}
	srv.FailRate(0)
	srv.FailNext(1, sendpulsetest.Fault{Method: "DELETE", Path: "*" + "/emails", Status: http.StatusBadGateway, AfterApply: false})
	note(keyed.AddressBooks.DeleteEmails(ctx, 999999, []string{email}))
	note(keyed.AddressBooks.DeleteEmails(ctx, book, []string{email, "not-an-email"}))
	_, err = badSecret.CRM.Users.List(ctx)
	note(err)
	_, err = badKey.CRM.Contacts.ListByEmail(ctx, email, nil)
	note(err)
	note(keyed.Events.Send(ctx, "purchase", map[string]any{"email": email}))
	if len(errs) < 3 {
		t.Fatalf("too few faults hit (%d errors): the test would prove nothing", len(errs))
	}

	secrets := []string{secret, apiKey, email, strings.ReplaceAll(email, "@", "%40")}
	for _, c := range srv.Calls() {
		if tok, ok := strings.CutPrefix(c.Auth, "Bearer "); ok && tok != apiKey && len(tok) > 8 {
			secrets = append(secrets, tok)
		}
	}
	texts := []string{logs.String()}
	for _, err := range errs {
		texts = append(texts, err.Error())
		var ae *sendpulse.APIError
		if errors.As(err, &ae) {
			texts = append(texts, string(ae.Body), ae.URL, ae.Message)
		}
	}
	for _, text := range texts {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Fatalf("secret %.6s… leaked in: %s", s, text)
			}
		}
	}
	if !strings.Contains(logs.String(), "api call") {
		t.Fatal("no debug lines were logged: the test would prove nothing")
	}
}
