package payment

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// View is a position as the workstation sees it: the hub's record, and
// what the counter did since that the hub may not know yet.
type View struct {
	Position
	// Local are the payments taken at this workstation, with the hub's
	// answer once it came (Duplicate, Refund).
	Local []Payment
	// Unsent: the counter numbered the position and the hub has not
	// confirmed it yet (it is not payable at the node).
	Unsent bool
}

// Status is a position's state for the operator.
type Status string

// The statuses the screens and the scanner show.
const (
	StatusDue        Status = "da pagare"
	StatusNotPayable Status = "non ancora pagabile"
	StatusPaid       Status = "pagato"
	StatusPaidHere   Status = "pagato allo sportello, in attesa di conferma dell'hub"
	StatusPartial    Status = "pagato in parte" // some instalments are paid
	StatusDuplicate  Status = "pagato due volte: da rimborsare"
	StatusCancelled  Status = "annullato"
	StatusUnknown    Status = "sconosciuto"
	StatusOffline    Status = "non verificabile senza rete" // the scanner: another comune's code, the hub unreachable
)

// Status is where the position stands: the hub's word first, then what
// this counter did.
func (v *View) Status() Status {
	switch v.State {
	case StateDuplicate:
		return StatusDuplicate
	case StatePaid:
		return StatusPaid
	case StateCancelled:
		return StatusCancelled
	}
	for _, p := range v.Local {
		if p.Duplicate {
			return StatusDuplicate
		}
	}
	if len(v.Instalments) > 0 {
		if st := v.instalmentsStatus(); st != "" {
			return st
		}
	} else if len(v.Local) > 0 {
		return StatusPaidHere
	}
	if v.Unsent || !v.Published {
		return StatusNotPayable
	}
	return StatusDue
}

// Settled reports whether the position needs no more payment.
func (v *View) Settled() bool {
	s := v.Status()
	return s == StatusPaid || s == StatusPaidHere || s == StatusDuplicate || s == StatusCancelled
}

// Store is the workstation's side of payments.
//   - Payee: ENOTFOUND until the hub has sent the comune's settings.
//   - Positions lists a debtor's positions, the hub's and those numbered
//     here not yet confirmed, by due date; Position and PositionByAvviso
//     return ENOTFOUND for an unknown one.
//   - NumberPosition gives build the next codice avviso of the
//     workstation's block of IUVs and stores what build returns with its
//     outbox fact (FactPosition) in one transaction; EOFFLINE when the
//     block is used up (the hub gives another at the next sync).
//   - RequestIUVBlock queues FactIUVBlock unless a request is pending;
//     IUVLeft is how many bases remain.
//   - TakePayment gives build the next receipt sequence of the workstation
//     in year and stores the payment with its outbox fact (FactPayment) in
//     one transaction, durably; ECONFLICT when the operator's day is
//     closed at the workstation or the position was paid here already.
//   - CloseDay stores the closing with its fact (FactClosing); ECONFLICT
//     when the day is closed already. Closing: ENOTFOUND when it is not.
//   - Refunds overlay the repayments recorded here and not yet confirmed
//     (Unsent); RecordRepayment stores one with its fact
//     (FactRefundDone) and the supervisor's audit event.
//   - CertificateFees are the certificates the operator issued at the
//     workstation on the day, each with the bollo and diritti it recorded
//     when it was issued (with the comune's fees of that day).
type Store interface {
	Payee(ctx context.Context, comune string) (*Payee, error)
	Positions(ctx context.Context, debtorCF string) ([]View, error)
	Position(ctx context.Context, id string) (*View, error)
	PositionByAvviso(ctx context.Context, avviso pagopa.CodiceAvviso) (*View, error)
	Fine(ctx context.Context, number string) (*Fine, error)
	FinesByPlate(ctx context.Context, plate string) ([]Fine, error)
	Refunds(ctx context.Context, debtorCF string) ([]Refund, error)
	NumberPosition(ctx context.Context, build func(avviso pagopa.CodiceAvviso, seq int64) (*Position, error)) error
	RequestIUVBlock(ctx context.Context, at time.Time) (bool, error)
	IUVLeft(ctx context.Context) (int64, error)
	TakePayment(ctx context.Context, year int, build func(seq int64) (*Payment, error)) error
	Payment(ctx context.Context, receipt string) (*Payment, error)
	DayPayments(ctx context.Context, operator, day string) ([]Payment, error)
	CertificateFees(ctx context.Context, operator, day string) ([]CertificateFee, error)
	CloseDay(ctx context.Context, c *Closing) error
	RecordRepayment(ctx context.Context, r *Repayment) error
	Closing(ctx context.Context, operator, day string) (*Closing, error)
	// AppendAudit writes an audit event and its outbox operation in one
	// transaction, chained to the device's previous event.
	AppendAudit(ctx context.Context, operator, action, subject string, at time.Time) error
}

