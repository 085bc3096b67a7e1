// Package payment is the counter's side of payments: the positions
// (posizioni debitorie) the hub keeps for the comune — school canteen
// fees, TARI, fines, certificate and request fees — with their pagoPA
// notices; the fines (verbali) and the amount art. 202 of the Codice della
// Strada makes due on a given day; the payments taken at the counter in
// cash or by card, with their receipts; the double payments the hub
// detects and lists for refund; and the cash closing of an operator's day.
//
// The hub owns positions, fines and refunds (records of the kinds below);
// the workstation creates payments, the positions it numbers from its own
// block of IUVs while offline, and closed days (facts of the kinds below).
// The JSON of records and facts is this package's (json.go).
package payment

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
)

// Record kinds (app.Record.Kind) the hub sends.
const (
	KindPosition = "position" // Subject: the debtor's codice fiscale
	KindFine     = "fine"     // Subject: the offender's codice fiscale, "" when unknown
	KindRefund   = "refund"   // Subject: the debtor's codice fiscale
	KindPayee    = "payee"    // the creditor's pagoPA settings; key: the comune's code
)

// Fact kinds (app.Operation.Kind) the workstation sends.
const (
	FactPayment  = "payment"      // a payment taken at the counter
	FactPosition = "position"     // a position numbered at the counter from its block
	FactIUVBlock = "iuv_block"    // asks the hub for a block of IUVs; the answer is the block
	FactClosing  = "cash_closing" // a closed day of an operator at the workstation
	// FactRefundDone: a supervisor returned the excess of a double payment
	// (refund.go).
	FactRefundDone = "refund_done"
)

// Service is what a position is for, as the closing totals it.
type Service string

// The services of the catalogue that produce positions.
const (
	ServiceCanteen     Service = "mensa"       // refezione scolastica
	ServiceTARI        Service = "tari"        // tassa sui rifiuti
	ServiceFine        Service = "sanzione"    // sanzione del Codice della Strada
	ServiceCertificate Service = "certificato" // diritti di segreteria e rimborsi
	ServiceRequest     Service = "istanza"     // diritti di istruttoria
	ServiceOther       Service = "altro"
)

var serviceNames = map[Service]string{
	ServiceCanteen:     "Refezione scolastica",
	ServiceTARI:        "TARI",
	ServiceFine:        "Sanzioni Codice della Strada",
	ServiceCertificate: "Diritti per certificati",
	ServiceRequest:     "Diritti di istruttoria",
	ServiceOther:       "Altri pagamenti",
}

// Name is the service's name for the operator and the closing.
func (s Service) Name() string {
	if n, ok := serviceNames[s]; ok {
		return n
	}
	return string(s)
}

// Valid reports whether s is a known service.
func (s Service) Valid() bool { _, ok := serviceNames[s]; return ok }

// State is where a position stands as the hub knows it.
type State string

// The states of a position.
const (
	StateDue       State = "da_pagare"
	StatePaid      State = "pagato"
	StateDuplicate State = "pagato_due_volte" // paid more than once: a refund is open
	StateCancelled State = "annullato"
)

// Method is how a payment at the counter was made.
type Method string

// The methods of a counter payment.
const (
	Cash Method = "contanti"
	Card Method = "pos" // carta di debito o di credito sul terminale POS
)

// ParseMethod reads a method as the CLI or a form gives it.
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cash", "contanti":
		return Cash, nil
	case "card", "pos", "carta", "bancomat":
		return Card, nil
	}
	return "", app.Errorf(app.EINVALID, "modalità di pagamento %q: contanti (cash) o carta sul POS (card)", s)
}

// Name is the method for the operator.
func (m Method) Name() string {
	switch m {
	case Cash:
		return "Contanti"
	case Card:
		return "Carta (POS)"
	}
	return string(m)
}

// Channels a payment reaches the hub by.
const (
	ChannelCounter = "sportello"
	ChannelPagoPA  = "pagoPA" // the node: a PSP, the IO app, a home banking
)

// Payee is the creditor as pagoPA knows it: the comune, its codice
// fiscale, how it numbers its notices, and its accounts.
type Payee struct {
	Comune string // Belfiore code
	Name   string // "Comune di Sesto San Giovanni"
	CFEnte string // 11 digits
	// Aux is 3 with the segregation code PagoPA assigned, or 0 with the
	// application code of a legacy setup; Code is that code.
	Aux  int
	Code string
	// CBILL is the creditor's code in the CBILL circuit, printed on the
	// notice for home banking.
	CBILL string
	// PostalAccount is the conto corrente postale (up to 12 digits); with
	// it the notice carries the postal slip and its DataMatrix.
	PostalAccount string
	PostalHolder  string // intestatario del conto
	Office        string // "Servizi al cittadino" — who to ask
	// Demo marks the demo network: its notices say they must not be paid.
	Demo bool
}

