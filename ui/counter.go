// Package ui is the counter's desktop interface, in Fyne: the login screen,
// the search with the citizen file beside it, and the status bar that is
// always at the bottom. It speaks Italian first and English on request, and
// depends only on the interfaces of package app. Background work (searches,
// file openings, sync status) reaches the widgets only through bridge.go.
package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/request"
)

// StatusSource reports the state of synchronisation for the status bar.
// Subscribe's callbacks come from background goroutines; cancel stops them.
type StatusSource interface {
	Status() app.SyncStatus
	Subscribe(func(app.SyncStatus)) (cancel func())
}

// Deps is what the counter screens need from the rest of the program.
type Deps struct {
	Counter   app.Counter
	Status    StatusSource
	SyncNow   func()      // start a sync round in the background
	Profile   app.Profile // comune name, device
	LoginHint string      // demo credentials shown on the login screen ("" in production)
	Lang      string      // "it" (default) or "en"
	Now       func() time.Time

	// Certificates issues and lists the certificates; nil on a workstation
	// that does not issue them, where the file says so.
	Certificates certificate.Issuer
	// Output is where certificates are printed or saved.
	Output Output

	// Requests takes requests (istanze) and lists them in the file; nil on
	// a workstation that does not take them.
	Requests request.Requests

	// Payments are the positions, notices, payments at the counter and
	// the scanner field (payments.go); nil on a workstation without them.
	Payments PaymentDesk

	// IdleLock is how long a session may go without input before the
	// counter returns to the login screen; zero means app.IdleLock.
	IdleLock time.Duration

	// Queue is the "call next" strip of the queue; nil on a workstation
	// whose comune has no queue. QueueCounter is the number the board
	// shows for this counter ("" for the device's short name).
	Queue        QueueDesk
	QueueCounter string

	// Appointments books, moves and cancels the open citizen's
	// appointments (appointments.go); QueueStats gives supervisors the
	// queue's statistics (stats.go). nil where the comune has none.
	Appointments AppointmentDesk
	QueueStats   QueueStats

	// Post is the back office of certificates by post (post.go); nil on
	// a workstation without it. Only back-office operators see it.
	Post PostDesk
	// Dashboard gives supervisors the dashboard of the workstation's own
	// data (dashboard.go); nil where there is none.
	Dashboard dashboard.Source
	// Accesses exports who accessed the open citizen, when and why, for
	// a supervisor (app.CounterService.ExportAccesses); nil hides it.
	Accesses func(ctx context.Context, op *app.Operator, codiceFiscale string) ([]app.Access, error)
	// Outbox resolves the operations the hub did not take (outbox.go):
	// a supervisor's worklist; nil hides it.
	Outbox OutboxDesk
}

// findShortcut (Ctrl+F) brings the operator back to the search box from
// anywhere.
var findShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

// Counter is the counter application in one window: the login screen, then
// the search list on the left and the citizen file on the right, with the
// status bar always at the bottom. Its methods run on the UI goroutine.
type Counter struct {
	w      fyne.Window
	d      Deps
	lang   lang
	ui     *bridge
	status *statusBar
	body   *fyne.Container // the screen above the status bar

	op      *app.Operator   // nil while nobody is logged in
	session context.Context // ends at logout: work still running for it is dropped
	endSess context.CancelFunc
	login   *loginScreen
	search  *searchScreen
	file    *fileScreen
	flags   *worklist     // nil without Certificates
	refunds *refundList   // nil without Payments (payments_worklist.go)
	posts   *postList     // nil without Post or the back-office role (post.go)
	dash    *dashScreen   // the supervisor's dashboard while open (dashboard.go)
	queue   *queueUI      // the booking form and the statistics (appointments.go)
	outbox  *outboxScreen // the parked operations, while open (outbox.go)
	purpose *purposeForm  // why another comune's citizen is read, while asked (purpose.go)

	seenSync time.Time // the last sync the worklist was read after

	idleGen    int
	idleTimer  *time.Timer
	stopStatus func()
}

// NewCounter builds the counter in w, sets it as the window's content on the
// login screen and follows d.Status until Close.
func NewCounter(w fyne.Window, d Deps) *Counter {
	return newCounter(w, d, newBridge())
}

func newCounter(w fyne.Window, d Deps, b *bridge) *Counter {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.IdleLock <= 0 {
		d.IdleLock = app.IdleLock
	}
	fyne.CurrentApp().Settings().SetTheme(newTheme())
	c := &Counter{w: w, d: d, lang: langFor(d.Lang), ui: b, body: container.NewStack()}
	c.status = newStatusBar(c)
	w.SetTitle(c.lang.textf(msgWindowTitle, c.comuneName()))
	w.SetContent(container.NewBorder(nil, c.status, nil, nil, c.body))
	w.Resize(fyne.NewSize(windowWidth, windowHeight))
	w.Canvas().AddShortcut(findShortcut, func(fyne.Shortcut) { c.onFind() })
	w.Canvas().AddShortcut(issueShortcut, func(fyne.Shortcut) { c.onIssue() })
	w.Canvas().SetOnTypedKey(c.onKey)
	if d.Status != nil {
		c.status.set(d.Status.Status())
		c.stopStatus = d.Status.Subscribe(func(st app.SyncStatus) {
			c.ui.do(func() {
				c.status.set(st)
				c.onSyncStatus(st)
			})
		})
	}
	c.showLogin("", "")
	return c
}

