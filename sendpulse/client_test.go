package sendpulse_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/hotmartkit/hotmartkit/sendpulse"
)

const (
	mockRoot = "https://api.sendpulse.test"
	mockKey  = "sp-key-7c1e0f4b9a2d"
)

// setup returns a client authenticated with an API key whose only
// transport is a fresh mock; any request nobody registered fails the test.
func setup(t *testing.T, opts ...sendpulse.Option) (*sendpulse.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		return httpmock.NewStringResponse(http.StatusNotImplemented, `{"message":"unexpected"}`), nil
	})
	base := []sendpulse.Option{
		sendpulse.WithBaseURL(mockRoot),
		sendpulse.WithHTTPClient(&http.Client{Transport: mt}),
		sendpulse.WithRateLimit(0, 1),
		sendpulse.WithRetry(2, time.Millisecond, 2*time.Millisecond),
	}
	c, err := sendpulse.NewClient(sendpulse.Credentials{APIKey: mockKey}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body is not JSON: %q", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("request body\n got %s\nwant %s", got, want)
	}
}

func TestEndpointRequestShapes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		method string
		path   string
		query  string
		body   string // expected JSON body; "" for none
		status int
		resp   string
		call   func(*sendpulse.Client) (any, error)
		want   any
	}{
		{"users", "GET", "/crm/v1/users", "", "", 200, `{"data":[{"id":7,"firstname":"Ana"}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Users.List(ctx) },
			[]sendpulse.User{{ID: 7, FirstName: "Ana"}}},
		{"users as one object", "GET", "/crm/v1/users", "", "", 200, `{"data":{"id":7,"firstname":"Ana"}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Users.List(ctx) },
			[]sendpulse.User{{ID: 7, FirstName: "Ana"}}},
		{"pipelines", "GET", "/crm/v1/pipelines", "", "", 200,
			`{"data":[{"id":1,"name":"P","steps":[{"id":11,"pipelineId":1,"name":"New","order":0}]}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Pipelines.List(ctx) },
			[]sendpulse.Pipeline{{ID: 1, Name: "P", Steps: []sendpulse.Step{{ID: 11, PipelineID: 1, Name: "New"}}}}},
		{"pipeline", "GET", "/crm/v1/pipelines/1", "", "", 200, `{"data":{"id":1,"name":"P"}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Pipelines.Get(ctx, 1) },
			&sendpulse.Pipeline{ID: 1, Name: "P"}},
		{"steps", "GET", "/crm/v1/pipelines/1/steps", "", "", 200, `{"data":[{"id":11,"name":"New"}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Pipelines.Steps(ctx, 1) },
			[]sendpulse.Step{{ID: 11, Name: "New"}}},
		{"deal attributes", "GET", "/crm/v1/pipelines/1/attributes", "", "", 200, `{"data":[{"id":5,"name":"X","type":0}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Pipelines.Attributes(ctx, 1) },
			[]sendpulse.AttributeDef{{ID: 5, Name: "X"}}},
		{"create deal attribute", "POST", "/crm/v1/pipelines/1/attributes", "", `{"id":0,"name":"X","type":0}`, 201, `{"data":{"id":5,"name":"X"}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Pipelines.CreateAttribute(ctx, 1, "X", sendpulse.AttributeText)
			},
			&sendpulse.AttributeDef{ID: 5, Name: "X"}},
		{"create contact", "POST", "/crm/v1/contacts/create", "", `{"responsibleId":7,"firstName":"Jo","lastName":"Lima","externalContactId":"e1"}`, 200,
			`{"data":{"id":90,"responsibleId":7,"firstName":"Jo"}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Contacts.Create(ctx, &sendpulse.ContactCreate{ResponsibleID: 7, FirstName: "Jo", LastName: "Lima", ExternalContactID: "e1"})
			},
			&sendpulse.Contact{ID: 90, ResponsibleID: 7, FirstName: "Jo"}},
		{"get contact", "GET", "/crm/v1/contacts/90", "", "", 200, `{"data":{"id":90}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.Get(ctx, 90) },
			&sendpulse.Contact{ID: 90}},
		{"contact by external id", "GET", "/crm/v1/contacts/external/hotmartkit-a1", "", "", 200, `{"data":{"id":90}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.GetByExternalID(ctx, "hotmartkit-a1") },
			&sendpulse.Contact{ID: 90}},
		{"contacts by e-mail", "POST", "/crm/v1/contacts/get-list-by-email", "", `{"email":"jo@x.test","isEmailFullSearch":true}`, 200,
			`{"data":{"list":[{"id":90,"emails":[{"id":1,"email":"jo@x.test","isMain":true}]}],"total":1}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.ListByEmail(ctx, "jo@x.test", nil) },
			[]sendpulse.Contact{{ID: 90, Emails: []sendpulse.ContactEmail{{ID: 1, Email: "jo@x.test", IsMain: true}}}}},
		{"contacts by partial e-mail", "POST", "/crm/v1/contacts/get-list-by-email", "", `{"email":"jo@","isEmailFullSearch":false}`, 200,
			`{"data":{"list":[],"total":0}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Contacts.ListByEmail(ctx, "jo@", &sendpulse.ListByEmailOptions{Partial: true})
			},
			[]sendpulse.Contact{}},
		{"add contact e-mail", "POST", "/crm/v1/contacts/90/emails", "", `{"emails":[{"email":"a@b.com","isMain":false}]}`, 201, ``,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.CRM.Contacts.AddEmails(ctx, 90, sendpulse.ContactEmail{Email: "a@b.com"})
			}, nil},
		{"add contact phone", "POST", "/crm/v1/contacts/90/phones", "", `{"phone":"+5531999999999"}`, 201, ``,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Contacts.AddPhone(ctx, 90, "+5531999999999") }, nil},
		{"contact attribute definitions", "GET", "/crm/v1/contacts/attributes", "", "", 200, `{"data":[{"id":3,"name":"City","type":0}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.Attributes(ctx) },
			[]sendpulse.AttributeDef{{ID: 3, Name: "City"}}},
		{"set contact attributes", "POST", "/crm/v1/contacts/90/attributes/batch", "", `{"attributesValues":[{"attributeId":3,"value":"BH"}]}`, 201, ``,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.CRM.Contacts.SetAttributes(ctx, 90, sendpulse.AttributeValue{AttributeID: 3, Value: "BH"})
			}, nil},
		{"tags", "GET", "/crm/v1/contact-tags", "", "", 200, `{"data":[{"id":4,"name":"vip"}]}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.Tags(ctx) },
			[]sendpulse.Tag{{ID: 4, Name: "vip"}}},
		{"create tag", "POST", "/crm/v1/contact-tags", "", `{"id":0,"name":"vip"}`, 201, `{"data":{"id":4,"name":"vip"}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Contacts.CreateTag(ctx, "vip") },
			&sendpulse.Tag{ID: 4, Name: "vip"}},
		{"tag contact", "POST", "/crm/v1/contact-tags/4/contact/90", "", "", 201, ``,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Contacts.AddTag(ctx, 4, 90) }, nil},
		{"untag contact", "DELETE", "/crm/v1/contact-tags/4/contact/90", "", "", 204, ``,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Contacts.RemoveTag(ctx, 4, 90) }, nil},
		{"create deal", "POST", "/crm/v1/deals", "",
			`{"pipelineId":1,"stepId":11,"responsibleId":7,"name":"Course #HP1","price":197.5,"currency":"BRL","contact":[90],"attributes":[{"attributeId":5,"value":"HP1"}]}`,
			200, `{"data":{"id":300,"pipelineId":1,"stepId":11,"status":1,"name":"Course #HP1","price":"197.50","currency":"BRL"}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Deals.Create(ctx, &sendpulse.DealCreate{PipelineID: 1, StepID: 11, ResponsibleID: 7, Name: "Course #HP1",
					Price: 197.5, Currency: "BRL", Contacts: []int64{90}, Attributes: []sendpulse.DealAttribute{{AttributeID: 5, Value: "HP1"}}})
			},
			&sendpulse.Deal{ID: 300, PipelineID: 1, StepID: 11, Status: sendpulse.DealActive, Name: "Course #HP1", Price: 197.5, Currency: "BRL"}},
		{"get deal", "GET", "/crm/v1/deals/300", "", "", 200, `{"data":{"id":300,"attributes":[{"attributeId":5,"value":12}]}}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Deals.Get(ctx, 300) },
			&sendpulse.Deal{ID: 300, Attributes: []sendpulse.AttributeValue{{AttributeID: 5, Value: "12"}}}},
		{"update deal resends required fields", "PUT", "/crm/v1/deals/300", "",
			`{"pipelineId":1,"stepId":12,"status":3,"name":"N","price":0}`, 200, `{"data":{"id":300,"stepId":12,"status":3}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Deals.Update(ctx, 300, &sendpulse.DealUpdate{PipelineID: 1, StepID: 12, Status: sendpulse.DealSuccessful, Name: "N"})
			},
			&sendpulse.Deal{ID: 300, StepID: 12, Status: sendpulse.DealSuccessful}},
		{"change pipeline", "POST", "/crm/v1/deals/300/change-pipeline", "", `{"pipelineId":1,"stepId":12}`, 200, `{"success":true}`,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Deals.ChangePipeline(ctx, 300, 1, 12) }, nil},
		{"delete deal", "DELETE", "/crm/v1/deals/300", "", "", 204, ``,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Deals.Delete(ctx, 300) }, nil},
		{"search deals", "POST", "/crm/v1/deals/get-list", "", `{"limit":5,"name":"#HP1","pipelineIds":[1]}`, 200,
			`{"data":[{"id":300,"name":"Course #HP1"}],"meta":{"total":1}}`,
			func(c *sendpulse.Client) (any, error) {
				p, err := c.CRM.Deals.List(ctx, &sendpulse.DealListOptions{ListOptions: sendpulse.ListOptions{Limit: 5}, Name: "#HP1", PipelineIDs: []int64{1}})
				if err != nil {
					return nil, err
				}
				return p.Items, nil
			},
			[]sendpulse.Deal{{ID: 300, Name: "Course #HP1"}}},
		{"link contact", "POST", "/crm/v1/deals/300/contacts/90", "", "", 201, ``,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Deals.LinkContact(ctx, 300, 90) }, nil},
		{"set deal attribute", "PUT", "/crm/v1/deals/300/attributes/5", "", `{"value":"paid"}`, 200, `{"data":{}}`,
			func(c *sendpulse.Client) (any, error) { return nil, c.CRM.Deals.SetAttribute(ctx, 300, 5, "paid") }, nil},
		{"create payment", "POST", "/crm/v1/payments", "", `{"dealId":300,"contactId":90,"description":"HP1","price":197,"currency":"USD"}`, 201,
			`{"id":8,"price":{"amount":197,"currency":"USD"}}`,
			func(c *sendpulse.Client) (any, error) {
				return c.CRM.Payments.Create(ctx, &sendpulse.PaymentCreate{DealID: 300, ContactID: 90, Description: "HP1", Price: 197, Currency: "USD"})
			},
			&sendpulse.Payment{ID: 8, Price: sendpulse.Price{Amount: 197, Currency: "USD"}}},
		{"payments of deal", "GET", "/crm/v1/payments/deals/300", "", "", 200, `{"data":[{"id":8}],"total":1}`,
			func(c *sendpulse.Client) (any, error) { return c.CRM.Payments.ListByDeal(ctx, 300) },
			[]sendpulse.Payment{{ID: 8}}},
		{"address books", "GET", "/addressbooks", "limit=10&offset=20", "", 200,
			`[{"id":1266208,"name":"Book 1","all_email_qty":0,"active_email_qty":0,"inactive_email_qty":0,"creationdate":"2021-06-18 19:57:39","status":0,"status_explain":"Active"}]`,
			func(c *sendpulse.Client) (any, error) {
				p, err := c.AddressBooks.List(ctx, &sendpulse.AddressBookListOptions{ListOptions: sendpulse.ListOptions{Limit: 10, Offset: 20}})
				if err != nil {
					return nil, err
				}
				return p.Items, nil
			},
			[]sendpulse.AddressBook{{ID: 1266208, Name: "Book 1", CreationDate: "2021-06-18 19:57:39", StatusExplain: "Active"}}},
		{"add e-mails", "POST", "/addressbooks/12/emails", "",
			`{"emails":[{"email":"jane@example.com","variables":{"name":"Jane","city":"Berlin"}}]}`, 200, `{"result":true}`,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.AddressBooks.AddEmails(ctx, 12, []sendpulse.Subscriber{{Email: "jane@example.com", Variables: map[string]string{"name": "Jane", "city": "Berlin"}}}, nil)
			}, nil},
		{"add e-mails double opt-in", "POST", "/addressbooks/12/emails", "",
			`{"emails":[{"email":"jane@example.com"}],"confirmation":"force","sender_email":"news@myshop.com","template_id":"t1","message_lang":"en"}`, 200, `{"result":true}`,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.AddressBooks.AddEmails(ctx, 12, []sendpulse.Subscriber{{Email: "jane@example.com"}},
					&sendpulse.AddEmailsOptions{Confirmation: "force", SenderEmail: "news@myshop.com", TemplateID: "t1", MessageLang: "en"})
			}, nil},
		{"delete e-mails", "DELETE", "/addressbooks/12/emails", "", `{"emails":["test@test.com"]}`, 200, `{"result":true}`,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.AddressBooks.DeleteEmails(ctx, 12, []string{"test@test.com"})
			}, nil},
		{"unsubscribe", "POST", "/addressbooks/12/emails/unsubscribe", "", `{"emails":["test@test.com"]}`, 200, `{"result":true}`,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.AddressBooks.Unsubscribe(ctx, 12, []string{"test@test.com"})
			}, nil},
		{"a360 event", "POST", "/events/name/my_event", "", `{"email":"test@test.com","phone":"+123456789","products":[{"id":"id value","name":"name value"}]}`,
			200, `{"result":true}`,
			func(c *sendpulse.Client) (any, error) {
				return nil, c.Events.Send(ctx, "my_event", map[string]any{"email": "test@test.com", "phone": "+123456789",
					"products": []map[string]string{{"id": "id value", "name": "name value"}}})
			}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, mt := setup(t)
			calls := 0
			mt.RegisterResponder(tt.method, mockRoot+tt.path, func(r *http.Request) (*http.Response, error) {
				calls++
				if got := r.Header.Get("Authorization"); got != "Bearer "+mockKey {
					t.Errorf("Authorization = %q", got)
				}
				if !strings.HasPrefix(r.Header.Get("User-Agent"), "hotmartkit/") {
					t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
				}
				if r.URL.RawQuery != tt.query {
					t.Errorf("query = %q, want %q", r.URL.RawQuery, tt.query)
				}
				var body []byte
				if r.Body != nil {
					body, _ = io.ReadAll(r.Body)
				}
				if tt.body == "" {
					if len(body) != 0 {
						t.Errorf("unexpected body %s", body)
					}
				} else {
					if ct := r.Header.Get("Content-Type"); ct != "application/json" {
						t.Errorf("Content-Type = %q", ct)
					}
					jsonEqual(t, body, tt.body)
				}
				resp := httpmock.NewStringResponse(tt.status, tt.resp)
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			got, err := tt.call(c)
			if err != nil {
				t.Fatalf("error: %v", err)
			}
			if calls != 1 {
				t.Fatalf("calls = %d, want 1", calls)
			}
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("result\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestErrorEnvelopeDecoded(t *testing.T) {
	tests := []struct {
		status   int
		body     string
		wantCode string
		wantMsg  string
	}{
		{404, `{"message":"Book not found","error_code":213}`, "213", "Book not found"},
		{422, `{"message":"Limit is exceeded. Max count: 100","error_code":422}`, "422", "Limit is exceeded. Max count: 100"},
		{403, `{"message":"Access denied! Please change your tariff plan","error_code":3030303030}`, sendpulse.CodePlanRestricted, "Access denied! Please change your tariff plan"},
		{401, `{"message":"Unauthorized!","error_code":401}`, "401", "Unauthorized!"},
		{200, `{"result":false,"message":"No emails","error_code":303}`, "303", "No emails"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.wantCode), func(t *testing.T) {
			c, mt := setup(t)
			mt.RegisterResponder("POST", mockRoot+"/addressbooks/12/emails/unsubscribe", httpmock.NewStringResponder(tt.status, tt.body))
			err := c.AddressBooks.Unsubscribe(context.Background(), 12, []string{"a@b.test"})
			var ae *sendpulse.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("want *APIError, got %T %v", err, err)
			}
			if ae.StatusCode != tt.status || ae.Code != tt.wantCode || ae.Message != tt.wantMsg || !strings.HasPrefix(ae.Error(), "sendpulse: ") {
				t.Errorf("got %+v", ae)
			}
			if sendpulse.IsNotFound(err) != (tt.status == 404) {
				t.Errorf("IsNotFound = %v", sendpulse.IsNotFound(err))
			}
		})
	}
}

func TestDeleteEmailsSplitsIntoBatchesOf100(t *testing.T) {
	c, mt := setup(t)
	var sizes []int
	mt.RegisterResponder("DELETE", mockRoot+"/addressbooks/12/emails", func(r *http.Request) (*http.Response, error) {
		var in struct{ Emails []string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(in.Emails))
		return httpmock.NewStringResponse(200, `{"result":true}`), nil
	})
	emails := make([]string, 250)
	for i := range emails {
		emails[i] = fmt.Sprintf("u%d@x.test", i)
	}
	if err := c.AddressBooks.DeleteEmails(context.Background(), 12, emails); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(sizes, []int{100, 100, 50}) {
		t.Fatalf("batch sizes = %v", sizes)
	}
}

func TestNewClientOptions(t *testing.T) {
	key := sendpulse.Credentials{APIKey: "k"}
	tests := []struct {
		name    string
		creds   sendpulse.Credentials
		opts    []sendpulse.Option
		wantErr string
	}{
		{"api key", key, nil, ""},
		{"client credentials", sendpulse.Credentials{ClientID: "id", ClientSecret: "secret"}, nil, ""},
		{"neither", sendpulse.Credentials{}, nil, "Credentials is empty"},
		{"both", sendpulse.Credentials{APIKey: "k", ClientID: "id", ClientSecret: "s"}, nil, "not both"},
		{"blank key", sendpulse.Credentials{APIKey: " "}, nil, "Credentials is empty"},
		{"empty secret", sendpulse.Credentials{ClientID: "id"}, nil, "Credentials.ClientSecret is required"},
		{"empty id", sendpulse.Credentials{ClientSecret: "s"}, nil, "Credentials.ClientID is required"},
		{"relative base", key, []sendpulse.Option{sendpulse.WithBaseURL("/api")}, "absolute"},
		{"base with query", key, []sendpulse.Option{sendpulse.WithBaseURL("https://x.test/?a=1")}, "query"},
		{"nil http client", key, []sendpulse.Option{sendpulse.WithHTTPClient(nil)}, "nil HTTP client"},
		{"nil logger", key, []sendpulse.Option{sendpulse.WithLogger(nil)}, "nil logger"},
		{"negative rate", key, []sendpulse.Option{sendpulse.WithRateLimit(-1, 1)}, "rate must be"},
		{"zero burst", key, []sendpulse.Option{sendpulse.WithRateLimit(1, 0)}, "burst"},
		{"bad retry", key, []sendpulse.Option{sendpulse.WithRetry(3, time.Second, time.Millisecond)}, "minWait"},
		{"user agent newline", key, []sendpulse.Option{sendpulse.WithUserAgent("a\nb")}, "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := sendpulse.NewClient(tt.creds, tt.opts...)
			if tt.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestMethodsRefuseBadInputWithoutCalling(t *testing.T) {
	c, _ := setup(t) // the no-responder fails the test on any request
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"deal without step": func() error { _, err := c.CRM.Deals.Create(ctx, &sendpulse.DealCreate{PipelineID: 1}); return err },
		"deal name too long": func() error {
			_, err := c.CRM.Deals.Create(ctx, &sendpulse.DealCreate{PipelineID: 1, StepID: 2, Name: strings.Repeat("x", 256)})
			return err
		},
		"update without name": func() error {
			_, err := c.CRM.Deals.Update(ctx, 1, &sendpulse.DealUpdate{PipelineID: 1, StepID: 2})
			return err
		},
		"contact w/o responsible": func() error { _, err := c.CRM.Contacts.Create(ctx, &sendpulse.ContactCreate{}); return err },
		"no e-mails":              func() error { return c.AddressBooks.AddEmails(ctx, 1, nil, nil) },
		"empty e-mail":            func() error { return c.AddressBooks.AddEmails(ctx, 1, []sendpulse.Subscriber{{}}, nil) },
		"delete nothing":          func() error { return c.AddressBooks.DeleteEmails(ctx, 1, nil) },
		"event without contact":   func() error { return c.Events.Send(ctx, "e", map[string]any{"x": 1}) },
		"external id with slash":  func() error { _, err := c.CRM.Contacts.GetByExternalID(ctx, "a/b"); return err },
		"event name with query":   func() error { return c.Events.Send(ctx, "e?x=1", map[string]any{"email": "a@b.test"}) },
		"payment w/o currency":    func() error { _, err := c.CRM.Payments.Create(ctx, &sendpulse.PaymentCreate{DealID: 1}); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}
