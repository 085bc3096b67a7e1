package payment

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// The JSON of the records and facts of this package, as they travel in
// app.Record.Data and app.Operation.Data. The domain types carry no tags:
// these structs are the format, converted explicitly, so that a field
// added to a domain type never leaves the workstation by accident.
// Dates are AAAA-MM-GG, instants RFC 3339.

type instalmentJSON struct {
	N       int    `json:"n"`
	Avviso  string `json:"codice_avviso"`
	Amount  int64  `json:"amount_cents"`
	DueDate string `json:"due_date"`
	State   string `json:"state,omitempty"`
}

type receiptJSON struct {
	Number   string `json:"number"`
	Channel  string `json:"channel"`
	Method   string `json:"method,omitempty"`
	Amount   int64  `json:"amount_cents"`
	At       string `json:"at"`
	Device   string `json:"device,omitempty"`
	Operator string `json:"operator,omitempty"`
	Rata     int    `json:"instalment,omitempty"`
	Excess   int64  `json:"excess_cents,omitempty"`
	Refunded int64  `json:"refunded_cents,omitempty"`
}

type positionJSON struct {
	ID          string           `json:"id"`
	Comune      string           `json:"comune"`
	DebtorCF    string           `json:"debtor_codice_fiscale"`
	DebtorName  string           `json:"debtor"`
	Service     string           `json:"service"`
	Causale     string           `json:"causale"`
	Amount      int64            `json:"amount_cents"`
	DueDate     string           `json:"due_date"`
	Avviso      string           `json:"codice_avviso"`
	Instalments []instalmentJSON `json:"instalments,omitempty"`
	State       string           `json:"state"`
	Published   bool             `json:"published"`
	Fine        string           `json:"fine,omitempty"`
	Receipts    []receiptJSON    `json:"receipts,omitempty"`
	CreatedAt   string           `json:"created_at"`
	CreatedBy   string           `json:"created_by,omitempty"`
}

func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return truncDay(t).Format(app.DateLayout) // an instant's date is Italian
}

// decoder collects the first error of a sequence of conversions.
type decoder struct{ err error }

func (d *decoder) date(what, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(app.DateLayout, s)
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("%s %q: %w", what, s, err)
	}
	return t
}

func (d *decoder) instant(what, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil && d.err == nil {
		d.err = fmt.Errorf("%s %q: %w", what, s, err)
	}
	return t
}

func receiptsToJSON(rs []Receipt) []receiptJSON {
	var out []receiptJSON
	for _, r := range rs {
		out = append(out, receiptJSON{Number: r.Number, Channel: r.Channel, Method: string(r.Method), Amount: r.AmountCents,
			At: app.FormatInstant(r.At), Device: r.Device, Operator: r.Operator, Rata: r.Instalment, Excess: r.ExcessCents, Refunded: r.RefundedCents})
	}
	return out
}

func (d *decoder) receipts(js []receiptJSON) []Receipt {
	var out []Receipt
	for _, r := range js {
		out = append(out, Receipt{Number: r.Number, Channel: r.Channel, Method: Method(r.Method), AmountCents: r.Amount,
			At: d.instant("receipts.at", r.At), Device: r.Device, Operator: r.Operator, Instalment: r.Rata, ExcessCents: r.Excess, RefundedCents: r.Refunded})
	}
	return out
}

// EncodePosition is the JSON of a position record or fact.
func EncodePosition(p *Position) []byte {
	j := positionJSON{ID: p.ID, Comune: p.Comune, DebtorCF: p.DebtorCF, DebtorName: p.DebtorName, Service: string(p.Service),
		Causale: p.Causale, Amount: p.AmountCents, DueDate: date(p.DueDate), Avviso: string(p.Avviso), State: string(p.State),
		Published: p.Published, Fine: p.Fine, Receipts: receiptsToJSON(p.Receipts), CreatedAt: app.FormatInstant(p.CreatedAt), CreatedBy: p.CreatedBy}
	for _, in := range p.Instalments {
		j.Instalments = append(j.Instalments, instalmentJSON{N: in.N, Avviso: string(in.Avviso), Amount: in.AmountCents, DueDate: date(in.DueDate),
			State: string(in.State)})
	}
	b, _ := json.Marshal(j)
	return b
}

