package params_test

import (
	"encoding/json"
	"testing"

	"github.com/hotmartkit/hotmartkit/internal/params"
)

func TestSuggest(t *testing.T) {
	known := []string{"book", "level", "machine", "sequence", "stages", "variables"}
	for name, want := range map[string]string{
		"sequense": "sequence", "levle": "level", "Machine": "machine", "bok": "book",
		"variable": "variables", "stage": "stages", "tags": "stages", "zzz": "", "book": "",
	} {
		if got := params.Suggest(name, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
}

type inner struct {
	Machine int `json:"machine"`
}

type all struct {
	ID     int64             `json:"id" param:"numstring"`
	N      int               `json:"n"`
	Name   string            `json:"name"`
	List   []string          `json:"list"`
	Map    map[string]string `json:"map"`
	Nested *inner            `json:"nested"`
}

func TestDecodeReportsEverything(t *testing.T) {
	raw := map[string]json.RawMessage{}
	_ = json.Unmarshal([]byte(`{"id":"12","n":1.5,"name":3,"list":["a",2,null],"map":{"k":1,"ok":"v"},"nested":{"machin":1},"nme":1}`), &raw)
	var dst all
	probs := params.Decode(raw, &dst)
	want := []string{"list[1]", "list[2]", "map.k", "n", "name", "nested.machin", "nme"}
	if len(probs) != len(want) {
		t.Fatalf("problems %+v, want fields %v", probs, want)
	}
	for i, p := range probs {
		if p.Field != want[i] {
			t.Errorf("problem %d: %+v, want field %s", i, p, want[i])
		}
	}
	if dst.ID != 12 || dst.Map["ok"] != "v" || len(dst.List) != 1 {
		t.Errorf("good values not kept: %+v", dst)
	}
	if probs[6].Suggestion != "name" || probs[5].Suggestion != "machine" {
		t.Errorf("suggestions: %+v", probs)
	}
}
