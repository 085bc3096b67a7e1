package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// Payments at the kiosk: the identified citizen's positions to pay, each
// printing its pagoPA notice, and the result screen that says how to pay
// it.

// KioskNotice is a position the identified citizen can pay, as the kiosk
// lists it: what it is, how much, by when.
type KioskNotice struct {
	ID    string
	Label string
}

// KioskPayments prints the pagoPA notices of the identified citizen's
// payable positions. NoticePDF refuses (EFORBIDDEN) a position that is not
// the citizen's own.
type KioskPayments interface {
	PayableNotices(ctx context.Context, codiceFiscale string) ([]KioskNotice, error)
	NoticePDF(ctx context.Context, codiceFiscale, id string) ([]byte, error)
}

type kioskNoticesResult struct {
	n   []KioskNotice
	err error
}

// showPayNotices lists the payable positions.
func (k *Kiosk) showPayNotices() {
	if !k.session.Active() || k.d.Payments == nil {
		return
	}
	ctx, cf, pay := k.ctx, k.session.Citizen.CodiceFiscale, k.d.Payments
	inBackground(k.ui, func() kioskNoticesResult {
		n, err := pay.PayableNotices(ctx, cf)
		return kioskNoticesResult{n, err}
	}, func(r kioskNoticesResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("pay-notices", newKioskPayNoticesScreen(k, r))
	})
}

func newKioskPayNoticesScreen(k *Kiosk, r kioskNoticesResult) fyne.CanvasObject {
	l := k.lang
	list := container.NewVBox()
	if r.err != nil {
		list.Add(k.errorText(app.ErrorMessage(r.err)))
	} else if len(r.n) == 0 {
		list.Add(widget.NewLabel(l.text(msgKioskNoPayable)))
	}
	for _, n := range r.n {
		b := widget.NewButtonWithIcon(n.Label, theme.DocumentPrintIcon(), k.tap(func() { k.onPayNotice(n) }))
		b.Alignment = widget.ButtonAlignLeading
		list.Add(big(b, 900))
	}
	return k.frame(l.text(msgKioskPayNotices), container.NewVScroll(list), k.showMenu)
}

// onPayNotice lays out the notice of n and prints it.
func (k *Kiosk) onPayNotice(n KioskNotice) {
	if !k.session.Active() {
		return
	}
	ctx, cf, pay := k.ctx, k.session.Citizen.CodiceFiscale, k.d.Payments
	k.showBusy("printing", msgKioskPrinting)
	inBackground(k.ui, func() certResult {
		pdf, err := pay.NoticePDF(ctx, cf, n.ID)
		return certResult{pdf: pdf, err: err}
	}, func(r certResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.showPayNotices)
			return
		}
		k.printNoticePDF(n, r.pdf)
	})
}

// printNoticePDF puts the notice on paper; out of paper, it says so and
// prints the same notice on retry.
func (k *Kiosk) printNoticePDF(n KioskNotice, pdf []byte) {
	ctx, job := k.ctx, k.lang.textf(msgPaperNotice, n.ID)
	inBackground(k.ui, func() error { return k.d.Printer.PrintPDF(ctx, job, pdf) }, func(err error) {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.showPrinterTrouble(err, func() { k.printNoticePDF(n, pdf) })
			return
		}
		k.set("notice-printed", newKioskNoticePrintedScreen(k))
	})
}

func newKioskNoticePrintedScreen(k *Kiosk) fyne.CanvasObject {
	l := k.lang
	hint := widget.NewLabel(l.text(msgKioskNoticeHowToPay))
	hint.Wrapping = fyne.TextWrapWord
	return k.frame("", container.NewCenter(container.NewVBox(
		bigText(l.text(msgKioskNoticePrinted), 32, true), hint, k.doneButton(k.showMenu))), nil)
}
