package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CookieName is the session cookie's name.
const CookieName = "hotmartkit_console"

// session is who is asking: a logged-in browser or a bearer client.
type session struct {
	id   string // short, non-secret label for the log
	csrf string // what every form of this session must send back
}

var b64 = base64.RawURLEncoding

func (c *Console) sign(parts ...string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(strings.Join(parts, "|")))
	return b64.EncodeToString(m.Sum(nil))
}

// newCookieValue returns "v1.<expiry>.<nonce>.<mac>".
func (c *Console) newCookieValue() string {
	var n [16]byte
	_, _ = rand.Read(n[:])
	exp := strconv.FormatInt(c.now().Add(c.ttl).Unix(), 10)
	nonce := b64.EncodeToString(n[:])
	return "v1." + exp + "." + nonce + "." + c.sign("session", exp, nonce)
}

func (c *Console) sessionFromCookie(v string) (*session, bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 4 || parts[0] != "v1" {
		return nil, false
	}
	if !hmac.Equal([]byte(parts[3]), []byte(c.sign("session", parts[1], parts[2]))) {
		return nil, false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || c.now().Unix() >= exp {
		return nil, false
	}
	label := sha256.Sum256([]byte(parts[2]))
	return &session{id: "s-" + hex.EncodeToString(label[:4]), csrf: c.sign("csrf", parts[2])}, true
}

// tokenOK compares a presented token with the admin token in constant time
// (over digests, so the length does not show either).
func (c *Console) tokenOK(got string) bool {
	if got == "" {
		return false
	}
	sum := sha256.Sum256([]byte(got))
	return subtle.ConstantTimeCompare(sum[:], c.token[:]) == 1
}

func (c *Console) authenticate(r *http.Request) (*session, bool) {
	if h := r.Header.Get("Authorization"); h != "" {
		got, ok := strings.CutPrefix(h, "Bearer ")
		if ok && c.tokenOK(strings.TrimSpace(got)) {
			return &session{id: "bearer", csrf: c.sign("csrf", "bearer")}, true
		}
		return nil, false
	}
	ck, err := r.Cookie(CookieName)
	if err != nil {
		return nil, false
	}
	return c.sessionFromCookie(ck.Value)
}

func (c *Console) loginPage(w http.ResponseWriter, r *http.Request) {
	c.render(w, r, http.StatusOK, "login", page{Title: "Log in", CSRF: c.sign("csrf", "login")})
}

// login exchanges the admin token for a session cookie. Its form carries a
// csrf field like every other, but a wrong one is not what protects it: a
// forged login would need the admin token, the very secret being checked.
func (c *Console) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		c.plain(w, http.StatusBadRequest, "bad form")
		return
	}
	if !c.tokenOK(r.PostForm.Get("token")) {
		c.log.LogAttrs(r.Context(), slog.LevelWarn, "console login refused", slog.String("remote", r.RemoteAddr))
		c.render(w, r, http.StatusUnauthorized, "login", page{Title: "Log in", CSRF: c.sign("csrf", "login"),
			Error: "That token is not the admin token."})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: c.newCookieValue(), Path: c.prefix + "/",
		MaxAge: int(c.ttl / time.Second), HttpOnly: true, Secure: c.secure || r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	c.log.LogAttrs(r.Context(), slog.LevelInfo, "console action", slog.String("action", "login"), slog.String("remote", r.RemoteAddr))
	http.Redirect(w, r, c.prefix+"/", http.StatusSeeOther)
}

func (c *Console) logout(w http.ResponseWriter, r *http.Request, s *session) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: c.prefix + "/", MaxAge: -1,
		HttpOnly: true, Secure: c.secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	c.action(r, s, "logout")
	http.Redirect(w, r, c.prefix+"/login", http.StatusSeeOther)
}
