package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/post"
)

// PostDesk is the back office of certificates by post (app/post): the
// requests to post and the action that posts one.
type PostDesk interface {
	Worklist(ctx context.Context, op *app.Operator) ([]post.Item, error)
	Post(ctx context.Context, op *app.Operator, requestID, marca string) (*post.Posted, error)
}

var _ PostDesk = (*post.Service)(nil)

// postList is the back office's worklist of certificates by post: a button
// in the header says how many requests wait and opens them; Spedisci posts
// one (asking the marca da bollo's number when the citizen chose the
// bollo) and prints, or saves, the envelope's content.
type postList struct {
	*headerList[post.Item]
}

func newPostList(c *Counter) *postList {
	w := &postList{}
	w.headerList = newHeaderList(c, headerListSpec[post.Item]{
		load:    func(ctx context.Context) ([]post.Item, error) { return c.d.Post.Worklist(ctx, c.op) },
		row:     w.row,
		person:  func(it post.Item) string { return it.Request.CodiceFiscale },
		current: func() bool { return c.posts == w },
		button:  msgPostButton, title: msgPostTitle, hint: msgPostHint, empty: msgNoPost,
		notices: true,
	})
	w.button.SetIcon(theme.MailSendIcon())
	w.button.Importance = widget.MediumImportance
	return w
}

// row is a request to post: who asked, which certificate, the bollo, the
// address, and the action.
func (w *postList) row(it post.Item) fyne.CanvasObject {
	l := w.c.lang
	r := it.Request
	name := widget.NewLabel(r.ApplicantName)
	name.TextStyle.Bold = true
	cf := widget.NewLabel(r.CodiceFiscale)
	cf.TextStyle.Monospace = true
	lines := container.New(layout.NewCustomPaddedVBoxLayout(0), container.NewHBox(name, cf))
	if it.Problem != "" {
		lines.Add(newNotice(l.textf(msgPostProblem, it.Problem), true))
		return lines
	}
	o := it.Order
	bollo := l.text(msgPostBollo)
	if !o.Marca {
		bollo = l.textf(msgPostExempt, o.ExemptionID)
	}
	what := quiet(l.textf(msgPostLine, r.DisplayNumber(), formatDate(r.SubmittedAt.In(app.Rome)), o.Type, bollo), fyne.TextStyle{}, "")
	what.Wrapping = fyne.TextWrapWord
	addr := quiet(strings.Join(o.Address.Lines(), " · "), fyne.TextStyle{Monospace: true}, "")
	lines.Add(what)
	lines.Add(addr)
	if d := it.Dispatch; d != nil && d.Certificate != "" {
		lines.Add(newNotice(l.textf(msgPostStarted, d.Certificate), true))
	}
	id, marca := r.ID, o.Marca && (it.Dispatch == nil || it.Dispatch.Certificate == "")
	send := widget.NewButtonWithIcon(l.text(msgPostSend), theme.MailSendIcon(), func() { w.onSend(id, marca) })
	send.Importance = widget.HighImportance
	return container.NewBorder(nil, nil, nil, container.NewVBox(send), lines)
}

// onSend posts request id, asking the marca first when one is needed.
func (w *postList) onSend(id string, needsMarca bool) {
	w.c.touch()
	if !needsMarca {
		w.send(id, "")
		return
	}
	l := w.c.lang
	entry := widget.NewEntry()
	entry.Validator = func(s string) error {
		s = strings.TrimSpace(s)
		if len(s) != 14 || strings.Trim(s, "0123456789") != "" {
			return app.Errorf(app.EINVALID, "%s", l.text(msgPostMarca))
		}
		return nil
	}
	item := widget.NewFormItem(l.text(msgPostMarca), entry)
	item.HintText = l.text(msgPostMarcaHint)
	form := dialog.NewForm(l.text(msgPostSend), l.text(msgPostSend), l.text(msgCancel), []*widget.FormItem{item}, func(ok bool) {
		w.form = nil
		if ok {
			w.send(id, strings.TrimSpace(entry.Text))
		}
	}, w.c.w)
	entry.OnSubmitted = func(string) { form.Submit() } // Enter sends, as everywhere at the counter
	w.form = form
	form.Show()
	w.c.focus(entry)
}

// send posts off the UI goroutine, delivers the PDF, and reads the list
// again: the request leaves it.
func (w *postList) send(id, marca string) {
	l := w.c.lang
	c := w.c
	op, desk, out, ctx := c.op, c.d.Post, c.d.Output, c.session
	type result struct {
		p   *post.Posted
		to  destination
		err error
	}
	inBackground(c.ui, func() result {
		p, err := desk.Post(ctx, op, id, marca)
		if err != nil {
			return result{err: err}
		}
		printer := ""
		if out != nil {
			printer = out.DefaultPrinter()
		}
		n := p.Certificate.Certificate.Number.String()
		to, err := deliver(ctx, out, printer, "posta-"+n+".pdf", "Certificato per posta "+n, p.PDF)
		return result{p, to, err}
	}, func(r result) {
		if c.posts != w {
			return // the session ended
		}
		if r.p == nil {
			w.showNotice(l.textf(msgPostFailed, app.ErrorMessage(r.err)), true)
			return
		}
		where := l.destinationText(r.to)
		if r.err != nil {
			where = app.ErrorMessage(r.err)
		}
		w.showNotice(l.textf(msgPostDone, r.p.Request.DisplayNumber(), r.p.Certificate.Certificate.Number, r.p.Position.Avviso.Grouped(),
			l.euro(r.p.Position.AmountCents), where), r.err != nil)
		w.refresh()
	})
}
