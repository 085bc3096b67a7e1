package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// keys are the buttons of kb by label, the backspace by its empty label.
func keys(t *testing.T, kb *keyboard) map[string]*widget.Button {
	t.Helper()
	out := map[string]*widget.Button{}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			out[x.Text] = x
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	for _, o := range test.WidgetRenderer(kb).Objects() {
		walk(o)
	}
	return out
}

// TestKeyboard: the keyboard offers the digits and the capitals of a
// codice fiscale and nothing else, hands each key to its handler, names
// its clear key in the screen's language, and is as large as a finger's
// keys make it.
func TestKeyboard(t *testing.T) {
	test.NewApp()
	var typed []string
	kb := newKeyboard("Cancella", func(k string) { typed = append(typed, k) })
	w := test.NewWindow(kb)
	defer w.Close()
	ks := keys(t, kb)
	if len(ks) != 10+26+2 {
		t.Errorf("%d keys, want the 10 digits, the 26 letters, backspace and clear", len(ks))
	}
	for _, label := range []string{"0", "9", "A", "Z", "", "Cancella"} {
		if ks[label] == nil {
			t.Errorf("no key %q", label)
		}
	}
	for _, label := range []string{"R", "7", "", "Cancella"} {
		test.Tap(ks[label])
	}
	if want := []string{"R", "7", keyBackspace, keyClear}; !slices.Equal(typed, want) {
		t.Errorf("typed %q, want %q", typed, want)
	}
	if s := kb.MinSize(); s.Width < 10*84 || s.Height < 4*72 {
		t.Errorf("min size %v: the keys are smaller than a finger", s)
	}
	kb.clearLabel = "Clear"
	kb.Refresh()
	if ks := keys(t, kb); ks["Clear"] == nil || ks["Cancella"] != nil {
		t.Error("the clear key does not follow the language")
	}
}
