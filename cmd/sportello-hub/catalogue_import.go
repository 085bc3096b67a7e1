package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pratica"
)

const catalogueImportUsage = `uso: sportello-hub catalogue import --data DIR [FILE]

Pubblica il catalogo dei servizi a tutta la rete: quello incorporato, o
FILE, il catalogo del comune (formato: docs/CATALOGUE.md). Il catalogo
pubblicato diventa quello della rete: i servizi nuovi o modificati
arrivano alle postazioni alla prossima sincronizzazione, quelli assenti
dal file vengono ritirati. Un file con un errore è rifiutato per intero,
indicando la riga (e la colonna) o il servizio e la chiave sbagliati:
l'hub resta com'era.

opzioni:`

// runCatalogueImport is "sportello-hub catalogue import": it publishes the
// built-in catalogue, or a comune's own catalogue file, as the network's.
// The file is read and validated whole (pratica.DecodeCatalogue, the code
// the counter and the hub check services with) before the hub's database
// is even opened, so a bad file changes nothing.
func runCatalogueImport(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("catalogue import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	data := fs.String("data", "", "cartella dei dati dell'hub")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, catalogueImportUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return usageError{fmt.Sprintf("catalogue import: %v", err)}
	}
	if *data == "" {
		return usageError{"catalogue import: manca --data DIR"}
	}
	if fs.NArg() > 1 {
		return usageError{"catalogue import: un solo file di catalogo, non " + strings.Join(fs.Args(), " ")}
	}
	cat := pratica.DefaultCatalogue()
	what := "incorporato"
	if fs.NArg() == 1 {
		path := fs.Arg(0)
		b, err := os.ReadFile(path)
		if err != nil {
			return app.Errorf(app.EINVALID, "%s: file non leggibile: %v", path, errors.Unwrap(err))
		}
		if cat, err = pratica.DecodeCatalogue(b); err != nil {
			return app.Errorf(app.EINVALID, "%s: %s", path, app.ErrorMessage(err))
		}
		what = path
	}
	db, err := openHubDB(ctx, *data)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ReplaceCatalogue(ctx, cat)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "catalogo pubblicato: %d servizi (%s): %d nuovi, %d modificati, %d ritirati, %d invariati\n",
		len(cat), what, res.Added, res.Updated, res.Withdrawn, res.Unchanged)
	return nil
}