// Lock ends the session and returns to the login screen, as the "Esci"
// button does. Nothing of the citizens seen stays on screen.
func (c *Counter) Lock() { c.lock("") }

// Close stops following the sync status, the idle timer and the work still
// running for the session; the window's owner calls it when the window has
// closed. It leaves the widgets alone.
func (c *Counter) Close() {
	if c.idleTimer != nil {
		c.idleTimer.Stop()
	}
	c.idleGen++
	if c.endSess != nil {
		c.endSess()
	}
	if c.stopStatus != nil {
		c.stopStatus()
		c.stopStatus = nil
	}
}

func (c *Counter) lock(notice string) {
	if c.op == nil {
		return
	}
	username := c.op.Username
	if l, ok := c.d.Counter.(interface{ Logout(string) }); ok {
		l.Logout(username) // the operator's signing key goes with the session
	}
	if c.idleTimer != nil {
		c.idleTimer.Stop()
	}
	c.idleGen++
	c.endSess()
	c.closeDialogs(true)
	c.op, c.search, c.file, c.flags, c.refunds, c.posts = nil, nil, nil, nil, nil, nil
	c.status.resolve.Hide()
	c.showLogin(username, notice)
}

func (c *Counter) showLogin(username, notice string) {
	c.login = newLoginScreen(c, username, notice)
	c.setBody(c.login)
	c.login.focus()
}

// loggedIn opens the workspace for op.
func (c *Counter) loggedIn(op *app.Operator) {
	c.op = op
	c.session, c.endSess = context.WithCancel(context.Background())
	c.login = nil
	c.search = newSearchScreen(c)
	c.file = newFileScreen(c)
	if c.d.Certificates != nil {
		c.flags = newWorklist(c)
		c.flags.refresh()
	}
	if c.d.Payments != nil {
		c.refunds = newRefundList(c)
		c.refunds.refresh()
	}
	if c.d.Post != nil && op.Has(app.RoleBackOffice) {
		c.posts = newPostList(c)
		c.posts.refresh()
	}
	split := container.NewHSplit(c.search, c.file)
	split.SetOffset(searchShare)
	top := newHeader(c)
	if bar := newQueueBar(c); bar != nil {
		// The strip grows with the ticket at the counter and its actions:
		// it scrolls sideways rather than widen the window past the screen.
		top = container.NewVBox(top, container.NewHScroll(bar))
	}
	c.setBody(container.NewBorder(top, nil, nil, nil, split))
	c.search.focusBox()
	c.touch()
	if c.d.Status != nil {
		c.status.set(c.d.Status.Status()) // what this operator may do from the bar
	}
}

func (c *Counter) setBody(o fyne.CanvasObject) {
	c.body.Objects = []fyne.CanvasObject{o}
	c.body.Refresh()
}

// openFile shows the file of the citizen with codice fiscale cf.
func (c *Counter) openFile(cf string) {
	if c.file == nil {
		return
	}
	c.touch()
	c.file.load(cf)
}

// backToSearch puts the operator back in the search box, text kept.
func (c *Counter) backToSearch() {
	if c.search != nil {
		c.touch()
		c.search.focusBox()
	}
}

// onFind is Ctrl+F.
func (c *Counter) onFind() { c.backToSearch() }

// onIssue is Ctrl+P: the issue form of the file shown.
func (c *Counter) onIssue() {
	if c.file != nil {
		c.file.onIssue()
	}
}

// onSyncStatus reads the worklists again after each sync: the hub flags
// certificates when it accepts them, and opens refunds when a second
// payment of a position applies.
func (c *Counter) onSyncStatus(st app.SyncStatus) {
	if (c.flags == nil && c.refunds == nil && c.posts == nil) || st.LastSync.Equal(c.seenSync) {
		return
	}
	c.seenSync = st.LastSync
	if c.flags != nil {
		c.flags.refresh()
	}
	if c.refunds != nil {
		c.refunds.refresh()
	}
	if c.posts != nil {
		c.posts.refresh()
	}
}

// dialogOpen reports whether the issue form or the worklist is open.
func (c *Counter) dialogOpen() bool {
	return (c.file != nil && c.file.form != nil) || (c.flags != nil && c.flags.dlg != nil) ||
		(c.refunds != nil && c.refunds.dlg != nil) || (c.posts != nil && c.posts.dlg != nil) || c.queueDialogOpen() || c.dash != nil ||
		c.outbox != nil || c.purpose != nil
}

