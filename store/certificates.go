package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

var _ certificate.Store = (*Store)(nil)

// IssueCertificate numbers, stores and queues a certificate (see
// certificate.Store) in one transaction on the one writer connection, so
// that two issues never take the same number. The outbox operation of the
// certificate and the audit event of the operator are in the same commit,
// fsynced (synchronous=FULL): a certificate handed to the citizen is never
// lost to the hub.
func (s *Store) IssueCertificate(ctx context.Context, year int, operator string, build func(seq int64) (*certificate.Issued, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := issueCertificateTx(ctx, tx, year, operator, build)
		return err
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return err
		}
		return fmt.Errorf("issue certificate: %w", err)
	}
	return nil
}

// issueCertificateTx is IssueCertificate in tx; it returns the number.
func issueCertificateTx(ctx context.Context, tx *sql.Tx, year int, operator string, build func(seq int64) (*certificate.Issued, error)) (string, error) {
	device, err := profileDevice(ctx, tx)
	if err != nil {
		return "", err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM certificates WHERE device = ? AND year = ?`,
		device, year).Scan(&seq); err != nil {
		return "", err
	}
	is, err := build(seq)
	if err != nil {
		return "", err
	}
	c := &is.Certificate
	if c.Number.DeviceID() != device || c.Number.Year != year || c.Number.Seq != seq {
		return "", fmt.Errorf("certificate %s is not number %d of %s in %d", c.Number, seq, device, year)
	}
	if err := c.Validate(); err != nil {
		return "", err
	}
	data, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	number := c.Number.String()
	fees, err := json.Marshal(is.Fees)
	if err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO certificates (number, device, year, seq, codice_fiscale, type, issued_at, data, stamp, data_seq,
		bollo_cents, diritti_cents, fees, operator)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		number, device, year, seq, c.Person.CodiceFiscale, c.Type.Slug, formatTime(c.IssuedAt), string(data), is.Stamp, is.DataSeq,
		is.BolloCents, is.DirittiCents, string(fees), operator); err != nil {
		return "", err
	}
	if err := insertOp(ctx, tx, device, app.OpCertificate, 0, number, c.IssuedAt); err != nil {
		return "", err
	}
	return number, appendAudit(ctx, tx, device, operator, certificate.AuditIssue, c.Person.CodiceFiscale+" "+number, c.IssuedAt)
}

// certColumns are what Certificate, Certificates and Flagged read: the
// outbox row tells whether the hub has it.
const certColumns = `SELECT c.type, c.data, c.stamp, c.data_seq, c.flag, COALESCE(o.state, ''), c.bollo_cents, c.diritti_cents, c.fees
	FROM certificates c LEFT JOIN outbox o ON o.cert_number = c.number `

// Certificate returns an issued certificate by its number.
func (s *Store) Certificate(ctx context.Context, number string) (*certificate.Issued, error) {
	list, err := s.queryCertificates(ctx, certColumns+`WHERE c.number = ?`, number)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "certificato %s non rilasciato da questa postazione", number)
	}
	return &list[0], nil
}

// Certificates lists the person's certificates, newest first.
func (s *Store) Certificates(ctx context.Context, codiceFiscale string) ([]certificate.Issued, error) {
	return s.queryCertificates(ctx, certColumns+`WHERE c.codice_fiscale = ? ORDER BY c.issued_at DESC, c.number DESC`, codiceFiscale)
}

// Flagged lists the certificates the hub flagged, oldest first: the
// worklist.
func (s *Store) Flagged(ctx context.Context) ([]certificate.Issued, error) {
	return s.queryCertificates(ctx, certColumns+`WHERE c.flag <> '' ORDER BY c.issued_at, c.number`)
}

func (s *Store) queryCertificates(ctx context.Context, query string, args ...any) ([]certificate.Issued, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("certificates: %w", err)
	}
	defer rows.Close()
	var out []certificate.Issued
	for rows.Next() {
		var slug, data, state, fees string
		var is certificate.Issued
		if err := rows.Scan(&slug, &data, &is.Stamp, &is.DataSeq, &is.Flag, &state, &is.BolloCents, &is.DirittiCents, &fees); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(fees), &is.Fees); err != nil {
			return nil, fmt.Errorf("certificate fees: %w", err)
		}
		c, err := decodeCertificate(slug, data)
		if err != nil {
			return nil, err
		}
		is.Certificate = *c
		is.Synced = state == string(app.OpDone)
		out = append(out, is)
	}
	return out, rows.Err()
}

// decodeCertificate reads a stored certificate; its type is the one of
// the slug today, so that a type's title reads the same on every reprint.
func decodeCertificate(slug, data string) (*certificate.Certificate, error) {
	var c certificate.Certificate
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return nil, fmt.Errorf("stored certificate: %w", err)
	}
	t, err := certificate.TypeBySlug(slug)
	if err != nil {
		return nil, fmt.Errorf("stored certificate %s: %w", c.Number, err)
	}
	c.Type = t
	return &c, nil
}

// Setting returns a setting of the workstation, "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("setting %s: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting of the workstation.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if _, err := s.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value); err != nil {
		return fmt.Errorf("set setting %s: %w", key, err)
	}
	return nil
}
