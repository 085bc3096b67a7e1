package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

var _ request.NoticeQueue = (*DB)(nil)

// noticeLease is how long a claimed notice is its worker's: a worker sends
// within seconds; a claim older than this is a worker that stopped.
const noticeLease = 10 * time.Minute

// ClaimNotices moves up to limit due notices to "sending", in one
// transaction, and returns them. The claim holds for noticeLease (next_at
// says until when): hub processes sharing one database never claim one
// notice twice, and none takes another's live claim for a stopped one.
func (d *DB) ClaimNotices(ctx context.Context, now time.Time, limit int) ([]request.Notice, error) {
	var out []request.Notice
	err := d.tx(ctx, func(tx *sql.Tx) error {
		out = nil // the transaction may run again (tx)
		rows, err := tx.QueryContext(ctx, `SELECT id, request, comune, channel, recipient, subject, body, attempts, created_at FROM notices
			WHERE state = ? AND next_at <= ? ORDER BY next_at LIMIT ?`, request.NoticeQueued, ts(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var n request.Notice
			var created string
			if err := rows.Scan(&n.ID, &n.Request, &n.Comune, &n.Channel, &n.Recipient, &n.Subject, &n.Body, &n.Attempts, &created); err != nil {
				rows.Close()
				return err
			}
			n.CreatedAt, _ = time.Parse(time.RFC3339Nano, created)
			n.Attempts++
			out = append(out, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, n := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE notices SET state = ?, attempts = ?, next_at = ? WHERE id = ?`,
				request.NoticeSending, n.Attempts, ts(now.Add(noticeLease)), n.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// NoticeSent marks a claimed notice sent.
func (d *DB) NoticeSent(ctx context.Context, id string, at time.Time) error {
	return d.setNotice(ctx, id, `UPDATE notices SET state = ?, sent_at = ?, last_error = '' WHERE id = ? AND state = ?`,
		request.NoticeSent, ts(at), id, request.NoticeSending)
}

// NoticeFailed records a failed attempt: back to the queue for retryAt, or
// failed for good.
func (d *DB) NoticeFailed(ctx context.Context, id, reason string, retryAt time.Time, final bool) error {
	state := request.NoticeQueued
	if final {
		state = request.NoticeFailed
	}
	return d.setNotice(ctx, id, `UPDATE notices SET state = ?, next_at = ?, last_error = ? WHERE id = ? AND state = ?`,
		state, ts(retryAt), reason, id, request.NoticeSending)
}

func (d *DB) setNotice(ctx context.Context, id, q string, args ...any) error {
	r, err := d.db.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "avviso %s non in invio", id)
	}
	return nil
}

// RecoverNotices turns notices left "sending" past their claim into
// "uncertain": a worker stopped between handing them to the server and
// marking them, so they may have been delivered. They are not sent again
// unless a person requeues them (RequeueNotice). A claim still running is
// another hub process's, left alone.
func (d *DB) RecoverNotices(ctx context.Context) (int, error) {
	r, err := d.db.ExecContext(ctx, `UPDATE notices SET state = ?, last_error = 'interrotto durante l''invio: forse consegnato'
		WHERE state = ? AND next_at <= ?`, request.NoticeUncertain, request.NoticeSending, ts(d.now()))
	if err != nil {
		return 0, err
	}
	n, _ := r.RowsAffected()
	return int(n), nil
}

// RequeueNotice puts an uncertain or failed notice back in the queue, on a
// person's decision.
func (d *DB) RequeueNotice(ctx context.Context, id string) error {
	r, err := d.db.ExecContext(ctx, `UPDATE notices SET state = ?, next_at = ? WHERE id = ? AND state IN (?, ?)`,
		request.NoticeQueued, ts(d.now()), id, request.NoticeUncertain, request.NoticeFailed)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return app.Errorf(app.ENOTFOUND, "avviso %s non sospeso né fallito", id)
	}
	return nil
}

// Notices lists the notices of a request ("" for all), oldest first.
func (d *DB) Notices(ctx context.Context, requestID string) ([]NoticeState, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, request, comune, channel, recipient, subject, body, attempts, state, last_error, sent_at
		FROM notices WHERE ? = '' OR request = ? ORDER BY created_at, id`, requestID, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []NoticeState
	for rows.Next() {
		var n NoticeState
		if err := rows.Scan(&n.ID, &n.Request, &n.Comune, &n.Channel, &n.Recipient, &n.Subject, &n.Body, &n.Attempts, &n.State, &n.LastError, &n.SentAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
