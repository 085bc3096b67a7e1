package ui

import (
	"context"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// requestsBox is the content of the file's "Istanze" card: the person's
// requests with their number (protocol, or provisional until the hub
// assigns it) and state, the reprint of each receipt, the state change for
// the back office, and the button that takes a new request.
type requestsBox struct {
	f    *fileScreen
	box  *fyne.Container
	list []request.Request
	form *requestForm

	statusDlg *statusDialog // the open state change
}

// requestsSection builds the card's content and loads the requests.
func (f *fileScreen) requestsSection() fyne.CanvasObject {
	b := &requestsBox{f: f, box: container.NewVBox(quiet(f.c.lang.text(msgLoading), fyne.TextStyle{Italic: true}, ""))}
	f.reqs = b
	b.load()
	return b.box
}

type requestsResult struct {
	list []request.Request
	err  error
}

func (b *requestsBox) load() {
	f, reqs, ctx := b.f, b.f.c.d.Requests, b.f.c.session
	file := f.file
	inBackground(f.c.ui, func() requestsResult {
		list, err := reqs.List(ctx, file.Citizen.CodiceFiscale)
		return requestsResult{list, err}
	}, func(r requestsResult) {
		if f.file != file || f.c.file != f {
			return // another file is shown
		}
		b.show(r)
	})
}

func (b *requestsBox) show(r requestsResult) {
	l := b.f.c.lang
	newButton := widget.NewButtonWithIcon(l.text(msgNewRequest), theme.ContentAddIcon(), b.onNew)
	newButton.Importance = widget.HighImportance
	objs := []fyne.CanvasObject{container.NewHBox(newButton)}
	switch {
	case r.err != nil:
		objs = append(objs, note(l.textf(msgRequestsFailed, app.ErrorMessage(r.err)), true))
	case len(r.list) == 0:
		objs = append(objs, quiet(l.text(msgNoRequests), fyne.TextStyle{Italic: true}, ""))
	}
	b.list = r.list
	back := b.f.c.op != nil && b.f.c.op.Has(app.RoleBackOffice)
	for _, req := range r.list {
		req := req
		number := req.DisplayNumber()
		if req.IsProvisional() {
			number = l.textf(msgProvisional, number)
		}
		line := wrapped(l.textf(msgRequestLine, number, req.ServiceTitle, l.requestStatus(req.Status), formatDate(req.SubmittedAt)))
		receipt := widget.NewButtonWithIcon(l.text(msgReceipt), theme.DocumentPrintIcon(), func() { b.onReceipt(req) })
		receipt.Importance = widget.LowImportance
		actions := container.NewHBox(receipt)
		if back && !req.Status.Final() && !req.IsProvisional() {
			actions.Add(widget.NewButtonWithIcon(l.text(msgChangeStatus), theme.MediaSkipNextIcon(), func() { b.onStatus(req) }))
		}
		col := []fyne.CanvasObject{line}
		if n := req.LastNote(); n != "" {
			col = append(col, quiet(n, fyne.TextStyle{Italic: true}, theme.SizeNameCaptionText))
		}
		objs = append(objs, container.NewBorder(nil, nil, nil, actions, container.NewVBox(col...)))
	}
	b.box.Objects = objs
	b.box.Refresh()
}

// requestStatus is a state in the operator's language.
func (l lang) requestStatus(s request.Status) string {
	switch s {
	case request.StatusReceived:
		return l.text(msgRequestReceived)
	case request.StatusWorking:
		return l.text(msgRequestWorking)
	case request.StatusIntegration:
		return l.text(msgRequestIntegration)
	case request.StatusConcluded:
		return l.text(msgRequestConcluded)
	case request.StatusRejected:
		return l.text(msgRequestRejected)
	}
	return strings.ToLower(s.Title()) // a state newer than this screen: the hub's word
}

// onReceipt prints the receipt again: with the protocol number once the
// hub has assigned it.
func (b *requestsBox) onReceipt(r request.Request) {
	f, c, l := b.f, b.f.c, b.f.c.lang
	reqs, out, op, ctx := c.d.Requests, c.d.Output, c.op, c.session
	printer := ""
	if out != nil {
		printer = out.DefaultPrinter()
	}
	type result struct {
		dest destination
		err  error
	}
	inBackground(c.ui, func() result {
		pdf, err := reqs.Receipt(ctx, op, r.ID)
		if err != nil {
			return result{err: err}
		}
		d, err := deliver(ctx, out, printer, receiptName(&r), l.textf(msgPaperReceipt, r.DisplayNumber()), pdf)
		return result{d, err}
	}, func(res result) {
		if res.err != nil {
			f.showNotice(l.textf(msgReceiptFailed, r.DisplayNumber(), app.ErrorMessage(res.err)), true)
			return
		}
		f.showNotice(l.textf(msgReceiptDone, r.DisplayNumber(), l.destinationText(res.dest)), false)
	})
}

func receiptName(r *request.Request) string {
	return "ricevuta-" + strings.NewReplacer("/", "-").Replace(r.DisplayNumber()) + ".pdf"
}

// onStatus opens the back office's state change: the next states of the
// request, a note, and the version the operator sees, which the hub checks.
func (b *requestsBox) onStatus(r request.Request) {
	c, l := b.f.c, b.f.c.lang
	var labels []string
	for _, s := range r.Status.Next() {
		labels = append(labels, l.requestStatus(s))
	}
	pick := widget.NewSelect(labels, nil)
	noteEntry := widget.NewMultiLineEntry()
	noteEntry.SetPlaceHolder(l.text(msgStatusNote))
	msg := note("", true)
	var dlg *dialog.CustomDialog
	confirm := widget.NewButtonWithIcon(l.text(msgConfirm), theme.ConfirmIcon(), nil)
	confirm.Importance = widget.HighImportance
	confirm.OnTapped = func() {
		i := pick.SelectedIndex()
		if i < 0 {
			msg.ParseMarkdown(l.text(msgChooseStatus))
			return
		}
		to, text := r.Status.Next()[i], noteEntry.Text
		reqs, op, ctx := c.d.Requests, c.op, c.session
		confirm.Disable()
		inBackground(c.ui, func() error {
			_, err := reqs.ChangeStatus(ctx, op, r.ID, to, text)
			return err
		}, func(err error) {
			confirm.Enable()
			if err != nil {
				msg.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: app.ErrorMessage(err), Style: widget.RichTextStyle{ColorName: theme.ColorNameError}}}
				msg.Refresh()
				return
			}
			dlg.Hide()
			b.f.showNotice(l.textf(msgStatusQueued, r.DisplayNumber(), l.requestStatus(to)), false)
			if c.d.SyncNow != nil {
				c.d.SyncNow()
			}
		})
	}
	cancel := widget.NewButton(l.text(msgCancel), func() { dlg.Hide() })
	content := container.NewVBox(
		wrapped(l.textf(msgRequestLine, r.DisplayNumber(), r.ServiceTitle, l.requestStatus(r.Status), formatDate(r.SubmittedAt))),
		labelled(l.text(msgNewStatus), pick), labelled(l.text(msgStatusNote), noteEntry), msg)
	dlg = dialog.NewCustomWithoutButtons(l.text(msgChangeStatus), content, c.w)
	dlg.SetButtons([]fyne.CanvasObject{cancel, confirm})
	dlg.Resize(fyne.NewSize(520, 380))
	dlg.Show()
	b.statusDlg = &statusDialog{pick: pick, note: noteEntry, confirm: confirm, msg: msg, dlg: dlg}
}

