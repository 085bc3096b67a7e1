package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// fileScreen is the citizen file (fascicolo): who the person is, where they
// live, their family, and what the counter did for them: the certificates
// issued to them, each with its reprint, and the button that issues a new
// one (certificates.go, issue.go). A file from another comune says so at the
// top, with the time its data were read.
type fileScreen struct {
	widget.BaseWidget
	c *Counter

	body    *fyne.Container // the placeholder, a message or the file
	file    *app.CitizenFile
	family  *pickList // nil until a file is shown
	scroll  *container.Scroll
	certBox *fyne.Container // the content of the "Certificati" card
	notice  *fyne.Container // under the header: where the last certificate went
	form    *issueForm      // the issue form while it is open
	reqs    *requestsBox    // the "Istanze" card, with Deps.Requests (requests.go)
	gen     int             // of the latest opening; the results of older ones are dropped
	content fyne.CanvasObject
	pay     paymentsState // the "Pagamenti" card (payments.go)
}

func newFileScreen(c *Counter) *fileScreen {
	f := &fileScreen{c: c, body: container.NewStack()}
	f.content = container.NewPadded(f.body)
	f.showMessage(c.lang.text(msgNoFile), false)
	f.ExtendBaseWidget(f)
	return f
}

// CreateRenderer is called by Fyne to draw the screen.
func (f *fileScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(f.content)
}

type fileResult struct {
	file  *app.CitizenFile
	err   error
	certs certsResult
}

// load opens the file of codice fiscale cf off the UI goroutine, with the
// list of the certificates issued to the person, so that both appear
// together: a citizen of another comune is read from the hub.
func (f *fileScreen) load(cf string) {
	f.closeForm()
	f.gen++
	gen, op, counter, issuer, ctx := f.gen, f.c.op, f.c.d.Counter, f.c.d.Certificates, f.c.session
	f.showMessage(f.c.lang.text(msgOpening), false)
	inBackground(f.c.ui, func() fileResult {
		file, err := counter.OpenFile(ctx, op, cf)
		r := fileResult{file: file, err: err}
		if err == nil && issuer != nil {
			r.certs = listCertificates(ctx, issuer, file.Citizen.CodiceFiscale)
		}
		return r
	}, func(r fileResult) {
		if gen != f.gen || f.c.file != f {
			return // another file was asked for meanwhile, or the session ended
		}
		if needsPurpose(r.err) {
			f.showMessage(f.c.lang.text(msgPurposeNeeded), true)
			f.c.askPurpose(func() { f.load(cf) })
			return
		}
		if r.err != nil {
			f.showMessage(app.ErrorMessage(r.err), true)
			return
		}
		f.show(r.file, r.certs)
	})
}

func (f *fileScreen) showMessage(text string, isError bool) {
	f.releaseFocus()
	f.file, f.family = nil, nil
	var back fyne.CanvasObject
	if isError {
		back = container.NewBorder(nil, nil, nil, f.backButton())
	}
	f.setBody(container.NewBorder(back, nil, nil, nil, container.NewVBox(note(text, isError))))
}

func (f *fileScreen) setBody(o fyne.CanvasObject) {
	f.body.Objects = []fyne.CanvasObject{o}
	f.body.Refresh()
}

// backButton is the way back to the search, which Esc also takes.
func (f *fileScreen) backButton() fyne.CanvasObject {
	back := widget.NewButtonWithIcon(f.c.lang.text(msgBackToSearch)+" (Esc)", theme.NavigateBackIcon(), f.onBack)
	back.Importance = widget.LowImportance
	return container.NewVBox(back)
}

