package wire

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
)

func signedAnagrafe(t testing.TB) (Anagrafe, ed25519.PublicKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	a := Anagrafe{Scope: "F205", Seq: 1526098, SHA256: strings.Repeat("0123456789abcdef", 4), Size: 123456789}
	a.Signature = ed25519.Sign(priv, a.Statement())
	return a, pub
}

// TestAnagrafeHeader: the description goes through the header whole, and
// the signature holds only for what was signed.
func TestAnagrafeHeader(t *testing.T) {
	a, root := signedAnagrafe(t)
	got, err := ParseAnagrafe(a.String())
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != a.String() || !got.Verify(root) {
		t.Fatalf("round trip %+v, verified %v", got, got.Verify(root))
	}
	for name, change := range map[string]func(*Anagrafe){
		"scope":  func(a *Anagrafe) { a.Scope = "H501" },
		"seq":    func(a *Anagrafe) { a.Seq++ },
		"hash":   func(a *Anagrafe) { a.SHA256 = strings.Repeat("f", 64) },
		"size":   func(a *Anagrafe) { a.Size-- },
		"no key": func(a *Anagrafe) {},
	} {
		b := got
		change(&b)
		key := root
		if name == "no key" {
			key = nil
		}
		if b.Verify(key) {
			t.Errorf("%s: a changed description still verifies", name)
		}
	}
	for _, bad := range []string{"", "F205", a.String() + " x", strings.Replace(a.String(), "F205", "*", 1),
		strings.Replace(a.String(), "F205", "f205", 1), strings.Replace(a.String(), " 1526098 ", " -1 ", 1),
		strings.Replace(a.String(), a.SHA256, strings.ToUpper(a.SHA256), 1), strings.Replace(a.String(), " 123456789 ", " 0 ", 1),
		strings.Replace(a.String(), a.SHA256, a.SHA256[:62], 1)} {
		if _, err := ParseAnagrafe(bad); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("ParseAnagrafe(%q) = %v, want EINVALID", bad, err)
		}
	}
}

// FuzzParseAnagrafe: whatever the header holds, it reads as a description
// that prints back to itself, or is refused; never a panic.
func FuzzParseAnagrafe(f *testing.F) {
	a, _ := signedAnagrafe(f)
	f.Add(a.String())
	f.Add("")
	f.Add("F205 1 " + strings.Repeat("a", 64) + " 1 AAAA")
	f.Add("* 0 x 0 x")
	f.Fuzz(func(t *testing.T, v string) {
		got, err := ParseAnagrafe(v)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("error %v not EINVALID", err)
			}
			return
		}
		again, err := ParseAnagrafe(got.String())
		if err != nil || again.String() != got.String() {
			t.Fatalf("%q read as %+v, which does not read back (%v)", v, got, err)
		}
		if got.Seq < 0 || got.Size <= 0 || len(got.SHA256) != 64 || len(got.Signature) != ed25519.SignatureSize {
			t.Fatalf("%q read as %+v", v, got)
		}
	})
}
