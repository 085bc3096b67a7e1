package ui

import (
	"context"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// searchDebounce is how long the box waits after a keystroke before
// searching: long enough to skip the letters of a fast typist, short enough
// to feel immediate.
const searchDebounce = 200 * time.Millisecond

// searchScreen is the one search box of the counter and its results: the
// citizens of this comune first, then those of the other comuni of the
// network, each marked with its comune. Keyboard first: Down goes from the
// box into the list, Up from the top of the list back to the box, Enter
// opens the selected citizen's file.
type searchScreen struct {
	widget.BaseWidget
	c *Counter

	box     *searchEntry
	list    *pickList
	scroll  *container.Scroll
	targets []string // codice fiscale of each row of list; "" for headers and messages
	content fyne.CanvasObject

	debounce   time.Duration
	gen        int // of the latest keystroke; results of older ones are dropped
	shown      int // gen of the results on screen
	timer      *time.Timer
	cancel     context.CancelFunc
	openOnShow bool // Enter came before the results: open the first one when they arrive
}

func newSearchScreen(c *Counter) *searchScreen {
	s := &searchScreen{c: c, list: newPickList(), debounce: searchDebounce}
	s.box = newSearchEntry()
	s.box.SetPlaceHolder(c.lang.text(msgSearchPlaceholder))
	s.box.ActionItem = widget.NewIcon(theme.SearchIcon())
	s.box.OnChanged = s.onSearch
	s.box.OnSubmitted = func(string) { s.onSubmit() }
	s.box.onDown = s.onDownFromBox
	s.box.onInput = c.touch
	s.box.onIssue = c.onIssue
	s.box.onCallNext = c.onCallNext
	s.list.onOpen = s.onOpen
	s.list.onMove = func(id int) {
		c.touch()
		scrollIntoView(s.scroll, s.list.row(id))
	}
	s.list.onOther = s.onListKey
	s.list.onRune = s.onListRune
	s.scroll = container.NewVScroll(s.list)
	s.showMessage(c.lang.text(msgSearchHint), false)

	top := container.New(layout.NewCustomPaddedLayout(theme.Padding(), 0, 0, 0), s.box)
	s.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, s.scroll))
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer is called by Fyne to draw the screen.
func (s *searchScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// focusBox puts the cursor in the search box with its text selected, so
// that typing starts a new search and arrows continue the old one.
func (s *searchScreen) focusBox() {
	s.c.focus(s.box)
	s.box.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// onSearch runs at each keystroke: it schedules a search of text after the
// debounce, off the UI goroutine, and cancels the one of the previous
// keystroke. Results come back through the bridge and are shown only if no
// keystroke came meanwhile.
func (s *searchScreen) onSearch(text string) {
	s.c.touch()
	s.gen++
	s.openOnShow = false
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.cancel != nil {
		s.cancel()
	}
	if strings.TrimSpace(text) == "" {
		s.shown = s.gen
		s.showMessage(s.c.lang.text(msgSearchHint), false)
		return
	}
	if len(s.targets) == 0 {
		s.showMessage(s.c.lang.text(msgSearching), false)
	}
	gen, op, counter := s.gen, s.c.op, s.c.d.Counter
	ctx, cancel := context.WithCancel(s.c.session)
	s.cancel = cancel
	s.timer = time.AfterFunc(s.debounce, func() {
		if ctx.Err() != nil {
			return
		}
		res, err := counter.Search(ctx, op, text)
		s.c.ui.do(func() { s.onResults(gen, res, err) })
	})
}

// onResults shows the results of the search of keystroke gen, if it is
// still the latest one.
func (s *searchScreen) onResults(gen int, res app.SearchResults, err error) {
	if gen != s.gen || s.c.search != s {
		return // stale: the operator typed on, or left
	}
	s.shown = gen
	if err != nil {
		s.showMessage(app.ErrorMessage(err), true)
		return
	}
	l := s.c.lang
	var items []pickItem
	var targets []string
	add := func(it pickItem, cf string) {
		items = append(items, it)
		targets = append(targets, cf)
	}
	add(pickItem{content: sectionHeader(l.text(msgLocalHeader), len(res.Local))}, "")
	if len(res.Local) == 0 {
		add(pickItem{content: note(l.text(msgNoLocal), false)}, "")
	}
	for _, p := range res.Local {
		add(pickItem{content: s.resultLine(p), selectable: true}, p.CodiceFiscale)
	}
	if len(res.Remote) > 0 || res.NetworkErr != nil {
		add(pickItem{content: container.NewVBox(widget.NewSeparator(), sectionHeader(l.text(msgRemoteHeader), len(res.Remote)))}, "")
	}
	for _, p := range res.Remote {
		add(pickItem{content: s.resultLine(p), selectable: true}, p.CodiceFiscale)
	}
	if res.NetworkErr != nil {
		text := app.ErrorMessage(res.NetworkErr)
		switch {
		case app.ErrorCode(res.NetworkErr) == app.EOFFLINE:
			text = l.text(msgNetworkOffline)
		case needsPurpose(res.NetworkErr):
			// An exact key that finds nobody here: the hub is asked for
			// it as the operator's act, once they said why.
			text = l.text(msgPurposeNeeded)
			s.c.askPurpose(func() { s.onSearch(s.box.Text) })
		}
		add(pickItem{content: quiet(text, fyne.TextStyle{Italic: true}, "")}, "")
	}
	s.setItems(items, targets)
	if s.openOnShow {
		s.openOnShow = false
		if id := s.list.first(); id >= 0 {
			s.onOpen(id)
		}
	}
}

func (s *searchScreen) setItems(items []pickItem, targets []string) {
	s.targets = targets
	s.list.setItems(items)
	s.scroll.ScrollToTop()
}

// showMessage replaces the results with one line: a hint, "searching", an error.
func (s *searchScreen) showMessage(text string, isError bool) {
	s.setItems([]pickItem{{content: note(text, isError)}}, nil)
}

// resultLine draws a citizen found: "ROSSI Mario" with the badges of another
// comune or of a position other than resident, then codice fiscale and
// birth date.
func (s *searchScreen) resultLine(p app.CitizenSummary) fyne.CanvasObject {
	l := s.c.lang
	name := widget.NewLabel(displayName(p.Surname, p.GivenName))
	name.TextStyle.Bold = true
	line1 := container.NewHBox(name)
	if st := l.statusText(p.Status); st != "" {
		line1.Add(container.NewCenter(newBadge(st, greyWash, greyText)))
	}
	if p.Remote {
		line1.Add(container.NewCenter(newBadge(l.textf(msgRemoteBadge, placeName(p.ComuneName)), amberWash, amberText)))
	}
	cf := widget.NewLabel(p.CodiceFiscale)
	cf.TextStyle.Monospace = true
	born := quiet(l.textf(msgBornOn, formatDate(p.BirthDate)), fyne.TextStyle{}, "")
	line2 := container.NewHBox(cf, born)
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), line1, line2)
}

