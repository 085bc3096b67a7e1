package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The keys of the keyboard that are not characters.
const (
	keyBackspace = "\b"
	keyClear     = "\x00"
)

// keyRows are the characters of a codice fiscale and of an identity
// document number, and nothing else: digits and capitals.
var keyRows = []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"}

// keyboard is the kiosk's on-screen keyboard: a touch screen has no other.
// Its keys are as large as a finger; the last row ends with a backspace and
// a key that empties the entry. What a key types is onKey's to decide.
type keyboard struct {
	widget.BaseWidget
	clearLabel string           // the label of the key that empties the entry
	onKey      func(key string) // a character, keyBackspace or keyClear
}

func newKeyboard(clearLabel string, onKey func(key string)) *keyboard {
	kb := &keyboard{clearLabel: clearLabel, onKey: onKey}
	kb.ExtendBaseWidget(kb)
	return kb
}

func (kb *keyboard) press(key string) {
	if kb.onKey != nil {
		kb.onKey(key)
	}
}

// CreateRenderer lays the keys out in centred rows.
func (kb *keyboard) CreateRenderer() fyne.WidgetRenderer {
	key := func(b *widget.Button, width float32) fyne.CanvasObject {
		return container.New(&minSize{fyne.NewSize(width, 72)}, b)
	}
	r := &keyboardRenderer{kb: kb, rows: container.NewVBox()}
	for i, row := range keyRows {
		line := container.NewHBox(layout.NewSpacer())
		for _, c := range row {
			s := string(c)
			line.Add(key(widget.NewButton(s, func() { kb.press(s) }), 84))
		}
		if i == len(keyRows)-1 {
			line.Add(key(widget.NewButtonWithIcon("", theme.ContentUndoIcon(), func() { kb.press(keyBackspace) }), 150))
			r.clear = widget.NewButton(kb.clearLabel, func() { kb.press(keyClear) })
			line.Add(key(r.clear, 150))
		}
		line.Add(layout.NewSpacer())
		r.rows.Add(line)
	}
	return r
}

type keyboardRenderer struct {
	kb    *keyboard
	rows  *fyne.Container
	clear *widget.Button
}

func (r *keyboardRenderer) Layout(size fyne.Size) { r.rows.Resize(size) }

func (r *keyboardRenderer) MinSize() fyne.Size { return r.rows.MinSize() }

// Refresh follows a change of the clear key's label (the language).
func (r *keyboardRenderer) Refresh() {
	if r.clear.Text != r.kb.clearLabel {
		r.clear.SetText(r.kb.clearLabel)
	}
	r.rows.Refresh()
}

func (r *keyboardRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rows} }

func (r *keyboardRenderer) Destroy() {}
