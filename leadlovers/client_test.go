package leadlovers_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/hotmartkit/hotmartkit/leadlovers"
)

const (
	testToken = "A1B2C3D4E5F60718293A4B5C6D7E8F90"
	testBase  = "https://ll.test/webapi"
)

// setup gives each test its own mock transport and a client without pacing
// or retries; a call nobody registered fails the test.
func setup(t *testing.T, opts ...leadlovers.Option) (*leadlovers.Client, *httpmock.MockTransport) {
	t.Helper()
	tr := httpmock.NewMockTransport()
	tr.RegisterNoResponder(func(req *http.Request) (*http.Response, error) {
		t.Errorf("unexpected call %s %s", req.Method, strings.ReplaceAll(req.URL.String(), testToken, "TOKEN"))
		return httpmock.NewStringResponse(http.StatusTeapot, ""), nil
	})
	base := []leadlovers.Option{
		leadlovers.WithBaseURL(testBase),
		leadlovers.WithHTTPClient(&http.Client{Transport: tr}),
		leadlovers.WithRateLimit(0, 1),
		leadlovers.WithRetry(0, time.Millisecond, time.Millisecond),
	}
	c, err := leadlovers.NewClient(leadlovers.Credentials{Token: testToken}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, tr
}

type shapeCase struct {
	name   string
	method string
	path   string
	query  url.Values // without token
	body   string     // expected JSON body; "" for none
	reply  string
	call   func(ctx context.Context, c *leadlovers.Client) (any, error)
	want   any // expected result; nil skips the check
}

func TestRequestShapes(t *testing.T) {
	ok := `{"StatusCode":200,"Message":"ok"}`
	cases := []shapeCase{
		{name: "machines page", method: "GET", path: "/Machines", query: url.Values{"page": {"2"}, "registers": {"5"}, "details": {"1"}},
			reply: `{"Items":[{"MachineCode":111,"MachineName":"Clientes","MachineImage":"","Views":3,"Leads":"7"}],"CurrentPage":2,"Registers":5}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Machines.List(ctx, &leadlovers.MachineListOptions{ListOptions: leadlovers.ListOptions{Page: 2, PerPage: 5}, Details: true})
			},
			want: &leadlovers.Page[leadlovers.Machine]{Items: []leadlovers.Machine{{MachineCode: 111, MachineName: "Clientes", Views: 3, Leads: 7}}}},
		{name: "machine", method: "GET", path: "/Machines/111", query: url.Values{},
			reply: `{"MachineCode":"111","MachineName":"Clientes","MachineType":1}`,
			call:  func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Machines.Get(ctx, 111) },
			want:  &leadlovers.Machine{MachineCode: 111, MachineName: "Clientes", MachineType: "1"}},
		{name: "forms", method: "GET", path: "/Forms", query: url.Values{"machineCode": {"111"}}, reply: `{"Items":[{"Id":1}]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Machines.Forms(ctx, 111) },
			want: []json.RawMessage{json.RawMessage(`{"Id":1}`)}},
		{name: "pages", method: "GET", path: "/Pages", query: url.Values{"machineCode": {"111"}}, reply: `{"Items":[]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Machines.Pages(ctx, 111) },
			want: []json.RawMessage{}},
		{name: "sequences", method: "GET", path: "/EmailSequences", query: url.Values{"machineCode": {"111"}},
			reply: `{"Items":[{"SequenceCode":222,"SequenceName":"Boas-vindas"}]}`,
			call:  func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Sequences.List(ctx, 111) },
			want:  []leadlovers.Sequence{{SequenceCode: 222, SequenceName: "Boas-vindas"}}},
		{name: "levels", method: "GET", path: "/Levels", query: url.Values{"machineCode": {"111"}, "sequenceCode": {"222"}},
			reply: `{"Items":[{"ModelCode":9,"Sequence":1,"Subject":"Oi"}]}`,
			call:  func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Levels.List(ctx, 111, 222) },
			want:  []leadlovers.Level{{ModelCode: 9, Sequence: 1, Subject: "Oi"}}},
		{name: "insert", method: "POST", path: "/Lead", query: url.Values{},
			body:  `{"Email":"ana@example.com","Name":"Ana","MachineCode":111,"EmailSequenceCode":222,"SequenceLevelCode":1,"DynamicFields":[{"Id":77,"Value":"https://b.example/x"}]}`,
			reply: `{"StatusCode":200,"Message":"Novo lead inserido na fila para processamento.","Exception":null}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.Insert(ctx, &leadlovers.Lead{Email: "ana@example.com", Name: "Ana", MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 1,
					DynamicFields: []leadlovers.DynamicField{{ID: 77, Value: "https://b.example/x"}}})
			},
			want: &leadlovers.WriteResult{StatusCode: leadlovers.BodyStatus{Code: 200}, Message: "Novo lead inserido na fila para processamento."}},
		{name: "upsert", method: "PUT", path: "/Lead", query: url.Values{},
			body:  `{"Email":"ana@example.com","Phone":"+5531999999999","MachineCode":111,"EmailSequenceCode":222,"SequenceLevelCode":2,"Tag":10}`,
			reply: `{"Code":1001,"Email":"ana@example.com","StatusCode":"OK","Message":"Lead atualizado"}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.Upsert(ctx, &leadlovers.Lead{Email: "ana@example.com", Phone: "+5531999999999", MachineCode: 111, EmailSequenceCode: 222, SequenceLevelCode: 2, Tag: 10})
			},
			want: &leadlovers.WriteResult{StatusCode: leadlovers.BodyStatus{Code: 200, Name: "OK"}, Message: "Lead atualizado", Code: 1001}},
		{name: "update", method: "PATCH", path: "/Lead", query: url.Values{}, body: `{"Email":"ana@example.com","City":"BH"}`,
			reply: `{"Id":0,"Code":5,"Email":"ana@example.com","City":"BH","MachineCode":"111","Score":0,"Srce":"","Level":2,"Tags":[{"Id":10,"Title":"comprador","Count":0}],"StatusCode":"OK","Message":"","Exception":{"Message":""}}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				r, err := c.Leads.Update(ctx, &leadlovers.Lead{Email: "ana@example.com", City: "BH"})
				if err != nil {
					return nil, err
				}
				return []any{r.Code, r.City, r.MachineCode, r.Level, r.Tags[0].ID}, nil
			},
			want: []any{leadlovers.Code(5), leadlovers.Text("BH"), leadlovers.Text("111"), 2, leadlovers.Code(10)}},
		{name: "get", method: "GET", path: "/Lead", query: url.Values{"email": {"ana@example.com"}},
			reply: `{"Code":5,"Email":"ana@example.com","Name":"Ana","Phone":null,"Score":3,"MachineCode":"","RegistrationDate":"2024-01-02T03:04:05"}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.Get(ctx, "ana@example.com")
			},
			want: &leadlovers.LeadRecord{Code: 5, Email: "ana@example.com", Name: "Ana", Score: 3, RegistrationDate: "2024-01-02T03:04:05"}},
		{name: "list leads", method: "GET", path: "/Leads", query: url.Values{"page": {"1"}, "startDate": {"2024-01-01"}, "endDate": {"2024-01-31"}},
			reply: `{"Data":[{"Code":1,"Email":"a@example.com"}],"Links":{"Self":"x","Next":null,"Prev":null}}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				p, err := c.Leads.List(ctx, &leadlovers.LeadListOptions{StartDate: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)})
				if err != nil {
					return nil, err
				}
				return []any{len(p.Items), p.Items[0].Code, p.HasNext()}, nil
			},
			want: []any{1, leadlovers.Code(1), false}},
		{name: "history", method: "GET", path: "/EmailSequence/GetLeadsHistory", query: url.Values{"page": {"3"}, "numRegisters": {"50"}},
			reply: `{"Items":[]}`,
			call:  func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Leads.History(ctx, 3, 50) },
			want:  json.RawMessage(`{"Items":[]}`)},
		{name: "locations", method: "GET", path: "/LeadLocation", query: url.Values{"email": {"ana@example.com"}},
			reply: `{"Items":[{"LeadCode":5,"LeadEmail":"ana@example.com","LeadName":"Ana","MachineCode":111,"MachineName":"M","SequenceCode":222,"SequenceName":"S","Level":1}]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.Locations(ctx, "ana@example.com")
			},
			want: []leadlovers.Location{{LeadCode: 5, LeadEmail: "ana@example.com", LeadName: "Ana", MachineCode: 111, MachineName: "M", SequenceCode: 222, SequenceName: "S", Level: 1}}},
		{name: "move", method: "PUT", path: "/LeadLocation", query: url.Values{},
			body:  `{"Email":"ana@example.com","MachineFrom":111,"FunnelFrom":222,"MachineTo":111,"FunnelTo":223,"Level":1}`,
			reply: `{"Items":[{"LeadCode":5,"MachineCode":111,"SequenceCode":223,"Level":1}]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.Move(ctx, &leadlovers.Move{Email: "ana@example.com", MachineFrom: 111, FunnelFrom: 222, MachineTo: 111, FunnelTo: 223, Level: 1})
			},
			want: []leadlovers.Location{{LeadCode: 5, MachineCode: 111, SequenceCode: 223, Level: 1}}},
		{name: "remove from machine", method: "DELETE", path: "/Lead", query: url.Values{"email": {"ana@example.com"}, "machineCode": {"111"}},
			reply: `{"StatusCode":200,"Message":"Solicitação de remoção de Lead enviada com sucesso."}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.RemoveFromMachine(ctx, "ana@example.com", 111)
			},
			want: &leadlovers.Result{StatusCode: leadlovers.BodyStatus{Code: 200}, Message: "Solicitação de remoção de Lead enviada com sucesso."}},
		{name: "remove from sequence", method: "DELETE", path: "/Lead/Funnel", query: url.Values{"email": {"ana@example.com"}, "machineCode": {"111"}, "sequenceCode": {"222"}},
			reply: `{"StatusCode":200,"Message":"Lead removido do funil com sucesso"}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.RemoveFromSequence(ctx, "ana@example.com", 111, 222)
			}},
		{name: "score", method: "POST", path: "/Score", query: url.Values{}, body: `{"Email":"email@email.com.br","Score":5,"Overwrite":true}`, reply: ok,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.AddScore(ctx, "email@email.com.br", 5, true)
			}},
		{name: "add tag", method: "POST", path: "/Tag", query: url.Values{}, body: `{"Email":"email@email.com.br","Tag":168271,"Score":0}`, reply: ok,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.AddTag(ctx, "email@email.com.br", 168271, 0)
			}},
		{name: "remove tag", method: "DELETE", path: "/Tag", query: url.Values{"email": {"ana@example.com"}, "tag": {"10"}}, reply: ok,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.Leads.RemoveTag(ctx, "ana@example.com", 10)
			}},
		{name: "lead tags", method: "GET", path: "/Tag/Lead", query: url.Values{"leadCode": {"5"}}, reply: `{"Tags":[{"Id":10,"Title":"comprador"}]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Leads.Tags(ctx, 5) },
			want: []leadlovers.Tag{{ID: 10, Title: "comprador"}}},
		{name: "account tags", method: "GET", path: "/Tags", query: url.Values{}, reply: `{"Tags":[{"Id":10,"Title":"comprador","Count":4}]}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Tags.List(ctx) },
			want: []leadlovers.Tag{{ID: 10, Title: "comprador", Count: 4}}},
		{name: "create tag", method: "POST", path: "/Tags", query: url.Values{}, body: `{"Title":"vip"}`, reply: `{"StatusCode":200,"Message":"ok","Id":12}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Tags.Create(ctx, " vip ") },
			want: &leadlovers.Tag{ID: 12, Title: "vip"}},
		{name: "tag checker", method: "GET", path: "/TagChecker", query: url.Values{"tag": {"10"}}, reply: `{"Result":true}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Tags.Exists(ctx, 10) },
			want: true},
		{name: "subscribe hook", method: "POST", path: "/RestHook", query: url.Values{"applicationName": {"hotmartkit"}},
			body:  `{"Target_url":"https://mydomain.com/hooks/foo/bar/","Event":"new_lead_event"}`,
			reply: `{"StatusCode":200,"Message":"Sucesso ao inserir hook.","Id":77}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return c.RestHooks.Subscribe(ctx, "hotmartkit", "https://mydomain.com/hooks/foo/bar/", "")
			},
			want: leadlovers.Code(77)},
		{name: "unsubscribe hook", method: "DELETE", path: "/RestHook", query: url.Values{}, body: `{"Id":77}`, reply: `{"StatusCode":200,"Message":"ok"}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) {
				return nil, c.RestHooks.Unsubscribe(ctx, 77)
			}},
		{name: "user", method: "GET", path: "/User", query: url.Values{}, reply: `{"Name":"x"}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Account.Get(ctx) },
			want: json.RawMessage(`{"Name":"x"}`)},
		{name: "user code", method: "GET", path: "/UserCode", query: url.Values{}, reply: `{"Value":4242}`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Account.Code(ctx) },
			want: "4242"},
		{name: "account data", method: "GET", path: "/ListDataAccount", query: url.Values{}, reply: `[]`,
			call: func(ctx context.Context, c *leadlovers.Client) (any, error) { return c.Account.Data(ctx) },
			want: json.RawMessage(`[]`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, tr := setup(t)
			q := url.Values{"token": {testToken}}
			for k, v := range tc.query {
				q[k] = v
			}
			tr.RegisterResponderWithQuery(tc.method, testBase+tc.path, q, func(req *http.Request) (*http.Response, error) {
				if got := req.Header.Get("User-Agent"); !strings.HasPrefix(got, "hotmartkit/") {
					t.Errorf("User-Agent = %q", got)
				}
				if req.Header.Get("Authorization") != "" {
					t.Error("Authorization header sent; leadlovers authenticates by query token only")
				}
				var body []byte
				if req.Body != nil {
					body, _ = io.ReadAll(req.Body)
				}
				if tc.body == "" && len(body) > 0 {
					t.Errorf("unexpected body %s", body)
				}
				if tc.body != "" {
					if ct := req.Header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("Content-Type = %q", ct)
					}
					assertJSONEqual(t, tc.body, body)
				}
				return httpmock.NewStringResponse(http.StatusOK, tc.reply), nil
			})
			got, err := tc.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if n := tr.GetTotalCallCount(); n != 1 {
				t.Fatalf("calls = %d, want 1", n)
			}
			if tc.want != nil && !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("result\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func assertJSONEqual(t *testing.T, want string, got []byte) {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %s", got)
	}
	if !reflect.DeepEqual(w, g) {
		t.Fatalf("body\n got %s\nwant %s", got, want)
	}
}

func TestIteratorsFollowPages(t *testing.T) {
	c, tr := setup(t)
	pages := map[string]string{
		"1": `{"Items":[{"MachineCode":1},{"MachineCode":2}],"CurrentPage":1,"Registers":2}`,
		"2": `{"Items":[{"MachineCode":3}],"CurrentPage":2,"Registers":2}`,
	}
	for p, body := range pages {
		tr.RegisterResponderWithQuery("GET", testBase+"/Machines", url.Values{"token": {testToken}, "page": {p}, "registers": {"2"}},
			httpmock.NewStringResponder(200, body))
	}
	var codes []leadlovers.Code
	for m, err := range c.Machines.All(context.Background(), &leadlovers.MachineListOptions{ListOptions: leadlovers.ListOptions{PerPage: 2}}) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, m.MachineCode)
	}
	if !reflect.DeepEqual(codes, []leadlovers.Code{1, 2, 3}) {
		t.Fatalf("machines = %v", codes)
	}

	leadPages := map[string]string{
		"1": `{"Data":[{"Code":1},{"Code":2}],"Links":{"Next":"https://x/Leads?page=2"}}`,
		"2": `{"Data":[{"Code":3}],"Links":{"Next":null}}`,
	}
	for p, body := range leadPages {
		tr.RegisterResponderWithQuery("GET", testBase+"/Leads", url.Values{"token": {testToken}, "page": {p}}, httpmock.NewStringResponder(200, body))
	}
	codes = nil
	for l, err := range c.Leads.All(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, l.Code)
		if l.Code == 3 {
			break
		}
	}
	if !reflect.DeepEqual(codes, []leadlovers.Code{1, 2, 3}) {
		t.Fatalf("leads = %v", codes)
	}
}

func TestIteratorYieldsErrorAndStops(t *testing.T) {
	c, tr := setup(t)
	tr.RegisterResponder("GET", testBase+"/Machines", httpmock.NewStringResponder(401, `{"StatusCode":401,"Message":"Token inválido"}`))
	n := 0
	for _, err := range c.Machines.All(context.Background(), nil) {
		n++
		var ae *leadlovers.APIError
		if !errors.As(err, &ae) || ae.StatusCode != 401 {
			t.Fatalf("want 401 APIError, got %v", err)
		}
	}
	if n != 1 {
		t.Fatalf("yielded %d times", n)
	}
}

func TestBodyEnvelopeErrors(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		reply     string
		wantErr   bool
		wantCode  string
		wantMsg   string
		wantHTTP  int
		notFound  bool
		duplicate bool
	}{
		{name: "200 ok number", status: 200, reply: `{"StatusCode":200,"Message":"Sucesso ao inserir tag"}`},
		{name: "200 ok string", status: 200, reply: `{"StatusCode":"OK","Message":"","Exception":{"Message":""}}`},
		{name: "no envelope", status: 200, reply: `{"Result":true}`},
		{name: "200 with 400 inside", status: 200, reply: `{"StatusCode":400,"Message":"Código da Máquina inválido"}`,
			wantErr: true, wantCode: "400", wantMsg: "Código da Máquina inválido", wantHTTP: 200},
		{name: "200 with string status", status: 200, reply: `{"StatusCode":"BadRequest","Message":"Lead já existe"}`,
			wantErr: true, wantCode: "BadRequest", wantMsg: "Lead já existe", wantHTTP: 200, duplicate: true},
		{name: "200 with numeric string", status: 200, reply: `{"StatusCode":"404","Message":"Lead não encontrado"}`,
			wantErr: true, wantCode: "404", wantHTTP: 200, wantMsg: "Lead não encontrado", notFound: true},
		{name: "200 ok with exception", status: 200, reply: `{"StatusCode":200,"Message":"Falhou","Exception":{"Message":"NullReference"}}`,
			wantErr: true, wantCode: "200", wantMsg: "Falhou (exception: NullReference)", wantHTTP: 200},
		{name: "exception string", status: 200, reply: `{"Exception":"boom"}`,
			wantErr: true, wantMsg: "exception: boom", wantHTTP: 200},
		{name: "http 400 envelope", status: 400, reply: `{"StatusCode":400,"Message":"Código da Máquina inválido"}`,
			wantErr: true, wantCode: "400", wantMsg: "Código da Máquina inválido", wantHTTP: 400},
		{name: "http 404", status: 404, reply: `{"StatusCode":404,"Message":"Lead não encontrado"}`,
			wantErr: true, wantCode: "404", wantMsg: "Lead não encontrado", wantHTTP: 404, notFound: true},
		{name: "http 500 plain", status: 500, reply: `oops`, wantErr: true, wantHTTP: 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, tr := setup(t)
			tr.RegisterResponder("GET", testBase+"/TagChecker", httpmock.NewStringResponder(tc.status, tc.reply))
			_, err := c.Tags.Exists(context.Background(), 1)
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var ae *leadlovers.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("want *APIError, got %T %v", err, err)
			}
			if ae.StatusCode != tc.wantHTTP || ae.Code != tc.wantCode || ae.Message != tc.wantMsg {
				t.Fatalf("got status=%d code=%q msg=%q", ae.StatusCode, ae.Code, ae.Message)
			}
			if !strings.HasPrefix(ae.Error(), "leadlovers: ") || ae.Method != "GET" || strings.Contains(ae.URL, testToken) {
				t.Fatalf("bad provider/method/url: %+v", ae)
			}
			if leadlovers.IsNotFound(err) != tc.notFound || leadlovers.IsDuplicate(err) != tc.duplicate {
				t.Fatalf("IsNotFound=%v IsDuplicate=%v", leadlovers.IsNotFound(err), leadlovers.IsDuplicate(err))
			}
		})
	}
}

func TestRefusedBeforeSending(t *testing.T) {
	c, _ := setup(t) // any call reaching the transport fails the test
	ctx := context.Background()
	cases := []struct {
		name  string
		field string
		call  func() error
	}{
		{"upsert nil", "lead", func() error { _, err := c.Leads.Upsert(ctx, nil); return err }},
		{"upsert no email", "Email", func() error {
			_, err := c.Leads.Upsert(ctx, &leadlovers.Lead{MachineCode: 1, EmailSequenceCode: 1, SequenceLevelCode: 1})
			return err
		}},
		{"insert bad email", "Email", func() error {
			_, err := c.Leads.Insert(ctx, &leadlovers.Lead{Email: "not-an-email", MachineCode: 1, EmailSequenceCode: 1, SequenceLevelCode: 1})
			return err
		}},
		{"upsert no machine", "MachineCode", func() error {
			_, err := c.Leads.Upsert(ctx, &leadlovers.Lead{Email: "a@example.com", EmailSequenceCode: 1, SequenceLevelCode: 1})
			return err
		}},
		{"upsert no level", "SequenceLevelCode", func() error {
			_, err := c.Leads.Upsert(ctx, &leadlovers.Lead{Email: "a@example.com", MachineCode: 1, EmailSequenceCode: 1})
			return err
		}},
		{"dynamic field id", "DynamicFields[0].ID", func() error {
			_, err := c.Leads.Upsert(ctx, &leadlovers.Lead{Email: "a@example.com", MachineCode: 1, EmailSequenceCode: 1, SequenceLevelCode: 1,
				DynamicFields: []leadlovers.DynamicField{{ID: 0, Value: "x"}}})
			return err
		}},
		{"move level", "Level", func() error {
			_, err := c.Leads.Move(ctx, &leadlovers.Move{Email: "a@example.com", MachineFrom: 1, FunnelFrom: 1, MachineTo: 1, FunnelTo: 2})
			return err
		}},
		{"get empty", "email", func() error { _, err := c.Leads.Get(ctx, " "); return err }},
		{"sequences machine", "machineCode", func() error { _, err := c.Sequences.List(ctx, 0); return err }},
		{"tag id", "Tag", func() error { _, err := c.Leads.AddTag(ctx, "a@example.com", -1, 0); return err }},
		{"hook url", "TargetURL", func() error { _, err := c.RestHooks.Subscribe(ctx, "app", "ftp://x", ""); return err }},
		{"tag title", "Title", func() error { _, err := c.Tags.Create(ctx, " "); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var re *leadlovers.ArgumentError
			if !errors.As(err, &re) {
				t.Fatalf("want *ArgumentError, got %T %v", err, err)
			}
			if re.Arg != tc.field {
				t.Fatalf("arg = %q, want %q (%v)", re.Arg, tc.field, err)
			}
		})
	}
}

func TestNewClientValidates(t *testing.T) {
	cases := []struct {
		name  string
		token string
		opts  []leadlovers.Option
		want  string
	}{
		{"empty token", "", nil, "Token is required"},
		{"blank token", "   ", nil, "Token is required"},
		{"token with space", "abc def", nil, "spaces"},
		{"relative base", testToken, []leadlovers.Option{leadlovers.WithBaseURL("/webapi")}, "absolute"},
		{"base with query", testToken, []leadlovers.Option{leadlovers.WithBaseURL("https://x/webapi?token=1")}, "query"},
		{"nil http client", testToken, []leadlovers.Option{leadlovers.WithHTTPClient(nil)}, "nil HTTP"},
		{"nil logger", testToken, []leadlovers.Option{leadlovers.WithLogger(nil)}, "nil logger"},
		{"negative rate", testToken, []leadlovers.Option{leadlovers.WithRateLimit(-1, 1)}, "rate"},
		{"zero burst", testToken, []leadlovers.Option{leadlovers.WithRateLimit(1, 0)}, "burst"},
		{"bad retry", testToken, []leadlovers.Option{leadlovers.WithRetry(-1, time.Second, time.Second)}, "retry"},
		{"bad waits", testToken, []leadlovers.Option{leadlovers.WithRetry(1, time.Second, time.Millisecond)}, "minWait <= maxWait"},
		{"bad throttle", testToken, []leadlovers.Option{leadlovers.WithThrottleWait(time.Minute, time.Second)}, "throttle"},
		{"multi-line UA", testToken, []leadlovers.Option{leadlovers.WithUserAgent("a\nb")}, "line break"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := leadlovers.NewClient(leadlovers.Credentials{Token: tc.token}, tc.opts...)
			if err == nil || c != nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, %v; want error containing %q", c, err, tc.want)
			}
			if tok := strings.TrimSpace(tc.token); tok != "" && strings.Contains(err.Error(), tok) {
				t.Fatal("error echoes the token")
			}
		})
	}
	var ae *leadlovers.ArgumentError
	if !errors.As(func() error { _, err := leadlovers.NewClient(leadlovers.Credentials{}); return err }(), &ae) || ae.Arg != "Credentials.Token" {
		t.Fatal("empty token must be an *ArgumentError naming Credentials.Token")
	}
}

func TestBodyStatusDecoding(t *testing.T) {
	cases := []struct {
		in   string
		want leadlovers.BodyStatus
		ok   bool
	}{
		{`200`, leadlovers.BodyStatus{Code: 200}, true},
		{`"200"`, leadlovers.BodyStatus{Code: 200, Name: "200"}, true},
		{`"OK"`, leadlovers.BodyStatus{Code: 200, Name: "OK"}, true},
		{`"BadRequest"`, leadlovers.BodyStatus{Code: 400, Name: "BadRequest"}, false},
		{`"Not Found"`, leadlovers.BodyStatus{Code: 404, Name: "Not Found"}, false},
		{`"Weird"`, leadlovers.BodyStatus{Name: "Weird"}, false},
		{`null`, leadlovers.BodyStatus{}, false},
	}
	for _, tc := range cases {
		var s leadlovers.BodyStatus
		if err := json.Unmarshal([]byte(tc.in), &s); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if s != tc.want || s.OK() != tc.ok {
			t.Fatalf("%s: got %+v ok=%v", tc.in, s, s.OK())
		}
	}
	var s leadlovers.BodyStatus
	if err := json.Unmarshal([]byte(`{}`), &s); err == nil {
		t.Fatal("object StatusCode must fail")
	}
	var c leadlovers.Code
	for in, want := range map[string]leadlovers.Code{`12`: 12, `"12"`: 12, `""`: 0, `null`: 0, `12.0`: 12} {
		if err := json.Unmarshal([]byte(in), &c); err != nil || c != want {
			t.Fatalf("Code %s: %v %v", in, c, err)
		}
	}
	if err := json.Unmarshal([]byte(`"abc"`), &c); err == nil {
		t.Fatal(`Code "abc" must fail`)
	}
}
