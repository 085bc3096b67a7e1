package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// The search indexes that a first download drops and builds again are
// those of the schema, to the letter: an index changed by a migration
// and not here would come back in its old shape after every download.
func TestSearchIndexesMatchSchema(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.Query(`SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'citizens' AND sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var schema []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			t.Fatal(err)
		}
		schema = append(schema, q)
	}
	if len(schema) != len(searchIndexes) {
		t.Fatalf("the schema has %d indexes on citizens, searchIndexes %d:\n%s", len(schema), len(searchIndexes), strings.Join(schema, "\n"))
	}
	for _, q := range searchIndexes {
		want := strings.Replace(q, "IF NOT EXISTS ", "", 1)
		found := false
		for _, got := range schema {
			found = found || got == want
		}
		if !found {
			t.Errorf("%s is not in the schema:\n%s", want, strings.Join(schema, "\n"))
		}
	}
}

// A download's page is committed with synchronous=NORMAL, and the
// connection every other write uses is back to FULL after it.
func TestLoadTxRestoresSynchronous(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var during, after int
	err = s.inLoadTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&during)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRow(`PRAGMA synchronous`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if during != 1 || after != 2 {
		t.Errorf("synchronous = %d during the page, %d after it; want 1 (NORMAL), then 2 (FULL)", during, after)
	}
}
