package sendpulsetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

func call(t *testing.T, srv *sendpulsetest.Server, method, path, auth, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL()+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", "Bearer "+auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestServerContract(t *testing.T) {
	srv := sendpulsetest.NewServer(t, sendpulsetest.WithTokenLifetime(time.Second))
	key := srv.Credentials().APIKey

	// Token by JSON body, as SendPulse documents it.
	st, tok := call(t, srv, "POST", "/oauth/access_token", "", `{"grant_type":"client_credentials","client_id":"`+srv.OAuthCredentials().ClientID+`","client_secret":"`+srv.OAuthCredentials().ClientSecret+`"}`)
	if st != 200 || tok["token_type"] != "Bearer" || tok["expires_in"] != float64(1) {
		t.Fatalf("token: %d %v", st, tok)
	}
	access := tok["access_token"].(string)
	if st, _ := call(t, srv, "GET", "/crm/v1/users", access, ""); st != 200 {
		t.Fatalf("fresh token: %d", st)
	}
	srv.ExpireTokens()
	if st, body := call(t, srv, "GET", "/crm/v1/users", access, ""); st != 401 || body["error_code"] != float64(401) {
		t.Fatalf("expired token: %d %v", st, body)
	}
	if st, body := call(t, srv, "POST", "/oauth/access_token", "", `{"grant_type":"client_credentials","client_id":"x","client_secret":"y"}`); st != 401 || body["error"] != "invalid_client" {
		t.Fatalf("bad credentials: %d %v", st, body)
	}

	p := srv.Pipelines()[0]
	st, deal := call(t, srv, "POST", "/crm/v1/deals", key, `{"pipelineId":`+id(p.ID)+`,"stepId":`+id(p.Steps[0].ID)+`,"name":"D","price":1}`)
	if st != 200 {
		t.Fatalf("create deal: %d %v", st, deal)
	}
	dealID := id(int64(deal["data"].(map[string]any)["id"].(float64)))
	// PUT without every required field is refused and changes nothing.
	if st, _ := call(t, srv, "PUT", "/crm/v1/deals/"+dealID, key, `{"name":"only name"}`); st != 422 {
		t.Fatalf("partial update: %d", st)
	}
	if st, _ := call(t, srv, "POST", "/crm/v1/deals", key, `{"pipelineId":`+id(p.ID)+`,"stepId":999}`); st != 422 {
		t.Fatalf("foreign step: %d", st)
	}
	many := make([]string, 101)
	for i := range many {
		many[i] = `"u` + id(int64(i)) + `@x.test"`
	}
	book := id(srv.Books()[0])
	if st, body := call(t, srv, "DELETE", "/addressbooks/"+book+"/emails", key, `{"emails":[`+strings.Join(many, ",")+`]}`); st != 422 || body["message"] != "Limit is exceeded. Max count: 100" {
		t.Fatalf("delete 101: %d %v", st, body)
	}
	if st, body := call(t, srv, "POST", "/addressbooks/1/emails", key, `{"emails":["a@b.test"]}`); st != 404 || body["error_code"] != float64(213) {
		t.Fatalf("unknown book: %d %v", st, body)
	}
	if len(srv.Effects()) != 1 {
		t.Fatalf("effects = %v", srv.Effects())
	}

	// FailRate fails before applying.
	srv.FailRate(1)
	if st, _ := call(t, srv, "POST", "/addressbooks/"+book+"/emails", key, `{"emails":["a@b.test"]}`); st != 500 {
		t.Fatalf("fail rate: %d", st)
	}
	if srv.BookSize(srv.Books()[0]) != 0 {
		t.Fatal("failed call was applied")
	}
}

func id(n int64) string { b, _ := json.Marshal(n); return string(b) }
