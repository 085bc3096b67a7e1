package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
)

// Certificates at the kiosk: the citizen chooses among the types the
// comune's policy lets the kiosk print, then the use that exempts it from
// bollo when the type needs one (stato civile types need none); the
// certificate prints, and the result screen says its number.

type policyResult struct {
	p   kiosk.Policy
	err error
}

// showCertificates lists the certificates the comune lets the kiosk print.
func (k *Kiosk) showCertificates() {
	ctx := k.ctx
	inBackground(k.ui, func() policyResult {
		p, err := k.d.Self.Policy(ctx)
		return policyResult{p, err}
	}, func(r policyResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("certificates", newKioskCertificatesScreen(k, r))
	})
}

func newKioskCertificatesScreen(k *Kiosk, r policyResult) fyne.CanvasObject {
	l := k.lang
	list := container.NewVBox()
	if r.err != nil {
		list.Add(k.errorText(app.ErrorMessage(r.err)))
	}
	for _, a := range r.p.Certificates {
		title := certificateTitle(a.Type)
		if len(a.Uses) == 0 {
			title += " — " + l.text(msgKioskCertExempt)
		}
		list.Add(big(widget.NewButton(title, k.tap(func() { k.onCertificate(a) })), 900))
	}
	return k.frame(l.text(msgKioskChooseCert), container.NewVScroll(list), k.showMenu)
}

// onCertificate prints a type exempt by law at once, and asks the use of
// any other.
func (k *Kiosk) onCertificate(a kiosk.Allowed) {
	if len(a.Uses) == 0 {
		k.printCertificate(a.Type, -1)
		return
	}
	k.set("use", newKioskUseScreen(k, a))
}

// newKioskUseScreen asks what the certificate is for: the uses the policy
// allows, each with its exemption.
func newKioskUseScreen(k *Kiosk, a kiosk.Allowed) fyne.CanvasObject {
	l := k.lang
	list := container.NewVBox()
	for i, u := range a.Uses {
		list.Add(big(widget.NewButton(l.pick(u.Label, u.LabelEN), k.tap(func() { k.onUse(a, i) })), 900))
	}
	return k.frame(certificateTitle(a.Type)+" — "+l.text(msgKioskChooseUse), list, k.showCertificates)
}

func (k *Kiosk) onUse(a kiosk.Allowed, use int) { k.printCertificate(a.Type, use) }

type certResult struct {
	number string
	pdf    []byte
	err    error
}

// printCertificate issues the certificate of type slug for use (-1: none,
// exempt by law) and prints it.
func (k *Kiosk) printCertificate(slug string, use int) {
	if !k.session.Active() {
		return
	}
	ctx, file := k.ctx, k.session.File
	k.showBusy("printing", msgKioskPrinting)
	inBackground(k.ui, func() certResult {
		n, pdf, err := k.d.Self.Certificate(ctx, file, slug, use)
		return certResult{n, pdf, err}
	}, func(r certResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.showCertificates)
			return
		}
		k.printCertificatePDF(r.number, r.pdf)
	})
}

// printCertificatePDF puts the issued certificate on paper; out of paper,
// it says so and prints the same certificate on retry.
func (k *Kiosk) printCertificatePDF(number string, pdf []byte) {
	ctx, job := k.ctx, k.lang.textf(msgPaperCertificate, number)
	inBackground(k.ui, func() error { return k.d.Printer.PrintPDF(ctx, job, pdf) }, func(err error) {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.showPrinterTrouble(err, func() { k.printCertificatePDF(number, pdf) })
			return
		}
		k.set("printed", newKioskCertificatePrintedScreen(k, number))
	})
}

func newKioskCertificatePrintedScreen(k *Kiosk, number string) fyne.CanvasObject {
	return k.frame("", container.NewCenter(container.NewVBox(
		bigText(k.lang.textf(msgKioskCertPrinted, number), 32, true), k.doneButton(k.showMenu))), nil)
}
