package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// pickItem is one row of a pickList.
type pickItem struct {
	content    fyne.CanvasObject
	selectable bool // a citizen; section headers and messages are not
	marked     bool // drawn with an accent: the citizen whose file is open
}

// pickList is a list for the keyboard: Up and Down move the selection over
// the selectable rows, Enter opens the selected one, a tap opens a row.
// Unlike widget.List it mixes rows of different kinds (section headers,
// messages, citizens) and skips the ones that cannot be chosen. It does not
// scroll by itself: the screen puts it in a container.Scroll and keeps the
// selection in view with onMove.
type pickList struct {
	widget.BaseWidget

	box      *fyne.Container
	rows     []*pickRow
	selected int // -1 for none
	focused  bool

	onOpen  func(id int)            // Enter, Space or a tap on a selectable row
	onMove  func(id int)            // the selection moved by keyboard
	onOther func(ev *fyne.KeyEvent) // keys the list leaves to the screen: Esc, Up from the first row…
	onRune  func(r rune)            // typing while in the list
}

func newPickList() *pickList {
	l := &pickList{box: container.NewVBox(), selected: -1}
	l.ExtendBaseWidget(l)
	return l
}

// setItems replaces the rows; the selection is cleared.
func (l *pickList) setItems(items []pickItem) {
	l.rows = make([]*pickRow, len(items))
	objs := make([]fyne.CanvasObject, len(items))
	for i, it := range items {
		r := &pickRow{list: l, id: i, item: it}
		r.ExtendBaseWidget(r)
		l.rows[i], objs[i] = r, r
	}
	l.selected = -1
	l.box.Objects = objs
	l.box.Refresh()
}

// selectable reports whether row id can be chosen.
func (l *pickList) selectable(id int) bool {
	return id >= 0 && id < len(l.rows) && l.rows[id].item.selectable
}

// first returns the first selectable row, or -1.
func (l *pickList) first() int { return l.next(-1, 1) }

// next returns the selectable row after id in direction dir, or -1.
func (l *pickList) next(id, dir int) int {
	for i := id + dir; i >= 0 && i < len(l.rows); i += dir {
		if l.rows[i].item.selectable {
			return i
		}
	}
	return -1
}

// setSelected moves the selection to id (-1 for none).
func (l *pickList) setSelected(id int) {
	if id == l.selected {
		return
	}
	old := l.selected
	l.selected = id
	l.refreshRow(old)
	l.refreshRow(id)
}

func (l *pickList) refreshRow(id int) {
	if id >= 0 && id < len(l.rows) {
		l.rows[id].Refresh()
	}
}

// row returns the object drawing row id, to scroll it into view.
func (l *pickList) row(id int) fyne.CanvasObject { return l.rows[id] }

// CreateRenderer is called by Fyne to draw the list: a column of rows.
func (l *pickList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.box)
}

// FocusGained selects the first row if none is, so that the keyboard has a
// place to start.
func (l *pickList) FocusGained() {
	l.focused = true
	if !l.selectable(l.selected) {
		l.setSelected(l.first())
	}
	l.refreshRow(l.selected)
}

// FocusLost keeps the selection, drawn quieter.
func (l *pickList) FocusLost() {
	l.focused = false
	l.refreshRow(l.selected)
}

// TypedKey moves the selection or opens the selected row.
func (l *pickList) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyUp:
		dir := 1
		if ev.Name == fyne.KeyUp {
			dir = -1
		}
		if n := l.next(l.selected, dir); n >= 0 {
			l.setSelected(n)
			if l.onMove != nil {
				l.onMove(n)
			}
			return
		}
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeySpace:
		if l.selectable(l.selected) && l.onOpen != nil {
			l.onOpen(l.selected)
		}
		return
	}
	if l.onOther != nil {
		l.onOther(ev)
	}
}

// TypedRune hands typing to the screen: in the result list it goes back to
// the search box.
func (l *pickList) TypedRune(r rune) {
	if l.onRune != nil {
		l.onRune(r)
	}
}

