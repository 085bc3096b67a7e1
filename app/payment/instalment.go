package payment

import (
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// A position with instalments is paid either in one go, with the codice
// avviso of the rata unica, or one instalment at a time, each with its own
// codice avviso. The hub applies every receipt to the position (Apply): an
// instalment paid twice, or the rata unica paid over instalments already
// paid, is a double payment like a position paid twice.

// Target is what one payment of a position pays: the rata unica (N 0) or
// one instalment, with its codice avviso, amount and due date.
type Target struct {
	N           int
	Avviso      pagopa.CodiceAvviso
	AmountCents int64
	DueDate     time.Time
}

// Targets are what the position may be paid by: the rata unica, then the
// instalments in order.
func (p *Position) Targets() []Target {
	out := []Target{{Avviso: p.Avviso, AmountCents: p.AmountCents, DueDate: p.DueDate}}
	for _, in := range p.Instalments {
		out = append(out, Target{N: in.N, Avviso: in.Avviso, AmountCents: in.AmountCents, DueDate: in.DueDate})
	}
	return out
}

// Target is the rata unica for n 0, or instalment n; EINVALID for a rata
// the position does not have.
func (p *Position) Target(n int) (Target, error) {
	for _, t := range p.Targets() {
		if t.N == n {
			return t, nil
		}
	}
	return Target{}, app.Errorf(app.EINVALID, "la posizione %s non ha la rata %d", p.ID, n)
}

// TargetOf is what the codice avviso a pays of the position.
func (p *Position) TargetOf(a pagopa.CodiceAvviso) (Target, bool) {
	for _, t := range p.Targets() {
		if t.Avviso == a {
			return t, true
		}
	}
	return Target{}, false
}

// Instalment returns instalment n, or nil.
func (p *Position) Instalment(n int) *Instalment {
	for i := range p.Instalments {
		if p.Instalments[i].N == n {
			return &p.Instalments[i]
		}
	}
	return nil
}

// TargetName is "rata unica" or "rata 2 di 3".
func (p *Position) TargetName(n int) string {
	if n == 0 {
		return "rata unica"
	}
	return fmt.Sprintf("rata %d di %d", n, len(p.Instalments))
}

// standing reports whether a receipt still pays the position: it was not
// refunded in full.
func (r *Receipt) standing() bool { return r.RefundedCents < r.AmountCents }

// tally counts the receipts standing by what they pay.
type tally struct {
	unica      int
	unicaCents int64
	per        map[int]int
	any        bool
}

func (p *Position) tally() tally {
	t := tally{per: map[int]int{}}
	for _, r := range p.Receipts {
		if !r.standing() {
			continue
		}
		t.any = true
		if r.Instalment == 0 {
			t.unica++
			t.unicaCents += r.AmountCents
		} else {
			t.per[r.Instalment]++
		}
	}
	return t
}

// unicaPaid: the rata unica's receipts cover the position (a fine's
// amount is whatever its day made due).
func (p *Position) unicaPaid(t tally) bool {
	return t.unica > 0 && (p.Fine != "" || t.unicaCents >= p.AmountCents)
}

// targetPaid reports whether what rata n pays was paid already, and by
// which receipt (the first one standing): any payment pays part of the
// rata unica; an instalment is paid by itself or by the rata unica.
func (p *Position) targetPaid(n int) (bool, string) {
	for _, r := range p.Receipts {
		if r.standing() && (n == 0 || r.Instalment == 0 || r.Instalment == n) {
			return true, r.Number
		}
	}
	// Paid without a receipt of the hub's (an archive imported paid).
	return len(p.Receipts) == 0 && (p.State == StatePaid || p.State == StateDuplicate), ""
}

// Covered is what the receipts standing pay for, what they total net of
// refunds, and the difference still to refund: the whole amount once the
// rata unica is paid (for a fine, the amount of its first payment: what
// its day made due), else the instalments paid.
func (p *Position) Covered() (dueCents, paidCents, excessCents int64) {
	t := p.tally()
	fine := p.Fine != ""
	for _, r := range p.Receipts {
		paidCents += r.AmountCents - r.RefundedCents
		if fine && r.standing() && r.Instalment == 0 && dueCents == 0 {
			dueCents = r.AmountCents
		}
	}
	switch {
	case t.unica > 0 && !fine:
		dueCents = p.AmountCents
	case t.unica == 0:
		for _, in := range p.Instalments {
			if t.per[in.N] > 0 {
				dueCents += in.AmountCents
			}
		}
	}
	return dueCents, paidCents, max(paidCents-dueCents, 0)
}

// settle sets the states of the position and its instalments from the
// receipts standing: paid twice while an excess is left to refund.
func (p *Position) settle() {
	if p.State == StateCancelled {
		return
	}
	t := p.tally()
	_, _, excess := p.Covered()
	for _, r := range p.Receipts {
		excess = max(excess, r.ExcessCents-r.RefundedCents) // an excess opened is paid twice until refunded
	}
	dup := excess > 0
	unica := p.unicaPaid(t)
	all := len(p.Instalments) > 0
	for i := range p.Instalments {
		in := &p.Instalments[i]
		n := t.per[in.N]
		switch {
		case dup && (n >= 2 || (n >= 1 && t.unica >= 1)):
			in.State = StateDuplicate
		case n >= 1 || unica:
			in.State = StatePaid
		default:
			in.State = StateDue
			all = false
		}
	}
	switch {
	case dup:
		p.State = StateDuplicate
	case unica || all:
		p.State = StatePaid
	case t.any || len(p.Receipts) > 0:
		p.State = StateDue
	}
}

// Applied is the outcome of a receipt applied to a position.
type Applied struct {
	// Duplicate: what the receipt pays was paid already, by Earlier ("" when
	// the hub knew the position paid without a receipt of its own).
	Duplicate bool
	Earlier   string
	Target    Target
	// Refund is the entry of the refund worklist a duplicate opens.
	Refund *Refund
}

// Apply records a receipt of the position, as the hub does with every
// payment from any channel: the receipt is kept even when it pays what was
// paid already (money received is never dropped), the states of the
// position and its instalments follow, and a double payment opens a
// refund of the excess with every receipt. A payment of a cancelled
// position is in excess as a whole. EINVALID for a rata the position
// does not have.
func (p *Position) Apply(r Receipt, now time.Time) (Applied, error) {
	tg, err := p.Target(r.Instalment)
	if err != nil {
		return Applied{}, err
	}
	a := Applied{Target: tg}
	paidBefore, earlier := p.targetPaid(r.Instalment)
	var owed int64 // the excess of earlier receipts not yet refunded
	for _, e := range p.Receipts {
		owed += e.ExcessCents - e.RefundedCents
	}
	r.ExcessCents = 0
	p.Receipts = append(p.Receipts, r)
	p.settle()
	due, paid, excess := p.Covered()
	excess = min(max(excess-owed, 0), r.AmountCents)
	if paidBefore && earlier == "" { // the hub knew it paid, without a receipt of its own
		excess = r.AmountCents
	}
	if p.State == StateCancelled {
		due, excess = 0, r.AmountCents
	}
	if excess == 0 {
		return a, nil
	}
	p.Receipts[len(p.Receipts)-1].ExcessCents = excess
	p.settle()
	a.Duplicate, a.Earlier = true, earlier
	if !paidBefore && p.State != StateCancelled {
		a.Earlier = "" // paid beyond its amount, not twice
	}
	a.Refund = &Refund{ID: r.Number, PositionID: p.ID, Avviso: tg.Avviso, Comune: p.Comune, DebtorCF: p.DebtorCF,
		DebtorName: p.DebtorName, Causale: p.Causale, DueCents: due, PaidCents: paid, ExcessCents: excess,
		Receipts: append([]Receipt(nil), p.Receipts...), State: RefundOpen, OpenedAt: now, Instalment: r.Instalment}
	return a, nil
}

// Refund marks the excess of receipt as returned to the payer: the
// position is paid again, no longer paid twice, once nothing is left to
// refund.
func (p *Position) Refund(receipt string, cents int64) error {
	for i := range p.Receipts {
		r := &p.Receipts[i]
		if r.Number != receipt {
			continue
		}
		if cents <= 0 || r.RefundedCents+cents > max(r.ExcessCents, 0) {
			return app.Errorf(app.EINVALID, "rimborso di %s sulla ricevuta %s di %s non possibile", app.Euro(cents), receipt, app.Euro(r.AmountCents))
		}
		r.RefundedCents += cents
		p.settle()
		return nil
	}
	return app.Errorf(app.ENOTFOUND, "la posizione %s non ha la ricevuta %s", p.ID, receipt)
}

// hubHas reports whether the hub's record carries receipt.
func (v *View) hubHas(receipt string) bool {
	for _, r := range v.Receipts {
		if r.Number == receipt {
			return true
		}
	}
	return false
}

// InstalmentStatus is where instalment n stands for the operator: the
// hub's word first, then what this counter took; StatusUnknown for a rata
// the position does not have.
func (v *View) InstalmentStatus(n int) Status {
	in := v.Instalment(n)
	switch {
	case in == nil:
		return StatusUnknown
	case v.State == StateCancelled:
		return StatusCancelled
	case in.State == StateDuplicate:
		return StatusDuplicate
	case in.State == StatePaid, in.State == "" && v.State == StatePaid:
		return StatusPaid
	}
	for _, p := range v.Local {
		if p.Instalment != n && p.Instalment != 0 {
			continue
		}
		switch {
		case p.Duplicate:
			return StatusDuplicate
		case !v.hubHas(p.Receipt):
			return StatusPaidHere
		}
	}
	if v.Unsent || !v.Published {
		return StatusNotPayable
	}
	return StatusDue
}

// instalmentsStatus is the status of a position with instalments the hub
// does not know paid: paid here when every instalment is paid (some of
// them here), in part when some are; "" when none is.
func (v *View) instalmentsStatus() Status {
	for _, p := range v.Local {
		if p.Instalment == 0 && !v.hubHas(p.Receipt) {
			return StatusPaidHere
		}
	}
	paid, here := 0, false
	for _, in := range v.Instalments {
		switch v.InstalmentStatus(in.N) {
		case StatusPaid:
			paid++
		case StatusPaidHere:
			paid++
			here = true
		}
	}
	switch {
	case paid == len(v.Instalments) && here:
		return StatusPaidHere
	case paid > 0:
		return StatusPartial
	}
	return ""
}

// Payable returns nil when rata n (0: the rata unica) may be paid at the
// counter, else EINVALID with the reason: the position, or that rata, is
// paid or cancelled; the rata unica once an instalment is paid.
func (v *View) Payable(n int) error {
	switch v.Status() {
	case StatusPaid, StatusDuplicate:
		return app.Errorf(app.EINVALID, "la posizione %s risulta già pagata (%s): nessun nuovo incasso", v.ID, lastReceipt(v))
	case StatusPaidHere:
		return app.Errorf(app.EINVALID, "la posizione %s è già stata pagata a questo sportello (ricevuta %s)", v.ID, v.Local[len(v.Local)-1].Receipt)
	case StatusCancelled:
		return app.Errorf(app.EINVALID, "la posizione %s è annullata", v.ID)
	}
	if n == 0 {
		for _, in := range v.Instalments {
			if st := v.InstalmentStatus(in.N); st == StatusPaid || st == StatusPaidHere || st == StatusDuplicate {
				return app.Errorf(app.EINVALID, "la rata %d della posizione %s è già pagata: incassare le rate restanti, non la rata unica", in.N, v.ID)
			}
		}
		return nil
	}
	if v.Instalment(n) == nil {
		return app.Errorf(app.EINVALID, "la posizione %s non ha la rata %d", v.ID, n)
	}
	switch st := v.InstalmentStatus(n); st {
	case StatusPaid, StatusPaidHere, StatusDuplicate:
		return app.Errorf(app.EINVALID, "la rata %d della posizione %s risulta già pagata (%s)", n, v.ID, st)
	}
	return nil
}

// truncate cuts s to max runes.
func truncate(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max])
}
