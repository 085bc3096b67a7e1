package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// upsertRecord writes a record as the hub sent it; gen marks a record of
// an initial download (nil for the change log).
func upsertRecord(ctx context.Context, tx *sql.Tx, scope string, r *app.Record, gen any) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO records (kind, key, scope, subject, data, snapshot_gen) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET scope = excluded.scope, subject = excluded.subject, data = excluded.data,
		snapshot_gen = excluded.snapshot_gen`, r.Kind, r.Key, scope, r.Subject, string(r.Data), gen)
	if err != nil {
		return fmt.Errorf("record %s/%s: %w", r.Kind, r.Key, err)
	}
	return nil
}

// Record returns a record the hub sent; ENOTFOUND when there is none.
func (s *Store) Record(ctx context.Context, kind, key string) (*app.Record, error) {
	r := app.Record{Kind: kind, Key: key}
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT subject, data FROM records WHERE kind = ? AND key = ?`, kind, key).Scan(&r.Subject, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "%s %s non presente sulla postazione", kind, key)
	}
	if err != nil {
		return nil, fmt.Errorf("record %s/%s: %w", kind, key, err)
	}
	r.Data = []byte(data)
	return &r, nil
}

// Records lists the records of a kind by key; subject, when not "", keeps
// those of one person (indexed: the citizen file asks by codice fiscale).
func (s *Store) Records(ctx context.Context, kind, subject string) ([]app.Record, error) {
	q := `SELECT key, subject, data FROM records WHERE kind = ?`
	args := []any{kind}
	if subject != "" {
		q = `SELECT key, subject, data FROM records WHERE subject = ? AND kind = ?`
		args = []any{subject, kind}
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY key`, args...)
	if err != nil {
		return nil, fmt.Errorf("records %s: %w", kind, err)
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

// AppendFact writes a fact of a kind beyond audit and certificates, as
// the kind's JSON, with its outbox operation, in one transaction; write,
// when set, stores the kind's own rows in the same transaction (a request
// and its attachments). EINVALID before enrolment or for data that is not
// JSON.
func (s *Store) AppendFact(ctx context.Context, kind string, data []byte, at time.Time, write func(tx *sql.Tx) error) error {
	if kind == "" || !json.Valid(data) {
		return app.Errorf(app.EINVALID, "fatto %q non valido", kind)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		if write != nil {
			if err := write(tx); err != nil {
				return err
			}
		}
		return insertOpData(ctx, tx, device, kind, data, at)
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return err
		}
		return fmt.Errorf("append %s: %w", kind, err)
	}
	return nil
}

// applyResult lets the kind of an operation take the hub's answer (the
// definitive protocol number of a request) in MarkOp's transaction. Each
// kind that needs it has a case here, its code in its own file.
func applyResult(ctx context.Context, tx *sql.Tx, kind string, op app.OpResult) error {
	switch kind {
	case request.FactRequest: // requests.go
		return applyRequestAnswer(ctx, tx, op)
	case "payment", "iuv_block": // payments.go
		return applyPaymentResult(ctx, tx, kind, op)
	case queue.FactTicket:
		return applyTicketAnswer(ctx, tx, op)
	case queue.FactAppointment: // queue.go
		return applyAppointmentAnswer(ctx, tx, op)
	}
	return nil
}
