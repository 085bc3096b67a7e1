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
// and time, in large touch targets; the check-in is on the menu
// (kiosk.go) when an appointment is due.

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
		l := k.lang
		book := widget.NewButtonWithIcon(l.text(msgKioskBook), theme.ContentAddIcon(), k.tap(k.showBookAreas))
		book.Importance = widget.HighImportance
		list := container.NewVBox(big(book, 720))
		if r.err != nil {
			list.Add(k.errorText(app.ErrorMessage(r.err)))
		}
		now := k.d.Now()
		n := 0
		for _, a := range r.appts {
			a := a
			if a.Status != queue.Booked || a.Start.Before(now.Add(-queue.CheckInLate)) {
				continue
			}
			n++
			line := bigLeft(l.textf(msgKioskAppointmentLine, l.day(a.Start), a.Start.In(app.Rome).Format("15:04"),
				k.areaName(r.areas, a.Area), a.Counter), 28, true)
			cancel := widget.NewButtonWithIcon(l.text(msgKioskApptCancel), theme.DeleteIcon(), k.tap(func() { k.cancelAppointment(a) }))
			list.Add(container.NewVBox(line, container.NewHBox(big(cancel, 560))))
		}
		if n == 0 {
			list.Add(widget.NewLabel(l.text(msgApptNone)))
		}
		k.set("appointments", k.frame(l.text(msgKioskMyAppointments), container.NewVScroll(list), k.showMenu))
	})
}

func (k *Kiosk) areaName(areas []queue.Area, code string) string {
	for _, a := range areas {
		if a.Code == code {
			if k.lang == langEN && a.NameEN != "" {
				return a.NameEN
			}
			return a.Name
		}
	}
	return code
}

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
		l := k.lang
		grid := container.NewGridWithColumns(2)
		for _, a := range r.areas {
			a := a
			name := k.areaName(r.areas, a.Code)
			b := widget.NewButton(name, k.tap(func() { k.showBookDays(a, name) }))
			b.Importance = widget.HighImportance
			grid.Add(big(b, 420))
		}
		var content fyne.CanvasObject = grid
		if r.err != nil {
			content = k.errorText(app.ErrorMessage(r.err))
		} else if len(r.areas) == 0 {
			content = k.errorText(l.text(msgKioskNoBookable))
		}
		k.set("book-areas", k.frame(l.text(msgKioskBookArea), container.NewVBox(content), k.showAppointments))
	})
}

type kioskSlots struct {
	slots []queue.Slot
	err   error
}

// showBookDays offers the days with free times of the service.
func (k *Kiosk) showBookDays(a queue.Area, name string) {
	ctx, desk := k.ctx, k.d.Appointments
	inBackground(k.ui, func() kioskSlots {
		s, err := desk.FreeSlots(ctx, a.Code, bookingDays)
		return kioskSlots{s, err}
	}, func(r kioskSlots) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		l := k.lang
		grid := container.NewGridWithColumns(3)
		var days []string
		for _, s := range r.slots {
			if d := l.day(s.Start); len(days) == 0 || days[len(days)-1] != d {
				days = append(days, d)
			}
		}
		for _, d := range days {
			d := d
			grid.Add(big(widget.NewButton(d, k.tap(func() { k.showBookTimes(a, name, d, r.slots) })), 380))
		}
		var content fyne.CanvasObject = grid
		if r.err != nil {
			content = k.errorText(app.ErrorMessage(r.err))
		} else if len(days) == 0 {
			content = k.errorText(l.text(msgKioskNoBookable))
		}
		k.set("book-days", k.frame(l.textf(msgKioskBookDay, name), container.NewVScroll(container.NewVBox(content)), k.showBookAreas))
	})
}

// showBookTimes offers the free times of day.
func (k *Kiosk) showBookTimes(a queue.Area, name, day string, slots []queue.Slot) {
	l := k.lang
	grid := container.NewGridWithColumns(4)
	for _, s := range slots {
		s := s
		if l.day(s.Start) != day {
			continue
		}
		grid.Add(big(widget.NewButton(s.Start.In(app.Rome).Format("15:04"), k.tap(func() { k.confirmBooking(name, s) })), 280))
	}
	k.set("book-times", k.frame(l.textf(msgKioskBookTime, name+", "+day), container.NewVScroll(container.NewVBox(grid)), func() { k.showBookDays(a, name) }))
}

// confirmBooking asks once more before booking: what, when, where.
func (k *Kiosk) confirmBooking(name string, s queue.Slot) {
	l := k.lang
	what := bigText(l.textf(msgKioskAppointmentLine, l.day(s.Start), s.Start.In(app.Rome).Format("15:04"), name, s.Counter), 32, true)
	yes := widget.NewButtonWithIcon(l.text(msgKioskBookYes), theme.ConfirmIcon(), k.tap(func() { k.book(name, s) }))
	yes.Importance = widget.HighImportance
	no := widget.NewButton(l.text(msgCancel), k.tap(k.showAppointments))
	k.set("book-confirm", k.frame(l.text(msgKioskBookConfirm), container.NewCenter(container.NewVBox(what,
		container.NewGridWithColumns(2, big(yes, 360), big(no, 360)))), nil))
}

func (k *Kiosk) book(name string, s queue.Slot) {
	if !k.session.Active() {
		return
	}
	ctx, desk, c := k.ctx, k.d.Appointments, k.session.Citizen
	cf, holder := c.CodiceFiscale, displayName(c.Surname, c.GivenName)
	k.set("printing", k.frame("", container.NewCenter(bigText(k.lang.text(msgKioskChecking), 40, false)), nil))
	inBackground(k.ui, func() bookingResult {
		b, err := desk.Book(ctx, k.kioskBy(), s.ID, cf, holder)
		return bookingResult{b, err}
	}, func(r bookingResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		l := k.lang
		if r.err != nil {
			k.set("error", k.frame("", k.errorText(app.ErrorMessage(r.err)), k.showBookAreas))
			return
		}
		lines := []fyne.CanvasObject{
			bigText(l.text(msgKioskBookDone), 40, true),
			bigText(l.textf(msgKioskAppointmentLine, l.day(s.Start), s.Start.In(app.Rome).Format("15:04"), name, s.Counter), 32, false),
		}
		if !r.b.Confirmed {
			p := widget.NewLabel(l.text(msgKioskBookPending))
			p.Wrapping = fyne.TextWrapWord
			lines = append(lines, p)
		}
		done := widget.NewButton(l.text(msgKioskDone), k.tap(k.showMenu))
		done.Importance = widget.HighImportance
		lines = append(lines, container.NewCenter(big(done, 320)))
		k.set("booked", k.frame("", container.NewCenter(container.NewVBox(lines...)), nil))
	})
}

func (k *Kiosk) cancelAppointment(a queue.Appointment) {
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
		l := k.lang
		if r.err != nil {
			k.set("error", k.frame("", k.errorText(app.ErrorMessage(r.err)), k.showAppointments))
			return
		}
		text := l.text(msgKioskApptCancelled)
		if !r.b.Confirmed {
			text = l.textf(msgApptPending, text)
		}
		done := widget.NewButton(l.text(msgKioskDone), k.tap(k.showAppointments))
		done.Importance = widget.HighImportance
		k.set("cancelled", k.frame("", container.NewCenter(container.NewVBox(bigText(text, 32, true), container.NewCenter(big(done, 320)))), nil))
	})
}
