package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/hub/storage/stored"
)

// BlockSize is how many IUVs the hub gives a workstation at a time.
const BlockSize = 1000

// PutPayee stores a comune's pagoPA settings; its workstations receive them.
func (d *DB) PutPayee(ctx context.Context, p *payment.Payee) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if _, err := d.Comune(ctx, p.Comune); err != nil {
		return err
	}
	return d.PutRecords(ctx, p.Comune, []app.Record{{Kind: payment.KindPayee, Key: p.Comune, Data: payment.EncodePayee(p)}})
}

func payeeTx(ctx context.Context, tx *sql.Tx, comune string) (*payment.Payee, error) {
	r, err := RecordTx(ctx, tx, comune, payment.KindPayee, comune)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.EINVALID, "il comune %s non ha ancora i dati pagoPA (ente creditore) all'hub", comune)
	}
	if err != nil {
		return nil, err
	}
	return payment.DecodePayee(r.Data)
}

// nextIUV takes n consecutive IUV bases of the comune's numbering; none
// while the comune is in recovery after a restore (recovery.go): a block a
// workstation holds may not be known yet.
func nextIUV(ctx context.Context, tx *sql.Tx, py *payment.Payee, n int64) (int64, error) {
	if err := holdNumbering(ctx, tx, py.Comune); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO iuv_counters (comune, aux, code, next) VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING`, py.Comune, py.Aux, py.Code); err != nil {
		return 0, err
	}
	var first int64
	if err := tx.QueryRowContext(ctx, `UPDATE iuv_counters SET next = next + ? WHERE comune = ? AND aux = ? AND code = ? RETURNING next - ?`,
		n, py.Comune, py.Aux, py.Code, n).Scan(&first); err != nil {
		return 0, fmt.Errorf("number IUV of %s: %w", py.Comune, err)
	}
	if first+n-1 > pagopa.MaxIUVBase {
		return 0, app.Errorf(app.ECONFLICT, "codici IUV del comune %s esauriti", py.Comune)
	}
	return first, nil
}

// CreatePosition enters a position of the hub in the comune's archive of
// pending payments: numbered with the comune's next IUV unless it has an
// avviso, published (payable at the node), and sent to the comune's
// workstations. The id is made when empty.
func (d *DB) CreatePosition(ctx context.Context, p payment.Position) (*payment.Position, error) {
	err := d.tx(ctx, func(tx *sql.Tx) error { return d.createPositionTx(ctx, tx, &p) })
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func (d *DB) createPositionTx(ctx context.Context, tx *sql.Tx, p *payment.Position) error {
	py, err := payeeTx(ctx, tx, p.Comune)
	if err != nil {
		return err
	}
	if p.Avviso == "" {
		base, err := nextIUV(ctx, tx, py, 1)
		if err != nil {
			return err
		}
		if p.Avviso, err = pagopa.NewAvviso(py.Aux, py.Code, base); err != nil {
			return err
		}
		if p.ID == "" {
			p.ID = fmt.Sprintf("%s-%d-H%07d", p.Comune, d.now().In(app.Rome).Year(), base)
		}
	}
	for i := range p.Instalments {
		if p.Instalments[i].Avviso != "" {
			continue
		}
		base, err := nextIUV(ctx, tx, py, 1)
		if err != nil {
			return err
		}
		if p.Instalments[i].Avviso, err = pagopa.NewAvviso(py.Aux, py.Code, base); err != nil {
			return err
		}
	}
	if p.State == "" {
		p.State = payment.StateDue
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = d.now()
	}
	p.Published = true
	if err := p.Validate(); err != nil {
		return err
	}
	return d.putPositionTx(ctx, tx, p)
}

// putPositionTx stores a position and the avvisi that pay it.
func (d *DB) putPositionTx(ctx context.Context, tx *sql.Tx, p *payment.Position) error {
	avvisi := []pagopa.CodiceAvviso{p.Avviso}
	for _, in := range p.Instalments {
		avvisi = append(avvisi, in.Avviso)
	}
	for _, a := range avvisi {
		var other string
		err := tx.QueryRowContext(ctx, `SELECT position_id FROM position_avvisi WHERE avviso = ? AND comune = ?`, string(a), p.Comune).Scan(&other)
		switch {
		case err == nil && other != p.ID:
			return app.Errorf(app.ECONFLICT, "il codice avviso %s è già della posizione %s", a.Grouped(), other)
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO position_avvisi (avviso, comune, position_id) VALUES (?, ?, ?)`, string(a), p.Comune, p.ID); err != nil {
				return err
			}
		case err != nil:
			return err
		}
	}
	return d.PutRecordsTx(ctx, tx, p.Comune, []app.Record{{Kind: payment.KindPosition, Key: p.ID, Subject: subjectOf(p.DebtorCF), Data: payment.EncodePosition(p)}})
}

