package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// headerList is a worklist of the header: a button that says how many
// items there are and opens them in a dialog, read again; Enter or a tap on
// one opens that person's file. The certificates to check (worklist) and
// the refunds to make (payments_worklist.go) are two.
type headerList[T any] struct {
	c      *Counter
	spec   headerListSpec[T]
	button *widget.Button
	items  []T
	gen    int // of the latest reading; older ones are dropped

	dlg    *dialog.CustomDialog // nil while closed
	list   *pickList
	scroll *container.Scroll
	// notice says what the last action did, under the hint (spec.notices);
	// form is an action's form while it is open, closed with the list.
	notice *fyne.Container
	form   dialog.Dialog
}

// headerListSpec is what a header worklist lists and says.
type headerListSpec[T any] struct {
	load   func(ctx context.Context) ([]T, error) // off the UI goroutine
	row    func(T) fyne.CanvasObject
	person func(T) string // the codice fiscale whose file an item opens
	// current reports whether the list is still the session's.
	current                    func() bool
	button, title, hint, empty msg
	// notices: the list's rows have actions, which say what they did
	// under the hint (showNotice).
	notices bool
}

func newHeaderList[T any](c *Counter, spec headerListSpec[T]) *headerList[T] {
	w := &headerList[T]{c: c, spec: spec}
	w.button = widget.NewButtonWithIcon("", theme.WarningIcon(), w.onOpen)
	w.button.Importance = widget.WarningImportance
	w.button.Hide()
	return w
}

type headerListResult[T any] struct {
	list []T
	err  error
}

// refresh reads the items off the UI goroutine. A reading that fails keeps
// the previous count: the list shows the error.
func (w *headerList[T]) refresh() {
	w.gen++
	gen, load, ctx := w.gen, w.spec.load, w.c.session
	inBackground(w.c.ui, func() headerListResult[T] {
		list, err := load(ctx)
		return headerListResult[T]{list, err}
	}, func(r headerListResult[T]) {
		if gen != w.gen || !w.spec.current() {
			return // a newer reading, or the session ended
		}
		if r.err != nil {
			if w.dlg != nil {
				w.list.setItems([]pickItem{{content: note(app.ErrorMessage(r.err), true)}})
			}
			return
		}
		w.items = r.list
		w.button.SetText(w.c.lang.textf(w.spec.button, len(r.list)))
		showIf(w.button, len(r.list) > 0)
		if w.dlg != nil {
			w.showItems()
		}
	})
}

// onOpen shows the list, read again.
func (w *headerList[T]) onOpen() {
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
	hint := quiet(l.text(w.spec.hint), fyne.TextStyle{}, "")
	hint.Wrapping = fyne.TextWrapWord
	var top fyne.CanvasObject = hint
	if w.spec.notices {
		w.notice = container.NewStack()
		top = container.NewVBox(hint, w.notice)
	}
	closeButton := widget.NewButtonWithIcon(l.text(msgClose)+" (Esc)", theme.CancelIcon(), w.close)
	w.dlg = dialog.NewCustomWithoutButtons(l.text(w.spec.title), container.NewBorder(top, nil, nil, nil, w.scroll), c.w)
	w.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	w.dlg.Resize(fyne.NewSize(worklistWidth, worklistHeight))
	w.dlg.Show()
	c.focus(w.list)
	w.refresh()
}

func (w *headerList[T]) showItems() {
	items := make([]pickItem, 0, len(w.items))
	for _, it := range w.items {
		items = append(items, pickItem{content: w.spec.row(it), selectable: true})
	}
	if len(items) == 0 {
		items = append(items, pickItem{content: note(w.c.lang.text(w.spec.empty), false)})
	}
	w.list.setItems(items)
	if w.list.focused {
		w.list.setSelected(w.list.first())
	}
}

// onPick opens the file of the person of row id.
func (w *headerList[T]) onPick(id int) {
	if id < 0 || id >= len(w.items) {
		return
	}
	cf := w.spec.person(w.items[id])
	w.close()
	w.c.w.Canvas().Unfocus() // the file takes the keyboard when it opens
	w.c.openFile(cf)
}

// showNotice says in the open list what the last action did.
func (w *headerList[T]) showNotice(text string, warn bool) {
	if w.dlg == nil || w.notice == nil {
		return
	}
	w.notice.Objects = []fyne.CanvasObject{newNotice(text, warn)}
	w.notice.Refresh()
}

// close hides the list.
func (w *headerList[T]) close() {
	if w.form != nil {
		w.form.Hide()
		w.form = nil
	}
	w.notice = nil
	if w.dlg == nil {
		return
	}
	w.dlg.Hide()
	w.dlg, w.list, w.scroll = nil, nil, nil
}

// worklist is the list of the certificates the hub flagged: the person's
// record changed after the data they were issued from, and the operator must
// check them.
type worklist struct {
	*headerList[certificate.Issued]
}

func newWorklist(c *Counter) *worklist {
	w := &worklist{}
	w.headerList = newHeaderList(c, headerListSpec[certificate.Issued]{
		load:    func(ctx context.Context) ([]certificate.Issued, error) { return c.d.Certificates.Flagged(ctx) },
		row:     w.row,
		person:  func(is certificate.Issued) string { return is.Certificate.Person.CodiceFiscale },
		current: func() bool { return c.flags == w },
		button:  msgFlaggedButton, title: msgFlaggedTitle, hint: msgFlaggedHint, empty: msgNoFlagged,
	})
	return w
}

// The worklist's size in the counter's window.
const (
	worklistWidth  = 760
	worklistHeight = 540
)

// row is a flagged certificate: whose, which, and what the hub said.
func (w *worklist) row(is certificate.Issued) fyne.CanvasObject {
	l := w.c.lang
	c := &is.Certificate
	name := widget.NewLabel(displayName(c.Person.Surname, c.Person.GivenName))
	name.TextStyle.Bold = true
	cf := widget.NewLabel(c.Person.CodiceFiscale)
	cf.TextStyle.Monospace = true
	line := quiet(l.textf(msgCertificateLine, c.Number.String(), certificateTitle(c.Type.Title), formatInstant(c.IssuedAt, app.Rome)), fyne.TextStyle{}, "")
	line.Wrapping = fyne.TextWrapWord
	return container.New(layout.NewCustomPaddedVBoxLayout(0),
		container.NewHBox(name, cf), line, newNotice(l.textf(msgToCheck, is.Flag), true))
}
