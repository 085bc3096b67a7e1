package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/printing"
)

// newCashier is the payments service of a workstation, laying its
// documents out with printing and checking certificate stamps with the
// network's keys the workstation holds.
func newCashier(ws *workstation) *payment.Cashier {
	return &payment.Cashier{
		Store:   ws.store,
		Profile: ws.store.Profile,
		Render: payment.Renderers{
			Notice:  printing.NoticePDF,
			Receipt: printing.ReceiptPDF,
			Closing: printing.ClosingPDF,
		},
		Network: ws.client.Network(), // the scanner looks other comuni's avvisi up at the hub
		VerifyStamp: func(ctx context.Context, stamp string) (string, error) {
			p, err := ws.store.Profile(ctx)
			if err != nil {
				return "", err
			}
			revoked := func(device string) (time.Time, bool) {
				d, err := ws.store.DeviceKey(ctx, device)
				if err != nil || d.RevokedAt.IsZero() {
					return time.Time{}, false
				}
				return d.RevokedAt, true
			}
			f, err := certificate.Verify(stamp, p.RootKey, revoked, time.Now())
			if f == nil {
				return "", err
			}
			t, _ := certificate.TypeByID(f.Type)
			return fmt.Sprintf("Certificato n. %s — %s — codice fiscale %s, rilasciato il %s", f.Number, t.Title, f.CodiceFiscale,
				f.IssuedAt.In(payment.Rome).Format("02/01/2006 15:04")), err
		},
		Now: time.Now,
		Outboxed: func() {
			if ws.counter.Outboxed != nil {
				ws.counter.Outboxed()
			}
		},
	}
}

// newPaymentDesk is the cashier of the counter app; it asks the hub for a
// block of IUVs when few are left, so notices print offline.
func newPaymentDesk(ctx context.Context, ws *workstation) *payment.Cashier {
	c := newCashier(ws)
	go func() { _ = c.EnsureBlock(ctx) }()
	return c
}

const paymentUsage = "payment: indicare list, notice, pay, fine, new, close, receipt, scan, refunds o refund-done"

func cmdPayment(ctx context.Context, o options, args []string) error {
	if len(args) == 0 {
		return usageError{paymentUsage}
	}
	cmds := map[string]func(context.Context, options, []string) error{
		"list": cmdPaymentList, "notice": cmdPaymentNotice, "pay": cmdPaymentPay, "fine": cmdPaymentFine, "new": cmdPaymentNew,
		"close": cmdPaymentClose, "receipt": cmdPaymentReceipt, "scan": cmdPaymentScan, "refunds": cmdPaymentRefunds,
		"refund-done": cmdPaymentRefundDone, // paymentcli_refund.go
	}
	f, ok := cmds[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("payment: comando sconosciuto %q\n%s", args[0], paymentUsage)}
	}
	return f(ctx, o, args[1:])
}

// openCashier opens the workstation, runs a sync round when the hub
// answers (the data then is the hub's latest; without it the cache serves)
// and asks for a block of IUVs when few are left.
func openCashier(ctx context.Context, o options) (*workstation, *payment.Cashier, error) {
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return nil, nil, err
	}
	if _, err := ws.profile(ctx); err != nil {
		ws.Close()
		return nil, nil, err
	}
	c := newCashier(ws)
	_ = c.EnsureBlock(ctx)
	syncRound(ctx, ws)
	return ws, c, nil
}

func syncRound(ctx context.Context, ws *workstation) error {
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return ws.client.Round(sctx)
}

// sentNote says whether what was just stored reached the hub.
func sentNote(ctx context.Context, ws *workstation) string {
	if err := syncRound(ctx, ws); err != nil {
		return "in attesa di invio all'hub (" + app.ErrorMessage(err) + ")"
	}
	return "inviato all'hub"
}

// positionLine is one position of `payment list --json`.
type positionLine struct {
	ID           string `json:"id"`
	CodiceAvviso string `json:"codice_avviso"`
	AmountCents  int64  `json:"amount_cents"`
	State        string `json:"state"`
	Status       string `json:"status"`
	Causale      string `json:"causale"`
	Service      string `json:"service"`
	DueDate      string `json:"due_date"`
	Payable      bool   `json:"payable"`
	Fine         string `json:"verbale,omitempty"`
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
	Status       string `json:"status"`
}

