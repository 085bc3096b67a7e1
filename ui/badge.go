package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// badge is a short text on a tinted, rounded background: the comune of a
// remote citizen, a position that is not "residente", a warning.
type badge struct {
	widget.BaseWidget
	text *canvas.Text
	bg   *canvas.Rectangle
}

func newBadge(text string, bg, fg color.Color) *badge {
	b := &badge{text: canvas.NewText(text, fg), bg: canvas.NewRectangle(bg)}
	b.text.TextSize = theme.CaptionTextSize() + 1
	b.bg.CornerRadius = theme.InputRadiusSize()
	b.ExtendBaseWidget(b)
	return b
}

func (b *badge) set(text string) {
	b.text.Text = text
	b.Refresh()
}

// CreateRenderer is called by Fyne to draw the badge.
func (b *badge) CreateRenderer() fyne.WidgetRenderer {
	return &badgeRenderer{b: b}
}

type badgeRenderer struct{ b *badge }

func (r *badgeRenderer) pad() fyne.Size {
	return fyne.NewSize(theme.Padding()*1.5, theme.Padding()/2)
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	r.b.bg.Resize(size)
	p := r.pad()
	r.b.text.Move(fyne.NewPos(p.Width, p.Height))
	r.b.text.Resize(size.Subtract(fyne.NewSize(2*p.Width, 2*p.Height)))
}

func (r *badgeRenderer) MinSize() fyne.Size {
	p := r.pad()
	return r.b.text.MinSize().Add(fyne.NewSize(2*p.Width, 2*p.Height))
}

func (r *badgeRenderer) Refresh() {
	r.b.text.Refresh()
	r.b.bg.Refresh()
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.bg, r.b.text}
}

func (r *badgeRenderer) Destroy() {}
