package printing

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// KioskPrinter prints the kiosk's tickets on the thermal printer (Ticket:
// tcp://HOST:PORT, cups:QUEUE raw, a device file) or, without one, as a
// PDF on the CUPS printer (PDF) or in a file; certificates go to the CUPS
// printer or a file. Without any printer (the demo) each print overwrites
// one file in Dir, so the disk does not fill over weeks. It implements
// the kiosk screens' ui.KioskPrinter.
type KioskPrinter struct {
	Ticket string // the thermal printer's target, "" for none
	PDF    string // the CUPS queue, "" for none
	Dir    string // where prints go without a printer
	Comune string // the comune's name as registers write it ("SESTO SAN GIOVANNI")
	Log    *slog.Logger
}

// PrintTicket prints a queue ticket in the citizen's language.
func (p *KioskPrinter) PrintTicket(ctx context.Context, t queue.Ticket, area, holder, lang string) error {
	pt := Ticket{Comune: "Comune di " + app.PlaceTitle(p.Comune), Area: area, Number: t.Number, IssuedAt: time.Now().In(app.Rome),
		Ahead: t.Ahead, Wait: t.WaitMinutes, Holder: holder, Offline: t.Number == t.Local, Lang: lang}
	if !t.Due.IsZero() {
		pt.Due = "Appuntamento delle " + t.Due.In(app.Rome).Format("15:04")
		if lang == "en" {
			pt.Due = "Appointment at " + t.Due.In(app.Rome).Format("15:04")
		}
	}
	if p.Ticket != "" {
		return ESCPOS{Target: p.Ticket}.Print(ctx, TicketESCPOS(pt))
	}
	pdf, err := TicketPDF(pt)
	if err != nil {
		return err
	}
	return p.PrintPDF(ctx, "Biglietto "+t.Number, pdf)
}

// PrintPDF prints a ticket or a certificate ("Certificato …" job names)
// as a PDF.
func (p *KioskPrinter) PrintPDF(ctx context.Context, name string, pdf []byte) error {
	if p.PDF != "" {
		return PrintTo(ctx, p.PDF, name, pdf)
	}
	if err := os.MkdirAll(p.Dir, 0o700); err != nil {
		return app.Errorf(CodePrinter, "cartella delle stampe non disponibile: %v", err)
	}
	file := "biglietto.pdf"
	if strings.HasPrefix(name, "Certificato") {
		file = "certificato.pdf"
	}
	path := filepath.Join(p.Dir, file)
	if p.Log != nil {
		p.Log.Info("printed to file", "job", name, "path", path)
	}
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return app.Errorf(CodePrinter, "stampa non riuscita: %v", err)
	}
	return nil
}
