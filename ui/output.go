package ui

import (
	"context"

	"github.com/sportello/sportello/app"
)

// Output is where a certificate goes: a printer of the system, or a PDF file.
type Output interface {
	Printers(ctx context.Context) ([]string, error) // names of the system's printers
	DefaultPrinter() string                         // the workstation's chosen printer, "" for none
	SetDefaultPrinter(name string) error
	Print(ctx context.Context, printer, jobName string, pdf []byte) error
	Save(name string, pdf []byte) (path string, err error) // into the workstation's documents folder
}

// destination is where a PDF went: a printer by name, or the path of the
// saved file.
type destination struct {
	printer string
	path    string
}

// deliver prints pdf on printer, or saves it as name when printer is "".
// It runs off the UI goroutine.
func deliver(ctx context.Context, out Output, printer, name, jobName string, pdf []byte) (destination, error) {
	if out == nil {
		return destination{}, errNoOutput
	}
	if printer == "" {
		path, err := out.Save(name, pdf)
		if err != nil {
			return destination{}, err
		}
		return destination{path: path}, nil
	}
	if err := out.Print(ctx, printer, jobName, pdf); err != nil {
		return destination{}, err
	}
	return destination{printer: printer}, nil
}

// destinationText says where a PDF went, in the words of the counter.
func (l lang) destinationText(d destination) string {
	if d.printer != "" {
		return l.textf(msgSentToPrinter, d.printer)
	}
	return l.textf(msgSavedTo, d.path)
}

// errNoOutput stands in for an Output the workstation was not given.
var errNoOutput = app.Errorf(app.EINVALID, "nessuna stampa configurata su questa postazione")
