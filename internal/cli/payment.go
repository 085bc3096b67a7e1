package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/internal/cmdline"
)

// cashierPreamble is what the payment commands need first: the hub's
// latest positions when it answers, and IUVs in hand to number new
// notices offline.
func cashierPreamble(e *Env) preamble {
	return preamble{log: e.Stderr, iuvBlock: true, round: true}
}

// positionLine is one position of `payment list --json`.
type positionLine struct {
	ID           string `json:"id"`
	CodiceAvviso string `json:"codice_avviso"`
	AmountCents  int64  `json:"amount_cents"`
	State        string `json:"state"`       // the hub's: da_pagare, pagato, pagato_due_volte, annullato
	StateTitle   string `json:"state_title"` // what the counter shows, with what this workstation did since
	Causale      string `json:"causale"`
	Service      string `json:"service"`
	DueDate      string `json:"due_date"`
	Payable      bool   `json:"payable"`
	Verbale      string `json:"verbale,omitempty"`
	// Instalments are the rate, each payable on its own with its avviso.
	Instalments []instalmentLine `json:"instalments,omitempty"`
}

// instalmentLine is one rata of a position in `payment list --json`.
type instalmentLine struct {
	N            int    `json:"n"`
	CodiceAvviso string `json:"codice_avviso"`
	AmountCents  int64  `json:"amount_cents"`
	DueDate      string `json:"due_date"`
	State        string `json:"state"`
	StateTitle   string `json:"state_title"`
}

