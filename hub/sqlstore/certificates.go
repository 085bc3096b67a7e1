package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/hub/storage/stored"
)

// applyCertificate records a certificate a workstation issued. The stamp
// must verify with the network's root key and match what the operation
// says, and be the workstation's own: a forged or foreign certificate is
// refused (EINVALID, EFORBIDDEN). The answer is the flag for the operator
// when the record changed after the data the certificate came from (its
// DataSeq against the citizen's change-log position), or when the person is
// no longer in the anagrafe; "" otherwise.
func (d *DB) applyCertificate(ctx context.Context, tx *sql.Tx, dev *Device, c *app.CertificateFact) (string, error) {
	if c == nil {
		return "", app.Errorf(app.EINVALID, "operazione di certificato senza certificato")
	}
	root, err := rootKey(ctx, tx, d.now())
	if err != nil {
		return "", err
	}
	revoked := func(device string) (time.Time, bool) {
		at, ok, err := deviceRevokedAt(ctx, tx, device)
		return at, ok && err == nil
	}
	// Expiry is no reason to refuse: a certificate issued offline months ago
	// is still a fact to record.
	f, err := certificate.Verify(c.Stamp, root.Public().(ed25519.PublicKey), revoked, d.now())
	if err != nil && certificate.ReasonOf(err) != certificate.Expired {
		return "", app.Errorf(app.EINVALID, "certificato %s rifiutato: %s", c.Number, app.ErrorMessage(err))
	}
	t, _ := certificate.TypeByID(f.Type)
	switch {
	case f.Number.DeviceID() != dev.ID:
		return "", app.Errorf(app.EFORBIDDEN, "certificato %s di un'altra postazione", f.Number)
	case f.Number.String() != c.Number || f.CodiceFiscale != c.CodiceFiscale || f.Comune != c.Comune ||
		t.Slug != c.Type || !f.IssuedAt.Equal(c.IssuedAt.Truncate(time.Second)) || f.Offline != c.Offline:
		return "", app.Errorf(app.EINVALID, "certificato %s: i dati non corrispondono al contrassegno", c.Number)
	}
	flag, mismatch, err := certificateFlag(ctx, tx, c, f)
	if err != nil {
		return "", err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO certificates (number, device, comune, codice_fiscale, type, issued_at, as_of,
		data_seq, offline, operator, stamp, received_at, flag, mismatch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Number, dev.ID, c.Comune, c.CodiceFiscale, c.Type, ts(f.IssuedAt), ts(f.AsOf), c.DataSeq, c.Offline,
		c.Operator, c.Stamp, ts(d.now()), flag, mismatch)
	if err != nil {
		var n int
		if tx.QueryRowContext(ctx, `SELECT count(*) FROM certificates WHERE number = ?`, c.Number).Scan(&n) == nil && n > 0 {
			return "", app.Errorf(app.ECONFLICT, "certificato %s già ricevuto da un'altra operazione", c.Number)
		}
		return "", fmt.Errorf("record certificate %s: %w", c.Number, err)
	}
	return flag, nil
}

// certificateFlag compares the certificate's data with the record now, and
// its certified facts with the record whenever the record cannot have
// changed since the data the certificate came from: a certificate that
// claims the hub's live data (DataSeq 0, online), or whose cached data
// is as new as the record. A mismatch then is no change of the record but
// invented facts: mismatch is true, and the verification says NON VALIDO.
func certificateFlag(ctx context.Context, tx *sql.Tx, c *app.CertificateFact, f *certificate.Facts) (flag string, mismatch bool, err error) {
	online := c.DataSeq == 0 && !c.Offline
	var seq int64
	var comune, data string
	err = tx.QueryRowContext(ctx, `SELECT seq, comune, data FROM citizens WHERE codice_fiscale = ?`, c.CodiceFiscale).Scan(&seq, &comune, &data)
	if errors.Is(err, sql.ErrNoRows) {
		if online {
			// The hub's live data cannot have held a person it never knew.
			return FlagMismatch, true, nil
		}
		return "La persona non è più nell'anagrafe del comune: verificare il certificato e, se serve, annullarlo.", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if online || (comune == c.Comune && seq <= c.DataSeq) {
		rec, err := stored.DecodeCitizen([]byte(data))
		if err != nil {
			return "", false, fmt.Errorf("citizen %s: %w", c.CodiceFiscale, err)
		}
		if app.NameKey(rec.Surname) != app.NameKey(f.Surname) || app.NameKey(rec.GivenName) != app.NameKey(f.GivenName) ||
			app.FormatDate(rec.BirthDate) != f.BirthDate.Format(app.DateLayout) {
			return FlagMismatch, true, nil
		}
	}
	switch {
	case online:
		return "", false, nil
	case comune != c.Comune:
		return "La persona è passata a un altro comune dopo i dati del certificato: verificare e, se serve, rilasciarlo di nuovo.", false, nil
	case seq > c.DataSeq:
		return "I dati anagrafici della persona sono cambiati dopo quelli da cui è stato rilasciato il certificato: verificare e, se i fatti certificati sono diversi, rilasciarlo di nuovo.", false, nil
	}
	return "", false, nil
}

// deviceRevokedAt is when a device was revoked, if it was.
func deviceRevokedAt(ctx context.Context, q queryer, device string) (time.Time, bool, error) {
	var at sql.NullString
	err := q.QueryRowContext(ctx, `SELECT revoked_at FROM devices WHERE id = ?`, device).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !at.Valid) || (err == nil && at.String == "") {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	t, err := time.Parse(time.RFC3339Nano, at.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("device %s revoked_at %q: %w", device, at.String, err)
	}
	return t, true, nil
}

// IssuedCertificate returns what the hub knows of a certificate number:
// ENOTFOUND when no workstation has delivered it (yet).
func (d *DB) IssuedCertificate(ctx context.Context, number string) (*IssuedCertificate, error) {
	var c IssuedCertificate
	var received string
	err := d.db.QueryRowContext(ctx, `SELECT number, device, received_at, flag, stamp, mismatch FROM certificates WHERE number = ?`, number).
		Scan(&c.Number, &c.Device, &received, &c.Flag, &c.Stamp, &c.Mismatch)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "certificato %s non ancora ricevuto dall'hub", number)
	}
	if err != nil {
		return nil, err
	}
	c.ReceivedAt, _ = time.Parse(time.RFC3339Nano, received)
	return &c, nil
}
