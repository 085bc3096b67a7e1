package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub/storage"
)

// PutRecords writes records of a scope (a comune's code, or app.ScopeNetwork)
// and their changes in one transaction: every workstation of the scope
// receives them at its next pull. A record equal to the stored one is not
// written again.
func (d *DB) PutRecords(ctx context.Context, scope string, recs []app.Record) error {
	return d.tx(ctx, func(tx *sql.Tx) error { return d.PutRecordsTx(ctx, tx, scope, recs) })
}

// PutRecordsTx is PutRecords inside a transaction of the caller, for an
// operation that changes records as it applies (a request's state).
func (d *DB) PutRecordsTx(ctx context.Context, tx *sql.Tx, scope string, recs []app.Record) error {
	for i := range recs {
		r := &recs[i]
		if err := r.Validate(); err != nil {
			return err
		}
		var old string
		err := tx.QueryRowContext(ctx, `SELECT data FROM records WHERE scope = ? AND kind = ? AND key = ?`, scope, r.Kind, r.Key).Scan(&old)
		if err == nil && old == string(r.Data) {
			continue
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		seq, err := appendChange(ctx, tx, scope, app.Change{Kind: r.Kind, Key: r.Key, At: d.now(), Record: r})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO records (scope, kind, key, subject, data, seq) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (scope, kind, key) DO UPDATE SET subject = excluded.subject, data = excluded.data, seq = excluded.seq`,
			scope, r.Kind, r.Key, r.Subject, string(r.Data), seq); err != nil {
			return fmt.Errorf("put record %s/%s: %w", r.Kind, r.Key, err)
		}
	}
	return nil
}

// DeleteRecord removes a record and tells the scope's workstations.
func (d *DB) DeleteRecord(ctx context.Context, scope, kind, key string) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `DELETE FROM records WHERE scope = ? AND kind = ? AND key = ?`, scope, kind, key)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return app.Errorf(app.ENOTFOUND, "%s %s sconosciuto", kind, key)
		}
		_, err = appendChange(ctx, tx, scope, app.Change{Kind: kind, Key: key, Deleted: true, At: d.now()})
		return err
	})
}

// Record returns one record; ENOTFOUND when there is none.
func (d *DB) Record(ctx context.Context, scope, kind, key string) (*app.Record, error) {
	return recordTx(ctx, d.db, scope, kind, key)
}

// RecordTx is Record inside the caller's transaction.
func RecordTx(ctx context.Context, tx *sql.Tx, scope, kind, key string) (*app.Record, error) {
	return recordTx(ctx, tx, scope, kind, key)
}

func recordTx(ctx context.Context, q queryer, scope, kind, key string) (*app.Record, error) {
	r := app.Record{Kind: kind, Key: key}
	var data string
	err := q.QueryRowContext(ctx, `SELECT subject, data FROM records WHERE scope = ? AND kind = ? AND key = ?`, scope, kind, key).Scan(&r.Subject, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "%s %s sconosciuto", kind, key)
	}
	if err != nil {
		return nil, err
	}
	r.Data = []byte(data)
	return &r, nil
}

// Records lists the records of a kind in a scope, by key; subject, when
// not "", keeps those of one person.
func (d *DB) Records(ctx context.Context, scope, kind, subject string) ([]app.Record, error) {
	q := `SELECT key, subject, data FROM records WHERE scope = ? AND kind = ?`
	args := []any{scope, kind}
	if subject != "" {
		q += ` AND subject = ?`
		args = append(args, subject)
	}
	rows, err := d.db.QueryContext(ctx, q+` ORDER BY key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Record
	for rows.Next() {
		r := app.Record{Kind: kind}
		var data string
		if err := rows.Scan(&r.Key, &r.Subject, &data); err != nil {
			return nil, err
		}
		r.Data = []byte(data)
		out = append(out, r)
	}
	return out, rows.Err()
}

// recordAfterPrefix marks a snapshot position among the records: "~kind/key"
// sorts after every codice fiscale.
const recordAfterPrefix = "~"

func recordAfter(kind, key string) string { return recordAfterPrefix + kind + "/" + key }

func parseRecordAfter(after string) (kind, key string, ok bool) {
	rest, ok := strings.CutPrefix(after, recordAfterPrefix)
	if !ok {
		return "", "", false
	}
	kind, key, _ = strings.Cut(rest, "/")
	return kind, key, true
}

// snapshotRecords appends to res up to limit records of the scope after
// (kind, key), in order.
func snapshotRecords(ctx context.Context, tx *sql.Tx, res *storage.SnapshotPage, v View, scope, kind, key string, limit int) (int, error) {
	cond, args := kinds(v, "kind")
	rows, err := tx.QueryContext(ctx, `SELECT kind, key, subject, data FROM records WHERE scope = ? AND (kind > ? OR (kind = ? AND key > ?))`+cond+`
		ORDER BY kind, key LIMIT ?`, append(append([]any{scope, kind, kind, key}, args...), limit)...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var r app.Record
		var data string
		if err := rows.Scan(&r.Kind, &r.Key, &r.Subject, &data); err != nil {
			return n, err
		}
		r.Data = []byte(data)
		res.Records = append(res.Records, r)
		res.After = recordAfter(r.Kind, r.Key)
		n++
	}
	return n, rows.Err()
}