// DecodePosition reads a position and validates it.
func DecodePosition(b []byte) (*Position, error) {
	var j positionJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, fmt.Errorf("decode position: %w", err)
	}
	var d decoder
	p := &Position{ID: j.ID, Comune: j.Comune, DebtorCF: j.DebtorCF, DebtorName: j.DebtorName, Service: Service(j.Service),
		Causale: j.Causale, AmountCents: j.Amount, DueDate: d.date("due_date", j.DueDate), Avviso: pagopa.CodiceAvviso(j.Avviso),
		State: State(j.State), Published: j.Published, Fine: j.Fine, Receipts: d.receipts(j.Receipts),
		CreatedAt: d.instant("created_at", j.CreatedAt), CreatedBy: j.CreatedBy}
	for _, in := range j.Instalments {
		p.Instalments = append(p.Instalments, Instalment{N: in.N, Avviso: pagopa.CodiceAvviso(in.Avviso), AmountCents: in.Amount,
			DueDate: d.date("instalments.due_date", in.DueDate), State: State(in.State)})
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode position %s: %w", j.ID, d.err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

type fineJSON struct {
	Number          string `json:"number"`
	Comune          string `json:"comune"`
	Plate           string `json:"plate"`
	Offence         string `json:"offence"`
	Article         string `json:"article"`
	ViolatedAt      string `json:"violated_at"`
	NotifiedOn      string `json:"notified_on"`
	Min             int64  `json:"min_cents"`
	Max             int64  `json:"max_cents"`
	Costs           int64  `json:"costs_cents"`
	DiscountAllowed bool   `json:"discount_allowed"`
	OffenderCF      string `json:"offender_codice_fiscale,omitempty"`
	OffenderName    string `json:"offender,omitempty"`
	PositionID      string `json:"position_id"`
}

// EncodeFine is the JSON of a fine record.
func EncodeFine(f *Fine) []byte {
	b, _ := json.Marshal(fineJSON{Number: f.Number, Comune: f.Comune, Plate: f.Plate, Offence: f.Offence, Article: f.Article,
		ViolatedAt: app.FormatInstant(f.ViolatedAt), NotifiedOn: date(f.NotifiedOn), Min: f.MinCents, Max: f.MaxCents, Costs: f.CostsCents,
		DiscountAllowed: f.DiscountAllowed, OffenderCF: f.OffenderCF, OffenderName: f.OffenderName, PositionID: f.PositionID})
	return b
}

// DecodeFine reads a fine and validates it.
func DecodeFine(b []byte) (*Fine, error) {
	var j fineJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, fmt.Errorf("decode fine: %w", err)
	}
	var d decoder
	f := &Fine{Number: j.Number, Comune: j.Comune, Plate: j.Plate, Offence: j.Offence, Article: j.Article,
		ViolatedAt: d.instant("violated_at", j.ViolatedAt), NotifiedOn: d.date("notified_on", j.NotifiedOn),
		MinCents: j.Min, MaxCents: j.Max, CostsCents: j.Costs, DiscountAllowed: j.DiscountAllowed,
		OffenderCF: j.OffenderCF, OffenderName: j.OffenderName, PositionID: j.PositionID}
	if d.err != nil {
		return nil, fmt.Errorf("decode fine %s: %w", j.Number, d.err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return f, nil
}

type payeeJSON struct {
	Comune        string `json:"comune"`
	Name          string `json:"name"`
	CFEnte        string `json:"cf_ente"`
	Aux           int    `json:"aux_digit"`
	Code          string `json:"code"`
	CBILL         string `json:"cbill,omitempty"`
	PostalAccount string `json:"postal_account,omitempty"`
	PostalHolder  string `json:"postal_holder,omitempty"`
	Office        string `json:"office,omitempty"`
	Demo          bool   `json:"demo,omitempty"`
}

// EncodePayee is the JSON of the payee record.
func EncodePayee(p *Payee) []byte {
	b, _ := json.Marshal(payeeJSON{Comune: p.Comune, Name: p.Name, CFEnte: p.CFEnte, Aux: p.Aux, Code: p.Code, CBILL: p.CBILL,
		PostalAccount: p.PostalAccount, PostalHolder: p.PostalHolder, Office: p.Office, Demo: p.Demo})
	return b
}

// DecodePayee reads the payee settings and validates them.
func DecodePayee(b []byte) (*Payee, error) {
	var j payeeJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, fmt.Errorf("decode payee: %w", err)
	}
	p := &Payee{Comune: j.Comune, Name: j.Name, CFEnte: j.CFEnte, Aux: j.Aux, Code: j.Code, CBILL: j.CBILL,
		PostalAccount: j.PostalAccount, PostalHolder: j.PostalHolder, Office: j.Office, Demo: j.Demo}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

type paymentJSON struct {
	Receipt    string `json:"receipt"`
	PositionID string `json:"position_id"`
	Avviso     string `json:"codice_avviso"`
	Rata       int    `json:"instalment,omitempty"`
	Amount     int64  `json:"amount_cents"`
	Method     string `json:"method"`
	Operator   string `json:"operator"`
	Device     string `json:"device"`
	At         string `json:"at"`
	Day        string `json:"day"`
	Service    string `json:"service"`
	Causale    string `json:"causale"`
	DebtorCF   string `json:"debtor_codice_fiscale"`
	DebtorName string `json:"debtor"`
	Fine       string `json:"fine,omitempty"`
	FineStage  string `json:"fine_stage,omitempty"`
}

// EncodePayment is the JSON of a payment fact.
func EncodePayment(p *Payment) []byte {
	b, _ := json.Marshal(paymentJSON{Receipt: p.Receipt, PositionID: p.PositionID, Avviso: string(p.Avviso), Rata: p.Instalment, Amount: p.AmountCents,
		Method: string(p.Method), Operator: p.Operator, Device: p.Device, At: app.FormatInstant(p.At), Day: p.Day, Service: string(p.Service),
		Causale: p.Causale, DebtorCF: p.DebtorCF, DebtorName: p.DebtorName, Fine: p.Fine, FineStage: p.FineStage})
	return b
}

// DecodePayment reads a payment fact and validates it.
func DecodePayment(b []byte) (*Payment, error) {
	var j paymentJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, app.Errorf(app.EINVALID, "pagamento non leggibile: %v", err)
	}
	var d decoder
	p := &Payment{Receipt: j.Receipt, PositionID: j.PositionID, Avviso: pagopa.CodiceAvviso(j.Avviso), Instalment: j.Rata, AmountCents: j.Amount,
		Method: Method(j.Method), Operator: j.Operator, Device: j.Device, At: d.instant("at", j.At), Day: j.Day,
		Service: Service(j.Service), Causale: j.Causale, DebtorCF: j.DebtorCF, DebtorName: j.DebtorName, Fine: j.Fine, FineStage: j.FineStage}
	if d.err != nil {
		return nil, app.Errorf(app.EINVALID, "pagamento %s: %v", j.Receipt, d.err)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

// PaymentAnswer is the hub's answer to a payment fact.
type PaymentAnswer struct {
	Duplicate bool
	Refund    string
}

type paymentAnswerJSON struct {
	Duplicate bool   `json:"duplicate"`
	Refund    string `json:"refund,omitempty"`
}

// EncodePaymentAnswer is the JSON of the hub's answer.
func EncodePaymentAnswer(a PaymentAnswer) []byte {
	b, _ := json.Marshal(paymentAnswerJSON{Duplicate: a.Duplicate, Refund: a.Refund})
	return b
}

// DecodePaymentAnswer reads the hub's answer.
func DecodePaymentAnswer(b []byte) (PaymentAnswer, error) {
	var j paymentAnswerJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return PaymentAnswer{}, fmt.Errorf("decode payment answer: %w", err)
	}
	return PaymentAnswer{Duplicate: j.Duplicate, Refund: j.Refund}, nil
}

type refundJSON struct {
	ID         string         `json:"id"`
	PositionID string         `json:"position_id"`
	Avviso     string         `json:"codice_avviso"`
	Comune     string         `json:"comune"`
	DebtorCF   string         `json:"debtor_codice_fiscale"`
	DebtorName string         `json:"debtor"`
	Causale    string         `json:"causale"`
	Due        int64          `json:"due_cents"`
	Paid       int64          `json:"paid_cents"`
	Excess     int64          `json:"excess_cents"`
	Receipts   []receiptJSON  `json:"receipts"`
	State      string         `json:"state"`
	OpenedAt   string         `json:"opened_at"`
	Rata       int            `json:"instalment,omitempty"`
	Done       *repaymentJSON `json:"done,omitempty"`
}

// EncodeRefund is the JSON of a refund record.
func EncodeRefund(r *Refund) []byte {
	b, _ := json.Marshal(refundJSON{ID: r.ID, PositionID: r.PositionID, Avviso: string(r.Avviso), Comune: r.Comune, DebtorCF: r.DebtorCF,
		DebtorName: r.DebtorName, Causale: r.Causale, Due: r.DueCents, Paid: r.PaidCents, Excess: r.ExcessCents,
		Receipts: receiptsToJSON(r.Receipts), State: r.State, OpenedAt: app.FormatInstant(r.OpenedAt), Rata: r.Instalment, Done: repaymentToJSON(r.Done)})
	return b
}

// DecodeRefund reads a refund record.
func DecodeRefund(b []byte) (*Refund, error) {
	var j refundJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, fmt.Errorf("decode refund: %w", err)
	}
	var d decoder
	r := &Refund{ID: j.ID, PositionID: j.PositionID, Avviso: pagopa.CodiceAvviso(j.Avviso), Comune: j.Comune, DebtorCF: j.DebtorCF,
		DebtorName: j.DebtorName, Causale: j.Causale, DueCents: j.Due, PaidCents: j.Paid, ExcessCents: j.Excess,
		Receipts: d.receipts(j.Receipts), State: j.State, OpenedAt: d.instant("opened_at", j.OpenedAt), Instalment: j.Rata}
	if j.Done != nil {
		r.Done = d.repayment(j.Done)
	}
	if d.err != nil {
		return nil, fmt.Errorf("decode refund %s: %w", j.ID, d.err)
	}
	return r, nil
}

type blockJSON struct {
	Device string `json:"device"`
	Aux    int    `json:"aux_digit"`
	Code   string `json:"code"`
	First  int64  `json:"first"`
	Last   int64  `json:"last"`
}

// EncodeBlock is the JSON of a block of IUVs (the hub's answer to
// FactIUVBlock).
func EncodeBlock(b pagopa.Block) []byte {
	out, _ := json.Marshal(blockJSON{Device: b.Device, Aux: b.Aux, Code: b.Code, First: b.First, Last: b.Last})
	return out
}

// DecodeBlock reads a block of IUVs and validates it.
func DecodeBlock(b []byte) (pagopa.Block, error) {
	var j blockJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return pagopa.Block{}, fmt.Errorf("decode IUV block: %w", err)
	}
	bl := pagopa.Block{Device: j.Device, Aux: j.Aux, Code: j.Code, First: j.First, Last: j.Last}
	return bl, bl.Validate()
}

