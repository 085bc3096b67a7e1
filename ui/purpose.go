package ui

import (
	"errors"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// purposeForm asks the operator why they read another comune's citizen,
// once a session: the hub records the answer with the operator's name
// (app.ReadPurpose). The choices are the counter's words; "Altro" wants a
// text.
type purposeForm struct {
	c      *Counter
	dlg    *dialog.CustomDialog
	choice *widget.RadioGroup
	other  *widget.Entry
	ok     *widget.Button
	then   func()
}

// purposeChoices are the app's purposes and their keys, in the order shown.
var purposeChoices = []struct {
	purpose string
	label   msg
}{
	{app.PurposeCertificate, msgPurposeCertificate},
	{app.PurposeRequest, msgPurposeRequest},
	{app.PurposePayment, msgPurposePayment},
	{app.PurposeIdentity, msgPurposeIdentity},
	{app.PurposeOther, msgPurposeOther},
}

// askPurpose opens the purpose form unless a form is open already; then
// runs after the operator chose (not if they cancel).
func (c *Counter) askPurpose(then func()) {
	if c.op == nil || c.dialogOpen() {
		return
	}
	l := c.lang
	fm := &purposeForm{c: c, then: then}
	labels := make([]string, len(purposeChoices))
	for i, p := range purposeChoices {
		labels[i] = l.text(p.label)
	}
	fm.other = widget.NewEntry()
	fm.other.SetPlaceHolder(l.text(msgPurposeOtherText))
	fm.other.Disable()
	fm.other.OnChanged = func(string) { c.touch(); fm.refresh() }
	fm.choice = widget.NewRadioGroup(labels, func(string) { c.touch(); fm.refresh() })
	fm.ok = widget.NewButton(l.text(msgConfirm), fm.onConfirm)
	fm.ok.Importance = widget.HighImportance
	fm.ok.Disable()
	cancel := widget.NewButton(l.text(msgCancel), fm.close)
	content := container.NewVBox(wrapped(l.text(msgPurposeWhy)), fm.choice, fm.other,
		container.NewHBox(cancel, fm.ok))
	fm.dlg = dialog.NewCustomWithoutButtons(l.text(msgPurposeTitle), content, c.w)
	c.purpose = fm
	fm.dlg.Show()
}

// selected is the purpose chosen, "" for none.
func (fm *purposeForm) selected() string {
	for _, p := range purposeChoices {
		if fm.choice.Selected == fm.c.lang.text(p.label) {
			return p.purpose
		}
	}
	return ""
}

func (fm *purposeForm) refresh() {
	p := fm.selected()
	if p == app.PurposeOther {
		fm.other.Enable()
	} else {
		fm.other.Disable()
	}
	if _, err := app.ReadPurpose(p, fm.other.Text); err == nil {
		fm.ok.Enable()
	} else {
		fm.ok.Disable()
	}
}

func (fm *purposeForm) onConfirm() {
	c := fm.c
	purpose, err := app.ReadPurpose(fm.selected(), fm.other.Text)
	if err != nil || c.op == nil {
		return
	}
	c.d.Counter.SetPurpose(c.op, purpose)
	fm.close()
	fm.then()
}

func (fm *purposeForm) close() {
	fm.dlg.Hide()
	if fm.c.purpose == fm {
		fm.c.purpose = nil
	}
}

// needsPurpose tells whether err is the domain's request for a purpose.
func needsPurpose(err error) bool { return errors.Is(err, app.ErrPurposeNeeded) }
