package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// The identified citizen's menu: a ticket for the counter, certificates,
// their requests and payments, their appointments and pagoPA notices where
// the kiosk offers them, and the way out that wipes the screen. When an
// appointment of theirs is due, the check-in comes first.

type menuResult struct {
	appts []queue.Appointment
}

// showMenu is the identified citizen's menu.
func (k *Kiosk) showMenu() {
	if !k.session.Active() {
		k.showStart()
		return
	}
	ctx, cf := k.ctx, k.session.Citizen.CodiceFiscale
	inBackground(k.ui, func() menuResult {
		as, _ := k.d.Self.Appointments(ctx, cf) // without them the menu only lacks the check-in
		return menuResult{as}
	}, func(r menuResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		k.set("menu", newKioskMenuScreen(k, r))
	})
}

func newKioskMenuScreen(k *Kiosk, r menuResult) fyne.CanvasObject {
	l := k.lang
	c := k.session.Citizen
	items := []fyne.CanvasObject{bigText(l.textf(msgKioskHello, properCase(c.GivenName)+" "+strings.ToUpper(c.Surname)), 40, true)}
	now := k.d.Now()
	for _, a := range r.appts {
		if queue.CanCheckIn(&a, now) == nil {
			b := widget.NewButtonWithIcon(l.textf(msgKioskCheckIn, a.Start.In(app.Rome).Format("15:04")), theme.ConfirmIcon(), k.tap(k.onCheckIn))
			b.Importance = widget.SuccessImportance
			items = append(items, big(b, 720))
			break
		}
	}
	ticket := widget.NewButtonWithIcon(l.text(msgKioskLinkedTicket), theme.ContentAddIcon(), k.tap(k.onTakeTicket))
	ticket.Importance = widget.HighImportance
	items = append(items,
		big(ticket, 720),
		big(widget.NewButtonWithIcon(l.text(msgKioskCertificates), theme.DocumentPrintIcon(), k.tap(k.onCertificates)), 720),
		big(widget.NewButtonWithIcon(l.text(msgKioskActivity), theme.ListIcon(), k.tap(k.onActivity)), 720),
	)
	if k.d.Appointments != nil {
		items = append(items, big(widget.NewButtonWithIcon(l.text(msgKioskMyAppointments), theme.HistoryIcon(), k.tap(k.onAppointments)), 720))
	}
	if k.d.Payments != nil {
		items = append(items, big(widget.NewButtonWithIcon(l.text(msgKioskPayNotices), theme.DocumentPrintIcon(), k.tap(k.onPayNotices)), 720))
	}
	if k.d.Post != nil {
		items = append(items, big(widget.NewButtonWithIcon(l.text(msgKioskPost), theme.MailSendIcon(), k.tap(k.showPostTypes)), 720)) // kiosk_post.go
	}
	items = append(items,
		big(widget.NewButtonWithIcon(l.text(msgKioskEnd), theme.LogoutIcon(), k.tap(k.onEnd)), 720),
		bigText(l.text(msgKioskIdleSoon), 20, false),
	)
	return k.frame("", container.NewCenter(container.NewVBox(items...)), nil)
}

// onCheckIn checks the citizen in for the appointment due and prints its
// ticket.
func (k *Kiosk) onCheckIn() {
	if !k.session.Active() {
		return
	}
	cf := k.session.Citizen.CodiceFiscale
	k.issueTicket(func(ctx context.Context) (queue.Ticket, error) {
		t, _, err := k.d.Queue.CheckIn(ctx, cf)
		return t, err
	}, "")
}

func (k *Kiosk) onCertificates() { k.showCertificates() }
func (k *Kiosk) onActivity()     { k.showActivity() }
func (k *Kiosk) onAppointments() { k.showAppointments() }
func (k *Kiosk) onPayNotices()   { k.showPayNotices() }

// onEnd is the citizen leaving: the screen forgets them at once.
func (k *Kiosk) onEnd() { k.wipe() }
