package printing

import (
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// ptMM converts typographic points to millimetres, the unit of the page.
const ptMM = 25.4 / 72

// color is an RGB colour.
type color struct{ r, g, b uint8 }

var (
	colorInk    = color{26, 26, 26}    // body text
	colorMuted  = color{85, 85, 85}    // labels, notes
	colorBrand  = color{43, 58, 74}    // header and rules: the emblem's slate
	colorRule   = color{200, 200, 200} // hairlines between rows
	colorShade  = color{236, 239, 242} // table header
	colorAlert  = color{180, 20, 20}   // duplicate and offline marks
	colorWater  = color{228, 228, 228} // the duplicate watermark, under the text
	colorQRDark = color{0, 0, 0}
)

// style is a face, a size in points and a colour.
type style struct {
	font  string
	size  float64
	color color
}

// lineHeight is the distance between baselines of the style, in mm.
func (s style) lineHeight() float64 { return s.size * 1.3 * ptMM }

// ascent is the distance from the top of a line to its baseline, in mm.
func (s style) ascent() float64 { return s.size * 0.98 * ptMM }

// pen draws on a gopdf document and keeps the first error, so that the
// layout reads as a sequence of drawing steps.
type pen struct {
	pdf *gopdf.GoPdf
	err error
	cur style
}

func (p *pen) fail(err error) {
	if p.err == nil && err != nil {
		p.err = err
	}
}

func (p *pen) use(s style) {
	if s.font != p.cur.font || s.size != p.cur.size {
		p.fail(p.pdf.SetFont(s.font, "", s.size))
	}
	if s.color != p.cur.color {
		p.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
	}
	p.cur = s
}

// width is the width of text in style s, in mm.
func (p *pen) width(s style, text string) float64 {
	p.use(s)
	w, err := p.pdf.MeasureTextWidth(text)
	p.fail(err)
	return w
}

// text draws text with its baseline at y.
func (p *pen) text(s style, x, y float64, text string) {
	if text == "" {
		return
	}
	p.use(s)
	p.pdf.SetXY(x, y)
	p.fail(p.pdf.Text(text))
}

// textRight draws text ending at x.
func (p *pen) textRight(s style, x, y float64, text string) {
	p.text(s, x-p.width(s, text), y, text)
}

// textCenter draws text centred on x.
func (p *pen) textCenter(s style, x, y float64, text string) {
	p.text(s, x-p.width(s, text)/2, y, text)
}

// wrap breaks text into lines no wider than width: at spaces, and inside a
// word only when the word alone is wider than the line (a codice fiscale in
// a narrow column, a long address without spaces). Line breaks in text are
// kept. It never returns a line wider than width, and at least one line.
func (p *pen) wrap(s style, text string, width float64) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = append(lines, p.wrapLine(s, para, width)...)
	}
	return lines
}

func (p *pen) wrapLine(s style, text string, width float64) []string {
	words := glueDashes(strings.Fields(text))
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line := ""
	for _, w := range words {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if p.width(s, try) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// The word alone does not fit: break it where it must.
		for p.width(s, w) > width {
			n := p.fitRunes(s, w, width)
			lines = append(lines, w[:n])
			w = w[n:]
		}
		line = w
	}
	return append(lines, line)
}

