package sqlitedb_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// TestStorageErrors: SQLite's own failures, produced for real, read as
// what the person at the counter or the sync engine must know.
func TestStorageErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sqlitedb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}

	t.Run("BusyIsBusy", func(t *testing.T) {
		// Another process holds the write lock; this one does not wait.
		other, err := sql.Open("sqlite3", path+"?_busy_timeout=0&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		_, err = other.Exec(`INSERT INTO t VALUES ('x')`)
		if !sqlitedb.Busy(err) {
			t.Fatalf("write under another's lock: %v, want busy", err)
		}
		if sqlitedb.Busy(errors.New("database is locked")) || sqlitedb.StorageError(path, err) != err {
			t.Fatal("only SQLite's busy is busy, and it is not a storage failure")
		}
	})

	t.Run("FullIsDiskFull", func(t *testing.T) {
		// SQLite's limit on the file's size fails a write with the same
		// SQLITE_FULL as a full disk.
		if _, err := db.Exec(`PRAGMA max_page_count = 9`); err != nil {
			t.Fatal(err)
		}
		_, err := db.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO t SELECT hex(randomblob(1000)) FROM n`)
		got := sqlitedb.StorageError(path, err)
		if app.ErrorCode(got) != app.ESTORAGE || !strings.Contains(app.ErrorMessage(got), "disco pieno") || sqlitedb.Busy(err) {
			t.Fatalf("%v -> %v, want ESTORAGE disco pieno", err, got)
		}
	})
}
