package query_test

import (
	"testing"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/query"
)

type status string

type page struct {
	Size  int    `url:"max_results,omitempty"`
	Token string `url:"page_token,omitempty"`
}

type opts struct {
	page
	Product  string    `url:"product_id,omitempty"`
	Statuses []status  `url:"status,omitempty"`
	Select   []string  `url:"select,omitempty,comma"`
	From     time.Time `url:"start_date,omitempty,epochms"`
	Day      time.Time `url:"day,omitempty,date"`
	Trial    *bool     `url:"trial,omitempty"`
	Details  bool      `url:"details,omitempty,int"`
	Page     int       `url:"page"`
	Skipped  string    `url:"-"`
	untagged string
}

func TestValues(t *testing.T) {
	no := false
	o := &opts{
		page:     page{Size: 50},
		Statuses: []status{"APPROVED", "", "COMPLETE"},
		Select:   []string{"a", "b"},
		From:     time.UnixMilli(1700000000123),
		Day:      time.Date(2024, 3, 1, 15, 0, 0, 0, time.UTC),
		Trial:    &no,
		Details:  true,
		Skipped:  "x",
		untagged: "y",
	}
	q, err := query.Values(o)
	if err != nil {
		t.Fatal(err)
	}
	want := "day=2024-03-01&details=1&max_results=50&page=0&select=a%2Cb&start_date=1700000000123&status=APPROVED&status=COMPLETE&trial=false"
	if got := q.Encode(); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	q, err = query.Values((*opts)(nil))
	if err != nil || len(q) != 0 {
		t.Fatalf("nil options: %v %v", q, err)
	}
	if _, err := query.Values(struct {
		C chan int `url:"c"`
	}{}); err == nil {
		t.Fatal("unsupported field type accepted")
	}
}