func cmdPaymentList(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment list")
	cfCode := fs.String("cf", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *cfCode == "" {
		return usageError{"payment list: serve --cf CODICE [--json]"}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	list, err := c.List(ctx, strings.ToUpper(strings.TrimSpace(*cfCode)))
	if err != nil {
		return err
	}
	lines := []positionLine{}
	for _, v := range list {
		pl := positionLine{ID: v.ID, CodiceAvviso: string(v.Avviso), AmountCents: v.AmountCents, State: string(v.State),
			Status: string(v.Status()), Causale: v.Causale, Service: string(v.Service), DueDate: v.DueDate.Format(app.DateLayout),
			Payable: v.Published && !v.Unsent, Fine: v.Fine}
		for _, in := range v.Instalments {
			st := in.State
			if st == "" {
				st = payment.StateDue
			}
			pl.Instalments = append(pl.Instalments, instalmentLine{N: in.N, CodiceAvviso: string(in.Avviso), AmountCents: in.AmountCents,
				DueDate: in.DueDate.Format(app.DateLayout), State: string(st), Status: string(v.InstalmentStatus(in.N))})
		}
		lines = append(lines, pl)
	}
	if *asJSON {
		enc := json.NewEncoder(o.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	if len(lines) == 0 {
		fmt.Fprintln(o.stdout, "nessuna posizione")
	}
	for _, l := range lines {
		fmt.Fprintf(o.stdout, "%-22s %s  %12s  %s  %s (%s)\n", l.ID, l.CodiceAvviso, payment.Euro(l.AmountCents), l.DueDate, l.Causale, l.Status)
		for _, in := range l.Instalments {
			fmt.Fprintf(o.stdout, "  rata %-16d %s  %12s  %s  (%s)\n", in.N, in.CodiceAvviso, payment.Euro(in.AmountCents), in.DueDate, in.Status)
		}
	}
	return nil
}

func cmdPaymentNotice(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment notice")
	id := fs.String("id", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	rata := fs.Int("rata", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" || (*out == "" && *printer == "") || *rata < 0 {
		return usageError{"payment notice: servono --id ID [--rata N] e --out FILE.pdf (o --print STAMPANTE)"}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	n, pdf, err := c.InstalmentNotice(ctx, *id, *rata)
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, *printer, "avviso-"+*id, pdf); err != nil {
		return err
	}
	what := ""
	if n.Instalment != nil {
		what = ", " + n.Position.TargetName(n.Instalment.N)
	}
	fmt.Fprintf(o.stdout, "avviso %s: %s, %s%s\n", n.Avviso().Grouped(), payment.Euro(n.Due), n.Position.Causale, what)
	if n.NotPayable {
		fmt.Fprintln(o.stdout, "non ancora pagabile: l'hub non ha ancora registrato la posizione")
	}
	return nil
}

func cmdPaymentPay(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment pay")
	id := fs.String("id", "", "")
	method := fs.String("method", "", "")
	opName := fs.String("operator", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	rata := fs.Int("rata", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *id == "" || *method == "" || *rata < 0 {
		return usageError{"payment pay: servono --id ID e --method cash|card [--rata N] [--operator UTENTE] [--out RICEVUTA.pdf | --print STAMPANTE]"}
	}
	m, err := payment.ParseMethod(*method)
	if err != nil {
		return usageError{"payment pay: " + app.ErrorMessage(err)}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	p, pdf, err := c.PayInstalment(ctx, op, *id, *rata, m)
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, *printer, "ricevuta-"+p.Receipt, pdf); err != nil {
		return fmt.Errorf("pagamento %s registrato ma ricevuta non consegnata (ristampabile con 'payment receipt'): %w", p.Receipt, err)
	}
	note := sentNote(ctx, ws)
	fmt.Fprintf(o.stdout, "pagamento registrato: ricevuta %s, %s in %s per %s; %s\n", p.Receipt, payment.Euro(p.AmountCents),
		strings.ToLower(p.Method.Name()), p.Causale, note)
	if got, err := ws.store.Payment(ctx, p.Receipt); err == nil && got.Duplicate {
		what := "la posizione risultava già pagata"
		if p.Instalment > 0 {
			what = fmt.Sprintf("la rata %d risultava già pagata", p.Instalment)
		}
		fmt.Fprintf(o.stdout, "ATTENZIONE: %s: pagamento doppio, rimborso %s aperto\n", what, got.Refund)
	}
	return nil
}

// fineLine is one verbale of `payment fine --json`.
type fineLine struct {
	Number     string `json:"verbale"`
	Plate      string `json:"targa"`
	Offence    string `json:"violazione"`
	NotifiedOn string `json:"notificato_il"`
	Stage      string `json:"fase"`
	DueCents   int64  `json:"dovuto_centesimi"`
	Until      string `json:"fino_al,omitempty"`
	NextCents  int64  `json:"poi_centesimi,omitempty"`
	PositionID string `json:"posizione,omitempty"`
	Avviso     string `json:"codice_avviso,omitempty"`
	Status     string `json:"stato,omitempty"`
}

func cmdPaymentFine(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment fine")
	number := fs.String("verbale", "", "")
	plate := fs.String("plate", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || (*number == "") == (*plate == "") {
		return usageError{"payment fine: serve --verbale NUMERO oppure --plate TARGA [--json]"}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	fines, err := c.Fines(ctx, *number, *plate)
	if err != nil {
		return err
	}
	lines := []fineLine{}
	for _, f := range fines {
		l := fineLine{Number: f.Fine.Number, Plate: f.Fine.Plate, Offence: f.Fine.Offence, NotifiedOn: f.Fine.NotifiedOn.Format(app.DateLayout),
			Stage: f.Due.Stage, DueCents: f.Due.Cents, NextCents: f.Due.NextCents, PositionID: f.Fine.PositionID}
		if !f.Due.Until.IsZero() {
			l.Until = f.Due.Until.Format(app.DateLayout)
		}
		if f.Position != nil {
			l.Avviso, l.Status = string(f.Position.Avviso), string(f.Position.Status())
		}
		lines = append(lines, l)
	}
	if *asJSON {
		enc := json.NewEncoder(o.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(lines)
	}
	for _, l := range lines {
		until := ""
		if l.Until != "" {
			until = " fino al " + l.Until + ", poi " + payment.Euro(l.NextCents)
		}
		fmt.Fprintf(o.stdout, "verbale %s targa %s: %s — %s (%s)%s; posizione %s, %s\n", l.Number, l.Plate, l.Offence,
			payment.Euro(l.DueCents), payment.StageName(l.Stage), until, l.PositionID, l.Status)
	}
	return nil
}

func cmdPaymentNew(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment new")
	cfCode := fs.String("cf", "", "")
	name := fs.String("name", "", "")
	causale := fs.String("causale", "", "")
	amount := fs.Int64("amount", 0, "")
	service := fs.String("service", string(payment.ServiceCertificate), "")
	due := fs.String("due", "", "")
	opName := fs.String("operator", "", "")
	out := fs.String("out", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *cfCode == "" || *causale == "" || *amount <= 0 {
		return usageError{"payment new: servono --cf CODICE --causale TESTO --amount CENTESIMI [--name NOME] [--service SERVIZIO] [--due AAAA-MM-GG] [--out AVVISO.pdf]"}
	}
	dueDate := time.Now().AddDate(0, 0, 30)
	if *due != "" {
		d, err := app.ParseDate(*due)
		if err != nil {
			return usageError{"payment new: --due vuole AAAA-MM-GG"}
		}
		dueDate = d
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	debtor := strings.ToUpper(strings.TrimSpace(*cfCode))
	who := *name
	if who == "" {
		if cit, err := ws.store.Citizen(ctx, debtor); err == nil {
			who = cit.Surname + " " + cit.GivenName
		} else {
			who = debtor
		}
	}
	v, pdf, err := c.NewPosition(ctx, op, payment.Position{DebtorCF: debtor, DebtorName: who, Service: payment.Service(*service),
		Causale: *causale, AmountCents: *amount, DueDate: app.Date(dueDate.Year(), dueDate.Month(), dueDate.Day())})
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, "", "avviso-"+v.ID, pdf); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "posizione %s: avviso %s, %s; %s\n", v.ID, v.Avviso.Grouped(), payment.Euro(v.AmountCents), sentNote(ctx, ws))
	return nil
}

func cmdPaymentClose(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment close")
	opName := fs.String("operator", "", "")
	day := fs.String("day", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *opName == "" || (*out == "" && *printer == "") {
		return usageError{"payment close: servono --operator UTENTE [--day AAAA-MM-GG] e --out FILE.pdf (o --print STAMPANTE)"}
	}
	if *day != "" {
		if _, err := app.ParseDate(*day); err != nil {
			return usageError{"payment close: --day vuole AAAA-MM-GG"}
		}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	op, err := cliOperator(ctx, ws, o, *opName)
	if err != nil {
		return err
	}
	cl, pdf, err := c.Close(ctx, op, *day)
	if err != nil {
		return err
	}
	if err := deliver(ctx, o, *out, *printer, "chiusura-"+cl.Day+"-"+cl.Operator, pdf); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "giornata %s di %s chiusa: %d incassi per %s", cl.Day, cl.Operator, len(cl.Payments), payment.Euro(cl.TotalCents))
	for _, t := range cl.ByMethod {
		fmt.Fprintf(o.stdout, "; %s %s", strings.ToLower(t.Name), payment.Euro(t.Cents))
	}
	fmt.Fprintf(o.stdout, "; %d certificati, diritti %s; %s\n", len(cl.Certificates), payment.Euro(cl.DirittiCents), sentNote(ctx, ws))
	return nil
}

func cmdPaymentReceipt(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment receipt")
	number := fs.String("number", "", "")
	out := fs.String("out", "", "")
	printer := fs.String("print", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *number == "" || (*out == "" && *printer == "") {
		return usageError{"payment receipt: servono --number RICEVUTA e --out FILE.pdf (o --print STAMPANTE)"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	pdf, err := newCashier(ws).Receipt(ctx, *number)
	if err != nil {
		return err
	}
	return deliver(ctx, o, *out, *printer, "ricevuta-"+*number, pdf)
}

// scanLine is `payment scan --json`.
type scanLine struct {
	Kind        string `json:"tipo"`
	Avviso      string `json:"codice_avviso,omitempty"`
	AmountCents int64  `json:"importo_centesimi,omitempty"`
	PositionID  string `json:"posizione,omitempty"`
	Status      string `json:"stato"`
	Message     string `json:"messaggio"`
	Valid       bool   `json:"valido,omitempty"`
	Instalment  int    `json:"rata,omitempty"`
	Comune      string `json:"comune,omitempty"` // another comune of the network's
}

func cmdPaymentScan(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment scan")
	asJSON := fs.Bool("json", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return usageError{"payment scan: indicare il testo letto dallo scanner [--json]"}
	}
	ws, err := openWorkstation(o, quietLog(o.stderr))
	if err != nil {
		return err
	}
	defer ws.Close()
	if _, err := ws.profile(ctx); err != nil {
		return err
	}
	r, err := newCashier(ws).Scan(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	l := scanLine{Kind: r.Kind, Avviso: string(r.Avviso), AmountCents: r.Amount, Status: string(r.Status), Message: r.Message, Valid: r.Valid,
		Instalment: r.Instalment}
	if r.Remote {
		l.Comune = r.ComuneName
	}
	if r.Position != nil {
		l.PositionID = r.Position.ID
	}
	if *asJSON {
		return json.NewEncoder(o.stdout).Encode(l)
	}
	fmt.Fprintf(o.stdout, "%s: %s\n", r.Kind, r.Message)
	return nil
}

func cmdPaymentRefunds(ctx context.Context, o options, args []string) error {
	fs := subFlags("payment refunds")
	cfCode := fs.String("cf", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{"payment refunds: [--cf CODICE]"}
	}
	ws, c, err := openCashier(ctx, o)
	if err != nil {
		return err
	}
	defer ws.Close()
	list, err := c.Refunds(ctx, strings.ToUpper(*cfCode))
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(o.stdout, "nessun rimborso")
	}
	for _, r := range list {
		var receipts []string
		for _, rc := range r.Receipts {
			receipts = append(receipts, rc.Number+" ("+rc.Channel+", "+payment.Euro(rc.AmountCents)+")")
		}
		state := r.State
		if r.Done != nil {
			state += " " + r.Done.Describe()
			if r.Unsent {
				state += " (in attesa di conferma dell'hub)"
			}
		}
		fmt.Fprintf(o.stdout, "%s %s %s: %s, pagato %s invece di %s, da rimborsare %s — ricevute %s [%s]\n", r.ID, r.DebtorCF, r.DebtorName,
			r.Causale, payment.Euro(r.PaidCents), payment.Euro(r.DueCents), payment.Euro(r.ExcessCents), strings.Join(receipts, ", "), state)
	}
	return nil
}
