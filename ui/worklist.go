package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// worklist is the list of the certificates the hub flagged: the person's
// record changed after the data they were issued from, and the operator must
// check them. A button in the header says how many there are and opens
// them; Enter on one opens that person's file.
type worklist struct {
	c      *Counter
	button *widget.Button
	items  []certificate.Issued
	gen    int // of the latest reading; older ones are dropped

	dlg    *dialog.CustomDialog // nil while closed
	list   *pickList
	scroll *container.Scroll
}

func newWorklist(c *Counter) *worklist {
	w := &worklist{c: c}
	w.button = widget.NewButtonWithIcon("", theme.WarningIcon(), w.onOpen)
	w.button.Importance = widget.WarningImportance
	w.button.Hide()
	return w
}

type flaggedResult struct {
	list []certificate.Issued
	err  error
}

// refresh reads the flagged certificates off the UI goroutine. A reading
// that fails keeps the previous count: the list shows the error.
func (w *worklist) refresh() {
	w.gen++
	gen, issuer, ctx := w.gen, w.c.d.Certificates, w.c.session
	inBackground(w.c.ui, func() flaggedResult {
		list, err := issuer.Flagged(ctx)
		return flaggedResult{list, err}
	}, func(r flaggedResult) {
		if gen != w.gen || w.c.flags != w {
			return // a newer reading, or the session ended
		}
		if r.err != nil {
			if w.dlg != nil {
				w.list.setItems([]pickItem{{content: note(app.ErrorMessage(r.err), true)}})
			}
			return
		}
		w.items = r.list
		w.button.SetText(w.c.lang.textf(msgFlaggedButton, len(r.list)))
		showIf(w.button, len(r.list) > 0)
		if w.dlg != nil {
			w.showItems()
		}
	})
}

// onOpen shows the list, read again.
func (w *worklist) onOpen() {
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
	w.showItems()
	hint := quiet(l.text(msgFlaggedHint), fyne.TextStyle{}, "")
	hint.Wrapping = fyne.TextWrapWord
	closeButton := widget.NewButtonWithIcon(l.text(msgClose)+" (Esc)", theme.CancelIcon(), w.close)
	w.dlg = dialog.NewCustomWithoutButtons(l.text(msgFlaggedTitle), container.NewBorder(hint, nil, nil, nil, w.scroll), c.w)
	w.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	w.dlg.Resize(fyne.NewSize(worklistWidth, worklistHeight))
	w.dlg.Show()
	c.focus(w.list)
	w.refresh()
}

// The worklist's size in the counter's window.
const (
	worklistWidth  = 760
	worklistHeight = 540
)

func (w *worklist) showItems() {
	l := w.c.lang
	items := make([]pickItem, 0, len(w.items))
	for _, is := range w.items {
		items = append(items, pickItem{content: w.row(is), selectable: true})
	}
	if len(items) == 0 {
		items = append(items, pickItem{content: note(l.text(msgNoFlagged), false)})
	}
	w.list.setItems(items)
	if w.list.focused {
		w.list.setSelected(w.list.first())
	}
}

// row is a flagged certificate: whose, which, and what the hub said.
func (w *worklist) row(is certificate.Issued) fyne.CanvasObject {
	l := w.c.lang
	c := &is.Certificate
	name := widget.NewLabel(displayName(c.Person.Surname, c.Person.GivenName))
	name.TextStyle.Bold = true
	cf := widget.NewLabel(c.Person.CodiceFiscale)
	cf.TextStyle.Monospace = true
	line := quiet(l.textf(msgCertificateLine, c.Number.String(), certificateTitle(c.Type), formatInstant(c.IssuedAt, romeZone)), fyne.TextStyle{}, "")
	line.Wrapping = fyne.TextWrapWord
	return container.New(layout.NewCustomPaddedVBoxLayout(0),
		container.NewHBox(name, cf), line, newNotice(l.textf(msgToCheck, is.Flag), true))
}

// onPick opens the file of the person of row id.
func (w *worklist) onPick(id int) {
	if id < 0 || id >= len(w.items) {
		return
	}
	cf := w.items[id].Certificate.Person.CodiceFiscale
	w.close()
	w.c.w.Canvas().Unfocus() // the file takes the keyboard when it opens
	w.c.openFile(cf)
}

// close hides the list.
func (w *worklist) close() {
	if w.dlg == nil {
		return
	}
	w.dlg.Hide()
	w.dlg, w.list, w.scroll = nil, nil, nil
}
