package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/sqlitedb"
)

// Salvaged is what a salvage of a damaged cache did.
type Salvaged struct {
	// Aside is where the damaged cache is kept, untouched.
	Aside string
	// Kept are the tables of the workstation's own records read whole
	// from it; Partial those of which only the rows on readable pages
	// could be read, with how many rows were not (they are in Aside
	// only); Lost those that could not be read at all.
	Kept, Lost []string
	Partial    map[string]int
	// Pending and Parked are the operations not yet accepted by the hub,
	// carried into the new cache.
	Pending, Parked int
}

// salvaged are the tables Salvage carries into the new cache: the
// workstation's own records (nothing else holds them until the hub has
// them) and what it knows of the hub. The anagrafe, records, operators and
// reference tables are downloaded again: the cursors start from zero.
var salvaged = append(slicesWithout(ownTables, "cursors", "snapshot_state"), "hub_mark")

func slicesWithout(all []string, drop ...string) []string {
	var out []string
outer:
	for _, t := range all {
		for _, d := range drop {
			if t == d {
				continue outer
			}
		}
		out = append(out, t)
	}
	return out
}

// Salvage replaces the damaged cache at path (refused by Open, or whose
// check failed) with a new one: the damaged file and its WAL are kept
// aside as path.damaged-TIME, a new cache is made at path, and every table
// of the workstation's own records that can still be read is copied into
// it, the profile and the outbox first among them; the next sync downloads
// the comune again and sends what the hub has not taken. No process may
// have the cache open. A file whose profile cannot be read leaves nothing
// to salvage (ESTORAGE): the workstation must be enrolled again.
func Salvage(ctx context.Context, path string, now time.Time) (*Salvaged, error) {
	if _, err := os.Lstat(path); err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "nessun archivio da recuperare in %s", path)
	}
	aside := path + ".damaged-" + now.UTC().Format("20060102T150405Z")
	if _, err := os.Lstat(aside); err == nil {
		return nil, app.Errorf(app.ECONFLICT, "il file %s esiste già: riprovare tra un secondo", aside)
	}
	// The WAL travels with the file: committed work not yet checkpointed
	// is in it, and SQLite finds it by name.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+suffix, aside+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("salvage %s: set the damaged cache aside: %w", path, err)
		}
	}
	r := &Salvaged{Aside: aside}
	db, err := sqlitedb.Open(path)
	if err != nil {
		return r, fmt.Errorf("salvage: %w", err)
	}
	defer db.Close()
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlitedb.Migrate(ctx, db, sub); err != nil {
		return r, fmt.Errorf("salvage: new cache: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return r, err
	}
	defer conn.Close()
	// Rows are copied as they were; a fact whose row could not be read
	// must not stop the others.
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return r, err
	}
	for _, table := range salvaged {
		unread, err := copyTable(ctx, conn, aside, table)
		switch {
		case err != nil:
			r.Lost = append(r.Lost, table)
		case unread > 0:
			if r.Partial == nil {
				r.Partial = map[string]int{}
			}
			r.Partial[table] = unread
		default:
			r.Kept = append(r.Kept, table)
		}
	}
	var device string
	if err := conn.QueryRowContext(ctx, `SELECT device FROM profile WHERE id = 1`).Scan(&device); err != nil {
		return r, app.Errorf(app.ESTORAGE, "l'archivio %s è danneggiato anche nel profilo della postazione: non si può recuperare, la postazione va attivata di nuovo (l'archivio danneggiato resta in %s)", path, aside)
	}
	for _, c := range []struct {
		n     *int
		state app.OpState
	}{{&r.Pending, app.OpPending}, {&r.Parked, app.OpParked}} {
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE state = ?`, string(c.state)).Scan(c.n); err != nil {
			return r, err
		}
	}
	return r, nil
}

// copyTable copies the rows of table from the damaged cache into the new
// one: in one statement when every page of it can be read; otherwise in
// ranges of rowid, and a range that cannot be read row by row, so that
// every row on a readable page is kept (copyRows). It returns how many
// rows could not be read. The damaged file is attached for this table
// alone: SQLite may keep refusing a file after it met a damaged page in
// it. Only the columns both have are copied (the damaged file may be of an
// earlier version).
func copyTable(ctx context.Context, conn *sql.Conn, aside, table string) (unread int, err error) {
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS damaged`, aside); err != nil {
		return 0, err
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE damaged`)
	cols, err := commonColumns(ctx, conn, table)
	if err != nil || len(cols) == 0 {
		return 0, fmt.Errorf("copy %s: no columns in common (%v)", table, err)
	}
	list := `"` + strings.Join(cols, `", "`) + `"`
	copyWhere := fmt.Sprintf(`INSERT OR REPLACE INTO main."%s" (%s) SELECT %s FROM damaged."%s"`, table, list, list, table)
	if _, err := conn.ExecContext(ctx, copyWhere); err == nil {
		return 0, nil
	}
	return copyRows(ctx, conn, aside, table, copyWhere+` WHERE rowid > ? AND rowid <= ?`)
}

// Ranges of rowid copyRows reads at once, and the highest rowid it tries:
// the cache's own tables number their rows from 1, a few hundred thousand
// at most.
const (
	salvageRange    = 256
	salvageMaxRowid = 10_000_000
)

// copyRows copies table by ranges of rowid with the statement copy (its
// two arguments bound the range), a range that fails row by row; the
// damaged file is attached again after each failure. It returns the rows
// it could not read: the rowids in a failed range that the file's index
// says exist, or, when even that cannot be read, the whole range.
func copyRows(ctx context.Context, conn *sql.Conn, aside, table, copy string) (int, error) {
	var top sql.NullInt64
	if err := conn.QueryRowContext(ctx, fmt.Sprintf(`SELECT max(rowid) FROM damaged."%s"`, table)).Scan(&top); err != nil {
		return 0, fmt.Errorf("copy %s: %w", table, err)
	}
	if !top.Valid || top.Int64 > salvageMaxRowid {
		return 0, fmt.Errorf("copy %s: no range of rows to read", table)
	}
	reattach := func() {
		conn.ExecContext(context.Background(), `DETACH DATABASE damaged`)
		conn.ExecContext(ctx, `ATTACH DATABASE ? AS damaged`, aside)
	}
	unread := 0
	for lo := int64(0); lo < top.Int64; lo += salvageRange {
		if _, err := conn.ExecContext(ctx, copy, lo, lo+salvageRange); err == nil {
			continue
		}
		reattach()
		for id := lo + 1; id <= lo+salvageRange && id <= top.Int64; id++ {
			if _, err := conn.ExecContext(ctx, copy, id-1, id); err != nil {
				unread++
				reattach()
			}
		}
	}
	return unread, nil
}

func commonColumns(ctx context.Context, conn *sql.Conn, table string) ([]string, error) {
	names := func(schema string) (map[string]bool, []string, error) {
		rows, err := conn.QueryContext(ctx, fmt.Sprintf(`SELECT name FROM pragma_table_info('%s', '%s')`, table, schema))
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		set, order := map[string]bool{}, []string(nil)
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return nil, nil, err
			}
			set[n] = true
			order = append(order, n)
		}
		return set, order, rows.Err()
	}
	_, mine, err := names("main")
	if err != nil {
		return nil, err
	}
	theirs, _, err := names("damaged")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range mine {
		if theirs[n] {
			out = append(out, n)
		}
	}
	return out, nil
}
