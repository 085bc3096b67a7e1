package printing

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// TestKioskPrinter prints as a kiosk without printers does (the demo):
// one file per kind of document, overwritten, and as one with a thermal
// printer on a device file.
func TestKioskPrinter(t *testing.T) {
	ctx := context.Background()
	ticket := queue.Ticket{Number: "A017", Local: "A-W2-017", Ahead: 2, WaitMinutes: 12}
	t.Run("FilesWithoutPrinters", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "stampe")
		p := &KioskPrinter{Dir: dir, Comune: "SESTO SAN GIOVANNI"}
		for range 2 {
			if err := p.PrintTicket(ctx, ticket, "Anagrafe", "", "it"); err != nil {
				t.Fatal(err)
			}
		}
		if err := p.PrintPDF(ctx, "Certificato I690-K001-2026-000001", []byte("%PDF-1.4 certificate")); err != nil {
			t.Fatal(err)
		}
		names, _ := filepath.Glob(filepath.Join(dir, "*"))
		if len(names) != 2 {
			t.Fatalf("files %v, want biglietto.pdf and certificato.pdf", names)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "biglietto.pdf")); !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Errorf("biglietto.pdf is not a PDF: %.20q", b)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "certificato.pdf")); string(b) != "%PDF-1.4 certificate" {
			t.Errorf("certificato.pdf holds %q", b)
		}
	})
	t.Run("ThermalPrinter", func(t *testing.T) {
		dev := filepath.Join(t.TempDir(), "lp0")
		if err := os.WriteFile(dev, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		p := &KioskPrinter{Ticket: dev, Dir: t.TempDir(), Comune: "CASSANO D'ADDA"}
		due := queue.Ticket{Number: "B003", Local: "B-W2-003", Due: time.Date(2026, 3, 2, 9, 20, 0, 0, app.Rome)}
		if err := p.PrintTicket(ctx, due, "Tributi", "", "en"); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(dev)
		for _, want := range []string{"Comune di Cassano d'Adda", "B003", "Appointment at 09:20"} {
			if !bytes.Contains(b, []byte(want)) {
				t.Errorf("ticket lacks %q:\n%q", want, b)
			}
		}
	})
	t.Run("ErrPrinterFolder", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "a-file")
		os.WriteFile(file, nil, 0o600)
		p := &KioskPrinter{Dir: filepath.Join(file, "stampe")}
		if err := p.PrintPDF(ctx, "Biglietto A001", []byte("%PDF")); app.ErrorCode(err) != CodePrinter {
			t.Fatalf("print into an impossible folder: %v, want code %s", err, CodePrinter)
		}
	})
}
