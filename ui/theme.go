package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The counter is laid out for the 1280x800 screens of the comuni's desks;
// the search list takes the left 40%, the citizen file the rest.
const (
	windowWidth   = 1280
	windowHeight  = 800
	searchShare   = 0.4
	loginWidth    = 440
	dotDiameter   = 10
	progressWidth = 180
)

// Colours of the Italian public administration (AgID design guidelines,
// "Bootstrap Italia"): the PA blue and its tints.
var (
	paBlue      = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0xff}
	paBlueFocus = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0x80}
	paBlueTint  = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0x2a}
	paBlueWash  = color.NRGBA{R: 0x00, G: 0x66, B: 0xCC, A: 0x12}
	amberWash   = color.NRGBA{R: 0xff, G: 0xb0, B: 0x20, A: 0x40}
	amberText   = color.NRGBA{R: 0x8a, G: 0x4b, B: 0x00, A: 0xff}
	greyWash    = color.NRGBA{R: 0x5c, G: 0x6f, B: 0x82, A: 0x20}
	greyText    = color.NRGBA{R: 0x45, G: 0x55, B: 0x65, A: 0xff}
	paGrey      = color.NRGBA{R: 0x5c, G: 0x6f, B: 0x82, A: 0xff}
)

// colorNameSecondary is the grey of captions and details: readable, unlike
// the theme's "disabled" grey that LowImportance labels use.
const colorNameSecondary fyne.ThemeColorName = "sportelloSecondary"

// colorNameWarningText is the dark amber of a warning written on the amber
// wash: a certificate to check, one issued but not printed.
const colorNameWarningText fyne.ThemeColorName = "sportelloWarningText"

// counterTheme is Fyne's default theme in its light variant, with the PA
// blue as primary colour. Counters are lit rooms: the desktop's dark mode
// does not apply.
type counterTheme struct {
	fyne.Theme
}

func newTheme() fyne.Theme { return &counterTheme{Theme: theme.DefaultTheme()} }

// Color returns the PA blue family for what the operator's eye follows
// (primary, focus, selection) and the light default for everything else.
func (t *counterTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNamePrimary, theme.ColorNameHyperlink:
		return paBlue
	case theme.ColorNameFocus:
		return paBlueFocus
	case theme.ColorNameSelection:
		return paBlueTint
	case colorNameSecondary:
		return paGrey
	case colorNameWarningText:
		return amberText
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// quiet is a text in the secondary grey: captions, dates, counts, notes.
func quiet(text string, style fyne.TextStyle, size fyne.ThemeSizeName) *widget.RichText {
	t := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{
		ColorName: colorNameSecondary, TextStyle: style, SizeName: size,
	}})
	return t
}

// setQuiet changes the text of a quiet text.
func setQuiet(t *widget.RichText, text string) {
	t.Segments[0].(*widget.TextSegment).Text = text
	t.Refresh()
}

// note is a line in place of content: a hint or an empty section in grey, an
// error in red; it wraps.
func note(text string, isError bool) *widget.RichText {
	name := colorNameSecondary
	if isError {
		name = theme.ColorNameError
	}
	t := widget.NewRichText(&widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: name}})
	t.Wrapping = fyne.TextWrapWord
	return t
}
