package hotmart_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hotmartkit/hotmartkit/hotmart"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current decoder")

// snapshot is what the golden files pin for one body: the envelope, the
// typed accessor of the event's family, and the cross-family views.
type snapshot struct {
	Error     string              `json:"error,omitempty"` // "field" of the DecodeError, or "-" for the whole body
	ID        string              `json:"id,omitempty"`
	Type      hotmart.EventType   `json:"type,omitempty"`
	Version   string              `json:"version,omitempty"`
	CreatedAt string              `json:"created_at,omitempty"`
	Hottok    bool                `json:"hottok,omitempty"`
	RawSHA256 string              `json:"raw_sha256,omitempty"`
	DataError string              `json:"data_error,omitempty"`
	Warnings  []string            `json:"warnings,omitempty"` // "field: reason"
	Data      any                 `json:"data,omitempty"`
	Buyer     *hotmart.Buyer      `json:"buyer,omitempty"`
	Product   *hotmart.ProductRef `json:"product,omitempty"`
}

func takeSnapshot(e *hotmart.Event, err error) snapshot {
	var s snapshot
	if err != nil {
		var de *hotmart.DecodeError
		s.Error = "?"
		if errors.As(err, &de) {
			s.Error = de.Field
			if s.Error == "" {
				s.Error = "-"
			}
		}
	}
	if e == nil {
		return s
	}
	s.ID, s.Type, s.Version, s.Hottok = e.ID, e.Type, e.Version, e.Hottok != ""
	for _, w := range e.Warnings {
		s.Warnings = append(s.Warnings, w.Field+": "+string(w.Reason))
	}
	if !e.CreatedAt.IsZero() {
		s.CreatedAt = e.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	if e.Raw != nil {
		sum := sha256.Sum256(e.Raw)
		s.RawSHA256 = hex.EncodeToString(sum[:8])
	}
	var (
		data any
		derr error
	)
	switch e.Family() {
	case hotmart.FamilyPurchase:
		data, derr = e.Purchase()
	case hotmart.FamilyCartAbandonment:
		data, derr = e.CartAbandonment()
	case hotmart.FamilySubscriptionCancellation:
		data, derr = e.SubscriptionCancellation()
	case hotmart.FamilySwitchPlan:
		data, derr = e.SwitchPlan()
	case hotmart.FamilyChargeDateUpdate:
		data, derr = e.ChargeDateUpdate()
	case hotmart.FamilyClubFirstAccess:
		data, derr = e.ClubFirstAccess()
	case hotmart.FamilyClubModuleCompleted:
		data, derr = e.ClubModuleCompleted()
	case hotmart.FamilyOrderFulfillment:
		data, derr = e.OrderFulfillment()
	}
	if derr != nil {
		var de *hotmart.DecodeError
		s.DataError = "?"
		if errors.As(derr, &de) {
			s.DataError = de.Field
		}
	} else {
		s.Data = data
	}
	b, p := e.Buyer(), e.Product()
	s.Buyer, s.Product = &b, &p
	return s
}

// parseLikeTheDoor decodes a JSON body as the webhook handler does: as a
// 2.0.0 event, or, when it lacks the envelope's id or event, as a 1.0
// postback sent as JSON; the first error is kept when both fail.
func parseLikeTheDoor(body []byte) (*hotmart.Event, error) {
	e, err := hotmart.ParseEvent(body)
	var de *hotmart.DecodeError
	if err != nil && e == nil && errors.As(err, &de) && (de.Field == "id" || de.Field == "event") {
		if le, lerr := hotmart.ParseLegacyJSON(body); lerr == nil {
			return le, nil
		}
	}
	return e, err
}

// goldenCase is one body and how to decode it.
type goldenCase struct {
	name  string // golden file name
	path  string
	parse func([]byte) (*hotmart.Event, error)
}

func parseFormBody(b []byte) (*hotmart.Event, error) {
	form, err := url.ParseQuery(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, err
	}
	return hotmart.ParseForm(form)
}

func goldenCases(t *testing.T) []goldenCase {
	t.Helper()
	var cases []goldenCase
	add := func(dir, prefix string) {
		files, err := filepath.Glob(filepath.Join("testdata", dir, "*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			base := filepath.Base(f)
			c := goldenCase{name: prefix + strings.ReplaceAll(base, ".", "_") + ".json", path: f}
			switch {
			case strings.HasSuffix(base, ".form"):
				c.parse = parseFormBody
			case strings.HasSuffix(base, ".json") && dir == "legacy":
				c.parse = hotmart.ParseLegacyJSON
			case strings.HasSuffix(base, ".json") && dir == "wild":
				c.parse = parseLikeTheDoor
			case strings.HasSuffix(base, ".json"):
				c.parse = hotmart.ParseEvent
			default:
				continue
			}
			cases = append(cases, c)
		}
	}
	add("webhooks", "webhooks/")
	add("events", "events/")
	add("legacy", "legacy/")
	add("wild", "wild/")
	return cases
}

// TestGoldenSamples pins what every sample body decodes to. The golden
// files were written by the decoder this package had before it moved to
// go-json-experiment, so a difference is a change of behaviour, not of
// implementation. Run with -update-golden only for a deliberate change,
// and read the diff.
func TestGoldenSamples(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			body, err := os.ReadFile(c.path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(takeSnapshot(c.parse(body)), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			file := filepath.Join("testdata", "golden", c.name)
			if *updateGolden {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update-golden to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded value differs from %s:\n got: %s\nwant: %s", file, got, want)
			}
		})
	}
}
