package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

var _ payment.Store = (*Store)(nil)

// Audit actions of payments.
const (
	auditPayment = "payment.take"
	auditClosing = "payment.close"
	auditRefund  = "payment.refund"
)

// Payee returns the comune's pagoPA settings as the hub sent them.
func (s *Store) Payee(ctx context.Context, comune string) (*payment.Payee, error) {
	r, err := s.Record(ctx, payment.KindPayee, comune)
	if err != nil {
		return nil, err
	}
	return payment.DecodePayee(r.Data)
}

// Positions lists a debtor's positions: the hub's, and those numbered here
// that the hub has not sent back yet, by due date.
func (s *Store) Positions(ctx context.Context, debtorCF string) ([]payment.View, error) {
	recs, err := s.Records(ctx, payment.KindPosition, debtorCF)
	if err != nil {
		return nil, err
	}
	var out []payment.View
	for _, r := range recs {
		p, err := payment.DecodePosition(r.Data)
		if err != nil {
			return nil, fmt.Errorf("position %s: %w", r.Key, err)
		}
		out = append(out, payment.View{Position: *p})
	}
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM local_positions l WHERE debtor_cf = ?
		AND NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = ? AND r.key = l.id)`, debtorCF, payment.KindPosition)
	if err != nil {
		return nil, fmt.Errorf("local positions: %w", err)
	}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return nil, err
		}
		p, err := payment.DecodePosition([]byte(data))
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, payment.View{Position: *p, Unsent: true})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Local, err = s.positionPayments(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].DueDate.Equal(out[j].DueDate) {
			return out[i].DueDate.Before(out[j].DueDate)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Position returns a position by its id.
func (s *Store) Position(ctx context.Context, id string) (*payment.View, error) {
	var v *payment.View
	r, err := s.Record(ctx, payment.KindPosition, id)
	switch {
	case err == nil:
		p, err := payment.DecodePosition(r.Data)
		if err != nil {
			return nil, err
		}
		v = &payment.View{Position: *p}
	case app.ErrorCode(err) == app.ENOTFOUND:
		var data string
		err := s.db.QueryRowContext(ctx, `SELECT data FROM local_positions WHERE id = ?`, id).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, app.Errorf(app.ENOTFOUND, "posizione %s sconosciuta alla postazione", id)
		}
		if err != nil {
			return nil, err
		}
		p, err := payment.DecodePosition([]byte(data))
		if err != nil {
			return nil, err
		}
		v = &payment.View{Position: *p, Unsent: true}
	default:
		return nil, err
	}
	if v.Local, err = s.positionPayments(ctx, v.ID); err != nil {
		return nil, err
	}
	return v, nil
}

// PositionByAvviso finds a position by the codice avviso of its notice,
// or of the notice of one of its instalments.
func (s *Store) PositionByAvviso(ctx context.Context, avviso pagopa.CodiceAvviso) (*payment.View, error) {
	var id string
	err := s.db.QueryRowContext(ctx, `SELECT key FROM records WHERE kind = 'position' AND json_extract(data, '$.codice_avviso') = ?`,
		string(avviso)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.QueryRowContext(ctx, `SELECT position_id FROM instalment_avvisi WHERE avviso = ?`, string(avviso)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = s.db.QueryRowContext(ctx, `SELECT id FROM local_positions WHERE avviso = ?`, string(avviso)).Scan(&id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "nessuna posizione con il codice avviso %s", avviso.Grouped())
	}
	if err != nil {
		return nil, fmt.Errorf("position by avviso: %w", err)
	}
	return s.Position(ctx, id)
}

// Fine returns a verbale by its number.
func (s *Store) Fine(ctx context.Context, number string) (*payment.Fine, error) {
	r, err := s.Record(ctx, payment.KindFine, number)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "verbale %s sconosciuto", number)
	}
	if err != nil {
		return nil, err
	}
	return payment.DecodeFine(r.Data)
}

// FinesByPlate lists the verbali of a plate, by number.
func (s *Store) FinesByPlate(ctx context.Context, plate string) ([]payment.Fine, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM records WHERE kind = 'fine' AND json_extract(data, '$.plate') = ? ORDER BY key`, plate)
	if err != nil {
		return nil, fmt.Errorf("fines by plate: %w", err)
	}
	defer rows.Close()
	var out []payment.Fine
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		f, err := payment.DecodeFine([]byte(data))
		if err != nil {
			return nil, err
		}
		out = append(out, *f)
	}
	return out, rows.Err()
}

