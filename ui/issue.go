package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/certificate"
)

// issueShortcut (Ctrl+P) opens the issue form from the citizen file.
var issueShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyP, Modifier: fyne.KeyModifierShortcutDefault}

// The issue form's size in the counter's 1280x800 window.
const (
	issueFormWidth  = 1040
	issueFormHeight = 660
)

// issueForm is the dialog that issues a certificate to the person of the
// open file: the type, the use, the bollo and where it prints. The types the
// person cannot have are listed apart with the reason, and cannot be chosen.
//
// Keyboard first: the type list has the keyboard; arrows choose, Enter (or
// Tab) goes on to the use; Enter there goes on to the marca when one is
// due and still missing, and otherwise issues. A field still wrong takes
// the keyboard with its message; a refusal of the domain is shown in the
// form, which stays open.
type issueForm struct {
	f     *fileScreen
	c     *Counter
	file  *app.CitizenFile
	types []certificate.Type // of each row of list; zero for headers and refused types
	// failures are the forceable ANPR controls each row's type fails: the
	// operator issues it only with a reason (forceBox).
	failures [][]certificate.Failure

	list   *pickList
	scroll *container.Scroll
	use    *formEntry
	abroad *widget.Check

	withBollo  *fyne.Container // the choice of marca or exemption
	byLaw      fyne.CanvasObject
	choice     *widget.RadioGroup
	marcaBox   *fyne.Container
	marca      *formEntry
	marcaHelp  *widget.RichText
	exemptBox  *fyne.Container
	exemption  *widget.Select
	exemptions []anpr.Entry // of each option of exemption
	law        *formEntry
	exemptNote *widget.RichText

	forceBox    *fyne.Container
	forceTitle  *widget.RichText
	forceReason *formEntry
	forceNote   *widget.RichText

	// onDateBox asks the day a storico di residenza alla data certifies.
	onDateBox  *fyne.Container
	onDate     *formEntry
	onDateNote *widget.RichText

	output         *widget.Select
	printers       []string
	defaultPrinter string
	outputNote     *widget.RichText

	message *widget.RichText
	submit  *widget.Button
	cancel  *widget.Button
	dlg     *dialog.CustomDialog

	loaded bool // printers and exemptions arrived
	busy   bool // a certificate is being issued
}

// onIssue opens the issue form for the file shown (Ctrl+P, or the button).
func (f *fileScreen) onIssue() {
	if f.file == nil || f.c.d.Certificates == nil || f.form != nil || f.c.dialogOpen() {
		return
	}
	f.c.touch()
	f.form = newIssueForm(f)
	f.form.show()
}

// closeForm closes the issue form, if open, without issuing.
func (f *fileScreen) closeForm() {
	if f.form != nil {
		f.form.close()
	}
}

