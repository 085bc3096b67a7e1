// Package store is the workstation's local cache in SQLite: the anagrafe of
// its comune, the operator accounts and reference tables that make the
// counter work offline, the sync cursors, and the outbox of the facts it
// created on their way to the hub. A fact and its outbox row are always
// written in one transaction.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb"
)

//go:embed migrations/*.sql
var migrations embed.FS

var (
	_ app.Local     = (*Store)(nil)
	_ app.SyncStore = (*Store)(nil)
	_ app.Directory = (*Store)(nil)
	_ app.Operators = (*Store)(nil)
)

// Store is the local cache. Its methods are safe for concurrent use; they
// share one SQLite connection (see sqlitedb.Open), so a write waits for the
// one in progress rather than failing.
type Store struct {
	db   *sql.DB
	path string

	mu    sync.Mutex
	stmts map[string]*sql.Stmt // search statements, prepared once per shape
}

// Open opens the cache at path, creating it and bringing its schema up to
// date. A damaged file is refused (ESTORAGE, naming it) before anything is
// written into it.
func Open(path string) (*Store, error) {
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, sqlitedb.StorageError(path, err)
	}
	if err := sqlitedb.QuickCheck(context.Background(), db, path); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	if err := sqlitedb.Migrate(context.Background(), db, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, sqlitedb.StorageError(path, err))
	}
	return &Store{db: db, path: path, stmts: map[string]*sql.Stmt{}}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return s.db.Close()
}

// stmt returns the prepared statement for query, preparing it the first
// time: the search runs a handful of query shapes thousands of times a day,
// and preparing costs as much as running one.
func (s *Store) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	if s.stmts == nil {
		return nil, fmt.Errorf("store closed")
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

// inTx runs fn in a transaction, committed if fn returns nil. fn must use
// only tx: the pool's single connection is busy with it. A damaged file, a
// full or failing disk come back as ESTORAGE with a plain message: what
// the operator did was not recorded, and is not reported done.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return sqlitedb.StorageError(s.path, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return sqlitedb.StorageError(s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return sqlitedb.StorageError(s.path, fmt.Errorf("commit: %w", err))
	}
	return nil
}

// timeLayout stores instants in UTC with a fixed width, so that they sort as
// text; time.RFC3339Nano trims trailing zeros and would not.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// parseDate reads a stored calendar date. A bad one is a fault of the file,
// not of the user: it is not reported as EINVALID.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(app.DateLayout, s)
}
