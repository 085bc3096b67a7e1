package passwd

import (
	"crypto/ed25519"
	"strings"
	"testing"
)

// TestOperatorKey: the key comes back from the password alone, another
// password gives another key, and neither the hash nor its salt gives it.
func TestOperatorKey(t *testing.T) {
	params, pub, err := NewKeyWith(cheap, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(params, "$ed25519") {
		t.Fatalf("params %q", params)
	}
	key, err := DeriveKey(params, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !key.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatal("the derived key is not the one made")
	}
	other, err := DeriveKey(params, "correct horsf")
	if err != nil {
		t.Fatal(err)
	}
	if other.Public().(ed25519.PublicKey).Equal(pub) {
		t.Fatal("another password gives the same key")
	}
	// Two keys of one password differ: each has its own salt.
	params2, pub2, _ := NewKeyWith(cheap, "correct horse")
	if params2 == params || pub2.Equal(pub) {
		t.Fatal("two keys share a salt")
	}
	// The parameters are not a hash, nor is a hash key parameters.
	if Verify(params, "correct horse") {
		t.Fatal("key parameters verify as a password hash")
	}
	hash, _ := HashWith(cheap, "correct horse")
	if _, err := DeriveKey(hash, "correct horse"); err == nil {
		t.Fatal("a password hash taken as key parameters")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=8,t=1,p=1$AAAA$ed25519", strings.Replace(params, "t=1", "t=999", 1)} {
		if _, err := DeriveKey(bad, "x"); err == nil {
			t.Errorf("DeriveKey(%q) accepted", bad)
		}
	}
}

// FuzzDeriveKey: key parameters come from the hub; none makes DeriveKey
// panic or spend beyond the bounds.
func FuzzDeriveKey(f *testing.F) {
	params, _, _ := NewKeyWith(cheap, "pw")
	f.Add(params)
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$ed25519")
	f.Fuzz(func(t *testing.T, s string) {
		p, _, _, err := parse(s)
		if err != nil || p.Memory > 1024 || p.Time > 2 {
			return // out of bounds is refused by parse; costly ones are not run here
		}
		_, _ = DeriveKey(s, "pw")
	})
}
