// Package store is the workstation's local cache in SQLite: the anagrafe of
// its comune, the operator accounts and reference tables that make the
// counter work offline, the sync cursors, and the outbox of the facts it
// created on their way to the hub. A fact and its outbox row are always
// written in one transaction.
package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"database/sql/driver"
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

	keysMu sync.Mutex
	keys   map[string]ed25519.PrivateKey // operators' keys unlocked at login (HoldOperatorKey)

	// checked closes when the check of the whole file that Open starts is
	// done; checkErr is its verdict. Writes wait for it (writable).
	checked  chan struct{}
	checkErr error
	stop     context.CancelFunc
}

// ownTables are the tables of what this workstation created: nothing else
// holds them until the hub has them. Open checks them before anything
// else; the rest of the file (the anagrafe, records and reference tables
// the hub sends) is checked in the background, since a Milano-size cache
// takes seconds to check and can be downloaded again.
var ownTables = []string{"profile", "settings", "cursors", "snapshot_state", "audit", "outbox", "certificates",
	"requests", "request_files", "iuv_blocks", "local_positions", "payments", "cash_closings", "queue_issued",
	"kiosk_attempts", "login_failures"}

// Open opens the cache at path, creating it and bringing its schema up to
// date. A file whose own records (the outbox, the audit trail, the
// certificates, the payments…) are damaged is refused (ESTORAGE, naming
// it) before anything is written into it; the rest of the file is checked
// in the background, and until that check has passed nothing is written
// (writable): a damaged page anywhere refuses every write, so the operator
// is never told "done" for a fact that cannot be read back.
func Open(path string) (*Store, error) {
	db, err := sqlitedb.Open(path)
	if err != nil {
		return nil, sqlitedb.StorageError(path, err)
	}
	var present []string
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table'`)
	if err == nil {
		names := map[string]bool{}
		for rows.Next() {
			var n string
			if rows.Scan(&n) == nil {
				names[n] = true
			}
		}
		err = rows.Err()
		rows.Close()
		for _, t := range ownTables {
			if names[t] {
				present = append(present, t)
			}
		}
	}
	if err == nil {
		err = sqlitedb.QuickCheckTables(context.Background(), db, path, present)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open store: %w", sqlitedb.StorageError(path, err))
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
	if err := ensureSearchIndexes(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open store %s: %w", path, sqlitedb.StorageError(path, err))
	}
	ctx, stop := context.WithCancel(context.Background())
	st := &Store{db: db, path: path, stmts: map[string]*sql.Stmt{}, checked: make(chan struct{}), stop: stop}
	go st.checkAll(ctx)
	return st, nil
}

// ensureSearchIndexes builds the search indexes that a first download
// dropped (dropSearchIndexesIfEmpty) when no download is in progress any
// more: one abandoned for good still leaves a searchable cache.
func ensureSearchIndexes(db *sql.DB) error {
	var inProgress int
	if err := db.QueryRow(`SELECT EXISTS (SELECT 1 FROM snapshot_state)`).Scan(&inProgress); err != nil || inProgress != 0 {
		return err
	}
	return createSearchIndexes(context.Background(), db)
}

// checkAll runs quick_check on the whole file on a connection of its own,
// read-only, so that searches and the counter's screens go on meanwhile.
func (s *Store) checkAll(ctx context.Context) {
	defer close(s.checked)
	ro, err := sql.Open("sqlite3", s.path+"?_query_only=true&_busy_timeout=10000")
	if err != nil {
		s.checkErr = fmt.Errorf("check %s: %w", s.path, err)
		return
	}
	defer ro.Close()
	if err := sqlitedb.QuickCheck(ctx, ro, s.path); err != nil && ctx.Err() == nil {
		s.checkErr = err
	}
}

// Checked waits for the check of the whole file that Open started: nil
// when the file is sound, ESTORAGE naming it when a page is damaged.
func (s *Store) Checked(ctx context.Context) error {
	select {
	case <-s.checked:
		return s.checkErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writable holds a write until the file has been checked, and refuses it
// on a damaged file.
func (s *Store) writable(ctx context.Context) error {
	if err := s.Checked(ctx); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stop()
	<-s.checked
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

// exec runs one writing statement outside a transaction, on the same
// terms as inTx: after the file's check, with storage errors named.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := s.writable(ctx); err != nil {
		return nil, err
	}
	r, err := s.db.ExecContext(ctx, query, args...)
	return r, sqlitedb.StorageError(s.path, err)
}

// inTx runs fn in a transaction, committed if fn returns nil. fn must use
// only tx: the pool's single connection is busy with it. A damaged file, a
// full or failing disk come back as ESTORAGE with a plain message: what
// the operator did was not recorded, and is not reported done.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	return s.runTx(ctx, s.db.BeginTx, fn)
}

// runTx begins a transaction with begin (the pool's or a held
// connection's), runs fn in it and commits, storage errors named.
func (s *Store) runTx(ctx context.Context, begin func(context.Context, *sql.TxOptions) (*sql.Tx, error), fn func(tx *sql.Tx) error) error {
	tx, err := begin(ctx, nil)
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

// inLoadTx is inTx for the pages of an initial download, committed with
// synchronous=NORMAL instead of FULL. In WAL mode such a commit survives
// the program's crash (a SIGKILL included) and can be lost only with the
// machine's power, and then whole: a page goes with the download's state,
// so the download resumes from an earlier page, never with a hole. The
// connection is back to FULL before anyone else writes on it (the pool's
// one connection is held meanwhile); if it cannot be put back, it is
// discarded and the next one opens with FULL.
func (s *Store) inLoadTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := s.writable(ctx); err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return sqlitedb.StorageError(s.path, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = NORMAL`); err != nil {
		return sqlitedb.StorageError(s.path, err)
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), `PRAGMA synchronous = FULL`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return s.runTx(ctx, conn.BeginTx, fn)
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
