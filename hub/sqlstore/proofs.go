package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"time"

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
	keys, err := operatorKeys(ctx, tx, dev.Comune, name)
	if err != nil {
		return err
	}
	now := d.now()
	for _, k := range keys {
		if !k.replaced.IsZero() && (!op.CreatedAt.Before(k.replaced) || now.Sub(k.replaced) > app.OperatorKeyGrace) {
			continue
		}
		if app.VerifyOp(k.pub, dev.Comune, op) {
			return nil
		}
	}
	return app.Errorf(app.EFORBIDDEN, "la prova dell'operatore %s non è valida per questa operazione", name)
}

// operatorKey is one of an operator's keys; replaced is zero for the
// current one.
type operatorKey struct {
	pub      ed25519.PublicKey
	replaced time.Time
}

// operatorKeys are the keys of an operator of comune, current and replaced.
func operatorKeys(ctx context.Context, q querier, comune, name string) ([]operatorKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT public_key, replaced_at FROM operator_keys WHERE comune = ? AND username = ?`, comune, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []operatorKey
	for rows.Next() {
		var (
			k        operatorKey
			pub      []byte
			replaced string
		)
		if err := rows.Scan(&pub, &replaced); err != nil {
			return nil, err
		}
		k.pub = pub
		if k.replaced, err = app.ParseInstant(replaced); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// ProvenAccesses answers a supervisor's request, from a device, for the
// accesses to a citizen of the device's comune (Accesses): the request
// must be signed now (app.AccessProofWindow) with the current key of an
// active supervisor of that comune, over app.AccessExportMessage. A device
// token alone, another role, another comune's citizen or a stale request
// are refused: EFORBIDDEN, ENOTFOUND for a citizen the comune does not
// have.
func (d *DB) ProvenAccesses(ctx context.Context, dev *Device, codiceFiscale, operator string, at time.Time, signature []byte) ([]Access, error) {
	now := d.now()
	if at.Before(now.Add(-app.AccessProofWindow)) || at.After(now.Add(app.AccessProofWindow)) {
		return nil, app.Errorf(app.EFORBIDDEN, "richiesta degli accessi fuori tempo: controllare l'ora della postazione")
	}
	var own int
	if err := d.db.QueryRowContext(ctx, `SELECT count(*) FROM citizens WHERE codice_fiscale = ? AND comune = ?`,
		codiceFiscale, dev.Comune).Scan(&own); err != nil {
		return nil, fmt.Errorf("accesses of %s: %w", codiceFiscale, err)
	}
	if own == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "il cittadino %s non è del comune %s", codiceFiscale, dev.Comune)
	}
	o, err := operatorTx(ctx, d.db, dev.Comune, operator)
	if err != nil {
		return nil, err
	}
	if !o.Active || !o.Has(app.RoleSupervisor) {
		return nil, app.Errorf(app.EFORBIDDEN, "solo un supervisore esporta gli accessi a un cittadino")
	}
	keys, err := operatorKeys(ctx, d.db, dev.Comune, operator)
	if err != nil {
		return nil, err
	}
	msg := app.AccessExportMessage(dev.Comune, dev.ID, codiceFiscale, operator, at)
	for _, k := range keys {
		if k.replaced.IsZero() && ed25519.Verify(k.pub, msg, signature) {
			return d.Accesses(ctx, dev.Comune, codiceFiscale)
		}
	}
	return nil, app.Errorf(app.EFORBIDDEN, "la prova del supervisore %s non è valida", operator)
}

// ProvenReader checks the proof of a read of the anagrafe made from dev:
// msg (app.ReadProofMessage) signed with the current key of operator, an
// active operator of the device's comune whose roles let them read
// another comune's citizen (app.MayReadOtherComuni). The time window and
// the message are the caller's (the hub's handler knows the request).
// EFORBIDDEN otherwise, naming what is wrong, never the key.
func (d *DB) ProvenReader(ctx context.Context, dev *Device, operator string, msg, signature []byte) error {
	o, err := operatorTx(ctx, d.db, dev.Comune, operator)
	if err != nil {
		return err
	}
	if !o.Active {
		return app.Errorf(app.EFORBIDDEN, "l'operatore %s è disattivato", operator)
	}
	if !app.MayReadOtherComuni(o) {
		return app.Errorf(app.EFORBIDDEN, "l'operatore %s non ha un ruolo di sportello: non consulta cittadini di altri comuni", operator)
	}
	keys, err := operatorKeys(ctx, d.db, dev.Comune, operator)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.replaced.IsZero() && ed25519.Verify(k.pub, msg, signature) {
			return nil
		}
	}
	return app.Errorf(app.EFORBIDDEN, "la prova dell'operatore %s non è valida per questa consultazione", operator)
}
