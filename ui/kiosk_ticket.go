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

// The queue ticket at the kiosk: the citizen picks the service, the ticket
// prints with its number, the people ahead and the wait. A ticket taken
// after identifying carries the citizen, and so does the one of an
// appointment's check-in (kiosk_menu.go). A printer out of paper shows its
// message with a retry (the printer screen, shared with every print).

type areasResult struct {
	areas []queue.Area
	err   error
}

// showAreas lets the citizen pick the service of the ticket.
func (k *Kiosk) showAreas() {
	ctx := k.ctx
	inBackground(k.ui, func() areasResult {
		a, err := k.d.Queue.Areas(ctx)
		return areasResult{a, err}
	}, func(r areasResult) {
		if ctx.Err() != nil {
			return
		}
		k.set("areas", newKioskAreasScreen(k, r))
	})
}

func newKioskAreasScreen(k *Kiosk, r areasResult) fyne.CanvasObject {
	l := k.lang
	grid := container.NewGridWithColumns(2)
	for _, a := range r.areas {
		if !a.Kiosk {
			continue
		}
		name := l.pick(a.Name, a.NameEN)
		b := widget.NewButton(a.Code+" · "+name, k.tap(func() { k.onArea(a, name) }))
		b.Importance = widget.HighImportance
		grid.Add(big(b, 420))
	}
	var content fyne.CanvasObject = grid
	if r.err != nil {
		content = k.errorText(app.ErrorMessage(r.err))
	} else if len(grid.Objects) == 0 {
		content = k.errorText(l.text(msgKioskNoAreas))
	}
	back := k.showStart
	if k.session.Active() {
		back = k.showMenu
	}
	return k.frame(l.text(msgKioskChooseArea), container.NewVBox(content), back)
}

// onArea takes a ticket of area, linked to the citizen when identified.
func (k *Kiosk) onArea(a queue.Area, name string) {
	k.issueTicket(func(ctx context.Context) (queue.Ticket, error) {
		cf := ""
		if k.session.Active() {
			cf = k.session.Citizen.CodiceFiscale
		}
		return k.d.Queue.Issue(ctx, a.Code, cf, "")
	}, name)
}

type ticketResult struct {
	t   queue.Ticket
	err error
}

// issueTicket gets a ticket from issue, then prints it.
func (k *Kiosk) issueTicket(issue func(ctx context.Context) (queue.Ticket, error), areaName string) {
	ctx := k.ctx
	k.showBusy("printing", msgKioskPrinting)
	inBackground(k.ui, func() ticketResult {
		t, err := issue(ctx)
		return ticketResult{t, err}
	}, func(r ticketResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.home)
			return
		}
		k.printTicket(r.t, areaName)
	})
}

// printTicket prints t; a printer problem shows its message with a retry.
func (k *Kiosk) printTicket(t queue.Ticket, areaName string) {
	ctx := k.ctx
	holder := ""
	if k.session.Active() {
		holder = displayName(k.session.Citizen.Surname, k.session.Citizen.GivenName)
	}
	lang := k.lang.code()
	inBackground(k.ui, func() error {
		if err := k.d.Printer.PrintTicket(ctx, t, areaName, holder, lang); err != nil {
			return err
		}
		return k.d.Queue.Printed(ctx, t)
	}, func(err error) {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.showPrinterTrouble(err, func() { k.printTicket(t, areaName) })
			return
		}
		k.set("ticket", newKioskTicketScreen(k, t))
	})
}

// newKioskTicketScreen is the printed ticket: its number in very large
// type, and the wait or the appointment's time.
func newKioskTicketScreen(k *Kiosk, t queue.Ticket) fyne.CanvasObject {
	l := k.lang
	lines := []fyne.CanvasObject{bigText(l.text(msgKioskYourNumber), 36, false), bigText(t.Number, 150, true)}
	switch {
	case !t.Due.IsZero():
		lines = append(lines, bigText(l.textf(msgKioskAppointmentAt, t.Due.In(app.Rome).Format("15:04")), 32, false))
	case t.WaitMinutes > 0:
		lines = append(lines, bigText(l.textf(msgKioskAhead, t.Ahead), 32, false), bigText(l.textf(msgKioskWait, t.WaitMinutes), 32, false))
	default:
		lines = append(lines, bigText(l.textf(msgKioskAhead, t.Ahead), 32, false), bigText(l.text(msgKioskWaitNone), 32, false))
	}
	if t.Number == t.Local && t.Local != "" {
		lines = append(lines, bigText(l.text(msgKioskOfflineTicket), 26, false))
	}
	lines = append(lines, bigText(l.text(msgKioskTakePaper), 32, true), k.doneButton(k.home))
	return k.frame("", container.NewCenter(container.NewVBox(lines...)), nil)
}

// showPrinterTrouble says what is wrong with the printer, with a retry
// of the same print and a way out.
func (k *Kiosk) showPrinterTrouble(err error, retry func()) {
	k.set("printer", newKioskPrinterScreen(k, err, retry))
}

func newKioskPrinterScreen(k *Kiosk, err error, retry func()) fyne.CanvasObject {
	l := k.lang
	r := widget.NewButtonWithIcon(l.text(msgKioskRetry), theme.ViewRefreshIcon(), k.tap(retry))
	r.Importance = widget.HighImportance
	c := widget.NewButton(l.text(msgCancel), k.tap(k.home))
	box := container.NewVBox(k.errorText(app.ErrorMessage(err)), container.NewGridWithColumns(2, big(r, 320), big(c, 320)))
	return k.frame(l.text(msgKioskPrinterTrouble), box, nil)
}