// onOpen opens the file of the citizen of row id.
func (s *searchScreen) onOpen(id int) {
	if id < 0 || id >= len(s.targets) || s.targets[id] == "" {
		return
	}
	s.list.setSelected(id)
	s.c.openFile(s.targets[id])
}

// onSubmit is Enter in the box: open the selected citizen, or the first
// one; if the results of the text are still on their way, open the first
// one when they arrive.
func (s *searchScreen) onSubmit() {
	s.c.touch()
	if s.shown != s.gen {
		s.openOnShow = true
		return
	}
	id := s.list.selected
	if !s.list.selectable(id) {
		id = s.list.first()
	}
	s.onOpen(id)
}

// onDownFromBox moves from the box into the list, on its first citizen.
func (s *searchScreen) onDownFromBox() {
	s.c.touch()
	id := s.list.first()
	if id < 0 {
		return
	}
	s.list.setSelected(id)
	scrollIntoView(s.scroll, s.list.row(id))
	s.c.focus(s.list)
}

// onListKey handles the keys the list leaves over: Up from the first row
// and Esc go back to the box.
func (s *searchScreen) onListKey(ev *fyne.KeyEvent) {
	s.c.touch()
	switch ev.Name {
	case fyne.KeyUp, fyne.KeyEscape:
		s.focusBox()
	case fyne.KeyF2:
		s.c.onCallNext()
	}
}

// onListRune sends typing in the list to the box: the operator corrects the
// search without reaching for the mouse.
func (s *searchScreen) onListRune(r rune) {
	s.c.focus(s.box)
	s.box.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEnd}) // append, even if the text was selected
	s.box.TypedRune(r)
}

// sectionHeader is the title of a group of results, with their count.
func sectionHeader(title string, n int) fyne.CanvasObject {
	t := widget.NewLabel(title)
	t.TextStyle.Bold = true
	t.Importance = widget.HighImportance
	if n == 0 {
		return t
	}
	return container.NewHBox(t, quiet("("+strconv.Itoa(n)+")", fyne.TextStyle{}, ""))
}

// searchEntry is the search box: an Entry whose Down key leads into the
// result list and which keeps Ctrl+F for itself (select all: type anew).
type searchEntry struct {
	widget.Entry
	onDown  func()
	onInput func() // any key: the operator is at the desk
	onIssue func() // Ctrl+P: issue a certificate to the person of the file shown
	// onCallNext is F2, the queue's "call next" (queue.go): a bare function
	// key is no shortcut for Fyne, it reaches the focused widget's TypedKey.
	onCallNext func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey sends Down to the list; every other key edits the text.
func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onInput != nil {
		e.onInput()
	}
	if ev.Name == fyne.KeyDown && e.onDown != nil {
		e.onDown()
		return
	}
	if ev.Name == fyne.KeyF2 && e.onCallNext != nil {
		e.onCallNext()
		return
	}
	e.Entry.TypedKey(ev)
}

// TypedShortcut answers Ctrl+F, which the window sends to the focused box
// rather than to the canvas, by selecting the text, and passes Ctrl+P on to
// the counter; other shortcuts (copy, paste…) are the Entry's.
func (e *searchEntry) TypedShortcut(sc fyne.Shortcut) {
	switch sc.ShortcutName() {
	case findShortcut.ShortcutName():
		e.Entry.TypedShortcut(&fyne.ShortcutSelectAll{})
		return
	case issueShortcut.ShortcutName():
		if e.onIssue != nil {
			e.onIssue()
		}
		return
	}
	e.Entry.TypedShortcut(sc)
}