// show draws file with its certificates and gives the keyboard to its
// family list, unless the operator has gone back to typing in the search box
// meanwhile.
func (f *fileScreen) show(file *app.CitizenFile, certs certsResult) {
	f.releaseFocus()
	f.file = file
	l := f.c.lang
	f.family = newPickList()
	f.family.onOpen = f.onOpenMember
	f.family.onOther = f.onFamilyKey
	f.family.onRune = func(r rune) {
		if s := f.c.search; s != nil {
			s.onListRune(r)
		}
	}

	personal := newSection(l.text(msgPersonal), f.personalData())
	residence := newSection(l.text(msgResidence), f.residence())
	family := newSection(l.text(msgFamily), f.familyTable())
	f.certBox = container.NewStack()
	f.showCertificates(certs)
	activity := container.NewGridWithColumns(2,
		newSection(l.text(msgRequests), f.requests()),
		newSection(l.text(msgPayments), f.payments()),
	)
	cards := container.NewVBox(
		container.New(&columns{weights: []float32{3, 2}}, personal, residence),
		family,
		newSection(l.text(msgCertificates), f.certBox),
		activity,
	)
	if appts := f.appointmentsSection(); appts != nil { // appointments.go
		cards.Add(appts)
	}
	f.scroll = container.NewVScroll(cards)
	f.family.onMove = func(id int) {
		f.c.touch()
		scrollIntoView(f.scroll, f.family.row(id))
	}
	f.notice = container.NewVBox()
	f.setBody(container.NewBorder(container.NewVBox(f.header(), f.notice), nil, nil, nil, f.scroll))

	switch f.c.focused() {
	case nil, f.c.search.list:
		f.c.focus(f.family)
	}
}

// releaseFocus takes the keyboard from the family list about to be
// replaced, so that keys do not go to a widget no longer on screen (Esc
// then reaches the window, which returns to the search).
func (f *fileScreen) releaseFocus() {
	if f.family != nil && f.c.focused() == f.family {
		f.c.w.Canvas().Unfocus()
	}
}

// header names the person, with the marker of another comune and the age of
// the data; the way back to the search is on its right.
func (f *fileScreen) header() fyne.CanvasObject {
	l, file := f.c.lang, f.file
	name := widget.NewLabel(displayName(file.Citizen.Surname, file.Citizen.GivenName))
	name.SizeName = theme.SizeNameHeadingText
	name.TextStyle.Bold = true
	cf := widget.NewLabel(file.Citizen.CodiceFiscale)
	cf.TextStyle.Monospace = true
	cf.SizeName = theme.SizeNameSubHeadingText
	cf.Selectable = true
	// A long name gives way (with an ellipsis) before the codice fiscale
	// and the buttons: the file never widens the window past the screen.
	name.Truncation = fyne.TextTruncateEllipsis
	tail := container.NewHBox(container.NewCenter(cf))
	if st := l.statusText(file.Citizen.Status); st != "" {
		tail.Add(container.NewCenter(newBadge(st, greyWash, greyText)))
	}
	line := container.NewBorder(nil, nil, nil, tail, name)

	asOf := l.text(msgAsOfUnknown)
	if !file.AsOf.IsZero() {
		asOf = l.textf(msgAsOf, formatInstant(file.AsOf, f.c.d.Now().Location()))
	}
	actions := container.NewHBox()
	if f.c.d.Certificates != nil {
		issue := widget.NewButtonWithIcon(l.text(msgIssueButton)+" (Ctrl+P)", theme.DocumentPrintIcon(), f.onIssue)
		issue.Importance = widget.HighImportance
		actions.Add(container.NewVBox(issue))
	}
	if f.c.d.Accesses != nil && f.c.op != nil && f.c.op.Has(app.RoleSupervisor) && !file.Remote {
		actions.Add(container.NewVBox(widget.NewButtonWithIcon(l.text(msgAccessExport), theme.DocumentSaveIcon(), f.onExportAccesses)))
	}
	actions.Add(f.backButton())
	// The name has the whole first line; the buttons share the second with
	// the age of the data.
	box := container.New(layout.NewCustomPaddedVBoxLayout(0), line)
	if file.Remote {
		box.Add(newBanner(l.textf(msgRemoteMarker, comuneOf(file))))
	}
	box.Add(container.NewBorder(nil, nil, nil, actions, container.NewVBox(layout.NewSpacer(), quiet(asOf, fyne.TextStyle{}, ""), layout.NewSpacer())))
	return box
}

func comuneOf(file *app.CitizenFile) string {
	if file.ComuneName != "" {
		return placeName(file.ComuneName)
	}
	return file.Citizen.Comune
}

