package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
)

// The identify screen: the citizen types the codice fiscale and the number
// of the identity document on the on-screen keyboard; kiosk.Identify
// checks them, with its lockout after wrong attempts. On success the
// session starts and the menu shows (kiosk_menu.go).

// identifyForm is the identify screen's state while it is up.
type identifyForm struct {
	cf, doc *widget.Entry
	target  *widget.Entry // where the on-screen keyboard types
	msg     *widget.Label // the hint, then the answer
}

// clear empties the entries: the wipe leaves nothing of the citizen.
func (f *identifyForm) clear() {
	f.cf.SetText("")
	f.doc.SetText("")
}

// showIdentify asks for the codice fiscale and the document number.
func (k *Kiosk) showIdentify() {
	k.identify = &identifyForm{cf: widget.NewEntry(), doc: widget.NewEntry()}
	k.set("identify", newKioskIdentifyScreen(k, k.identify))
	k.w.Canvas().Focus(k.identify.cf)
}

func newKioskIdentifyScreen(k *Kiosk, f *identifyForm) fyne.CanvasObject {
	l := k.lang
	f.cf.SetPlaceHolder("RSSMRA85T10A562S")
	f.doc.SetPlaceHolder("CA12345AB")
	f.doc.Password = true
	f.target = f.cf
	for _, e := range []*widget.Entry{f.cf, f.doc} {
		e.OnChanged = func(string) { k.touch() }
		e.OnSubmitted = func(string) { k.touch(); k.onIdentify() }
	}
	f.msg = widget.NewLabel(l.text(msgKioskDocumentHint))
	f.msg.Wrapping = fyne.TextWrapWord
	cfBtn := widget.NewButton(l.text(msgKioskCF), k.tap(func() { k.onPickEntry(f.cf) }))
	docBtn := widget.NewButton(l.text(msgKioskDocument), k.tap(func() { k.onPickEntry(f.doc) }))
	ok := widget.NewButtonWithIcon(l.text(msgConfirm), theme.ConfirmIcon(), k.tap(k.onIdentify))
	ok.Importance = widget.HighImportance
	form := container.NewVBox(
		container.NewBorder(nil, nil, container.New(&minSize{fyne.NewSize(440, 72)}, cfBtn), nil, f.cf),
		container.NewBorder(nil, nil, container.New(&minSize{fyne.NewSize(440, 72)}, docBtn), nil, f.doc),
		f.msg,
		newKeyboard(l.text(msgKioskClear), k.onKey),
		container.NewCenter(big(ok, 400)),
	)
	return k.frame(l.text(msgKioskIdentify), form, k.wipe)
}

// onPickEntry sends the keyboard's keys to e.
func (k *Kiosk) onPickEntry(e *widget.Entry) {
	if f := k.identify; f != nil {
		f.target = e
		k.w.Canvas().Focus(e)
	}
}

// onKey types a key of the on-screen keyboard into the chosen entry.
func (k *Kiosk) onKey(key string) {
	k.touch()
	f := k.identify
	if f == nil {
		return
	}
	e := f.target
	switch key {
	case keyBackspace:
		if r := []rune(e.Text); len(r) > 0 {
			e.SetText(string(r[:len(r)-1]))
		}
	case keyClear:
		e.SetText("")
	default:
		if len(e.Text) < 32 {
			e.SetText(e.Text + key)
		}
		if e == f.cf && len(e.Text) == 16 {
			f.target = f.doc // the codice fiscale is complete: on to the document
		}
	}
}

type identifyResult struct {
	file *app.CitizenFile
	err  error
}

// onIdentify checks the codice fiscale and the document; a refusal says
// why in the domain's words and empties the document, success opens the
// menu.
func (k *Kiosk) onIdentify() {
	f := k.identify
	if f == nil {
		return
	}
	code, doc := f.cf.Text, f.doc.Text
	ctx := k.ctx
	f.msg.SetText(k.lang.text(msgKioskChecking))
	inBackground(k.ui, func() identifyResult {
		file, err := k.d.Self.Identify(ctx, code, doc)
		return identifyResult{file, err}
	}, func(r identifyResult) {
		if ctx.Err() != nil || k.identify != f {
			return
		}
		if r.err != nil {
			f.doc.SetText("")
			f.msg.SetText(app.ErrorMessage(r.err))
			f.msg.Importance = widget.DangerImportance
			f.msg.Refresh()
			return
		}
		f.clear()
		k.identify = nil
		k.session = &kiosk.Session{Citizen: &r.file.Citizen, File: r.file, Started: k.d.Now()}
		k.showMenu()
	})
}