// Refunds lists the refunds of a debtor, or of the comune for "", as the
// hub sent them; one a supervisor marked done here shows done, Unsent,
// while its fact waits to be applied.
func (s *Store) Refunds(ctx context.Context, debtorCF string) ([]payment.Refund, error) {
	recs, err := s.Records(ctx, payment.KindRefund, debtorCF)
	if err != nil {
		return nil, err
	}
	marks, err := s.repayments(ctx)
	if err != nil {
		return nil, err
	}
	var out []payment.Refund
	for _, r := range recs {
		rf, err := payment.DecodeRefund(r.Data)
		if err != nil {
			return nil, err
		}
		if m, ok := marks[rf.ID]; ok && rf.State == payment.RefundOpen {
			rf.State, rf.Done, rf.Unsent = payment.RefundDone, m, true
		}
		out = append(out, *rf)
	}
	return out, nil
}

// repayments are the refunds marked done here whose facts are still to
// be sent or were applied (the hub's record follows at the next pull); a
// refused one is parked, and its refund shows open again.
func (s *Store) repayments(ctx context.Context) (map[string]*payment.Repayment, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM outbox WHERE kind = ? AND state IN ('pending', 'done') ORDER BY seq`, payment.FactRefundDone)
	if err != nil {
		return nil, fmt.Errorf("repayments: %w", err)
	}
	defer rows.Close()
	out := map[string]*payment.Repayment{}
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		r, err := payment.DecodeRepayment([]byte(data))
		if err != nil {
			return nil, err
		}
		out[r.Refund] = r
	}
	return out, rows.Err()
}

// RecordRepayment stores a supervisor's repayment of a refund with its
// outbox fact and audit event, in one transaction.
func (s *Store) RecordRepayment(ctx context.Context, r *payment.Repayment) error {
	if err := r.Validate(); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE kind = ? AND state = 'pending' AND json_extract(data, '$.refund') = ?`,
			payment.FactRefundDone, r.Refund).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Errorf(app.ECONFLICT, "il rimborso %s è già stato registrato come eseguito su questa postazione", r.Refund)
		}
		if err := insertOpData(ctx, tx, device, payment.FactRefundDone, payment.EncodeRepayment(r), r.At); err != nil {
			return err
		}
		if err := s.prove(ctx, tx, device, r.Operator); err != nil {
			return err
		}
		return appendAudit(ctx, tx, device, r.Operator, auditRefund, r.Refund, r.At)
	})
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("record repayment: %w", err)
	}
	return err
}

// NumberPosition numbers a position from the workstation's block of IUVs
// and stores it with its outbox fact (see payment.Store).
func (s *Store) NumberPosition(ctx context.Context, build func(avviso pagopa.CodiceAvviso, seq int64) (*payment.Position, error)) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := numberPositionTx(ctx, tx, build)
		return err
	})
}

// numberPositionTx is NumberPosition in tx; it returns the position's id.
func numberPositionTx(ctx context.Context, tx *sql.Tx, build func(avviso pagopa.CodiceAvviso, seq int64) (*payment.Position, error)) (string, error) {
	device, err := profileDevice(ctx, tx)
	if err != nil {
		return "", err
	}
	var first, next int64
	var aux int
	var code string
	err = tx.QueryRowContext(ctx, `SELECT first, next, aux, code FROM iuv_blocks WHERE next <= last ORDER BY first LIMIT 1`).
		Scan(&first, &next, &aux, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", app.Errorf(app.EOFFLINE, "la postazione non ha codici IUV disponibili: l'hub ne assegna un blocco alla prossima sincronizzazione")
	}
	if err != nil {
		return "", err
	}
	avviso, err := pagopa.NewAvviso(aux, code, next)
	if err != nil {
		return "", err
	}
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM local_positions`).Scan(&seq); err != nil {
		return "", err
	}
	p, err := build(avviso, seq)
	if err != nil {
		return "", err
	}
	if p.Avviso != avviso {
		return "", fmt.Errorf("number position: built with avviso %s, not %s", p.Avviso, avviso)
	}
	data := payment.EncodePosition(p)
	if _, err := tx.ExecContext(ctx, `INSERT INTO local_positions (id, avviso, debtor_cf, seq, data, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		p.ID, string(avviso), p.DebtorCF, seq, string(data), formatTime(p.CreatedAt)); err != nil {
		return "", fmt.Errorf("store position %s: %w", p.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE iuv_blocks SET next = next + 1 WHERE first = ?`, first); err != nil {
		return "", err
	}
	return p.ID, insertOpData(ctx, tx, device, payment.FactPosition, data, p.CreatedAt)
}

// RequestIUVBlock queues a request for a block of IUVs unless one is
// pending; it reports whether it queued one.
func (s *Store) RequestIUVBlock(ctx context.Context, at time.Time) (bool, error) {
	queued := false
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE kind = ? AND state = ?`, payment.FactIUVBlock, string(app.OpPending)).Scan(&n); err != nil || n > 0 {
			return err
		}
		queued = true
		return insertOpData(ctx, tx, device, payment.FactIUVBlock, []byte(fmt.Sprintf(`{"device":%q}`, device)), at)
	})
	return queued, err
}