// Audit actions of payments. A pagoPA notice and a receipt name their
// debtor: printing one, or printing it again, is an access to the person's
// data, in the workstation's audit chain like a certificate's print. The
// subject is the debtor's codice fiscale followed by the codice avviso or
// the receipt's number, so that the access export finds it by the person.
const (
	AuditNotice  = "payment.notice"
	AuditReceipt = "payment.receipt"
)

// audit records that op printed a document of debtor, ref its codice
// avviso or receipt number.
func (s *Cashier) audit(ctx context.Context, op *app.Operator, action, debtor, ref string) error {
	if err := s.Store.AppendAudit(ctx, op.Username, action, strings.TrimSpace(debtor+" "+ref), s.now()); err != nil {
		return err
	}
	s.Outboxed.Notify()
	return nil
}

// Renderers lay out the documents (package printing does).
type Renderers struct {
	Notice  func(n *NoticeFields) ([]byte, error)
	Receipt func(p *Payment, v *View, payee *Payee) ([]byte, error)
	Closing func(c *Closing, payee *Payee) ([]byte, error)
}

// Cashier is what the counter screens and the CLI ask of payments: the
// positions, their notices, the payments at the counter, fines, refunds,
// the closing of the day and the scanner.
type Cashier struct {
	Store   Store
	Profile func(ctx context.Context) (*app.Profile, error)
	Render  Renderers
	// VerifyStamp checks a certificate's stamp (the scanner's third kind)
	// and says what it certifies and whether it is valid.
	VerifyStamp func(ctx context.Context, stamp string) (string, error)
	// Network finds the positions of the other comuni of the network at
	// the hub, for the scanner; nil on a workstation that never asks.
	Network  Network
	Now      func() time.Time
	Outboxed app.Outboxed // after a fact was stored
}

// MinIUVLeft is when the workstation asks the hub for another block.
const MinIUVLeft = 50

func (s *Cashier) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Cashier) payee(ctx context.Context) (*app.Profile, *Payee, error) {
	p, err := s.Profile(ctx)
	if err != nil {
		return nil, nil, err
	}
	py, err := s.Store.Payee(ctx, p.Comune)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return p, nil, app.Errorf(app.ENOTFOUND, "dati pagoPA del comune non ancora ricevuti dall'hub: sincronizzare la postazione")
	}
	return p, py, err
}

// EnsureBlock asks the hub for a block of IUVs when fewer than
// MinIUVLeft remain; the block arrives with the next sync.
func (s *Cashier) EnsureBlock(ctx context.Context) error {
	left, err := s.Store.IUVLeft(ctx)
	if err != nil || left >= MinIUVLeft {
		return err
	}
	queued, err := s.Store.RequestIUVBlock(ctx, s.now())
	if queued {
		s.Outboxed.Notify()
	}
	return err
}

// List is a debtor's positions.
func (s *Cashier) List(ctx context.Context, debtorCF string) ([]View, error) {
	return s.Store.Positions(ctx, debtorCF)
}

// Get is one position.
func (s *Cashier) Get(ctx context.Context, id string) (*View, error) {
	return s.Store.Position(ctx, id)
}

// Refunds are a debtor's open refunds ("" for the whole comune).
func (s *Cashier) Refunds(ctx context.Context, debtorCF string) ([]Refund, error) {
	return s.Store.Refunds(ctx, debtorCF)
}

