package ui

import (
	"context"
	"image/color"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/sportello/sportello/app/queue"
)

// BoardDeps is what the display board needs.
type BoardDeps struct {
	ComuneName string
	// State reads the board as the workstation last heard it from the hub;
	// Refresh, when set, first asks the hub for news (a sync round).
	State   func(ctx context.Context) (queue.State, error)
	Refresh func(ctx context.Context) error
	Chime   func() // a new call appeared; nil for silence
	Every   time.Duration
	Lang    string
}

// Board is the display board: the newest call in very large type, the
// calls before it, the people waiting per area. Readable from 5 metres:
// the number is 200 px high on a 1080 p screen, about 5 cm.
type Board struct {
	w      fyne.Window
	d      BoardDeps
	lang   lang
	ui     *bridge
	body   *fyne.Container
	last   string // the newest call shown, to chime on a new one
	loaded bool
	stop   context.CancelFunc
}

// NewBoard builds the board in w and starts following the queue.
func NewBoard(w fyne.Window, d BoardDeps) *Board { return newBoard(w, d, newBridge()) }

func newBoard(w fyne.Window, d BoardDeps, b *bridge) *Board {
	if d.Every <= 0 {
		d.Every = 2 * time.Second
	}
	fyne.CurrentApp().Settings().SetTheme(newKioskTheme())
	bd := &Board{w: w, d: d, lang: langFor(d.Lang), ui: b, body: container.NewStack()}
	w.SetContent(bd.body)
	bd.show(queue.State{})
	ctx, cancel := context.WithCancel(context.Background())
	bd.stop = cancel
	go bd.follow(ctx)
	return bd
}

// Close stops following the queue.
func (b *Board) Close() { b.stop() }

func (b *Board) follow(ctx context.Context) {
	for {
		if b.d.Refresh != nil {
			_ = b.d.Refresh(ctx) // offline: show what we have
		}
		if st, err := b.d.State(ctx); err == nil {
			b.ui.do(func() { b.update(st) })
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(b.d.Every):
		}
	}
}

func (b *Board) update(st queue.State) {
	newest := ""
	if len(st.Calls) > 0 {
		c := st.Calls[0]
		newest = c.Number + "@" + c.Counter + "@" + c.At.String()
	}
	if newest != b.last {
		if b.loaded && newest != "" && b.d.Chime != nil {
			go b.d.Chime()
		}
		b.last = newest
	}
	b.loaded = true // the calls of the first reading are not new: no chime at start
	b.show(st)
}

var (
	boardBG    = color.NRGBA{R: 0x0b, G: 0x1f, B: 0x3a, A: 0xff}
	boardLine  = color.NRGBA{R: 0x1d, G: 0x3b, B: 0x63, A: 0xff}
	boardWhite = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	boardAmber = color.NRGBA{R: 0xff, G: 0xc1, B: 0x07, A: 0xff}
	boardMuted = color.NRGBA{R: 0xb0, G: 0xc4, B: 0xde, A: 0xff}
)

func boardText(s string, size float32, c color.Color, bold bool) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.TextStyle.Bold = bold
	t.Alignment = fyne.TextAlignCenter
	return t
}

func (b *Board) show(st queue.State) {
	l := b.lang
	head := boardText(l.textf(msgBoardTitle, placeName(b.d.ComuneName)), 40, boardMuted, true)
	var main fyne.CanvasObject
	rows := container.NewVBox()
	if len(st.Calls) == 0 {
		main = container.NewCenter(boardText(l.text(msgBoardNone), 56, boardWhite, true))
	} else {
		c := st.Calls[0]
		main = container.NewVBox(
			container.NewGridWithColumns(2, boardText(l.text(msgBoardNumber), 40, boardMuted, false), boardText(l.text(msgBoardCounter), 40, boardMuted, false)),
			container.NewGridWithColumns(2, boardText(c.Number, 200, boardAmber, true), boardText(c.Counter, 200, boardAmber, true)),
		)
		for _, p := range st.Calls[1:min(len(st.Calls), 6)] {
			line := container.NewGridWithColumns(2, boardText(p.Number, 72, boardWhite, true), boardText(p.Counter, 72, boardWhite, true))
			rows.Add(container.NewStack(canvas.NewRectangle(boardLine), line))
		}
	}
	var waiting []string
	for a, n := range st.Waiting {
		if n > 0 {
			waiting = append(waiting, a+" "+strconv.Itoa(n))
		}
	}
	sort.Strings(waiting)
	foot := boardText("", 36, boardMuted, false)
	if len(waiting) > 0 {
		foot.Text = l.textf(msgBoardWaiting, strings.Join(waiting, "   "))
	}
	content := container.NewBorder(container.NewPadded(head), container.NewPadded(foot), nil, nil,
		container.NewVBox(main, layout.NewSpacer(), rows))
	b.body.Objects = []fyne.CanvasObject{canvas.NewRectangle(boardBG), container.NewPadded(content)}
	b.body.Refresh()
}
