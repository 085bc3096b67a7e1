package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// paymentsState is the payments card of a file and its open dialog.
type paymentsState struct {
	box *fyne.Container
	dlg dialog.Dialog
}

// scanField is the one field a keyboard-wedge barcode scanner types into
// (it ends with Enter), or where an operator pastes a code: a pagoPA QR
// code, a Poste DataMatrix, a codice avviso or the stamp of a certificate.
// What it finds opens in a dialog with its state.
type scanField struct {
	widget.Entry
	c   *Counter
	dlg dialog.Dialog // the last result, while shown
}

func newScanField(c *Counter) *scanField {
	s := &scanField{c: c}
	s.ExtendBaseWidget(s)
	s.SetPlaceHolder(c.lang.text(msgScanPlaceholder))
	s.OnSubmitted = s.onScan
	return s
}

// MinSize keeps the field wide enough to see what was read.
func (s *scanField) MinSize() fyne.Size {
	m := s.Entry.MinSize()
	return fyne.NewSize(max(m.Width, 240), m.Height)
}

type scanResult struct {
	r   *payment.ScanResult
	err error
}

// onScan recognises the text off the UI goroutine and shows the result.
func (s *scanField) onScan(text string) {
	c := s.c
	c.touch()
	desk, ctx := c.d.Payments, c.session
	if desk == nil || ctx == nil || text == "" {
		return
	}
	s.SetText("")
	inBackground(c.ui, func() scanResult {
		r, err := desk.Scan(ctx, text)
		return scanResult{r, err}
	}, func(r scanResult) {
		if c.op == nil {
			return // locked meanwhile
		}
		s.show(r)
	})
}

// showScan shows what the scanner read: the position with its state and
// the way to the debtor's file, or the certificate's verification.
func (s *scanField) show(r scanResult) {
	c := s.c
	l := c.lang
	var title string
	body := container.NewVBox()
	var open *widget.Button
	switch {
	case r.err != nil:
		title = l.text(msgScanUnknown)
		body.Add(note(app.ErrorMessage(r.err), true))
	case r.r.Kind == payment.ScanCertificate:
		title = l.text(msgScanCertificate)
		body.Add(newNotice(r.r.Message, !r.r.Valid))
	default:
		title = l.textf(msgScanPosition, scanKindName(l, r.r.Kind))
		if r.r.Avviso != "" {
			body.Add(field(l.text(msgScanAvviso), r.r.Avviso.Grouped()))
		}
		if r.r.Amount > 0 {
			body.Add(field(l.text(msgScanAmount), l.euro(r.r.Amount)))
		}
		if r.r.Remote {
			body.Add(field(l.text(msgScanCreditor), r.r.ComuneName))
		}
		if v := r.r.Position; v != nil && r.r.Instalment > 0 {
			body.Add(field(l.text(msgScanInstalment), v.TargetName(r.r.Instalment)))
		}
		warn := r.r.Status == payment.StatusDuplicate || r.r.Status == payment.StatusUnknown || r.r.Status == payment.StatusNotPayable ||
			r.r.Status == payment.StatusOffline || r.r.Remote
		body.Add(newBadge(l.paymentStatus(r.r.Status), statusWash(warn), statusInk(warn)))
		body.Add(wrapped(r.r.Message))
		if v := r.r.Position; v != nil && len(v.DebtorCF) == 16 {
			cf := v.DebtorCF
			open = widget.NewButtonWithIcon(l.textf(msgScanOpenFile, v.DebtorName), theme.AccountIcon(), nil)
			open.Importance = widget.HighImportance
			body.Add(open)
			open.OnTapped = func() {
				s.close()
				c.openFile(cf)
			}
		}
	}
	s.close()
	d := dialog.NewCustom(title, l.text(msgClose), body, c.w)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	s.dlg = d
	d.Show()
}

func (s *scanField) close() {
	if s.dlg != nil {
		s.dlg.Hide()
		s.dlg = nil
	}
}

func scanKindName(l lang, kind string) string {
	switch kind {
	case payment.ScanPagoPA:
		return l.text(msgScanKindQR)
	case payment.ScanPoste:
		return l.text(msgScanKindPoste)
	}
	return l.text(msgScanKindAvviso)
}

func statusWash(warn bool) color.Color {
	if warn {
		return amberWash
	}
	return greyWash
}

func statusInk(warn bool) color.Color {
	if warn {
		return amberText
	}
	return greyText
}
