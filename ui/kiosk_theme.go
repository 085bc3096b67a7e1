package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// kioskTheme is the counter's theme in large type: a touch screen read
// standing, by anyone. The display board (board.go) uses it too.
type kioskTheme struct{ counterTheme }

func newKioskTheme() fyne.Theme {
	return &kioskTheme{counterTheme{Theme: theme.DefaultTheme()}}
}

// Size enlarges the text, the icons and the paddings; everything else is
// the counter's.
func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameHeadingText:
		return 40
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameInlineIcon:
		return 32
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 16
	}
	return t.counterTheme.Size(n)
}
