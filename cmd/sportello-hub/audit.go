package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/sync/wire"
)

var auditCmd = &command{
	name:     "audit",
	synopsis: "(--data DIR | --db URL) --comune CODICE --cf CODICE_FISCALE [--json]",
	summary:  "chi ha consultato il cittadino, quando e perché (richiesta di accesso, art. 15 GDPR):\nregistri delle postazioni e letture dall'hub, in ordine di tempo",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		code := fs.String("cf", "", "il `CODICE_FISCALE` del cittadino")
		asJSON := fs.Bool("json", false, "un oggetto JSON per accesso, uno per riga")
		return func(ctx context.Context) error {
			com, err := checkComune("audit", *comune)
			if err != nil {
				return err
			}
			who := cf.Normalize(*code)
			if !cf.Valid(who) {
				return cmdline.Usagef("audit: --cf vuole un codice fiscale valido, non %q", *code)
			}
			db, err := openHubDB(ctx, "audit", data)
			if err != nil {
				return err
			}
			defer db.Close()
			accesses, err := db.Accesses(ctx, com, who)
			if err != nil {
				return err
			}
			if *asJSON {
				enc := json.NewEncoder(e.stdout)
				for _, a := range accesses {
					// One object a line, the keys of the device endpoint's
					// answer: the export's contract with the DPO's tools.
					if err := enc.Encode(wire.AccessToWire(a)); err != nil {
						return err
					}
				}
				return nil
			}
			if len(accesses) == 0 {
				fmt.Fprintf(e.stdout, "nessun accesso registrato a %s\n", who)
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "quando\tpostazione\tcomune\toperatore\tazione\toggetto\tmotivo\tfonte")
			for _, a := range accesses {
				source := "postazione"
				if a.Source == sqlstore.SourceHub {
					source = "hub"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.At.In(app.Rome).Format("02/01/2006 15:04:05"),
					a.Device, a.DeviceComune, dash(a.Operator), a.Action, a.Subject, dash(a.Purpose), source)
			}
			return tw.Flush()
		}
	},
}

// dash stands for an empty cell, so that the columns stay readable.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var auditRetentionCmd = &command{
	name:     "audit-retention",
	synopsis: "(--data DIR | --db URL) --days N",
	summary:  "conservazione dei registri di accesso: cancella le letture dall'hub più vecchie di N giorni\ne toglie operatore e cittadino dagli eventi delle postazioni più vecchi; senza, si conserva tutto",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		days := fs.Int("days", 0, "conservare gli ultimi `N` giorni")
		return func(ctx context.Context) error {
			if *days < 1 {
				return cmdline.Usagef("audit-retention: --days vuole un numero di giorni da 1 in su")
			}
			db, err := openHubDB(ctx, "audit-retention", data)
			if err != nil {
				return err
			}
			defer db.Close()
			before := time.Now().AddDate(0, 0, -*days)
			reads, events, err := db.PruneAccesses(ctx, before)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "accessi anteriori al %s: %d letture dall'hub cancellate, %d eventi delle postazioni resi anonimi\n",
				before.In(app.Rome).Format("02/01/2006 15:04"), reads, events)
			return nil
		}
	},
}
