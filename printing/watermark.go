package printing

import (
	"fmt"
	"math"
	"sync"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/sportello/sportello/assets"
)

// The watermark of a duplicate is drawn as the outlines of its letters,
// not as text: diagonal text would break the page's extracted text (what
// pdftotext, a screen reader or a copy and paste read) into fragments.
// The horizontal DUPLICATO mark under the title says it in words.

// outline is the watermark's text as polygons, in millimetres from the
// start of its baseline, y down: letters' outer contours and their holes.
type outline struct {
	width  float64 // advance of the whole text
	height float64 // cap height
	outer  [][]gopdf.Point
	holes  [][]gopdf.Point
}

const (
	watermarkText = "DUPLICATO"
	watermarkPt   = 110.0 // size in points
)

var watermarkOutline = sync.OnceValues(func() (*outline, error) {
	return textOutline(assets.TitilliumBold, watermarkText, watermarkPt)
})

// textOutline converts text set in the TrueType font at size points to
// polygons, curves flattened to segments far finer than the printer's dot.
func textOutline(ttf []byte, text string, size float64) (*outline, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("watermark font: %w", err)
	}
	var buf sfnt.Buffer
	// Work in units of 1/64 point at 64× the size, for precision.
	ppem := fixed.Int26_6(size * 64)
	toMM := func(v fixed.Int26_6) float64 { return float64(v) / 64 * ptMM }
	o := &outline{}
	x := 0.0
	var prev sfnt.GlyphIndex
	for i, r := range text {
		g, err := f.GlyphIndex(&buf, r)
		if err != nil || g == 0 {
			return nil, fmt.Errorf("watermark font has no %q", r)
		}
		if i > 0 {
			if k, err := f.Kern(&buf, prev, g, ppem, font.HintingNone); err == nil {
				x += toMM(k)
			}
		}
		segs, err := f.LoadGlyph(&buf, g, ppem, nil)
		if err != nil {
			return nil, fmt.Errorf("watermark glyph %q: %w", r, err)
		}
		var contours [][]gopdf.Point
		var cur []gopdf.Point
		last := gopdf.Point{}
		pt := func(p fixed.Point26_6) gopdf.Point { return gopdf.Point{X: x + toMM(p.X), Y: toMM(p.Y)} }
		for _, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if len(cur) > 2 {
					contours = append(contours, cur)
				}
				last = pt(s.Args[0])
				cur = []gopdf.Point{last}
			case sfnt.SegmentOpLineTo:
				last = pt(s.Args[0])
				cur = append(cur, last)
			case sfnt.SegmentOpQuadTo:
				c, end := pt(s.Args[0]), pt(s.Args[1])
				for k := 1; k <= 8; k++ {
					t := float64(k) / 8
					cur = append(cur, gopdf.Point{
						X: (1-t)*(1-t)*last.X + 2*(1-t)*t*c.X + t*t*end.X,
						Y: (1-t)*(1-t)*last.Y + 2*(1-t)*t*c.Y + t*t*end.Y,
					})
				}
				last = end
			case sfnt.SegmentOpCubeTo:
				c1, c2, end := pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2])
				for k := 1; k <= 10; k++ {
					t := float64(k) / 10
					u := 1 - t
					cur = append(cur, gopdf.Point{
						X: u*u*u*last.X + 3*u*u*t*c1.X + 3*u*t*t*c2.X + t*t*t*end.X,
						Y: u*u*u*last.Y + 3*u*u*t*c1.Y + 3*u*t*t*c2.Y + t*t*t*end.Y,
					})
				}
				last = end
			}
		}
		if len(cur) > 2 {
			contours = append(contours, cur)
		}
		// A glyph's outer contours turn one way and its holes the other:
		// the largest contour tells which way is outer.
		outerSign := 0.0
		biggest := 0.0
		for _, c := range contours {
			if a := area(c); math.Abs(a) > biggest {
				biggest, outerSign = math.Abs(a), math.Copysign(1, a)
			}
		}
		for _, c := range contours {
			if math.Copysign(1, area(c)) == outerSign {
				o.outer = append(o.outer, c)
			} else {
				o.holes = append(o.holes, c)
			}
		}
		adv, err := f.GlyphAdvance(&buf, g, ppem, font.HintingNone)
		if err != nil {
			return nil, fmt.Errorf("watermark glyph %q: %w", r, err)
		}
		x += toMM(adv)
		prev = g
	}
	o.width = x
	if m, err := f.Metrics(&buf, ppem, font.HintingNone); err == nil {
		o.height = toMM(m.CapHeight)
	}
	return o, nil
}

// area is the signed area of a polygon (shoelace formula).
func area(c []gopdf.Point) float64 {
	a := 0.0
	for i := range c {
		j := (i + 1) % len(c)
		a += c[i].X*c[j].Y - c[j].X*c[i].Y
	}
	return a / 2
}

// watermark draws the outline centred on the page along its diagonal. It
// must come first on the page: the holes of the letters are painted white,
// over nothing but paper.
func (l *layout) watermark() {
	o, err := watermarkOutline()
	if err != nil {
		l.p.fail(err)
		return
	}
	pdf := l.p.pdf
	angle := math.Atan2(pageH, pageW) * 180 / math.Pi // the page's diagonal
	pdf.Rotate(angle, pageW/2, pageH/2)
	x0, y0 := pageW/2-o.width/2, pageH/2+o.height/2
	shift := func(c []gopdf.Point) []gopdf.Point {
		out := make([]gopdf.Point, len(c))
		for i, p := range c {
			out[i] = gopdf.Point{X: x0 + p.X, Y: y0 + p.Y}
		}
		return out
	}
	pdf.SetFillColor(colorWater.r, colorWater.g, colorWater.b)
	for _, c := range o.outer {
		pdf.Polygon(shift(c), "F")
	}
	pdf.SetFillColor(255, 255, 255)
	for _, c := range o.holes {
		pdf.Polygon(shift(c), "F")
	}
	pdf.RotateReset()
}
