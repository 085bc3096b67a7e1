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
		var top, done, prunedTop int64
		if err := tx.QueryRowContext(ctx, `SELECT max(coalesce(max(o.seq), 0), coalesce((SELECT pruned_top FROM hub_mark WHERE id = 1), 0)),
			count(o.seq) + coalesce((SELECT pruned FROM hub_mark WHERE id = 1), 0),
			coalesce((SELECT pruned_top FROM hub_mark WHERE id = 1), 0)
			FROM outbox o WHERE o.device = ? AND o.state = ?`,
			device, string(app.OpDone)).Scan(&top, &done, &prunedTop); err != nil {
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
			// Audit operations removed after a backup confirmed them
			// (PruneConfirmed) cannot be sent again: a hub put back from
			// an older copy than that lacks them for good.
			rec.Pruned = m.Seq < prunedTop
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
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(h.epoch, ''),
		max(coalesce(o.top, 0), coalesce(h.pruned_top, 0)), coalesce(o.done, 0) + coalesce(h.pruned, 0),
		max(coalesce(o.confirmed, 0), coalesce(h.pruned_top, 0))
		FROM (SELECT 1) LEFT JOIN hub_mark h ON h.id = 1
		LEFT JOIN (SELECT max(CASE WHEN state = ? THEN seq END) AS top, count(CASE WHEN state = ? THEN 1 END) AS done,
			max(seq) AS confirmed FROM outbox
			WHERE (state = ? OR state = ? AND result != '') AND device = (SELECT device FROM profile WHERE id = 1)) o`,
		string(app.OpDone), string(app.OpDone), string(app.OpDone), string(app.OpPending)).Scan(&m.Epoch, &m.Seq, &m.Applied, &m.Confirmed)
	if err != nil {
		return app.HubMark{}, fmt.Errorf("local mark: %w", err)
	}
	return m, nil
}

// PruneAfter is how long an audit operation the hub confirmed, and held in
// a backup it confirmed, stays in the outbox: a hub put back from a backup
// older than its newest is still sent what it lacks for that long.
const PruneAfter = 30 * 24 * time.Hour

// PruneConfirmed removes from the outbox the audit operations the hub
// applied and holds in its newest sound backup (the mark's BackedUp),
// answered more than PruneAfter before now, and returns how many. The
// events stay in the audit table, with their chain; only their transport
// goes. Other kinds stay: their rows are read as the record of the facts
// they carried (refunds, certificates, appointments). The device's newest
// operation stays too, since the next one is numbered after it. What is
// removed keeps counting in LocalMark.
func (s *Store) PruneConfirmed(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var backedUp int64
		err = tx.QueryRowContext(ctx, `SELECT backed_up FROM hub_mark WHERE id = 1`).Scan(&backedUp)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // no hub has answered with a mark yet
		}
		if err != nil || backedUp <= 0 {
			return err
		}
		const which = `FROM outbox WHERE device = ?1 AND state = ?2 AND kind = ?3 AND seq <= ?4 AND done_at != '' AND done_at < ?5
			AND seq < (SELECT max(seq) FROM outbox WHERE device = ?1)`
		args := []any{device, string(app.OpDone), app.OpAudit, backedUp, formatTime(now.Add(-PruneAfter))}
		var top int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(seq), 0) `+which, args...).Scan(&n, &top); err != nil || n == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE `+which, args...); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE hub_mark SET pruned = pruned + ?, pruned_top = max(pruned_top, ?) WHERE id = 1`, n, top)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune the outbox: %w", err)
	}
	return n, nil
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
