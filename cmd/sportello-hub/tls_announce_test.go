package main

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/hubpin"
	"github.com/sportello/sportello/sync/wire"
)

// TestTLSAnnounce: tls-announce signs the pins of the certificates given,
// the one in force first, with the network's root key, where serve reads
// them (loadPins); --clear withdraws them; a wrong use is exit 2 and a
// file that is no certificate exit 1, with nothing announced.
func TestTLSAnnounce(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	current, err := hub.LoadOrCreateCA(data, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	nextDir := t.TempDir()
	next, err := hub.LoadOrCreateCA(nextDir, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"tls-announce", "--data", data}, {"tls-announce", "--data", data, "--clear", "--cert", "x.pem"}} {
		if r := runHub(t, nil, args...); r.code != 2 {
			t.Errorf("%v: exit %d, %s", args, r.code, r.stderr)
		}
	}
	notCert := filepath.Join(t.TempDir(), "x.pem")
	os.WriteFile(notCert, []byte("not a certificate"), 0o600)
	if r := runHub(t, nil, "tls-announce", "--data", data, "--cert", notCert); r.code != 1 {
		t.Errorf("a file that is no certificate: exit %d, %s", r.code, r.stderr)
	}
	if p, err := loadPins(data)(); err != nil || p != nil {
		t.Fatalf("announced after refusals: %+v %v", p, err)
	}

	r := runHub(t, nil, "tls-announce", "--data", data, "--cert", filepath.Join(data, "tls", "ca.pem"), "--cert", filepath.Join(nextDir, "tls", "ca.pem"))
	if r.code != 0 || !strings.Contains(r.stdout, current.Pin()) || !strings.Contains(r.stdout, next.Pin()) {
		t.Fatalf("announce: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	p, err := loadPins(data)()
	if err != nil || p == nil {
		t.Fatalf("loadPins: %+v %v", p, err)
	}
	if !slices.Equal(p.Pins, []string{current.Pin(), next.Pin()}) {
		t.Errorf("pins %q, want the current then the next", p.Pins)
	}
	db, err := sqlstore.Open(ctx, filepath.Join(data, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := db.RootPublicKey(ctx)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	at, _ := wire.ParseTime(p.At)
	sig, _ := wire.UnB64(p.Signature)
	if !ed25519.Verify(pub, hubpin.AnnouncementMessage(p.Pins, at), sig) {
		t.Error("the announcement is not signed by the network's root key")
	}
	if r := runHub(t, nil, "tls-announce", "--data", data, "--clear"); r.code != 0 {
		t.Fatalf("clear: exit %d, %s", r.code, r.stderr)
	}
	if p, err := loadPins(data)(); err != nil || p != nil {
		t.Errorf("after --clear: %+v %v", p, err)
	}
}