func cmdPaymentList(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment list")
	cfCode := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *cfCode == "" {
		return cmdline.Usagef("payment list: serve --cf CODICE [--json]")
	}
	s, err := e.open(ctx, cashierPreamble(e))
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Cashier.List(ctx, strings.ToUpper(strings.TrimSpace(*cfCode)))
	if err != nil {
		return err
	}
	lines := []positionLine{}
	for _, v := range list {
		pl := positionLine{ID: v.ID, CodiceAvviso: string(v.Avviso), AmountCents: v.AmountCents, State: string(v.State),
			StateTitle: string(v.Status()), Causale: v.Causale, Service: string(v.Service), DueDate: v.DueDate.Format(app.DateLayout),
			Payable: v.Published && !v.Unsent, Verbale: v.Fine}
		for _, in := range v.Instalments {
			st := in.State
			if st == "" {
				st = payment.StateDue
			}
			pl.Instalments = append(pl.Instalments, instalmentLine{N: in.N, CodiceAvviso: string(in.Avviso), AmountCents: in.AmountCents,
				DueDate: in.DueDate.Format(app.DateLayout), State: string(st), StateTitle: string(v.InstalmentStatus(in.N))})
		}
		lines = append(lines, pl)
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	if len(lines) == 0 {
		fmt.Fprintln(e.Stdout, "nessuna posizione")
	}
	for _, l := range lines {
		fmt.Fprintf(e.Stdout, "%-22s %s  %12s  %s  %s (%s)\n", l.ID, l.CodiceAvviso, app.Euro(l.AmountCents), l.DueDate, l.Causale, l.StateTitle)
		for _, in := range l.Instalments {
			fmt.Fprintf(e.Stdout, "  rata %-16d %s  %12s  %s  (%s)\n", in.N, in.CodiceAvviso, app.Euro(in.AmountCents), in.DueDate, in.StateTitle)
		}
	}
	return nil
}

func cmdPaymentNotice(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment notice")
	id := fs.String("id", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	rata := fs.Int("rata", 0, "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" || (*out == "" && *printer == "") || *rata < 0 {
		return cmdline.Usagef("payment notice: servono --id ID [--rata N] e --out FILE.pdf (o --print STAMPANTE)")
	}
	s, op, err := e.openAs(ctx, cashierPreamble(e), opName)
	if err != nil {
		return err
	}
	defer s.Close()
	n, pdf, err := s.Cashier.InstalmentNotice(ctx, op, *id, *rata)
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, *printer, "avviso-"+*id, pdf); err != nil {
		return err
	}
	what := ""
	if n.Instalment != nil {
		what = ", " + n.Position.TargetName(n.Instalment.N)
	}
	fmt.Fprintf(e.Stdout, "avviso %s: %s, %s%s\n", n.Avviso().Grouped(), app.Euro(n.Due), n.Position.Causale, what)
	if n.NotPayable {
		fmt.Fprintln(e.Stdout, "non ancora pagabile: l'hub non ha ancora registrato la posizione")
	}
	return nil
}

func cmdPaymentPay(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment pay")
	id := fs.String("id", "", "")
	method := fs.String("method", "", "")
	opName := operatorFlags(fs)
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	rata := fs.Int("rata", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" || *method == "" || *rata < 0 {
		return cmdline.Usagef("payment pay: servono --id ID e --method cash|card [--rata N] [--operator UTENTE] [--out RICEVUTA.pdf | --print STAMPANTE]")
	}
	m, err := payment.ParseMethod(*method)
	if err != nil {
		return cmdline.Usagef("payment pay: %s", app.ErrorMessage(err))
	}
	s, op, err := e.openAs(ctx, cashierPreamble(e), opName)
	if err != nil {
		return err
	}
	defer s.Close()
	p, pdf, err := s.Cashier.PayInstalment(ctx, op, *id, *rata, m)
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, *printer, "ricevuta-"+p.Receipt, pdf); err != nil {
		return fmt.Errorf("pagamento %s registrato ma ricevuta non consegnata (ristampabile con 'payment receipt'): %w", p.Receipt, err)
	}
	note := s.sentNote(ctx)
	fmt.Fprintf(e.Stdout, "pagamento registrato: ricevuta %s, %s in %s per %s; %s\n", p.Receipt, app.Euro(p.AmountCents),
		strings.ToLower(p.Method.Name()), p.Causale, note)
	if got, err := s.Local.Payment(ctx, p.Receipt); err == nil && got.Duplicate {
		what := "la posizione risultava già pagata"
		if p.Instalment > 0 {
			what = fmt.Sprintf("la rata %d risultava già pagata", p.Instalment)
		}
		fmt.Fprintf(e.Stdout, "ATTENZIONE: %s: pagamento doppio, rimborso %s aperto\n", what, got.Refund)
	}
	return nil
}

// fineLine is one verbale of `payment fine --json`.
type fineLine struct {
	Verbale    string `json:"verbale"`
	Plate      string `json:"plate"`
	Offence    string `json:"offence"`
	NotifiedOn string `json:"notified_on"`
	Stage      string `json:"stage"`     // ridotto, minimo, metà_massimo: what is due today under art. 202-203 CdS
	DueCents   int64  `json:"due_cents"` // due if paid today
	Until      string `json:"until,omitempty"`
	NextCents  int64  `json:"next_cents,omitempty"` // due after Until
	PositionID string `json:"position_id,omitempty"`
	Avviso     string `json:"codice_avviso,omitempty"`
	StateTitle string `json:"state_title,omitempty"` // the position's, as payment list shows it
}

func cmdPaymentFine(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment fine")
	number := fs.String("verbale", "", "")
	plate := fs.String("plate", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*number == "") == (*plate == "") {
		return cmdline.Usagef("payment fine: serve --verbale NUMERO oppure --plate TARGA [--json]")
	}
	s, err := e.open(ctx, cashierPreamble(e))
	if err != nil {
		return err
	}
	defer s.Close()
	fines, err := s.Cashier.Fines(ctx, *number, *plate)
	if err != nil {
		return err
	}
	lines := []fineLine{}
	for _, f := range fines {
		l := fineLine{Verbale: f.Fine.Number, Plate: f.Fine.Plate, Offence: f.Fine.Offence, NotifiedOn: f.Fine.NotifiedOn.Format(app.DateLayout),
			Stage: f.Due.Stage, DueCents: f.Due.Cents, NextCents: f.Due.NextCents, PositionID: f.Fine.PositionID}
		if !f.Due.Until.IsZero() {
			l.Until = f.Due.Until.Format(app.DateLayout)
		}
		if f.Position != nil {
			l.Avviso, l.StateTitle = string(f.Position.Avviso), string(f.Position.Status())
		}
		lines = append(lines, l)
	}
	if *asJSON {
		enc := json.NewEncoder(e.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	for _, l := range lines {
		until := ""
		if l.Until != "" {
			until = " fino al " + l.Until + ", poi " + app.Euro(l.NextCents)
		}
		fmt.Fprintf(e.Stdout, "verbale %s targa %s: %s — %s (%s)%s; posizione %s, %s\n", l.Verbale, l.Plate, l.Offence,
			app.Euro(l.DueCents), payment.StageName(l.Stage), until, l.PositionID, l.StateTitle)
	}
	return nil
}

func cmdPaymentNew(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment new")
	cfCode := fs.String("cf", "", "")
	name := fs.String("name", "", "")
	causale := fs.String("causale", "", "")
	amount := fs.Int64("amount", 0, "")
	service := fs.String("service", string(payment.ServiceCertificate), "")
	due := fs.String("due", "", "")
	opName := operatorFlags(fs)
	out := fs.String("out", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *cfCode == "" || *causale == "" || *amount <= 0 {
		return cmdline.Usagef("payment new: servono --cf CODICE --causale TESTO --amount CENTESIMI [--name NOME] [--service SERVIZIO] [--due AAAA-MM-GG] [--out AVVISO.pdf]")
	}
	dueDate := time.Now().AddDate(0, 0, 30)
	if *due != "" {
		d, err := app.ParseDate(*due)
		if err != nil {
			return cmdline.Usagef("payment new: --due vuole AAAA-MM-GG")
		}
		dueDate = d
	}
	s, op, err := e.openAs(ctx, cashierPreamble(e), opName)
	if err != nil {
		return err
	}
	defer s.Close()
	debtor := strings.ToUpper(strings.TrimSpace(*cfCode))
	who := *name
	if who == "" {
		if cit, err := s.Local.Citizen(ctx, debtor); err == nil {
			who = cit.Surname + " " + cit.GivenName
		} else {
			who = debtor
		}
	}
	v, pdf, err := s.Cashier.NewPosition(ctx, op, payment.Position{DebtorCF: debtor, DebtorName: who, Service: payment.Service(*service),
		Causale: *causale, AmountCents: *amount, DueDate: app.Date(dueDate.Year(), dueDate.Month(), dueDate.Day())})
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, "", "avviso-"+v.ID, pdf); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "posizione %s: avviso %s, %s; %s\n", v.ID, v.Avviso.Grouped(), app.Euro(v.AmountCents), s.sentNote(ctx))
	return nil
}

func cmdPaymentClose(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment close")
	opName := operatorFlags(fs)
	day := fs.String("day", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || opName.name == "" || (*out == "" && *printer == "") {
		return cmdline.Usagef("payment close: servono --operator UTENTE [--day AAAA-MM-GG] e --out FILE.pdf (o --print STAMPANTE)")
	}
	if *day != "" {
		if _, err := app.ParseDate(*day); err != nil {
			return cmdline.Usagef("payment close: --day vuole AAAA-MM-GG")
		}
	}
	s, op, err := e.openAs(ctx, cashierPreamble(e), opName)
	if err != nil {
		return err
	}
	defer s.Close()
	cl, pdf, err := s.Cashier.Close(ctx, op, *day)
	if err != nil {
		return err
	}
	if err := deliver(ctx, *out, *printer, "chiusura-"+cl.Day+"-"+cl.Operator, pdf); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "giornata %s di %s chiusa: %d incassi per %s", cl.Day, cl.Operator, len(cl.Payments), app.Euro(cl.TotalCents))
	for _, t := range cl.ByMethod {
		fmt.Fprintf(e.Stdout, "; %s %s", strings.ToLower(t.Name), app.Euro(t.Cents))
	}
	fmt.Fprintf(e.Stdout, "; %d certificati, diritti %s; %s\n", len(cl.Certificates), app.Euro(cl.DirittiCents), s.sentNote(ctx))
	return nil
}

func cmdPaymentReceipt(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment receipt")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *number == "" || (*out == "" && *printer == "") {
		return cmdline.Usagef("payment receipt: servono --number RICEVUTA e --out FILE.pdf (o --print STAMPANTE)")
	}
	s, op, err := e.openAs(ctx, preamble{log: e.Stderr}, opName)
	if err != nil {
		return err
	}
	defer s.Close()
	pdf, err := s.Cashier.Receipt(ctx, op, *number)
	if err != nil {
		return err
	}
	return deliver(ctx, *out, *printer, "ricevuta-"+*number, pdf)
}

// scanLine is `payment scan --json`.
type scanLine struct {
	Kind        string `json:"kind"` // pagopa, poste, avviso, certificato: what the code is
	Avviso      string `json:"codice_avviso,omitempty"`
	AmountCents int64  `json:"amount_cents,omitempty"`
	PositionID  string `json:"position_id,omitempty"`
	StateTitle  string `json:"state_title"`
	Message     string `json:"message"`
	Valid       bool   `json:"valid,omitempty"`
	Instalment  int    `json:"instalment,omitempty"`
	ComuneName  string `json:"comune_name,omitempty"` // another comune of the network's
}

func cmdPaymentScan(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment scan")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return cmdline.Usagef("payment scan: indicare il testo letto dallo scanner [--json]")
	}
	s, err := e.open(ctx, preamble{log: e.Stderr})
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Cashier.Scan(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	l := scanLine{Kind: r.Kind, Avviso: string(r.Avviso), AmountCents: r.Amount, StateTitle: string(r.Status), Message: r.Message, Valid: r.Valid,
		Instalment: r.Instalment}
	if r.Remote {
		l.ComuneName = r.ComuneName
	}
	if r.Position != nil {
		l.PositionID = r.Position.ID
	}
	if *asJSON {
		return json.NewEncoder(e.Stdout).Encode(l)
	}
	fmt.Fprintf(e.Stdout, "%s: %s\n", r.Kind, r.Message)
	return nil
}

func cmdPaymentRefunds(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment refunds")
	cfCode := fs.String("cf", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return cmdline.Usagef("payment refunds: [--cf CODICE]")
	}
	s, err := e.open(ctx, cashierPreamble(e))
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Cashier.Refunds(ctx, strings.ToUpper(*cfCode))
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, "nessun rimborso")
	}
	for _, r := range list {
		var receipts []string
		for _, rc := range r.Receipts {
			receipts = append(receipts, rc.Number+" ("+rc.Channel+", "+app.Euro(rc.AmountCents)+")")
		}
		state := r.State
		if r.Done != nil {
			state += " " + r.Done.Describe()
			if r.Unsent {
				state += " (in attesa di conferma dell'hub)"
			}
		}
		fmt.Fprintf(e.Stdout, "%s %s %s: %s, pagato %s invece di %s, da rimborsare %s — ricevute %s [%s]\n", r.ID, r.DebtorCF, r.DebtorName,
			r.Causale, app.Euro(r.PaidCents), app.Euro(r.DueCents), app.Euro(r.ExcessCents), strings.Join(receipts, ", "), state)
	}
	return nil
}

