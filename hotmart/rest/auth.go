package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
	"golang.org/x/oauth2"
)

// tokenFetcher performs Hotmart's token call, which is not a standard OAuth2
// client-credentials request: the credentials travel as query parameters
// and in a ready-made Basic header, with no body. It is an
// oauth2.TokenSource so that oauth2's reuse cache decides when to refresh.
type tokenFetcher struct {
	http              *httpx.Client
	url               string
	id, secret, basic string
	margin            time.Duration
	now               func() time.Time
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"` // seconds
}

// Token fetches a fresh token. It runs with a background context: oauth2's
// TokenSource has none, and a token fetch shared by concurrent callers must
// not die with the first caller's context. The HTTP client's timeout bounds it.
func (f *tokenFetcher) Token() (*oauth2.Token, error) {
	q := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {f.id},
		"client_secret": {f.secret},
	}
	var out tokenResponse
	_, err := f.http.Do(context.Background(), httpx.Request{
		Method:     http.MethodPost,
		Path:       f.url, // absolute: used as is, no slash appended
		Query:      q,
		Header:     http.Header{"Authorization": {"Basic " + f.basic}, "Content-Type": {"application/json"}},
		Idempotent: true, // asking for a token twice is harmless
	}, &out)
	if err != nil {
		return nil, fmt.Errorf("hotmart: fetching access token: %w", err)
	}
	if out.AccessToken == "" {
		return nil, errors.New("hotmart: fetching access token: response has no access_token")
	}
	now := f.now()
	life := time.Duration(out.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Hour // unknown lifetime: assume short, a 401 corrects it anyway
	}
	// Refresh early, but never so early that a short-lived token is
	// considered expired on arrival.
	return &oauth2.Token{
		AccessToken: out.AccessToken,
		TokenType:   "Bearer",
		Expiry:      httpx.TokenRefreshAt(now, life, f.margin),
	}, nil
}

// tokenManager caches the token and replaces it when the server rejects it.
type tokenManager struct {
	fetch *tokenFetcher
	mu    sync.Mutex
	src   oauth2.TokenSource
	gen   uint64
}

func newTokenManager(hc *httpx.Client, tokenURL, id, secret, basic string, margin time.Duration) *tokenManager {
	f := &tokenFetcher{http: hc, url: tokenURL, id: id, secret: secret, basic: basic, margin: margin, now: time.Now}
	return &tokenManager{fetch: f, src: newReuse(f)}
}

// newReuse caches f's tokens until the Expiry f computed: the early-expiry
// margin is already in it, so oauth2's own margin is set to a nanosecond.
func newReuse(f *tokenFetcher) oauth2.TokenSource {
	return oauth2.ReuseTokenSourceWithExpiry(nil, f, time.Nanosecond)
}

// token returns the cached (or a fresh) access token and the generation of
// the cache it came from.
func (m *tokenManager) token() (string, uint64, error) {
	m.mu.Lock()
	src, gen := m.src, m.gen
	m.mu.Unlock()
	t, err := src.Token()
	if err != nil {
		return "", gen, err
	}
	return t.AccessToken, gen, nil
}

// invalidate drops the cache generation gen after a 401. Callers that saw
// the same rejected token all pass the same gen, so only the first one
// starts a new cache and the rest share its single fetch.
func (m *tokenManager) invalidate(gen uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if gen == m.gen {
		m.src = newReuse(m.fetch)
		m.gen++
	}
}
