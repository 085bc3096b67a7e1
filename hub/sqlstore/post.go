package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// SubmitWebRequest records a request a citizen made on the comune's public
// page (request.ChannelWeb): the service must be one the comune enables,
// the form passes the same checks as at a counter, and the request takes
// its protocol number at once, in one transaction; nothing is stored for
// a refused form. r carries ID, Comune, Service, CodiceFiscale,
// ApplicantName, Values and FollowCode; the rest is set here.
func (d *DB) SubmitWebRequest(ctx context.Context, r *request.Request) error {
	enabled, err := d.EnabledServices(ctx, r.Comune)
	if err != nil {
		return err
	}
	if !slices.Contains(enabled, r.Service) {
		return app.Errorf(app.ENOTFOUND, "il comune %s non offre il servizio %s", r.Comune, r.Service)
	}
	r.Channel, r.Device, r.Operator = request.ChannelWeb, request.ChannelWeb, request.ChannelWeb
	r.Provisional = request.WebProvisional(r.Comune, r.ID)
	r.SubmittedAt = d.now().UTC()
	if err := r.ValidateSubmission(); err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE id = ? OR provisional = ?`, r.ID, r.Provisional).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Errorf(app.ECONFLICT, "richiesta già ricevuta")
		}
		return d.receiveTx(ctx, tx, r, nil) // held while the comune is in recovery
	})
}
