package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// TestCatalogue publishes the default catalogue once, enables part of it
// for a comune, and refuses what the catalogue does not have.
func TestCatalogue(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.EnsureComune(ctx, "I690", "SESTO SAN GIOVANNI"); err != nil {
		t.Fatal(err)
	}
	if err := db.ImportCatalogue(ctx, request.DefaultCatalogue()); err != nil {
		t.Fatal(err)
	}
	seq := func(scope string) int64 {
		var n int64
		if err := db.db.QueryRowContext(ctx, `SELECT seq FROM scopes WHERE scope = ?`, scope).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := seq(app.ScopeNetwork)
	if err := db.ImportCatalogue(ctx, request.DefaultCatalogue()); err != nil {
		t.Fatal(err)
	}
	if after := seq(app.ScopeNetwork); after != before {
		t.Fatalf("publishing the same catalogue again made %d changes", after-before)
	}
	cat, err := db.Catalogue(ctx)
	if err != nil || len(cat) != len(request.DefaultCatalogue()) {
		t.Fatalf("catalogue: %d services (%v)", len(cat), err)
	}
	if got, _ := db.EnabledServices(ctx, "I690"); got != nil {
		t.Fatalf("before any choice: %v", got)
	}
	if err := db.EnableServices(ctx, "I690", []string{"tari-dichiarazione", "iscrizione-mensa", "iscrizione-mensa"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.EnabledServices(ctx, "I690"); len(got) != 2 || got[0] != "iscrizione-mensa" {
		t.Fatalf("enabled: %v", got)
	}
	if err := db.EnableServices(ctx, "I690", []string{"volo-su-marte"}); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an unknown service: %v", err)
	}
	dup := append(request.DefaultCatalogue(), request.DefaultCatalogue()[0])
	if err := db.ImportCatalogue(ctx, dup); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a catalogue with a service twice: %v", err)
	}
}

func TestPutAttachment(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	dev := &Device{ID: "I690-W001", Comune: "I690"}
	pdf := []byte("%PDF-1.4 documento")
	const sum = "7a6d0e0f2b4b0b8e2e7a9f1c8f2d0b7d9c1e4a5b6c7d8e9f0a1b2c3d4e5f6a7b" // not its hash
	if err := db.PutAttachment(ctx, dev, sum, pdf); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("a content that does not match its hash: %v", err)
	}
	exe := []byte("MZ\x90\x00")
	if err := db.PutAttachment(ctx, dev, sha(exe), exe); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("an executable: %v", err)
	}
	for range 2 {
		if err := db.PutAttachment(ctx, dev, sha(pdf), pdf); err != nil {
			t.Fatal(err)
		}
	}
	if b, typ, err := db.Attachment(ctx, sha(pdf)); err != nil || typ != "application/pdf" || string(b) != string(pdf) {
		t.Fatalf("stored %q %s %v", b, typ, err)
	}
}

// TestAttachmentQuota: a device stores attachments up to its quota; past
// it, it is refused and nothing is stored, while a file the hub already
// holds and another device's uploads pass.
func TestAttachmentQuota(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.AttachmentQuota = 100
	dev := &Device{ID: "I690-W001", Comune: "I690"}
	first := []byte("%PDF-1.4 " + strings.Repeat("a", 60))
	second := []byte("%PDF-1.4 " + strings.Repeat("b", 60))
	if err := db.PutAttachment(ctx, dev, sha(first), first); err != nil {
		t.Fatal(err)
	}
	if err := db.PutAttachment(ctx, dev, sha(second), second); app.ErrorCode(err) != app.ETOOMANY {
		t.Fatalf("past the quota: %v, want %s", err, app.ETOOMANY)
	}
	if _, _, err := db.Attachment(ctx, sha(second)); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("a refused attachment was stored: %v", err)
	}
	if err := db.PutAttachment(ctx, dev, sha(first), first); err != nil {
		t.Errorf("the same file again: %v", err)
	}
	if err := db.PutAttachment(ctx, &Device{ID: "I690-W002", Comune: "I690"}, sha(second), second); err != nil {
		t.Errorf("another device's quota: %v", err)
	}
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
