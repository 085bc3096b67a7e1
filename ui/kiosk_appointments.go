package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// The identified citizen's appointments at the kiosk: the list of their
// own, each booked one with its cancel; booking a new one by service, day
// and time, in large touch targets, confirmed once more before it is
// booked. The check-in is on the menu (kiosk_menu.go) when an appointment
// is due.

// kioskBy is who books at this kiosk, as the hub records it.
func (k *Kiosk) kioskBy() string { return kiosk.Operator(k.d.Device).Username }

type kioskAppts struct {
	areas []queue.Area
	appts []queue.Appointment
	err   error
}

// showAppointments lists the citizen's appointments still to come.
func (k *Kiosk) showAppointments() {
	if !k.session.Active() || k.d.Appointments == nil {
		return
	}
	ctx, cf, desk := k.ctx, k.session.Citizen.CodiceFiscale, k.d.Appointments
	inBackground(k.ui, func() kioskAppts {
		areas, err := desk.Areas(ctx)
		if err != nil {
			return kioskAppts{err: err}
		}
		as, err := desk.Appointments(ctx, cf)
		return kioskAppts{areas, as, err}
	}, func(r kioskAppts) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("appointments", newKioskAppointmentsScreen(k, r))
	})
}

func newKioskAppointmentsScreen(k *Kiosk, r kioskAppts) fyne.CanvasObject {
	l := k.lang
	book := widget.NewButtonWithIcon(l.text(msgKioskBook), theme.ContentAddIcon(), k.tap(k.onBook))
	book.Importance = widget.HighImportance
	list := container.NewVBox(big(book, 720))
	if r.err != nil {
		list.Add(k.errorText(app.ErrorMessage(r.err)))
	}
	now := k.d.Now()
	n := 0
	for _, a := range r.appts {
		if a.Status != queue.Booked || a.Start.Before(now.Add(-queue.CheckInLate)) {
			continue
		}
		n++
		line := bigLeft(l.textf(msgKioskAppointmentLine, l.day(a.Start), a.Start.In(app.Rome).Format("15:04"),
			k.areaName(r.areas, a.Area), a.Counter), 28, true)
		cancel := widget.NewButtonWithIcon(l.text(msgKioskApptCancel), theme.DeleteIcon(), k.tap(func() { k.onCancelAppointment(a) }))
		list.Add(container.NewVBox(line, container.NewHBox(big(cancel, 560))))
	}
	if n == 0 {
		list.Add(widget.NewLabel(l.text(msgApptNone)))
	}
	return k.frame(l.text(msgKioskMyAppointments), container.NewVScroll(list), k.showMenu)
}

// areaName is the name of the area of code in the kiosk's language.
func (k *Kiosk) areaName(areas []queue.Area, code string) string {
	for _, a := range areas {
		if a.Code == code {
			return k.lang.pick(a.Name, a.NameEN)
		}
	}
	return code
}

func (k *Kiosk) onBook() { k.showBookAreas() }

// showBookAreas offers the services that have free times.
func (k *Kiosk) showBookAreas() {
	if !k.session.Active() {
		return
	}
	ctx, desk := k.ctx, k.d.Appointments
	inBackground(k.ui, func() areasResult {
		as, err := desk.BookableAreas(ctx, bookingDays)
		return areasResult{as, err}
	}, func(r areasResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("book-areas", newKioskBookAreasScreen(k, r))
	})
}

func newKioskBookAreasScreen(k *Kiosk, r areasResult) fyne.CanvasObject {
	l := k.lang
	grid := container.NewGridWithColumns(2)
	for _, a := range r.areas {
		name := k.areaName(r.areas, a.Code)
		b := widget.NewButton(name, k.tap(func() { k.onBookArea(a, name) }))
		b.Importance = widget.HighImportance
		grid.Add(big(b, 420))
	}
	var content fyne.CanvasObject = grid
	if r.err != nil {
		content = k.errorText(app.ErrorMessage(r.err))
	} else if len(r.areas) == 0 {
		content = k.errorText(l.text(msgKioskNoBookable))
	}
	return k.frame(l.text(msgKioskBookArea), container.NewVBox(content), k.showAppointments)
}

type kioskSlots struct {
	slots []queue.Slot
	err   error
}

// onBookArea offers the days with free times of the service.
func (k *Kiosk) onBookArea(a queue.Area, name string) {
	ctx, desk := k.ctx, k.d.Appointments
	inBackground(k.ui, func() kioskSlots {
		s, err := desk.FreeSlots(ctx, a.Code, bookingDays)
		return kioskSlots{s, err}
	}, func(r kioskSlots) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("book-days", newKioskBookDaysScreen(k, a, name, r))
	})
}

