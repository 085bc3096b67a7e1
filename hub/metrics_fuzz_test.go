package hub

import (
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/sportello/sportello/sync/wire"
)

// FuzzOutboxDepth: the outbox depth a device reports is a number from 0
// to MaxOutboxDepth, or refused; it never panics, never reads as another
// number.
func FuzzOutboxDepth(f *testing.F) {
	for _, s := range []string{"", "0", "7", "-1", "x", "1e3", "99999999999", " 5", "+5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		r := httptest.NewRequest("POST", "/v1/ops", nil)
		r.Header[wire.HeaderOutboxDepth] = []string{v}
		n, ok, err := outboxDepth(r)
		if err != nil {
			return
		}
		if v == "" {
			if ok {
				t.Fatal("no header read as a depth")
			}
			return
		}
		if !ok || n < 0 || n > MaxOutboxDepth {
			t.Fatalf("%q read as %d, %v", v, n, ok)
		}
		if m, err := strconv.Atoi(v); err != nil || m != n {
			t.Fatalf("%q read as %d", v, n)
		}
	})
}
