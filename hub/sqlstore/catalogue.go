package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// ReplaceCatalogue makes services the network's catalogue, in one
// transaction: new and changed services are published, equal ones left as
// they are, and services not among them withdrawn; each change reaches the
// workstations through the change log like any record's. Nothing is written
// when a service is invalid or repeated (EINVALID). A comune's list of
// enabled services keeps a withdrawn id: the counter shows only services
// of the catalogue, and the id is offered again if the service comes back.
func (d *DB) ReplaceCatalogue(ctx context.Context, services []request.Service) (CatalogueResult, error) {
	var res CatalogueResult
	recs := make([]app.Record, 0, len(services))
	keep := map[string]bool{}
	for i := range services {
		s := &services[i]
		if err := s.Validate(); err != nil {
			return res, err
		}
		if keep[s.ID] {
			return res, app.Errorf(app.EINVALID, "servizio %s ripetuto nel catalogo", s.ID)
		}
		keep[s.ID] = true
		recs = append(recs, request.ServiceRecord(s))
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		res = CatalogueResult{}
		old := map[string]string{}
		rows, err := tx.QueryContext(ctx, `SELECT key, data FROM records WHERE scope = ? AND kind = ?`, app.ScopeNetwork, request.KindService)
		if err != nil {
			return err
		}
		for rows.Next() {
			var key, data string
			if err := rows.Scan(&key, &data); err != nil {
				rows.Close()
				return err
			}
			old[key] = data
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range recs {
			data, ok := old[r.Key]
			switch {
			case !ok:
				res.Added++
			case data != string(r.Data):
				res.Updated++
			default:
				res.Unchanged++
			}
		}
		if err := d.PutRecordsTx(ctx, tx, app.ScopeNetwork, recs); err != nil {
			return err
		}
		for key := range old {
			if keep[key] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE scope = ? AND kind = ? AND key = ?`, app.ScopeNetwork, request.KindService, key); err != nil {
				return fmt.Errorf("withdraw service %s: %w", key, err)
			}
			if _, err := appendChange(ctx, tx, app.ScopeNetwork, app.Change{Kind: request.KindService, Key: key, Deleted: true, At: d.now()}); err != nil {
				return err
			}
			res.Withdrawn++
		}
		return nil
	})
	if err != nil {
		return CatalogueResult{}, err
	}
	return res, nil
}