func newKioskBookDaysScreen(k *Kiosk, a queue.Area, name string, r kioskSlots) fyne.CanvasObject {
	l := k.lang
	grid := container.NewGridWithColumns(3)
	var days []string
	for _, s := range r.slots {
		if d := l.day(s.Start); len(days) == 0 || days[len(days)-1] != d {
			days = append(days, d)
		}
	}
	for _, d := range days {
		grid.Add(big(widget.NewButton(d, k.tap(func() { k.onBookDay(a, name, d, r.slots) })), 380))
	}
	var content fyne.CanvasObject = grid
	if r.err != nil {
		content = k.errorText(app.ErrorMessage(r.err))
	} else if len(days) == 0 {
		content = k.errorText(l.text(msgKioskNoBookable))
	}
	return k.frame(l.textf(msgKioskBookDay, name), container.NewVScroll(container.NewVBox(content)), k.showBookAreas)
}

// onBookDay offers the free times of the day.
func (k *Kiosk) onBookDay(a queue.Area, name, day string, slots []queue.Slot) {
	k.set("book-times", newKioskBookTimesScreen(k, a, name, day, slots))
}

func newKioskBookTimesScreen(k *Kiosk, a queue.Area, name, day string, slots []queue.Slot) fyne.CanvasObject {
	l := k.lang
	grid := container.NewGridWithColumns(4)
	for _, s := range slots {
		if l.day(s.Start) != day {
			continue
		}
		grid.Add(big(widget.NewButton(s.Start.In(app.Rome).Format("15:04"), k.tap(func() { k.onBookTime(name, s) })), 280))
	}
	return k.frame(l.textf(msgKioskBookTime, name+", "+day), container.NewVScroll(container.NewVBox(grid)), func() { k.onBookArea(a, name) })
}

// onBookTime asks once more before booking: what, when, where.
func (k *Kiosk) onBookTime(name string, s queue.Slot) {
	k.set("book-confirm", newKioskBookConfirmScreen(k, name, s))
}

func newKioskBookConfirmScreen(k *Kiosk, name string, s queue.Slot) fyne.CanvasObject {
	l := k.lang
	what := bigText(l.textf(msgKioskAppointmentLine, l.day(s.Start), s.Start.In(app.Rome).Format("15:04"), name, s.Counter), 32, true)
	yes := widget.NewButtonWithIcon(l.text(msgKioskBookYes), theme.ConfirmIcon(), k.tap(func() { k.onBookConfirm(name, s) }))
	yes.Importance = widget.HighImportance
	no := widget.NewButton(l.text(msgCancel), k.tap(k.showAppointments))
	return k.frame(l.text(msgKioskBookConfirm), container.NewCenter(container.NewVBox(what,
		container.NewGridWithColumns(2, big(yes, 360), big(no, 360)))), nil)
}

// onBookConfirm books slot s for the citizen; offline, the hub confirms it
// later and the result screen says so.
func (k *Kiosk) onBookConfirm(name string, s queue.Slot) {
	if !k.session.Active() {
		return
	}
	ctx, desk, c := k.ctx, k.d.Appointments, k.session.Citizen
	cf, holder := c.CodiceFiscale, displayName(c.Surname, c.GivenName)
	k.showBusy("printing", msgKioskChecking)
	inBackground(k.ui, func() bookingResult {
		b, err := desk.Book(ctx, k.kioskBy(), s.ID, cf, holder)
		return bookingResult{b, err}
	}, func(r bookingResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.showBookAreas)
			return
		}
		k.set("booked", newKioskBookedScreen(k, name, s, r.b.Confirmed))
	})
}

func newKioskBookedScreen(k *Kiosk, name string, s queue.Slot, confirmed bool) fyne.CanvasObject {
	l := k.lang
	lines := []fyne.CanvasObject{
		bigText(l.text(msgKioskBookDone), 40, true),
		bigText(l.textf(msgKioskAppointmentLine, l.day(s.Start), s.Start.In(app.Rome).Format("15:04"), name, s.Counter), 32, false),
	}
	if !confirmed {
		p := widget.NewLabel(l.text(msgKioskBookPending))
		p.Wrapping = fyne.TextWrapWord
		lines = append(lines, p)
	}
	lines = append(lines, k.doneButton(k.showMenu))
	return k.frame("", container.NewCenter(container.NewVBox(lines...)), nil)
}

// onCancelAppointment cancels a; offline, the hub confirms it later.
func (k *Kiosk) onCancelAppointment(a queue.Appointment) {
	if !k.session.Active() {
		return
	}
	ctx, desk := k.ctx, k.d.Appointments
	inBackground(k.ui, func() bookingResult {
		b, err := desk.Cancel(ctx, k.kioskBy(), a)
		return bookingResult{b, err}
	}, func(r bookingResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.showAppointments)
			return
		}
		k.set("cancelled", newKioskCancelledScreen(k, r.b.Confirmed))
	})
}

func newKioskCancelledScreen(k *Kiosk, confirmed bool) fyne.CanvasObject {
	l := k.lang
	text := l.text(msgKioskApptCancelled)
	if !confirmed {
		text = l.textf(msgApptPending, text)
	}
	return k.frame("", container.NewCenter(container.NewVBox(bigText(text, 32, true), k.doneButton(k.showAppointments))), nil)
}