func (l *pickList) tapped(id int) {
	if !l.selectable(id) {
		return
	}
	l.setSelected(id)
	if l.onOpen != nil {
		l.onOpen(id)
	}
}

// pickRow draws one row of a pickList: its content over a background that
// shows selection, focus, hover and the accent of a marked row.
type pickRow struct {
	widget.BaseWidget
	list    *pickList
	id      int
	item    pickItem
	hovered bool
}

var (
	_ fyne.Tappable     = (*pickRow)(nil)
	_ desktop.Hoverable = (*pickRow)(nil)
	_ fyne.Focusable    = (*pickList)(nil)
)

// Tapped opens the row.
func (r *pickRow) Tapped(*fyne.PointEvent) { r.list.tapped(r.id) }

// Cursor shows a hand over rows that open something.
func (r *pickRow) Cursor() desktop.Cursor {
	if r.item.selectable {
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// MouseIn highlights a selectable row under the pointer.
func (r *pickRow) MouseIn(*desktop.MouseEvent) { r.setHovered(true) }

// MouseMoved is required by desktop.Hoverable.
func (r *pickRow) MouseMoved(*desktop.MouseEvent) {}

// MouseOut removes the highlight.
func (r *pickRow) MouseOut() { r.setHovered(false) }

func (r *pickRow) setHovered(h bool) {
	if r.item.selectable && r.hovered != h {
		r.hovered = h
		r.Refresh()
	}
}

// CreateRenderer is called by Fyne to draw the row.
func (r *pickRow) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.Transparent)
	bg.CornerRadius = theme.SelectionRadiusSize()
	accent := canvas.NewRectangle(paBlue)
	rr := &pickRowRenderer{row: r, bg: bg, accent: accent}
	rr.Refresh()
	return rr
}

type pickRowRenderer struct {
	row        *pickRow
	bg, accent *canvas.Rectangle
}

const accentWidth = 4

func (rr *pickRowRenderer) Layout(size fyne.Size) {
	p := theme.Padding()
	rr.bg.Resize(size)
	rr.accent.Resize(fyne.NewSize(accentWidth, size.Height))
	c := rr.row.item.content
	c.Move(fyne.NewPos(2*p, p/2))
	c.Resize(fyne.NewSize(size.Width-3*p, size.Height-p))
}

func (rr *pickRowRenderer) MinSize() fyne.Size {
	p := theme.Padding()
	return rr.row.item.content.MinSize().Add(fyne.NewSize(3*p, p))
}

func (rr *pickRowRenderer) Refresh() {
	r := rr.row
	selected := r.list.selected == r.id && r.item.selectable
	switch {
	case selected && r.list.focused:
		rr.bg.FillColor = theme.Color(theme.ColorNameSelection)
		rr.bg.StrokeColor = theme.Color(theme.ColorNameFocus)
		rr.bg.StrokeWidth = 1
	case selected, r.hovered:
		rr.bg.FillColor = theme.Color(theme.ColorNameHover)
		rr.bg.StrokeWidth = 0
	case r.item.marked:
		rr.bg.FillColor = paBlueWash
		rr.bg.StrokeWidth = 0
	default:
		rr.bg.FillColor = color.Transparent
		rr.bg.StrokeWidth = 0
	}
	rr.accent.Hidden = !r.item.marked
	rr.bg.Refresh()
	rr.accent.Refresh()
	r.item.content.Refresh()
}

func (rr *pickRowRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{rr.bg, rr.accent, rr.row.item.content}
}

func (rr *pickRowRenderer) Destroy() {}

// scrollIntoView scrolls s so that obj, somewhere inside its content, is
// fully visible.
func scrollIntoView(s *container.Scroll, obj fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(obj).Y - d.AbsolutePositionForObject(s.Content).Y
	bottom := top + obj.Size().Height
	view := s.Size().Height
	switch {
	case top < s.Offset.Y:
		s.ScrollToOffset(fyne.NewPos(s.Offset.X, top))
	case bottom > s.Offset.Y+view:
		s.ScrollToOffset(fyne.NewPos(s.Offset.X, bottom-view))
	}
}
