package ui

import (
	"image"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// uiQueue stands in for fyne.Do in the tests: background goroutines queue
// their UI updates and the test goroutine, which plays the UI goroutine,
// runs them when it polls. Widgets are touched by one goroutine only, as in
// the app.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) post(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

func (q *uiQueue) drain() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// harness is a counter in a test window with fake dependencies.
type harness struct {
	t       *testing.T
	w       fyne.Window
	c       *Counter
	q       *uiQueue
	dir     *directory
	online  *atomic.Bool
	counter *fakeCounter
	status  *fakeStatus
	issuer  *fakeIssuer
	output  *fakeOutput
	syncs   atomic.Int32
}

// newHarness opens the counter on the login screen; edit adjusts its
// dependencies before it is built.
func newHarness(t *testing.T, edit ...func(*Deps)) *harness {
	t.Helper()
	test.NewApp()
	h := &harness{t: t, q: &uiQueue{}, dir: newDirectory(t), online: &atomic.Bool{}}
	h.online.Store(true)
	h.counter = newFakeCounter(h.dir, h.online)
	h.status = newFakeStatus(app.SyncStatus{Online: true, LastSync: testNow.Add(-5 * time.Minute), Progress: -1})
	h.issuer, h.output = newFakeIssuer(), newFakeOutput()
	d := Deps{
		Counter:      h.counter,
		Status:       h.status,
		SyncNow:      func() { h.syncs.Add(1) },
		Profile:      app.Profile{Device: "ANAG-01", Comune: testComune, ComuneName: strings.ToUpper(testComuneName)},
		Lang:         "it",
		Now:          func() time.Time { return testNow },
		Certificates: h.issuer,
		Output:       h.output,
	}
	for _, e := range edit {
		e(&d)
	}
	h.w = test.NewWindow(nil)
	h.c = newCounter(h.w, d, &bridge{post: h.q.post})
	t.Cleanup(func() {
		h.c.Close()
		h.w.Close()
	})
	return h
}

// waitFor polls until cond holds, running the UI updates queued meanwhile;
// the test fails after 15 seconds (generous: the race detector on a
// loaded two-core machine is slow, and a passing test never waits it out).
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		h.q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; the screen shows:\n%s", what, h.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settle runs queued UI updates until none comes for a while: for checks
// that something does NOT happen.
func (h *harness) settle(d time.Duration) {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		h.q.drain()
		time.Sleep(5 * time.Millisecond)
	}
	h.q.drain()
}

// screen is every text visible in the window, one per line: the content,
// then the dialogs over it.
func (h *harness) screen() string {
	var texts []string
	for _, o := range h.layers() {
		texts = append(texts, visibleTexts(o)...)
	}
	return strings.Join(texts, "\n")
}

// layers are the window's content and the overlays over it (dialogs,
// pop-ups), bottom first.
func (h *harness) layers() []fyne.CanvasObject {
	return append([]fyne.CanvasObject{h.w.Content()}, h.w.Canvas().Overlays().List()...)
}

// shows reports whether the visible texts contain s, wherever a label
// wraps it.
func (h *harness) shows(s string) bool { return strings.Contains(flat(h.screen()), flat(s)) }

// flat collapses runs of white space, line breaks of wrapped labels included.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func (h *harness) assertShows(texts ...string) {
	h.t.Helper()
	screen := h.screen()
	for _, s := range texts {
		if !strings.Contains(flat(screen), flat(s)) {
			h.t.Errorf("the screen does not show %q; it shows:\n%s", s, screen)
		}
	}
}

func (h *harness) assertHides(texts ...string) {
	h.t.Helper()
	screen := h.screen()
	for _, s := range texts {
		if strings.Contains(flat(screen), flat(s)) {
			h.t.Errorf("the screen shows %q, it should not; it shows:\n%s", s, screen)
		}
	}
}

// visibleTexts walks what is drawn, as the operator would read it.
func visibleTexts(o fyne.CanvasObject) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	switch x := o.(type) {
	case *canvas.Text:
		if strings.TrimSpace(x.Text) == "" {
			return nil
		}
		return []string{x.Text}
	case *fyne.Container:
		var out []string
		for _, c := range x.Objects {
			out = append(out, visibleTexts(c)...)
		}
		return out
	case fyne.Widget:
		var out []string
		for _, c := range test.WidgetRenderer(x).Objects() {
			out = append(out, visibleTexts(c)...)
		}
		return out
	}
	return nil
}