// statusDialog is the open state change, for the tests to drive.
type statusDialog struct {
	pick    *widget.Select
	note    *widget.Entry
	confirm *widget.Button
	msg     *widget.RichText
	dlg     *dialog.CustomDialog
}

// onNew opens the form of a new request for the person of the file.
func (b *requestsBox) onNew() {
	b.form = newRequestForm(b)
	b.form.show()
}

// requestForm takes a request: first the service, by life event or by
// words; then its form, rendered from its definition and filled from the
// citizen file; then the receipt.
type requestForm struct {
	b        *requestsBox
	c        *Counter
	dlg      *dialog.CustomDialog
	body     *fyne.Container
	services []request.Service
	shown    []request.Service
	search   *widget.Entry
	event    *widget.Select
	list     *widget.List
	message  *widget.RichText
	submit   *widget.Button
	back     *widget.Button

	svc     *request.Service
	widgets map[string]fyne.CanvasObject // the input of each field
	inputs  map[string]func() string
	errs    map[string]*widget.RichText
	files   map[string]request.File
	busy    bool

	scans *scanPicker // the scanner folder's newest files, under each attachment (requests_scans.go)
}

func newRequestForm(b *requestsBox) *requestForm {
	c, l := b.f.c, b.f.c.lang
	fm := &requestForm{b: b, c: c, body: container.NewStack(), message: note("", true)}
	fm.search = widget.NewEntry()
	fm.search.SetPlaceHolder(l.text(msgServiceSearch))
	fm.search.OnChanged = func(string) { fm.filter() }
	events := []string{l.text(msgAllEvents)}
	for _, e := range request.LifeEvents {
		events = append(events, e.Title())
	}
	fm.event = widget.NewSelect(events, func(string) { fm.filter() })
	fm.list = widget.NewList(func() int { return len(fm.shown) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("")
			t.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(t, quiet("", fyne.TextStyle{}, theme.SizeNameCaptionText))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			s := fm.shown[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(s.Title)
			setQuiet(box.Objects[1].(*widget.RichText), s.Event.Title()+" · "+s.Office+" · "+l.textf(msgDays, s.Days))
		})
	fm.list.OnSelected = func(id widget.ListItemID) { fm.pick(fm.shown[id].ID) }
	fm.submit = widget.NewButtonWithIcon(l.text(msgSubmitRequest), theme.ConfirmIcon(), fm.onSubmit)
	fm.submit.Importance = widget.HighImportance
	fm.submit.Hide()
	fm.back = widget.NewButtonWithIcon(l.text(msgOtherService), theme.NavigateBackIcon(), fm.choose)
	fm.back.Hide()
	cancel := widget.NewButton(l.text(msgCancel), fm.close)
	content := container.NewBorder(nil, fm.message, nil, nil, fm.body)
	person := displayName(b.f.file.Citizen.Surname, b.f.file.Citizen.GivenName)
	fm.dlg = dialog.NewCustomWithoutButtons(l.textf(msgRequestTitle, person), content, c.w)
	fm.dlg.SetButtons([]fyne.CanvasObject{cancel, fm.back, fm.submit})
	fm.dlg.Resize(fyne.NewSize(issueFormWidth, issueFormHeight))
	return fm
}

func (fm *requestForm) show() {
	fm.dlg.Show()
	fm.choose()
	reqs, ctx := fm.c.d.Requests, fm.c.session
	inBackground(fm.c.ui, func() requestsResultServices {
		s, err := reqs.Catalogue(ctx)
		return requestsResultServices{s, err}
	}, func(r requestsResultServices) {
		if r.err != nil {
			fm.setMessage(app.ErrorMessage(r.err))
			return
		}
		fm.services = r.list
		fm.filter()
	})
}

type requestsResultServices struct {
	list []request.Service
	err  error
}

func (fm *requestForm) close() {
	fm.busy = false
	fm.dlg.Hide()
	if fm.b.form == fm {
		fm.b.form = nil
	}
}

func (fm *requestForm) setMessage(text string) {
	fm.message.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: theme.ColorNameError}}}
	fm.message.Refresh()
}

