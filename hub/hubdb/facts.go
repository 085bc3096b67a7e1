package hubdb

import (
	"context"
	"database/sql"

	"github.com/sportello/sportello/app"
)

// applyFact applies a workstation's fact of a kind beyond audit and
// certificates (app.Operation.Data), inside ApplyOp's transaction, and
// returns the hub's answer for the workstation (app.OpResult.Data). Each
// kind is applied by its own file of this package.
func (d *DB) applyFact(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	switch op.Kind {
	}
	return nil, app.Errorf(app.EINVALID, "tipo di operazione sconosciuto %q", op.Kind)
}
