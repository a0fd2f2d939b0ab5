package console

import (
	"testing"
	"time"
)

func TestSessionExpiresAndTokenChangeEndsSessions(t *testing.T) {
	c, err := New("token-one", WithSessionTTL(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	v := c.newCookieValue()
	s, ok := c.sessionFromCookie(v)
	if !ok || s.csrf == "" {
		t.Fatal("fresh session refused")
	}
	other, _ := New("token-two")
	if _, ok := other.sessionFromCookie(v); ok {
		t.Fatal("a session outlived an admin token change")
	}
	later := time.Now().Add(2 * time.Minute)
	c.now = func() time.Time { return later }
	if _, ok := c.sessionFromCookie(v); ok {
		t.Fatal("an expired session was accepted")
	}
	for _, bad := range []string{"", "v1", "v2.1.2.3", "v1.notanumber.x.y"} {
		if _, ok := c.sessionFromCookie(bad); ok {
			t.Errorf("cookie %q accepted", bad)
		}
	}
}
