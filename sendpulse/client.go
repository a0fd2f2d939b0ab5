package sendpulse

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// Client talks to the SendPulse REST API. Create one with NewClient and
// share it: it is safe for concurrent use, and sharing it is what keeps one
// OAuth token and one rate limiter for the whole process.
type Client struct {
	http    *httpx.Client
	auth    authenticator
	limiter *httpx.Limiter
	base    string
	oauth   bool

	// CRM groups the CRM API (https://sendpulse.com/integrations/api/crm).
	CRM *CRMService
	// AddressBooks is the Bulk Email API's mailing lists.
	AddressBooks *AddressBooksService
	// Events sends Automation 360 events.
	Events *EventsService
}

// CRMService groups the CRM areas.
type CRMService struct {
	Pipelines *PipelinesService
	Users     *UsersService
	Contacts  *ContactsService
	Deals     *DealsService
	Payments  *PaymentsService
}

type service struct{ c *Client }

// NewClient returns a client authenticated with creds: an API key, or an
// OAuth client id and secret. No network call happens until the first
// request.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	if err := creds.check(); err != nil {
		return nil, err
	}
	o := options{rate: DefaultRate, burst: DefaultBurst, tokenMargin: DefaultTokenRefreshMargin,
		apiKey: creds.APIKey, clientID: creds.ClientID, clientSecret: creds.ClientSecret}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}
	oauth := o.clientID != ""
	if o.baseURL == nil {
		o.baseURL, _ = url.Parse(DefaultBaseURL)
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	limiter := httpx.NewLimiter(o.rate, o.burst) // rate 0: never waits, but SetRateLimit can switch it on
	red := httpx.Redactor{Secrets: nonEmpty(o.apiKey, o.clientSecret, o.clientID)}
	cfg := httpx.Config{
		Provider:    "sendpulse",
		BaseURL:     o.baseURL,
		Limiter:     limiter,
		Redactor:    red,
		DecodeError: decodeError,
		CheckBody:   checkBody,
		WrapError:   wrapAPIError,
	}
	o.Apply(&cfg)
	hc, err := httpx.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{http: hc, limiter: limiter, base: o.baseURL.String(), oauth: oauth}
	if oauth {
		c.auth = newOAuth(o, red)
	} else {
		c.auth = staticKey("Bearer " + o.apiKey)
	}
	s := service{c}
	c.CRM = &CRMService{
		Pipelines: (*PipelinesService)(&s),
		Users:     (*UsersService)(&s),
		Contacts:  (*ContactsService)(&s),
		Deals:     (*DealsService)(&s),
		Payments:  (*PaymentsService)(&s),
	}
	c.AddressBooks = (*AddressBooksService)(&s)
	c.Events = (*EventsService)(&s)
	return c, nil
}

// SetRateLimit changes the pacing of a running client, with the units of
// WithRateLimit: perSecond 0 turns pacing off.
func (c *Client) SetRateLimit(perSecond float64, burst int) error {
	if err := httpx.CheckRate(perSecond, burst); err != nil {
		return optionError("SetRateLimit", err)
	}
	c.limiter.SetRate(perSecond, burst)
	return nil
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// do sends one authenticated call. A 401 on a cached OAuth token means the
// token died early (revoked, or the server's clock differs from ours): the
// token is dropped and the call sent once more with a fresh one. A request
// answered 401 was not processed, so repeating it is safe for every method.
func (c *Client) do(ctx context.Context, r httpx.Request, out any) error {
	for attempt := 0; ; attempt++ {
		h, err := c.auth.header()
		if err != nil {
			return err
		}
		r.Header = http.Header{"Authorization": {h}}
		_, err = c.http.Do(ctx, r, out)
		var ae *APIError
		if err != nil && attempt == 0 && errors.As(err, &ae) && ae.StatusCode == http.StatusUnauthorized && c.auth.invalidate(h) {
			continue
		}
		return err
	}
}
