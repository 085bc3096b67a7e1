package ui

import (
	"context"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

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
	// Payments prints the citizen's pagoPA notices (kiosk_notices.go);
	// nil: not at this kiosk.
	Payments KioskPayments
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
	// keyboard target while the identify screen is up
	target *widget.Entry
	cfBox  *widget.Entry
	docBox *widget.Entry
	msg    *widget.Label
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
	for _, e := range []*widget.Entry{k.cfBox, k.docBox} {
		if e != nil {
			e.SetText("")
		}
	}
	k.cfBox, k.docBox, k.target, k.msg = nil, nil, nil, nil
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

func (k *Kiosk) onLang() {
	if k.lang == langIT {
		k.lang = langEN
	} else {
		k.lang = langIT
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

// big gives a button a touch target of at least 96 px high and width wide.
func big(b *widget.Button, width float32) fyne.CanvasObject {
	return container.New(&minSize{fyne.NewSize(width, 96)}, b)
}

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

func bigText(s string, size float32, bold bool) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = size
	t.TextStyle.Bold = bold
	t.Alignment = fyne.TextAlignCenter
	return t
}

func (k *Kiosk) showStart() {
	l := k.lang
	take := widget.NewButtonWithIcon(l.text(msgKioskTakeTicket), theme.ContentAddIcon(), k.tap(k.showAreas))
	take.Importance = widget.HighImportance
	ident := widget.NewButtonWithIcon(l.text(msgKioskIdentify), theme.AccountIcon(), k.tap(k.showIdentify))
	albo := widget.NewButtonWithIcon(l.text(msgKioskAlbo), theme.DocumentIcon(), k.tap(k.showAlbo))
	menu := container.NewVBox(bigText(l.text(msgKioskTouch), 30, false), layout.NewSpacer(),
		big(take, 720), big(ident, 720), big(albo, 720))
	k.set("start", k.frame("", container.NewCenter(menu), nil))
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
		k.pickArea(r)
	})
}

type areasResult struct {
	areas []queue.Area
	err   error
}

func (k *Kiosk) pickArea(r areasResult) {
	l := k.lang
	grid := container.NewGridWithColumns(2)
	for _, a := range r.areas {
		if !a.Kiosk {
			continue
		}
		name := a.Name
		if l == langEN && a.NameEN != "" {
			name = a.NameEN
		}
		b := widget.NewButton(a.Code+" · "+name, k.tap(func() { k.issue(a, name) }))
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
	k.set("areas", k.frame(l.text(msgKioskChooseArea), container.NewVBox(content), back))
}

func (k *Kiosk) errorText(s string) fyne.CanvasObject {
	t := widget.NewLabel(s)
	t.Wrapping = fyne.TextWrapWord
	t.Importance = widget.DangerImportance
	return t
}

type ticketResult struct {
	t   queue.Ticket
	err error
}

// issue takes a ticket of area, linked to the citizen when identified.
func (k *Kiosk) issue(a queue.Area, name string) {
	k.issueWith(func(ctx context.Context) (queue.Ticket, error) {
		cf := ""
		if k.session.Active() {
			cf = k.session.Citizen.CodiceFiscale
		}
		return k.d.Queue.Issue(ctx, a.Code, cf, "")
	}, name)
}

func (k *Kiosk) issueWith(do func(ctx context.Context) (queue.Ticket, error), areaName string) {
	ctx := k.ctx
	k.set("printing", k.frame("", container.NewCenter(bigText(k.lang.text(msgKioskPrinting), 40, false)), nil))
	inBackground(k.ui, func() ticketResult {
		t, err := do(ctx)
		return ticketResult{t, err}
	}, func(r ticketResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			k.set("error", k.frame("", k.errorText(app.ErrorMessage(r.err)), k.home))
			return
		}
		k.printTicket(r.t, areaName)
	})
}

func (k *Kiosk) home() {
	if k.session.Active() {
		k.showMenu()
		return
	}
	k.showStart()
}

// printTicket prints t; a printer problem shows its message with a retry.
func (k *Kiosk) printTicket(t queue.Ticket, areaName string) {
	ctx := k.ctx
	holder := ""
	if k.session.Active() {
		holder = displayName(k.session.Citizen.Surname, k.session.Citizen.GivenName)
	}
	lang := "it"
	if k.lang == langEN {
		lang = "en"
	}
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
		k.showTicket(t)
	})
}