// closeDialogs closes the issue form and the worklist. Unless all is set, a
// form that is issuing stays: it closes itself when done.
func (c *Counter) closeDialogs(all bool) {
	if c.file != nil && c.file.form != nil {
		if all {
			c.file.form.busy = false
		}
		c.file.form.onCancel()
	}
	if c.flags != nil {
		c.flags.close()
	}
	if c.refunds != nil {
		c.refunds.close()
	}
	if c.posts != nil {
		c.posts.close()
	}
	if c.dash != nil {
		c.dash.close()
	}
	if c.outbox != nil {
		c.outbox.close()
	}
	if c.purpose != nil {
		c.purpose.close()
	}
	c.closeQueueDialogs()
}

// onKey gets the keys typed while no widget has the focus.
func (c *Counter) onKey(ev *fyne.KeyEvent) {
	c.touch()
	if ev.Name == fyne.KeyF2 {
		c.onCallNext() // queue.go
		return
	}
	if ev.Name != fyne.KeyEscape {
		return
	}
	if c.dialogOpen() {
		c.closeDialogs(false)
		return
	}
	c.backToSearch()
}

// touch records input: the session locks IdleLock after the last one.
// Each touch arms a new timer; a timer that fires late finds its generation
// superseded and does nothing.
func (c *Counter) touch() {
	if c.op == nil {
		return
	}
	if c.idleTimer != nil {
		c.idleTimer.Stop()
	}
	c.idleGen++
	gen := c.idleGen
	c.idleTimer = time.AfterFunc(c.d.IdleLock, func() {
		c.ui.do(func() {
			if gen == c.idleGen {
				c.lock(c.lang.text(msgIdleLocked))
			}
		})
	})
}

// focus gives the keyboard focus to o in this window.
func (c *Counter) focus(o fyne.Focusable) { c.w.Canvas().Focus(o) }

// focused reports which widget has the keyboard focus.
func (c *Counter) focused() fyne.Focusable { return c.w.Canvas().Focused() }

func (c *Counter) comuneName() string {
	if c.d.Profile.ComuneName != "" {
		return placeName(c.d.Profile.ComuneName)
	}
	return c.d.Profile.Comune
}

// whenText writes an instant for the operator: "oggi alle 14:30" for today,
// the date and time otherwise.
func (c *Counter) whenText(t time.Time) string {
	now := c.d.Now()
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return c.lang.textf(msgToday, t.Format("15:04"))
	}
	return formatInstant(t, now.Location())
}

// newHeader is the blue band at the top: the comune and the workstation,
// and once logged in the operator with the button to leave.
func newHeader(c *Counter) fyne.CanvasObject {
	white := color.White
	title := canvas.NewText("Sportello", white)
	title.TextStyle.Bold = true
	title.TextSize = theme.TextSubHeadingSize()
	comune := canvas.NewText(c.lang.textf(msgComune, c.comuneName()), white)
	comune.TextSize = theme.TextSubHeadingSize()
	left := container.NewHBox(title, comune)

	// The scanner field takes the width between the comune and the
	// workstation; the workstation and the operator are two small lines,
	// so that the band fits a 1280-pixel screen with everything in it.
	var middle fyne.CanvasObject
	if c.d.Payments != nil && c.op != nil {
		middle = container.New(layout.NewCustomPaddedLayout(0, 0, 2*theme.Padding(), 2*theme.Padding()),
			container.NewVBox(layout.NewSpacer(), newScanField(c), layout.NewSpacer())) // payments_scan.go
	}
	right := container.NewHBox()
	if c.flags != nil {
		right.Add(container.NewCenter(c.flags.button))
	}
	if c.refunds != nil {
		right.Add(container.NewCenter(c.refunds.button))
	}
	if c.posts != nil {
		right.Add(container.NewCenter(c.posts.button))
	}
	who := container.NewVBox()
	if c.d.Profile.Device != "" {
		t := canvas.NewText(c.lang.textf(msgDevice, c.d.Profile.Device), white)
		t.TextSize = theme.CaptionTextSize() + 1
		who.Add(t)
	}
	if c.op != nil {
		name := c.op.Name
		if name == "" {
			name = c.op.Username
		}
		t := canvas.NewText(c.lang.textf(msgOperator, name), white)
		t.TextSize = theme.CaptionTextSize() + 1
		who.Add(t)
	}
	right.Add(container.NewCenter(who))
	if c.canSeeDashboard() {
		right.Add(container.NewCenter(widget.NewButtonWithIcon(c.lang.text(msgDashButton), theme.InfoIcon(), c.onDashboard)))
	}
	if c.op != nil {
		right.Add(widget.NewButtonWithIcon(c.lang.text(msgLogout), theme.LogoutIcon(), c.Lock))
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	var bar fyne.CanvasObject = container.NewBorder(nil, nil, container.NewCenter(left), right)
	if middle != nil {
		bar = container.NewBorder(nil, nil, container.NewCenter(left), right, middle)
	}
	return container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(theme.Padding(), theme.Padding(), 2*theme.Padding(), 2*theme.Padding()), bar))
}
