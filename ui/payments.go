package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// The "Pagamenti" card of the citizen file: the person's positions with
// their state, the notice of each and the payment at the counter in cash
// or by card, and, above them, the double payments to refund, with both
// receipts, so that the operator who serves the person sees them.

// PaymentDesk is what the counter asks of payments (payment.Cashier).
//   - Pay: EINVALID for a position already paid or cancelled, ECONFLICT
//     for a closed day.
//   - Scan: EINVALID for a text that is no code it knows.
type PaymentDesk interface {
	List(ctx context.Context, debtorCF string) ([]payment.View, error)
	Refunds(ctx context.Context, debtorCF string) ([]payment.Refund, error)
	Notice(ctx context.Context, id string) (*payment.NoticeFields, []byte, error)
	Pay(ctx context.Context, op *app.Operator, id string, m payment.Method) (*payment.Payment, []byte, error)
	Scan(ctx context.Context, text string) (*payment.ScanResult, error)
}

var _ PaymentDesk = (*payment.Cashier)(nil)

type paymentsResult struct {
	list    []payment.View
	refunds []payment.Refund
	err     error
}

// paymentsCard is the card's box, filled when the positions are read.
func (f *fileScreen) paymentsCard() fyne.CanvasObject {
	box := container.NewStack(quiet(f.c.lang.text(msgLoading), fyne.TextStyle{Italic: true}, ""))
	f.pay.box = box
	f.refreshPayments()
	return box
}

// refreshPayments reads the person's positions off the UI goroutine.
func (f *fileScreen) refreshPayments() {
	desk := f.c.d.Payments
	if f.file == nil || desk == nil || f.pay.box == nil {
		return
	}
	gen, cf, ctx, box := f.gen, f.file.Citizen.CodiceFiscale, f.c.session, f.pay.box
	inBackground(f.c.ui, func() paymentsResult {
		list, err := desk.List(ctx, cf)
		if err != nil {
			return paymentsResult{err: err}
		}
		refunds, err := desk.Refunds(ctx, cf)
		return paymentsResult{list: list, refunds: refunds, err: err}
	}, func(r paymentsResult) {
		if gen != f.gen || f.c.file != f || f.pay.box != box {
			return
		}
		f.showPayments(r)
	})
}

func (f *fileScreen) showPayments(r paymentsResult) {
	l := f.c.lang
	var content fyne.CanvasObject
	if r.err != nil {
		content = note(l.textf(msgPaymentsLoadFailed, app.ErrorMessage(r.err)), true)
	} else {
		rows := []fyne.CanvasObject{}
		for _, rf := range r.refunds {
			if rf.State != payment.RefundOpen {
				continue
			}
			var receipts []string
			for _, rc := range rf.Receipts {
				receipts = append(receipts, rc.Number+" ("+rc.Channel+", "+l.formatEuro(rc.AmountCents)+", "+formatInstant(rc.At, romeZone)+")")
			}
			rows = append(rows, newNotice(l.textf(msgRefundLine, rf.Causale, l.formatEuro(rf.ExcessCents), strings.Join(receipts, "; ")), true))
		}
		for _, v := range r.list {
			rows = append(rows, f.positionRow(v))
		}
		content = listOr(rows, l.text(msgNoPayments))
	}
	f.pay.box.Objects = []fyne.CanvasObject{content}
	f.pay.box.Refresh()
}

// positionRow is one position: causale, amount and due date, its state,
// the notice and, while it is to be paid, the payment.
func (f *fileScreen) positionRow(v payment.View) fyne.CanvasObject {
	l := f.c.lang
	lines := container.NewVBox(wrapped(l.textf(msgPositionLine, v.Causale, l.formatEuro(v.AmountCents), formatDate(v.DueDate))))
	st := v.Status()
	wash, ink := greyWash, greyText
	if st == payment.StatusDuplicate || st == payment.StatusNotPayable {
		wash, ink = amberWash, amberText
	}
	tags := container.NewHBox(newBadge(l.paymentStatus(st), wash, ink))
	if v.Avviso != "" {
		tags.Add(quiet(v.Avviso.Grouped(), fyne.TextStyle{Monospace: true}, theme.SizeNameCaptionText))
	}
	lines.Add(tags)
	id := v.ID
	notice := widget.NewButtonWithIcon(l.text(msgNoticeButton), theme.DocumentPrintIcon(), nil)
	notice.OnTapped = func() { f.onNotice(id, notice) }
	buttons := container.NewVBox(notice)
	if !v.Settled() {
		pay := widget.NewButtonWithIcon(l.text(msgPayButton), theme.ConfirmIcon(), nil)
		pay.Importance = widget.HighImportance
		pay.OnTapped = func() { f.onPay(v) }
		buttons.Add(pay)
	}
	return container.NewBorder(nil, nil, nil, buttons, lines)
}

