package hub

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The public pages' forms (the booking of a queue slot, the certificate
// by post) are guarded one way against posts from other sites' pages:
// CrossOriginProtection refuses a cross-site post first; the form carries
// a token bound by an HMAC to a nonce in a cookie only this site's pages
// can read (SameSite=Strict, HttpOnly), to the comune of the page and to
// the time it was served, so a token is good for its browser, its comune
// and formTTL only. The key comes from the network's root key (csrfKey),
// so every hub process behind a load balancer makes and checks the same
// tokens. Each token also carries random bits: two forms are never given
// the same token, which the post page uses as its request's identity.

// formCookie holds the browser's nonce, for the pages of one comune.
const formCookie = "sportello_form"

// formTTL is how long a form may stay open before it is posted.
const formTTL = 2 * time.Hour

// formToken returns a new token for a form of comune's pages, and sets
// the browser's nonce cookie when it has none.
func (s *server) formToken(ctx context.Context, w http.ResponseWriter, r *http.Request, comune string) (string, error) {
	key, err := s.csrfKey(ctx)
	if err != nil {
		return "", err
	}
	nonce := formNonce(r)
	if nonce == "" {
		var b [16]byte
		rand.Read(b[:])
		nonce = hex.EncodeToString(b[:])
		http.SetCookie(w, &http.Cookie{Name: formCookie, Value: nonce, Path: "/comuni/" + comune + "/", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(formTTL / time.Second)})
	}
	var salt [9]byte
	rand.Read(salt[:])
	return csrfToken(key, nonce, comune, base64.RawURLEncoding.EncodeToString(salt[:]), s.now()), nil
}

// formPosted reports whether the post r of a form of comune, with token,
// comes from a page this site served to this browser less than formTTL
// ago.
func (s *server) formPosted(ctx context.Context, r *http.Request, comune, token string) (bool, error) {
	if err := s.crossOrigin.Check(r); err != nil {
		return false, nil
	}
	nonce := formNonce(r)
	if nonce == "" {
		return false, nil
	}
	key, err := s.csrfKey(ctx)
	if err != nil {
		return false, err
	}
	return csrfValid(key, nonce, comune, token, s.now()), nil
}

// formNonce is the nonce of the browser's cookie, "" without one.
func formNonce(r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	return ""
}

// csrfKey is the key of the form tokens: derived from the network's root
// key, never the root key itself.
func (s *server) csrfKey(ctx context.Context) ([]byte, error) {
	root, err := s.db.RootKey(ctx)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, root.Seed())
	m.Write([]byte("sportello public form token v1"))
	return m.Sum(nil), nil
}

// csrfToken binds nonce to comune, salt and the time the form was served:
// "unix seconds.salt.mac".
func csrfToken(key []byte, nonce, comune, salt string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	return ts + "." + salt + "." + csrfMAC(key, nonce, comune, ts, salt)
}

func csrfMAC(key []byte, nonce, comune, ts, salt string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(nonce + "|" + comune + "|" + ts + "|" + salt))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// maxFormToken bounds a token's length: seconds, salt and MAC with room.
const maxFormToken = 96

// csrfValid reports whether token was made for nonce and comune less than
// formTTL before now.
func csrfValid(key []byte, nonce, comune, token string, now time.Time) bool {
	if len(token) > maxFormToken {
		return false
	}
	ts, rest, ok := strings.Cut(token, ".")
	salt, mac, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || salt == "" || strings.Contains(mac, ".") {
		return false
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := now.Sub(time.Unix(sec, 0))
	if age < -time.Minute || age > formTTL {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(csrfMAC(key, nonce, comune, ts, salt)))
}
