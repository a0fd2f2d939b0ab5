package segment_test

import (
	"encoding/json"
	"errors"

	"github.com/hotmartkit/hotmartkit/internal/suggest"
	"github.com/hotmartkit/hotmartkit/segment"
)

// fakeProvider is a minimal provider with one templated command, "tag", with
// parameters {"list": number (required), "label": template}.
type fakeProvider struct{}

type tagParams struct {
	List  int               `json:"list"`
	Label *segment.Template `json:"label"`
}

func (fakeProvider) Name() string       { return "fake" }
func (fakeProvider) Commands() []string { return []string{"tag", "untag"} }

// CompileAction reports its problems as a segment.ProblemList, the way
// providers report every problem of an action at once.
func (fakeProvider) CompileAction(command string, params map[string]json.RawMessage) (any, error) {
	var p tagParams
	var probs segment.ProblemList
	for k, v := range params {
		switch k {
		case "list":
			if err := json.Unmarshal(v, &p.List); err != nil || p.List <= 0 {
				probs = append(probs, segment.Problem{Field: "list", Reason: segment.ReasonInvalid, Message: "must be a positive integer"})
			}
		case "label":
			if err := json.Unmarshal(v, &p.Label); err != nil {
				probs = append(probs, segment.Problem{Field: "label", Reason: segment.ReasonInvalid, Message: err.Error()})
			}
		default:
			probs = append(probs, segment.Problem{Field: k, Reason: segment.ReasonUnknown, Message: "unknown parameter",
				Suggestion: suggest.Closest(k, []string{"list", "label"})})
		}
	}
	if _, ok := params["list"]; !ok {
		probs = append(probs, segment.Problem{Field: "list", Reason: segment.ReasonMissing, Message: "required"})
	}
	if command == "untag" && len(probs) == 0 && p.List == 13 {
		return nil, errors.New("list 13 cannot be untagged")
	}
	return &p, probs.Err()
}

// legacyProvider reports problems as joined *segment.ParamError values.
type legacyProvider struct{}

func (legacyProvider) Name() string       { return "legacy" }
func (legacyProvider) Commands() []string { return []string{"run"} }

func (legacyProvider) CompileAction(_ string, params map[string]json.RawMessage) (any, error) {
	var errs []error
	for k := range params {
		errs = append(errs, &segment.ParamError{Param: k, Reason: "unknown parameter"})
	}
	return nil, errors.Join(errs...)
}
