// Package sqlitedb opens SQLite databases the way Sportello needs them and
// runs embedded migrations. The workstation's cache (store) and the hub's
// SQLite storage both open their files here, so that durability and locking
// are decided once.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// params are the go-sqlite3 connection parameters, applied to every
// connection the driver opens:
//   - WAL lets readers of other processes (a backup, the CLI) proceed while
//     we write;
//   - foreign keys are off by default in SQLite and must be asked for;
//   - BEGIN IMMEDIATE takes the write lock when a transaction starts rather
//     than at its first write, so a transaction never fails half-way with
//     SQLITE_BUSY because another one upgraded first;
//   - the busy timeout waits for another process's writer instead of
//     failing at once;
//   - synchronous=FULL fsyncs the WAL at every commit: an outbox row or an
//     issued certificate the operator was told about survives a power cut
//     (NORMAL in WAL mode may lose the last commits).
const params = "_journal_mode=WAL&_foreign_keys=on&_txlock=immediate&_busy_timeout=10000&_synchronous=FULL"

// Open opens (creating it if needed) the SQLite database at path and checks
// that it is usable.
//
// The pool holds one connection. SQLite has a single writer per database and
// every transaction here starts as a writer (_txlock=immediate), so more
// connections would only queue on SQLite's busy handler, which sleeps and
// polls, instead of on database/sql's pool, which hands the connection over
// at once. One connection also means a transaction must never use the *DB
// itself while it is open: that would wait for the connection it holds.
func Open(path string) (*sql.DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if strings.ContainsRune(path, '?') {
		// go-sqlite3 splits the DSN at the first '?': such a path would
		// silently open another file.
		return nil, fmt.Errorf("open sqlite %s: the path must not contain '?'", path)
	}
	// The file holds personal data (an anagrafe, operator hashes, a device
	// key): readable by its owner only, whatever the umask. SQLite gives its
	// -wal and -shm files the main file's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db, err := sql.Open("sqlite3", path+"?"+params)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	// Keep the connection: reopening costs the per-connection pragmas and
	// drops SQLite's page cache.
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// migrationName is the name of a migration file: its number, an underscore,
// a name, ".sql" ("001_citizens.sql").
var migrationName = regexp.MustCompile(`^([0-9]+)_[A-Za-z0-9_-]+\.sql$`)

type migration struct {
	version int
	name    string
}

// Migrate applies the migrations of the root of fsys that the database has
// not seen yet, in the order of their numbers, each in its own transaction
// together with its row in schema_migrations, so that a failed migration
// leaves the database at the previous version.
//
// It refuses a database that has applied a migration this code does not
// know: an older binary must not write into a schema it does not understand
// (the workstation was downgraded, or the file comes from a newer hub).
func Migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	return MigrateDialect(ctx, db, fsys, Dialect{})
}

// Dialect adapts the migrations to another engine than SQLite (the hub's
// PostgreSQL storage, internal/pgdb).
type Dialect struct {
	// Script returns the statements to run for the migration file name of
	// the given body; nil runs the body.
	Script func(name string, body []byte) (string, error)
	// Lock, run first in each migration's transaction, makes processes
	// that migrate one database at once take turns; SQLite's write lock
	// does that by itself.
	Lock string
}

// MigrateDialect is Migrate for the engine of d.
func MigrateDialect(ctx context.Context, db *sql.DB, fsys fs.FS, d Dialect) error {
	ms, err := readMigrations(fsys)
	if err != nil {
		return err
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL
	)`
	if d.Lock != "" {
		create = d.Lock + "; " + create
	}
	if _, err := db.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].version
	}
	var newest int
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("migrate: read schema version: %w", err)
	}
	if newest > known {
		return fmt.Errorf("migrate: the database is at schema version %d, this program knows up to %d: use a newer version of the program", newest, known)
	}
	for _, m := range ms {
		if err := apply(ctx, db, fsys, m, d); err != nil {
			return err
		}
	}
	return nil
}

// readMigrations lists the migrations of fsys by number. Any other file with
// a .sql suffix is an error: a misnamed migration must not be skipped.
func readMigrations(fsys fs.FS) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrate: list migrations: %w", err)
	}
	var ms []migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		sub := migrationName.FindStringSubmatch(e.Name())
		if sub == nil {
			return nil, fmt.Errorf("migrate: %s: a migration is named NNN_name.sql", e.Name())
		}
		v, err := strconv.Atoi(sub[1])
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("migrate: %s: bad migration number", e.Name())
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrate: %s and %s have the same number", other, e.Name())
		}
		seen[v] = e.Name()
		ms = append(ms, migration{version: v, name: e.Name()})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	return ms, nil
}

// apply runs one migration unless it is recorded. The check is inside the
// transaction, which holds the write lock from its start, so two processes
// opening the same file at once cannot both apply it.
func apply(ctx context.Context, db *sql.DB, fsys fs.FS, m migration, d Dialect) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if d.Lock != "" {
		if _, err := tx.ExecContext(ctx, d.Lock); err != nil {
			return fmt.Errorf("migrate %s: lock: %w", m.name, err)
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if n > 0 {
		return tx.Rollback()
	}
	body, err := fs.ReadFile(fsys, m.name)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	script := string(body)
	if d.Script != nil {
		if script, err = d.Script(m.name, body); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("migrate %s: record: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", m.name, err)
	}
	return nil
}
