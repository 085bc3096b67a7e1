package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
	"github.com/sportello/sportello/hub/storage/stored"
)

// SeedRequest records a request that already has a history (the demo's,
// or one carried over from the comune's previous system): its form is
// checked against the service and the hub's anagrafe as a submission is,
// its steps are replayed through the same state rules, and it takes the
// next protocol number of its comune in the year of its ProtocolAt. It
// reaches the comune's workstations like any request; no notice is queued
// for steps already past. r.History[0] is the reception; r.Status and
// r.Version follow from the steps. A request already there is left as it
// is.
func (d *DB) SeedRequest(ctx context.Context, r *request.Request) error {
	if len(r.History) == 0 || r.History[0].Status != request.StatusReceived {
		return app.Errorf(app.EINVALID, "richiesta %s: la storia comincia dalla ricezione", r.Provisional)
	}
	if len(r.Attachments) > 0 {
		return app.Errorf(app.EINVALID, "richiesta %s: gli allegati arrivano solo da una postazione", r.Provisional)
	}
	if r.ProtocolAt.IsZero() {
		r.ProtocolAt = r.History[0].At
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE id = ?`, r.ID).Scan(&n); err != nil || n > 0 {
			return err
		}
		if err := r.ValidateSubmission(); err != nil {
			return err
		}
		rec, err := recordTx(ctx, tx, app.ScopeNetwork, request.KindService, r.Service)
		if err != nil {
			return app.Errorf(app.EINVALID, "richiesta %s: servizio %s sconosciuto al catalogo", r.Provisional, r.Service)
		}
		svc, err := request.DecodeService(rec.Data)
		if err != nil {
			return err
		}
		who, err := applicantTx(ctx, tx, r.CodiceFiscale, r.SubmittedAt)
		if err != nil {
			return err
		}
		values, err := svc.ValidateForm(r.Values, nil, who)
		if err != nil {
			return app.Errorf(app.EINVALID, "richiesta %s: %s", r.Provisional, app.ErrorMessage(err))
		}
		steps := r.History
		r.Values, r.MemberNames, r.ServiceTitle = values, svc.MemberNames(values, who), svc.Title
		r.Status, r.Version = request.StatusReceived, 1
		r.History = []request.StatusChange{{Status: request.StatusReceived, Operator: steps[0].Operator, At: r.ProtocolAt.UTC(), Version: 1}}
		for _, s := range steps[1:] {
			if err := r.Move(s.Status, s.Note, s.Operator, r.Version, s.At); err != nil {
				return err
			}
		}
		year := r.ProtocolAt.In(app.Rome).Year() // as applyRequest numbers
		var seq int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO protocol_counters (comune, year, last) VALUES (?, ?, 1)
			ON CONFLICT (comune, year) DO UPDATE SET last = protocol_counters.last + 1 RETURNING last`, r.Comune, year).Scan(&seq); err != nil {
			return fmt.Errorf("protocol number: %w", err)
		}
		r.Number = request.ProtocolNumber(year, seq)
		if _, err := tx.ExecContext(ctx, `INSERT INTO requests (id, comune, year, seq, number, provisional, device, codice_fiscale, service,
			status, version, follow_code, submitted_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Comune, year, seq, r.Number, r.Provisional, r.Device, r.CodiceFiscale, r.Service, string(r.Status), r.Version,
			r.FollowCode, ts(r.SubmittedAt), ts(r.ProtocolAt)); err != nil {
			return fmt.Errorf("insert request %s: %w", r.Provisional, err)
		}
		for _, h := range r.History {
			if _, err := tx.ExecContext(ctx, `INSERT INTO request_history (request, version, status, note, operator, at) VALUES (?, ?, ?, ?, ?, ?)`,
				r.ID, h.Version, string(h.Status), h.Note, h.Operator, ts(h.At)); err != nil {
				return fmt.Errorf("history of %s: %w", r.Number, err)
			}
		}
		return d.PutRecordsTx(ctx, tx, r.Comune, []app.Record{request.RequestRecord(r)})
	})
}

// ComuneCitizens returns up to limit citizens of comune, family by family
// (each family's members by birth date): what the demo picks its
// applicants from, the same on every run.
func (d *DB) ComuneCitizens(ctx context.Context, comune string, limit int) ([]app.Citizen, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT data FROM citizens WHERE comune = ? ORDER BY family_id, birth_date, codice_fiscale LIMIT ?`, comune, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []app.Citizen
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		c, err := stored.DecodeCitizen([]byte(data))
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// HasRequest reports whether the hub has the request with id.
func (d *DB) HasRequest(ctx context.Context, id string) bool {
	var n int
	err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE id = ?`, id).Scan(&n)
	return err == nil && n > 0
}
