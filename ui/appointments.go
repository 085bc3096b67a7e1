package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// AppointmentDesk books, moves and cancels appointments (queue.Service):
// the counter for the citizen of the open file, the kiosk for the citizen
// identified. Book, Move and Cancel wait a moment for the hub: a refusal
// (a slot taken meanwhile) comes back as ECONFLICT with the hub's message;
// offline the change waits in the outbox, Booking.Confirmed false.
type AppointmentDesk interface {
	Areas(ctx context.Context) ([]queue.Area, error)
	BookableAreas(ctx context.Context, days int) ([]queue.Area, error)
	FreeSlots(ctx context.Context, area string, days int) ([]queue.Slot, error)
	Appointments(ctx context.Context, codiceFiscale string) ([]queue.Appointment, error)
	Book(ctx context.Context, by, slot, codiceFiscale, name string) (queue.Booking, error)
	Move(ctx context.Context, by string, a queue.Appointment, slot string) (queue.Booking, error)
	Cancel(ctx context.Context, by string, a queue.Appointment) (queue.Booking, error)
}

// bookingDays is how far ahead appointments are offered.
const bookingDays = queue.BookingDays

// The booking form's size in the counter's window.
const (
	bookingWidth  = 820
	bookingHeight = 560
)

// queueUI is the counter's state of the queue's dialogs: the booking form
// and the statistics, closed at logout and idle lock with the others.
type queueUI struct {
	bar     *queueBar // the "call next" strip of the session
	card    *apptCard // of the file shown
	booking *bookingForm
	stats   *statsScreen
	confirm dialog.Dialog // "cancel the appointment?"
}

// closeQueueDialogs closes the booking form and the statistics.
func (c *Counter) closeQueueDialogs() {
	if c.queue == nil {
		return
	}
	if c.queue.booking != nil {
		c.queue.booking.close()
	}
	if c.queue.stats != nil {
		c.queue.stats.close()
	}
	if c.queue.confirm != nil {
		c.queue.confirm.Hide()
		c.queue.confirm = nil
	}
}

// queueDialogOpen reports whether the booking form or the statistics are
// open.
func (c *Counter) queueDialogOpen() bool {
	return c.queue != nil && (c.queue.booking != nil || c.queue.stats != nil || c.queue.confirm != nil)
}

// apptCard is the "Appuntamenti" card of the citizen file: the person's
// appointments, with move and cancel for those still booked, the button
// that books a new one, and what the last change did.
type apptCard struct {
	f      *fileScreen
	cf     string
	name   string
	box    *fyne.Container
	notice *fyne.Container
	areas  map[string]queue.Area
	appts  []queue.Appointment
}

// appointmentsSection is the card, or nil on a workstation without
// appointments.
func (f *fileScreen) appointmentsSection() fyne.CanvasObject {
	c := f.c
	if c.d.Appointments == nil || f.file == nil {
		return nil
	}
	card := &apptCard{f: f, cf: f.file.Citizen.CodiceFiscale, name: displayName(f.file.Citizen.Surname, f.file.Citizen.GivenName),
		box: container.NewVBox(), notice: container.NewVBox()}
	c.queueState().card = card
	book := widget.NewButtonWithIcon(c.lang.text(msgApptBook), theme.ContentAddIcon(), card.onBook)
	card.box.Add(quiet(c.lang.text(msgLoading), fyne.TextStyle{Italic: true}, ""))
	card.reload()
	return newSection(c.lang.text(msgAppointments), container.NewVBox(card.notice, card.box, container.NewHBox(book)))
}

type apptList struct {
	areas []queue.Area
	appts []queue.Appointment
	err   error
}

// reload reads the person's appointments again.
func (a *apptCard) reload() {
	c, ctx, cf, desk := a.f.c, a.f.c.session, a.cf, a.f.c.d.Appointments
	inBackground(c.ui, func() apptList {
		areas, err := desk.Areas(ctx)
		if err != nil {
			return apptList{err: err}
		}
		as, err := desk.Appointments(ctx, cf)
		return apptList{areas, as, err}
	}, func(r apptList) {
		if ctx.Err() != nil || !a.current() {
			return
		}
		a.show(r)
	})
}

