package leadlovers

import (
	"context"
	"encoding/json"
)

// AccountService reads data about the account that owns the token.
type AccountService service

// Get returns the account's user data, undecoded (leadlovers documents no
// shape). It is the cheapest way to check that a token works.
//
// leadlovers API: GET /User.
func (s *AccountService) Get(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := s.c.do(ctx, call{method: "GET", path: "User"}, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// Code returns the account's user code.
//
// leadlovers API: GET /UserCode.
func (s *AccountService) Code(ctx context.Context) (string, error) {
	var out struct {
		Value Text `json:"Value"`
	}
	if err := s.c.do(ctx, call{method: "GET", path: "UserCode"}, &out); err != nil {
		return "", err
	}
	return string(out.Value), nil
}

// Data returns the account's data listing, undecoded.
//
// leadlovers API: GET /ListDataAccount.
func (s *AccountService) Data(ctx context.Context) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := s.c.do(ctx, call{method: "GET", path: "ListDataAccount"}, &raw); err != nil {
		return nil, err
	}
	return raw, nil
}

// Ping checks that the token is accepted.
func (c *Client) Ping(ctx context.Context) error {
	_, err := c.Account.Get(ctx)
	return err
}
