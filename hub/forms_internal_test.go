package hub

import (
	"testing"
	"time"
)

// FuzzCSRFToken feeds the public forms' token check arbitrary tokens: it
// never panics, and accepts a token only for the nonce and comune it was
// made for, within its time.
func FuzzCSRFToken(f *testing.F) {
	key := []byte("0123456789abcdef0123456789abcdef")
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	good := csrfToken(key, "nonce", "F205", "c2FsdHNhbHQ", at)
	f.Add(good)
	f.Add("")
	f.Add(".")
	f.Add("1773136800.")
	f.Add("1773136800.c2FsdHNhbHQ.")
	f.Add(good + ".x")
	f.Add("-99999999999999999999.x")
	f.Fuzz(func(t *testing.T, token string) {
		ok := csrfValid(key, "nonce", "F205", token, at.Add(time.Minute))
		if ok && token != good {
			t.Fatalf("accepted a token it did not make: %q", token)
		}
		if csrfValid(key, "nonce", "H501", token, at) || csrfValid(key, "other", "F205", token, at) {
			t.Fatalf("a token of another page or browser accepted: %q", token)
		}
		if csrfValid(key, "nonce", "F205", token, at.Add(formTTL+time.Minute)) {
			t.Fatalf("an expired token accepted: %q", token)
		}
	})
}
