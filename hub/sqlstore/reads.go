package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
)

// RecordRead records a read of another comune's citizen.
func (d *DB) RecordRead(ctx context.Context, r CitizenRead) error {
	if r.At.IsZero() {
		r.At = d.now()
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO citizen_reads (at, device, device_comune, operator, subject, subject_comune, purpose)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ts(r.At), r.Device, r.DeviceComune, r.Operator, r.Subject, r.SubjectComune, r.Purpose)
	if err != nil {
		return fmt.Errorf("record read of %s: %w", r.Subject, err)
	}
	return nil
}

// CitizenReads lists the hub's record of reads of a citizen, oldest first.
func (d *DB) CitizenReads(ctx context.Context, codiceFiscale string) ([]CitizenRead, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT at, device, device_comune, operator, subject, subject_comune, purpose
		FROM citizen_reads WHERE subject = ? ORDER BY at, id`, codiceFiscale)
	if err != nil {
		return nil, fmt.Errorf("reads of %s: %w", codiceFiscale, err)
	}
	defer rows.Close()
	var out []CitizenRead
	for rows.Next() {
		var r CitizenRead
		var at string
		if err := rows.Scan(&at, &r.Device, &r.DeviceComune, &r.Operator, &r.Subject, &r.SubjectComune, &r.Purpose); err != nil {
			return nil, err
		}
		r.At, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CitizensByKey finds the citizens of the whole network with exactly this
// surname, given name (NameKey-folded) and birth date: the key an operator
// has in hand for a citizen of another comune. No prefixes.
func (d *DB) CitizensByKey(ctx context.Context, surnameKey, givenKey string, born time.Time, limit int) ([]app.CitizenSummary, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT codice_fiscale, data FROM citizens
		WHERE surname_key = ? AND given_key = ? AND birth_date = ? ORDER BY codice_fiscale LIMIT ?`,
		surnameKey, givenKey, app.FormatDate(born), limit)
	if err != nil {
		return nil, fmt.Errorf("citizens by key: %w", err)
	}
	defer rows.Close()
	var out []app.CitizenSummary
	for rows.Next() {
		var cf, data string
		if err := rows.Scan(&cf, &data); err != nil {
			return nil, err
		}
		s, err := summaryOf(cf, data)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