// wrapURL breaks an address into lines no wider than width, after a
// slash, a dot or a hyphen where it can, anywhere where it must.
func (p *pen) wrapURL(s style, url string, width float64) []string {
	var parts []string
	for rest := url; rest != ""; {
		i := strings.IndexAny(rest, "/.-")
		if i < 0 {
			parts = append(parts, rest)
			break
		}
		parts = append(parts, rest[:i+1])
		rest = rest[i+1:]
	}
	var lines []string
	line := ""
	for _, part := range parts {
		if p.width(s, line+part) <= width {
			line += part
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = part
		for p.width(s, line) > width {
			n := p.fitRunes(s, line, width)
			lines = append(lines, line[:n])
			line = line[n:]
		}
	}
	return append(lines, line)
}

// glueDashes joins a lone dash to the word after it (see paragraph).
func glueDashes(words []string) []string {
	out := words[:0:0]
	for i := 0; i < len(words); i++ {
		if isDash(words[i]) && i+1 < len(words) {
			out = append(out, words[i]+" "+words[i+1])
			i++
			continue
		}
		out = append(out, words[i])
	}
	return out
}

func isDash(s string) bool { return s == "-" || s == "–" || s == "—" }

// fitRunes returns the byte length of the longest prefix of w, at least one
// rune, no wider than width.
func (p *pen) fitRunes(s style, w string, width float64) int {
	n := 0
	for i, r := range w {
		end := i + utf8.RuneLen(r)
		if n > 0 && p.width(s, w[:end]) > width {
			break
		}
		n = end
	}
	return n
}

// span is a run of text in one style, within a paragraph.
type span struct {
	style style
	text  string
}

// word is a piece of a paragraph between spaces, in one style.
type word struct {
	style style
	text  string
	space bool // preceded by a space
	width float64
}

// paragraph lays spans out in lines no wider than width, the top of the
// first line at y, and returns the y below the last line; with draw false
// it only measures. Lines are as tall as the paragraph's tallest style.
func (p *pen) paragraph(spans []span, x, y, width float64, draw bool) float64 {
	var (
		words   []word
		cur     *word
		pending bool // a space since the last word
		lh      float64
		base    style
	)
	for _, sp := range spans {
		if sp.style.lineHeight() > lh {
			lh, base = sp.style.lineHeight(), sp.style
		}
		cur = nil // a new style starts a new word, glued to the last one unless a space came between
		for _, r := range sp.text {
			if r == ' ' {
				pending, cur = true, nil
				continue
			}
			if cur == nil {
				words = append(words, word{style: sp.style, space: pending && len(words) > 0})
				cur, pending = &words[len(words)-1], false
			}
			cur.text += string(r)
		}
	}
	// A dash between spaces starts a line, never ends one: a line ending
	// in "-" reads as a hyphenated word.
	for i := len(words) - 2; i >= 0; i-- {
		if isDash(words[i].text) && words[i+1].space && words[i+1].style == words[i].style {
			words[i+1].text = words[i].text + " " + words[i+1].text
			words[i+1].space = words[i].space
			words = append(words[:i], words[i+1:]...)
		}
	}
	// A word wider than the line breaks where it must, as in wrap.
	var split []word
	for _, w := range words {
		for i, part := range p.wrap(w.style, w.text, width) {
			split = append(split, word{style: w.style, text: part, space: w.space || i > 0, width: p.width(w.style, part)})
		}
	}
	spaceW := p.width(base, " ")

	var line []word
	used := 0.0
	flush := func() {
		if draw {
			cx := x
			for i, w := range line {
				if i > 0 && w.space {
					cx += spaceW
				}
				p.text(w.style, cx, y+base.ascent(), w.text)
				cx += w.width
			}
		}
		y += lh
		line, used = nil, 0
	}
	for _, w := range split {
		add := w.width
		if len(line) > 0 && w.space {
			add += spaceW
		}
		if len(line) > 0 && used+add > width {
			flush()
			add = w.width
		}
		line = append(line, w)
		used += add
	}
	if len(line) > 0 {
		flush()
	}
	return y
}

// rule draws a horizontal line.
func (p *pen) rule(c color, widthMM, x1, x2, y float64) {
	p.pdf.SetStrokeColor(c.r, c.g, c.b)
	p.pdf.SetLineWidth(widthMM)
	p.pdf.Line(x1, y, x2, y)
}

// box draws a rectangle's outline.
func (p *pen) box(c color, widthMM, x, y, w, h float64) {
	p.pdf.SetStrokeColor(c.r, c.g, c.b)
	p.pdf.SetLineWidth(widthMM)
	p.fail(p.pdf.Rectangle(x, y, x+w, y+h, "D", 0, 0))
}

// fill paints a rectangle.
func (p *pen) fill(c color, x, y, w, h float64) {
	p.pdf.SetFillColor(c.r, c.g, c.b)
	p.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}
