package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/pagopa"
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
//   - PayInstalment pays rata n (0: the rata unica), InstalmentNotice is
//     the notice of rata n: EINVALID for a rata paid or unknown.
//   - CompleteRefund: EFORBIDDEN for an operator who is not a supervisor,
//     ECONFLICT for a refund done already.
//   - OpenRefunds is the comune's refund worklist: the open refunds of
//     every debtor, oldest first (payments_worklist.go).
type PaymentDesk interface {
	List(ctx context.Context, debtorCF string) ([]payment.View, error)
	Refunds(ctx context.Context, debtorCF string) ([]payment.Refund, error)
	OpenRefunds(ctx context.Context) ([]payment.Refund, error)
	InstalmentNotice(ctx context.Context, op *app.Operator, id string, n int) (*payment.NoticeFields, []byte, error)
	PayInstalment(ctx context.Context, op *app.Operator, id string, n int, m payment.Method) (*payment.Payment, []byte, error)
	CompleteRefund(ctx context.Context, op *app.Operator, id string, m payment.RefundMethod, on time.Time, note string) (*payment.Repayment, error)
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
			rows = append(rows, f.refundRow(rf)) // payments_refund.go
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
// the notice and, while it is to be paid, the payment; under it, each
// instalment with its state and its own notice.
func (f *fileScreen) positionRow(v payment.View) fyne.CanvasObject {
	l := f.c.lang
	lines := container.NewVBox(wrapped(l.textf(msgPositionLine, v.Causale, l.euro(v.AmountCents), formatDate(v.DueDate))))
	lines.Add(statusTags(l, v.Status(), v.Avviso))
	id := v.ID
	notice := widget.NewButtonWithIcon(l.text(msgNoticeButton), theme.DocumentPrintIcon(), nil)
	notice.OnTapped = func() { f.onNotice(id, 0, notice) }
	buttons := container.NewVBox(notice)
	if !v.Settled() {
		pay := widget.NewButtonWithIcon(l.text(msgPayButton), theme.ConfirmIcon(), nil)
		pay.Importance = widget.HighImportance
		pay.OnTapped = func() { f.onPay(v) }
		buttons.Add(pay)
	}
	row := container.NewBorder(nil, nil, nil, buttons, lines)
	if len(v.Instalments) == 0 {
		return row
	}
	rate := container.NewVBox()
	for _, in := range v.Instalments {
		n := in.N
		b := widget.NewButtonWithIcon(l.textf(msgInstalmentNotice, n), theme.DocumentPrintIcon(), nil)
		b.Importance = widget.LowImportance
		b.OnTapped = func() { f.onNotice(id, n, b) }
		text := container.NewVBox(wrapped(l.textf(msgInstalmentLine, n, l.euro(in.AmountCents), formatDate(in.DueDate))),
			statusTags(l, v.InstalmentStatus(n), in.Avviso))
		rate.Add(container.NewBorder(nil, nil, nil, container.NewVBox(b), text))
	}
	indent := container.New(layout.NewCustomPaddedLayout(0, 0, 6*theme.Padding(), 0), rate)
	return container.NewVBox(row, indent)
}

// statusTags are a status's badge and the codice avviso beside it.
func statusTags(l lang, st payment.Status, a pagopa.CodiceAvviso) fyne.CanvasObject {
	wash, ink := greyWash, greyText
	if st == payment.StatusDuplicate || st == payment.StatusNotPayable {
		wash, ink = amberWash, amberText
	}
	tags := container.NewHBox(newBadge(l.paymentStatus(st), wash, ink))
	if a != "" {
		tags.Add(quiet(a.Grouped(), fyne.TextStyle{Monospace: true}, theme.SizeNameCaptionText))
	}
	return tags
}

// onNotice prints the pagoPA notice of the position (n 0) or of its
// instalment n, or saves it.
func (f *fileScreen) onNotice(id string, n int, b *widget.Button) {
	f.c.touch()
	l := f.c.lang
	b.Disable()
	gen, desk, out, ctx, op := f.gen, f.c.d.Payments, f.c.d.Output, f.c.session, f.c.op
	name := "avviso-" + id
	if n > 0 {
		name += fmt.Sprintf("-rata%d", n)
	}
	inBackground(f.c.ui, func() deliveryResult {
		_, pdf, err := desk.InstalmentNotice(ctx, op, id, n)
		if err != nil {
			return deliveryResult{err: err}
		}
		printer := ""
		if out != nil {
			printer = out.DefaultPrinter()
		}
		dest, err := deliver(ctx, out, printer, name+".pdf", l.textf(msgPaperNotice, id), pdf)
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

// onPay asks what the citizen pays, for a position with instalments (the
// rata unica or one rata not yet paid), and how; then takes the payment.
func (f *fileScreen) onPay(v payment.View) {
	f.c.touch()
	l := f.c.lang
	method := widget.NewRadioGroup([]string{l.text(msgMethodCash), l.text(msgMethodCard)}, nil)
	method.SetSelected(l.text(msgMethodCash))
	body := container.NewVBox(wrapped(l.textf(msgPayConfirm, v.Causale, v.DebtorName)))
	what := map[string]int{}
	var choice *widget.RadioGroup
	if len(v.Instalments) == 0 {
		body.Add(wrapped(l.textf(msgPayAmountHint, l.euro(v.AmountCents))))
	} else {
		var options []string
		for _, t := range v.Targets() {
			if v.Payable(t.N) != nil {
				continue
			}
			o := l.textf(msgPayUnica, l.euro(t.AmountCents), formatDate(t.DueDate))
			if t.N > 0 {
				o = l.textf(msgPayInstalment, t.N, l.euro(t.AmountCents), formatDate(t.DueDate))
			}
			what[o] = t.N
			options = append(options, o)
		}
		choice = widget.NewRadioGroup(options, nil)
		if len(options) > 0 {
			choice.SetSelected(options[0])
			for _, o := range options { // the first rata due, rather than the whole
				if what[o] > 0 {
					choice.SetSelected(o)
					break
				}
			}
		}
		body.Add(widget.NewLabelWithStyle(l.text(msgPayWhat), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		body.Add(choice)
	}
	body.Add(method)
	var dlg *dialog.ConfirmDialog
	dlg = dialog.NewCustomConfirm(l.text(msgPayTitle), l.text(msgPayButton), l.text(msgClose), body, func(ok bool) {
		if !ok {
			return
		}
		m := payment.Cash
		if method.Selected == l.text(msgMethodCard) {
			m = payment.Card
		}
		n := 0
		if choice != nil {
			n = what[choice.Selected]
		}
		f.takePayment(v.ID, n, m)
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

// takePayment records the payment of rata n and prints or saves its
// receipt.
func (f *fileScreen) takePayment(id string, n int, m payment.Method) {
	l := f.c.lang
	gen, op, desk, out, ctx := f.gen, f.c.op, f.c.d.Payments, f.c.d.Output, f.c.session
	inBackground(f.c.ui, func() payResult {
		p, pdf, err := desk.PayInstalment(ctx, op, id, n, m)
		if err != nil {
			return payResult{err: err}
		}
		printer := ""
		if out != nil {
			printer = out.DefaultPrinter()
		}
		dest, derr := deliver(ctx, out, printer, "ricevuta-"+p.Receipt+".pdf", l.textf(msgPaperReceipt, p.Receipt), pdf)
		return payResult{p: p, dest: dest, derr: derr}
	}, func(r payResult) {
		if gen != f.gen || f.c.file != f {
			return
		}
		switch {
		case r.err != nil:
			f.showNotice(l.textf(msgPayFailed, app.ErrorMessage(r.err)), true)
		case r.derr != nil:
			f.showNotice(l.textf(msgPaidNoReceipt, r.p.Receipt, l.euro(r.p.AmountCents), app.ErrorMessage(r.derr)), true)
		default:
			f.showNotice(l.textf(msgPaid, r.p.Receipt, l.euro(r.p.AmountCents), l.destinationText(r.dest)), false)
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
	case payment.StatusPartial:
		return l.text(msgStatusPartial)
	case payment.StatusOffline:
		return l.text(msgStatusOffline)
	}
	return l.text(msgStatusUnknown)
}
