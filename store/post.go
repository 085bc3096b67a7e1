package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/post"
	"github.com/sportello/sportello/app/request"
)

var _ post.Store = (*Store)(nil)

// PostRequests lists the comune's requests of certificates by post as the
// hub last sent them, newest first.
func (s *Store) PostRequests(ctx context.Context) ([]request.Request, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM records WHERE kind = ? AND json_extract(data, '$.service') = ?`,
		request.KindRequest, request.PostService)
	if err != nil {
		return nil, fmt.Errorf("post requests: %w", err)
	}
	defer rows.Close()
	var out []request.Request
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		r, err := request.DecodeRequest([]byte(data))
		if err != nil {
			return nil, fmt.Errorf("post request: %w", err)
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SubmittedAt.After(out[j].SubmittedAt) })
	return out, nil
}

// Dispatch returns how far the posting of a request has gone here.
func (s *Store) Dispatch(ctx context.Context, requestID string) (*post.Dispatch, error) {
	return dispatchTx(ctx, s.db, requestID)
}

type rowQueryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func dispatchTx(ctx context.Context, q rowQueryer, requestID string) (*post.Dispatch, error) {
	d := &post.Dispatch{Request: requestID}
	var at string
	var queued int
	err := q.QueryRowContext(ctx, `SELECT certificate, position, status_queued, operator, at FROM post_dispatches WHERE request = ?`, requestID).
		Scan(&d.Certificate, &d.Position, &queued, &d.Operator, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "richiesta %s non ancora spedita", requestID)
	}
	if err != nil {
		return nil, fmt.Errorf("dispatch %s: %w", requestID, err)
	}
	d.StatusQueued = queued == 1
	if d.At, err = parseTime(at); err != nil {
		return nil, err
	}
	return d, nil
}

// IssuePostCertificate issues a certificate as IssueCertificate does and,
// in the same transaction, starts the dispatch of the request with it.
func (s *Store) IssuePostCertificate(ctx context.Context, requestID string, year int, operator string, build func(seq int64) (*certificate.Issued, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if d, err := dispatchTx(ctx, tx, requestID); err == nil {
			return app.Errorf(app.ECONFLICT, "la richiesta ha già il certificato %s", d.Certificate)
		}
		number, err := issueCertificateTx(ctx, tx, year, operator, build)
		if err != nil {
			return err
		}
		at, err := certificateTx(ctx, tx, number)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO post_dispatches (request, certificate, operator, at) VALUES (?, ?, ?, ?)`,
			requestID, number, operator, at)
		return err
	})
}

// certificateTx is the issue time of a certificate just stored, the
// dispatch's time.
func certificateTx(ctx context.Context, tx *sql.Tx, number string) (string, error) {
	var at string
	err := tx.QueryRowContext(ctx, `SELECT issued_at FROM certificates WHERE number = ?`, number).Scan(&at)
	return at, err
}

// NumberPostPosition numbers the postage's position as NumberPosition does
// and records it in the request's dispatch, in one transaction.
func (s *Store) NumberPostPosition(ctx context.Context, requestID string, build func(avviso pagopa.CodiceAvviso, seq int64) (*payment.Position, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		d, err := dispatchTx(ctx, tx, requestID)
		if err != nil {
			return app.Errorf(app.ECONFLICT, "spedizione senza certificato: rilasciarlo prima")
		}
		if d.Position != "" {
			return app.Errorf(app.ECONFLICT, "la spedizione ha già la posizione %s", d.Position)
		}
		id, err := numberPositionTx(ctx, tx, build)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE post_dispatches SET position = ? WHERE request = ?`, id, requestID)
		return err
	})
}

// QueuePostStatus queues the request's state change as ChangeStatus does
// and marks the dispatch complete, in one transaction.
func (s *Store) QueuePostStatus(ctx context.Context, requestID string, f request.StatusFact) error {
	if err := f.Validate(); err != nil {
		return err
	}
	r, err := s.Request(ctx, f.Request)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		d, err := dispatchTx(ctx, tx, requestID)
		if err != nil || d.Position == "" {
			return app.Errorf(app.ECONFLICT, "spedizione senza certificato o senza avviso di pagamento")
		}
		if d.StatusQueued {
			return app.Errorf(app.ECONFLICT, "la richiesta è già segnata come spedita")
		}
		if err := s.changeStatusTx(ctx, tx, f, request.EncodeStatusFact(&f), r.CodiceFiscale); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE post_dispatches SET status_queued = 1 WHERE request = ?`, requestID)
		return err
	})
}