// current reports whether the card is still the one of the file shown.
func (a *apptCard) current() bool {
	q := a.f.c.queue
	return q != nil && q.card == a && a.f.c.file == a.f && a.f.file != nil && a.f.file.Citizen.CodiceFiscale == a.cf
}

func (a *apptCard) show(r apptList) {
	l := a.f.c.lang
	a.box.Objects = nil
	if r.err != nil {
		a.box.Add(note(app.ErrorMessage(r.err), true))
		a.box.Refresh()
		return
	}
	a.areas = map[string]queue.Area{}
	for _, ar := range r.areas {
		a.areas[ar.Code] = ar
	}
	a.appts = r.appts
	now := a.f.c.d.Now()
	for _, ap := range r.appts {
		ap := ap
		if ap.Status == queue.Cancelled && ap.Start.Before(now) {
			continue // a past cancellation is no longer news
		}
		line := wrapped(l.textf(msgApptLine, l.when(ap.Start), a.areaName(ap.Area), ap.Counter, l.apptStatus(ap.Status)))
		row := container.NewBorder(nil, nil, nil, nil, line)
		if ap.Status == queue.Booked && ap.Start.After(now) {
			move := widget.NewButton(l.text(msgApptMove), func() { a.onMove(ap) })
			cancel := widget.NewButton(l.text(msgCancel), func() { a.onCancel(ap) })
			cancel.Importance = widget.DangerImportance
			row = container.NewBorder(nil, nil, nil, container.NewHBox(move, cancel), line)
		}
		a.box.Add(row)
	}
	if len(a.box.Objects) == 0 {
		a.box.Add(quiet(l.text(msgApptNone), fyne.TextStyle{Italic: true}, ""))
	}
	a.box.Refresh()
}

func (a *apptCard) areaName(code string) string {
	if ar, ok := a.areas[code]; ok {
		if a.f.c.lang == langEN && ar.NameEN != "" {
			return ar.NameEN
		}
		return ar.Name
	}
	return code
}

// tell shows what the last change did, above the list.
func (a *apptCard) tell(text string, warn bool) {
	a.notice.Objects = []fyne.CanvasObject{newNotice(text, warn)}
	a.notice.Refresh()
}

func (a *apptCard) onBook() {
	c := a.f.c
	if c.op == nil || c.queueDialogOpen() || c.dialogOpen() {
		return
	}
	c.touch()
	newBookingForm(a, nil).show()
}

func (a *apptCard) onMove(ap queue.Appointment) {
	c := a.f.c
	if c.op == nil || c.queueDialogOpen() || c.dialogOpen() {
		return
	}
	c.touch()
	newBookingForm(a, &ap).show()
}

func (a *apptCard) onCancel(ap queue.Appointment) {
	c := a.f.c
	if c.op == nil || c.dialogOpen() {
		return
	}
	c.touch()
	l := c.lang
	what := l.textf(msgApptLine, l.when(ap.Start), a.areaName(ap.Area), ap.Counter, l.apptStatus(ap.Status))
	var dlg dialog.Dialog
	dlg = dialog.NewCustomConfirm(l.textf(msgApptConfirmCancel, a.name), l.text(msgApptConfirmYes), l.text(msgBack),
		wrapped(what), func(yes bool) {
			if q := c.queue; q != nil && q.confirm == dlg {
				q.confirm = nil
			}
			if !yes || c.op == nil {
				return
			}
			c.touch()
			a.cancel(ap)
		}, c.w)
	c.queueState().confirm = dlg
	dlg.Show()
}

type bookingResult struct {
	b   queue.Booking
	err error
}