// onNotice prints the position's pagoPA notice, or saves it.
func (f *fileScreen) onNotice(id string, b *widget.Button) {
	f.c.touch()
	l := f.c.lang
	b.Disable()
	gen, desk, out, ctx := f.gen, f.c.d.Payments, f.c.d.Output, f.c.session
	inBackground(f.c.ui, func() deliveryResult {
		_, pdf, err := desk.Notice(ctx, id)
		if err != nil {
			return deliveryResult{err: err}
		}
		printer := ""
		if out != nil {
			printer = out.DefaultPrinter()
		}
		dest, err := deliver(ctx, out, printer, "avviso-"+id+".pdf", "Avviso "+id, pdf)
		return deliveryResult{dest, err}
	}, func(r deliveryResult) {
		b.Enable()
		if gen != f.gen || f.c.file != f {
			return
		}
		if r.err != nil {
			f.showNotice(l.textf(msgNoticeFailed, app.ErrorMessage(r.err)), true)
			return
		}
		f.showNotice(l.textf(msgNoticeDone, l.destinationText(r.dest)), false)
	})
}

// onPay asks how the citizen pays, then takes the payment.
func (f *fileScreen) onPay(v payment.View) {
	f.c.touch()
	l := f.c.lang
	method := widget.NewRadioGroup([]string{l.text(msgMethodCash), l.text(msgMethodCard)}, nil)
	method.SetSelected(l.text(msgMethodCash))
	body := container.NewVBox(
		wrapped(l.textf(msgPayConfirm, v.Causale, v.DebtorName)),
		wrapped(l.textf(msgPayAmountHint, l.formatEuro(v.AmountCents))),
		method,
	)
	var dlg *dialog.ConfirmDialog
	dlg = dialog.NewCustomConfirm(l.text(msgPayTitle), l.text(msgPayButton), l.text(msgClose), body, func(ok bool) {
		if !ok {
			return
		}
		m := payment.Cash
		if method.Selected == l.text(msgMethodCard) {
			m = payment.Card
		}
		f.takePayment(v.ID, m)
	}, f.c.w)
	f.pay.dlg = dlg
	dlg.Show()
}

type payResult struct {
	p    *payment.Payment
	dest destination
	err  error
	derr error // the receipt could not be delivered; the payment stands
}

// takePayment records the payment and prints or saves its receipt.
func (f *fileScreen) takePayment(id string, m payment.Method) {
	l := f.c.lang
	gen, op, desk, out, ctx := f.gen, f.c.op, f.c.d.Payments, f.c.d.Output, f.c.session
	inBackground(f.c.ui, func() payResult {
		p, pdf, err := desk.Pay(ctx, op, id, m)
		if err != nil {
			return payResult{err: err}
		}
		printer := ""
		if out != nil {
			printer = out.DefaultPrinter()
		}
		dest, derr := deliver(ctx, out, printer, "ricevuta-"+p.Receipt+".pdf", "Ricevuta "+p.Receipt, pdf)
		return payResult{p: p, dest: dest, derr: derr}
	}, func(r payResult) {
		if gen != f.gen || f.c.file != f {
			return
		}
		switch {
		case r.err != nil:
			f.showNotice(l.textf(msgPayFailed, app.ErrorMessage(r.err)), true)
		case r.derr != nil:
			f.showNotice(l.textf(msgPaidNoReceipt, r.p.Receipt, l.formatEuro(r.p.AmountCents), app.ErrorMessage(r.derr)), true)
		default:
			f.showNotice(l.textf(msgPaid, r.p.Receipt, l.formatEuro(r.p.AmountCents), l.destinationText(r.dest)), false)
		}
		f.refreshPayments()
	})
}

// paymentStatus is a position's status in the operator's language.
func (l lang) paymentStatus(s payment.Status) string {
	switch s {
	case payment.StatusDue:
		return l.text(msgStatusDue)
	case payment.StatusNotPayable:
		return l.text(msgStatusNotPayable)
	case payment.StatusPaid:
		return l.text(msgStatusPaid)
	case payment.StatusPaidHere:
		return l.text(msgStatusPaidHere)
	case payment.StatusDuplicate:
		return l.text(msgStatusDuplicate)
	case payment.StatusCancelled:
		return l.text(msgStatusCancelled)
	}
	return l.text(msgStatusUnknown)
}
