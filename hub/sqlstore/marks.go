package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/internal/sqlitedb"
)

// raiseMark counts an applied operation of device in the transaction
// that applies it.
func raiseMark(ctx context.Context, tx *sql.Tx, device string, seq int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO device_marks (device, seq, applied) VALUES (?, ?, 1)
		ON CONFLICT (device) DO UPDATE SET seq = CASE WHEN device_marks.seq > excluded.seq THEN device_marks.seq ELSE excluded.seq END,
			applied = device_marks.applied + 1`, device, seq)
	if err != nil {
		return fmt.Errorf("mark of %s: %w", device, err)
	}
	return nil
}

// DeviceMark returns the hub's mark for device: one row by key, cheap
// enough for every answer.
func (d *DB) DeviceMark(ctx context.Context, device string) (Mark, error) {
	m := Mark{BackedUp: -1}
	err := d.rd.QueryRowContext(ctx, `SELECT h.epoch, coalesce(m.seq, 0), coalesce(m.applied, 0), coalesce(b.seq, -1)
		FROM hub_state h LEFT JOIN device_marks m ON m.device = ? LEFT JOIN backup_marks b ON b.device = ?`,
		device, device).Scan(&m.Epoch, &m.Seq, &m.Applied, &m.BackedUp)
	if err != nil {
		return Mark{}, fmt.Errorf("mark of %s: %w", device, err)
	}
	return m, nil
}

// newEpoch draws a new epoch for the database at path, just restored, and
// puts its comuni in recovery.
func newEpoch(ctx context.Context, path string, now time.Time) error {
	db, err := Open(ctx, path) // migrates a backup of an older hub
	if err != nil {
		return err
	}
	defer db.Close()
	var b [16]byte
	rand.Read(b[:])
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE hub_state SET epoch = ?, restored_at = ?`, hex.EncodeToString(b[:]), ts(now)); err != nil {
			return err
		}
		return enterRecovery(ctx, tx, now) // recovery.go
	})
}

// backupMark is a device's mark in a backup file.
type backupMark struct {
	device       string
	seq, applied int64
}

// readBackupMarks reads the marks a backup file holds, from the file
// itself, without opening it as a hub (that would migrate it).
func readBackupMarks(ctx context.Context, file string) ([]backupMark, error) {
	src, err := sqlitedb.OpenReadOnly(file)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	rows, err := src.QueryContext(ctx, `SELECT device, seq, applied FROM device_marks`)
	if err != nil {
		return nil, fmt.Errorf("marks of backup %s: %w", file, err)
	}
	defer rows.Close()
	var marks []backupMark
	for rows.Next() {
		var m backupMark
		if err := rows.Scan(&m.device, &m.seq, &m.applied); err != nil {
			return nil, err
		}
		marks = append(marks, m)
	}
	return marks, rows.Err()
}

// writeBackupMarks records the marks of a sound backup taken at at.
func writeBackupMarks(ctx context.Context, tx *sql.Tx, marks []backupMark, at time.Time) error {
	for _, m := range marks {
		// Never backwards: an older backup recorded late does not
		// withdraw what a newer one confirmed.
		if _, err := tx.ExecContext(ctx, `INSERT INTO backup_marks (device, seq, applied, taken_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, applied = excluded.applied, taken_at = excluded.taken_at
			WHERE excluded.seq >= backup_marks.seq`, m.device, m.seq, m.applied, ts(at)); err != nil {
			return fmt.Errorf("record backup marks: %w", err)
		}
	}
	return nil
}

// recordBackup writes into the hub database at live (not opened as a
// hub: a serving hub may hold it) the marks that the sound backup file
// holds: the workstations learn from their next exchange which of their
// operations a restore from it would keep.
func recordBackup(ctx context.Context, live, file string, at time.Time) error {
	marks, err := readBackupMarks(ctx, file)
	if err != nil {
		return err
	}
	db, err := sqlitedb.Open(live)
	if err != nil {
		return err
	}
	defer db.Close()
	// A writer holding the hub (an import) must not hold up the backup
	// for long: the marks are recorded at the next backup then.
	if _, err := db.ExecContext(ctx, `PRAGMA busy_timeout = 1000`); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record backup marks: %w", err)
	}
	defer tx.Rollback()
	if err := writeBackupMarks(ctx, tx, marks, at); err != nil {
		return err
	}
	return tx.Commit()
}

// ErrNotRecorded is wrapped by a Backup whose file is sound but whose
// marks the hub could not record (the hub busy, say): the backup is done;
// the workstations learn of the marks at the next backup.
var ErrNotRecorded = errors.New("backup not recorded in the hub")

func backupRecorded(out string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s: %v", ErrNotRecorded, out, err)
}
