package sendpulsetest_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/hotmartkit/hotmartkit/sendpulse"
	"github.com/hotmartkit/hotmartkit/sendpulse/sendpulsetest"
)

// The kit's shape, the same in hotmarttest and leadloverstest: a server, a
// ready client with pacing off, a fault, and the calls and effects it left.
func ExampleNewServer() {
	srv := sendpulsetest.NewServer(nil) // in a test: NewServer(t), closed by t.Cleanup
	defer srv.Close()
	client := srv.Client()

	// The create is applied, then its reply is lost: a client must not
	// repeat it blindly.
	srv.FailNext(1, sendpulsetest.Fault{Status: http.StatusBadGateway, AfterApply: true, Method: "POST", Path: "/crm/v1/deals"})
	p := srv.Pipelines()[0]
	_, err := client.CRM.Deals.Create(context.Background(), &sendpulse.DealCreate{PipelineID: p.ID, StepID: p.Steps[0].ID, Name: "Course #HP1"})
	fmt.Println("error:", err != nil)
	for _, c := range srv.Calls() {
		fmt.Println(c.Method, c.Path, c.Status, c.Fault)
	}
	for _, e := range srv.Effects() {
		fmt.Println("effect:", e.Kind)
	}
	// Output:
	// error: true
	// POST /crm/v1/deals 502 502 (after apply)
	// effect: deal.create
}
