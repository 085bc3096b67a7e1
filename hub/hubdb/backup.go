package hubdb

import (
	"context"
	"io/fs"
	"time"

	"github.com/sportello/sportello/internal/sqlitedb"
)

// Path is the database file the hub serves from.
func (d *DB) Path() string { return d.path }

// Backup writes a consistent copy of the hub's database to the new file
// out while the hub goes on serving: the copy is read on a connection of
// its own, so no request waits for it beyond SQLite's own locking. It is
// checked before Backup returns; an existing out is refused (ECONFLICT).
func (d *DB) Backup(ctx context.Context, out string) error {
	return sqlitedb.Backup(ctx, d.path, out)
}

// BackupFile is Backup of the hub database at path without opening it as
// the hub does: opening migrates, and each migration's check takes the
// write lock, which a serving hub or an import may hold for seconds.
func BackupFile(ctx context.Context, path, out string) error {
	return sqlitedb.Backup(ctx, path, out)
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
func Restore(ctx context.Context, path, file string, now time.Time) (aside string, err error) {
	return sqlitedb.Restore(ctx, path, file, migrationsFS(), now)
}

func migrationsFS() fs.FS {
	sub, _ := fs.Sub(migrations, "migrations")
	return sub
}
