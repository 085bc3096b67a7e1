package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/store"
)

// TestDamage: a damaged cache is refused at open, naming the file; a full
// disk fails a fact cleanly, in plain words, and leaves nothing half
// recorded.
func TestDamage(t *testing.T) {
	ctx := context.Background()

	t.Run("DamagedAnagrafeRefusesWrites", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		s, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		cs := make([]app.Citizen, 3000)
		for i := range cs {
			cs[i] = synthCitizen(i)
		}
		if err := s.PutCitizensUnchecked(ctx, cs); err != nil {
			t.Fatal(err)
		}
		var pageSize, pages int64
		s.DB().QueryRow(`PRAGMA page_size`).Scan(&pageSize)
		s.DB().QueryRow(`PRAGMA page_count`).Scan(&pages)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if pages < 20 {
			t.Fatalf("only %d pages: the test needs a page in the middle", pages)
		}
		// One page in the middle of the file, as a bad sector or a torn
		// write would leave it.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		garbage := []byte(strings.Repeat("\x0d\xff\x00\x42", int(pageSize)/4))
		if _, err := f.WriteAt(garbage, pageSize*(pages/2)); err != nil {
			t.Fatal(err)
		}
		f.Close()

		// The damaged page is the anagrafe's (hub data, checked in the
		// background): the file opens, searches go on, and nothing is
		// written while the file is damaged.
		s2, err := store.Open(path)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		defer s2.Close()
		err = s2.Checked(ctx)
		if app.ErrorCode(err) != app.ESTORAGE {
			t.Fatalf("check of a damaged file: %v, want %s", err, app.ESTORAGE)
		}
		msg := app.ErrorMessage(err)
		if !strings.Contains(msg, path) || !strings.Contains(msg, "danneggiato") {
			t.Fatalf("message %q does not name the file and the damage", msg)
		}
		if err := s2.SetSetting(ctx, "printer", "Anagrafe_1"); app.ErrorCode(err) != app.ESTORAGE {
			t.Fatalf("a write to a damaged file: %v, want %s", err, app.ESTORAGE)
		}
	})

	t.Run("DamagedOutboxRefusedAtOpen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		s, err := store.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		enrol(t, s, "F205-W001")
		for i := range 200 {
			if err := s.SetSetting(ctx, "k"+strconvI(int64(i)), strings.Repeat("x", 200)); err != nil {
				t.Fatal(err)
			}
		}
		closeAndDamage(t, s, path, "settings")
		_, err = store.Open(path)
		if app.ErrorCode(err) != app.ESTORAGE {
			t.Fatalf("open of a file with its own records damaged: %v, want %s", err, app.ESTORAGE)
		}
		if msg := app.ErrorMessage(err); !strings.Contains(msg, path) || !strings.Contains(msg, "danneggiato") {
			t.Fatalf("message %q does not name the file and the damage", msg)
		}
	})

	t.Run("DiskFullNothingRecorded", func(t *testing.T) {
		s := MustOpen(t)
		enrol(t, s, "F205-W001")
		// SQLite's own limit on the file's size is the same SQLITE_FULL a
		// full disk gives.
		var pages int64
		if err := s.DB().QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`PRAGMA max_page_count = ` + strconvI(pages)); err != nil {
			t.Fatal(err)
		}
		var err error
		written := 0
		subject := strings.Repeat("RSSMRA85T10A562S ", 200)
		for written = 0; written < 1000; written++ {
			if err = s.AppendAudit(ctx, "mrossi", app.AuditView, subject, time.Now()); err != nil {
				break
			}
		}
		if app.ErrorCode(err) != app.ESTORAGE || !strings.Contains(app.ErrorMessage(err), "disco pieno") {
			t.Fatalf("after %d events: %v, want %s with \"disco pieno\"", written, err, app.ESTORAGE)
		}
		if n := count(t, s, "outbox"); n != written {
			t.Fatalf("outbox holds %d operations, %d were recorded: the failed one left a trace", n, written)
		}
		if n := count(t, s, "audit"); n != written {
			t.Fatalf("audit holds %d events, %d were recorded", n, written)
		}
	})
}

func strconvI(n int64) string { return strconv.FormatInt(n, 10) }
