package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/payment"
)

// refundList is the comune's refund worklist: every position paid twice
// whose excess is still to go back, of any citizen, oldest first, with
// both receipts. A button in the header says how many there are and opens
// them, as the certificates' worklist does (worklist.go); Enter or a tap
// on one opens that person's file, and a supervisor marks one done from
// the list itself.
type refundList struct {
	*headerList[payment.Refund]
}

func newRefundList(c *Counter) *refundList {
	w := &refundList{}
	w.headerList = newHeaderList(c, headerListSpec[payment.Refund]{
		load:    func(ctx context.Context) ([]payment.Refund, error) { return c.d.Payments.OpenRefunds(ctx) },
		row:     w.row,
		person:  func(rf payment.Refund) string { return rf.DebtorCF },
		current: func() bool { return c.refunds == w },
		button:  msgRefundsButton, title: msgRefundsTitle, hint: msgRefundsHint, empty: msgNoRefunds,
		notices: true,
	})
	return w
}

// row is an open refund: whose, what for, how much, since when, and each
// receipt with its channel and time; for a supervisor, the action that
// records it done.
func (w *refundList) row(rf payment.Refund) fyne.CanvasObject {
	l := w.c.lang
	name := widget.NewLabel(rf.DebtorName)
	name.TextStyle.Bold = true
	cf := widget.NewLabel(rf.DebtorCF)
	cf.TextStyle.Monospace = true
	lines := container.New(layout.NewCustomPaddedVBoxLayout(0), container.NewHBox(name, cf),
		newNotice(l.textf(msgRefundsLine, rf.Causale, l.euro(rf.ExcessCents), formatDate(rf.OpenedAt.In(app.Rome))), true))
	for _, rc := range rf.Receipts {
		t := quiet(l.textf(msgRefundsReceipt, rc.Number, rc.Channel, l.euro(rc.AmountCents), formatInstant(rc.At, app.Rome)), fyne.TextStyle{}, "")
		t.Wrapping = fyne.TextWrapWord
		lines.Add(t)
	}
	if w.c.op == nil || !w.c.op.Has(app.RoleSupervisor) {
		return lines
	}
	id := rf.ID
	done := widget.NewButtonWithIcon(l.text(msgRefundDoneButton), theme.ConfirmIcon(), func() { w.onDone(id) })
	return container.NewBorder(nil, nil, nil, container.NewVBox(done), lines)
}

// onDone asks the supervisor how and when the excess of refund id went
// back, as the citizen file does (payments_refund.go).
func (w *refundList) onDone(id string) {
	w.c.touch()
	l := w.c.lang
	w.form = showRefundDoneForm(w.c, func() { w.showNotice(l.text(msgRefundBadDate), true) },
		func(m payment.RefundMethod, on time.Time, text string) { w.complete(id, m, on, text) })
}

// complete records the repayment off the UI goroutine, then reads the
// list again: the refund leaves it.
func (w *refundList) complete(id string, m payment.RefundMethod, on time.Time, text string) {
	l := w.c.lang
	op, desk, ctx := w.c.op, w.c.d.Payments, w.c.session
	inBackground(w.c.ui, func() error {
		_, err := desk.CompleteRefund(ctx, op, id, m, on, text)
		return err
	}, func(err error) {
		if w.c.refunds != w {
			return // the session ended
		}
		if err != nil {
			w.showNotice(l.textf(msgRefundFailed, app.ErrorMessage(err)), true)
			return
		}
		w.showNotice(l.textf(msgRefundRecorded, id), false)
		w.refresh()
		if f := w.c.file; f != nil && f.file != nil {
			f.refreshPayments() // the file shown may be that person's
		}
	})
}