func newIssueForm(f *fileScreen) *issueForm {
	c := f.c
	l := c.lang
	fm := &issueForm{f: f, c: c, file: f.file}

	fm.list = newPickList()
	fm.list.onMove = func(id int) {
		c.touch()
		scrollIntoView(fm.scroll, fm.list.row(id))
		fm.onType()
	}
	fm.list.onOpen = func(int) {
		c.touch()
		fm.onType()
		c.focus(fm.use)
	}
	fm.list.onOther = func(ev *fyne.KeyEvent) {
		c.touch()
		if ev.Name == fyne.KeyEscape {
			fm.onCancel()
		}
	}
	fm.setTypes()
	fm.scroll = container.NewVScroll(fm.list)

	fm.use = newFormEntry(fm.onUseSubmitted, fm.onCancel, c.touch)
	fm.use.SetPlaceHolder(l.text(msgUsePlaceholder))
	fm.abroad = widget.NewCheck(l.text(msgAbroad), func(bool) { c.touch() })

	fm.marca = newFormEntry(fm.onSubmit, fm.onCancel, c.touch)
	fm.marca.SetPlaceHolder(l.textf(msgMarcaPlaceholder, certificate.MarcaLength))
	fm.marcaHelp = note("", false)
	fm.marca.OnChanged = fm.onMarcaChanged
	fm.marcaBox = container.NewVBox(fm.marca, fm.marcaHelp)

	fm.exemption = widget.NewSelect(nil, func(string) { fm.onExemption() })
	fm.exemption.PlaceHolder = l.text(msgExemptionPick)
	fm.exemption.Disable()
	fm.law = newFormEntry(fm.onSubmit, fm.onCancel, c.touch)
	fm.law.SetPlaceHolder(l.text(msgExemptionLaw))
	fm.law.Hide()
	fm.exemptNote = note("", true)
	fm.exemptBox = container.NewVBox(quiet(l.text(msgExemption), fyne.TextStyle{}, theme.SizeNameCaptionText), fm.exemption, fm.law, fm.exemptNote)

	fm.choice = widget.NewRadioGroup([]string{l.text(msgMarcaOption), l.text(msgExemptOption)}, func(string) { fm.onBolloChoice() })
	fm.choice.Horizontal = true
	fm.choice.Required = true
	fm.choice.SetSelected(l.text(msgMarcaOption))
	fm.withBollo = container.NewVBox(fm.choice, fm.marcaBox, fm.exemptBox)
	fm.byLaw = widget.NewLabel(l.text(msgExemptByLaw))

	fm.forceTitle = note("", true)
	fm.forceReason = newFormEntry(fm.onSubmit, fm.onCancel, c.touch)
	fm.forceReason.SetPlaceHolder(l.text(msgForceReason))
	fm.forceNote = note("", true)
	fm.forceBox = container.NewVBox(fm.forceTitle, fm.forceReason, fm.forceNote)
	fm.forceBox.Hide()

	fm.onDate = newFormEntry(fm.onSubmit, fm.onCancel, c.touch)
	fm.onDate.SetPlaceHolder(l.text(msgOnDatePlaceholder))
	fm.onDateNote = note("", true)
	fm.onDateBox = container.NewVBox(labelled(l.text(msgOnDate), fm.onDate), fm.onDateNote)
	fm.onDateBox.Hide()

	fm.output = widget.NewSelect(nil, func(string) { c.touch() })
	fm.output.PlaceHolder = l.text(msgLoading)
	fm.output.Disable()
	fm.outputNote = note("", true)

	fm.message = note("", true)
	fm.submit = widget.NewButtonWithIcon(l.text(msgIssueSubmit), theme.DocumentPrintIcon(), fm.onSubmit)
	fm.submit.Importance = widget.HighImportance
	fm.submit.Disable()
	fm.cancel = widget.NewButtonWithIcon(l.text(msgCancel)+" (Esc)", theme.CancelIcon(), fm.onCancel)
	fm.onBolloChoice()
	fm.onMarcaChanged("")

	left := container.NewBorder(caption(l.text(msgTypeLabel)), nil, nil, nil, fm.scroll)
	right := container.NewVBox(
		fm.forceBox,
		fm.onDateBox,
		labelled(l.text(msgUse), fm.use),
		fm.abroad,
		widget.NewSeparator(),
		labelled(l.text(msgBollo), container.NewStack(fm.withBollo, fm.byLaw)),
		widget.NewSeparator(),
		labelled(l.text(msgOutput), fm.output),
		fm.outputNote,
	)
	hint := quiet(l.text(msgIssueHint), fyne.TextStyle{}, theme.SizeNameCaptionText)
	hint.Wrapping = fyne.TextWrapWord
	gap := 2 * theme.Padding()
	body := container.New(&columns{weights: []float32{1, 1}},
		container.New(layout.NewCustomPaddedLayout(0, 0, 0, gap), left),
		container.New(layout.NewCustomPaddedLayout(0, 0, gap, 0), right))
	content := container.NewBorder(nil, container.NewVBox(fm.message, hint), nil, nil, body)

	person := displayName(f.file.Citizen.Surname, f.file.Citizen.GivenName)
	fm.dlg = dialog.NewCustomWithoutButtons(l.textf(msgIssueTitle, person), content, c.w)
	fm.dlg.SetButtons([]fyne.CanvasObject{fm.cancel, fm.submit})
	fm.dlg.Resize(fyne.NewSize(issueFormWidth, issueFormHeight))
	return fm
}

