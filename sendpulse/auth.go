package sendpulse

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

type authenticator interface {
	// header returns the Authorization header value for the next call.
	header() (string, error)
	// invalidate drops the credential behind header value h after a 401 and
	// reports whether a new one may be obtained.
	invalidate(h string) bool
}

type staticKey string

func (k staticKey) header() (string, error) { return string(k), nil }
func (staticKey) invalidate(string) bool    { return false }

// oauthAuth caches client-credentials tokens. The token source is built once
// from a background context: oauth2 keeps that context for every later
// fetch, and a request's context would make all of them fail after the
// first request ended.
type oauthAuth struct {
	fetch  oauth2.TokenSource // one network fetch per Token call
	margin time.Duration      // early expiry

	mu   sync.Mutex
	src  oauth2.TokenSource // caching source over fetch; replaced on invalidate
	last string             // header value last handed out
}

func newOAuth(o options, red httpx.Redactor) *oauthAuth {
	cfg := &clientcredentials.Config{
		ClientID:     o.clientID,
		ClientSecret: o.clientSecret,
		TokenURL:     strings.TrimSuffix(o.baseURL.String(), "/") + "/oauth/access_token",
		AuthStyle:    oauth2.AuthStyleInParams, // SendPulse reads the pair from the body
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, httpx.WithoutRedirects(o.HTTPClient))
	a := &oauthAuth{margin: o.tokenMargin}
	a.fetch = tokenFunc(func() (*oauth2.Token, error) {
		now := time.Now()
		t, err := cfg.Token(ctx)
		if err != nil {
			return nil, tokenError(err, red)
		}
		// Replace the token margin before expiry, or at half its lifetime
		// when it lives less than twice the margin: otherwise a short-lived
		// token looks stale on arrival and is fetched before every call.
		if !t.Expiry.IsZero() {
			t.Expiry = httpx.TokenRefreshAt(now, t.Expiry.Sub(now), a.margin)
		}
		return t, nil
	})
	a.src = a.newSource()
	return a
}

// newSource caches fetch's tokens until the Expiry fetch computed, which
// already holds the margin; oauth2's own early expiry is a nanosecond
// (zero would mean its default of 10 s).
func (a *oauthAuth) newSource() oauth2.TokenSource {
	return oauth2.ReuseTokenSourceWithExpiry(nil, a.fetch, time.Nanosecond)
}

func (a *oauthAuth) header() (string, error) {
	a.mu.Lock()
	src := a.src
	a.mu.Unlock()
	// The reuse source serialises fetches itself, so concurrent callers
	// with an expired token wait for one fetch rather than each doing one.
	t, err := src.Token()
	if err != nil {
		return "", err
	}
	h := "Bearer " + t.AccessToken
	a.mu.Lock()
	a.last = h
	a.mu.Unlock()
	return h, nil
}

func (a *oauthAuth) invalidate(h string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	// Only the first caller holding the dead token replaces the source;
	// the others find a different token already in use and just retry.
	if a.last == h {
		a.src = a.newSource()
		a.last = ""
	}
	return true
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }

// tokenError turns a failed token fetch into an *APIError when the token
// endpoint answered, so a wrong secret reads like any other API error.
func tokenError(err error, red httpx.Redactor) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return red.Error(fmt.Errorf("sendpulse: fetching OAuth token: %w", err))
	}
	ae := &httpx.APIError{
		Provider:   "sendpulse",
		Method:     http.MethodPost,
		URL:        red.URL(re.Response.Request.URL),
		StatusCode: re.Response.StatusCode,
		Code:       re.ErrorCode,
		Message:    re.ErrorDescription,
	}
	if ae.Code == "" && ae.Message == "" {
		decodeError(ae, re.Body)
	}
	ae.Code, ae.Message = red.String(ae.Code), red.String(ae.Message)
	body := re.Body
	if len(body) > httpx.MaxErrorBody {
		body = body[:httpx.MaxErrorBody]
	}
	ae.Body = []byte(red.String(string(body)))
	return wrapAPIError(ae)
}
