package leadlovers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
	"github.com/hotmartkit/hotmartkit/internal/query"
)

// Client calls the leadlovers API with one account token. It is safe for
// concurrent use; share one per token so that pacing covers every caller.
type Client struct {
	hc      *httpx.Client
	creds   *Credentials // a pointer, so that formatting a Client value shows no token
	base    string
	limiter *httpx.Limiter

	// Services, one per API area.
	Machines  *MachinesService
	Sequences *SequencesService
	Levels    *LevelsService
	Leads     *LeadsService
	Tags      *TagsService
	RestHooks *RestHooksService
	Account   *AccountService
}

type service struct{ c *Client }

// NewClient returns a client for the account whose API token creds
// carries. No network call happens until the first request.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	token := strings.TrimSpace(creds.Token)
	if token == "" {
		return nil, &ArgumentError{Method: "NewClient", Arg: "Credentials.Token", Reason: "is required"}
	}
	if strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, &ArgumentError{Method: "NewClient", Arg: "Credentials.Token", Reason: "contains spaces or control characters"}
	}
	o := defaultOptions()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, err
		}
	}

	hc := &http.Client{Timeout: 30 * time.Second}
	if o.HTTPClient != nil {
		cp := *o.HTTPClient
		hc = &cp
	}
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	hc.Transport = cloudflareTransport{next: next}

	limiter := httpx.NewLimiter(o.rate, o.burst)
	policy := throttlePolicy{wait: o.throttleWait, max: o.maxWait, limiter: limiter}
	cfg := httpx.Config{
		Provider:      "leadlovers",
		BaseURL:       o.baseURL,
		Limiter:       limiter,
		MaxRetryAfter: o.maxWait,
		Redactor:      httpx.Redactor{Secrets: []string{token}},
		RetryAfter:    policy.retryAfter,
		OnResponse:    policy.onResponse,
		CheckBody:     checkBody,
		DecodeError:   decodeError,
		WrapError:     wrapAPIError,
	}
	o.Apply(&cfg)
	cfg.HTTPClient = hc // the copy wrapped for Cloudflare's blocks
	inner, err := httpx.New(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{hc: inner, creds: &Credentials{Token: token}, base: o.baseURL.String(), limiter: limiter}
	c.Machines = &MachinesService{c}
	c.Sequences = &SequencesService{c}
	c.Levels = &LevelsService{c}
	c.Leads = &LeadsService{c}
	c.Tags = &TagsService{c}
	c.RestHooks = &RestHooksService{c}
	c.Account = &AccountService{c}
	return c, nil
}

// SetRateLimit changes the pacing of a running client (for instance after
// leadlovers confirms a higher limit for the account), with the units of
// WithRateLimit: perSecond 0 turns pacing off.
func (c *Client) SetRateLimit(perSecond float64, burst int) error {
	if err := httpx.CheckRate(perSecond, burst); err != nil {
		return optionError("SetRateLimit", err)
	}
	c.limiter.SetRate(perSecond, burst)
	return nil
}

// call is one API request.
type call struct {
	method string
	path   string
	query  url.Values
	body   any
	// idempotent marks a non-GET call as safe to repeat after a network
	// error or a 5xx: PUT upserts and moves, DELETEs.
	idempotent bool
	// sensitive lists the personal values the call carries (a lead's
	// name, e-mail, phone), scrubbed from its error.
	sensitive []string
}

func (c *Client) do(ctx context.Context, r call, out any) error {
	q := url.Values{}
	for k, v := range r.query {
		q[k] = v
	}
	q.Set("token", c.creds.Token)
	_, err := c.hc.Do(ctx, httpx.Request{
		Method: r.method, Path: r.path, Query: q, JSON: r.body, Idempotent: r.idempotent, Sensitive: r.sensitive,
	}, out)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && isThrottle(ae) {
			return &RateLimitError{RetryAfter: ae.RetryAfter, Err: ae}
		}
		return err
	}
	return nil
}

// validate checks request structs before they are sent. A validator keeps
// a cache of struct metadata, so one is shared by the package.
var validate = validator.New(validator.WithRequiredStructEnabled())

// checkStruct validates v and reports the first problem as an
// *ArgumentError naming the field, never its value.
func checkStruct(op string, v any) error {
	err := validate.Struct(v)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if errors.As(err, &ves) && len(ves) > 0 {
		fe := ves[0]
		return &ArgumentError{Method: op, Arg: fe.Namespace()[strings.IndexByte(fe.Namespace(), '.')+1:], Reason: ruleText(fe)}
	}
	return &ArgumentError{Method: op, Arg: "request", Reason: "is invalid"}
}

func ruleText(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "is required"
	case "email":
		return "is not an e-mail address"
	case "gt":
		return "must be greater than " + fe.Param()
	case "gte":
		return "must be at least " + fe.Param()
	case "max":
		return "is longer than " + fe.Param()
	case "url", "http_url":
		return "is not an http(s) URL"
	}
	return "fails rule " + fe.Tag()
}

// requireEmail refuses an empty e-mail key.
func requireEmail(op, email string) error {
	if strings.TrimSpace(email) == "" {
		return &ArgumentError{Method: op, Arg: "email", Reason: "is required"}
	}
	return nil
}

func requirePositive(op, field string, v int) error {
	if v <= 0 {
		return &ArgumentError{Method: op, Arg: field, Reason: "must be a positive code"}
	}
	return nil
}

// encodeQuery is query.Values for the package's own option types, whose
// tags are known good.
func encodeQuery(v any) url.Values { return query.MustValues(v) }
