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
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	err = db.QueryRow(`SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema WHERE name = ?`, table).Scan(&root, &size)
	db.Close()
	if err != nil {
		t.Fatalf("damage %s: %v", table, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte("\x0d\xff\x00\x42"), int(size)/4), (root-1)*size); err != nil {
		t.Fatal(err)
	}
}