// choose shows the catalogue: search box, life event, services.
func (fm *requestForm) choose() {
	l := fm.c.lang
	fm.svc = nil
	fm.submit.Hide()
	fm.back.Hide()
	fm.setMessage("")
	top := container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(300, fm.event.MinSize().Height), fm.event), fm.search)
	fm.body.Objects = []fyne.CanvasObject{container.NewBorder(container.NewVBox(top, quiet(l.text(msgServiceHint), fyne.TextStyle{}, theme.SizeNameCaptionText)), nil, nil, nil, fm.list)}
	fm.body.Refresh()
	fm.list.UnselectAll()
	fm.c.focus(fm.search)
}

// filter keeps the services of the chosen life event that match the words.
func (fm *requestForm) filter() {
	var ev request.LifeEvent
	if i := fm.event.SelectedIndex(); i > 0 {
		ev = request.LifeEvents[i-1]
	}
	fm.shown = request.SearchServices(fm.services, fm.search.Text, ev)
	fm.list.UnselectAll()
	fm.list.Refresh()
}

// pick renders the form of service id, filled from the citizen file.
func (fm *requestForm) pick(id string) {
	i := slices.IndexFunc(fm.services, func(s request.Service) bool { return s.ID == id })
	if i < 0 {
		return
	}
	l, file := fm.c.lang, fm.b.f.file
	fm.svc = &fm.services[i]
	fm.inputs, fm.errs, fm.files = map[string]func() string{}, map[string]*widget.RichText{}, map[string]request.File{}
	fm.widgets = map[string]fyne.CanvasObject{}
	fm.scans = newScanPicker(fm)
	pre := request.PrefillFrom(fm.svc, file)
	rows := []fyne.CanvasObject{}
	head := widget.NewLabel(fm.svc.Title)
	head.TextStyle.Bold = true
	head.Wrapping = fyne.TextWrapWord
	rows = append(rows, head)
	if fm.svc.Summary != "" {
		sum := quiet(fm.svc.Summary, fyne.TextStyle{}, theme.SizeNameCaptionText)
		sum.Wrapping = fyne.TextWrapWord
		rows = append(rows, sum)
	}
	if fees := fm.svc.TotalFees(); fees > 0 {
		rows = append(rows, wrapped(l.textf(msgFees, l.euro(fees))))
	}
	for _, f := range fm.svc.Fields {
		rows = append(rows, fm.field(f, pre[f.ID], file))
	}
	fm.body.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(rows...))}
	fm.body.Refresh()
	fm.submit.Show()
	fm.back.Show()
	fm.setMessage("")
	fm.scans.load()
}

