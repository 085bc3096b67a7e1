package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/internal/cmdline"
)

// cmdStats is the supervisor's dashboard without the window: the tables of
// a period from the workstation's store, printed, or saved as CSV files
// (one per table) into a folder. It reads only: no sync round, so it
// answers offline with what the workstation holds.
func cmdStats(ctx context.Context, e *Env, args []string) error {
	fs := flags("stats")
	period := fs.String("period", string(dashboard.Default), "")
	from := fs.String("from", "", "")
	to := fs.String("to", "", "")
	dir := fs.String("csv", "", "")
	if err := fs.Parse(args); err != nil {
		return cmdline.Usagef("stats: %v", err)
	}
	if fs.NArg() > 0 {
		return cmdline.Usagef("stats: argomento inatteso %q", fs.Arg(0))
	}
	p, err := dashboard.ParsePeriod(*period)
	if err != nil {
		return cmdline.Usagef("stats: %s", app.ErrorMessage(err))
	}
	first, last := p.Days(time.Now())
	if *from != "" || *to != "" {
		if *from == "" || *to == "" {
			return cmdline.Usagef("stats: --from e --to vanno dati insieme")
		}
		if _, _, err := dashboard.Bounds(*from, *to); err != nil {
			return cmdline.Usagef("stats: %s", app.ErrorMessage(err))
		}
		first, last = *from, *to
	}
	s, err := e.open(ctx, preamble{})
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := s.Local.Report(ctx, first, last)
	if err != nil {
		return err
	}
	if *dir != "" {
		return saveTables(e, r, *dir)
	}
	return printTables(e, r)
}

// saveTables writes each table as DIR/NAME-FROM-TO.csv and prints the
// files' paths. A file is written under a temporary name and renamed, so
// a spreadsheet never opens half a table.
func saveTables(e *Env, r *dashboard.Report, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return app.Errorf(app.EINVALID, "cartella %s non utilizzabile: %v", dir, err)
	}
	for _, t := range r.Tables() {
		path := filepath.Join(dir, fmt.Sprintf("%s-%s-%s.csv", t.Name, r.From, r.To))
		if err := writeFileAtomic(path, func(f *os.File) error { return dashboard.WriteCSV(f, t) }); err != nil {
			return app.Errorf(app.EINVALID, "file %s non scritto: %v", path, err)
		}
		fmt.Fprintln(e.Stdout, path)
	}
	return nil
}

func writeFileAtomic(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".stats-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// printTables prints each table under its name, aligned.
func printTables(e *Env, r *dashboard.Report) error {
	n, cents := r.PaymentTotal()
	fmt.Fprintf(e.Stdout, "dal %s al %s: %d certificati, %d istanze, %d pagamenti per %s\n",
		r.From, r.To, r.CertificateCount(), r.RequestCount(), n, app.Euro(cents))
	for _, t := range r.Tables() {
		fmt.Fprintf(e.Stdout, "\n%s\n", t.Name)
		tw := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		for _, row := range append([][]string{t.Header}, t.Rows...) {
			for i, v := range row {
				if i > 0 {
					fmt.Fprint(tw, "\t")
				}
				fmt.Fprint(tw, v)
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