// show opens the form with the keyboard on the type list, and fetches the
// printers and exemptions.
func (fm *issueForm) show() {
	fm.dlg.Show()
	fm.c.focus(fm.list)
	fm.onType()
	fm.load()
}

// close hides the form and gives the keyboard back to the file.
func (fm *issueForm) close() {
	if fm.f.form != fm {
		return
	}
	fm.f.form = nil
	fm.dlg.Hide()
	if fm.f.family != nil && fm.c.file == fm.f {
		fm.c.focus(fm.f.family)
	}
}

// setTypes lists the types the person can have, then those they cannot
// with the reason, which certificate.Check gives on the operator's today.
// A type whose failing ANPR controls can all be forced is listed with the
// others, tagged: the form asks for the reason.
func (fm *issueForm) setTypes() {
	l, today := fm.c.lang, fm.c.d.Now()
	var items, refused []pickItem
	for _, t := range certificate.Types() {
		title := widget.NewLabel(certificateTitle(t.Title))
		if failures := certificate.Failures(t, fm.file, today); certificate.Forceable(failures) {
			row := container.NewHBox(title, container.NewCenter(newBadge(l.text(msgForceableTag), greyWash, greyText)))
			items = append(items, pickItem{content: row, selectable: true})
			fm.types = append(fm.types, t)
			fm.failures = append(fm.failures, failures)
			continue
		}
		if err := certificate.Check(t, fm.file, today); err != nil {
			title.Importance = widget.LowImportance
			reason := quiet(app.ErrorMessage(err), fyne.TextStyle{}, theme.SizeNameCaptionText)
			reason.Wrapping = fyne.TextWrapWord
			refused = append(refused, pickItem{content: container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), title, reason)})
			continue
		}
		row := fyne.CanvasObject(title)
		if !t.Bollo() {
			row = container.NewHBox(title, container.NewCenter(newBadge(l.text(msgExemptTag), greyWash, greyText)))
		}
		items = append(items, pickItem{content: row, selectable: true})
		fm.types = append(fm.types, t)
		fm.failures = append(fm.failures, nil)
	}
	if len(items) == 0 {
		items = append(items, pickItem{content: note(l.text(msgNoIssuableType), true)})
		fm.types = append(fm.types, certificate.Type{})
	}
	if len(refused) > 0 {
		header := widget.NewLabel(l.text(msgNotIssuable))
		header.TextStyle.Bold = true
		items = append(items, pickItem{content: container.NewVBox(widget.NewSeparator(), header)})
		items = append(items, refused...)
	}
	for len(fm.types) < len(items) {
		fm.types = append(fm.types, certificate.Type{})
	}
	fm.list.setItems(items)
}

// selectedFailures are the forceable controls the chosen type fails.
func (fm *issueForm) selectedFailures() []certificate.Failure {
	id := fm.list.selected
	if !fm.list.selectable(id) || id >= len(fm.failures) {
		return nil
	}
	return fm.failures[id]
}

// selectedType is the type chosen in the list.
func (fm *issueForm) selectedType() (certificate.Type, bool) {
	id := fm.list.selected
	if !fm.list.selectable(id) {
		return certificate.Type{}, false
	}
	return fm.types[id], true
}

type formOptions struct {
	exemptions     []anpr.Entry
	exemptionsErr  error
	printers       []string
	printersErr    error
	defaultPrinter string
}

// load fetches the exemptions and the printers off the UI goroutine.
func (fm *issueForm) load() {
	issuer, out, ctx := fm.c.d.Certificates, fm.c.d.Output, fm.c.session
	inBackground(fm.c.ui, func() formOptions {
		var o formOptions
		o.exemptions, o.exemptionsErr = issuer.Exemptions(ctx)
		if out != nil {
			o.printers, o.printersErr = out.Printers(ctx)
			o.defaultPrinter = out.DefaultPrinter()
		}
		return o
	}, fm.onOptions)
}

