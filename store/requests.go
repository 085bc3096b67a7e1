package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

var _ request.Store = (*Store)(nil)

// Services returns the catalogue as the hub sent it.
func (s *Store) Services(ctx context.Context) ([]request.Service, error) {
	recs, err := s.Records(ctx, request.KindService, "")
	if err != nil {
		return nil, err
	}
	out := make([]request.Service, 0, len(recs))
	for _, r := range recs {
		svc, err := request.DecodeService(r.Data)
		if err != nil {
			return nil, fmt.Errorf("service %s: %w", r.Key, err)
		}
		out = append(out, *svc)
	}
	return out, nil
}

// Enabled returns the services comune offers; nil when the hub has sent no
// choice for it (all of them are offered).
func (s *Store) Enabled(ctx context.Context, comune string) ([]string, error) {
	r, err := s.Record(ctx, request.KindEnabled, comune)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return request.DecodeEnabled(r.Data)
}

// SubmitRequest stores a request taken at the counter, its files, the
// outbox operation that carries it to the hub and the operator's audit
// event, in one transaction: build gets the workstation's next request
// sequence, for the provisional number.
func (s *Store) SubmitRequest(ctx context.Context, operator string, files []request.File, build func(seq int64) (*request.Request, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM requests`).Scan(&seq); err != nil {
			return err
		}
		r, err := build(seq)
		if err != nil {
			return err
		}
		data := request.EncodeRequest(r)
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, seq, provisional, codice_fiscale, submitted_at, data) VALUES (?, ?, ?, ?, ?, ?)`,
			r.ID, seq, r.Provisional, r.CodiceFiscale, formatTime(r.SubmittedAt), string(data)); err != nil {
			return fmt.Errorf("insert request: %w", err)
		}
		for i, a := range r.Attachments {
			if i >= len(files) || files[i].Field != a.Field {
				return fmt.Errorf("request %s: attachment %d does not match its file", r.Provisional, i)
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO request_files (request, field, sha256, name, type, size, content) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				r.ID, a.Field, a.SHA256, a.Name, a.Type, a.Size, files[i].Data); err != nil {
				return fmt.Errorf("insert request file: %w", err)
			}
		}
		if err := insertOpData(ctx, tx, device, request.FactRequest, request.EncodeRequestFact(r), r.SubmittedAt); err != nil {
			return err
		}
		return appendAudit(ctx, tx, device, operator, request.AuditSubmit, r.CodiceFiscale, r.SubmittedAt)
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return err
		}
		return fmt.Errorf("submit request: %w", err)
	}
	return nil
}

// ChangeStatus queues a back-office state change for the hub, with the
// operator's audit event.
func (s *Store) ChangeStatus(ctx context.Context, f request.StatusFact) error {
	if err := f.Validate(); err != nil {
		return err
	}
	data := request.EncodeStatusFact(&f)
	r, err := s.Request(ctx, f.Request)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error { return s.changeStatusTx(ctx, tx, f, data, r.CodiceFiscale) })
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("change status of %s: %w", f.Request, err)
	}
	return err
}

// changeStatusTx queues the state change f (encoded as data) of a request
// of person cf, with its audit event, in tx.
func (s *Store) changeStatusTx(ctx context.Context, tx *sql.Tx, f request.StatusFact, data []byte, cf string) error {
	device, err := profileDevice(ctx, tx)
	if err != nil {
		return err
	}
	if err := insertOpData(ctx, tx, device, request.FactStatus, data, f.At); err != nil {
		return err
	}
	if err := s.prove(ctx, tx, device, f.Operator); err != nil {
		return err
	}
	return appendAudit(ctx, tx, device, f.Operator, request.AuditStatus, cf, f.At)
}

