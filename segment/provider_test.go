package segment_test

import (
	"encoding/json"
	"errors"

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

func (fakeProvider) CompileAction(command string, params map[string]json.RawMessage) (any, error) {
	var p tagParams
	var errs []error
	for k, v := range params {
		switch k {
		case "list":
			if err := json.Unmarshal(v, &p.List); err != nil || p.List <= 0 {
				errs = append(errs, &segment.ParamError{Param: "list", Reason: "must be a positive integer"})
			}
		case "label":
			if err := json.Unmarshal(v, &p.Label); err != nil {
				errs = append(errs, &segment.ParamError{Param: "label", Reason: err.Error()})
			}
		default:
			errs = append(errs, &segment.ParamError{Param: k, Reason: "unknown parameter"})
		}
	}
	if _, ok := params["list"]; !ok {
		errs = append(errs, &segment.ParamError{Param: "list", Reason: "required"})
	}
	if command == "untag" && len(errs) == 0 && p.List == 13 {
		return nil, errors.New("list 13 cannot be untagged")
	}
	return &p, errors.Join(errs...)
}
