package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// catalogueImportCmd publishes the built-in catalogue, or a comune's own
// catalogue file, as the network's. The file is read and validated whole
// (request.DecodeCatalogue, the code the counter and the hub check
// services with) before the hub's database is even opened, so a bad file
// changes nothing. Services missing from the file are withdrawn.
var catalogueImportCmd = &command{
	name:     "catalogue import",
	synopsis: "(--data DIR | --db URL) [FILE]",
	summary: "pubblica il catalogo dei servizi: quello incorporato, o FILE, il catalogo del comune\n" +
		"(formato: docs/CATALOGUE.md); i servizi assenti dal file sono ritirati; un file con un\n" +
		"errore è rifiutato per intero, con la riga o il servizio e la chiave sbagliati",
	args: 1,
	setup: func(e *env, fs *flag.FlagSet) func(context.Context) error {
		data := dataFlag(e, fs)
		return func(ctx context.Context) error {
			cat := request.DefaultCatalogue()
			what := "incorporato"
			if fs.NArg() == 1 {
				path := fs.Arg(0)
				b, err := os.ReadFile(path)
				if err != nil {
					return app.Errorf(app.EINVALID, "%s: file non leggibile: %v", path, errors.Unwrap(err))
				}
				if cat, err = request.DecodeCatalogue(b); err != nil {
					return app.Errorf(app.EINVALID, "%s: %s", path, app.ErrorMessage(err))
				}
				what = path
			}
			db, err := openRequestsDB(ctx, e, "catalogue import", data)
			if err != nil {
				return err
			}
			defer db.Close()
			res, err := db.ReplaceCatalogue(ctx, cat)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "catalogo pubblicato: %d servizi (%s): %d nuovi, %d modificati, %d ritirati, %d invariati\n",
				len(cat), what, res.Added, res.Updated, res.Withdrawn, res.Unchanged)
			return nil
		}
	},
}
