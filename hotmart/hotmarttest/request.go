package hotmarttest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
)

// HottokHeader is the header Hotmart sends the hottok in.
const HottokHeader = "X-HOTMART-HOTTOK"

// NewRequest returns a server-side request as Hotmart posts a webhook: POST
// /, JSON content type, body, and hottok in the X-HOTMART-HOTTOK header
// (omitted when hottok is empty). Serve it with handler.ServeHTTP and an
// httptest.ResponseRecorder.
func NewRequest(body []byte, hottok string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if hottok != "" {
		r.Header.Set(HottokHeader, hottok)
	}
	return r
}

// Post sends body to url as Hotmart does, with http.DefaultClient. The
// caller closes the response body.
func Post(ctx context.Context, url string, body []byte, hottok string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if hottok != "" {
		req.Header.Set(HottokHeader, hottok)
	}
	return http.DefaultClient.Do(req)
}
