package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// QueueDesk is the queue as a counter works it (queue.Service and the
// workstation's counter number).
type QueueDesk interface {
	Areas(ctx context.Context) ([]queue.Area, error)
	CallNext(ctx context.Context, operator, counter string, areas []string) (*queue.Ticket, error)
	Act(ctx context.Context, operator, counter string, t queue.Ticket, a queue.Action, toArea string) (queue.Ticket, error)
}

// queueBar is the counter's "call next" strip under the header: the
// counter's number, the areas it serves, the ticket at the counter with
// recall, no-show, transfer and served. Calling a ticket linked to a
// citizen identified at the kiosk opens that citizen's file.
type queueBar struct {
	c       *Counter
	counter string
	box     *fyne.Container
	current *queue.Ticket
	areas   []queue.Area
	serve   map[string]bool
	label   *widget.Label
	actions *fyne.Container
	ticketX *widget.Select
}

func newQueueBar(c *Counter) fyne.CanvasObject {
	if c.d.Queue == nil {
		return nil
	}
	b := &queueBar{c: c, counter: c.d.QueueCounter, serve: map[string]bool{}}
	if b.counter == "" {
		b.counter = queue.DevicePrefix(c.d.Profile.Device)
	}
	l := c.lang
	call := widget.NewButtonWithIcon(l.text(msgQueueCallNext), theme.MediaPlayIcon(), b.onCallNext)
	call.Importance = widget.HighImportance
	b.label = widget.NewLabel(l.text(msgQueueNobody))
	b.label.TextStyle.Bold = true
	b.actions = container.NewHBox()
	areasBox := container.NewHBox()
	b.box = container.NewHBox(widget.NewLabel(l.textf(msgQueueCounter, b.counter)), areasBox, call, b.label, b.actions)
	var tools []fyne.CanvasObject
	if c.d.Appointments != nil {
		tools = append(tools, widget.NewButtonWithIcon(l.text(msgApptBook), theme.ContentAddIcon(), b.onBook))
	}
	if c.canSeeStats() {
		tools = append(tools, widget.NewButtonWithIcon(l.text(msgStatsButton), theme.InfoIcon(), c.onStats))
	}
	c.queueState().bar = b
	ctx, desk := c.session, c.d.Queue
	inBackground(c.ui, func() []queue.Area { a, _ := desk.Areas(ctx); return a }, func(as []queue.Area) {
		b.areas = as
		for _, a := range as {
			a := a
			b.serve[a.Code] = true
			chk := newAreaCheck(a.Code, func(on bool) { b.serve[a.Code] = on }, c.onCallNext)
			chk.SetChecked(true)
			areasBox.Add(chk)
		}
	})
	return container.NewPadded(container.NewBorder(nil, nil, nil, container.NewHBox(tools...), b.box))
}

// onBook books an appointment for the citizen of the open file.
func (b *queueBar) onBook() {
	c := b.c
	if q := c.queue; q != nil && q.card != nil && q.card.current() {
		q.card.onBook()
		return
	}
	b.label.SetText(c.lang.text(msgApptNeedFile))
}

// onCallNext is F2: "call next" from wherever the keyboard is on the
// counter's screen. Fyne makes a shortcut only of a key with Ctrl, Alt or
// Super, so a bare F2 is a typed key: it reaches the focused widget's
// TypedKey, or the window's when none has the focus. Each widget of the
// screen that takes the keyboard (the search box, the result and family
// lists, the area checks) passes F2 here, as the window does; a dialog
// open over the screen keeps it.
func (c *Counter) onCallNext() {
	if c.queue == nil || c.queue.bar == nil || c.op == nil || c.dialogOpen() {
		return
	}
	c.queue.bar.onCallNext()
}

// areaCheck is an area's check in the strip: tapping it takes the
// keyboard, and F2 must still call.
type areaCheck struct {
	widget.Check
	onF2 func()
}

func newAreaCheck(label string, changed func(bool), onF2 func()) *areaCheck {
	a := &areaCheck{onF2: onF2}
	a.Text, a.OnChanged = label, changed
	a.ExtendBaseWidget(a)
	return a
}

// TypedKey passes F2 on; the other keys are the check's (Space toggles).
func (a *areaCheck) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyF2 {
		a.onF2()
		return
	}
	a.Check.TypedKey(ev)
}

type callResult struct {
	t   *queue.Ticket
	err error
}

func (b *queueBar) served() []string {
	var out []string
	for _, a := range b.areas {
		if b.serve[a.Code] {
			out = append(out, a.Code)
		}
	}
	return out
}

func (b *queueBar) onCallNext() {
	c := b.c
	if c.op == nil {
		return
	}
	c.touch()
	ctx, op, areas := c.session, c.op.Username, b.served()
	b.label.SetText(c.lang.text(msgQueueCalling))
	inBackground(c.ui, func() callResult {
		t, err := c.d.Queue.CallNext(ctx, op, b.counter, areas)
		return callResult{t, err}
	}, func(r callResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			b.label.SetText(app.ErrorMessage(r.err))
			return
		}
		b.show(r.t)
		if r.t != nil && r.t.CodiceFiscale != "" {
			c.openFile(r.t.CodiceFiscale)
		}
	})
}

func (b *queueBar) show(t *queue.Ticket) {
	l := b.c.lang
	b.current = t
	b.actions.Objects = nil
	if t == nil || t.Status != queue.Called {
		b.label.SetText(l.text(msgQueueNobody))
		b.actions.Refresh()
		return
	}
	text := l.textf(msgQueueCurrent, t.Number)
	if t.CodiceFiscale != "" {
		text = l.textf(msgQueueLinked, text)
	}
	b.label.SetText(text)
	var others []string
	for _, a := range b.areas {
		if a.Code != t.Area {
			others = append(others, a.Code+" "+a.Name)
		}
	}
	b.ticketX = widget.NewSelect(others, func(s string) {
		if s != "" {
			b.act(queue.ActionTransfer, s[:1])
		}
	})
	b.ticketX.PlaceHolder = l.text(msgQueueTransferTo)
	b.actions.Objects = []fyne.CanvasObject{
		widget.NewButton(l.text(msgQueueRecall), func() { b.act(queue.ActionRecall, "") }),
		widget.NewButton(l.text(msgQueueSkip), func() { b.act(queue.ActionSkip, "") }),
		b.ticketX,
		widget.NewButtonWithIcon(l.text(msgQueueServe), theme.ConfirmIcon(), func() { b.act(queue.ActionServe, "") }),
	}
	b.actions.Refresh()
}

func (b *queueBar) act(a queue.Action, to string) {
	c := b.c
	if b.current == nil || c.op == nil {
		return
	}
	c.touch()
	ctx, op, t := c.session, c.op.Username, *b.current
	inBackground(c.ui, func() callResult {
		nt, err := c.d.Queue.Act(ctx, op, b.counter, t, a, to)
		return callResult{&nt, err}
	}, func(r callResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			b.label.SetText(app.ErrorMessage(r.err))
			return
		}
		b.show(r.t)
	})
}
