package hub_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/sportello/sportello/hub"
)

// TestOwnCertificates: the hub's own authority is made once, its key
// readable by the hub's user only; the server certificate it signs covers
// the names given and the listen address, and is made again before it
// expires, under the same authority (the workstations' pin holds).
func TestOwnCertificates(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	ca, err := hub.LoadOrCreateCA(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "tls", "ca-key.pem")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("CA key: %v %v", fi.Mode(), err)
	}
	again, err := hub.LoadOrCreateCA(dir, now.Add(time.Hour))
	if err != nil || again.Pin() != ca.Pin() {
		t.Fatalf("the CA was made again: %v", err)
	}
	names := hub.ServerNames([]string{"hub.comune.example", "192.168.1.10"}, "10.0.0.5:8450")
	for _, want := range []string{"hub.comune.example", "192.168.1.10", "10.0.0.5", "localhost", "127.0.0.1"} {
		if !slices.Contains(names, want) {
			t.Errorf("names %v lack %s", names, want)
		}
	}
	clock := now
	own := &hub.OwnCertificates{CA: ca, Names: names, Now: func() time.Time { return clock }}
	first, err := own.GetCertificate(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Leaf.VerifyHostname("hub.comune.example"); err != nil {
		t.Error(err)
	}
	if err := first.Leaf.CheckSignatureFrom(ca.Cert); err != nil {
		t.Error(err)
	}
	clock = now.Add(30 * 24 * time.Hour)
	if c, _ := own.GetCertificate(nil); c != first {
		t.Error("made again with two months left")
	}
	clock = first.Leaf.NotAfter.Add(-29 * 24 * time.Hour)
	renewed, err := own.GetCertificate(nil)
	if err != nil || renewed == first || !renewed.Leaf.NotAfter.After(first.Leaf.NotAfter) {
		t.Fatalf("not renewed 29 days before expiry: %v", err)
	}
	if err := renewed.Leaf.CheckSignatureFrom(ca.Cert); err != nil {
		t.Error(err)
	}
}
