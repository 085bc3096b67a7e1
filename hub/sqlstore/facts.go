package sqlstore

import (
	"context"
	"database/sql"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/app/request"
)

// applyFact applies a workstation's fact of a kind beyond audit and
// certificates (app.Operation.Data), inside ApplyOp's transaction, and
// returns the hub's answer for the workstation (app.OpResult.Data). Each
// kind is applied by its own file of this package.
func (d *DB) applyFact(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	switch op.Kind {
	case request.FactRequest, request.FactStatus: // requests.go
		return d.applyRequestFact(ctx, tx, dev, op)
	case "payment", "position", "iuv_block", "cash_closing", "refund_done": // payments.go
		return d.applyPaymentFact(ctx, tx, dev, op)
	case queue.FactTicket:
		return d.applyTicket(ctx, tx, dev, op)
	case queue.FactEvent:
		return d.applyQueueEvent(ctx, tx, dev, op)
	case queue.FactAppointment:
		return d.applyAppointment(ctx, tx, dev, op)
	}
	return nil, app.Errorf(app.EINVALID, "tipo di operazione sconosciuto %q", op.Kind)
}
