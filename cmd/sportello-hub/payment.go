package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
	"github.com/sportello/sportello/app/payment"
	"github.com/sportello/sportello/internal/cmdline"
)

// The payment commands: what the pagoPA node tells the creditor,
// simulated from the command line, and the refund worklist.

var paymentOnlineCmd = &command{
	name:     "payment online",
	synopsis: "(--data DIR | --db URL) --avviso CODICE --amount CENTESIMI [--ente CF] [--at ISTANTE]",
	summary:  "registra un pagamento ricevuto dal nodo pagoPA (PSP, app IO); l'avviso di una rata paga quella rata",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		avviso := fs.String("avviso", "", "il `CODICE` avviso pagato (18 cifre)")
		amount := fs.Int64("amount", 0, "l'importo pagato `CENTESIMI`, in centesimi")
		ente := fs.String("ente", "", "il codice fiscale `CF` dell'ente creditore (11 cifre), se l'avviso non basta")
		at := fs.String("at", "", "l'`ISTANTE` del pagamento, RFC 3339 (predefinito: adesso)")
		return func(ctx context.Context) error {
			a, err := pagopa.ParseAvviso(*avviso)
			if err != nil {
				return cmdline.Usagef("payment online: --avviso: %s", app.ErrorMessage(err))
			}
			if *amount <= 0 {
				return cmdline.Usagef("payment online: --amount vuole l'importo in centesimi")
			}
			when := time.Now()
			if *at != "" {
				if when, err = time.Parse(time.RFC3339, *at); err != nil {
					return cmdline.Usagef("payment online: --at vuole un istante RFC 3339")
				}
			}
			if *ente != "" && !pagopa.ValidCFEnte(*ente) {
				return cmdline.Usagef("payment online: --ente vuole il codice fiscale dell'ente creditore (11 cifre)")
			}
			db, err := openHubDB(ctx, "payment online", data)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := db.RecordOnlinePaymentTo(ctx, *ente, a, *amount, when)
			if err != nil {
				return err
			}
			what := res.Position.TargetName(res.Instalment)
			fmt.Fprintf(e.stdout, "pagamento pagoPA registrato: ricevuta %s, %s per la posizione %s (%s, %s)\n", res.Receipt,
				app.Euro(*amount), res.Position.ID, res.Position.Causale, what)
			if res.Answer.Duplicate {
				fmt.Fprintf(e.stdout, "PAGAMENTO DOPPIO: la posizione era già pagata; rimborso %s aperto\n", res.Answer.Refund)
			}
			return nil
		}
	},
}

var paymentRefundsCmd = &command{
	name:     "payment refunds",
	synopsis: "(--data DIR | --db URL) --comune CODICE",
	summary:  "i pagamenti doppi da rimborsare, e quelli rimborsati",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		return func(ctx context.Context) error {
			code, err := checkComune("payment refunds", *comune)
			if err != nil {
				return err
			}
			db, err := openHubDB(ctx, "payment refunds", data)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.Refunds(ctx, code)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				fmt.Fprintln(e.stdout, "nessun rimborso")
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
				fmt.Fprintf(e.stdout, "%s %s %s: da rimborsare %s — ricevute %s [%s%s]\n", r.ID, r.DebtorCF, r.Causale, app.Euro(r.ExcessCents), strings.Join(rs, ", "), r.State, done)
			}
			return nil
		}
	},
}

var paymentRefundDoneCmd = &command{
	name:     "payment refund-done",
	synopsis: "(--data DIR | --db URL) --comune CODICE --id RIMBORSO [--method MODO] [--date AAAA-MM-GG] [--note NOTA]",
	summary:  "registra il rimborso eseguito di un pagamento doppio",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		id := fs.String("id", "", "il `RIMBORSO` eseguito, come lo elenca payment refunds")
		method := fs.String("method", "bonifico", "il `MODO` del rimborso: bonifico, contanti, storno_pos, compensazione")
		on := fs.String("date", "", "il giorno `AAAA-MM-GG` del rimborso (predefinito: oggi)")
		note := fs.String("note", "", "una `NOTA` (es. il CRO del bonifico)")
		return func(ctx context.Context) error {
			code, err := checkComune("payment refund-done", *comune)
			if err != nil {
				return err
			}
			if *id == "" {
				return cmdline.Usagef("payment refund-done: servono --comune CODICE e --id RIMBORSO")
			}
			m, err := payment.ParseRefundMethod(*method)
			if err != nil {
				return cmdline.Usagef("payment refund-done: %s", app.ErrorMessage(err))
			}
			day := time.Now().In(app.Rome)
			if *on != "" {
				if day, err = app.ParseDate(*on); err != nil {
					return cmdline.Usagef("payment refund-done: --date vuole AAAA-MM-GG")
				}
			}
			db, err := openHubDB(ctx, "payment refund-done", data)
			if err != nil {
				return err
			}
			defer db.Close()
			rf, err := db.CompleteRefund(ctx, payment.Repayment{Refund: *id, Comune: code, Method: m, On: app.Date(day.Year(), day.Month(), day.Day()),
				Note: strings.TrimSpace(*note)})
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "rimborso %s di %s a %s registrato come eseguito %s\n", rf.ID, app.Euro(rf.ExcessCents), rf.DebtorName, rf.Done.Describe())
			return nil
		}
	},
}