// cmdPaymentRefundDone is `sportello payment refund-done`: a supervisor
// records that the excess of a double payment went back to the payer; the
// fact goes to the hub through the outbox, which checks the role again.
func cmdPaymentRefundDone(ctx context.Context, e *Env, args []string) error {
	fs := flags("payment refund-done")
	id := fs.String("id", "", "")
	method := fs.String("method", "bonifico", "")
	on := fs.String("date", "", "")
	note := fs.String("note", "", "")
	opName := operatorFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" {
		return cmdline.Usagef("payment refund-done: servono --id RIMBORSO [--method bonifico|contanti|storno_pos|compensazione] [--date AAAA-MM-GG] [--note TESTO] --operator SUPERVISORE")
	}
	m, err := payment.ParseRefundMethod(*method)
	if err != nil {
		return cmdline.Usagef("payment refund-done: %s", app.ErrorMessage(err))
	}
	var day time.Time
	if *on != "" {
		if day, err = app.ParseDate(*on); err != nil {
			return cmdline.Usagef("payment refund-done: --date vuole AAAA-MM-GG")
		}
	}
	s, op, err := e.openAs(ctx, cashierPreamble(e), opName)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Cashier.CompleteRefund(ctx, op, *id, m, day, *note)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "rimborso %s registrato come eseguito %s; %s\n", r.Refund, r.Describe(), s.sentNote(ctx))
	if refused := s.parkedRepayments(ctx, r.Refund); len(refused) > 0 {
		return app.Errorf(app.EFORBIDDEN, "l'hub ha rifiutato il rimborso: %s", refused[0])
	}
	return nil
}

// parkedRepayments are the reasons the hub refused repayments of refund.
func (s *session) parkedRepayments(ctx context.Context, refund string) []string {
	ops, err := s.Local.ParkedOps(ctx)
	if err != nil {
		return nil
	}
	var out []string
	for _, op := range ops {
		if op.Kind != payment.FactRefundDone {
			continue
		}
		if r, err := payment.DecodeRepayment(op.Data); err == nil && r.Refund == refund {
			out = append(out, op.Reason)
		}
	}
	return out
}
