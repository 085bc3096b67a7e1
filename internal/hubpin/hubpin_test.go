package hubpin_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/internal/hubpin"
)

func TestSplitJoin(t *testing.T) {
	const code = "ABCD-EFGH-IJKL-MNOP"
	pin := strings.Repeat("Q", hubpin.PinLen)
	joined := hubpin.Join(code, pin)
	if joined != code+"-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ" {
		t.Errorf("Join = %q", joined)
	}
	for _, tc := range []struct{ typed, code, pin string }{
		{joined, code, pin},
		{strings.ToLower(strings.ReplaceAll(joined, "-", " ")), code, pin},
		{code, code, ""},
		{"abcdefghijklmnop", code, ""},
	} {
		c, p, err := hubpin.Split(tc.typed)
		if err != nil || c != tc.code || p != tc.pin {
			t.Errorf("Split(%q) = %q %q %v", tc.typed, c, p, err)
		}
	}
	for _, bad := range []string{"", "ABCD", code + "-Q", code + "-" + strings.Repeat("1", hubpin.PinLen)} {
		if _, _, err := hubpin.Split(bad); err == nil {
			t.Errorf("Split(%q) accepted", bad)
		}
	}
}

// FuzzSplit: whatever an operator types, Split either refuses it or
// returns a code of four groups and a pin of PinLen characters or none,
// which Join puts back together.
func FuzzSplit(f *testing.F) {
	f.Add("ABCD-EFGH-IJKL-MNOP")
	f.Add("ABCD-EFGH-IJKL-MNOP-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ")
	f.Add("abcd efgh ijkl mnop 2345")
	f.Fuzz(func(t *testing.T, typed string) {
		code, pin, err := hubpin.Split(typed)
		if err != nil {
			return
		}
		if len(code) != hubpin.CodeLen+3 || (pin != "" && len(pin) != hubpin.PinLen) {
			t.Fatalf("Split(%q) = %q %q", typed, code, pin)
		}
		if c2, p2, err := hubpin.Split(hubpin.Join(code, pin)); err != nil || c2 != code || p2 != pin {
			t.Fatalf("round trip of %q: %q %q %v", typed, c2, p2, err)
		}
	})
}

// TestVerifyLeafPin: a comune's certificate is pinned by its own key; its
// dates still hold, and another key is refused.
func TestVerifyLeafPin(t *testing.T) {
	ca, err := hub.LoadOrCreateCA(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	cert, err := ca.Issue([]string{"hub.comune.example"}, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	state := func(c *tls.Certificate) tls.ConnectionState {
		var certs []*x509.Certificate
		for _, der := range c.Certificate[:1] { // the server's certificate alone
			x, err := x509.ParseCertificate(der)
			if err != nil {
				t.Fatal(err)
			}
			certs = append(certs, x)
		}
		return tls.ConnectionState{ServerName: "hub.comune.example", PeerCertificates: certs}
	}
	pin := hubpin.Of(cert.Leaf)
	if err := hubpin.Verify(pin, state(cert), now); err != nil {
		t.Errorf("pinned leaf refused: %v", err)
	}
	if err := hubpin.Verify(pin, state(cert), now.Add(2*time.Hour)); !errors.Is(err, hubpin.ErrExpired) {
		t.Errorf("expired leaf: %v", err)
	}
	if err := hubpin.Verify(ca.Pin(), state(cert), now); !errors.Is(err, hubpin.ErrMismatch) {
		t.Errorf("a CA pin without the CA in the chain: %v", err)
	}
	other, err := ca.Issue([]string{"hub.comune.example"}, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := hubpin.Verify(pin, state(other), now); !errors.Is(err, hubpin.ErrMismatch) {
		t.Errorf("another key: %v", err)
	}
	// The CA pinned, a certificate for another name is refused.
	if err := hubpin.Verify(ca.Pin(), tls.ConnectionState{ServerName: "altro.example", PeerCertificates: []*x509.Certificate{other.Leaf, ca.Cert}}, now); !errors.Is(err, hubpin.ErrInvalid) {
		t.Errorf("another name: %v", err)
	}
}
