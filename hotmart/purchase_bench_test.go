package hotmart_test

import (
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

// BenchmarkPurchaseDecode measures the data section alone: the hand-written
// decoder against encoding/json (the reference, and the baseline) on the
// typical PURCHASE_APPROVED.
func BenchmarkPurchaseDecode(b *testing.B) {
	data := dataSection(b, benchBody(b))
	for _, bm := range []struct {
		name string
		fn   func([]byte, *hotmart.PurchaseData) error
	}{
		{"encoding-json", hotmart.UnmarshalPurchaseReference},
		{"fast", hotmart.UnmarshalPurchase},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var v hotmart.PurchaseData
				if err := bm.fn(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