// onOptions fills the exemptions and the outputs, the default printer
// chosen, or saving when there is none.
func (fm *issueForm) onOptions(o formOptions) {
	if fm.f.form != fm {
		return // closed meanwhile
	}
	l := fm.c.lang
	fm.exemptions = o.exemptions
	opts := make([]string, len(o.exemptions))
	for i, e := range o.exemptions {
		opts[i] = e.Description
	}
	fm.exemption.SetOptions(opts)
	fm.exemption.Enable()
	if o.exemptionsErr != nil {
		setNote(fm.exemptNote, l.textf(msgExemptionsFailed, app.ErrorMessage(o.exemptionsErr)), true)
	}

	fm.printers, fm.defaultPrinter = o.printers, o.defaultPrinter
	fm.output.PlaceHolder = ""
	switch {
	case fm.c.d.Output == nil:
		fm.output.PlaceHolder = l.text(msgNoOutput)
		setNote(fm.outputNote, l.text(msgNoOutput), true)
	default:
		fm.output.SetOptions(append(slices.Clone(o.printers), l.text(msgSavePDF)))
		fm.output.Enable()
		if slices.Contains(o.printers, o.defaultPrinter) {
			fm.output.SetSelected(o.defaultPrinter)
		} else {
			fm.output.SetSelected(l.text(msgSavePDF))
		}
		if o.printersErr != nil {
			setNote(fm.outputNote, l.textf(msgPrintersFailed, app.ErrorMessage(o.printersErr)), true)
		}
	}
	fm.loaded = true
	fm.submit.Enable()
}

// onType shows the bollo for a type that takes one, or says that the law
// exempts it.
func (fm *issueForm) onType() {
	t, ok := fm.selectedType()
	taxed := !ok || t.Bollo()
	showIf(fm.withBollo, taxed)
	showIf(fm.byLaw, !taxed)
	showIf(fm.onDateBox, ok && t.Slug == certificate.SlugResidenzaAllaData)
	failures := fm.selectedFailures()
	showIf(fm.forceBox, len(failures) > 0)
	if len(failures) > 0 {
		reasons := make([]string, len(failures))
		for i, f := range failures {
			reasons[i] = f.Reason
		}
		setNote(fm.forceTitle, fm.c.lang.textf(msgForceTitle, strings.Join(reasons, "; ")), true)
		setNote(fm.forceNote, "", true)
	}
}

func (fm *issueForm) onBolloChoice() {
	fm.c.touch()
	showIf(fm.marcaBox, !fm.exempt())
	showIf(fm.exemptBox, fm.exempt())
}

func (fm *issueForm) onExemption() {
	fm.c.touch()
	e, ok := fm.selectedExemption()
	showIf(fm.law, ok && e.ID == certificate.ExemptionOther)
	setNote(fm.exemptNote, "", true)
}

func (fm *issueForm) selectedExemption() (anpr.Entry, bool) {
	i := fm.exemption.SelectedIndex()
	if i < 0 || i >= len(fm.exemptions) {
		return anpr.Entry{}, false
	}
	return fm.exemptions[i], true
}

// onMarcaChanged checks the marca as it is typed: how many digits so far,
// or in red what is wrong with it.
func (fm *issueForm) onMarcaChanged(s string) {
	fm.c.touch()
	text, isError := marcaProblem(fm.c.lang, strings.TrimSpace(s), false)
	setNote(fm.marcaHelp, text, isError)
}

// marcaProblem says what is wrong with marca s, or while typing (final
// false) how far it is.
func marcaProblem(l lang, s string, final bool) (text string, isError bool) {
	n := certificate.MarcaLength
	switch {
	case certificate.ValidMarca(s):
		if final {
			return "", false
		}
		return l.text(msgMarcaComplete), false
	case s == "" && final:
		return l.textf(msgMarcaMissing, n), true
	case s == "":
		return l.textf(msgMarcaHint, n), false
	case len(s) < n && strings.Trim(s, "0123456789") == "":
		if final {
			return l.textf(msgMarcaIncomplete, len(s), n), true
		}
		return l.textf(msgMarcaCount, len(s), n), false
	}
	return l.textf(msgMarcaInvalid, n), true
}

