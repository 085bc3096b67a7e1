package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub/storage/stored"
)

// CompleteRefund marks a refund of comune done, as the hub's administrator
// records it (r.Operator "" or the supervisor who asked): the refund's
// record carries how and when, the receipt in excess is marked refunded in
// the position, which is paid again, no longer twice; both reach the
// comune's workstations. ENOTFOUND for an unknown refund, ECONFLICT for
// one done already.
func (d *DB) CompleteRefund(ctx context.Context, r payment.Repayment) (*payment.Refund, error) {
	if r.At.IsZero() {
		r.At = d.now()
	}
	var out *payment.Refund
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = d.completeRefundTx(ctx, tx, &r)
		return err
	})
	return out, err
}

func (d *DB) completeRefundTx(ctx context.Context, tx *sql.Tx, r *payment.Repayment) (*payment.Refund, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	rec, err := RecordTx(ctx, tx, r.Comune, payment.KindRefund, r.Refund)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "rimborso %s sconosciuto all'hub del comune %s", r.Refund, r.Comune)
	}
	if err != nil {
		return nil, err
	}
	rf, err := payment.DecodeRefund(rec.Data)
	if err != nil {
		return nil, err
	}
	if rf.State == payment.RefundDone {
		who := "all'hub"
		if rf.Done != nil && rf.Done.Operator != "" {
			who = "da " + rf.Done.Operator
		}
		on := ""
		if rf.Done != nil {
			on = " il " + rf.Done.On.Format("02/01/2006")
		}
		return nil, app.Errorf(app.ECONFLICT, "il rimborso %s è già stato registrato come eseguito%s %s", r.Refund, on, who)
	}
	pos, err := positionTx(ctx, tx, r.Comune, rf.PositionID)
	if err != nil {
		return nil, err
	}
	if err := pos.Refund(rf.ID, rf.ExcessCents); err != nil {
		return nil, err
	}
	rf.State, rf.Done = payment.RefundDone, r
	rf.Receipts = pos.Receipts
	subject := subjectOf(pos.DebtorCF)
	return rf, d.PutRecordsTx(ctx, tx, r.Comune, []app.Record{
		{Kind: payment.KindRefund, Key: rf.ID, Subject: subject, Data: payment.EncodeRefund(rf)},
		{Kind: payment.KindPosition, Key: pos.ID, Subject: subject, Data: payment.EncodePosition(pos)},
	})
}

// applyRefundDone applies a supervisor's repayment from a workstation: the
// operator must be an active supervisor of the device's comune
// (EFORBIDDEN otherwise: parked at the workstation with the reason).
func (d *DB) applyRefundDone(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	r, err := payment.DecodeRepayment(op.Data)
	if err != nil {
		return nil, err
	}
	if r.Comune != dev.Comune || r.Device != dev.ID {
		return nil, app.Errorf(app.EFORBIDDEN, "rimborso del comune %s da una postazione di %s", r.Comune, dev.Comune)
	}
	o, err := operatorTx(ctx, tx, dev.Comune, r.Operator)
	if err != nil {
		return nil, err
	}
	if !o.Active || !o.Has(app.RoleSupervisor) {
		return nil, app.Errorf(app.EFORBIDDEN, "l'operatore %s non è supervisore: il rimborso %s resta da eseguire", r.Operator, r.Refund)
	}
	if _, err := d.completeRefundTx(ctx, tx, r); err != nil {
		return nil, err
	}
	return nil, nil
}

// operatorTx is an operator account of comune; EFORBIDDEN when the
// comune has no such operator.
func operatorTx(ctx context.Context, tx interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, comune, username string) (*app.Operator, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM operators WHERE username = ? AND comune = ?`, username, comune).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.EFORBIDDEN, "l'operatore %s non è del comune %s", username, comune)
	}
	if err != nil {
		return nil, err
	}
	return stored.DecodeOperator([]byte(data))
}

// NetworkPosition finds the position a codice avviso pays in any comune
// of the network (of the creditor cfEnte, when not ""), with the comune's
// name and creditor settings, for a counter's scanner. ENOTFOUND when no
// comune has it.
func (d *DB) NetworkPosition(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso) (*payment.NetworkPosition, error) {
	var out *payment.NetworkPosition
	err := d.tx(ctx, func(tx *sql.Tx) error {
		comune, id, err := findAvviso(ctx, tx, cfEnte, avviso)
		if err != nil {
			return err
		}
		pos, err := positionTx(ctx, tx, comune, id)
		if err != nil {
			return err
		}
		py, err := payeeTx(ctx, tx, comune)
		if err != nil {
			return err
		}
		out = &payment.NetworkPosition{Position: *pos, ComuneName: py.Name, Payee: py}
		return nil
	})
	return out, err
}
