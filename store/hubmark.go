package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
)

// Reconcile compares the hub's mark m with the operations the hub
// confirmed to this workstation, in one transaction. The hub is found
// restored from an older copy when its epoch changed or when it holds
// fewer of our operations than it confirmed (a copy put back by hand
// keeps its epoch). Then every confirmed operation above its mark goes
// back in line, in its order, with the hub's earlier answer as Prior;
// when the counts show that the hub lacks some below its mark too (an
// operation parked, resolved and applied after later ones), every
// confirmed operation goes back: the hub answers those it holds from its
// record, so sending one again never applies it twice. The cursors start
// again from zero (the restored hub numbers its changes anew), and a
// download in progress starts over.
func (s *Store) Reconcile(ctx context.Context, m app.HubMark, at time.Time) (app.Reconciliation, error) {
	var rec app.Reconciliation
	// Most answers carry the mark seen last, with nothing lacking: read,
	// not written (every poll of the hub comes here).
	local, err := s.LocalMark(ctx)
	if err != nil {
		return rec, fmt.Errorf("reconcile with the hub's mark: %w", err)
	}
	var seen app.HubMark
	err = s.db.QueryRowContext(ctx, `SELECT epoch, seq, applied, backed_up FROM hub_mark WHERE id = 1`).
		Scan(&seen.Epoch, &seen.Seq, &seen.Applied, &seen.BackedUp)
	if err == nil && seen == m && m.Seq >= local.Seq && m.Applied >= local.Applied {
		return rec, nil
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var epoch string
		err = tx.QueryRowContext(ctx, `SELECT epoch FROM hub_mark WHERE id = 1`).Scan(&epoch)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var top, done int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0), count(*) FROM outbox WHERE device = ? AND state = ?`,
			device, string(app.OpDone)).Scan(&top, &done); err != nil {
			return err
		}
		newEpoch := epoch != "" && m.Epoch != epoch
		rec.Restored = newEpoch || m.Seq < top || m.Applied < done
		if rec.Restored {
			requeue := `UPDATE outbox SET state = ?, attempts = 0, reason = '', last_error = '', done_at = ''
				WHERE device = ? AND state = ? AND seq > ?`
			r, err := tx.ExecContext(ctx, requeue, string(app.OpPending), device, string(app.OpDone), m.Seq)
			if err != nil {
				return err
			}
			n, _ := r.RowsAffected()
			rec.Lacked, rec.Resent = int(n), int(n)
			if done-n > m.Applied {
				r, err := tx.ExecContext(ctx, requeue, string(app.OpPending), device, string(app.OpDone), 0)
				if err != nil {
					return err
				}
				n, _ := r.RowsAffected()
				rec.Resent += int(n)
			}
			if err := restartCursor(ctx, tx, app.ScopeNetwork); err != nil {
				return err
			}
			// The comune's scope is downloaded again (its cursor at zero).
			if _, err := tx.ExecContext(ctx, `UPDATE cursors SET seq = 0`); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM snapshot_state`); err != nil {
				return err
			}
		}
		restoredAt := ""
		if rec.Restored {
			restoredAt = formatTime(at)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO hub_mark (id, epoch, seq, applied, backed_up, seen_at, restored_at, resent)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq, applied = excluded.applied,
				backed_up = excluded.backed_up, seen_at = excluded.seen_at,
				restored_at = CASE WHEN excluded.restored_at = '' THEN restored_at ELSE excluded.restored_at END,
				resent = CASE WHEN excluded.restored_at = '' THEN resent ELSE excluded.resent END`,
			m.Epoch, m.Seq, m.Applied, m.BackedUp, formatTime(at), restoredAt, rec.Resent)
		return err
	})
	if err != nil {
		return app.Reconciliation{}, fmt.Errorf("reconcile with the hub's mark: %w", err)
	}
	return rec, nil
}

// LocalMark is what this workstation holds of the hub: the epoch of the
// hub that answered last ("" before the first answer with a mark), the
// highest seq of the operations the hub confirmed and how many it
// confirmed. A push carries it, so that a restored hub refuses new
// operations until the ones it lacks went before them. Confirmed counts
// the operations sent again after a restore too (pending, with the
// earlier answer kept: Reconcile).
func (s *Store) LocalMark(ctx context.Context) (app.HubMark, error) {
	var m app.HubMark
	err := s.db.QueryRowContext(ctx, `SELECT coalesce((SELECT epoch FROM hub_mark WHERE id = 1), ''),
		coalesce(max(CASE WHEN state = ? THEN seq END), 0), count(CASE WHEN state = ? THEN 1 END),
		coalesce(max(seq), 0) FROM outbox
		WHERE (state = ? OR state = ? AND result != '') AND device = (SELECT device FROM profile WHERE id = 1)`,
		string(app.OpDone), string(app.OpDone), string(app.OpDone), string(app.OpPending)).Scan(&m.Epoch, &m.Seq, &m.Applied, &m.Confirmed)
	if err != nil {
		return app.HubMark{}, fmt.Errorf("local mark: %w", err)
	}
	return m, nil
}

// RestartCursor moves the cursor of scope back to zero: the hub no longer
// knows its position (a hub restored from a backup) and the scope is read
// again from the start. Records are written whole, so reading them again
// changes nothing that is still so.
// Until SweepRestarted, the scope's records are marked as not yet read
// again.
func (s *Store) RestartCursor(ctx context.Context, scope string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error { return restartCursor(ctx, tx, scope) })
	if err != nil {
		return fmt.Errorf("restart cursor %s: %w", scope, err)
	}
	return nil
}

// unread marks a record that a scope read again from the start has not
// delivered yet (snapshot_gen is otherwise NULL outside a download).
const unread = -1

func restartCursor(ctx context.Context, tx *sql.Tx, scope string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE cursors SET seq = 0 WHERE scope = ?`, scope); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE records SET snapshot_gen = ? WHERE scope = ?`, unread, scope)
	return err
}

// SweepRestarted ends the reading again of scope from the start: the
// records it did not deliver are no longer at the hub and are deleted.
func (s *Store) SweepRestarted(ctx context.Context, scope string) error {
	if _, err := s.exec(ctx, `DELETE FROM records WHERE scope = ? AND snapshot_gen = ?`, scope, unread); err != nil {
		return fmt.Errorf("sweep %s: %w", scope, err)
	}
	return nil
}
