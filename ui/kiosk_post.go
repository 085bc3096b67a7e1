package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/request"
)

// Certificates by post at the kiosk: the identified citizen chooses the
// certificate, the bollo or the use that exempts it, reads the residence
// it will be mailed to and confirms; the request prints its receipt, and
// the back office posts the certificate.

// KioskPost takes requests of certificates by post (kiosk.Post).
type KioskPost interface {
	Types(policy kiosk.Policy) []kiosk.Allowed
	Address(ctx context.Context, file *app.CitizenFile) (request.Address, error)
	Ask(ctx context.Context, policy kiosk.Policy, file *app.CitizenFile, slug string, use int) (*request.Request, []byte, error)
}

var _ KioskPost = (*kiosk.Post)(nil)

// showPostTypes lists the certificates the kiosk takes by post.
func (k *Kiosk) showPostTypes() {
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
		types := k.d.Post.Types(r.p)
		if len(types) == 0 && r.err == nil {
			list.Add(bigText(l.text(msgKioskPostNone), 24, false))
		}
		for _, a := range types {
			list.Add(big(widget.NewButton(certificateTitle(a.Type), k.tap(func() { k.showPostUses(r.p, a) })), 900))
		}
		k.set("post", k.frame(l.text(msgKioskPostChoose), container.NewVScroll(list), k.showMenu))
	})
}

// showPostUses asks for the bollo or the use that exempts the
// certificate.
func (k *Kiosk) showPostUses(p kiosk.Policy, a kiosk.Allowed) {
	l := k.lang
	list := container.NewVBox(big(widget.NewButton(l.text(msgKioskPostBollo), k.tap(func() { k.showPostAddress(p, a.Type, -1) })), 900))
	for i, u := range a.Uses {
		list.Add(big(widget.NewButton(l.pick(u.Label, u.LabelEN), k.tap(func() { k.showPostAddress(p, a.Type, i) })), 900))
	}
	k.set("post-use", k.frame(certificateTitle(a.Type)+" — "+l.text(msgKioskChooseUse), list, k.showPostTypes))
}

type addressResult struct {
	a   request.Address
	err error
}

// showPostAddress shows where the certificate goes, to confirm.
func (k *Kiosk) showPostAddress(p kiosk.Policy, slug string, use int) {
	if !k.session.Active() {
		return
	}
	ctx, file := k.ctx, k.session.File
	inBackground(k.ui, func() addressResult {
		a, err := k.d.Post.Address(ctx, file)
		return addressResult{a, err}
	}, func(r addressResult) {
		if ctx.Err() != nil || !k.session.Active() {
			return
		}
		if r.err != nil {
			k.showError(r.err, k.showPostTypes)
			return
		}
		l := k.lang
		box := container.NewVBox(bigText(l.text(msgKioskPostTo), 26, false))
		for _, line := range r.a.Lines() {
			box.Add(bigText(line, 30, true))
		}
		ok := widget.NewButton(l.text(msgKioskPostConfirm), k.tap(func() { k.askByPost(p, slug, use) }))
		ok.Importance = widget.HighImportance
		box.Add(big(ok, 720))
		k.set("post-address", k.frame(certificateTitle(slug), container.NewCenter(box), k.showPostTypes))
	})
}

type postAskResult struct {
	r   *request.Request
	err error
}

// askByPost takes the request and prints its receipt.
func (k *Kiosk) askByPost(p kiosk.Policy, slug string, use int) {
	if !k.session.Active() {
		return
	}
	ctx, file := k.ctx, k.session.File
	k.showBusy("post-sending", msgKioskPrinting)
	inBackground(k.ui, func() postAskResult {
		r, receipt, err := k.d.Post.Ask(ctx, p, file, slug, use)
		if err != nil {
			return postAskResult{err: err}
		}
		// The request is taken: a printer out of paper does not undo it,
		// and the number is on the screen.
		_ = k.d.Printer.PrintPDF(ctx, r.DisplayNumber(), receipt)
		return postAskResult{r: r}
	}, func(res postAskResult) {
		if ctx.Err() != nil {
			return
		}
		if res.err != nil {
			k.showError(res.err, k.showPostTypes)
			return
		}
		done := widget.NewLabelWithStyle(k.lang.textf(msgKioskPostDone, res.r.DisplayNumber()), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		done.Wrapping = fyne.TextWrapWord
		done.SizeName = theme.SizeNameHeadingText
		k.set("post-done", k.frame("", container.NewCenter(container.NewVBox(
			container.New(&minSize{fyne.NewSize(900, 0)}, done), k.doneButton(k.showMenu))), nil))
	})
}
