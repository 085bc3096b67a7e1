package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
	c      *Counter
	button *widget.Button
	items  []payment.Refund
	gen    int // of the latest reading; older ones are dropped

	dlg    *dialog.CustomDialog // nil while closed
	list   *pickList
	scroll *container.Scroll
	notice *fyne.Container // what the last action did
	form   dialog.Dialog   // the "Rimborso eseguito" form, while open
}

func newRefundList(c *Counter) *refundList {
	w := &refundList{c: c}
	w.button = widget.NewButtonWithIcon("", theme.WarningIcon(), w.onOpen)
	w.button.Importance = widget.WarningImportance
	w.button.Hide()
	return w
}

type openRefundsResult struct {
	list []payment.Refund
	err  error
}

// refresh reads the open refunds off the UI goroutine. A reading that
// fails keeps the previous count: the list shows the error.
func (w *refundList) refresh() {
	w.gen++
	gen, desk, ctx := w.gen, w.c.d.Payments, w.c.session
	inBackground(w.c.ui, func() openRefundsResult {
		list, err := desk.OpenRefunds(ctx)
		return openRefundsResult{list, err}
	}, func(r openRefundsResult) {
		if gen != w.gen || w.c.refunds != w {
			return // a newer reading, or the session ended
		}
		if r.err != nil {
			if w.dlg != nil {
				w.list.setItems([]pickItem{{content: note(app.ErrorMessage(r.err), true)}})
			}
			return
		}
		w.items = r.list
		w.button.SetText(w.c.lang.textf(msgRefundsButton, len(r.list)))
		showIf(w.button, len(r.list) > 0)
		if w.dlg != nil {
			w.showItems()
		}
	})
}

// onOpen shows the list, read again.
func (w *refundList) onOpen() {
	c := w.c
	c.touch()
	if c.dialogOpen() {
		return
	}
	l := c.lang
	w.list = newPickList()
	w.list.onOpen = w.onPick
	w.list.onMove = func(id int) {
		c.touch()
		scrollIntoView(w.scroll, w.list.row(id))
	}
	w.list.onOther = func(ev *fyne.KeyEvent) {
		c.touch()
		if ev.Name == fyne.KeyEscape {
			w.close()
		}
	}
	w.scroll = container.NewVScroll(w.list)
	w.notice = container.NewStack()
	w.showItems()
	hint := quiet(l.text(msgRefundsHint), fyne.TextStyle{}, "")
	hint.Wrapping = fyne.TextWrapWord
	closeButton := widget.NewButtonWithIcon(l.text(msgClose)+" (Esc)", theme.CancelIcon(), w.close)
	w.dlg = dialog.NewCustomWithoutButtons(l.text(msgRefundsTitle), container.NewBorder(container.NewVBox(hint, w.notice), nil, nil, nil, w.scroll), c.w)
	w.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	w.dlg.Resize(fyne.NewSize(worklistWidth, worklistHeight))
	w.dlg.Show()
	c.focus(w.list)
	w.refresh()
}

func (w *refundList) showItems() {
	l := w.c.lang
	items := make([]pickItem, 0, len(w.items))
	for _, rf := range w.items {
		items = append(items, pickItem{content: w.row(rf), selectable: true})
	}
	if len(items) == 0 {
		items = append(items, pickItem{content: note(l.text(msgNoRefunds), false)})
	}
	w.list.setItems(items)
	if w.list.focused {
		w.list.setSelected(w.list.first())
	}
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
		newNotice(l.textf(msgRefundsLine, rf.Causale, l.formatEuro(rf.ExcessCents), formatDate(rf.OpenedAt.In(romeZone))), true))
	for _, rc := range rf.Receipts {
		t := quiet(l.textf(msgRefundsReceipt, rc.Number, rc.Channel, l.formatEuro(rc.AmountCents), formatInstant(rc.At, romeZone)), fyne.TextStyle{}, "")
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

// onPick opens the file of the person of row id.
func (w *refundList) onPick(id int) {
	if id < 0 || id >= len(w.items) {
		return
	}
	cf := w.items[id].DebtorCF
	w.close()
	w.c.w.Canvas().Unfocus() // the file takes the keyboard when it opens
	w.c.openFile(cf)
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

// showNotice says in the open list what the last action did.
func (w *refundList) showNotice(text string, warn bool) {
	if w.dlg == nil {
		return
	}
	w.notice.Objects = []fyne.CanvasObject{newNotice(text, warn)}
	w.notice.Refresh()
}

// close hides the list and its form.
func (w *refundList) close() {
	if w.form != nil {
		w.form.Hide()
		w.form = nil
	}
	if w.dlg == nil {
		return
	}
	w.dlg.Hide()
	w.dlg, w.list, w.scroll, w.notice = nil, nil, nil, nil
}