// IUVLeft is how many IUV bases the workstation has left.
func (s *Store) IUVLeft(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(last - next + 1), 0) FROM iuv_blocks WHERE next <= last`).Scan(&n)
	return n, err
}

// TakePayment stores a payment taken at the counter with its outbox fact
// and the operator's audit event, in one transaction (see payment.Store).
func (s *Store) TakePayment(ctx context.Context, year int, build func(seq int64) (*payment.Payment, error)) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM payments WHERE device = ? AND year = ?`, device, year).Scan(&seq); err != nil {
			return err
		}
		p, err := build(seq)
		if err != nil {
			return err
		}
		if p.Device != device {
			return fmt.Errorf("payment %s: device %s is not %s", p.Receipt, p.Device, device)
		}
		if err := p.Validate(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cash_closings WHERE operator = ? AND day = ?`, p.Operator, p.Day).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Errorf(app.ECONFLICT, "la giornata %s dell'operatore %s è chiusa: nessun incasso può esservi aggiunto", p.Day, p.Operator)
		}
		// The same rata, or the rata unica over an instalment (and the
		// reverse), taken here twice.
		var other string
		var rata int
		err = tx.QueryRowContext(ctx, `SELECT receipt, instalment FROM payments WHERE position_id = ? AND (instalment = ? OR instalment = 0 OR ? = 0)
			ORDER BY year, seq LIMIT 1`, p.PositionID, p.Instalment, p.Instalment).Scan(&other, &rata)
		if err == nil && rata > 0 {
			return app.Errorf(app.ECONFLICT, "la rata %d della posizione %s è già stata pagata a questo sportello (ricevuta %s)", rata, p.PositionID, other)
		}
		if err == nil {
			return app.Errorf(app.ECONFLICT, "la posizione %s è già stata pagata a questo sportello (ricevuta %s)", p.PositionID, other)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		data := payment.EncodePayment(p)
		if _, err := tx.ExecContext(ctx, `INSERT INTO payments (receipt, device, year, seq, position_id, avviso, instalment, operator, day, amount, method, data)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Receipt, device, year, seq, p.PositionID, string(p.Avviso), p.Instalment, p.Operator, p.Day,
			p.AmountCents, string(p.Method), string(data)); err != nil {
			return fmt.Errorf("store payment %s: %w", p.Receipt, err)
		}
		if err := insertOpData(ctx, tx, device, payment.FactPayment, data, p.At); err != nil {
			return err
		}
		return appendAudit(ctx, tx, device, p.Operator, auditPayment, p.DebtorCF+" "+p.Receipt, p.At)
	})
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("take payment: %w", err)
	}
	return err
}

const paymentColumns = `SELECT data, duplicate, refund FROM payments `

func (s *Store) queryPayments(ctx context.Context, q string, args ...any) ([]payment.Payment, error) {
	rows, err := s.db.QueryContext(ctx, paymentColumns+q, args...)
	if err != nil {
		return nil, fmt.Errorf("payments: %w", err)
	}
	defer rows.Close()
	var out []payment.Payment
	for rows.Next() {
		var data, refund string
		var dup bool
		if err := rows.Scan(&data, &dup, &refund); err != nil {
			return nil, err
		}
		p, err := payment.DecodePayment([]byte(data))
		if err != nil {
			return nil, err
		}
		p.Duplicate, p.Refund = dup, refund
		out = append(out, *p)
	}
	return out, rows.Err()
}

func (s *Store) positionPayments(ctx context.Context, id string) ([]payment.Payment, error) {
	return s.queryPayments(ctx, `WHERE position_id = ? ORDER BY year, seq`, id)
}

// Payment returns a payment taken here by its receipt number.
func (s *Store) Payment(ctx context.Context, receipt string) (*payment.Payment, error) {
	ps, err := s.queryPayments(ctx, `WHERE receipt = ?`, receipt)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, app.Errorf(app.ENOTFOUND, "ricevuta %s non emessa da questa postazione", receipt)
	}
	return &ps[0], nil
}

// DayPayments lists the payments an operator took here on a day, in order.
func (s *Store) DayPayments(ctx context.Context, operator, day string) ([]payment.Payment, error) {
	return s.queryPayments(ctx, `WHERE operator = ? AND day = ? ORDER BY year, seq`, operator, day)
}