// personalData is the "Dati anagrafici" card.
func (f *fileScreen) personalData() fyne.CanvasObject {
	l, file, p := f.c.lang, f.file, &f.file.Citizen
	sex, born := l.text(msgMale), l.text(msgBornMale)
	if p.Sex == "F" {
		sex, born = l.text(msgFemale), l.text(msgBornFemale)
	}
	birth := formatDate(p.BirthDate)
	if file.BirthPlaceName != "" {
		birth = l.textf(msgBornAt, birth, file.BirthPlaceName)
	}
	position := l.statusText(p.Status)
	if position == "" {
		position = l.text(msgResident)
	}
	registry := []fyne.CanvasObject{field(l.text(msgRegisteredOn), formatDate(p.RegisteredOn))}
	if !p.CancelledOn.IsZero() {
		cancelled := formatDate(p.CancelledOn)
		if p.CancelReason != "" {
			cancelled += " — " + p.CancelReason
		}
		registry = append(registry, field(l.text(msgCancelledOn), cancelled))
	}
	return container.NewVBox(
		container.New(&columns{weights: []float32{2, 1}}, field(born, birth), field(l.text(msgSex), sex)),
		container.NewGridWithColumns(3,
			field(l.text(msgCitizenship), file.CitizenshipName),
			field(l.text(msgCivilStatus), file.CivilStatusName),
			field(l.text(msgPosition), position)),
		container.New(&columns{weights: []float32{1, 2}}, registry...),
	)
}

// residence is the "Residenza" card: where the person lives and on which
// family sheet.
func (f *fileScreen) residence() fyne.CanvasObject {
	l, file := f.c.lang, f.file
	return container.NewVBox(
		field(l.text(msgAddress), file.Citizen.Address.String()),
		field(l.text(msgComuneLabel), comuneOf(file)),
		container.NewGridWithColumns(2,
			field(l.text(msgFamilySheet), file.Citizen.FamilyID),
			field(l.text(msgRelationship), file.RelationshipName)),
	)
}

// familyWeights are the relative widths of the family table's columns.
var familyWeights = []float32{3, 3.6, 3.2, 2.2}

// familyTable lists the members of the family sheet, the citizen of the
// file marked; Enter or a tap on a member opens their file.
func (f *fileScreen) familyTable() fyne.CanvasObject {
	l, file := f.c.lang, f.file
	if len(file.Family) == 0 {
		return note(l.text(msgNoFamily), false)
	}
	head := make([]fyne.CanvasObject, 0, 4)
	for _, id := range []msg{msgRelationship, msgColName, msgColCodiceFiscale, msgColBirthDate} {
		h := quiet(l.text(id), fyne.TextStyle{Bold: true}, "")
		h.Truncation = fyne.TextTruncateEllipsis
		head = append(head, h)
	}
	items := make([]pickItem, len(file.Family))
	self := -1
	for i, m := range file.Family {
		me := m.CodiceFiscale == file.Citizen.CodiceFiscale
		name := cell(displayName(m.Surname, m.GivenName))
		name.TextStyle.Bold = me
		cf := cell(m.CodiceFiscale)
		cf.TextStyle.Monospace = true
		rel := widget.NewLabel(m.RelationshipName)
		rel.Wrapping = fyne.TextWrapWord // "Convivente (con vincoli di coppia)" is long and matters
		row := container.New(&columns{weights: familyWeights}, rel, name, cf, cell(formatDate(m.BirthDate)))
		items[i] = pickItem{content: row, selectable: true, marked: me}
		if me {
			self = i
		}
	}
	f.family.setItems(items)
	f.family.setSelected(self)
	header := container.New(layout.NewCustomPaddedLayout(0, 0, 2*theme.Padding(), theme.Padding()),
		container.New(&columns{weights: familyWeights}, head...))
	return container.NewVBox(header, f.family)
}

func (f *fileScreen) requests() fyne.CanvasObject {
	if f.c.d.Requests != nil {
		return f.requestsSection()
	}
	l := f.c.lang
	var lines []fyne.CanvasObject
	for _, r := range f.file.Requests {
		lines = append(lines, wrapped(l.textf(msgRequestLine, r.Number, r.Service, r.Status, formatDate(r.At))))
	}
	return listOr(lines, l.text(msgNoRequests))
}

func (f *fileScreen) payments() fyne.CanvasObject {
	if f.c.d.Payments != nil {
		return f.paymentsCard() // payments.go
	}
	l := f.c.lang
	var lines []fyne.CanvasObject
	for _, p := range f.file.Payments {
		lines = append(lines, wrapped(l.textf(msgPaymentLine, p.Causale, l.euro(p.AmountCents), p.State, formatDate(p.DueDate))))
	}
	return listOr(lines, l.text(msgNoPayments))
}

func listOr(lines []fyne.CanvasObject, empty string) fyne.CanvasObject {
	if len(lines) == 0 {
		return quiet(empty, fyne.TextStyle{Italic: true}, "")
	}
	return container.NewVBox(lines...)
}

