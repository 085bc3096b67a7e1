package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/pgdb"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// ErrPostgresBackup refuses a backup of a PostgreSQL hub from here: its
// database is backed up with PostgreSQL's own tools.
var ErrPostgresBackup = app.Errorf(app.EINVALID, "il centro servizi usa PostgreSQL: il backup si fa con gli strumenti di PostgreSQL (pg_dump, pg_basebackup); dopo un ripristino, sportello-hub restore --db URL lo segna come ripristinato")

// Path is the database file the hub serves from, "" on PostgreSQL.
func (d *DB) Path() string { return d.path }

// Backup writes a consistent copy of the hub's database to the new file
// out while the hub goes on serving: the copy is read on a connection of
// its own, so no request waits for it beyond SQLite's own locking. It is
// checked before Backup returns; an existing out is refused (ECONFLICT).
// The marks it holds are recorded in the hub (marks.go); when they cannot
// be, the backup is still done and the error wraps ErrNotRecorded.
func (d *DB) Backup(ctx context.Context, out string) error {
	if d.pg {
		return ErrPostgresBackup
	}
	if err := sqlitedb.Backup(ctx, d.path, out); err != nil {
		return err
	}
	marks, err := readBackupMarks(ctx, out)
	if err == nil {
		err = d.tx(ctx, func(tx *sql.Tx) error { return writeBackupMarks(ctx, tx, marks, d.now()) })
	}
	return backupRecorded(out, err)
}

// BackupFile is Backup (ErrNotRecorded included) of the hub database at
// path without opening it as the hub does: opening migrates, and each migration's check takes the
// write lock, which a serving hub or an import may hold for seconds.
func BackupFile(ctx context.Context, path, out string) error {
	if pgdb.IsURL(path) {
		return ErrPostgresBackup
	}
	if err := sqlitedb.Backup(ctx, path, out); err != nil {
		return err
	}
	return backupRecorded(out, recordBackup(ctx, path, out, time.Now()))
}

// VerifyBackup refuses (EINVALID) a file that is not a sound hub
// database: damaged, not SQLite, a workstation's cache, or written by a
// newer hub. It returns the schema version of the file.
func VerifyBackup(ctx context.Context, file string) (int, error) {
	return sqlitedb.Verify(ctx, file, migrationsFS())
}

// Restore puts the backup file in place of the hub database at path, which
// no hub may have open: a serving hub cannot be told from here, so the
// command says it must be stopped. A refused file leaves the database
// untouched; the current one is kept beside it as
// path.before-restore-TIME, returned as aside.
//
// The restored database gets a new epoch (marks.go): every workstation
// learns at its next exchange that the hub was restored, sends again what
// the hub lacks and reads its data again.
func Restore(ctx context.Context, path, file string, now time.Time) (aside string, err error) {
	if pgdb.IsURL(path) {
		return "", ErrPostgresBackup
	}
	aside, err = sqlitedb.Restore(ctx, path, file, migrationsFS(), now)
	if err != nil {
		return "", err
	}
	if err := newEpoch(ctx, path, now); err != nil {
		return aside, fmt.Errorf("restore: new epoch: %w", err)
	}
	return aside, nil
}

// MarkRestored draws a new epoch for the PostgreSQL database at target,
// just restored by PostgreSQL's own tools (pg_restore, a point in time):
// the workstations then find at their next exchange that the hub was
// restored, as after Restore of a file.
func MarkRestored(ctx context.Context, target string, now time.Time) error {
	return newEpoch(ctx, target, now)
}

func migrationsFS() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}
