package httpx_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

func TestSettings(t *testing.T) {
	var s httpx.Settings
	if s.SetHTTPClient(nil) == nil || s.SetLogger(nil) == nil || s.SetUserAgent("a\r\nb") == nil {
		t.Fatal("invalid settings accepted")
	}
	for _, bad := range [][3]int{{-1, 1, 1}, {1, 0, 1}, {1, 2, 1}} {
		if s.SetRetry(bad[0], time.Duration(bad[1]), time.Duration(bad[2])) == nil {
			t.Fatalf("SetRetry%v accepted", bad)
		}
	}
	if err := s.SetRetry(0, time.Millisecond, time.Second); err != nil || s.RetryMax != -1 {
		t.Fatalf("SetRetry(0): %v, RetryMax %d; want -1 (no retries)", err, s.RetryMax)
	}
	hc := &http.Client{}
	if err := s.SetHTTPClient(hc); err != nil {
		t.Fatal(err)
	}
	_ = s.SetUserAgent("app/1")
	var cfg httpx.Config
	s.Apply(&cfg)
	if cfg.HTTPClient != hc || cfg.RetryMax != -1 || cfg.UserAgent != httpx.UserAgent("app/1") {
		t.Fatalf("Apply: %+v", cfg)
	}
}

func TestParseBaseURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://api.example.com/webapi": true, " http://127.0.0.1:8080 ": true,
		"/webapi": false, "ftp://x": false, "https://x/?token=1": false, "https://u:p@x": false, "https://x/#f": false,
	} {
		if _, err := httpx.ParseBaseURL(raw); (err == nil) != ok {
			t.Errorf("%q: err=%v, want ok=%v", raw, err, ok)
		}
	}
}