// typeText types s into the focused widget, rune by rune.
func (h *harness) typeText(s string) {
	h.t.Helper()
	f := h.w.Canvas().Focused()
	if f == nil {
		h.t.Fatalf("typing %q with no focused widget", s)
	}
	for _, r := range s {
		f.TypedRune(r)
	}
}

// press sends a key as the window does: Tab moves the focus unless the
// focused widget takes it; other keys go to the focused widget, else to the
// canvas.
func (h *harness) press(key fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: key}
	if key == fyne.KeyTab {
		if t, ok := h.w.Canvas().Focused().(fyne.Tabbable); !ok || !t.AcceptsTab() {
			h.w.Canvas().FocusNext()
			return
		}
	}
	if f := h.w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if on := h.w.Canvas().OnTypedKey(); on != nil {
		on(ev)
	}
}

// shortcut sends a shortcut as the desktop driver does: to the focused
// widget if it takes shortcuts, else to the canvas.
func (h *harness) shortcut(sc fyne.Shortcut) {
	if f, ok := h.w.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	h.w.Canvas().(fyne.Shortcutable).TypedShortcut(sc)
}

// login signs the test operator in and waits for the workspace.
func (h *harness) login() {
	h.t.Helper()
	s := h.c.login
	h.w.Canvas().Focus(s.username)
	h.typeText(testUser)
	h.w.Canvas().Focus(s.password)
	h.typeText(testPassword)
	h.press(fyne.KeyReturn)
	h.waitFor("the workspace after login", func() bool { return h.c.search != nil })
}

// search types text in the search box and waits for its results.
func (h *harness) search(text string) {
	h.t.Helper()
	s := h.c.search
	h.w.Canvas().Focus(s.box)
	s.box.SetText("")
	h.typeText(text)
	h.waitFor("the results of "+text, func() bool { return s.shown == s.gen && len(s.targets) > 0 })
}

// openByKeyboard searches text and opens result number n (from 1) with Down
// and Enter.
func (h *harness) openByKeyboard(text string, n int) {
	h.t.Helper()
	h.search(text)
	for range n {
		h.press(fyne.KeyDown)
	}
	h.press(fyne.KeyReturn)
	h.waitFor("the file to open", func() bool { return h.c.file != nil && h.c.file.file != nil })
}

// resultNames lists the names of the citizens in the result list, in order.
func (h *harness) resultNames() []string {
	var out []string
	s := h.c.search
	for i, row := range s.list.rows {
		if s.targets != nil && s.targets[i] != "" {
			out = append(out, visibleTexts(row.item.content)[0])
		}
	}
	return out
}

func (h *harness) tap(obj fyne.Tappable) { test.Tap(obj) }

// button finds the visible button labelled text, in the topmost layer that
// has one: a dialog's before the window's.
func (h *harness) button(text string) *widget.Button {
	h.t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() || found != nil {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if strings.HasPrefix(x.Text, text) {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	layers := h.layers()
	for i := len(layers) - 1; i >= 0 && found == nil; i-- {
		walk(layers[i])
	}
	if found == nil {
		h.t.Fatalf("no button %q on screen:\n%s", text, h.screen())
	}
	return found
}

// capture draws the window after a full layout pass. The desktop driver
// lays out again every object whose minimum size changed (a label's new
// text) before each frame; the test canvas does not, so this does it.
func (h *harness) capture() image.Image {
	h.w.Resize(fyne.NewSize(windowWidth, windowHeight))
	for _, o := range h.layers() {
		layoutAll(o)
	}
	return h.w.Canvas().Capture()
}

func layoutAll(o fyne.CanvasObject) {
	if o == nil || !o.Visible() {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		if x.Layout != nil {
			x.Layout.Layout(x.Objects, x.Size())
		}
		for _, c := range x.Objects {
			layoutAll(c)
		}
	case fyne.Widget:
		r := test.WidgetRenderer(x)
		r.Layout(x.Size())
		for _, c := range r.Objects() {
			layoutAll(c)
		}
	}
}
