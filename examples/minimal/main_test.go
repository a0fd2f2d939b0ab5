package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

const testHottok = "test-hottok-3f9a"

// syncBuffer lets the test read what the handler writes from the server's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// setup serves newMux on its own test server.
func setup(t *testing.T) (url string, out *syncBuffer) {
	t.Helper()
	out = &syncBuffer{}
	mux, err := newMux(testHottok, out)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL, out
}

func post(t *testing.T, url string, body []byte, hottok string) int {
	t.Helper()
	resp, err := hotmarttest.Post(context.Background(), url, body, hottok)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestWebhookDeliveries(t *testing.T) {
	approved := hotmarttest.NewEvent(hotmart.EventPurchaseApproved,
		hotmarttest.WithEventID("evt-approved-1"),
		hotmarttest.WithTransaction("HP1234567890"),
		hotmarttest.WithProductName("Curso de Fotografia"),
		hotmarttest.WithPrice("497.00", "BRL"),
		hotmarttest.WithPayment("CREDIT_CARD", 3),
		hotmarttest.WithBuyerEmail("ana.souza@example.com"),
	)
	const approvedLine = "approved HP1234567890: Curso de Fotografia, 497.00 BRL, paid by CREDIT_CARD\n"
	canceled := hotmarttest.NewEvent(hotmart.EventPurchaseCanceled, hotmarttest.WithEventID("evt-canceled-1"))

	tests := []struct {
		name       string
		deliveries [][]byte // posted in order with the hottok below
		hottok     string
		wantStatus int // of the last delivery
		wantOut    string
	}{
		{"approved purchase is printed", [][]byte{approved}, testHottok, http.StatusOK, approvedLine},
		{"redelivery is acknowledged, not printed again", [][]byte{approved, approved}, testHottok, http.StatusOK, approvedLine},
		{"other event types are acknowledged silently", [][]byte{canceled}, testHottok, http.StatusOK, ""},
		{"wrong hottok is refused", [][]byte{approved}, "forged", http.StatusUnauthorized, ""},
		{"missing hottok is refused", [][]byte{approved}, "", http.StatusUnauthorized, ""},
		{"malformed body is refused", [][]byte{[]byte(`{"event": `)}, testHottok, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url, out := setup(t)
			var status int
			for _, body := range tt.deliveries {
				status = post(t, url+webhookPath, body, tt.hottok)
			}
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			if got := out.String(); got != tt.wantOut {
				t.Errorf("output %q, want %q", got, tt.wantOut)
			}
			if strings.Contains(out.String(), "ana.souza") {
				t.Error("buyer e-mail printed")
			}
		})
	}
}

func TestExistingRoutesStillServed(t *testing.T) {
	url, _ := setup(t)
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(b) != "ok\n" {
		t.Fatalf("GET /healthz: %d %q", resp.StatusCode, b)
	}
}

func TestRun(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		code     int
		inStderr string
	}{
		{"missing hottok", map[string]string{"ADDR": "127.0.0.1:0"}, 2, "HOTMART_HOTTOK: required"},
		{"blank hottok", map[string]string{"HOTMART_HOTTOK": ""}, 2, "HOTMART_HOTTOK: required"},
		{"unusable address", map[string]string{"HOTMART_HOTTOK": testHottok, "ADDR": "127.0.0.1:-1"}, 1, "ADDR:"},
		{"signal drains and exits 0", map[string]string{"HOTMART_HOTTOK": testHottok, "ADDR": "127.0.0.1:0"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The context stands for SIGINT arriving shortly after start.
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			var stdout, stderr syncBuffer
			code := run(ctx, func(k string) string { return tt.env[k] }, &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tt.code, stderr.String())
			}
			lines := strings.Count(stderr.String(), "\n")
			if tt.inStderr == "" && lines != 0 || tt.inStderr != "" && (lines != 1 || !strings.Contains(stderr.String(), tt.inStderr)) {
				t.Fatalf("stderr %q, want one line containing %q", stderr.String(), tt.inStderr)
			}
			if strings.Contains(stderr.String(), testHottok) {
				t.Fatal("hottok printed")
			}
		})
	}
}
