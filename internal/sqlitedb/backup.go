package sqlitedb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// OpenReadOnly opens the existing database at path for reading only, on a
// connection of its own (see openReadOnly).
func OpenReadOnly(path string) (*sql.DB, error) { return openReadOnly(path, 1) }

// OpenReadPool opens the existing database at path for reading on up to n
// connections of their own, beside the one writer connection Open gives:
// in WAL mode readers neither wait for the writer nor hold it up, so a
// server's polls and lookups do not queue behind every fsynced commit.
// Each read transaction sees the commits made before it began.
func OpenReadPool(path string, n int) (*sql.DB, error) {
	db, err := openReadOnly(path, n)
	if err != nil {
		return nil, err
	}
	db.SetMaxIdleConns(n)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// openReadOnly opens the existing database at path on a connection of its
// own that never writes: a backup taken while the program that owns the
// file keeps writing must not queue behind (or ahead of) its single writer
// connection. In WAL mode a reader sees one commit and keeps seeing it for
// the whole of its transaction, which is what makes the copy consistent.
func openReadOnly(path string, conns int) (*sql.DB, error) {
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("open sqlite %s: the path must not contain '?'", path)
	}
	if _, err := os.Stat(path); err != nil {
		// mode=ro would not create it, but the error would only say
		// "unable to open database file".
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// A URI, so that SQLite reads mode=ro; '%' and '#' would be taken for
	// URI syntax.
	uri := "file:" + strings.NewReplacer("%", "%25", "#", "%23").Replace(path) + "?mode=ro&_busy_timeout=10000"
	db, err := sql.Open("sqlite3", uri)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Backup writes a consistent copy of the database at src to the new file
// out, while other connections and processes go on writing to src. The
// copy is SQLite's VACUUM INTO on a read-only connection: one read
// transaction, so one committed state, never a file copy that could catch
// a page of one commit beside a page of the next. It is written beside out
// under a temporary name, passes quick_check and is flushed to disk before
// it takes the name out; out is never overwritten (ECONFLICT when it
// exists), and a failed backup leaves nothing behind.
func Backup(ctx context.Context, src, out string) error {
	if out == "" {
		return errors.New("backup: empty destination")
	}
	if _, err := os.Lstat(out); err == nil {
		return app.Errorf(app.ECONFLICT, "il file %s esiste già: il backup non sovrascrive un file, indicarne uno nuovo", out)
	}
	tmp, err := tempBeside(out)
	if err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	defer os.Remove(tmp) // gone once linked; a leftover of a failure otherwise
	if err := vacuumInto(ctx, src, tmp); err != nil {
		return StorageError(src, fmt.Errorf("backup %s: %w", src, err))
	}
	if err := checkFile(ctx, tmp); err != nil {
		return fmt.Errorf("backup %s: the copy failed its check: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	if err := placeNew(tmp, out); err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	return nil
}

// tempBeside names a file that does not exist yet in out's folder, so that
// the final rename stays on one file system.
func tempBeside(out string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	dir, name := filepath.Split(out)
	if dir == "" {
		dir = "."
	}
	if _, err := os.Stat(dir); err != nil {
		return "", err
	}
	return filepath.Join(dir, "."+name+".partial-"+hex.EncodeToString(b)), nil
}

// vacuumInto copies the database at src into the new file dst.
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := openReadOnly(src, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("vacuum into %s: %w", dst, err)
	}
	return nil
}

// checkFile runs the whole quick_check on the database file at path.
func checkFile(ctx context.Context, path string) error {
	db, err := openReadOnly(path, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	return QuickCheck(ctx, db, path)
}

// syncFile flushes the file at path to the disk: VACUUM INTO does not.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir flushes a folder, so that a rename in it survives a power cut.
// Not every system can (Windows): a failure is ignored, the file itself is
// already on disk.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// placeNew gives tmp the name out unless out exists. A hard link fails when
// out exists, where a rename would replace it; a file system without hard
// links (a FAT USB stick) gets a rename after a last look.
func placeNew(tmp, out string) error {
	err := os.Link(tmp, out)
	switch {
	case err == nil:
		os.Remove(tmp)
	case errors.Is(err, fs.ErrExist):
		return app.Errorf(app.ECONFLICT, "il file %s esiste già: il backup non sovrascrive un file, indicarne uno nuovo", out)
	default:
		if _, serr := os.Lstat(out); serr == nil {
			return app.Errorf(app.ECONFLICT, "il file %s esiste già: il backup non sovrascrive un file, indicarne uno nuovo", out)
		}
		if err := os.Rename(tmp, out); err != nil {
			return err
		}
	}
	syncDir(filepath.Dir(out))
	return nil
}

// Verify refuses, with EINVALID, a file that is not a sound database of the
// program whose migrations are fsys: it must pass quick_check, and every
// migration it records must be one of fsys's, by number and name,
// starting from the first (a workstation's cache is not a hub's database,
// though both have a 002_certificates.sql). A file of an older schema is
// sound: it is migrated when it is next opened. It returns the schema
// version the file is at.
func Verify(ctx context.Context, path string, fsys fs.FS) (int, error) {
	refuse := func(why string) (int, error) {
		return 0, app.Errorf(app.EINVALID, "il file %s non è un backup utilizzabile: %s", path, why)
	}
	ms, err := readMigrations(fsys)
	if err != nil {
		return 0, err
	}
	if len(ms) == 0 {
		return 0, errors.New("verify: no migrations")
	}
	known := map[int]string{}
	for _, m := range ms {
		known[m.version] = m.name
	}
	db, err := openReadOnly(path, 1)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return refuse("il file non esiste")
		}
		return refuse("non si apre come database SQLite")
	}
	defer db.Close()
	if err := QuickCheck(ctx, db, path); err != nil {
		if app.ErrorCode(err) == app.ESTORAGE {
			return refuse("è danneggiato (il controllo di SQLite non lo supera)")
		}
		return refuse("non si legge come database SQLite")
	}
	rows, err := db.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return refuse("non è un database di Sportello")
	}
	defer rows.Close()
	newest, first := 0, false
	for rows.Next() {
		var v int
		var name string
		if err := rows.Scan(&v, &name); err != nil {
			return refuse("non è un database di Sportello")
		}
		if known[v] != name {
			if v > ms[len(ms)-1].version {
				return refuse(fmt.Sprintf("viene da una versione più recente del programma (schema %d, questa conosce fino a %d)", v, ms[len(ms)-1].version))
			}
			return refuse(fmt.Sprintf("è il database di un altro programma (migrazione %d %s)", v, name))
		}
		first = first || v == ms[0].version
		newest = max(newest, v)
	}
	if err := rows.Err(); err != nil {
		return refuse("non si legge come database SQLite")
	}
	if !first {
		return refuse("non è un database di Sportello (schema vuoto)")
	}
	return newest, nil
}

// notInUse refuses (ECONFLICT) to replace the database at path while a
// program has it open. SQLite in WAL mode holds a shared lock on the file
// for as long as a connection is open, and the hub and the app keep theirs
// open, so asking for an exclusive lock finds them, also across
// processes. It is a best effort (locks on a network share may not
// work): the commands still say to stop the program first. A file that
// cannot be read for another reason (damaged: the reason to restore) is
// not in use.
func notInUse(ctx context.Context, path string) error {
	if _, err := os.Lstat(path); err != nil || strings.ContainsRune(path, '?') {
		return nil
	}
	db, err := sql.Open("sqlite3", path+"?_locking_mode=EXCLUSIVE&_busy_timeout=0")
	if err != nil {
		return nil
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_schema`).Scan(&n); Busy(err) {
		return app.Errorf(app.ECONFLICT, "il database %s è aperto da un altro programma: fermare l'hub (o chiudere l'applicazione) e riprovare", path)
	}
	return nil
}

// Restore puts the backup file in place of the database at live, which the
// program owning it must not have open (ECONFLICT when it is seen to have
// it open). The backup is verified first
// (Verify with fsys): a refused file leaves live untouched. The current
// database, with its WAL beside it, is kept as live.before-restore-TIME
// (returned as aside; "" when there was none); the backup itself is
// copied, never moved, so that it can serve again.
func Restore(ctx context.Context, live, file string, fsys fs.FS, now time.Time) (aside string, err error) {
	if _, err := Verify(ctx, file, fsys); err != nil {
		return "", err
	}
	if err := notInUse(ctx, live); err != nil {
		return "", err
	}
	tmp, err := tempBeside(live)
	if err != nil {
		return "", fmt.Errorf("restore %s: %w", live, err)
	}
	defer os.Remove(tmp)
	// A copy through SQLite rather than of the bytes: a backup file with a
	// WAL of its own beside it still gives one consistent database.
	if err := vacuumInto(ctx, file, tmp); err != nil {
		return "", fmt.Errorf("restore %s from %s: %w", live, file, err)
	}
	if err := checkFile(ctx, tmp); err != nil {
		return "", fmt.Errorf("restore %s: the copy failed its check: %w", live, err)
	}
	if err := syncFile(tmp); err != nil {
		return "", fmt.Errorf("restore %s: %w", live, err)
	}
	if _, err := os.Lstat(live); err == nil {
		aside = live + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		if _, err := os.Lstat(aside); err == nil {
			return "", app.Errorf(app.ECONFLICT, "il file %s esiste già: riprovare tra un secondo", aside)
		}
		// The WAL and its index travel with the file: committed work
		// not yet checkpointed is in the WAL, and SQLite finds it by name.
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(live+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("restore %s: keep the current database aside: %w", live, err)
			}
		}
	}
	if err := os.Rename(tmp, live); err != nil {
		return aside, fmt.Errorf("restore %s: %w", live, err)
	}
	syncDir(filepath.Dir(live))
	return aside, nil
}
