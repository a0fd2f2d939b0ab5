package rest_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/hotmart/rest"
	"github.com/hotmartkit/hotmartkit/hotmart/rest/resttest"
)

func ExampleNewClient() {
	srv := resttest.NewServer(nil, resttest.WithSales(500))
	defer srv.Close()

	// With a real credential, drop the two URL options (or add
	// rest.WithEnvironment(rest.Sandbox) for a sandbox credential).
	client, err := rest.NewClient(srv.Credentials(),
		rest.WithBaseURL(srv.URL()), rest.WithTokenURL(srv.TokenURL()))
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Sales.History(context.Background(), &rest.SalesHistoryListOptions{
		ListOptions: rest.ListOptions{MaxResults: 3},
		SalesFilter: rest.SalesFilter{
			StartDate: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			EndDate:   time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range page.Items {
		p := s.Purchase
		fmt.Println(p.Transaction, p.Status, p.Price.Money(), p.OrderDate.Format(time.DateOnly))
	}
	fmt.Println("more pages:", page.HasNext())
	// Output:
	// HP70000000042 APPROVED 19.40 USD 2024-03-01
	// HP66000000479 APPROVED 399.40 USD 2024-03-01
	// HP39000000480 APPROVED 47.50 BRL 2024-03-01
	// more pages: false
}

func ExampleSalesService_All() {
	srv := resttest.NewServer(nil, resttest.WithSales(2000))
	defer srv.Close()
	client := srv.Client() // pacing off: tests and examples run at full speed
	from, to := srv.Period()
	opts := &rest.SalesHistoryListOptions{
		ListOptions: rest.ListOptions{MaxResults: rest.MaxPageSize},
		SalesFilter: rest.SalesFilter{
			StartDate: from, EndDate: to,
			// Without statuses Hotmart returns approved and complete sales only.
			TransactionStatus: rest.AllSaleStatuses,
		},
	}
	byStatus := map[hotmart.PurchaseStatus]int{}
	total := 0
	for sale, err := range client.Sales.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		byStatus[sale.Purchase.Status.Canonical()]++
		total++
	}
	fmt.Println("sales:", total)
	fmt.Println("approved:", byStatus[hotmart.StatusApproved], "refunded:", byStatus[hotmart.StatusRefunded])
	// Output:
	// sales: 2000
	// approved: 1085 refunded: 86
}