// onOpenMember opens the file of family member id.
func (f *fileScreen) onOpenMember(id int) {
	if f.file == nil || id < 0 || id >= len(f.file.Family) {
		return
	}
	cf := f.file.Family[id].CodiceFiscale
	if cf == f.file.Citizen.CodiceFiscale {
		return // already open
	}
	f.c.openFile(cf)
}

func (f *fileScreen) onFamilyKey(ev *fyne.KeyEvent) {
	f.c.touch()
	switch ev.Name {
	case fyne.KeyEscape:
		f.onBack()
	case fyne.KeyF2:
		f.c.onCallNext() // queue.go
	}
}

// onBack returns to the search, its text and results kept.
func (f *fileScreen) onBack() { f.c.backToSearch() }

// newSection is a card of the file: a title over its content, framed.
func newSection(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabel(title)
	t.TextStyle.Bold = true
	t.Importance = widget.HighImportance
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	frame.StrokeWidth = 1
	frame.CornerRadius = theme.InputRadiusSize()
	inner := container.NewBorder(container.NewVBox(t, widget.NewSeparator()), nil, nil, nil, content)
	return container.NewPadded(container.NewStack(frame, container.NewPadded(inner)))
}

// newBanner is a full-width notice on an amber wash: data from another
// comune.
func newBanner(text string) fyne.CanvasObject {
	bg := canvas.NewRectangle(amberWash)
	bg.CornerRadius = theme.InputRadiusSize()
	t := canvas.NewText(text, amberText)
	t.TextStyle.Bold = true
	return container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(theme.Padding(), theme.Padding(), 2*theme.Padding(), 2*theme.Padding()), t))
}

// field is a value under its caption, as on a paper form.
func field(caption, value string) fyne.CanvasObject {
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()),
		quiet(caption, fyne.TextStyle{}, theme.SizeNameCaptionText), v)
}

func wrapped(text string) *widget.Label {
	lbl := widget.NewLabel(text)
	lbl.Wrapping = fyne.TextWrapWord
	return lbl
}

func cell(text string) *widget.Label {
	lbl := widget.NewLabel(text)
	lbl.Truncation = fyne.TextTruncateEllipsis
	return lbl
}

// columns lays its objects side by side with widths in proportion to
// weights: the family table's rows line up with its header.
type columns struct{ weights []float32 }

func (c *columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	total := float32(0)
	for _, w := range c.weights {
		total += w
	}
	x := float32(0)
	for i, o := range objs {
		w := size.Width * c.weights[i%len(c.weights)] / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (c *columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s.Width += m.Width
		s.Height = max(s.Height, m.Height)
	}
	return s
}

type accessesResult struct {
	n     int
	paths []string
	err   error
}

// onExportAccesses answers the citizen's access request (art. 15 GDPR):
// the hub's list of who accessed them, when and why, saved as CSV and as
// JSON in the workstation's documents folder.
func (f *fileScreen) onExportAccesses() {
	if f.file == nil {
		return
	}
	cf, op, ctx, export, out := f.file.Citizen.CodiceFiscale, f.c.op, f.c.session, f.c.d.Accesses, f.c.d.Output
	day := f.c.d.Now().Format("20060102")
	f.showNotice(f.c.lang.text(msgAccessExporting), false)
	inBackground(f.c.ui, func() accessesResult {
		list, err := export(ctx, op, cf)
		if err != nil {
			return accessesResult{err: err}
		}
		r := accessesResult{n: len(list)}
		for _, x := range []struct {
			ext  string
			data []byte
		}{{"csv", app.AccessesCSV(list)}, {"json", app.AccessesJSON(list)}} {
			path, err := out.Save("accessi-"+cf+"-"+day+"."+x.ext, x.data)
			if err != nil {
				return accessesResult{err: err}
			}
			r.paths = append(r.paths, path)
		}
		return r
	}, func(r accessesResult) {
		if f.file == nil || f.file.Citizen.CodiceFiscale != cf {
			return // another file is open now
		}
		if r.err != nil {
			f.showNotice(f.c.lang.textf(msgAccessExportFailed, app.ErrorMessage(r.err)), true)
			return
		}
		f.showNotice(f.c.lang.textf(msgAccessExported, r.n, strings.Join(r.paths, ", ")), false)
	})
}