func (a *apptCard) cancel(ap queue.Appointment) {
	c := a.f.c
	ctx, by, desk := c.session, c.op.Username, c.d.Appointments
	l := c.lang
	when := l.textf(msgApptWhen, l.day(ap.Start), ap.Start.In(app.Rome).Format("15:04"))
	inBackground(c.ui, func() bookingResult {
		b, err := desk.Cancel(ctx, by, ap)
		return bookingResult{b, err}
	}, func(r bookingResult) {
		if ctx.Err() != nil || !a.current() {
			return
		}
		if r.err != nil {
			a.tell(app.ErrorMessage(r.err), true)
			return
		}
		a.told(l.textf(msgApptDoneCancelled, when), r.b)
		a.reload()
	})
}

// told shows the outcome of a change: confirmed by the hub, or waiting for
// the network.
func (a *apptCard) told(text string, b queue.Booking) {
	if !b.Confirmed {
		a.tell(a.f.c.lang.textf(msgApptPending, text), true)
		return
	}
	a.tell(text, false)
}

// bookingForm is the dialog that books (or moves) an appointment: the
// service, then the day, then a free time of that day; the button books
// the time chosen. A slot taken meanwhile is refused with the hub's
// message and the free times are read again.
type bookingForm struct {
	card   *apptCard
	c      *Counter
	moving *queue.Appointment // nil for a new booking

	area    *widget.Select
	areas   []queue.Area
	day     *widget.Select
	days    []string // the day labels of day's options, in order
	times   *fyne.Container
	slots   []queue.Slot
	chosen  *queue.Slot
	message *fyne.Container
	problem string // the hub's refusal, shown until another time is chosen
	submit  *widget.Button
	dlg     *dialog.CustomDialog
	busy    bool
}

func newBookingForm(card *apptCard, moving *queue.Appointment) *bookingForm {
	c := card.f.c
	l := c.lang
	fm := &bookingForm{card: card, c: c, moving: moving, times: container.NewGridWithColumns(6), message: container.NewVBox()}
	fm.area = widget.NewSelect(nil, fm.onArea)
	fm.area.PlaceHolder = l.text(msgService)
	fm.day = widget.NewSelect(nil, fm.onDay)
	fm.day.PlaceHolder = l.text(msgDay)
	label := msgApptSubmitBook
	title := l.textf(msgApptFormTitle, card.name)
	if moving != nil {
		label, title = msgApptSubmitMove, l.textf(msgApptMoveTitle, card.name)
	}
	fm.submit = widget.NewButtonWithIcon(l.text(label), theme.ConfirmIcon(), fm.onSubmit)
	fm.submit.Importance = widget.HighImportance
	fm.submit.Disable()
	closeButton := widget.NewButtonWithIcon(l.text(msgClose), theme.CancelIcon(), fm.close)
	form := container.NewVBox(
		container.New(layout.NewFormLayout(), widget.NewLabel(l.text(msgService)), fm.area, widget.NewLabel(l.text(msgDay)), fm.day),
		widget.NewLabel(l.text(msgApptPickTime)),
	)
	content := container.NewBorder(form, fm.message, nil, nil, container.NewVScroll(container.NewVBox(fm.times)))
	fm.dlg = dialog.NewCustomWithoutButtons(title, content, c.w)
	fm.dlg.SetButtons([]fyne.CanvasObject{closeButton, fm.submit})
	fm.dlg.Resize(fyne.NewSize(bookingWidth, bookingHeight))
	return fm
}

func (fm *bookingForm) show() {
	fm.c.queueState().booking = fm
	fm.dlg.Show()
	fm.loadAreas()
}

func (fm *bookingForm) close() {
	if fm.c.queue != nil && fm.c.queue.booking == fm {
		fm.c.queue.booking = nil
	}
	fm.dlg.Hide()
}

func (fm *bookingForm) open() bool { return fm.c.queue != nil && fm.c.queue.booking == fm }

type areasList struct {
	areas []queue.Area
	err   error
}

