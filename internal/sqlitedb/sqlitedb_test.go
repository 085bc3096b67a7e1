package sqlitedb_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sportello/sportello/internal/sqlitedb"
)

// MustOpenDB opens a fresh database file in a temporary directory.
func MustOpenDB(tb testing.TB) *sql.DB {
	tb.Helper()
	db, err := sqlitedb.Open(filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestOpenPrivate: the database and its WAL are readable by their owner
// only, also when an older version created the file with the umask's
// 0644.
func TestOpenPrivate(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{filepath.Join(dir, "new.db"), old} {
		db, err := sqlitedb.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE t (x)`); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{path, path + "-wal"} {
			fi, err := os.Stat(f)
			if err != nil {
				t.Fatal(err)
			}
			if mode := fi.Mode().Perm(); mode != 0o600 {
				t.Errorf("%s: mode %o, want 600", filepath.Base(f), mode)
			}
		}
		db.Close()
	}
}

func TestOpen(t *testing.T) {
	db := MustOpenDB(t)
	for _, tc := range []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
		{"busy_timeout", "10000"},
	} {
		t.Run(tc.pragma, func(t *testing.T) {
			var got string
			if err := db.QueryRow("PRAGMA " + tc.pragma).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("PRAGMA %s = %s, want %s", tc.pragma, got, tc.want)
			}
		})
	}
	t.Run("ForeignKeysEnforced", func(t *testing.T) {
		if _, err := db.Exec(`CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id))`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO c (p) VALUES (42)`); err == nil {
			t.Error("insert of a dangling reference succeeded")
		}
	})
	t.Run("OneConnection", func(t *testing.T) {
		if n := db.Stats().MaxOpenConnections; n != 1 {
			t.Errorf("MaxOpenConnections = %d, want 1", n)
		}
	})
	t.Run("ErrQuestionMarkInPath", func(t *testing.T) {
		if _, err := sqlitedb.Open(filepath.Join(t.TempDir(), "a?b.db")); err == nil {
			t.Error("a path with '?' was accepted")
		}
	})
	t.Run("ErrNotADatabase", func(t *testing.T) {
		if _, err := sqlitedb.Open(t.TempDir()); err == nil {
			t.Error("a directory was opened as a database")
		}
	})
}

func version(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	base := fstest.MapFS{
		"001_a.sql":  {Data: []byte(`CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (1);`)},
		"002_b.sql":  {Data: []byte(`CREATE TABLE b (y TEXT);`)},
		"README.txt": {Data: []byte(`not a migration`)},
	}

	t.Run("AppliesInOrderOnce", func(t *testing.T) {
		db := MustOpenDB(t)
		// 010 sorts before 002 as a string: order must be numeric.
		fsys := fstest.MapFS{
			"001_a.sql":  base["001_a.sql"],
			"002_b.sql":  base["002_b.sql"],
			"010_c.sql":  {Data: []byte(`INSERT INTO b VALUES ('after b');`)},
			"README.txt": base["README.txt"],
		}
		for range 2 {
			if err := sqlitedb.Migrate(ctx, db, fsys); err != nil {
				t.Fatal(err)
			}
		}
		if v := version(t, db); v != 10 {
			t.Errorf("version = %d, want 10", v)
		}
		var n int
		if err := db.QueryRow(`SELECT COUNT(*) FROM a`).Scan(&n); err != nil || n != 1 {
			t.Errorf("rows in a = %d (%v), want 1: a migration ran twice", n, err)
		}
	})

	t.Run("FailedMigrationRollsBack", func(t *testing.T) {
		db := MustOpenDB(t)
		fsys := fstest.MapFS{
			"001_a.sql": base["001_a.sql"],
			"002_b.sql": {Data: []byte(`CREATE TABLE b (y TEXT); INSERT INTO nowhere VALUES (1);`)},
		}
		if err := sqlitedb.Migrate(ctx, db, fsys); err == nil || !strings.Contains(err.Error(), "002_b.sql") {
			t.Fatalf("err = %v, want the failure of 002_b.sql", err)
		}
		if v := version(t, db); v != 1 {
			t.Errorf("version = %d, want 1", v)
		}
		if tableExists(t, db, "b") {
			t.Error("table b of the failed migration is left behind")
		}
		if !tableExists(t, db, "a") {
			t.Error("table a of the migration before the failure is gone")
		}
	})

	t.Run("ErrDatabaseNewerThanCode", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := sqlitedb.Migrate(ctx, db, base); err != nil {
			t.Fatal(err)
		}
		old := fstest.MapFS{"001_a.sql": base["001_a.sql"]}
		err := sqlitedb.Migrate(ctx, db, old)
		if err == nil || !strings.Contains(err.Error(), "schema version 2") {
			t.Errorf("err = %v, want a refusal of schema version 2", err)
		}
	})

	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
	}{
		{"ErrDuplicateNumber", fstest.MapFS{"001_a.sql": base["001_a.sql"], "1_again.sql": base["002_b.sql"]}},
		{"ErrBadName", fstest.MapFS{"001_a.sql": base["001_a.sql"], "b.sql": base["002_b.sql"]}},
		{"ErrZero", fstest.MapFS{"000_a.sql": base["001_a.sql"]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			if err := sqlitedb.Migrate(ctx, db, tc.fsys); err == nil {
				t.Error("Migrate accepted the migrations")
			}
			if tableExists(t, db, "a") {
				t.Error("a migration ran although the set is invalid")
			}
		})
	}
}
