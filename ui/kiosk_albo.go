package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
)

// The albo pretorio at the kiosk, open to anyone: the acts published
// today, each opening its text.

type noticesResult struct {
	n   []kiosk.Notice
	err error
}

// showAlbo lists the acts published today.
func (k *Kiosk) showAlbo() {
	ctx := k.ctx
	inBackground(k.ui, func() noticesResult {
		n, err := k.d.Self.Notices(ctx)
		return noticesResult{n, err}
	}, func(r noticesResult) {
		if ctx.Err() != nil {
			return
		}
		k.set("albo", newKioskAlboScreen(k, r))
	})
}

func newKioskAlboScreen(k *Kiosk, r noticesResult) fyne.CanvasObject {
	l := k.lang
	list := container.NewVBox()
	if r.err != nil {
		list.Add(k.errorText(app.ErrorMessage(r.err)))
	} else if len(r.n) == 0 {
		list.Add(widget.NewLabel(l.text(msgKioskNoNotices)))
	}
	for _, n := range r.n {
		to := formatDate(n.To)
		if to == "" {
			to = "—"
		}
		b := widget.NewButton(n.Category+": "+n.Title, k.tap(func() { k.onAct(n) }))
		b.Alignment = widget.ButtonAlignLeading
		sub := widget.NewLabel(l.textf(msgKioskNoticeLine, n.Number, n.Office, formatDate(n.From), to))
		list.Add(container.NewVBox(big(b, 900), sub))
	}
	back := k.showStart
	if k.session.Active() {
		back = k.showMenu
	}
	return k.frame(l.text(msgKioskAlbo), container.NewVScroll(list), back)
}

// onAct opens the text of an act.
func (k *Kiosk) onAct(n kiosk.Notice) { k.set("notice", newKioskActScreen(k, n)) }

func newKioskActScreen(k *Kiosk, n kiosk.Notice) fyne.CanvasObject {
	t := widget.NewLabel(n.Text)
	t.Wrapping = fyne.TextWrapWord
	head := widget.NewLabel(k.lang.textf(msgKioskNoticeLine, n.Number, n.Office, formatDate(n.From), formatDate(n.To)))
	return k.frame(n.Title, container.NewVScroll(container.NewVBox(head, t)), k.showAlbo)
}
