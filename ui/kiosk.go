package ui

import (
	"context"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// The public kiosk: this file holds what every screen shares (the window,
// the citizen's session, the idle wipe, the frame around each screen); each
// screen has its file, kiosk_<screen>.go, with its newKioskXxxScreen and its
// onXxx handlers; the on-screen keyboard is kiosk_keyboard.go, the large
// type kiosk_theme.go.

// KioskQueue is the queue as the kiosk uses it (queue.Service).
type KioskQueue interface {
	Areas(ctx context.Context) ([]queue.Area, error)
	Issue(ctx context.Context, area, codiceFiscale, appointment string) (queue.Ticket, error)
	Printed(ctx context.Context, t queue.Ticket) error
	CheckIn(ctx context.Context, codiceFiscale string) (queue.Ticket, queue.Appointment, error)
}

// SelfService is what an identified citizen can do at the kiosk.
//   - Identify: see kiosk.Identify for the codes; the file on success.
//   - Certificate: the PDF and number of a certificate the policy allows.
//   - Activity: lines of the person's requests and payments ("" for none).
type SelfService interface {
	Identify(ctx context.Context, codiceFiscale, document string) (*app.CitizenFile, error)
	Policy(ctx context.Context) (kiosk.Policy, error)
	Certificate(ctx context.Context, file *app.CitizenFile, slug string, use int) (number string, pdf []byte, err error)
	Activity(ctx context.Context, codiceFiscale string) (requests, payments []string, err error)
	Appointments(ctx context.Context, codiceFiscale string) ([]queue.Appointment, error)
	Notices(ctx context.Context) ([]kiosk.Notice, error)
}

// KioskPrinter puts tickets and certificates on paper. Errors with code
// printing.CodePrinter (no paper, printer off) are shown with a retry.
type KioskPrinter interface {
	PrintTicket(ctx context.Context, t queue.Ticket, area, holder, lang string) error
	PrintPDF(ctx context.Context, name string, pdf []byte) error
}

// KioskDeps is what the kiosk needs.
type KioskDeps struct {
	ComuneName string
	Queue      KioskQueue
	Self       SelfService
	Printer    KioskPrinter
	Lang       string
	Now        func() time.Time
	Idle       time.Duration // 0: kiosk.IdleTimeout
	// Appointments lets the identified citizen book, see and cancel their
	// appointments (kiosk_appointments.go); nil: not at this kiosk.
	// Device names the kiosk as who booked.
	Appointments AppointmentDesk
	Device       string
	// Payments prints the citizen's pagoPA notices (kiosk_payments.go);
	// nil: not at this kiosk.
	Payments KioskPayments
	// Post takes requests of certificates by post (kiosk_post.go); nil:
	// not at this kiosk.
	Post KioskPost
}

// Kiosk is the public kiosk in one fullscreen window: queue tickets,
// self-service for an identified citizen, the albo pretorio. There is no
// way out to the desktop from it; after Idle without a touch it returns to
// the start screen and wipes the citizen's data.
type Kiosk struct {
	w    fyne.Window
	d    KioskDeps
	lang lang
	ui   *bridge
	body *fyne.Container

	session *kiosk.Session
	ctx     context.Context // ends when the session is wiped
	endCtx  context.CancelFunc
	screen  string // the screen shown, for tests and logs

	idleGen   int
	idleTimer *time.Timer
	// identify is the identify screen's form while it is up
	// (kiosk_identify.go): the wipe empties its entries.
	identify *identifyForm
}

// NewKiosk builds the kiosk in w on the start screen.
func NewKiosk(w fyne.Window, d KioskDeps) *Kiosk { return newKiosk(w, d, newBridge()) }

func newKiosk(w fyne.Window, d KioskDeps, b *bridge) *Kiosk {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Idle <= 0 {
		d.Idle = kiosk.IdleTimeout
	}
	fyne.CurrentApp().Settings().SetTheme(newKioskTheme())
	k := &Kiosk{w: w, d: d, lang: langFor(d.Lang), ui: b, body: container.NewStack()}
	k.ctx, k.endCtx = context.WithCancel(context.Background())
	w.SetContent(k.body)
	w.Canvas().SetOnTypedKey(func(*fyne.KeyEvent) { k.touch() })
	w.Canvas().SetOnTypedRune(func(rune) { k.touch() })
	k.showStart()
	return k
}

// Close stops the idle timer and the work still running.
func (k *Kiosk) Close() {
	if k.idleTimer != nil {
		k.idleTimer.Stop()
	}
	k.idleGen++
	k.endCtx()
}

// set shows screen o, named name for the tests and the logs.
func (k *Kiosk) set(name string, o fyne.CanvasObject) {
	k.screen = name
	k.body.Objects = []fyne.CanvasObject{o}
	k.body.Refresh()
}

// touch restarts the idle countdown; past it the kiosk wipes and returns
// to the start screen.
func (k *Kiosk) touch() {
	if k.idleTimer != nil {
		k.idleTimer.Stop()
	}
	k.idleGen++
	gen := k.idleGen
	k.idleTimer = time.AfterFunc(k.d.Idle, func() {
		k.ui.do(func() {
			if gen == k.idleGen {
				k.wipe()
			}
		})
	})
}

// wipe forgets the citizen: the session is cleared in place, the work
// still running for it is dropped, the entries emptied, the start screen
// shown.
func (k *Kiosk) wipe() {
	k.session.Wipe()
	k.session = nil
	k.endCtx()
	k.ctx, k.endCtx = context.WithCancel(context.Background())
	if k.identify != nil {
		k.identify.clear()
		k.identify = nil
	}
	if k.idleTimer != nil {
		k.idleTimer.Stop()
	}
	k.idleGen++
	k.showStart()
}

// tap wraps a handler: every touch restarts the idle countdown.
func (k *Kiosk) tap(f func()) func() {
	return func() {
		k.touch()
		f()
	}
}

// onLang switches between Italian and English, back on the start screen.
func (k *Kiosk) onLang() {
	if k.lang == langIT {
		k.lang = langEN
	} else {
		k.lang = langIT
	}
	k.showStart()
}

// home is the start of whoever is at the kiosk: the menu of the identified
// citizen, the start screen of anyone else.
func (k *Kiosk) home() {
	if k.session.Active() {
		k.showMenu()
		return
	}
	k.showStart()
}

// frame is every screen: the comune's band with the language switch, the
// content, and a way back unless this is the start.
func (k *Kiosk) frame(title string, content fyne.CanvasObject, back func()) fyne.CanvasObject {
	l := k.lang
	head := canvas.NewText(l.textf(msgComune, placeName(k.d.ComuneName)), color.White)
	head.TextSize = 34
	head.TextStyle.Bold = true
	langBtn := widget.NewButton(l.text(msgKioskOtherLang), k.tap(k.onLang))
	band := container.NewStack(canvas.NewRectangle(paBlue),
		container.NewPadded(container.NewBorder(nil, nil, container.NewCenter(head), container.NewCenter(langBtn))))
	var top fyne.CanvasObject = band
	if title != "" {
		t := canvas.NewText(title, theme.Color(theme.ColorNameForeground))
		t.TextSize = 40
		t.TextStyle.Bold = true
		top = container.NewVBox(band, container.NewPadded(t))
	}
	var bottom fyne.CanvasObject
	if back != nil {
		bottom = container.NewPadded(container.NewHBox(big(widget.NewButtonWithIcon(l.text(msgBack), theme.NavigateBackIcon(), k.tap(back)), 280)))
	}
	return container.NewBorder(top, bottom, nil, nil, container.NewPadded(content))
}

// showBusy says what the kiosk is doing while the citizen waits.
func (k *Kiosk) showBusy(name string, m msg) {
	k.set(name, k.frame("", container.NewCenter(bigText(k.lang.text(m), 40, false)), nil))
}

// showError shows a refusal or a failure in the domain's words, with the
// way back to the screen that asked.
func (k *Kiosk) showError(err error, back func()) {
	k.set("error", k.frame("", k.errorText(app.ErrorMessage(err)), back))
}

func (k *Kiosk) errorText(s string) fyne.CanvasObject {
	t := widget.NewLabel(s)
	t.Wrapping = fyne.TextWrapWord
	t.Importance = widget.DangerImportance
	return t
}

// doneButton is the large "Fine" that closes a result, back to then.
func (k *Kiosk) doneButton(then func()) fyne.CanvasObject {
	done := widget.NewButton(k.lang.text(msgKioskDone), k.tap(then))
	done.Importance = widget.HighImportance
	return container.NewCenter(big(done, 320))
}

// big gives a button a touch target of at least 96 px high and width wide.
func big(b *widget.Button, width float32) fyne.CanvasObject {
	return container.New(&minSize{fyne.NewSize(width, 96)}, b)
}

// minSize is a layout that gives its objects the whole of its space and
// asks for at least s: the touch targets of the kiosk.
type minSize struct{ s fyne.Size }

func (m *minSize) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (m *minSize) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := m.s
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}

// bigText is a centred line in large type, read standing.
func bigText(s string, size float32, bold bool) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.TextStyle.Bold = bold
	t.Alignment = fyne.TextAlignCenter
	return t
}

// bigLeft is bigText aligned on the left, for headings of lists.
func bigLeft(s string, size float32, bold bool) *canvas.Text {
	t := bigText(s, size, bold)
	t.Alignment = fyne.TextAlignLeading
	return t
}
