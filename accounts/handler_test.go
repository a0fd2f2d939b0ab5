package accounts_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/accounts"
)

func TestBackfillHandler(t *testing.T) {
	f := historyFixture(t)
	plain := account(t, "plain", "plain-hottok-1")
	plain.Hotmart = nil
	f.reg = registry(t, append(f.reg.Accounts(), plain)...)
	f.sync = f.newSyncer(t)
	mux := http.NewServeMux()
	mux.Handle("/accounts/{id}/backfill", f.sync.BackfillHandler())
	do := func(method, path, body string) (int, map[string]any) {
		t.Helper()
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: body %q is not a JSON object", method, path, rec.Body)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("content type %q", ct)
		}
		return rec.Code, out
	}
	month := `{"from": "2026-03-01", "to": "2026-04-01"`
	code, dry := do("POST", "/accounts/acme/backfill", month+`, "dry_run": true}`)
	if code != http.StatusOK || dry["dry_run"] != true || dry["events"] != 11.0 {
		t.Fatalf("dry run = %d %v", code, dry)
	}
	segs, _ := dry["segmentations"].([]any)
	if len(segs) != 4 {
		t.Fatalf("segmentations = %v", dry["segmentations"])
	}
	first := segs[0].(map[string]any)
	if first["id"] != "approved" || first["events"] != 9.0 || len(first["sample"].([]any)) != 5 {
		t.Errorf("first segmentation = %v", first)
	}
	if code, out := do("POST", "/accounts/acme/backfill", month+`}`); code != http.StatusAccepted || out["queued"] != 11.0 {
		t.Errorf("apply = %d %v", code, out)
	}
	if code, out := do("POST", "/accounts/acme/backfill", month+`}`); code != http.StatusAccepted || out["queued"] != 0.0 {
		t.Errorf("second apply = %d %v", code, out)
	}
	for _, tc := range []struct {
		method, path, body string
		code               int
	}{
		{"POST", "/accounts/nobody/backfill", month + `}`, http.StatusNotFound},
		{"GET", "/accounts/acme/backfill", "", http.StatusMethodNotAllowed},
		{"POST", "/accounts/acme/backfill", `{"from": "2026-03-01"}`, http.StatusBadRequest},
		{"POST", "/accounts/acme/backfill", `not json`, http.StatusBadRequest},
		{"POST", "/accounts/acme/backfill", `{"from": "` + strings.Repeat("x", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
		{"POST", "/accounts/plain/backfill", month + `}`, http.StatusConflict},
	} {
		code, out := do(tc.method, tc.path, tc.body)
		if code != tc.code || out["error"] == "" {
			t.Errorf("%s %s = %d %v, want %d with an error", tc.method, tc.path, code, out, tc.code)
		}
	}
	f.sales.fail = errBoom
	if code, out := do("POST", "/accounts/acme/backfill", month+`, "dry_run": true}`); code != http.StatusBadGateway ||
		strings.Contains(out["error"].(string), "boom") {
		t.Errorf("source failure = %d %v", code, out)
	}
	_, err := f.sync.Run(t.Context(), "acme")
	var se *accounts.SourceError
	if !errors.As(err, &se) || se.Account != "acme" || !errors.Is(err, errBoom) {
		t.Errorf("Run with a failing source: %v", err)
	}
	f.sales.fail = nil
	f.store.failEnqueue = errBoom
	f.sales.set("acme", sale("HP9", "APPROVED", march))
	if code, out := do("POST", "/accounts/acme/backfill", month+`}`); code != http.StatusInternalServerError ||
		strings.Contains(out["error"].(string), "boom") {
		t.Errorf("store failure = %d %v", code, out)
	}
}
