// Package sqlitetest holds what tests of several packages do to real
// SQLite files.
package sqlitetest

import (
	"bytes"
	"database/sql"
	"os"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// DamageTable overwrites the first page of table in the closed database at
// path with garbage, as a bad sector or a torn write leaves it.
func DamageTable(t testing.TB, path, table string) {
	t.Helper()
	DamagePage(t, path, RootPage(t, path, table))
}

// RootPage is the number of the first page of table in the closed
// database at path.
func RootPage(t testing.TB, path, table string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var root int64
	if err := db.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = ?`, table).Scan(&root); err != nil {
		t.Fatalf("root page of %s: %v", table, err)
	}
	return root
}

// DamagePage overwrites page number page (from 1) of the closed database
// at path with garbage.
func DamagePage(t testing.TB, path string, page int64) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var size int64
	err = db.QueryRow(`SELECT page_size FROM pragma_page_size`).Scan(&size)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte("\x0d\xff\x00\x42"), int(size)/4), (page-1)*size); err != nil {
		t.Fatal(err)
	}
}