type repaymentJSON struct {
	Refund   string `json:"refund"`
	Comune   string `json:"comune"`
	Method   string `json:"method"`
	On       string `json:"done_on"`
	Note     string `json:"note,omitempty"`
	Operator string `json:"operator,omitempty"`
	Device   string `json:"device,omitempty"`
	At       string `json:"at"`
}

func repaymentToJSON(r *Repayment) *repaymentJSON {
	if r == nil {
		return nil
	}
	return &repaymentJSON{Refund: r.Refund, Comune: r.Comune, Method: string(r.Method), On: date(r.On), Note: r.Note,
		Operator: r.Operator, Device: r.Device, At: app.FormatInstant(r.At)}
}

func (d *decoder) repayment(j *repaymentJSON) *Repayment {
	return &Repayment{Refund: j.Refund, Comune: j.Comune, Method: RefundMethod(j.Method), On: d.date("done_on", j.On), Note: j.Note,
		Operator: j.Operator, Device: j.Device, At: d.instant("at", j.At)}
}

// EncodeRepayment is the JSON of a FactRefundDone fact.
func EncodeRepayment(r *Repayment) []byte {
	b, _ := json.Marshal(repaymentToJSON(r))
	return b
}

// DecodeRepayment reads a FactRefundDone fact and validates it; EINVALID
// for one that does not make a repayment.
func DecodeRepayment(b []byte) (*Repayment, error) {
	var j repaymentJSON
	if err := app.DecodeJSON(b, &j); err != nil {
		return nil, app.Errorf(app.EINVALID, "rimborso non leggibile: %v", err)
	}
	var d decoder
	r := d.repayment(&j)
	if d.err != nil {
		return nil, app.Errorf(app.EINVALID, "rimborso %s: %v", j.Refund, d.err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return r, nil
}
