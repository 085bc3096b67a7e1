package ui

import (
	"image"
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Charts are drawn by gonum.org/v1/plot into an image that a canvas.Image
// shows: the library draws axes, ticks, legends and grouped bars with its
// own fonts, so a chart reads the same on every workstation, and the
// dashboard's tests can look at its pixels.

// chartSeries is one colour of a bar chart: a value for each category.
type chartSeries struct {
	name   string
	values []float64
}

// The size a chart is drawn at, in pixels; the image scales to its place.
const (
	chartWidth  = 1000
	chartHeight = 250
)

// How a chart draws its series.
type chartKind int

const (
	countsStacked  chartKind = iota // counts that add up: one bar per category, whole ticks
	amountsStacked                  // amounts that add up: one bar per category
	sideBySide                      // values that do not add up (means): a bar per series
)

// barChart draws horizontal bars, a row per category (the category's name
// on the left, where long names fit) and a colour per series, with a
// legend when there is more than one series. It returns nil when there is
// nothing to draw.
func barChart(title string, kind chartKind, categories []string, series []chartSeries) image.Image {
	if len(categories) == 0 || len(series) == 0 {
		return nil
	}
	p := plot.New()
	sans(p)
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.X.Min = 0
	if kind == countsStacked {
		p.X.Tick.Marker = wholeTicks{}
	}
	p.BackgroundColor = color.White
	labels := make([]string, len(categories))
	for i, c := range categories {
		labels[i] = shorten(c, 34)
	}
	// Bars read top to bottom in the order given: the Y axis grows upwards.
	rev := func(vs []float64) plotter.Values {
		out := make(plotter.Values, len(vs))
		for i, v := range vs {
			out[len(vs)-1-i] = v
		}
		return out
	}
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	groups := len(categories)
	// A group takes at most three quarters of its band of the axis.
	band := vg.Length(chartHeight-60) * vg.Inch / 96 / vg.Length(groups)
	bar := max(min(band*3/4, vg.Points(24)), 2)
	if kind == sideBySide {
		bar = max(bar/vg.Length(len(series)), 2)
	}
	var below *plotter.BarChart
	for i, s := range series {
		b, err := plotter.NewBarChart(rev(s.values), bar)
		if err != nil {
			return nil
		}
		b.Horizontal = true
		b.LineStyle.Width = 0
		b.Color = plotutil.Color(i)
		if kind == sideBySide {
			// The group's bars side by side, centred on the category,
			// the first on top as the legend lists it.
			b.Offset = (vg.Length(len(series)-1)/2 - vg.Length(i)) * bar
		} else if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		if len(series) > 1 {
			p.Legend.Add(s.name, b)
		}
	}
	p.NominalY(labels...)
	p.Legend.Top = true
	if len(series) > 1 {
		// Room on the right for the legend, clear of the longest bar.
		p.X.Max = max(p.X.Max*1.25, 1)
	}
	p.Add(plotter.NewGrid())
	c := vgimg.NewWith(vgimg.UseWH(vg.Length(chartWidth)*vg.Inch/96, vg.Length(chartHeight)*vg.Inch/96), vgimg.UseDPI(96))
	dc := draw.New(c)
	p.Draw(dc)
	return c.Image()
}

// sans writes the chart in Liberation Sans (embedded by gonum), like the
// sans-serif of the counter's screens, rather than the default serif.
func sans(p *plot.Plot) {
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Typeface, f.Variant = "Liberation", "Sans"
	}
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	p.Legend.TextStyle.Font.Size = vg.Points(11)
}

// wholeTicks marks an axis of counts at whole numbers only.
type wholeTicks struct{}

func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	step := max(1, math.Ceil((hi-lo)/8))
	var out []plot.Tick
	for v := math.Ceil(lo); v <= hi; v += step {
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	return out
}

// shorten cuts a name to n runes, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// chartImage is the chart on screen, or nil when there is none.
func chartImage(img image.Image) fyne.CanvasObject {
	if img == nil {
		return nil
	}
	ci := canvas.NewImageFromImage(img)
	ci.FillMode = canvas.ImageFillContain
	ci.ScaleMode = canvas.ImageScaleSmooth
	ci.SetMinSize(fyne.NewSize(chartWidth*0.85, chartHeight*0.85))
	return ci
}