// Validate checks the settings a notice needs.
func (p *Payee) Validate() error {
	switch {
	case !app.ValidBelfiore(p.Comune):
		return app.Errorf(app.EINVALID, "ente creditore senza comune")
	case strings.TrimSpace(p.Name) == "":
		return app.Errorf(app.EINVALID, "ente creditore senza denominazione")
	case !pagopa.ValidCFEnte(p.CFEnte):
		return app.Errorf(app.EINVALID, "codice fiscale dell'ente %q non valido", p.CFEnte)
	case len(p.CBILL) != 0 && (len(p.CBILL) != 5 || strings.ToUpper(p.CBILL) != p.CBILL):
		return app.Errorf(app.EINVALID, "codice CBILL %q: 5 caratteri maiuscoli", p.CBILL)
	case len(p.PostalAccount) > 12:
		return app.Errorf(app.EINVALID, "conto corrente postale troppo lungo")
	}
	if _, err := pagopa.NewAvviso(p.Aux, p.Code, 0); err != nil {
		return err
	}
	return nil
}

// Instalment is a rate of a position, with its own codice avviso: each is
// paid on its own (instalment.go).
type Instalment struct {
	N           int
	Avviso      pagopa.CodiceAvviso
	AmountCents int64
	DueDate     time.Time
	// State is the hub's: StateDue, StatePaid or StateDuplicate ("" is
	// due: a record of before instalments were paid one by one).
	State State
}

// Receipt is a payment of a position as the hub recorded it.
type Receipt struct {
	Number      string // the counter's receipt number, or the pagoPA receipt's id
	Channel     string // ChannelCounter or ChannelPagoPA
	Method      Method // for the counter
	AmountCents int64
	At          time.Time
	Device      string
	Operator    string
	// Instalment is the rata the receipt pays; 0 for the rata unica.
	Instalment int
	// ExcessCents is what the receipt paid beyond what was due when the
	// hub applied it: the refund it opened.
	ExcessCents int64
	// RefundedCents is what was returned of it to the payer, as the
	// excess of a double payment; a receipt refunded in full no longer
	// pays the position.
	RefundedCents int64
}

// Position is a posizione debitoria: what a debtor owes the comune, and
// for what, with its pagoPA notice.
type Position struct {
	ID          string
	Comune      string
	DebtorCF    string
	DebtorName  string
	Service     Service
	Causale     string
	AmountCents int64 // the whole amount (rata unica); for a fine, the minimum plus costs: Fine.Due says what is due on a day
	DueDate     time.Time
	Avviso      pagopa.CodiceAvviso // of the rata unica
	Instalments []Instalment
	State       State
	// Published: the hub has entered it in the archive of pending
	// payments, so the node accepts it. A position the counter numbered
	// offline is not payable until then.
	Published bool
	Fine      string // the verbale, for a fine
	Receipts  []Receipt
	CreatedAt time.Time
	CreatedBy string // the device that numbered it; "" for the hub
}

// Validate checks a position.
func (p *Position) Validate() error {
	switch {
	case p.ID == "" || len(p.ID) > 60:
		return app.Errorf(app.EINVALID, "posizione senza identificativo")
	case !app.ValidBelfiore(p.Comune):
		return app.Errorf(app.EINVALID, "posizione %s senza comune", p.ID)
	case len(p.DebtorCF) != 16 && len(p.DebtorCF) != 11:
		return app.Errorf(app.EINVALID, "posizione %s: codice fiscale del debitore non valido", p.ID)
	case !p.Service.Valid():
		return app.Errorf(app.EINVALID, "posizione %s: servizio %q sconosciuto", p.ID, p.Service)
	case !printable(p.Causale, 140) || !printable(p.DebtorName, 70):
		return app.Errorf(app.EINVALID, "posizione %s: causale o nome del debitore mancanti o troppo lunghi", p.ID)
	case p.AmountCents <= 0 || p.AmountCents > pagopa.MaxAmountCents:
		return app.Errorf(app.EINVALID, "posizione %s: importo non valido", p.ID)
	case p.DueDate.IsZero():
		return app.Errorf(app.EINVALID, "posizione %s senza scadenza", p.ID)
	}
	if _, err := pagopa.ParseAvviso(string(p.Avviso)); err != nil {
		return err
	}
	switch p.State {
	case StateDue, StatePaid, StateDuplicate, StateCancelled:
	default:
		return app.Errorf(app.EINVALID, "posizione %s: stato %q sconosciuto", p.ID, p.State)
	}
	var sum int64
	seen := map[int]bool{}
	for _, in := range p.Instalments {
		if _, err := pagopa.ParseAvviso(string(in.Avviso)); err != nil || in.AmountCents <= 0 || in.DueDate.IsZero() || in.N <= 0 || seen[in.N] ||
			in.Avviso == p.Avviso {
			return app.Errorf(app.EINVALID, "posizione %s: rata %d non valida", p.ID, in.N)
		}
		switch in.State {
		case "", StateDue, StatePaid, StateDuplicate:
		default:
			return app.Errorf(app.EINVALID, "posizione %s: stato %q della rata %d sconosciuto", p.ID, in.State, in.N)
		}
		seen[in.N] = true
		sum += in.AmountCents
	}
	if len(p.Instalments) > 0 && sum != p.AmountCents {
		return app.Errorf(app.EINVALID, "posizione %s: le rate non sommano all'importo", p.ID)
	}
	return nil
}