func (k *Kiosk) showPrinterTrouble(err error, retry func()) {
	l := k.lang
	r := widget.NewButtonWithIcon(l.text(msgKioskRetry), theme.ViewRefreshIcon(), k.tap(retry))
	r.Importance = widget.HighImportance
	c := widget.NewButton(l.text(msgCancel), k.tap(k.home))
	box := container.NewVBox(k.errorText(app.ErrorMessage(err)), container.NewGridWithColumns(2, big(r, 320), big(c, 320)))
	k.set("printer", k.frame(l.text(msgKioskPrinterTrouble), box, nil))
}

func (k *Kiosk) showTicket(t queue.Ticket) {
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
	lines = append(lines, bigText(l.text(msgKioskTakePaper), 32, true))
	done := widget.NewButton(l.text(msgKioskDone), k.tap(k.home))
	done.Importance = widget.HighImportance
	lines = append(lines, container.NewCenter(big(done, 320)))
	k.set("ticket", k.frame("", container.NewCenter(container.NewVBox(lines...)), nil))
}

// showIdentify asks for the codice fiscale and the document number, typed
// on the on-screen keyboard.
func (k *Kiosk) showIdentify() {
	l := k.lang
	k.cfBox, k.docBox = widget.NewEntry(), widget.NewEntry()
	k.cfBox.SetPlaceHolder("RSSMRA85T10A562S")
	k.docBox.SetPlaceHolder("CA12345AB")
	k.docBox.Password = true
	k.target = k.cfBox
	for _, e := range []*widget.Entry{k.cfBox, k.docBox} {
		e := e
		e.OnChanged = func(string) { k.touch() }
		e.OnSubmitted = func(string) { k.touch(); k.onIdentify() }
	}
	k.msg = widget.NewLabel(l.text(msgKioskDocumentHint))
	k.msg.Wrapping = fyne.TextWrapWord
	pick := func(e *widget.Entry) func() { return func() { k.target = e; k.w.Canvas().Focus(e) } }
	cfBtn := widget.NewButton(l.text(msgKioskCF), k.tap(pick(k.cfBox)))
	docBtn := widget.NewButton(l.text(msgKioskDocument), k.tap(pick(k.docBox)))
	ok := widget.NewButtonWithIcon(l.text(msgConfirm), theme.ConfirmIcon(), k.tap(k.onIdentify))
	ok.Importance = widget.HighImportance
	form := container.NewVBox(
		container.NewBorder(nil, nil, container.New(&minSize{fyne.NewSize(440, 72)}, cfBtn), nil, k.cfBox),
		container.NewBorder(nil, nil, container.New(&minSize{fyne.NewSize(440, 72)}, docBtn), nil, k.docBox),
		k.msg,
		k.keyboard(),
		container.NewCenter(big(ok, 400)),
	)
	k.set("identify", k.frame(l.text(msgKioskIdentify), form, k.wipe))
	k.w.Canvas().Focus(k.cfBox)
}

// keyboard is the on-screen keyboard: digits and capitals, the only
// characters of a codice fiscale and of an identity document number.
func (k *Kiosk) keyboard() fyne.CanvasObject {
	rows := []string{"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"}
	box := container.NewVBox()
	for _, row := range rows {
		line := container.NewHBox(layout.NewSpacer())
		for _, r := range row {
			s := string(r)
			line.Add(container.New(&minSize{fyne.NewSize(84, 72)}, widget.NewButton(s, k.tap(func() { k.key(s) }))))
		}
		if row == "ZXCVBNM" {
			line.Add(container.New(&minSize{fyne.NewSize(150, 72)}, widget.NewButtonWithIcon("", theme.ContentUndoIcon(), k.tap(func() { k.key("\b") }))))
			line.Add(container.New(&minSize{fyne.NewSize(150, 72)}, widget.NewButton(k.lang.text(msgKioskClear), k.tap(func() { k.key("\x00") }))))
		}
		line.Add(layout.NewSpacer())
		box.Add(line)
	}
	return box
}

func (k *Kiosk) key(s string) {
	e := k.target
	if e == nil {
		return
	}
	switch s {
	case "\b":
		if r := []rune(e.Text); len(r) > 0 {
			e.SetText(string(r[:len(r)-1]))
		}
	case "\x00":
		e.SetText("")
	default:
		if len(e.Text) < 32 {
			e.SetText(e.Text + s)
		}
		if e == k.cfBox && len(e.Text) == 16 {
			k.target = k.docBox // the codice fiscale is complete: on to the document
		}
	}
}

type identifyResult struct {
	file *app.CitizenFile
	err  error
}