// onUseSubmitted is Enter in the use: on to the bollo when it is still to
// be given, else issue.
func (fm *issueForm) onUseSubmitted() {
	if t, ok := fm.selectedType(); ok && t.Bollo() {
		if fm.exempt() {
			if _, ok := fm.selectedExemption(); !ok {
				fm.c.focus(fm.exemption)
				return
			}
		} else if strings.TrimSpace(fm.marca.Text) == "" {
			fm.c.focus(fm.marca)
			return
		}
	}
	fm.onSubmit()
}

// exempt reports whether the operator chose an exemption over a marca.
func (fm *issueForm) exempt() bool { return fm.choice.Selected == fm.c.lang.text(msgExemptOption) }

// problem is what stops the form from issuing, and where.
type problem struct {
	text  string
	note  *widget.RichText // under the field at fault; nil: the form's message
	focus fyne.Focusable
}

// request reads the form; a problem says what is missing or wrong.
func (fm *issueForm) request() (certificate.IssueRequest, *problem) {
	l := fm.c.lang
	t, ok := fm.selectedType()
	if !ok {
		return certificate.IssueRequest{}, &problem{text: l.text(msgChooseType), focus: fm.list}
	}
	r := certificate.IssueRequest{Type: t.Slug, Use: strings.TrimSpace(fm.use.Text), Abroad: fm.abroad.Checked}
	if fm.c.d.Output == nil {
		return r, &problem{text: l.text(msgNoOutput)}
	}
	if t.Slug == certificate.SlugResidenzaAllaData {
		day, err := time.ParseInLocation(dateLayout, strings.TrimSpace(fm.onDate.Text), time.UTC)
		if err != nil {
			return r, &problem{text: l.text(msgOnDateMissing), note: fm.onDateNote, focus: fm.onDate}
		}
		r.On = day
	}
	if failures := fm.selectedFailures(); len(failures) > 0 {
		reason := strings.TrimSpace(fm.forceReason.Text)
		switch {
		case reason == "":
			return r, &problem{text: l.text(msgForceReasonMissing), note: fm.forceNote, focus: fm.forceReason}
		case len([]rune(reason)) > certificate.MaxForceReason:
			return r, &problem{text: l.textf(msgForceReasonLong, certificate.MaxForceReason), note: fm.forceNote, focus: fm.forceReason}
		}
		for _, f := range failures {
			r.Force = append(r.Force, certificate.Forcing{Control: f.Control.ID, Reason: reason})
		}
	}
	if !t.Bollo() {
		return r, nil
	}
	if !fm.exempt() {
		m := strings.TrimSpace(fm.marca.Text)
		if text, _ := marcaProblem(l, m, true); text != "" {
			return r, &problem{text: text, note: fm.marcaHelp, focus: fm.marca}
		}
		r.Marca = m
		return r, nil
	}
	e, ok := fm.selectedExemption()
	if !ok {
		return r, &problem{text: l.text(msgExemptionPick), note: fm.exemptNote, focus: fm.exemption}
	}
	r.ExemptionID = e.ID
	if e.ID == certificate.ExemptionOther {
		r.ExemptionText = strings.TrimSpace(fm.law.Text)
		if r.ExemptionText == "" {
			return r, &problem{text: l.text(msgExemptionLawMissing), note: fm.exemptNote, focus: fm.law}
		}
	}
	return r, nil
}

// printer is the printer chosen, "" to save the PDF.
func (fm *issueForm) printer() string {
	if p := fm.output.Selected; slices.Contains(fm.printers, p) {
		return p
	}
	return ""
}

type issueResult struct {
	issued *certificate.Issued
	err    error // the issue was refused: nothing happened
	dest   destination
	outErr error // issued, but the PDF did not reach its output
}

