package hubdb

import (
	"context"
	"crypto/ed25519"
	"database/sql"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/app/request"
)

// provenBy is the operator a privileged operation names (app.Privileged):
// the one whose proof it must carry.
func provenBy(op *app.Operation) (string, error) {
	switch op.Kind {
	case payment.FactRefundDone:
		r, err := payment.DecodeRepayment(op.Data)
		if err != nil {
			return "", err
		}
		return r.Operator, nil
	case request.FactStatus:
		f, err := request.DecodeStatusFact(op.Data)
		if err != nil {
			return "", err
		}
		return f.Operator, nil
	case payment.FactClosing:
		c, err := payment.DecodeClosing(op.Data)
		if err != nil {
			return "", err
		}
		return c.Operator, nil
	}
	return op.Audit.Operator, nil // the audit events of decisions
}

// checkProof refuses a privileged operation of dev without the proof of
// the operator it names: the signature, with a key of that operator of the
// device's comune, on this very operation (app.ProofMessage binds comune,
// device, number, id, kind, time and content). The key is the current one,
// or one a password change replaced less than app.OperatorKeyGrace ago for
// an operation made before the change (offline work queued meanwhile). A
// device token alone, another operator's name or a signature copied from
// another operation are EFORBIDDEN, and nothing of the operation is
// stored: the workstation parks it for a person.
func (d *DB) checkProof(ctx context.Context, tx *sql.Tx, dev *Device, op *app.Operation) error {
	if !app.Privileged(op) {
		return nil
	}
	name, err := provenBy(op)
	if err != nil {
		return err
	}
	p := op.Proof
	if p == nil {
		return app.Errorf(app.EFORBIDDEN, "operazione %s senza la prova dell'operatore %s: serve l'accesso con la sua password", op.Kind, name)
	}
	if p.Operator != name {
		return app.Errorf(app.EFORBIDDEN, "operazione %s di %s firmata da %s", op.Kind, name, p.Operator)
	}
	o, err := operatorTx(ctx, tx, dev.Comune, name)
	if err != nil {
		return err
	}
	if !o.Active {
		return app.Errorf(app.EFORBIDDEN, "l'operatore %s è disattivato", name)
	}
	rows, err := tx.QueryContext(ctx, `SELECT public_key, replaced_at FROM operator_keys WHERE comune = ? AND username = ?`, dev.Comune, name)
	if err != nil {
		return err
	}
	defer rows.Close()
	now := d.now()
	for rows.Next() {
		var (
			pub      []byte
			replaced string
		)
		if err := rows.Scan(&pub, &replaced); err != nil {
			return err
		}
		if replaced != "" {
			at, err := app.ParseInstant(replaced)
			if err != nil {
				return err
			}
			if !op.CreatedAt.Before(at) || now.Sub(at) > app.OperatorKeyGrace {
				continue
			}
		}
		if app.VerifyOp(ed25519.PublicKey(pub), dev.Comune, op) {
			return nil
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return app.Errorf(app.EFORBIDDEN, "la prova dell'operatore %s non è valida per questa operazione", name)
}