// PaidCents is what the hub has received for the position.
func (p *Position) PaidCents() int64 {
	var n int64
	for _, r := range p.Receipts {
		n += r.AmountCents
	}
	return n
}

// Payment is a payment taken at the counter: the fact the workstation
// sends, with the receipt it printed.
type Payment struct {
	Receipt     string // "I690-W001-2026-R000012": workstation, year, sequence
	PositionID  string
	Avviso      pagopa.CodiceAvviso // of what it pays: the rata unica or the instalment
	Instalment  int                 // the rata it pays; 0 for the rata unica
	AmountCents int64
	Method      Method
	Operator    string
	Device      string
	At          time.Time
	Day         string // the operator's working day, AAAA-MM-GG in Rome: the closing it belongs to
	Service     Service
	Causale     string
	DebtorCF    string
	DebtorName  string
	Fine        string // the verbale, and the stage of art. 202 the amount follows
	FineStage   string
	// The hub's answer: the position had been paid already.
	Duplicate bool
	Refund    string
}

// Validate checks a payment before it is stored.
func (p *Payment) Validate() error {
	switch {
	case p.Receipt == "" || p.PositionID == "" || p.Device == "":
		return app.Errorf(app.EINVALID, "pagamento senza ricevuta o posizione")
	case p.Instalment < 0:
		return app.Errorf(app.EINVALID, "rata %d del pagamento non valida", p.Instalment)
	case p.AmountCents <= 0 || p.AmountCents > pagopa.MaxAmountCents:
		return app.Errorf(app.EINVALID, "importo del pagamento non valido")
	case p.Method != Cash && p.Method != Card:
		return app.Errorf(app.EINVALID, "modalità di pagamento %q sconosciuta", p.Method)
	case p.Operator == "":
		return app.Errorf(app.EINVALID, "pagamento senza operatore")
	case p.At.IsZero():
		return app.Errorf(app.EINVALID, "pagamento senza data")
	}
	if _, err := time.Parse(app.DateLayout, p.Day); err != nil {
		return app.Errorf(app.EINVALID, "giornata del pagamento %q non valida", p.Day)
	}
	if _, err := pagopa.ParseAvviso(string(p.Avviso)); err != nil {
		return err
	}
	return nil
}

// Refund is an entry of the refund worklist: a position paid more than
// once, with every receipt, so that a person returns the excess to the
// payer. The hub opens it when the second payment applies.
type Refund struct {
	ID          string // the receipt of the payment in excess
	PositionID  string
	Avviso      pagopa.CodiceAvviso
	Comune      string
	DebtorCF    string
	DebtorName  string
	Causale     string
	DueCents    int64
	PaidCents   int64
	ExcessCents int64
	Receipts    []Receipt // all of the position's, in the order the hub applied them
	State       string    // "da_rimborsare", "rimborsato"
	OpenedAt    time.Time
	Instalment  int // the rata paid in excess; 0 for the rata unica
	// Done says how the excess was returned, once State is RefundDone.
	Done *Repayment
	// Unsent: a supervisor marked it done at this workstation and the hub
	// has not confirmed it yet.
	Unsent bool
}

// Refund states.
const (
	RefundOpen = "da_rimborsare"
	RefundDone = "rimborsato"
)

// DayOf is the working day of an instant at the counter, AAAA-MM-GG.
func DayOf(t time.Time) string { return t.In(app.Rome).Format(app.DateLayout) }

func printable(s string, max int) bool {
	return strings.TrimSpace(s) != "" && utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && !strings.ContainsAny(s, "\n\r\t")
}
