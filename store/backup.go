package store

import (
	"context"
	"fmt"
	"io/fs"
	"time"

	"github.com/sportello/sportello/internal/sqlitedb"
)

// Backup writes a consistent copy of the workstation's cache at path to the
// new file out, even while the counter has it open and writes: the copy is
// read on a connection of its own and checked before Backup returns. An
// existing out is refused (ECONFLICT).
func Backup(ctx context.Context, path, out string) error {
	return sqlitedb.Backup(ctx, path, out)
}

// Restored is what a restore of a workstation's cache did.
type Restored struct {
	// Aside is where the cache of before the restore was kept ("" when
	// there was none).
	Aside string
	// Pending and Parked are the backup's operations not yet accepted by
	// the hub: they are still to be sent, from the backup's outbox.
	Pending, Parked int
}

// Restore puts the backup file in place of the cache at path, which no
// process may have open (the counter, a command). A file that is damaged,
// is not a workstation's cache or comes from a newer version is refused
// (EINVALID) and the cache is left as it was; the cache of before is kept
// as path.before-restore-TIME.
func Restore(ctx context.Context, path, file string, now time.Time) (*Restored, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	aside, err := sqlitedb.Restore(ctx, path, file, sub, now)
	if err != nil {
		return nil, err
	}
	r := &Restored{Aside: aside}
	// Opened as the counter will open it: migrated, checked, and its outbox
	// read where the sync engine reads it.
	st, err := Open(path)
	if err != nil {
		return r, fmt.Errorf("restore: open the restored cache: %w", err)
	}
	defer st.Close()
	if r.Pending, r.Parked, err = st.OutboxCounts(ctx); err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	return r, nil
}