// onSubmit issues the certificate off the UI goroutine, then sends its PDF
// to the output chosen; a printer other than the workstation's is
// remembered as its choice.
func (fm *issueForm) onSubmit() {
	fm.c.touch()
	l := fm.c.lang
	if fm.busy {
		return
	}
	if !fm.loaded {
		setNote(fm.message, l.text(msgLoadingOptions), false)
		return
	}
	setNote(fm.message, "", true)
	r, p := fm.request()
	if p != nil {
		n := p.note
		if n == nil {
			n = fm.message
		}
		setNote(n, p.text, true)
		if p.focus != nil {
			fm.c.focus(p.focus)
		}
		return
	}
	fm.busy = true
	fm.submit.Disable()
	fm.cancel.Disable()
	setNote(fm.message, l.text(msgIssuing), false)

	printer := fm.printer()
	remember := printer != "" && printer != fm.defaultPrinter
	op, issuer, out, ctx, file := fm.c.op, fm.c.d.Certificates, fm.c.d.Output, fm.c.session, fm.file
	inBackground(fm.c.ui, func() issueResult {
		issued, pdf, err := issuer.Issue(ctx, op, file, r)
		if err != nil {
			return issueResult{err: err}
		}
		if remember {
			// A choice not remembered costs a click next time; the
			// certificate is issued and must reach its printer regardless.
			_ = out.SetDefaultPrinter(printer)
		}
		number := issued.Certificate.Number.String()
		dest, err := deliver(ctx, out, printer, number+".pdf", l.textf(msgPaperCertificate, number), pdf)
		return issueResult{issued: issued, dest: dest, outErr: err}
	}, fm.onIssued)
}

// onIssued closes the form on success and says in the file where the
// certificate went; a refusal stays in the form.
func (fm *issueForm) onIssued(r issueResult) {
	if fm.f.form != fm || fm.c.file != fm.f {
		return // the session ended
	}
	l := fm.c.lang
	fm.busy = false
	if r.err != nil {
		fm.submit.Enable()
		fm.cancel.Enable()
		setNote(fm.message, app.ErrorMessage(r.err), true)
		return
	}
	fm.close()
	number := r.issued.Certificate.Number.String()
	if r.outErr != nil {
		fm.f.showNotice(l.textf(msgIssuedNotDelivered, number, app.ErrorMessage(r.outErr)), true)
	} else {
		fm.f.showNotice(l.textf(msgIssuedTo, number, l.destinationText(r.dest)), false)
	}
	fm.f.refreshCertificates()
}

// onCancel closes the form, unless a certificate is being issued: it will
// be, and the form says so when it is.
func (fm *issueForm) onCancel() {
	if !fm.busy {
		fm.close()
	}
}

// formEntry is a one-line field of a form: Enter submits, Esc cancels.
type formEntry struct {
	widget.Entry
	onEscape func()
	onInput  func() // any key: the operator is at the desk
}

func newFormEntry(submit, cancel, input func()) *formEntry {
	e := &formEntry{onEscape: cancel, onInput: input}
	e.ExtendBaseWidget(e)
	e.OnSubmitted = func(string) { submit() }
	return e
}

// TypedKey cancels the form on Esc; every other key edits the text.
func (e *formEntry) TypedKey(ev *fyne.KeyEvent) {
	if e.onInput != nil {
		e.onInput()
	}
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

// TypedRune types r.
func (e *formEntry) TypedRune(r rune) {
	if e.onInput != nil {
		e.onInput()
	}
	e.Entry.TypedRune(r)
}

// labelled is a field under its caption.
func labelled(text string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(caption(text), o)
}

// caption is the name of a field of a form.
func caption(text string) fyne.CanvasObject {
	t := widget.NewLabel(text)
	t.TextStyle.Bold = true
	return t
}

// setNote changes the text of a note, and whether it is an error.
func setNote(t *widget.RichText, text string, isError bool) {
	seg := t.Segments[0].(*widget.TextSegment)
	seg.Text = text
	seg.Style.ColorName = colorNameSecondary
	if isError {
		seg.Style.ColorName = theme.ColorNameError
	}
	t.Refresh()
}
