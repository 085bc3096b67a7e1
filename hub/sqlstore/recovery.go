package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
)

// Recovery after a restore (issue 11). A hub restored from a backup cannot
// know which protocol numbers and blocks of IUVs it handed out after that
// backup: the workstations that took them hold them, and send them back
// (their operations confirmed then come again with the hub's earlier answer,
// op.Prior). Until every device of a comune that takes numbers has done so,
// the comune is in recovery: what comes back with its earlier number keeps
// it, and nothing new is numbered (ErrNumberingSuspended), so that a number
// on a receipt in a citizen's hands is never given to another request. It
// is the "registro di emergenza" of DPR 445/2000 art. 63: the numbering stays
// unique and without gaps.
//
// There is no timeout: a device that never comes back (stolen, broken) is
// released by a person (ReleaseDevice), or by its revocation, since an
// automatic end would give its numbers again.

// numberingRoles are the roles whose devices take protocol numbers or IUV
// blocks (routes.go pushes: a kiosk takes requests of certificates by post
// and queue tickets; a board only its audit trail).
var numberingRoles = []DeviceRole{RoleCounter, RoleKiosk}

// ErrNumberingSuspended answers a request to number something new while
// its comune is in recovery. It is not a failure: the workstation keeps the
// request with its provisional number and sends it again later.
func ErrNumberingSuspended(comune string) error {
	return app.Errorf(app.EPENDING, "centro servizi ripristinato da un backup: numerazione del comune %s sospesa finché tutte le postazioni non hanno reinviato il loro lavoro", comune)
}

// enterRecovery puts every comune of the restored database in recovery,
// awaiting its active devices that take numbers, in tx.
func enterRecovery(ctx context.Context, tx *sql.Tx, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_devices`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_devices (device, comune, since)
		SELECT id, comune, ? FROM devices WHERE revoked_at IS NULL AND role IN (?, ?)`,
		ts(now), string(numberingRoles[0]), string(numberingRoles[1])); err != nil {
		return fmt.Errorf("enter recovery: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO recovery_log (at, comune, device, event, actor)
		SELECT since, comune, device, 'awaited', 'restore' FROM recovery_devices`)
	return err
}

// inRecovery tells whether comune awaits devices after a restore.
func inRecovery(ctx context.Context, q queryer, comune string) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM recovery_devices WHERE comune = ?`, comune).Scan(&n); err != nil {
		return false, fmt.Errorf("recovery of %s: %w", comune, err)
	}
	return n > 0, nil
}

// holdNumbering refuses (ErrNumberingSuspended) to number something new
// for comune while it is in recovery.
func holdNumbering(ctx context.Context, q queryer, comune string) error {
	held, err := inRecovery(ctx, q, comune)
	if err != nil {
		return err
	}
	if held {
		return ErrNumberingSuspended(comune)
	}
	return nil
}

// Reconciled is called with every exchange of dev that names what the
// device holds confirmed: epoch, the hub's epoch it knows, and confirmed,
// the highest of its operations any copy of the hub confirmed to it (those
// it is sending again included). dev has reconciled when it speaks of this
// copy of the hub and the hub has applied all of that: its awaited row goes,
// and ended names the comune that left recovery with it ("" otherwise).
// It is the device's word about itself only: the device is the one the
// token authenticated, and a claim on an older epoch (a replayed request)
// counts for nothing.
func (d *DB) Reconciled(ctx context.Context, dev *Device, epoch string, confirmed int64) (ended string, err error) {
	var comune string
	err = d.rd.QueryRowContext(ctx, `SELECT comune FROM recovery_devices WHERE device = ?`, dev.ID).Scan(&comune)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil // the usual case: one read by key
	}
	if err != nil {
		return "", fmt.Errorf("recovery of %s: %w", dev.ID, err)
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		now := ts(d.now())
		var current string
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT h.epoch, coalesce(m.seq, 0) FROM hub_state h LEFT JOIN device_marks m ON m.device = ?`,
			dev.ID).Scan(&current, &seq); err != nil {
			return err
		}
		if epoch != current || confirmed > seq {
			_, err := tx.ExecContext(ctx, `UPDATE recovery_devices SET seen_at = ? WHERE device = ?`, now, dev.ID)
			return err
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM recovery_devices WHERE device = ?`, dev.ID)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return nil // another exchange of the device did it
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_log (at, comune, device, event) VALUES (?, ?, ?, 'reconciled')`,
			now, comune, dev.ID); err != nil {
			return err
		}
		ended, err = endRecovery(ctx, tx, comune, now)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("recovery of %s: %w", dev.ID, err)
	}
	return ended, nil
}

// endRecovery logs the end of comune's recovery when no device is awaited
// any more, and returns the comune then.
func endRecovery(ctx context.Context, tx *sql.Tx, comune, now string) (string, error) {
	held, err := inRecovery(ctx, tx, comune)
	if err != nil || held {
		return "", err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO recovery_log (at, comune, event) VALUES (?, ?, 'ended')`, now, comune)
	return comune, err
}

