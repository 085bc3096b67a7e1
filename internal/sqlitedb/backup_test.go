package sqlitedb_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// ledgerMigrations is a schema whose every commit keeps an invariant a
// torn copy would break: each entry has its mirror row, written in the
// same transaction.
var ledgerMigrations = fstest.MapFS{
	"001_ledger.sql": {Data: []byte(`CREATE TABLE entries (id INTEGER PRIMARY KEY, amount INTEGER NOT NULL, pad TEXT NOT NULL);
		CREATE TABLE mirror (id INTEGER PRIMARY KEY REFERENCES entries(id), amount INTEGER NOT NULL);`)},
	"002_more.sql": {Data: []byte(`CREATE INDEX entries_amount ON entries (amount);`)},
}

func openLedger(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := sqlitedb.Migrate(context.Background(), db, ledgerMigrations); err != nil {
		t.Fatal(err)
	}
	return db
}

func addEntries(t *testing.T, db *sql.DB, n int) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Error(err)
		return
	}
	defer tx.Rollback()
	for range n {
		res, err := tx.Exec(`INSERT INTO entries (amount, pad) VALUES (7, printf('%.*c', 500, 'x'))`)
		if err != nil {
			t.Error(err)
			return
		}
		id, _ := res.LastInsertId()
		if _, err := tx.Exec(`INSERT INTO mirror (id, amount) VALUES (?, 7)`, id); err != nil {
			t.Error(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		t.Error(err)
	}
}

// ledgerCounts opens path read-write (as a restored file would be) and
// returns the rows of each table.
func ledgerCounts(t *testing.T, path string) (entries, mirror int) {
	t.Helper()
	db := openLedger(t, path)
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM entries), (SELECT COUNT(*) FROM mirror)`).Scan(&entries, &mirror); err != nil {
		t.Fatal(err)
	}
	db.Close()
	return entries, mirror
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	t.Run("ConsistentWhileWriting", func(t *testing.T) {
		dir := t.TempDir()
		live := filepath.Join(dir, "live.db")
		db := openLedger(t, live)
		addEntries(t, db, 2000)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // the program that owns the file goes on writing
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					addEntries(t, db, 50)
				}
			}
		}()
		var outs []string
		for i := range 3 {
			out := filepath.Join(dir, "copy", string(rune('a'+i))+".db")
			os.MkdirAll(filepath.Dir(out), 0o700)
			if err := sqlitedb.Backup(ctx, live, out); err != nil {
				t.Fatalf("backup %d: %v", i, err)
			}
			outs = append(outs, out)
		}
		close(stop)
		wg.Wait()
		for _, out := range outs {
			e, m := ledgerCounts(t, out)
			if e < 2000 || e != m {
				t.Errorf("%s: %d entries, %d mirror rows: want the same, at least 2000", out, e, m)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "copy", ".*partial*")); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
	t.Run("ErrConflictOutExists", func(t *testing.T) {
		dir := t.TempDir()
		live := filepath.Join(dir, "live.db")
		addEntries(t, openLedger(t, live), 3)
		out := filepath.Join(dir, "out.db")
		if err := os.WriteFile(out, []byte("keep me"), 0o600); err != nil {
			t.Fatal(err)
		}
		err := sqlitedb.Backup(ctx, live, out)
		if app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("backup over a file: %v, want ECONFLICT", err)
		}
		if b, _ := os.ReadFile(out); string(b) != "keep me" {
			t.Errorf("the existing file was changed: %q", b)
		}
	})
	t.Run("ErrMissingSource", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "out.db")
		if err := sqlitedb.Backup(ctx, filepath.Join(dir, "none.db"), out); err == nil {
			t.Fatal("backup of a missing file succeeded")
		}
		if _, err := os.Stat(out); err == nil {
			t.Error("a failed backup left its destination")
		}
		if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
			t.Error("backup created the source it was asked to copy")
		}
	})
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 17, 0, 0, 0, time.UTC)
	// setup returns a live database with 5 entries (its last commit still
	// in the WAL: the file is open) and a backup of it taken at 3 entries.
	setup := func(t *testing.T) (dir, live, backup string) {
		dir = t.TempDir()
		live = filepath.Join(dir, "live.db")
		db := openLedger(t, live)
		addEntries(t, db, 3)
		backup = filepath.Join(dir, "backup.db")
		if err := sqlitedb.Backup(ctx, live, backup); err != nil {
			t.Fatal(err)
		}
		addEntries(t, db, 2)
		db.Close()
		return dir, live, backup
	}
	t.Run("PutsTheBackupInPlaceAndKeepsTheCurrentAside", func(t *testing.T) {
		_, live, backup := setup(t)
		aside, err := sqlitedb.Restore(ctx, live, backup, ledgerMigrations, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := live + ".before-restore-20261205T170000Z"; aside != want {
			t.Errorf("aside = %s, want %s", aside, want)
		}
		if e, m := ledgerCounts(t, live); e != 3 || m != 3 {
			t.Errorf("restored: %d entries, %d mirror, want 3", e, m)
		}
		if e, _ := ledgerCounts(t, aside); e != 5 {
			t.Errorf("kept aside: %d entries, want the 5 of before", e)
		}
		if _, err := os.Stat(backup); err != nil {
			t.Errorf("the backup file is gone: %v", err)
		}
	})
	t.Run("ErrInUse", func(t *testing.T) {
		_, live, backup := setup(t)
		db, err := sqlitedb.Open(live) // the program that owns it, serving
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Ping(); err != nil {
			t.Fatal(err)
		}
		if _, err := sqlitedb.Restore(ctx, live, backup, ledgerMigrations, now); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("restore under an open database: %v, want ECONFLICT", err)
		}
		if left, _ := filepath.Glob(live + ".before-restore*"); len(left) > 0 {
			t.Errorf("files set aside: %v", left)
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM entries`).Scan(&n); err != nil || n != 5 {
			t.Errorf("the open database: %d entries (%v), want 5", n, err)
		}
	})
	damaged := func(t *testing.T, dir, backup string) string {
		b, err := os.ReadFile(backup)
		if err != nil {
			t.Fatal(err)
		}
		// A page in the middle overwritten: the header still says SQLite.
		for i := 4096 * 2; i < 4096*3 && i < len(b); i++ {
			b[i] = 0xA5
		}
		p := filepath.Join(dir, "damaged.db")
		os.WriteFile(p, b, 0o600)
		return p
	}
	foreign := func(t *testing.T, dir, _ string) string {
		p := filepath.Join(dir, "foreign.db")
		db, err := sqlitedb.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := sqlitedb.Migrate(ctx, db, fstest.MapFS{"001_other.sql": {Data: []byte(`CREATE TABLE t (x)`)}}); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := func(t *testing.T, dir, _ string) string {
		p := filepath.Join(dir, "newer.db")
		db, err := sqlitedb.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		m := fstest.MapFS{"003_later.sql": {Data: []byte(`CREATE TABLE later (x)`)}}
		for k, v := range ledgerMigrations {
			m[k] = v
		}
		if err := sqlitedb.Migrate(ctx, db, m); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := func(t *testing.T, dir, _ string) string {
		p := filepath.Join(dir, "notes.txt")
		os.WriteFile(p, bytes.Repeat([]byte("not a database\n"), 500), 0o600)
		return p
	}
	plain := func(t *testing.T, dir, _ string) string {
		p := filepath.Join(dir, "plain.db")
		db, err := sqlitedb.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.Exec(`CREATE TABLE t (x)`)
		return p
	}
	missing := func(t *testing.T, dir, _ string) string { return filepath.Join(dir, "missing.db") }
	for _, tc := range []struct {
		name string
		file func(t *testing.T, dir, backup string) string
	}{
		{"ErrDamaged", damaged},
		{"ErrForeignSchema", foreign},
		{"ErrNewerSchema", newer},
		{"ErrNotADatabase", text},
		{"ErrNoSchema", plain},
		{"ErrMissing", missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, live, backup := setup(t)
			file := tc.file(t, dir, backup)
			before, _ := os.ReadFile(live)
			wal, _ := os.ReadFile(live + "-wal")
			_, err := sqlitedb.Restore(ctx, live, file, ledgerMigrations, now)
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("restore: %v, want EINVALID", err)
			}
			t.Log(app.ErrorMessage(err))
			after, _ := os.ReadFile(live)
			wal2, _ := os.ReadFile(live + "-wal")
			if !bytes.Equal(before, after) || !bytes.Equal(wal, wal2) {
				t.Error("the current database was changed")
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*before-restore*")); len(left) > 0 {
				t.Errorf("files set aside for a refused restore: %v", left)
			}
			if e, _ := ledgerCounts(t, live); e != 5 {
				t.Errorf("current database: %d entries, want 5", e)
			}
		})
	}
}
