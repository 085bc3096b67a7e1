package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// The citizen's own activity at the kiosk: their appointments still
// booked, their requests and their payments, one line each.

type activityResult struct {
	requests, payments []string
	appts              []queue.Appointment
	err                error
}

// showActivity lists the person's requests, payments and appointments.
func (k *Kiosk) showActivity() {
	if !k.session.Active() {
		return
	}
	ctx, cf := k.ctx, k.session.Citizen.CodiceFiscale
	inBackground(k.ui, func() activityResult {
		rq, pm, err := k.d.Self.Activity(ctx, cf)
		as, aerr := k.d.Self.Appointments(ctx, cf)
		if err == nil {
			err = aerr
		}
		return activityResult{rq, pm, as, err}
	}, func(r activityResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("activity", newKioskActivityScreen(k, r))
	})
}

func newKioskActivityScreen(k *Kiosk, r activityResult) fyne.CanvasObject {
	l := k.lang
	section := func(title string, lines []string) fyne.CanvasObject {
		box := container.NewVBox(bigLeft(title, 30, true))
		if len(lines) == 0 {
			box.Add(widget.NewLabel(l.text(msgKioskNone)))
		}
		for _, s := range lines {
			lbl := widget.NewLabel(s)
			lbl.Wrapping = fyne.TextWrapWord
			box.Add(lbl)
		}
		return box
	}
	var appts []string
	for _, a := range r.appts {
		if a.Status != queue.Booked {
			continue
		}
		st := a.Start.In(app.Rome)
		appts = append(appts, l.textf(msgKioskAppointmentLine, st.Format(dateLayout), st.Format("15:04"), a.Area, a.Counter))
	}
	box := container.NewVBox(section(l.text(msgAppointments), appts), section(l.text(msgKioskRequests), r.requests), section(l.text(msgPayments), r.payments))
	if r.err != nil {
		box.Add(k.errorText(app.ErrorMessage(r.err)))
	}
	return k.frame(l.text(msgKioskActivity), container.NewVScroll(box), k.showMenu)
}
