package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// The double payments of the citizen file: an open refund, with both
// receipts, warns whoever serves the person; a supervisor marks it done
// (how, when, a note) once the excess went back. A refund done shows how,
// and that the hub has not confirmed it yet while its fact waits.

// refundRow is one refund of the person.
func (f *fileScreen) refundRow(rf payment.Refund) fyne.CanvasObject {
	l := f.c.lang
	if rf.State == payment.RefundDone && rf.Done != nil {
		pending := ""
		if rf.Unsent {
			pending = l.text(msgRefundPending)
		}
		how := l.refundMethod(rf.Done.Method)
		if rf.Done.Note != "" {
			how += ", " + rf.Done.Note
		}
		return note(l.textf(msgRefundDoneLine, rf.Causale, l.euro(rf.ExcessCents), formatDate(rf.Done.On), how, pending), false)
	}
	var receipts []string
	for _, rc := range rf.Receipts {
		receipts = append(receipts, rc.Number+" ("+rc.Channel+", "+l.euro(rc.AmountCents)+", "+formatInstant(rc.At, app.Rome)+")")
	}
	line := newNotice(l.textf(msgRefundLine, rf.Causale, l.euro(rf.ExcessCents), strings.Join(receipts, "; ")), true)
	if f.c.op == nil || !f.c.op.Has(app.RoleSupervisor) {
		return line
	}
	id := rf.ID
	done := widget.NewButtonWithIcon(l.text(msgRefundDoneButton), theme.ConfirmIcon(), func() { f.onRefundDone(id) })
	return container.NewBorder(nil, nil, nil, container.NewVBox(done), line)
}

// onRefundDone asks the supervisor how and when the excess went back,
// then records it.
func (f *fileScreen) onRefundDone(id string) {
	f.c.touch()
	l := f.c.lang
	f.pay.dlg = showRefundDoneForm(f.c, func() { f.showNotice(l.text(msgRefundBadDate), true) },
		func(m payment.RefundMethod, on time.Time, text string) { f.completeRefund(id, m, on, text) })
}

// showRefundDoneForm asks how and when the excess went back, with a
// note, over the counter's window; the citizen file and the refund
// worklist (payments_worklist.go) both use it. record gets a day not
// after today; badDate is called for any other.
func showRefundDoneForm(c *Counter, badDate func(), record func(m payment.RefundMethod, on time.Time, note string)) dialog.Dialog {
	l := c.lang
	names := make([]string, len(payment.RefundMethods))
	byName := map[string]payment.RefundMethod{}
	for i, m := range payment.RefundMethods {
		names[i] = l.refundMethod(m)
		byName[names[i]] = m
	}
	method := widget.NewSelect(names, nil)
	method.SetSelected(names[0])
	day := widget.NewEntry()
	day.SetText(c.d.Now().In(app.Rome).Format("02/01/2006"))
	text := widget.NewEntry()
	text.SetPlaceHolder(l.text(msgRefundNote))
	items := []*widget.FormItem{
		widget.NewFormItem(l.text(msgRefundMethod), method),
		widget.NewFormItem(l.text(msgRefundDate), day),
		widget.NewFormItem(l.text(msgRefundNoteLabel), text),
	}
	dlg := dialog.NewForm(l.text(msgRefundDoneButton), l.text(msgConfirm), l.text(msgClose), items, func(ok bool) {
		if !ok {
			return
		}
		on, err := time.ParseInLocation("02/01/2006", strings.TrimSpace(day.Text), app.Rome)
		if err != nil || on.After(c.d.Now()) {
			badDate()
			return
		}
		record(byName[method.Selected], app.Date(on.Year(), on.Month(), on.Day()), text.Text)
	}, c.w)
	dlg.Resize(fyne.NewSize(520, dlg.MinSize().Height))
	dlg.Show()
	return dlg
}

// completeRefund records the repayment off the UI goroutine.
func (f *fileScreen) completeRefund(id string, m payment.RefundMethod, on time.Time, text string) {
	l := f.c.lang
	gen, op, desk, ctx := f.gen, f.c.op, f.c.d.Payments, f.c.session
	inBackground(f.c.ui, func() error {
		_, err := desk.CompleteRefund(ctx, op, id, m, on, text)
		return err
	}, func(err error) {
		if gen != f.gen || f.c.file != f {
			return
		}
		if err != nil {
			f.showNotice(l.textf(msgRefundFailed, app.ErrorMessage(err)), true)
			return
		}
		f.showNotice(l.textf(msgRefundRecorded, id), false)
		f.refreshPayments()
	})
}

// refundMethod is a way of refunding in the operator's language.
func (l lang) refundMethod(m payment.RefundMethod) string {
	switch m {
	case payment.RefundTransfer:
		return l.text(msgRefundTransfer)
	case payment.RefundCash:
		return l.text(msgMethodCash)
	case payment.RefundCard:
		return l.text(msgRefundCard)
	case payment.RefundOffset:
		return l.text(msgRefundOffset)
	}
	return string(m)
}
