package payment

import (
	"context"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// A double payment opens an entry of the refund worklist at the hub; a
// supervisor of the comune returns the excess to the payer and marks it
// done, with how, when and a note, from the counter (a fact through the
// outbox, FactRefundDone) or at the hub. The hub then marks the refund
// done and the receipt in excess refunded, so the position is paid again,
// no longer twice, and every workstation and the citizen's file see it.

// RefundMethod is how the excess was returned.
type RefundMethod string

// The ways of returning an excess.
const (
	RefundTransfer RefundMethod = "bonifico"      // bank transfer to the payer's IBAN
	RefundCash     RefundMethod = "contanti"      // cash at the comune's treasury or counter
	RefundCard     RefundMethod = "storno_pos"    // reversal on the card used at the POS
	RefundOffset   RefundMethod = "compensazione" // offset against another position of the payer
)

var refundMethodNames = map[RefundMethod]string{
	RefundTransfer: "Bonifico",
	RefundCash:     "Contanti",
	RefundCard:     "Storno sulla carta (POS)",
	RefundOffset:   "Compensazione con altra posizione",
}

// RefundMethods are the ways in the order the counter offers them.
var RefundMethods = []RefundMethod{RefundTransfer, RefundCash, RefundCard, RefundOffset}

// Name is the method for the operator.
func (m RefundMethod) Name() string {
	if n, ok := refundMethodNames[m]; ok {
		return n
	}
	return string(m)
}

// ParseRefundMethod reads a method as the CLI or a form gives it.
func ParseRefundMethod(s string) (RefundMethod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "bonifico", "transfer", "iban":
		return RefundTransfer, nil
	case "contanti", "cash":
		return RefundCash, nil
	case "storno_pos", "storno", "pos", "card", "carta":
		return RefundCard, nil
	case "compensazione", "offset":
		return RefundOffset, nil
	}
	return "", app.Errorf(app.EINVALID, "modalità di rimborso %q: bonifico, contanti, storno_pos o compensazione", s)
}

// Repayment is how a refund was done: by whom, how, on which day, with a
// note (the bank transfer's CRO, the treasury's mandate…).
type Repayment struct {
	Refund   string // the refund's id: the receipt in excess
	Comune   string
	Method   RefundMethod
	On       time.Time // the day the money went back
	Note     string
	Operator string // the supervisor; "" when done at the hub
	Device   string // "" at the hub
	At       time.Time
}

// Validate checks a repayment as it crosses a boundary.
func (r *Repayment) Validate() error {
	switch {
	case r.Refund == "" || len(r.Refund) > 80:
		return app.Errorf(app.EINVALID, "rimborso senza identificativo")
	case !app.ValidBelfiore(r.Comune):
		return app.Errorf(app.EINVALID, "rimborso %s senza comune", r.Refund)
	case refundMethodNames[r.Method] == "":
		return app.Errorf(app.EINVALID, "modalità di rimborso %q sconosciuta", r.Method)
	case r.On.IsZero():
		return app.Errorf(app.EINVALID, "rimborso %s senza data di esecuzione", r.Refund)
	case r.At.IsZero():
		return app.Errorf(app.EINVALID, "rimborso %s senza data di registrazione", r.Refund)
	case r.On.After(r.At.In(app.Rome).AddDate(0, 0, 1)):
		return app.Errorf(app.EINVALID, "la data del rimborso %s è nel futuro", r.On.Format("02/01/2006"))
	case len(r.Note) > 500 || strings.ContainsAny(r.Note, "\r\t"):
		return app.Errorf(app.EINVALID, "nota del rimborso troppo lunga o non valida")
	}
	return nil
}

// CompleteRefund marks a refund of the comune done: the supervisor op
// returned its excess on day on, by method, with note. It is stored with
// its fact for the hub (which checks the role again) and shows as done,
// waiting for the hub, at once. EFORBIDDEN for an operator who is not a
// supervisor, ENOTFOUND for an unknown refund, ECONFLICT for one done
// already.
func (s *Cashier) CompleteRefund(ctx context.Context, op *app.Operator, id string, method RefundMethod, on time.Time, note string) (*Repayment, error) {
	if op == nil {
		return nil, app.Errorf(app.EUNAUTHORIZED, "accesso richiesto")
	}
	if !op.Has(app.RoleSupervisor) {
		return nil, app.Errorf(app.EFORBIDDEN, "solo un supervisore può registrare un rimborso eseguito")
	}
	prof, err := s.Profile(ctx)
	if err != nil {
		return nil, err
	}
	refunds, err := s.Store.Refunds(ctx, "")
	if err != nil {
		return nil, err
	}
	var rf *Refund
	for i := range refunds {
		if refunds[i].ID == id {
			rf = &refunds[i]
		}
	}
	switch {
	case rf == nil:
		return nil, app.Errorf(app.ENOTFOUND, "rimborso %s sconosciuto alla postazione", id)
	case rf.State == RefundDone:
		return nil, app.Errorf(app.ECONFLICT, "il rimborso %s risulta già eseguito%s", id, rf.Done.describe())
	}
	now := s.now().UTC().Truncate(time.Second)
	if on.IsZero() {
		on = Today(now)
	}
	r := &Repayment{Refund: id, Comune: prof.Comune, Method: method, On: app.Date(on.Year(), on.Month(), on.Day()),
		Note: strings.TrimSpace(note), Operator: op.Username, Device: prof.Device, At: now}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if err := s.Store.RecordRepayment(ctx, r); err != nil {
		return nil, err
	}
	s.Outboxed.Notify()
	return r, nil
}

// describe is " il 12/11/2026 (bonifico, mrossi)", or "" for nil.
func (r *Repayment) describe() string {
	if r == nil {
		return ""
	}
	who := r.Operator
	if who == "" {
		who = "hub"
	}
	return " il " + r.On.Format("02/01/2006") + " (" + strings.ToLower(r.Method.Name()) + ", " + who + ")"
}

// Describe is the repayment in words for the operator: "il 12/11/2026
// con bonifico da mrossi: CRO 123".
func (r *Repayment) Describe() string {
	if r == nil {
		return ""
	}
	s := "il " + r.On.Format("02/01/2006") + " — " + r.Method.Name()
	if r.Operator != "" {
		s += ", registrato da " + r.Operator
	}
	if r.Note != "" {
		s += ": " + r.Note
	}
	return s
}
