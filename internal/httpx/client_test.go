package httpx_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

func setup(t *testing.T, h http.HandlerFunc, mod func(*httpx.Config)) (*httpx.Client, *bytes.Buffer) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL + "/api")
	var logs bytes.Buffer
	cfg := httpx.Config{
		Provider:     "test",
		BaseURL:      u,
		Logger:       slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond,
		Redactor:     httpx.Redactor{Secrets: []string{"s3cr3t-token"}},
	}
	if mod != nil {
		mod(&cfg)
	}
	c, err := httpx.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, &logs
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	var calls atomic.Int32
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}, nil)
	var out struct{ OK bool }
	start := time.Now()
	if _, err := c.Do(context.Background(), httpx.Request{Method: http.MethodPost, Path: "x"}, &out); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 2 || !out.OK {
		t.Fatalf("calls=%d ok=%v", got, out.OK)
	}
	if waited := time.Since(start); waited < 900*time.Millisecond {
		t.Fatalf("did not wait as told: %v", waited)
	}
}

func TestPostNotRetriedOn5xxUnlessIdempotent(t *testing.T) {
	for _, idem := range []bool{false, true} {
		var calls atomic.Int32
		c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte(`{"error":"internal_server_error"}`))
		}, nil)
		_, err := c.Do(context.Background(), httpx.Request{Method: http.MethodPost, Path: "x", Idempotent: idem}, nil)
		var ae *httpx.APIError
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusBadGateway {
			t.Fatalf("idem=%v: want *APIError 502, got %v", idem, err)
		}
		want := int32(1)
		if idem {
			want = 4
		}
		if calls.Load() != want {
			t.Fatalf("idem=%v: calls=%d want %d", idem, calls.Load(), want)
		}
	}
}

func TestContextCancelStopsBackoff(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		w.WriteHeader(http.StatusTooManyRequests)
	}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, httpx.Request{Path: "x"}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("want deadline exceeded, got %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("backoff not interrupted")
	}
}

func TestSecretsRedactedFromErrorsAndLogs(t *testing.T) {
	c, logs := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"message":"bad lead buyer@example.com token s3cr3t-token"}`))
	}, func(cfg *httpx.Config) {
		cfg.DecodeError = func(e *httpx.APIError, body []byte) { e.Message = string(body) }
	})
	_, err := c.Do(context.Background(), httpx.Request{Path: "Lead", Query: url.Values{"token": {"s3cr3t-token"}, "email": {"buyer@example.com"}}}, nil)
	if err == nil {
		t.Fatal("want error")
	}
	for _, s := range []string{err.Error(), logs.String()} {
		if strings.Contains(s, "s3cr3t-token") || strings.Contains(s, "buyer@example.com") || strings.Contains(s, "buyer%40example.com") {
			t.Fatalf("secret leaked: %s", s)
		}
	}
	var ae *httpx.APIError
	if !errors.As(err, &ae) || bytes.Contains(ae.Body, []byte("s3cr3t")) {
		t.Fatalf("body not redacted: %+v", ae)
	}
}

func TestTransportErrorRedacted(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1/api")
	c, err := httpx.New(httpx.Config{Provider: "test", BaseURL: u, RetryMax: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(context.Background(), httpx.Request{Path: "Lead", Query: url.Values{"token": {"abcd-secret"}}}, nil)
	if err == nil || strings.Contains(err.Error(), "abcd-secret") {
		t.Fatalf("want redacted transport error, got %v", err)
	}
}

func TestCheckBodyTurns200IntoError(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"StatusCode":400,"Message":"Máquina inválida"}`))
	}, func(cfg *httpx.Config) {
		cfg.CheckBody = func(resp *http.Response, body []byte) error {
			if bytes.Contains(body, []byte(`"StatusCode":400`)) {
				return &httpx.APIError{Code: "400", Message: "Máquina inválida"}
			}
			return nil
		}
	})
	_, err := c.Do(context.Background(), httpx.Request{Path: "x"}, nil)
	var ae *httpx.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 200 || ae.Code != "400" || ae.Provider != "test" {
		t.Fatalf("got %#v", err)
	}
}

func TestBasePathKept(t *testing.T) {
	var path atomic.Value
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) { path.Store(r.URL.Path) }, nil)
	for _, p := range []string{"Lead", "/Lead"} {
		if _, err := c.Do(context.Background(), httpx.Request{Path: p}, nil); err != nil {
			t.Fatal(err)
		}
		if got := path.Load(); got != "/api/Lead" {
			t.Fatalf("%s → %v", p, got)
		}
	}
}