func (fm *bookingForm) loadAreas() {
	c, ctx, desk := fm.c, fm.c.session, fm.c.d.Appointments
	fm.say(c.lang.text(msgLoading), false)
	inBackground(c.ui, func() areasList {
		as, err := desk.BookableAreas(ctx, bookingDays)
		return areasList{as, err}
	}, func(r areasList) {
		if ctx.Err() != nil || !fm.open() {
			return
		}
		if r.err != nil {
			fm.say(app.ErrorMessage(r.err), true)
			return
		}
		fm.areas = nil
		var names []string
		for _, a := range r.areas {
			if fm.moving != nil && a.Code != fm.moving.Area {
				continue // an appointment moves within its service
			}
			fm.areas = append(fm.areas, a)
			names = append(names, fm.areaLabel(a))
		}
		fm.say("", false)
		if len(names) == 0 {
			fm.say(c.lang.text(msgApptNoAreas), true)
			return
		}
		fm.area.Options = names
		fm.area.SetSelectedIndex(0)
	})
}

func (fm *bookingForm) areaLabel(a queue.Area) string {
	if fm.c.lang == langEN && a.NameEN != "" {
		return a.NameEN
	}
	return a.Name
}

type slotsList struct {
	slots []queue.Slot
	err   error
}

// onArea reads the free slots of the area chosen.
func (fm *bookingForm) onArea(string) {
	i := fm.area.SelectedIndex()
	if i < 0 || i >= len(fm.areas) {
		return
	}
	fm.c.touch()
	fm.problem = ""
	fm.loadSlots(fm.areas[i].Code, "")
}

// loadSlots reads the free slots of area and shows the days that have
// some, keeping keepDay chosen when it still has one.
func (fm *bookingForm) loadSlots(area, keepDay string) {
	c, ctx, desk := fm.c, fm.c.session, fm.c.d.Appointments
	fm.choose(nil)
	inBackground(c.ui, func() slotsList {
		s, err := desk.FreeSlots(ctx, area, bookingDays)
		return slotsList{s, err}
	}, func(r slotsList) {
		if ctx.Err() != nil || !fm.open() {
			return
		}
		if r.err != nil {
			fm.say(app.ErrorMessage(r.err), true)
			return
		}
		fm.slots = r.slots
		fm.days = nil
		for _, s := range r.slots {
			d := fm.c.lang.day(s.Start)
			if len(fm.days) == 0 || fm.days[len(fm.days)-1] != d {
				fm.days = append(fm.days, d)
			}
		}
		fm.day.Options = fm.days
		fm.day.ClearSelected()
		fm.times.Objects = nil
		fm.times.Refresh()
		if len(fm.days) == 0 {
			fm.say(c.lang.textf(msgApptNoSlots, bookingDays), true)
			return
		}
		pick := 0
		for i, d := range fm.days {
			if d == keepDay {
				pick = i
			}
		}
		fm.day.SetSelectedIndex(pick)
	})
}

// onDay shows the free times of the day chosen, one button each.
func (fm *bookingForm) onDay(day string) {
	fm.c.touch()
	fm.choose(nil)
	fm.times.Objects = nil
	for i := range fm.slots {
		s := &fm.slots[i]
		if fm.c.lang.day(s.Start) != day {
			continue
		}
		fm.times.Add(widget.NewButton(fm.timeLabel(s), func() { fm.c.touch(); fm.choose(s) }))
	}
	fm.times.Refresh()
}

// counters is how many counters offer slots on day: the counter is named
// on the buttons only when there is a choice.
func (fm *bookingForm) counters(day string) int {
	seen := map[string]bool{}
	for _, s := range fm.slots {
		if fm.c.lang.day(s.Start) == day {
			seen[s.Counter] = true
		}
	}
	return len(seen)
}