// releaseTx stops awaiting device, for the reason event (released,
// revoked), in tx; ended is its comune if that left recovery.
func releaseTx(ctx context.Context, tx *sql.Tx, device, event, actor, reason string, now time.Time) (ended string, found bool, err error) {
	var comune string
	err = tx.QueryRowContext(ctx, `DELETE FROM recovery_devices WHERE device = ? RETURNING comune`, device).Scan(&comune)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_log (at, comune, device, event, actor, reason) VALUES (?, ?, ?, ?, ?, ?)`,
		ts(now), comune, device, event, actor, reason); err != nil {
		return "", false, err
	}
	ended, err = endRecovery(ctx, tx, comune, ts(now))
	return ended, true, err
}

// ReleaseDevice stops awaiting device after a restore, on a person's
// decision (actor, reason: both recorded in the recovery log): a device
// that will not come back (stolen, broken, given up). What it had been
// confirmed after the backup is then lost to the hub, and its numbers may
// be given again: the person checks the comune's emergency register first.
// ended is its comune if that left recovery. ENOTFOUND when the device is
// not awaited.
func (d *DB) ReleaseDevice(ctx context.Context, device, actor, reason string) (ended string, err error) {
	if actor == "" || reason == "" {
		return "", app.Errorf(app.EINVALID, "chi rilascia la postazione e perché vanno indicati")
	}
	err = d.tx(ctx, func(tx *sql.Tx) error {
		var found bool
		ended, found, err = releaseTx(ctx, tx, device, "released", actor, reason, d.now())
		if err == nil && !found {
			return app.Errorf(app.ENOTFOUND, "la postazione %s non è attesa da nessun comune in ripristino", device)
		}
		return err
	})
	return ended, err
}

// Recovery lists the devices awaited by comune ("" for every comune), by
// comune and device.
func (d *DB) Recovery(ctx context.Context, comune string) ([]AwaitedDevice, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.comune, r.device, d.name, d.role, r.since,
		CASE WHEN r.seen_at != '' THEN r.seen_at ELSE coalesce((SELECT max(applied_at) FROM ops WHERE device = r.device), '') END
		FROM recovery_devices r JOIN devices d ON d.id = r.device
		WHERE ? = '' OR r.comune = ? ORDER BY r.comune, r.device`, comune, comune)
	if err != nil {
		return nil, fmt.Errorf("recovery: %w", err)
	}
	defer rows.Close()
	var out []AwaitedDevice
	for rows.Next() {
		var a AwaitedDevice
		var since, seen string
		if err := rows.Scan(&a.Comune, &a.Device, &a.Name, &a.Role, &since, &seen); err != nil {
			return nil, err
		}
		a.Since, _ = time.Parse(time.RFC3339Nano, since)
		if seen != "" {
			a.LastSeen, _ = time.Parse(time.RFC3339Nano, seen)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// RecoveryLog lists the recovery log of comune ("" for all), oldest first.
func (d *DB) RecoveryLog(ctx context.Context, comune string) ([]RecoveryEvent, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT at, comune, device, event, actor, reason FROM recovery_log
		WHERE ? = '' OR comune = ? ORDER BY id`, comune, comune)
	if err != nil {
		return nil, fmt.Errorf("recovery log: %w", err)
	}
	defer rows.Close()
	var out []RecoveryEvent
	for rows.Next() {
		var e RecoveryEvent
		var at string
		if err := rows.Scan(&at, &e.Comune, &e.Device, &e.Event, &e.Actor, &e.Reason); err != nil {
			return nil, err
		}
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, e)
	}
	return out, rows.Err()
}
