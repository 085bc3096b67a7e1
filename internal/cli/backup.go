package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/cmdline"
)

// Restored is what a restore of the workstation did, as main's store
// reports it.
type Restored struct {
	Aside   string // where the cache of before was kept; "" when there was none
	Pending int    // the backup's operations still to send to the hub
	Parked  int    // the backup's operations the hub refused, to resolve
}

// cmdBackup copies the workstation's cache to a new file, consistently,
// even while the counter is open.
func cmdBackup(ctx context.Context, e *Env, args []string) error {
	fs := flags("backup")
	out := fs.String("out", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *out == "" {
		return cmdline.Usagef("backup: uso: sportello [--data DIR] backup --out FILE")
	}
	if e.Backup == nil {
		return fmt.Errorf("backup: not wired")
	}
	if e.Exists != nil && !e.Exists() {
		return app.Errorf(app.ENOTFOUND, "in questa cartella non c'è una postazione da copiare")
	}
	if err := e.Backup(ctx, *out); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "backup fatto e controllato: %s\n", *out)
	return nil
}

// cmdRestore puts a backup in place of the workstation's cache. The counter
// and every other command must be closed: the file is replaced under them.
func cmdRestore(ctx context.Context, e *Env, args []string) error {
	fs := flags("restore")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		return cmdline.Usagef("restore: uso: sportello [--data DIR] restore FILE (con l'applicazione chiusa)")
	}
	if e.Restore == nil {
		return fmt.Errorf("restore: not wired")
	}
	r, err := e.Restore(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "backup %s ripristinato\n", fs.Arg(0))
	if r.Aside != "" {
		fmt.Fprintf(e.Stdout, "la copia di prima è in %s\n", r.Aside)
	}
	fmt.Fprintf(e.Stdout, "operazioni da inviare all'hub: %d (partono alla prossima sincronizzazione)\n", r.Pending)
	if r.Parked > 0 {
		fmt.Fprintf(e.Stdout, "operazioni sospese: %d (sportello outbox list)\n", r.Parked)
	}
	return nil
}

// Salvaged is what a salvage of a damaged cache did, as main's store
// reports it.
type Salvaged struct {
	Aside      string         // where the damaged cache is kept
	Kept, Lost []string       // the tables of the workstation's own records read whole, and those that could not be
	Partial    map[string]int // the tables read around damaged pages, with the rows that could not be read
	Pending    int            // operations still to send to the hub, carried into the new cache
	Parked     int            // operations the hub refused, to resolve
}

// cmdSalvage replaces a damaged cache (refused at start, or refusing
// every write) with a new one: the profile and the workstation's own
// records that can still be read are carried over, the outbox first; the
// next sync downloads the comune again and sends what the hub lacks. The
// counter must be closed.
func cmdSalvage(ctx context.Context, e *Env, args []string) error {
	fs := flags("salvage")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return cmdline.Usagef("salvage: uso: sportello [--data DIR] salvage (con l'applicazione chiusa)")
	}
	if e.Salvage == nil {
		return fmt.Errorf("salvage: not wired")
	}
	r, err := e.Salvage(ctx)
	if r != nil && r.Aside != "" {
		fmt.Fprintf(e.Stdout, "l'archivio danneggiato resta in %s\n", r.Aside)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "archivio nuovo creato; recuperati: %s\n", strings.Join(r.Kept, ", "))
	for _, t := range slices.Sorted(maps.Keys(r.Partial)) {
		fmt.Fprintf(e.Stdout, "recuperata in parte: %s (%d righe non leggibili restano solo nell'archivio danneggiato)\n", t, r.Partial[t])
	}
	if len(r.Lost) > 0 {
		fmt.Fprintf(e.Stdout, "non leggibili (restano solo nell'archivio danneggiato): %s\n", strings.Join(r.Lost, ", "))
	}
	fmt.Fprintf(e.Stdout, "operazioni da inviare all'hub: %d; l'anagrafe si riscarica alla prossima sincronizzazione (sportello sync)\n", r.Pending)
	if r.Parked > 0 {
		fmt.Fprintf(e.Stdout, "operazioni sospese: %d (sportello outbox list)\n", r.Parked)
	}
	return nil
}
