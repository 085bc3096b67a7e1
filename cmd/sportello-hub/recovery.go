package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// The recovery after a restore (hub/sqlstore/recovery.go): a comune numbers
// nothing new until each of its workstations has sent back its work; these
// commands show whom it waits for and release one that will not come back.

var recoveryListCmd = &command{
	name:     "recovery list",
	synopsis: "(--data DIR | --db URL) [--comune CODICE]",
	summary:  "i comuni in ripristino e le postazioni attese (con l'ultimo contatto): finché\nne manca una, l'hub non dà nuovi numeri di protocollo né codici IUV al comune",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		return func(ctx context.Context) error {
			code, err := optionalComune("recovery list", *comune)
			if err != nil {
				return err
			}
			db, err := openHubDB(ctx, "recovery list", data)
			if err != nil {
				return err
			}
			defer db.Close()
			list, err := db.Recovery(ctx, code)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				fmt.Fprintln(e.stdout, "nessun comune in ripristino: la numerazione è regolare")
				return nil
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "comune\tpostazione\tnome\truolo\tin attesa dal\tultimo contatto")
			for _, a := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Comune, a.Device, a.Name, a.Role, when(a.Since), when(a.LastSeen))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, "una postazione che non tornerà (rubata, guasta, dismessa): sportello-hub recovery release, o revoke-device")
			return nil
		}
	},
}

var recoveryReleaseCmd = &command{
	name:     "recovery release",
	synopsis: "(--data DIR | --db URL) --device ID --by NOME --reason TESTO",
	summary:  "il comune smette di attendere la postazione ID dopo un ripristino (chi e perché\nrestano nel registro): i numeri che le erano stati confermati dopo il backup\npossono essere dati di nuovo; verificare prima il registro di emergenza",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		device := fs.String("device", "", "la postazione `ID` da non attendere più")
		by := fs.String("by", "", "chi decide (`NOME`)")
		reason := fs.String("reason", "", "perché (`TESTO`): rubata, guasta, dismessa…")
		return func(ctx context.Context) error {
			if *device == "" || *by == "" || *reason == "" {
				return cmdline.Usagef("recovery release: servono --device, --by e --reason")
			}
			db, err := openHubDB(ctx, "recovery release", data)
			if err != nil {
				return err
			}
			defer db.Close()
			ended, err := db.ReleaseDevice(ctx, *device, *by, *reason)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "postazione %s non più attesa\n", *device)
			if ended != "" {
				fmt.Fprintf(e.stdout, "comune %s fuori dal ripristino: la numerazione riprende\n", ended)
			}
			return nil
		}
	},
}

var recoveryLogCmd = &command{
	name:     "recovery log",
	synopsis: "(--data DIR | --db URL) [--comune CODICE]",
	summary:  "il registro dei ripristini: postazioni attese, rientrate, rilasciate (chi, perché),\nrevocate, e la fine del ripristino di ogni comune",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data, comune := dataFlag(e, fs), comuneFlag(fs)
		return func(ctx context.Context) error {
			code, err := optionalComune("recovery log", *comune)
			if err != nil {
				return err
			}
			db, err := openHubDB(ctx, "recovery log", data)
			if err != nil {
				return err
			}
			defer db.Close()
			log, err := db.RecoveryLog(ctx, code)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "quando\tcomune\tpostazione\tevento\tchi\tperché")
			for _, ev := range log {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", when(ev.At), ev.Comune, dash(ev.Device), recoveryEvents[ev.Event], dash(ev.Actor), dash(ev.Reason))
			}
			return tw.Flush()
		}
	},
}

// recoveryEvents name the recovery log's events for the administrator.
var recoveryEvents = map[string]string{
	"awaited": "attesa", "reconciled": "rientrata", "released": "rilasciata", "revoked": "revocata", "ended": "fine del ripristino",
}

// optionalComune checks --comune when given; "" stands for every comune.
func optionalComune(cmd, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	return checkComune(cmd, code)
}

// when writes a moment in Italian time, "-" for none.
func when(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(app.Rome).Format("02/01/2006 15:04:05")
}