// choose marks s as the time to book (nil: none) and enables the button.
func (fm *bookingForm) choose(s *queue.Slot) {
	fm.chosen = s
	for _, o := range fm.times.Objects {
		if b, ok := o.(*widget.Button); ok {
			b.Importance = widget.MediumImportance
			if s != nil && b.Text == fm.timeLabel(s) {
				b.Importance = widget.HighImportance
			}
			b.Refresh()
		}
	}
	if s == nil || fm.busy {
		fm.submit.Disable()
		if s == nil {
			fm.say(fm.problem, fm.problem != "")
		}
		return
	}
	fm.problem = ""
	fm.submit.Enable()
	l := fm.c.lang
	fm.say(l.textf(msgApptChosen, fm.areaLabel(fm.areas[max(fm.area.SelectedIndex(), 0)]), fm.slotText(s)), false)
}

func (fm *bookingForm) timeLabel(s *queue.Slot) string {
	label := s.Start.In(app.Rome).Format("15:04")
	if fm.counters(fm.c.lang.day(s.Start)) > 1 {
		label += " · " + fm.c.lang.textf(msgQueueCounter, s.Counter)
	}
	return label
}

// slotText is a slot as the person is told it: "mar 12/05/2026 alle
// 09:20, sportello 1".
func (fm *bookingForm) slotText(s *queue.Slot) string {
	l := fm.c.lang
	return l.textf(msgApptWhen, l.day(s.Start), s.Start.In(app.Rome).Format("15:04")) + ", " + l.textf(msgApptCounter, s.Counter)
}

// say shows a line under the times: the choice, or what went wrong.
func (fm *bookingForm) say(text string, isError bool) {
	fm.message.Objects = nil
	if text != "" {
		fm.message.Add(note(text, isError))
	}
	fm.message.Refresh()
}

func (fm *bookingForm) onSubmit() {
	c := fm.c
	if fm.chosen == nil || fm.busy || c.op == nil {
		return
	}
	c.touch()
	fm.busy = true
	fm.submit.Disable()
	ctx, by, desk, s, card := c.session, c.op.Username, c.d.Appointments, *fm.chosen, fm.card
	moving := fm.moving
	day := c.lang.day(s.Start)
	inBackground(c.ui, func() bookingResult {
		var b queue.Booking
		var err error
		if moving != nil {
			b, err = desk.Move(ctx, by, *moving, s.ID)
		} else {
			b, err = desk.Book(ctx, by, s.ID, card.cf, card.name)
		}
		return bookingResult{b, err}
	}, func(r bookingResult) {
		if ctx.Err() != nil {
			return
		}
		fm.busy = false
		if r.err != nil {
			if fm.open() {
				fm.problem = app.ErrorMessage(r.err)
				fm.loadSlots(s.Area, day) // the slot may have gone: show what is still free
			}
			return
		}
		fm.close()
		if card.current() {
			done := msgApptDoneBooked
			if moving != nil {
				done = msgApptDoneMoved
			}
			card.told(c.lang.textf(done, card.areaName(s.Area)+", "+fm.slotText(&s)), r.b)
			card.reload()
		}
	})
}

// queueState is the counter's queue state, made on first use.
func (c *Counter) queueState() *queueUI {
	if c.queue == nil {
		c.queue = &queueUI{}
	}
	return c.queue
}

// when writes an appointment's time: "mar 12/05/2026 alle 09:20".
func (l lang) when(t time.Time) string {
	return l.textf(msgApptWhen, l.day(t), t.In(app.Rome).Format("15:04"))
}

// day writes the day of t in the comune with its weekday: "mar 12/05/2026".
func (l lang) day(t time.Time) string {
	t = t.In(app.Rome)
	return l.text(weekdays[t.Weekday()]) + " " + t.Format(dateLayout)
}

// weekdays are the short names of the days, from Sunday as time.Weekday counts.
var weekdays = [...]msg{msgSunday, msgMonday, msgTuesday, msgWednesday, msgThursday, msgFriday, msgSaturday}

func (l lang) apptStatus(s queue.AppointmentStatus) string {
	switch s {
	case queue.CheckedIn:
		return l.text(msgApptCheckedIn)
	case queue.Cancelled:
		return l.text(msgStatusCancelled)
	}
	return l.text(msgApptBooked)
}
