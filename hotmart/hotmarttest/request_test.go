package hotmarttest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/hotmarttest"
)

func TestNewRequest(t *testing.T) {
	body := hotmarttest.NewEvent(hotmart.EventPurchaseApproved)
	tests := []struct {
		name, hottok string
		wantHeader   bool
	}{
		{"with hottok", "secret", true},
		{"without hottok", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := hotmarttest.NewRequest(body, tt.hottok)
			if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("method %s, content type %q", r.Method, r.Header.Get("Content-Type"))
			}
			got, present := r.Header["X-Hotmart-Hottok"]
			if present != tt.wantHeader || (present && got[0] != tt.hottok) {
				t.Errorf("hottok header = %v (present %v)", got, present)
			}
			b, _ := io.ReadAll(r.Body)
			if string(b) != string(body) || r.ContentLength != int64(len(body)) {
				t.Errorf("body not carried (len %d)", r.ContentLength)
			}
		})
	}
}

func TestPost(t *testing.T) {
	var gotTok, gotCT string
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotTok, gotCT = r.Header.Get("X-HOTMART-HOTTOK"), r.Header.Get("Content-Type")
		gotBody, _ = io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	body := hotmarttest.NewEvent(hotmart.EventClubFirstAccess)
	resp, err := hotmarttest.Post(context.Background(), srv.URL, body, "tok")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || gotTok != "tok" || gotCT != "application/json" || string(gotBody) != string(body) {
		t.Errorf("status %d tok %q ct %q", resp.StatusCode, gotTok, gotCT)
	}
	if _, err := hotmarttest.Post(context.Background(), "://bad", body, "tok"); err == nil {
		t.Error("bad URL accepted")
	}
}