func TestLimiterPaces(t *testing.T) {
	l := httpx.NewLimiter(50, 1)
	start := time.Now()
	for i := 0; i < 6; i++ {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// 1 burst token + 5 more at 50/s = at least 100 ms.
	if d := time.Since(start); d < 90*time.Millisecond {
		t.Fatalf("limiter too fast: %v", d)
	}
	l.PauseUntil(time.Now().Add(50 * time.Millisecond))
	start = time.Now()
	_ = l.Wait(context.Background())
	if d := time.Since(start); d < 45*time.Millisecond {
		t.Fatalf("pause ignored: %v", d)
	}
}

func TestUserAgent(t *testing.T) {
	ua := httpx.UserAgent("myapp/1.0")
	if !strings.HasPrefix(ua, "hotmartkit/"+httpx.Version+" go/") || !strings.HasSuffix(ua, " myapp/1.0") {
		t.Fatal(ua)
	}
}

func TestEscapedPathSegmentKept(t *testing.T) {
	var raw atomic.Value
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) { raw.Store(r.URL.EscapedPath()) }, nil)
	if _, err := c.Do(context.Background(), httpx.Request{Path: "/contacts/external/" + url.PathEscape("a/b c")}, nil); err != nil {
		t.Fatal(err)
	}
	if got := raw.Load(); got != "/api/contacts/external/a%2Fb%20c" {
		t.Fatalf("escaped path = %v", got)
	}
}

func TestLongErrorCodeKept(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}, func(cfg *httpx.Config) {
		cfg.RetryMax = -1
		cfg.DecodeError = func(e *httpx.APIError, body []byte) { e.Code = "2020202020"; e.Message = "call 31999998888" }
	})
	_, err := c.Do(context.Background(), httpx.Request{Path: "x"}, nil)
	var ae *httpx.APIError
	if !errors.As(err, &ae) || ae.Code != "2020202020" || strings.Contains(ae.Message, "31999998888") {
		t.Fatalf("got %#v", err)
	}
}

// A redirect is answered as the error it is, never followed: following it
// would send the request's credentials (and a Referer) to another host.
func TestRedirectsNotFollowed(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(other.Close)
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/steal?token=s3cr3t-token", http.StatusFound)
	}, nil)
	_, err := c.Do(context.Background(), httpx.Request{Path: "x", Query: url.Values{"token": {"s3cr3t-token"}}}, nil)
	var ae *httpx.APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusFound {
		t.Fatalf("want *APIError 302, got %v", err)
	}
	if elsewhere.Load() != 0 {
		t.Fatal("the redirect was followed to another host")
	}
	if strings.Contains(err.Error(), "s3cr3t-token") {
		t.Fatalf("error shows the token: %v", err)
	}
}

// Personal values a call carries are scrubbed from its error, even short
// names no pattern recognises.
func TestSensitiveValuesScrubbedFromErrors(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"message":"Lead Ana Souza already exists","error":"dup","detail":{"firstName":"Ana"}}`))
	}, func(cfg *httpx.Config) {
		cfg.DecodeError = func(e *httpx.APIError, body []byte) { e.Message = "Lead Ana Souza already exists" }
	})
	_, err := c.Do(context.Background(), httpx.Request{Method: http.MethodPost, Path: "x", Sensitive: []string{"Ana Souza"}}, nil)
	var ae *httpx.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want *APIError, got %v", err)
	}
	for _, part := range []string{"Ana", "Souza"} {
		if strings.Contains(ae.Error(), part) || bytes.Contains(ae.Body, []byte(part)) {
			t.Fatalf("error or body shows the buyer's name: %v / %s", ae, ae.Body)
		}
	}
	if !strings.Contains(ae.Message, "already exists") {
		t.Fatalf("the rest of the message should stay: %q", ae.Message)
	}
}

func TestTokenRefreshAt(t *testing.T) {
	now := time.Unix(1000, 0)
	for _, tc := range []struct {
		life, margin, want time.Duration
	}{
		{time.Hour, 2 * time.Minute, 58 * time.Minute},
		{4 * time.Second, 2 * time.Minute, 2 * time.Second}, // shorter than the margin: half its life
		{4 * time.Second, 0, 4 * time.Second},
		{0, time.Minute, 0},
	} {
		if got := httpx.TokenRefreshAt(now, tc.life, tc.margin).Sub(now); got != tc.want {
			t.Errorf("life %v margin %v: refresh after %v, want %v", tc.life, tc.margin, got, tc.want)
		}
	}
}
