package sendpulse

import (
	"context"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// UsersService lists the account's team members, whose ids deals and
// contacts take as responsibleId.
type UsersService service

// User is a team member.
type User struct {
	ID        int64  `json:"id"`
	FirstName string `json:"firstname,omitempty"`
	LastName  string `json:"lastname,omitempty"`
	Email     string `json:"email,omitempty"`
	Lang      string `json:"lang,omitempty"`
	Timezone  string `json:"timezone,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// List returns the team members. The spec types the answer as one object;
// an array is what an account with several members needs, and both decode.
//
// API: GET /crm/v1/users
func (s *UsersService) List(ctx context.Context) ([]User, error) {
	var out envelope[list[User]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/users"}, &out)
	return out.Data, err
}
