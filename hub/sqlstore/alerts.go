package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
)

// publishKioskAlert publishes to the kiosk dev's comune its lockout event
// e (kiosk.KindAlert), in the transaction that applies the event: the
// comune's counters receive it with their next sync and show it to their
// supervisors. Kiosks and boards never receive it (ViewOf).
func (d *DB) publishKioskAlert(ctx context.Context, tx *sql.Tx, dev *Device, e *app.AuditEvent) error {
	var name string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM devices WHERE id = ?`, dev.ID).Scan(&name); err != nil {
		return fmt.Errorf("kiosk alert of %s: %w", dev.ID, err)
	}
	rec := app.Record{Kind: kiosk.KindAlert, Key: fmt.Sprintf("%s-%d", dev.ID, e.Seq),
		Data: kiosk.EncodeAlert(kiosk.Alert{Device: dev.ID, DeviceName: name, At: e.At})}
	return d.PutRecordsTx(ctx, tx, dev.Comune, []app.Record{rec})
}
