package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/store"
)

func appendAudit(t *testing.T, s *store.Store, n int) {
	t.Helper()
	for i := range n {
		if err := s.AppendAudit(context.Background(), "mrossi", app.AuditView, "soggetto", time.Now().Add(time.Duration(i))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBackupRestore backs up a cache the counter has open, then restores
// it: the operations the backup had not sent are pending again, the cache
// of before is kept aside, and a file that is not a sound cache is refused
// with the cache left as it was.
func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "sportello.db")
	s := mustOpenAt(t, path)
	enrol(t, s, "F205-W001")
	appendAudit(t, s, 3)
	out := filepath.Join(dir, "backup.db")
	if err := store.Backup(ctx, path, out); err != nil {
		t.Fatal(err)
	}
	if err := store.Backup(ctx, path, out); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("second backup to the same file: %v, want ECONFLICT", err)
	}
	appendAudit(t, s, 2)
	s.Close()

	t.Run("Refused", func(t *testing.T) {
		text := filepath.Join(t.TempDir(), "notes.db")
		os.WriteFile(text, bytes.Repeat([]byte("appunti\n"), 1000), 0o600)
		b, _ := os.ReadFile(out)
		for i := 4096 * 3; i < 4096*4 && i < len(b); i++ {
			b[i] ^= 0x5A
		}
		damaged := filepath.Join(t.TempDir(), "damaged.db")
		os.WriteFile(damaged, b, 0o600)
		before, _ := os.ReadFile(path)
		for name, file := range map[string]string{"ErrNotADatabase": text, "ErrDamaged": damaged} {
			t.Run(name, func(t *testing.T) {
				if _, err := store.Restore(ctx, path, file, time.Now()); app.ErrorCode(err) != app.EINVALID {
					t.Errorf("restore: %v, want EINVALID", err)
				}
			})
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Error("a refused restore changed the cache")
		}
	})

	t.Run("Restored", func(t *testing.T) {
		r, err := store.Restore(ctx, path, out, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if r.Pending != 3 || r.Parked != 0 {
			t.Errorf("restored outbox: %d pending, %d parked; want the backup's 3", r.Pending, r.Parked)
		}
		old := mustOpenAt(t, r.Aside)
		if p, _, err := old.OutboxCounts(ctx); err != nil || p != 5 {
			t.Errorf("the cache kept aside at %s: %d pending (%v), want 5", r.Aside, p, err)
		}
		s := mustOpenAt(t, path)
		if p, _, err := s.OutboxCounts(ctx); err != nil || p != 3 {
			t.Errorf("the restored cache: %d pending (%v), want 3", p, err)
		}
	})
}
