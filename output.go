package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/store"
)

// settingPrinter is the workstation's chosen printer in the store's
// settings.
const settingPrinter = "printer"

// printerOutput is where the counter's PDFs go: the system's printers
// through CUPS, or files in the workstation's documents folder. It
// implements ui.Output.
type printerOutput struct {
	store *store.Store
	dir   string // where "salva come PDF" writes
}

func newPrinterOutput(st *store.Store, profileDir string) *printerOutput {
	dir := filepath.Join(profileDir, "documenti")
	if home, err := os.UserHomeDir(); err == nil {
		if docs := filepath.Join(home, "Documenti"); isDir(docs) {
			dir = filepath.Join(docs, "Sportello")
		} else if docs := filepath.Join(home, "Documents"); isDir(docs) {
			dir = filepath.Join(docs, "Sportello")
		}
	}
	return &printerOutput{store: st, dir: dir}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Printers lists the CUPS queues, default first; none when CUPS is absent.
func (o *printerOutput) Printers(ctx context.Context) ([]string, error) {
	ds, err := printing.ListPrinters(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ds))
	for i, d := range ds {
		names[i] = d.Name
	}
	return names, nil
}

// DefaultPrinter is the printer chosen on this workstation.
func (o *printerOutput) DefaultPrinter() string {
	v, _ := o.store.Setting(context.Background(), settingPrinter)
	return v
}

// SetDefaultPrinter remembers the choice for the next certificate.
func (o *printerOutput) SetDefaultPrinter(name string) error {
	return o.store.SetSetting(context.Background(), settingPrinter, name)
}

// Print sends the PDF to the printer.
func (o *printerOutput) Print(ctx context.Context, printer, jobName string, pdf []byte) error {
	return printing.PrintTo(ctx, printer, jobName, pdf)
}

// Save writes the PDF in the documents folder, never over another file.
func (o *printerOutput) Save(name string, pdf []byte) (string, error) {
	return printing.File{Dir: o.dir}.Save(strings.TrimSuffix(name, ".pdf"), pdf)
}
