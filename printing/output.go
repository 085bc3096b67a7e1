package printing

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// SettingPrinter is the key of the workstation's chosen printer among its
// settings.
const SettingPrinter = "printer"

// Settings keeps the workstation's choices; the local store implements it.
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Output is where the counter's PDFs go: the system's printers through
// CUPS, or files in the workstation's documents folder. It implements the
// counter screens' ui.Output.
type Output struct {
	Settings Settings
	Dir      string // where "salva come PDF" writes
}

// NewOutput is the counter's output: the printer chosen among settings,
// files saved in the user's Documenti/Sportello (or Documents/Sportello),
// else in the profile's own "documenti" folder.
func NewOutput(settings Settings, profileDir string) *Output {
	dir := filepath.Join(profileDir, "documenti")
	if home, err := os.UserHomeDir(); err == nil {
		if docs := filepath.Join(home, "Documenti"); isDir(docs) {
			dir = filepath.Join(docs, "Sportello")
		} else if docs := filepath.Join(home, "Documents"); isDir(docs) {
			dir = filepath.Join(docs, "Sportello")
		}
	}
	return &Output{Settings: settings, Dir: dir}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Printers lists the CUPS queues, default first; none when CUPS is absent.
func (o *Output) Printers(ctx context.Context) ([]string, error) {
	ds, err := ListPrinters(ctx)
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
func (o *Output) DefaultPrinter() string {
	v, _ := o.Settings.Setting(context.Background(), SettingPrinter)
	return v
}

// SetDefaultPrinter remembers the choice for the next certificate.
func (o *Output) SetDefaultPrinter(name string) error {
	return o.Settings.SetSetting(context.Background(), SettingPrinter, name)
}

// Print sends the PDF to the printer.
func (o *Output) Print(ctx context.Context, printer, jobName string, pdf []byte) error {
	return PrintTo(ctx, printer, jobName, pdf)
}

// Save writes the PDF in the documents folder, never over another file.
func (o *Output) Save(name string, pdf []byte) (string, error) {
	return File{Dir: o.Dir}.Save(strings.TrimSuffix(name, ".pdf"), pdf)
}
