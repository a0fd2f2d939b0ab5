package leadlovers

import (
	"encoding/json"
	"errors"
	"github.com/hotmartkit/hotmartkit/internal/httpx"
	"testing"
)

func FuzzCheckBody(f *testing.F) {
	for _, s := range []string{
		`{"StatusCode":200,"Message":"Sucesso ao inserir tag"}`,
		`{"StatusCode":400,"Message":"Código da Máquina inválido"}`,
		`{"StatusCode":"OK","Message":"","Exception":{"Message":""}}`,
		`{"StatusCode":"BadRequest","Message":"x","Exception":"boom"}`,
		`{"StatusCode":{},"Message":"x"}`,
		`{"Exception":[1]}`,
		`[{"StatusCode":500}]`,
		`error code: 1015`,
		`{"StatusCode":1e400}`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := checkBody(nil, body)
		st, _, exc, ok := parseEnvelope(body)
		failed := ok && (!(st.IsZero() || st.OK()) || exc != "")
		if (err != nil) != failed {
			t.Fatalf("checkBody=%v but envelope ok=%v status=%+v exc=%q", err, ok, st, exc)
		}
		if err != nil {
			var ae *httpx.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("not an *APIError: %T", err)
			}
		}
		var e httpx.APIError
		decodeError(&e, body)
	})
}

func FuzzCompileAction(f *testing.F) {
	f.Add("add_lead", `{"send":["email","name","billet_url"],"billet_field":3,"machine":1,"sequence":2,"level":1,"fields":{"5":"{{buyer.name}}"}}`)
	f.Add("move_lead", `{"from":{"machine":1,"sequence":2},"to":{"machine":1,"sequence":3,"level":1}}`)
	f.Add("remove_lead", `{"machine":1,"sequence":null}`)
	f.Add("add_lead", `{"machine":1e99,"fields":{"-1":""}}`)
	f.Fuzz(func(t *testing.T, command, js string) {
		var params map[string]json.RawMessage
		if json.Unmarshal([]byte(js), &params) != nil {
			return
		}
		v, err := Spec.CompileAction(command, params)
		if (v == nil) == (err == nil) {
			t.Fatalf("value %v with error %v", v, err)
		}
		switch a := v.(type) {
		case *AddLeadAction:
			if a.Machine <= 0 || a.Sequence <= 0 || a.Level <= 0 || a.Send[0] != SendEmail {
				t.Fatalf("accepted %+v", a)
			}
			if a.sends(SendBilletURL) && a.BilletField <= 0 {
				t.Fatalf("billet without field: %+v", a)
			}
		case *MoveLeadAction:
			if a.FromMachine <= 0 || a.ToLevel <= 0 || a.ToSequence <= 0 {
				t.Fatalf("accepted %+v", a)
			}
		case *RemoveLeadAction:
			if a.Machine <= 0 || a.Sequence < 0 {
				t.Fatalf("accepted %+v", a)
			}
		}
	})
}