// field is the widget of one field of the form, with its label and the
// place of its error.
func (fm *requestForm) field(f request.Field, value string, file *app.CitizenFile) fyne.CanvasObject {
	l := fm.c.lang
	label := f.Label
	if f.Required {
		label += " *"
	}
	errText := note("", true)
	errText.Hide() // shown with a problem: an empty line between fields is noise
	fm.errs[f.ID] = errText
	var w fyne.CanvasObject
	switch f.Type {
	case request.Choice:
		labels := make([]string, len(f.Options))
		for i, o := range f.Options {
			labels[i] = o.Label
		}
		s := widget.NewSelect(labels, nil)
		fm.inputs[f.ID] = func() string {
			if i := s.SelectedIndex(); i >= 0 {
				return f.Options[i].ID
			}
			return ""
		}
		w = s
	case request.MultiChoice:
		labels := make([]string, len(f.Options))
		for i, o := range f.Options {
			labels[i] = o.Label
		}
		g := widget.NewCheckGroup(labels, nil)
		fm.inputs[f.ID] = func() string {
			var ids []string
			for _, o := range f.Options {
				if slices.Contains(g.Selected, o.Label) {
					ids = append(ids, o.ID)
				}
			}
			return strings.Join(ids, ",")
		}
		w = g
	case request.FamilyMember:
		var codes, names []string
		for _, m := range file.Family {
			codes = append(codes, m.CodiceFiscale)
			names = append(names, displayName(m.Surname, m.GivenName)+" ("+formatDate(m.BirthDate)+")")
		}
		if len(codes) == 0 {
			codes = []string{file.Citizen.CodiceFiscale}
			names = []string{displayName(file.Citizen.Surname, file.Citizen.GivenName)}
		}
		s := widget.NewSelect(names, nil)
		fm.inputs[f.ID] = func() string {
			if i := s.SelectedIndex(); i >= 0 {
				return codes[i]
			}
			return ""
		}
		w = s
	case request.Consent:
		ch := widget.NewCheck(label, nil)
		fm.inputs[f.ID] = func() string {
			if ch.Checked {
				return "si"
			}
			return ""
		}
		fm.widgets[f.ID] = ch
		return container.NewVBox(ch, errText)
	case request.Attachment:
		chosen := quiet(l.text(msgNoAttachment), fyne.TextStyle{Italic: true}, "")
		pick := widget.NewButtonWithIcon(l.text(msgChooseFile), theme.FolderOpenIcon(), func() { fm.onChooseFile(f.ID, chosen) })
		fm.inputs[f.ID] = func() string { return fm.files[f.ID].Name }
		w = container.NewVBox(container.NewBorder(nil, nil, pick, nil, chosen), fm.scans.box(f, chosen))
	case request.LongText:
		e := widget.NewMultiLineEntry()
		e.SetText(value)
		e.Wrapping = fyne.TextWrapWord
		fm.inputs[f.ID] = func() string { return e.Text }
		w = e
	default:
		e := widget.NewEntry()
		e.SetText(value)
		e.SetPlaceHolder(placeholderFor(l, f))
		fm.inputs[f.ID] = func() string { return e.Text }
		w = e
	}
	fm.widgets[f.ID] = w
	parts := []fyne.CanvasObject{quiet(label, fyne.TextStyle{Bold: f.Required}, theme.SizeNameCaptionText), w}
	if f.Help != "" {
		parts = append(parts, quiet(f.Help, fyne.TextStyle{Italic: true}, theme.SizeNameCaptionText))
	}
	return container.NewVBox(append(parts, errText)...)
}

func placeholderFor(l lang, f request.Field) string {
	switch f.Type {
	case request.Date:
		return l.text(msgHintDate)
	case request.Amount:
		return l.text(msgHintAmount)
	case request.IBAN:
		return "IT60 X054 2811 1010 0000 0123 456"
	case request.PartitaIVA:
		return l.text(msgHintPartitaIVA)
	case request.CodiceFisc:
		return l.text(msgHintCodiceFiscale)
	case request.Email:
		return l.text(msgHintEmail)
	case request.Phone:
		return "+39 …"
	}
	return ""
}

