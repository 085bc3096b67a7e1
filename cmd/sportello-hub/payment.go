package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
)

const paymentUsage = `uso: sportello-hub payment COMANDO --data DIR [opzioni]
  online  --avviso CODICE --amount CENTESIMI [--ente CF] [--at AAAA-MM-GGTHH:MM:SSZ]
          registra un pagamento ricevuto dal nodo pagoPA (PSP, app IO); l'avviso di una rata paga quella rata
  refunds --comune CODICE   i pagamenti doppi da rimborsare, e quelli rimborsati
  refund-done --comune CODICE --id RIMBORSO [--method bonifico|contanti|storno_pos|compensazione]
          [--date AAAA-MM-GG] [--note TESTO]   registra il rimborso eseguito`

// cmdPayment is `sportello-hub payment …`: what the pagoPA node tells the
// creditor, simulated from the command line, and the refund worklist.
func cmdPayment(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return usageError{paymentUsage}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("payment "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "")
	avviso := fs.String("avviso", "", "")
	amount := fs.Int64("amount", 0, "")
	at := fs.String("at", "", "")
	comune := fs.String("comune", "", "")
	ente := fs.String("ente", "", "")
	id := fs.String("id", "", "")
	method := fs.String("method", "bonifico", "")
	on := fs.String("date", "", "")
	note := fs.String("note", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return usageError{fmt.Sprintf("payment %s: argomenti non validi\n%s", sub, paymentUsage)}
	}
	if *data == "" {
		return usageError{"payment " + sub + ": manca --data DIR"}
	}
	db, err := openHubDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	switch sub {
	case "online":
		a, err := pagopa.ParseAvviso(*avviso)
		if err != nil {
			return usageError{"payment online: --avviso: " + app.ErrorMessage(err)}
		}
		if *amount <= 0 {
			return usageError{"payment online: --amount vuole l'importo in centesimi"}
		}
		when := time.Now()
		if *at != "" {
			if when, err = time.Parse(time.RFC3339, *at); err != nil {
				return usageError{"payment online: --at vuole un istante RFC 3339"}
			}
		}
		if *ente != "" && !pagopa.ValidCFEnte(*ente) {
			return usageError{"payment online: --ente vuole il codice fiscale dell'ente creditore (11 cifre)"}
		}
		res, err := db.RecordOnlinePaymentTo(ctx, *ente, a, *amount, when)
		if err != nil {
			return err
		}
		what := res.Position.TargetName(res.Instalment)
		fmt.Fprintf(stdout, "pagamento pagoPA registrato: ricevuta %s, %s per la posizione %s (%s, %s)\n", res.Receipt,
			payment.Euro(*amount), res.Position.ID, res.Position.Causale, what)
		if res.Answer.Duplicate {
			fmt.Fprintf(stdout, "PAGAMENTO DOPPIO: la posizione era già pagata; rimborso %s aperto\n", res.Answer.Refund)
		}
		return nil
	case "refunds":
		code := strings.ToUpper(*comune)
		if !app.ValidBelfiore(code) {
			return usageError{"payment refunds: --comune vuole un codice catastale"}
		}
		list, err := db.Refunds(ctx, code)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(stdout, "nessun rimborso")
		}
		for _, r := range list {
			var rs []string
			for _, rc := range r.Receipts {
				rs = append(rs, rc.Number+" ("+rc.Channel+")")
			}
			done := ""
			if r.Done != nil {
				done = " " + r.Done.Describe()
			}
			fmt.Fprintf(stdout, "%s %s %s: da rimborsare %s — ricevute %s [%s%s]\n", r.ID, r.DebtorCF, r.Causale, payment.Euro(r.ExcessCents), strings.Join(rs, ", "), r.State, done)
		}
		return nil
	case "refund-done":
		code := strings.ToUpper(*comune)
		if !app.ValidBelfiore(code) || *id == "" {
			return usageError{"payment refund-done: servono --comune CODICE e --id RIMBORSO"}
		}
		m, err := payment.ParseRefundMethod(*method)
		if err != nil {
			return usageError{"payment refund-done: " + app.ErrorMessage(err)}
		}
		day := time.Now().In(payment.Rome)
		if *on != "" {
			if day, err = app.ParseDate(*on); err != nil {
				return usageError{"payment refund-done: --date vuole AAAA-MM-GG"}
			}
		}
		rf, err := db.CompleteRefund(ctx, payment.Repayment{Refund: *id, Comune: code, Method: m, On: app.Date(day.Year(), day.Month(), day.Day()),
			Note: strings.TrimSpace(*note)})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rimborso %s di %s a %s registrato come eseguito %s\n", rf.ID, payment.Euro(rf.ExcessCents), rf.DebtorName, rf.Done.Describe())
		return nil
	}
	return usageError{fmt.Sprintf("payment: comando sconosciuto %q\n%s", sub, paymentUsage)}
}