// Request returns a request by its id, protocol number or provisional
// number: the hub's state when it has arrived, the workstation's own
// otherwise. ENOTFOUND when there is none.
func (s *Store) Request(ctx context.Context, idOrNumber string) (*request.Request, error) {
	key := strings.TrimSpace(idOrNumber)
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT id FROM requests WHERE id = ? OR number = ? OR provisional = ?`, key, key, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.QueryRowContext(ctx, `SELECT key FROM records WHERE kind = ? AND (key = ? OR json_extract(data, '$.number') = ? OR json_extract(data, '$.provisional') = ?)`,
			request.KindRequest, key, key, key).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "richiesta %s non presente sulla postazione", key)
	}
	if err != nil {
		return nil, fmt.Errorf("request %s: %w", key, err)
	}
	rec, err := s.Record(ctx, request.KindRequest, id)
	if err == nil {
		return request.DecodeRequest(rec.Data)
	}
	if app.ErrorCode(err) != app.ENOTFOUND {
		return nil, err
	}
	return s.localRequest(ctx, s.db.QueryRowContext(ctx, `SELECT data, number, protocol_at FROM requests WHERE id = ?`, id))
}

type rowScanner interface{ Scan(dest ...any) error }

func (s *Store) localRequest(ctx context.Context, row rowScanner) (*request.Request, error) {
	var data, number, at string
	if err := row.Scan(&data, &number, &at); err != nil {
		return nil, err
	}
	r, err := request.DecodeRequest([]byte(data))
	if err != nil {
		return nil, err
	}
	r.Number = number
	if r.ProtocolAt, err = parseTime(at); err != nil {
		return nil, err
	}
	return r, nil
}

// Requests lists a person's requests, newest first: those the hub keeps
// (the comune's, whichever workstation took them) and those taken here that
// have not come back from the hub yet.
func (s *Store) Requests(ctx context.Context, codiceFiscale string) ([]request.Request, error) {
	out, err := s.requests(ctx, codiceFiscale)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SubmittedAt.After(out[j].SubmittedAt) })
	return out, nil
}

// requests are a person's requests ("" for everyone's), each once: the
// hub's record where it came, the one taken here otherwise.
func (s *Store) requests(ctx context.Context, codiceFiscale string) ([]request.Request, error) {
	recs, err := s.Records(ctx, request.KindRequest, codiceFiscale)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []request.Request
	for _, rec := range recs {
		r, err := request.DecodeRequest(rec.Data)
		if err != nil {
			return nil, fmt.Errorf("request %s: %w", rec.Key, err)
		}
		seen[r.ID] = true
		out = append(out, *r)
	}
	q, args := `SELECT id, data, number, protocol_at FROM requests`, []any{}
	if codiceFiscale != "" {
		q, args = q+` WHERE codice_fiscale = ?`, append(args, codiceFiscale)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("requests of %s: %w", codiceFiscale, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, data, number, at string
		if err := rows.Scan(&id, &data, &number, &at); err != nil {
			return nil, err
		}
		if seen[id] {
			continue
		}
		r, err := s.localRequest(ctx, scanned{data, number, at})
		if err != nil {
			return nil, fmt.Errorf("request %s: %w", id, err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// scanned replays values already read as a row.
type scanned []string

func (v scanned) Scan(dest ...any) error {
	for i, d := range dest {
		*(d.(*string)) = v[i]
	}
	return nil
}

// OpAttachments returns the contents of the files an operation's request
// carries that the workstation still holds: the sync engine uploads them
// before the operation.
func (s *Store) OpAttachments(ctx context.Context, op app.Operation) ([]request.FileContent, error) {
	if op.Kind != request.FactRequest {
		return nil, nil
	}
	id, err := request.RequestFactID(op.Data)
	if err != nil {
		return nil, fmt.Errorf("operation %s: %w", op.ID, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT sha256, type, content FROM request_files WHERE request = ? AND content IS NOT NULL`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []request.FileContent
	for rows.Next() {
		var f request.FileContent
		if err := rows.Scan(&f.SHA256, &f.Type, &f.Data); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// applyRequestAnswer stores the protocol number the hub assigned to a
// request, in MarkOp's transaction, and lets go of the files the hub now
// holds.
func applyRequestAnswer(ctx context.Context, tx *sql.Tx, res app.OpResult) error {
	number, at, err := request.DecodeRequestAnswer(res.Data)
	if err != nil {
		return err
	}
	var data string
	if err := tx.QueryRowContext(ctx, `SELECT data FROM outbox WHERE id = ?`, res.ID).Scan(&data); err != nil {
		return fmt.Errorf("request operation %s: %w", res.ID, err)
	}
	id, err := request.RequestFactID([]byte(data))
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE requests SET number = ?, protocol_at = ? WHERE id = ?`, number, formatTime(at), id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE request_files SET content = NULL WHERE request = ?`, id)
	return err
}

// PendingRequests counts the requests taken here still without a protocol
// number.
func (s *Store) PendingRequests(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests WHERE number = ''`).Scan(&n)
	return n, err
}