// CertificateFees lists the certificates the operator issued here on the
// day (in Rome), with their bollo and diritti.
func (s *Store) CertificateFees(ctx context.Context, operator, day string) ([]payment.CertificateFee, error) {
	d, err := time.ParseInLocation(app.DateLayout, day, app.Rome)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "giornata %q non valida", day)
	}
	// What each certificate cost was recorded when it was issued, with the
	// comune's fees then (certificates_takings indexes the lookup).
	rows, err := s.db.QueryContext(ctx, `SELECT type, data, bollo_cents, diritti_cents FROM certificates
		WHERE operator = ? AND issued_at >= ? AND issued_at < ? ORDER BY issued_at, number`, operator, formatTime(d), formatTime(d.AddDate(0, 0, 1)))
	if err != nil {
		return nil, fmt.Errorf("certificates of the day: %w", err)
	}
	defer rows.Close()
	var out []payment.CertificateFee
	for rows.Next() {
		var typ, data string
		var bollo, diritti int64
		if err := rows.Scan(&typ, &data, &bollo, &diritti); err != nil {
			return nil, err
		}
		c, err := decodeCertificate(typ, data)
		if err != nil {
			return nil, err
		}
		out = append(out, payment.CertificateFee{Number: c.Number.String(), Type: c.Type.Title, IssuedAt: c.IssuedAt, BolloCents: bollo, DirittiCents: diritti})
	}
	return out, rows.Err()
}

// CloseDay stores a signed closing with its outbox fact and audit event.
func (s *Store) CloseDay(ctx context.Context, c *payment.Closing) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cash_closings WHERE operator = ? AND day = ?`, c.Operator, c.Day).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return app.Errorf(app.ECONFLICT, "la giornata %s di %s è già chiusa", c.Day, c.Operator)
		}
		// A payment taken between the summary and now would be left out.
		var count int
		var sum int64
		if err := tx.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(amount), 0) FROM payments WHERE operator = ? AND day = ?`,
			c.Operator, c.Day).Scan(&count, &sum); err != nil {
			return err
		}
		if count != len(c.Payments) || sum != c.TotalCents {
			return app.Errorf(app.ECONFLICT, "incassi cambiati durante la chiusura: ripetere la chiusura")
		}
		data := payment.EncodeClosing(c)
		if _, err := tx.ExecContext(ctx, `INSERT INTO cash_closings (operator, day, device, data, closed_at) VALUES (?, ?, ?, ?, ?)`,
			c.Operator, c.Day, device, string(data), formatTime(c.ClosedAt)); err != nil {
			return err
		}
		if err := insertOpData(ctx, tx, device, payment.FactClosing, data, c.ClosedAt); err != nil {
			return err
		}
		if err := s.prove(ctx, tx, device, c.Operator); err != nil {
			return err
		}
		return appendAudit(ctx, tx, device, c.Operator, auditClosing, c.Day, c.ClosedAt)
	})
	if err != nil && app.ErrorCode(err) == app.EINTERNAL {
		return fmt.Errorf("close day: %w", err)
	}
	return err
}

// Closing returns a closed day; ENOTFOUND when the day is open.
func (s *Store) Closing(ctx context.Context, operator, day string) (*payment.Closing, error) {
	var data string
	err := s.db.QueryRowContext(ctx, `SELECT data FROM cash_closings WHERE operator = ? AND day = ?`, operator, day).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, app.Errorf(app.ENOTFOUND, "la giornata %s di %s non è chiusa", day, operator)
	}
	if err != nil {
		return nil, err
	}
	return payment.DecodeClosing([]byte(data))
}

// applyPaymentResult takes the hub's answer to a payment (a double
// payment, with its refund) or to a request for IUVs (the block), in
// MarkOp's transaction.
func applyPaymentResult(ctx context.Context, tx *sql.Tx, kind string, res app.OpResult) error {
	switch kind {
	case payment.FactPayment:
		var data string
		if err := tx.QueryRowContext(ctx, `SELECT data FROM outbox WHERE id = ?`, res.ID).Scan(&data); err != nil {
			return err
		}
		p, err := payment.DecodePayment([]byte(data))
		if err != nil {
			return err
		}
		a, err := payment.DecodePaymentAnswer(res.Data)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE payments SET duplicate = ?, refund = ? WHERE receipt = ?`, a.Duplicate, a.Refund, p.Receipt)
		return err
	case payment.FactIUVBlock:
		b, err := payment.DecodeBlock(res.Data)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO iuv_blocks (first, last, next, aux, code, received_at) VALUES (?, ?, ?, ?, ?, ?)`,
			b.First, b.Last, b.First, b.Aux, b.Code, formatTime(time.Now()))
		return err
	}
	return nil
}
