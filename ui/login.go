package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// loginScreen asks for the operator's credentials. Login works offline: the
// domain checks them against the accounts synced to the workstation.
type loginScreen struct {
	widget.BaseWidget
	c *Counter

	username *widget.Entry
	password *widget.Entry
	submit   *widget.Button
	message  *widget.Label // why the last attempt failed, in the domain's words
	notice   *widget.Label // why the operator is here again (idle lock)
	content  fyne.CanvasObject
}

// newLoginScreen builds the login screen, with username filled in when the
// same operator comes back after a lock.
func newLoginScreen(c *Counter, username, notice string) *loginScreen {
	l := c.lang
	s := &loginScreen{
		c:        c,
		username: widget.NewEntry(),
		password: widget.NewPasswordEntry(),
		message:  widget.NewLabel(""),
		notice:   widget.NewLabel(notice),
	}
	s.username.SetText(username)
	s.username.OnSubmitted = func(string) { c.focus(s.password) }
	s.password.OnSubmitted = func(string) { s.onLogin() }
	s.submit = widget.NewButtonWithIcon(l.text(msgLogin), theme.LoginIcon(), s.onLogin)
	s.submit.Importance = widget.HighImportance
	s.message.Importance = widget.DangerImportance
	s.message.Wrapping = fyne.TextWrapWord
	s.notice.Wrapping = fyne.TextWrapWord
	showIf(s.notice, notice != "")
	showIf(s.message, false)

	title := widget.NewLabel(l.text(msgLoginTitle))
	title.SizeName = theme.SizeNameSubHeadingText
	title.TextStyle.Bold = true
	form := widget.NewForm(
		widget.NewFormItem(l.text(msgUsername), s.username),
		widget.NewFormItem(l.text(msgPassword), s.password),
	)
	card := container.NewVBox(title, form, s.submit, s.message, s.notice)
	if c.d.LoginHint != "" {
		hint := widget.NewLabel(c.d.LoginHint)
		hint.Wrapping = fyne.TextWrapWord
		wash := canvas.NewRectangle(paBlueWash)
		wash.CornerRadius = theme.InputRadiusSize()
		card.Add(container.NewStack(wash, container.NewBorder(nil, nil,
			container.NewPadded(widget.NewIcon(theme.InfoIcon())), nil, hint)))
	}
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameSeparator)
	frame.StrokeWidth = 1
	frame.CornerRadius = theme.InputRadiusSize() * 2
	panel := container.NewStack(frame, container.New(layout.NewCustomPaddedLayout(2*theme.Padding(), 3*theme.Padding(), 3*theme.Padding(), 3*theme.Padding()), card))
	sized := container.New(&fixedWidth{width: loginWidth}, panel)

	// The attribution of the reference tables, small at the foot of the
	// screen every operator sees first.
	credit := widget.NewLabel(l.text(msgAttribution))
	credit.SizeName = theme.SizeNameCaptionText
	credit.Alignment = fyne.TextAlignCenter
	credit.Truncation = fyne.TextTruncateEllipsis

	page := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	s.content = container.NewBorder(newHeader(c), nil, nil, nil,
		container.NewStack(page, container.NewBorder(nil, credit, nil, nil, container.NewCenter(sized))))
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer is called by Fyne to draw the screen.
func (s *loginScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// focus puts the cursor where the operator types next.
func (s *loginScreen) focus() {
	if s.username.Text == "" {
		s.c.focus(s.username)
	} else {
		s.c.focus(s.password)
	}
}

type loginResult struct {
	op  *app.Operator
	err error
}

// onLogin checks the credentials off the UI goroutine (password hashing is
// slow on purpose) and opens the workspace, or says why not.
func (s *loginScreen) onLogin() {
	if s.submit.Disabled() {
		return // an attempt is running
	}
	username, password := s.username.Text, s.password.Text
	s.submit.Disable()
	s.submit.SetText(s.c.lang.text(msgLoggingIn))
	s.notice.Hide()
	counter := s.c.d.Counter
	inBackground(s.c.ui, func() loginResult {
		op, err := counter.Login(context.Background(), username, password)
		return loginResult{op, err}
	}, func(r loginResult) {
		if s.c.login != s {
			return // the screen was replaced meanwhile
		}
		s.submit.Enable()
		s.submit.SetText(s.c.lang.text(msgLogin))
		if r.err != nil {
			s.message.SetText(app.ErrorMessage(r.err))
			s.message.Show()
			s.password.SetText("")
			s.c.focus(s.password)
			return
		}
		s.c.loggedIn(r.op)
	})
}

// fixedWidth lays its objects out at a fixed width and their own height:
// the login form does not stretch across a wide screen.
type fixedWidth struct{ width float32 }

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(fyne.NewSize(size.Width, size.Height))
		o.Move(fyne.NewPos(0, 0))
	}
}

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.width, h)
}