// dueOn is what a position costs on day, and the fine it collects.
func (s *Cashier) dueOn(ctx context.Context, v *View, day time.Time) (int64, *Fine, *Due, error) {
	if v.Fine == "" {
		return v.AmountCents, nil, nil, nil
	}
	f, err := s.Store.Fine(ctx, v.Fine)
	if err != nil {
		return 0, nil, nil, err
	}
	d := f.Due(day)
	return d.Cents, f, &d, nil
}

// Notice lays out the pagoPA notice of a position for op, with the amount
// due today; the print is audited (AuditNotice).
func (s *Cashier) Notice(ctx context.Context, op *app.Operator, id string) (*NoticeFields, []byte, error) {
	return s.InstalmentNotice(ctx, op, id, 0)
}

// InstalmentNotice lays out the pagoPA notice of rata n of a position
// (0: the whole position, with its instalments listed), with its own
// codice avviso, amount and due date, for op, and audits it (AuditNotice);
// EINVALID for a rata it lacks.
func (s *Cashier) InstalmentNotice(ctx context.Context, op *app.Operator, id string, n int) (*NoticeFields, []byte, error) {
	if op == nil {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	v, err := s.Store.Position(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	_, py, err := s.payee(ctx)
	if err != nil {
		return nil, nil, err
	}
	nf, err := s.noticeFields(ctx, v, py, n)
	if err != nil {
		return nil, nil, err
	}
	pdf, err := s.Render.Notice(nf)
	if err != nil {
		return nil, nil, err
	}
	if err := s.audit(ctx, op, AuditNotice, v.DebtorCF, nf.Avviso().String()); err != nil {
		return nil, nil, err
	}
	return nf, pdf, nil
}

func (s *Cashier) noticeFields(ctx context.Context, v *View, py *Payee, rata int) (*NoticeFields, error) {
	today := Today(s.now())
	n := &NoticeFields{Position: &v.Position, Payee: py, NotPayable: v.Unsent || !v.Published, PrintedOn: today}
	if rata == 0 {
		due, fine, stage, err := s.dueOn(ctx, v, today)
		if err != nil {
			return nil, err
		}
		n.Due, n.Fine, n.Stage = due, fine, stage
		for _, in := range v.Instalments {
			n.InstalmentStatus = append(n.InstalmentStatus, v.InstalmentStatus(in.N))
		}
	} else {
		in := v.Instalment(rata)
		if in == nil {
			return nil, app.Errorf(app.EINVALID, "la posizione %s non ha la rata %d", v.ID, rata)
		}
		n.Instalment, n.Due = in, in.AmountCents
	}
	avviso := n.Avviso()
	n.QR = pagopa.QR{Avviso: avviso, CFEnte: py.CFEnte, AmountCents: n.Due}
	if err := n.QR.Validate(); err != nil {
		return nil, err
	}
	if py.PostalAccount != "" {
		dm := pagopa.DataMatrix{Avviso: avviso, Account: py.PostalAccount, AmountCents: n.Due, CFEnte: py.CFEnte,
			DebtorCF: v.DebtorCF, DebtorName: v.DebtorName, Causale: v.Causale}
		if err := dm.Validate(); err != nil {
			return nil, err
		}
		n.DataMatrix = dm.String()
	}
	return n, nil
}

// NewPosition numbers a position at the counter from the workstation's
// block of IUVs (it works offline) and returns it with its notice: it is
// not payable at the node until the hub has it.
func (s *Cashier) NewPosition(ctx context.Context, op *app.Operator, p Position) (*View, []byte, error) {
	if op == nil {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	prof, py, err := s.payee(ctx)
	if err != nil {
		return nil, nil, err
	}
	now := s.now().UTC()
	var view *View
	var pdf []byte
	err = s.Store.NumberPosition(ctx, func(avviso pagopa.CodiceAvviso, seq int64) (*Position, error) {
		q := p
		q.ID = fmt.Sprintf("%s-%d-P%06d", prof.Device, now.In(app.Rome).Year(), seq)
		q.Comune, q.Avviso, q.State, q.Published = prof.Comune, avviso, StateDue, false
		q.CreatedAt, q.CreatedBy, q.Receipts = now, prof.Device, nil
		if err := q.Validate(); err != nil {
			return nil, err
		}
		view = &View{Position: q, Unsent: true}
		n, err := s.noticeFields(ctx, view, py, 0)
		if err != nil {
			return nil, err
		}
		if pdf, err = s.Render.Notice(n); err != nil {
			return nil, err
		}
		return &q, nil
	})
	if err != nil {
		return nil, nil, err
	}
	s.Outboxed.Notify()
	_ = s.EnsureBlock(ctx)
	if err := s.audit(ctx, op, AuditNotice, view.DebtorCF, view.Avviso.String()); err != nil {
		return nil, nil, fmt.Errorf("posizione %s registrata, ma la stampa dell'avviso non è nell'audit: %w", view.ID, err)
	}
	return view, pdf, nil
}

// Pay takes the payment of a position at the counter, in cash or by card,
// for the amount due today, and returns it with its receipt. It refuses
// (EINVALID) a position this workstation knows to be paid or cancelled:
// a double payment can only come from two counters that could not see
// each other, or from the node, and the hub catches those.
func (s *Cashier) Pay(ctx context.Context, op *app.Operator, id string, m Method) (*Payment, []byte, error) {
	return s.PayInstalment(ctx, op, id, 0, m)
}

// PayInstalment takes the payment of rata n of a position (0: the rata
// unica, the whole amount), as Pay does; EINVALID for a rata already paid,
// and for the rata unica once an instalment is paid.
func (s *Cashier) PayInstalment(ctx context.Context, op *app.Operator, id string, n int, m Method) (*Payment, []byte, error) {
	if op == nil {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	if m != Cash && m != Card {
		return nil, nil, app.Errorf(app.EINVALID, "modalità di pagamento %q: contanti o carta sul POS", m)
	}
	v, err := s.Store.Position(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := v.Payable(n); err != nil {
		return nil, nil, err
	}
	target, err := v.Target(n)
	if err != nil {
		return nil, nil, err
	}
	prof, py, err := s.payee(ctx)
	if err != nil {
		return nil, nil, err
	}
	now := s.now().UTC().Truncate(time.Second)
	amount, stage := target.AmountCents, (*Due)(nil)
	if n == 0 {
		if amount, _, stage, err = s.dueOn(ctx, v, Today(now)); err != nil {
			return nil, nil, err
		}
	}
	causale := v.Causale
	if n > 0 {
		causale = truncate(fmt.Sprintf("%s - %s", v.Causale, v.TargetName(n)), 140)
	}
	var paid *Payment
	var pdf []byte
	err = s.Store.TakePayment(ctx, now.In(app.Rome).Year(), func(seq int64) (*Payment, error) {
		p := &Payment{
			Receipt: fmt.Sprintf("%s-%d-R%06d", prof.Device, now.In(app.Rome).Year(), seq), PositionID: v.ID, Avviso: target.Avviso,
			Instalment: n, AmountCents: amount, Method: m, Operator: op.Username, Device: prof.Device, At: now, Day: DayOf(now),
			Service: v.Service, Causale: causale, DebtorCF: v.DebtorCF, DebtorName: v.DebtorName, Fine: v.Fine,
		}
		if stage != nil {
			p.FineStage = stage.Stage
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		// Rendered inside the transaction: a payment whose receipt cannot
		// be printed is not taken either.
		var err error
		if pdf, err = s.Render.Receipt(p, v, py); err != nil {
			return nil, err
		}
		paid = p
		return p, nil
	})
	if err != nil {
		return nil, nil, err
	}
	s.Outboxed.Notify()
	if err := s.audit(ctx, op, AuditReceipt, paid.DebtorCF, paid.Receipt); err != nil {
		return nil, nil, fmt.Errorf("pagamento registrato (ricevuta %s, ristampabile), ma la stampa non è nell'audit: %w", paid.Receipt, err)
	}
	return paid, pdf, nil
}

// Receipt lays out the receipt of a payment taken here again, for op, and
// audits the reprint (AuditReceipt).
func (s *Cashier) Receipt(ctx context.Context, op *app.Operator, receipt string) ([]byte, error) {
	if op == nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	p, err := s.Store.Payment(ctx, receipt)
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Position(ctx, p.PositionID)
	if err != nil {
		return nil, err
	}
	_, py, err := s.payee(ctx)
	if err != nil {
		return nil, err
	}
	pdf, err := s.Render.Receipt(p, v, py)
	if err != nil {
		return nil, err
	}
	if err := s.audit(ctx, op, AuditReceipt, p.DebtorCF, p.Receipt); err != nil {
		return nil, err
	}
	return pdf, nil
}

func lastReceipt(v *View) string {
	if len(v.Receipts) == 0 {
		return "secondo l'hub"
	}
	r := v.Receipts[len(v.Receipts)-1]
	return fmt.Sprintf("ricevuta %s del %s, %s", r.Number, r.At.In(app.Rome).Format("02/01/2006"), r.Channel)
}

// FineView is a fine with what it costs today and its position.
type FineView struct {
	Fine     Fine
	Due      Due
	Position *View // nil when the hub has not sent it
}

// Fines looks fines up by the verbale's number or by plate.
func (s *Cashier) Fines(ctx context.Context, number, plate string) ([]FineView, error) {
	var fines []Fine
	switch {
	case strings.TrimSpace(number) != "":
		f, err := s.Store.Fine(ctx, strings.TrimSpace(number))
		if err != nil {
			return nil, err
		}
		fines = []Fine{*f}
	case strings.TrimSpace(plate) != "":
		var err error
		if fines, err = s.Store.FinesByPlate(ctx, NormalizePlate(plate)); err != nil {
			return nil, err
		}
		if len(fines) == 0 {
			return nil, app.Errorf(app.ENOTFOUND, "nessun verbale per la targa %s", NormalizePlate(plate))
		}
	default:
		return nil, app.Errorf(app.EINVALID, "indicare il numero del verbale o la targa")
	}
	today := Today(s.now())
	out := make([]FineView, 0, len(fines))
	for _, f := range fines {
		fv := FineView{Fine: f, Due: f.Due(today)}
		if f.PositionID != "" {
			if v, err := s.Store.Position(ctx, f.PositionID); err == nil {
				fv.Position = v
			}
		}
		out = append(out, fv)
	}
	return out, nil
}

// Close closes the operator's day at the workstation: it totals the
// day's receipts and certificates, signs the closing with the
// workstation's key, stores it with its fact and lays out the report.
// After it, the day takes no payment of the operator here.
func (s *Cashier) Close(ctx context.Context, op *app.Operator, day string) (*Closing, []byte, error) {
	if op == nil {
		return nil, nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	if day == "" {
		day = DayOf(s.now())
	}
	if _, err := s.Store.Closing(ctx, op.Username, day); err == nil {
		return nil, nil, app.Errorf(app.ECONFLICT, "la giornata %s di %s è già chiusa", day, op.Username)
	} else if app.ErrorCode(err) != app.ENOTFOUND {
		return nil, nil, err
	}
	prof, err := s.Profile(ctx)
	if err != nil {
		return nil, nil, err
	}
	py, err := s.Store.Payee(ctx, prof.Comune)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, nil, err
	}
	pays, err := s.Store.DayPayments(ctx, op.Username, day)
	if err != nil {
		return nil, nil, err
	}
	certs, err := s.Store.CertificateFees(ctx, op.Username, day)
	if err != nil {
		return nil, nil, err
	}
	name := op.Name
	if name == "" {
		name = op.Username
	}
	c, err := Summarize(prof.Device, prof.Comune, op.Username, name, day, s.now(), pays, certs)
	if err != nil {
		return nil, nil, err
	}
	if err := c.Sign(prof.PrivateKey); err != nil {
		return nil, nil, err
	}
	pdf, err := s.Render.Closing(c, py)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Store.CloseDay(ctx, c); err != nil {
		return nil, nil, err
	}
	s.Outboxed.Notify()
	return c, pdf, nil
}

// ClosingReport lays out a closed day's report again.
func (s *Cashier) ClosingReport(ctx context.Context, operator, day string) (*Closing, []byte, error) {
	c, err := s.Store.Closing(ctx, operator, day)
	if err != nil {
		return nil, nil, err
	}
	py, err := s.Store.Payee(ctx, c.Comune)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, nil, err
	}
	pdf, err := s.Render.Closing(c, py)
	return c, pdf, err
}
