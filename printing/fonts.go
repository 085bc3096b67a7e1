package printing

import (
	"fmt"
	"sync"

	"github.com/signintech/gopdf"
	"github.com/signintech/gopdf/fontmaker/core"

	"github.com/sportello/sportello/assets"
)

// The font families of a page. Each face is its own family, so that no
// page depends on gopdf's matching of styles. The family is the font's
// PDF name: the six letters and "+" mark it, as the PDF format asks, as a
// subset (gopdf embeds only the glyphs a document uses).
const (
	fontRegular  = "SPTREG+TitilliumWeb-Regular"
	fontSemiBold = "SPTSEM+TitilliumWeb-SemiBold"
	fontBold     = "SPTBLD+TitilliumWeb-Bold"
)

// fontSet is the parsed font family, shared by every PDF: parsing a
// TrueType file costs milliseconds, more than laying out a page.
type fontSet struct {
	container *gopdf.FontContainer
	runes     map[int]uint // the characters every face has a glyph for
}

var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	faces := []struct {
		family string
		data   []byte
	}{
		{fontRegular, assets.TitilliumRegular},
		{fontSemiBold, assets.TitilliumSemiBold},
		{fontBold, assets.TitilliumBold},
	}
	fs := &fontSet{container: &gopdf.FontContainer{}}
	for _, f := range faces {
		if err := fs.container.AddTTFFontData(f.family, f.data); err != nil {
			return nil, fmt.Errorf("load font %s: %w", f.family, err)
		}
	}
	// gopdf prints a space for a character the font lacks; the layout
	// checks the texts first with the font's own character map, so that a
	// name is never printed with a letter missing.
	var p core.TTFParser
	if err := p.ParseFontData(assets.TitilliumRegular); err != nil {
		return nil, fmt.Errorf("read character map of %s: %w", fontRegular, err)
	}
	fs.runes = p.Chars()
	return fs, nil
})

// missingRune returns the first character of s that the fonts cannot
// print, other than a line break.
func (fs *fontSet) missingRune(s string) (rune, bool) {
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if _, ok := fs.runes[int(r)]; !ok {
			return r, true
		}
	}
	return 0, false
}
