package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/cmdline"
	"github.com/sportello/sportello/internal/pgdb"
)

var migrateCmd = &command{
	name:     "migrate",
	synopsis: "--from DIR --to URL",
	summary: "sposta la rete dal file hub.db della cartella DIR al database PostgreSQL URL, nuovo:\n" +
		"tutto o niente, con i conteggi controllati; fermare prima l'hub. Poi l'hub si avvia\n" +
		"su quel database e le postazioni continuano da dove erano",
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		from := fs.String("from", "", "la cartella `DIR` dei dati dell'hub, con hub.db")
		to := fs.String("to", e.getenv("SPORTELLO_HUB_DB"), "l'`URL` del database PostgreSQL di destinazione (postgres://…); anche SPORTELLO_HUB_DB")
		return func(ctx context.Context) error {
			if *from == "" || *to == "" {
				return cmdline.Usagef("migrate: servono --from DIR e --to URL")
			}
			if !pgdb.IsURL(*to) {
				return cmdline.Usagef("migrate: --to vuole l'URL di un database PostgreSQL (postgres://utente@host/database)")
			}
			start := time.Now()
			counts, err := sqlstore.CopyToPostgres(ctx, filepath.Join(*from, "hub.db"), *to)
			if err != nil {
				return err
			}
			var rows int64
			for _, c := range counts {
				fmt.Fprintf(e.stdout, "%-24s %10d\n", c.Table, c.Rows)
				rows += c.Rows
			}
			fmt.Fprintf(e.stdout, "migrati %d righe in %d tabelle verso %s in %s\n", rows, len(counts), pgdb.Redact(*to), time.Since(start).Round(time.Millisecond))
			fmt.Fprintf(e.stdout, "avviare l'hub con: sportello-hub serve --data %s --db URL\n", *from)
			return nil
		}
	},
}
