package console_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/hotmartkit/hotmartkit/console"
	"github.com/hotmartkit/hotmartkit/pipeline"
	"github.com/hotmartkit/hotmartkit/segment"
	"github.com/hotmartkit/hotmartkit/webhook"
)

// A host mounts the console under /admin/, over the simple mode's memory
// event log and rule store.
func ExampleNew() {
	rules, _ := segment.ParseRules([]byte(`{"segmentations": [{"id": "approved", "events": ["PURCHASE_APPROVED"],
		"action": {"provider": "leadlovers", "command": "add_lead"}}]}`))
	store := pipeline.NewMemoryRules(rules)
	events, _ := webhook.NewMemoryEvents(1000)

	c, err := console.New("an admin token",
		console.WithPrefix("/admin"),
		console.WithEvents(events),
		console.WithRules(store, segment.AllowUnknownProviders()))
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", c)

	// Without a session, pages send the browser to the login form.
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/segmentations", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))

	// A bearer token works on every page.
	req := httptest.NewRequest("GET", "/admin/segmentations", nil)
	req.Header.Set("Authorization", "Bearer an admin token")
	rec = httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), `data-segmentation-id="approved" data-active="false"`))
	// Output:
	// 303 /admin/login
	// 200 true
}
