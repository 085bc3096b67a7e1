package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/sportello/sportello/app"
)

// StorageError returns err as the domain's ESTORAGE when SQLite says the
// file at path is damaged, or its disk is full or failing: the person at
// the counter must read what happened and that nothing was recorded, not
// "Errore interno". Any other error is returned as it is. The SQLite error
// stays in the chain for the log.
func StorageError(path string, err error) error {
	var se sqlite3.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	var e *app.Error
	switch se.Code {
	case sqlite3.ErrFull:
		e = app.Errorf(app.ESTORAGE, "disco pieno: l'operazione non è stata registrata. Liberare spazio sul disco (%s) e riprovare", path)
	case sqlite3.ErrIoErr:
		e = app.Errorf(app.ESTORAGE, "errore di lettura/scrittura del disco: l'operazione non è stata registrata. Controllare il disco (%s) e riprovare", path)
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		e = damaged(path, se.Error())
	default:
		return err
	}
	return fmt.Errorf("%w [%v]", e, err)
}

// Busy tells whether err is SQLite giving up on a lock another
// connection or process holds (the busy timeout ran out): the database is
// busy, not the operation at fault.
func Busy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

func damaged(path, detail string) *app.Error {
	return app.Errorf(app.ESTORAGE, "il database %s è danneggiato (%s): non vi si registra nulla. Rivolgersi all'assistenza per ripristinarlo", path, detail)
}

// QuickCheck runs SQLite's quick_check on the database at path: a
// damaged page is found when the file is opened, not when the operator
// has been told a fact is recorded that can never be read back. ESTORAGE,
// naming the file, when it is damaged.
func QuickCheck(ctx context.Context, db *sql.DB, path string) error {
	return quickCheck(ctx, db, path, `PRAGMA quick_check`)
}

// QuickCheckTables runs quick_check on each of tables and its indexes
// only: what a file holds that nothing else can rebuild is checked in
// milliseconds, where the whole file of a large comune takes seconds.
func QuickCheckTables(ctx context.Context, db *sql.DB, path string, tables []string) error {
	for _, t := range tables {
		if strings.ContainsAny(t, `"'`) {
			return fmt.Errorf("quick_check: bad table name %q", t)
		}
		if err := quickCheck(ctx, db, path, `PRAGMA quick_check("`+t+`")`); err != nil {
			return err
		}
	}
	return nil
}

func quickCheck(ctx context.Context, db *sql.DB, path, pragma string) error {
	rows, err := db.QueryContext(ctx, pragma)
	if err != nil {
		return StorageError(path, fmt.Errorf("quick_check %s: %w", path, err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return StorageError(path, fmt.Errorf("quick_check %s: %w", path, err))
		}
		if line != "ok" && len(problems) < 3 {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return StorageError(path, fmt.Errorf("quick_check %s: %w", path, err))
	}
	if len(problems) > 0 {
		return damaged(path, strings.Join(problems, "; "))
	}
	return nil
}