// subjectOf is the record subject of a debtor: a person's codice fiscale;
// "" for a company's 11 digits.
func subjectOf(cf string) string {
	if len(cf) == 16 {
		return cf
	}
	return ""
}

// PutFine stores a verbale with the position that collects it (the
// minimum plus costs, due in 60 days of the notification; what is due on a
// day follows payment.Fine.Due).
func (d *DB) PutFine(ctx context.Context, f payment.Fine) (*payment.Fine, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	err := d.tx(ctx, func(tx *sql.Tx) error {
		if f.PositionID == "" {
			name := f.OffenderName
			if name == "" {
				name = "Proprietario del veicolo " + f.Plate
			}
			p := payment.Position{Comune: f.Comune, DebtorCF: f.OffenderCF, DebtorName: name, Service: payment.ServiceFine,
				Causale: "Verbale n. " + f.Number + " targa " + f.Plate, AmountCents: f.MinCents + f.CostsCents,
				DueDate: f.NotifiedOn.AddDate(0, 0, 60), Fine: f.Number}
			if err := d.createPositionTx(ctx, tx, &p); err != nil {
				return err
			}
			f.PositionID = p.ID
		}
		return d.PutRecordsTx(ctx, tx, f.Comune, []app.Record{{Kind: payment.KindFine, Key: f.Number, Subject: subjectOf(f.OffenderCF), Data: payment.EncodeFine(&f)}})
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// applyPaymentFact applies the facts of payments (payment.Fact*).
func (d *DB) applyPaymentFact(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	switch op.Kind {
	case payment.FactIUVBlock:
		return d.applyIUVBlock(ctx, tx, dev, op.Prior)
	case payment.FactPosition:
		return nil, d.applyPosition(ctx, tx, dev, op.Data)
	case payment.FactPayment:
		return d.applyPayment(ctx, tx, dev, op.Data)
	case payment.FactClosing:
		return nil, d.applyClosing(ctx, tx, dev, op.Data)
	case payment.FactRefundDone:
		return d.applyRefundDone(ctx, tx, dev, op) // refunds.go
	}
	return nil, app.Errorf(app.EINVALID, "tipo di operazione sconosciuto %q", op.Kind)
}

// applyIUVBlock gives the device the comune's next BlockSize IUVs, or
// the block a restored hub had given it (prior, priorBlock).
func (d *DB) applyIUVBlock(ctx context.Context, tx *sql.Tx, dev *Device, prior []byte) ([]byte, error) {
	py, err := payeeTx(ctx, tx, dev.Comune)
	if err != nil {
		return nil, err
	}
	b, ok, err := priorBlock(ctx, tx, dev, py, prior)
	if err != nil {
		return nil, err
	}
	if !ok {
		first, err := nextIUV(ctx, tx, py, BlockSize)
		if err != nil {
			return nil, err
		}
		b = pagopa.Block{Device: dev.ID, Aux: py.Aux, Code: py.Code, First: first, Last: first + BlockSize - 1}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO iuv_blocks (comune, device, aux, code, first, last, allocated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		dev.Comune, dev.ID, b.Aux, b.Code, b.First, b.Last, ts(d.now())); err != nil {
		return nil, err
	}
	return payment.EncodeBlock(b), nil
}

// priorBlock gives a block of IUVs sent again after a restore of the hub
// the block the hub had given the device before (prior, the hub's answer
// then), when the restored hub has given none of it to anyone: the
// workstation may have printed notices from it, and an IUV must stay
// unique for the comune. While the comune is in recovery nothing else is
// numbered (nextIUV), so a range no block overlaps is free; after it, only
// a range past the comune's counter is. The counter moves past the block.
func priorBlock(ctx context.Context, tx *sql.Tx, dev *Device, py *payment.Payee, prior []byte) (pagopa.Block, bool, error) {
	if len(prior) == 0 {
		return pagopa.Block{}, false, nil
	}
	b, err := payment.DecodeBlock(prior)
	if err != nil || b.Device != dev.ID || b.Aux != py.Aux || b.Code != py.Code {
		return pagopa.Block{}, false, nil // not an answer of ours to this device: a new block
	}
	var restored string
	var overlaps int
	var next sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT restored_at,
		(SELECT count(*) FROM iuv_blocks WHERE comune = ? AND aux = ? AND code = ? AND first <= ? AND last >= ?),
		(SELECT next FROM iuv_counters WHERE comune = ? AND aux = ? AND code = ?) FROM hub_state`,
		py.Comune, b.Aux, b.Code, b.Last, b.First, py.Comune, b.Aux, b.Code).Scan(&restored, &overlaps, &next); err != nil {
		return pagopa.Block{}, false, fmt.Errorf("prior IUV block: %w", err)
	}
	held, err := inRecovery(ctx, tx, py.Comune)
	if err != nil {
		return pagopa.Block{}, false, err
	}
	if restored == "" || overlaps > 0 || !held && b.First < next.Int64 {
		return pagopa.Block{}, false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO iuv_counters (comune, aux, code, next) VALUES (?, ?, ?, ?)
		ON CONFLICT (comune, aux, code) DO UPDATE SET next = CASE WHEN iuv_counters.next > excluded.next THEN iuv_counters.next ELSE excluded.next END`, py.Comune, b.Aux, b.Code, b.Last+1); err != nil {
		return pagopa.Block{}, false, fmt.Errorf("prior IUV block: %w", err)
	}
	return b, true, nil
}

// ivuBase is the IUV base of an avviso of aux 0 or 3.
func iuvBase(a pagopa.CodiceAvviso) (int64, bool) {
	if a.Aux() != 0 && a.Aux() != 3 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(a[3:16]), 10, 64)
	return n, err == nil
}

// applyPosition publishes a position a workstation numbered from its block.
func (d *DB) applyPosition(ctx context.Context, tx *sql.Tx, dev *Device, data []byte) error {
	p, err := payment.DecodePosition(data)
	if err != nil {
		return app.Errorf(app.EINVALID, "posizione non valida: %s", app.ErrorMessage(err))
	}
	if p.Comune != dev.Comune || p.CreatedBy != dev.ID {
		return app.Errorf(app.EFORBIDDEN, "posizione %s di un altro comune o di un'altra postazione", p.ID)
	}
	// A workstation numbers a position once, from its own block: the fact
	// creates, never rewrites. CreatedBy is the sender's word, so an id the
	// hub knows already is refused whoever it says made it; otherwise a
	// position of the hub's, paid, could come back due with its receipts
	// gone.
	switch old, err := positionTx(ctx, tx, dev.Comune, p.ID); {
	case err == nil && old.CreatedBy != dev.ID:
		return app.Errorf(app.EFORBIDDEN, "la posizione %s esiste già e non è di questa postazione", p.ID)
	case err == nil:
		return app.Errorf(app.ECONFLICT, "la posizione %s esiste già all'hub", p.ID)
	case app.ErrorCode(err) != app.EINVALID:
		return err
	}
	avvisi := []pagopa.CodiceAvviso{p.Avviso}
	for _, in := range p.Instalments {
		avvisi = append(avvisi, in.Avviso)
	}
	for _, a := range avvisi {
		ok, err := inDeviceBlock(ctx, tx, dev, a)
		if err != nil {
			return err
		}
		if !ok {
			return app.Errorf(app.EFORBIDDEN, "il codice avviso %s della posizione %s non è di un blocco assegnato alla postazione", a.Grouped(), p.ID)
		}
	}
	p.Published, p.Receipts = true, nil
	p.State = payment.StateDue
	return d.putPositionTx(ctx, tx, p)
}

// inDeviceBlock reports whether an avviso was numbered from one of the
// device's blocks of IUVs.
func inDeviceBlock(ctx context.Context, tx *sql.Tx, dev *Device, a pagopa.CodiceAvviso) (bool, error) {
	base, ok := iuvBase(a)
	if !ok {
		return false, nil
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM iuv_blocks WHERE device = ? AND aux = ? AND code = ? AND ? BETWEEN first AND last`,
		dev.ID, a.Aux(), a.Code(), base).Scan(&n); err != nil {
		return false, fmt.Errorf("check block of %s: %w", a, err)
	}
	return n > 0, nil
}

// dueTx is what a counter payment of rata n of pos made at must amount
// to: the rata's amount, or for a fine's rata unica what the fine's stage
// on that day makes due, as the counter computed it (payment.Cashier).
func dueTx(ctx context.Context, tx *sql.Tx, pos *payment.Position, n int, at time.Time) (int64, error) {
	t, err := pos.Target(n)
	if err != nil {
		return 0, err
	}
	if n != 0 || pos.Fine == "" {
		return t.AmountCents, nil
	}
	rec, err := RecordTx(ctx, tx, pos.Comune, payment.KindFine, pos.Fine)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return t.AmountCents, nil
	}
	if err != nil {
		return 0, err
	}
	f, err := payment.DecodeFine(rec.Data)
	if err != nil {
		return 0, fmt.Errorf("fine %s: %w", pos.Fine, err)
	}
	return f.Due(payment.Today(at)).Cents, nil
}

// applyPayment records a payment taken at a counter of the device.
func (d *DB) applyPayment(ctx context.Context, tx *sql.Tx, dev *Device, data []byte) ([]byte, error) {
	p, err := payment.DecodePayment(data)
	if err != nil {
		return nil, err
	}
	if p.Device != dev.ID {
		return nil, app.Errorf(app.EFORBIDDEN, "pagamento %s di un'altra postazione", p.Receipt)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM cash_closings WHERE device = ? AND operator = ? AND day = ?`,
		dev.ID, p.Operator, p.Day).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, app.Errorf(app.ECONFLICT, "pagamento %s rifiutato: la giornata %s di %s è già chiusa su questa postazione", p.Receipt, p.Day, p.Operator)
	}
	pos, err := positionTx(ctx, tx, dev.Comune, p.PositionID)
	if err != nil {
		return nil, err
	}
	if t, err := pos.Target(p.Instalment); err != nil || t.Avviso != p.Avviso {
		return nil, app.Errorf(app.EINVALID, "pagamento %s: il codice avviso non è quello della %s della posizione %s", p.Receipt, pos.TargetName(p.Instalment), pos.ID)
	}
	// The counter takes what is due, no less: a cent must not mark a
	// €500 position paid.
	due, err := dueTx(ctx, tx, pos, p.Instalment, p.At)
	if err != nil {
		return nil, err
	}
	if p.AmountCents != due {
		return nil, app.Errorf(app.EINVALID, "pagamento %s di %s: la %s della posizione %s è di %s", p.Receipt,
			app.Euro(p.AmountCents), pos.TargetName(p.Instalment), pos.ID, app.Euro(due))
	}
	r := payment.Receipt{Number: p.Receipt, Channel: payment.ChannelCounter, Method: p.Method, AmountCents: p.AmountCents,
		At: p.At, Device: dev.ID, Operator: p.Operator, Instalment: p.Instalment}
	a, err := d.recordPayment(ctx, tx, pos, r, p.Day)
	if err != nil {
		return nil, err
	}
	return payment.EncodePaymentAnswer(a), nil
}

func positionTx(ctx context.Context, tx *sql.Tx, comune, id string) (*payment.Position, error) {
	rec, err := RecordTx(ctx, tx, comune, payment.KindPosition, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.EINVALID, "posizione %s sconosciuta all'hub del comune %s", id, comune)
	}
	if err != nil {
		return nil, err
	}
	return payment.DecodePosition(rec.Data)
}