// onChooseFile opens the file chooser for an attachment; the scanner
// folder's newest files are also offered under the field (scanPicker).
func (fm *requestForm) onChooseFile(field string, shown *widget.RichText) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, request.MaxAttachmentSize+1))
		if err != nil {
			fm.setMessage(err.Error())
			return
		}
		fm.attach(field, rc.URI().Name(), data, shown)
	}, fm.c.w)
	if fm.scans != nil && fm.scans.dir != "" {
		if at, err := storage.ListerForURI(storage.NewFileURI(fm.scans.dir)); err == nil {
			d.SetLocation(at) // the scanner folder first
		}
	}
	d.Show()
}

// attach takes a file for an attachment field, checked at once by its
// content and size.
func (fm *requestForm) attach(field, name string, data []byte, shown *widget.RichText) {
	if _, err := request.Attachments([]request.File{{Field: field, Name: name, Data: data}}); err != nil {
		setError(fm.errs[field], app.ErrorMessage(err))
		return
	}
	fm.errs[field].Hide()
	fm.files[field] = request.File{Field: field, Name: name, Data: data}
	if shown != nil {
		setQuiet(shown, request.CleanName(name))
	}
}

// values reads the form.
func (fm *requestForm) values() (request.Values, []request.File) {
	v := request.Values{}
	for id, get := range fm.inputs {
		if f, _ := fm.svc.Field(id); f.Type == request.Attachment {
			continue
		}
		if s := get(); s != "" {
			v[id] = s
		}
	}
	var files []request.File
	for _, f := range fm.svc.Fields {
		if file, ok := fm.files[f.ID]; ok {
			files = append(files, file)
		}
	}
	return v, files
}

type submitResult struct {
	req  *request.Request
	dest destination
	err  error
	perr error // printing, after the request was taken
}

// onSubmit takes the request: the same check as at the hub, the
// provisional number, the receipt to the printer or a file.
func (fm *requestForm) onSubmit() {
	if fm.svc == nil || fm.busy {
		return
	}
	c, l, f := fm.c, fm.c.lang, fm.b.f
	v, files := fm.values()
	for _, e := range fm.errs {
		e.Segments = nil
		e.Hide()
	}
	fm.setMessage("")
	fm.busy = true
	fm.submit.Disable()
	reqs, out, op, ctx, file, svc := c.d.Requests, c.d.Output, c.op, c.session, f.file, fm.svc.ID
	printer := ""
	if out != nil {
		printer = out.DefaultPrinter()
	}
	inBackground(c.ui, func() submitResult {
		r, pdf, err := reqs.Submit(ctx, op, file, svc, v, files)
		if err != nil {
			return submitResult{req: r, err: err}
		}
		if pdf == nil {
			return submitResult{req: r}
		}
		d, perr := deliver(context.WithoutCancel(ctx), out, printer, receiptName(r), l.textf(msgPaperReceipt, r.DisplayNumber()), pdf)
		return submitResult{req: r, dest: d, perr: perr}
	}, func(r submitResult) {
		fm.submit.Enable()
		fm.busy = false
		if r.err != nil && r.req == nil {
			fm.showErrors(r.err)
			return
		}
		fm.close()
		switch {
		case r.err != nil:
			f.showNotice(l.textf(msgRequestTakenNoReceipt, r.req.DisplayNumber(), app.ErrorMessage(r.err)), true)
		case r.perr != nil:
			f.showNotice(l.textf(msgRequestTakenNoReceipt, r.req.DisplayNumber(), app.ErrorMessage(r.perr)), true)
		default:
			f.showNotice(l.textf(msgRequestTaken, r.req.DisplayNumber(), l.destinationText(r.dest)), false)
		}
		if f.reqs != nil && f.c.file == f {
			f.reqs.load()
		}
	})
}

// showErrors puts each field's problem under it, and the summary below.
func (fm *requestForm) showErrors(err error) {
	fm.setMessage(app.ErrorMessage(err))
	fe, ok := err.(*request.FormError)
	if !ok {
		return
	}
	for _, fieldErr := range fe.Fields {
		if t, ok := fm.errs[fieldErr.Field]; ok {
			setError(t, fieldErr.Message)
		}
	}
}

// setError shows text, in the error colour, in t.
func setError(t *widget.RichText, text string) {
	t.Segments = []widget.RichTextSegment{&widget.TextSegment{Text: text, Style: widget.RichTextStyle{ColorName: theme.ColorNameError}}}
	t.Show()
	t.Refresh()
}
