package wire_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/sportello/sportello/sync/wire"
)

// FuzzConfirmedFromHeader reads what a device says it holds confirmed
// from arbitrary request headers: it never fails; a claim it accepts has
// an epoch of at most 64 characters and a number that reads back as sent,
// never negative; and what a workstation writes reads back the same.
func FuzzConfirmedFromHeader(f *testing.F) {
	f.Add("0123456789abcdef0123456789abcdef", "12")
	f.Add("", "3")
	f.Add("e", "")
	f.Add("e", "-1")
	f.Add("e", "+5")
	f.Add("e", "99999999999999999999")
	f.Add("e", " 1")
	f.Fuzz(func(t *testing.T, epoch, confirmed string) {
		h := http.Header{}
		h.Set(wire.HeaderHubEpoch, epoch)
		h.Set(wire.HeaderConfirmed, confirmed)
		e, n, ok := wire.ConfirmedFromHeader(h)
		if !ok {
			if e != "" || n != 0 {
				t.Fatalf("refused claim read as %q %d", e, n)
			}
			return
		}
		if e == "" || len(e) > 64 || n < 0 {
			t.Fatalf("accepted %q %q as %q %d", epoch, confirmed, e, n)
		}
		if v, err := strconv.ParseInt(h.Get(wire.HeaderConfirmed), 10, 64); err != nil || v != n {
			t.Fatalf("confirmed %q read as %d", confirmed, n)
		}
		// What a workstation writes reads back the same.
		back := http.Header{}
		back.Set(wire.HeaderHubEpoch, e)
		back.Set(wire.HeaderConfirmed, strconv.FormatInt(n, 10))
		if e2, n2, ok2 := wire.ConfirmedFromHeader(back); !ok2 || e2 != e || n2 != n {
			t.Fatalf("%q %d written and read back as %q %d %v", e, n, e2, n2, ok2)
		}
	})
}