// recordPayment records a payment of a position, whatever its channel,
// of the rata the receipt names. What was paid already is paid again: the
// payment is recorded all the same, never dropped, the position (and the
// instalment) marked paid twice, and a refund opened with every receipt;
// the answer says so (payment.Position.Apply).
func (d *DB) recordPayment(ctx context.Context, tx *sql.Tx, pos *payment.Position, r payment.Receipt, day string) (payment.PaymentAnswer, error) {
	var a payment.PaymentAnswer
	applied, err := pos.Apply(r, d.now())
	if err != nil {
		return a, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO payments (receipt, comune, position_id, avviso, instalment, amount, channel, method, device, operator, day,
		paid_at, received_at, duplicate_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Number, pos.Comune, pos.ID, string(applied.Target.Avviso), r.Instalment, r.AmountCents, r.Channel, string(r.Method), r.Device, r.Operator, day,
		ts(r.At), ts(d.now()), applied.Earlier); err != nil {
		var n int
		if tx.QueryRowContext(ctx, `SELECT count(*) FROM payments WHERE receipt = ?`, r.Number).Scan(&n) == nil && n > 0 {
			return a, app.Errorf(app.ECONFLICT, "ricevuta %s già registrata dall'hub", r.Number)
		}
		return a, fmt.Errorf("record payment %s: %w", r.Number, err)
	}
	recs := []app.Record{}
	if rf := applied.Refund; rf != nil {
		a = payment.PaymentAnswer{Duplicate: true, Refund: rf.ID}
		recs = append(recs, app.Record{Kind: payment.KindRefund, Key: rf.ID, Subject: subjectOf(pos.DebtorCF), Data: payment.EncodeRefund(rf)})
	}
	recs = append(recs, app.Record{Kind: payment.KindPosition, Key: pos.ID, Subject: subjectOf(pos.DebtorCF), Data: payment.EncodePosition(pos)})
	return a, d.PutRecordsTx(ctx, tx, pos.Comune, recs)
}

// RecordOnlinePayment records a payment of the codice avviso received
// through the pagoPA node (a PSP, the IO app): what the node's receipt
// (ricevuta telematica) tells the creditor. The avviso of an instalment
// pays that instalment. ENOTFOUND for an avviso of no position; EINVALID
// when comuni of the network share it (RecordOnlinePaymentTo names the
// creditor).
func (d *DB) RecordOnlinePayment(ctx context.Context, avviso pagopa.CodiceAvviso, amountCents int64, at time.Time) (*OnlinePayment, error) {
	return d.RecordOnlinePaymentTo(ctx, "", avviso, amountCents, at)
}

// RecordOnlinePaymentTo is RecordOnlinePayment for the creditor whose
// codice fiscale is cfEnte ("" for whichever comune has the avviso).
func (d *DB) RecordOnlinePaymentTo(ctx context.Context, cfEnte string, avviso pagopa.CodiceAvviso, amountCents int64, at time.Time) (*OnlinePayment, error) {
	if amountCents <= 0 || amountCents > pagopa.MaxAmountCents {
		return nil, app.Errorf(app.EINVALID, "importo non valido")
	}
	var out OnlinePayment
	err := d.tx(ctx, func(tx *sql.Tx) error {
		comune, id, err := findAvviso(ctx, tx, cfEnte, avviso)
		if err != nil {
			return err
		}
		pos, err := positionTx(ctx, tx, comune, id)
		if err != nil {
			return err
		}
		t, _ := pos.TargetOf(avviso)
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payments WHERE comune = ? AND avviso = ? AND channel = ?`,
			comune, string(avviso), payment.ChannelPagoPA).Scan(&n); err != nil {
			return err
		}
		r := payment.Receipt{Number: fmt.Sprintf("RT-%s-%s-%d", pos.Comune, avviso.IUV(), n+1), Channel: payment.ChannelPagoPA,
			AmountCents: amountCents, At: at.UTC(), Instalment: t.N}
		a, err := d.recordPayment(ctx, tx, pos, r, payment.DayOf(at))
		if err != nil {
			return err
		}
		out = OnlinePayment{Position: *pos, Instalment: t.N, Receipt: r.Number, Answer: a}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// findAvviso returns the comune and position a codice avviso pays, among
// the comuni whose creditor is cfEnte ("": any). ENOTFOUND for none,
// EINVALID when more than one comune has it and cfEnte is "".
func findAvviso(ctx context.Context, tx *sql.Tx, cfEnte string, avviso pagopa.CodiceAvviso) (comune, id string, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT comune, position_id FROM position_avvisi WHERE avviso = ? ORDER BY comune`, string(avviso))
	if err != nil {
		return "", "", err
	}
	type hit struct{ comune, id string }
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.comune, &h.id); err != nil {
			rows.Close()
			return "", "", err
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", "", err
	}
	var found []hit
	for _, h := range hits {
		if cfEnte != "" {
			py, err := payeeTx(ctx, tx, h.comune)
			if err != nil || py.CFEnte != cfEnte {
				continue
			}
		}
		found = append(found, h)
	}
	switch len(found) {
	case 0:
		return "", "", app.Errorf(app.ENOTFOUND, "nessuna posizione con il codice avviso %s", avviso.Grouped())
	case 1:
		return found[0].comune, found[0].id, nil
	}
	return "", "", app.Errorf(app.EINVALID, "il codice avviso %s è di più comuni della rete: indicare il codice fiscale dell'ente creditore", avviso.Grouped())
}

// applyClosing records a closed day: its signature must be the device's.
func (d *DB) applyClosing(ctx context.Context, tx *sql.Tx, dev *Device, data []byte) error {
	c, err := payment.DecodeClosing(data)
	if err != nil {
		return err
	}
	if c.Device != dev.ID {
		return app.Errorf(app.EFORBIDDEN, "chiusura di cassa di un'altra postazione")
	}
	var certJSON string
	if err := tx.QueryRowContext(ctx, `SELECT cert FROM devices WHERE id = ?`, dev.ID).Scan(&certJSON); err != nil {
		return err
	}
	cert, err := stored.DecodeKeyCert([]byte(certJSON))
	if err != nil {
		return err
	}
	// A day closed before the upgrade was signed in protocol 2's spelling.
	if err := c.Verify(ed25519.PublicKey(cert.PublicKey), stored.ClosingV2); err != nil {
		return err
	}
	var hubTotal int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(amount), 0) FROM payments WHERE device = ? AND operator = ? AND day = ?`,
		dev.ID, c.Operator, c.Day).Scan(&hubTotal); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cash_closings (device, operator, day, comune, total, hub_total, data, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		dev.ID, c.Operator, c.Day, dev.Comune, c.TotalCents, hubTotal, string(data), ts(d.now()))
	if err != nil {
		return app.Errorf(app.ECONFLICT, "giornata %s di %s già chiusa su questa postazione", c.Day, c.Operator)
	}
	return nil
}

// PositionPayments lists the payments of a position in the order applied.
func (d *DB) PositionPayments(ctx context.Context, comune, positionID string) ([]HubPayment, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT receipt, position_id, amount, channel, device, duplicate_of FROM payments
		WHERE comune = ? AND position_id = ? ORDER BY rowid`, comune, positionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HubPayment
	for rows.Next() {
		var p HubPayment
		if err := rows.Scan(&p.Receipt, &p.PositionID, &p.AmountCents, &p.Channel, &p.Device, &p.DuplicateOf); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Refunds lists a comune's refunds.
func (d *DB) Refunds(ctx context.Context, comune string) ([]payment.Refund, error) {
	recs, err := d.Records(ctx, comune, payment.KindRefund, "")
	if err != nil {
		return nil, err
	}
	var out []payment.Refund
	for _, r := range recs {
		rf, err := payment.DecodeRefund(r.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, *rf)
	}
	return out, nil
}

// ClosedDay reports whether the hub has the closing of a device's
// operator's day, with the total it declared and the hub's own total.
func (d *DB) ClosedDay(ctx context.Context, device, operator, day string) (closed bool, total, hubTotal int64, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT total, hub_total FROM cash_closings WHERE device = ? AND operator = ? AND day = ?`,
		device, operator, day).Scan(&total, &hubTotal)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, 0, nil
	}
	return err == nil, total, hubTotal, err
}