func (k *Kiosk) onIdentify() {
	if k.cfBox == nil {
		return
	}
	code, doc := k.cfBox.Text, k.docBox.Text
	ctx := k.ctx
	k.msg.SetText(k.lang.text(msgKioskChecking))
	inBackground(k.ui, func() identifyResult {
		f, err := k.d.Self.Identify(ctx, code, doc)
		return identifyResult{f, err}
	}, func(r identifyResult) {
		if ctx.Err() != nil || k.msg == nil {
			return
		}
		if r.err != nil {
			k.docBox.SetText("")
			k.msg.SetText(app.ErrorMessage(r.err))
			k.msg.Importance = widget.DangerImportance
			k.msg.Refresh()
			return
		}
		k.cfBox.SetText("")
		k.docBox.SetText("")
		k.session = &kiosk.Session{Citizen: &r.file.Citizen, File: r.file, Started: k.d.Now()}
		k.showMenu()
	})
}

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
		as, _ := k.d.Self.Appointments(ctx, cf)
		return menuResult{as}
	}, func(r menuResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
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
		ticket := widget.NewButtonWithIcon(l.text(msgKioskLinkedTicket), theme.ContentAddIcon(), k.tap(k.showAreas))
		ticket.Importance = widget.HighImportance
		items = append(items,
			big(ticket, 720),
			big(widget.NewButtonWithIcon(l.text(msgKioskCertificates), theme.DocumentPrintIcon(), k.tap(k.showCertificates)), 720),
			big(widget.NewButtonWithIcon(l.text(msgKioskActivity), theme.ListIcon(), k.tap(k.showActivity)), 720),
		)
		if k.d.Appointments != nil {
			items = append(items, big(widget.NewButtonWithIcon(l.text(msgKioskMyAppointments), theme.HistoryIcon(), k.tap(k.showAppointments)), 720))
		}
		if k.d.Payments != nil {
			items = append(items, big(widget.NewButtonWithIcon(l.text(msgKioskPayNotices), theme.DocumentPrintIcon(), k.tap(k.showPayNotices)), 720))
		}
		items = append(items,
			big(widget.NewButtonWithIcon(l.text(msgKioskEnd), theme.LogoutIcon(), k.tap(k.wipe)), 720),
			bigText(l.text(msgKioskIdleSoon), 20, false),
		)
		k.set("menu", k.frame("", container.NewCenter(container.NewVBox(items...)), nil))
	})
}

func (k *Kiosk) onCheckIn() {
	if !k.session.Active() {
		return
	}
	cf := k.session.Citizen.CodiceFiscale
	k.issueWith(func(ctx context.Context) (queue.Ticket, error) {
		t, _, err := k.d.Queue.CheckIn(ctx, cf)
		return t, err
	}, "")
}

type policyResult struct {
	p   kiosk.Policy
	err error
}

// showCertificates lists the certificates the comune lets the kiosk print.
func (k *Kiosk) showCertificates() {
	ctx := k.ctx
	inBackground(k.ui, func() policyResult {
		p, err := k.d.Self.Policy(ctx)
		return policyResult{p, err}
	}, func(r policyResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		l := k.lang
		list := container.NewVBox()
		if r.err != nil {
			list.Add(k.errorText(app.ErrorMessage(r.err)))
		}
		for _, a := range r.p.Certificates {
			a := a
			title := certificateTitle(a.Type)
			if len(a.Uses) == 0 {
				title += " — " + l.text(msgKioskCertExempt)
			}
			list.Add(big(widget.NewButton(title, k.tap(func() {
				if len(a.Uses) == 0 {
					k.printCertificate(a.Type, -1)
					return
				}
				k.chooseUse(a)
			})), 900))
		}
		k.set("certificates", k.frame(l.text(msgKioskChooseCert), container.NewVScroll(list), k.showMenu))
	})
}

func (k *Kiosk) chooseUse(a kiosk.Allowed) {
	l := k.lang
	list := container.NewVBox()
	for i, u := range a.Uses {
		i := i
		label := u.Label
		if l == langEN && u.LabelEN != "" {
			label = u.LabelEN
		}
		list.Add(big(widget.NewButton(label, k.tap(func() { k.printCertificate(a.Type, i) })), 900))
	}
	k.set("use", k.frame(certificateTitle(a.Type)+" — "+l.text(msgKioskChooseUse), list, k.showCertificates))
}

type certResult struct {
	number string
	pdf    []byte
	err    error
}

