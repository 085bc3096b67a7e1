package ui

import (
	"context"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// The "Certificati" card of the citizen file: the certificates issued to the
// person, newest first, each with its reprint, and the notice under the
// file's header that says where the last one went.

type certsResult struct {
	list []certificate.Issued
	err  error
}

// listCertificates runs off the UI goroutine.
func listCertificates(ctx context.Context, issuer certificate.Issuer, codiceFiscale string) certsResult {
	list, err := issuer.List(ctx, codiceFiscale)
	return certsResult{list, err}
}

// showCertificates fills the card with r.
func (f *fileScreen) showCertificates(r certsResult) {
	l := f.c.lang
	var content fyne.CanvasObject
	switch {
	case f.c.d.Certificates == nil:
		content = quiet(l.text(msgCertificatesUnavailable), fyne.TextStyle{Italic: true}, "")
	case r.err != nil:
		content = note(l.textf(msgCertificatesLoadFailed, app.ErrorMessage(r.err)), true)
	default:
		rows := make([]fyne.CanvasObject, 0, len(r.list))
		for _, is := range r.list {
			rows = append(rows, f.certificateRow(is))
		}
		content = listOr(rows, l.text(msgNoCertificates))
	}
	f.certBox.Objects = []fyne.CanvasObject{content}
	f.certBox.Refresh()
}

// certificateRow is one certificate: number, type and time of issue, what
// the hub said of it, and its reprint.
func (f *fileScreen) certificateRow(is certificate.Issued) fyne.CanvasObject {
	l := f.c.lang
	c := &is.Certificate
	number := c.Number.String()
	lines := container.NewVBox(wrapped(l.textf(msgCertificateLine, number, certificateTitle(c.Type.Title), formatInstant(c.IssuedAt, app.Rome))))
	if !is.Synced {
		lines.Add(container.NewHBox(newBadge(l.text(msgNotSent), greyWash, greyText)))
	}
	if is.Flag != "" {
		lines.Add(newNotice(l.textf(msgToCheck, is.Flag), true))
	}
	reprint := widget.NewButtonWithIcon(l.text(msgReprint), theme.DocumentPrintIcon(), nil)
	reprint.OnTapped = func() { f.onReprint(number, reprint) }
	return container.NewBorder(nil, nil, nil, container.NewVBox(reprint), lines)
}

// refreshCertificates reads the list again, after an issue.
func (f *fileScreen) refreshCertificates() {
	issuer := f.c.d.Certificates
	if f.file == nil || issuer == nil {
		return
	}
	gen, cf, ctx := f.gen, f.file.Citizen.CodiceFiscale, f.c.session
	inBackground(f.c.ui, func() certsResult {
		return listCertificates(ctx, issuer, cf)
	}, func(r certsResult) {
		if gen != f.gen || f.c.file != f || f.file == nil {
			return
		}
		f.showCertificates(r)
	})
}

type deliveryResult struct {
	dest destination
	err  error
}

// onReprint lays certificate number out again as a duplicate and sends it
// to the workstation's printer, or saves it when there is none.
func (f *fileScreen) onReprint(number string, b *widget.Button) {
	f.c.touch()
	l := f.c.lang
	if f.c.d.Output == nil {
		f.showNotice(l.textf(msgReprintFailed, number, l.text(msgNoOutput)), true)
		return
	}
	b.Disable()
	gen, op, issuer, out, ctx := f.gen, f.c.op, f.c.d.Certificates, f.c.d.Output, f.c.session
	inBackground(f.c.ui, func() deliveryResult {
		pdf, err := issuer.Reprint(ctx, op, number)
		if err != nil {
			return deliveryResult{err: err}
		}
		dest, err := deliver(ctx, out, out.DefaultPrinter(), number+"-duplicato.pdf", l.textf(msgPaperDuplicate, number), pdf)
		return deliveryResult{dest, err}
	}, func(r deliveryResult) {
		b.Enable()
		if gen != f.gen || f.c.file != f {
			return
		}
		if r.err != nil {
			f.showNotice(l.textf(msgReprintFailed, number, app.ErrorMessage(r.err)), true)
			return
		}
		f.showNotice(l.textf(msgReprintedTo, number, l.destinationText(r.dest)), false)
	})
}

// showNotice puts text under the file's header, replacing the previous one.
func (f *fileScreen) showNotice(text string, warn bool) {
	if f.notice == nil {
		return
	}
	f.notice.Objects = []fyne.CanvasObject{newNotice(text, warn)}
	f.notice.Refresh()
}

// newNotice is a line that wraps on a tinted background: blue for what went
// well, amber for what the operator must look at.
func newNotice(text string, warn bool) fyne.CanvasObject {
	var wash color.Color = paBlueWash
	ink := theme.ColorNameForeground
	if warn {
		wash, ink = amberWash, colorNameWarningText
	}
	bg := canvas.NewRectangle(wash)
	bg.CornerRadius = theme.InputRadiusSize()
	t := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: ink, TextStyle: fyne.TextStyle{Bold: true},
	}})
	t.Wrapping = fyne.TextWrapWord
	return container.NewStack(bg, t)
}