func (k *Kiosk) printCertificate(slug string, use int) {
	if !k.session.Active() {
		return
	}
	ctx, file := k.ctx, k.session.File
	k.set("printing", k.frame("", container.NewCenter(bigText(k.lang.text(msgKioskPrinting), 40, false)), nil))
	inBackground(k.ui, func() certResult {
		n, pdf, err := k.d.Self.Certificate(ctx, file, slug, use)
		return certResult{n, pdf, err}
	}, func(r certResult) {
		if ctx.Err() != nil {
			return
		}
		if r.err != nil {
			k.set("error", k.frame("", k.errorText(app.ErrorMessage(r.err)), k.showCertificates))
			return
		}
		k.printPDF(r.number, r.pdf)
	})
}

func (k *Kiosk) printPDF(number string, pdf []byte) {
	ctx := k.ctx
	inBackground(k.ui, func() error { return k.d.Printer.PrintPDF(ctx, "Certificato "+number, pdf) }, func(err error) {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			k.showPrinterTrouble(err, func() { k.printPDF(number, pdf) })
			return
		}
		done := widget.NewButton(k.lang.text(msgKioskDone), k.tap(k.showMenu))
		done.Importance = widget.HighImportance
		k.set("printed", k.frame("", container.NewCenter(container.NewVBox(
			bigText(k.lang.textf(msgKioskCertPrinted, number), 32, true), container.NewCenter(big(done, 320)))), nil))
	})
}

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
			appts = append(appts, l.textf(msgKioskAppointmentLine, st.Format("02/01/2006"), st.Format("15:04"), a.Area, a.Counter))
		}
		box := container.NewVBox(section(l.text(msgAppointments), appts), section(l.text(msgKioskRequests), r.requests), section(l.text(msgPayments), r.payments))
		if r.err != nil {
			box.Add(k.errorText(app.ErrorMessage(r.err)))
		}
		k.set("activity", k.frame(l.text(msgKioskActivity), container.NewVScroll(box), k.showMenu))
	})
}

func bigLeft(s string, size float32, bold bool) *canvas.Text {
	t := bigText(s, size, bold)
	t.Alignment = fyne.TextAlignLeading
	return t
}

type noticesResult struct {
	n   []kiosk.Notice
	err error
}

// showAlbo is the albo pretorio: the acts published today, each opening
// its text.
func (k *Kiosk) showAlbo() {
	ctx := k.ctx
	inBackground(k.ui, func() noticesResult {
		n, err := k.d.Self.Notices(ctx)
		return noticesResult{n, err}
	}, func(r noticesResult) {
		if ctx.Err() != nil {
			return
		}
		l := k.lang
		list := container.NewVBox()
		if r.err != nil {
			list.Add(k.errorText(app.ErrorMessage(r.err)))
		} else if len(r.n) == 0 {
			list.Add(widget.NewLabel(l.text(msgKioskNoNotices)))
		}
		for _, n := range r.n {
			n := n
			to := formatDate(n.To)
			if to == "" {
				to = "—"
			}
			b := widget.NewButton(n.Category+": "+n.Title, k.tap(func() { k.showNotice(n) }))
			b.Alignment = widget.ButtonAlignLeading
			sub := widget.NewLabel(l.textf(msgKioskNoticeLine, n.Number, n.Office, formatDate(n.From), to))
			list.Add(container.NewVBox(big(b, 900), sub))
		}
		back := k.showStart
		if k.session.Active() {
			back = k.showMenu
		}
		k.set("albo", k.frame(l.text(msgKioskAlbo), container.NewVScroll(list), back))
	})
}

func (k *Kiosk) showNotice(n kiosk.Notice) {
	t := widget.NewLabel(n.Text)
	t.Wrapping = fyne.TextWrapWord
	head := widget.NewLabel(k.lang.textf(msgKioskNoticeLine, n.Number, n.Office, formatDate(n.From), formatDate(n.To)))
	k.set("notice", k.frame(n.Title, container.NewVScroll(container.NewVBox(head, t)), k.showAlbo))
}

// kioskTheme is the counter's theme in large type: a touch screen read
// standing, by anyone.
type kioskTheme struct{ counterTheme }

func newKioskTheme() fyne.Theme {
	return &kioskTheme{counterTheme{Theme: theme.DefaultTheme()}}
}

func (t *kioskTheme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 26
	case theme.SizeNameHeadingText:
		return 40
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameInlineIcon:
		return 32
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 16
	}
	return t.counterTheme.Size(n)
}
