package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
)

// maxClockSkew is how far the workstation's clock may drift from the hub's
// before the operator is warned: certificates carry the local time.
const maxClockSkew = 2 * time.Minute

// statusBar is the line at the bottom of every screen: whether the
// workstation is online, when it last synchronised, what waits to be sent
// and what the hub refused. Offline is normal; the bar says so without alarm.
type statusBar struct {
	widget.BaseWidget
	c *Counter

	dot      *canvas.Circle
	online   *widget.Label
	lastSync *widget.Label
	pending  *widget.Label
	parked   *badge
	progress *widget.ProgressBar
	progBox  *fyne.Container
	activity *widget.RichText // the engine's phase and last error
	skew     *badge
	restored *badge          // the hub was restored from a backup: what was sent again
	restBox  *fyne.Container // restored, hidden as a whole
	kiosk    *badge          // a kiosk of the comune locked: for supervisors
	kioskBox *fyne.Container // kiosk, hidden as a whole
	resolve  *widget.Button  // a supervisor's way to the parked operations
	syncNow  *widget.Button
	content  fyne.CanvasObject
}

func newStatusBar(c *Counter) *statusBar {
	s := &statusBar{
		c:        c,
		dot:      canvas.NewCircle(theme.Color(theme.ColorNameDisabled)),
		online:   widget.NewLabel(""),
		lastSync: widget.NewLabel(""),
		pending:  widget.NewLabel(""),
		parked:   newBadge("", amberWash, amberText),
		progress: widget.NewProgressBar(),
		activity: quiet("", fyne.TextStyle{}, ""),
		skew:     newBadge("", amberWash, amberText),
		restored: newBadge("", amberWash, amberText),
		kiosk:    newBadge("", amberWash, amberText),
	}
	// Hidden as a whole, so that the bar's layout is the same without it.
	s.restBox = container.NewCenter(s.restored)
	s.kioskBox = container.NewCenter(s.kiosk)
	s.resolve = widget.NewButtonWithIcon(c.lang.text(msgOutboxButton), theme.WarningIcon(), c.onOutbox)
	s.resolve.Importance = widget.LowImportance
	s.online.TextStyle.Bold = true
	s.activity.Truncation = fyne.TextTruncateEllipsis
	s.progBox = container.NewGridWrap(fyne.NewSize(progressWidth, theme.TextSize()+2*theme.Padding()), s.progress)
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(dotDiameter, dotDiameter), s.dot))
	left := container.NewHBox(
		dot, s.online, vline(),
		s.lastSync, vline(),
		s.pending, container.NewCenter(s.parked), s.resolve,
		container.NewCenter(s.skew), s.restBox, s.kioskBox,
	)
	// the centre takes the width left and truncates: the facts on the left
	// and the button on the right always show
	center := container.NewBorder(nil, nil, container.NewCenter(s.progBox), nil, s.activity)
	var right fyne.CanvasObject
	if c.d.SyncNow != nil {
		s.syncNow = widget.NewButtonWithIcon(c.lang.text(msgSyncNow), theme.ViewRefreshIcon(), s.onSyncNow)
		right = s.syncNow
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHeaderBackground))
	bar := container.NewBorder(nil, nil, left, right, center)
	s.content = container.NewBorder(widget.NewSeparator(), nil, nil, nil,
		container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(0, 0, theme.Padding(), theme.Padding()), bar)))
	s.ExtendBaseWidget(s)
	s.set(app.SyncStatus{Progress: -1})
	return s
}

// CreateRenderer is called by Fyne to draw the bar.
func (s *statusBar) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}

// set shows st. It runs on the UI goroutine: status callbacks reach it
// through the bridge.
func (s *statusBar) set(st app.SyncStatus) {
	l := s.c.lang
	if st.Online {
		s.dot.FillColor = theme.Color(theme.ColorNameSuccess)
		s.online.SetText(l.text(msgOnline))
	} else {
		s.dot.FillColor = theme.Color(theme.ColorNameDisabled)
		s.online.SetText(l.text(msgOffline))
	}
	s.dot.Refresh()

	last := l.text(msgNever)
	if !st.LastSync.IsZero() {
		last = s.c.whenText(st.LastSync)
	}
	s.lastSync.SetText(l.textf(msgLastSync, last))
	s.pending.SetText(l.textf(msgPending, st.Pending))
	s.parked.set(l.textf(msgParked, st.Parked))
	showIf(s.parked, st.Parked > 0)
	showIf(s.resolve, st.Parked > 0 && s.c.canResolveParked())

	if st.Progress >= 0 {
		s.progress.SetValue(min(st.Progress, 1))
		s.progBox.Show()
	} else {
		s.progBox.Hide()
	}

	skew := st.ClockSkew
	switch {
	case skew >= time.Hour:
		s.skew.set(l.textf(msgSkewAheadHours, hours(skew)))
	case skew <= -time.Hour:
		s.skew.set(l.textf(msgSkewBehindHours, hours(-skew)))
	case skew > maxClockSkew:
		s.skew.set(l.textf(msgSkewAhead, minutes(skew)))
	case skew < -maxClockSkew:
		s.skew.set(l.textf(msgSkewBehind, minutes(-skew)))
	}
	showIf(s.skew, skew > maxClockSkew || skew < -maxClockSkew)
	if st.Suspended {
		// New requests keep their provisional numbers meanwhile: the
		// operator tells the citizen why the receipt has no protocol yet.
		s.restored.set(l.text(msgNumberingSuspended))
	} else {
		s.restored.set(l.textf(msgHubRestored, st.Resent))
	}
	showIf(s.restBox, !st.HubRestored.IsZero() || st.Suspended)
	// A kiosk locked by wrong attempts: someone may be trying identities
	// there. The supervisor is told (issue 10); the clerks are not.
	if st.KioskLocked != "" {
		s.kiosk.set(l.textf(msgKioskLocked, st.KioskLocked, s.c.whenText(st.KioskLockedAt)))
	}
	showIf(s.kioskBox, st.KioskLocked != "" && s.c.op != nil && s.c.op.Has(app.RoleSupervisor))

	activity := st.Phase
	if st.LastError != "" {
		if activity != "" {
			activity += " — "
		}
		activity += st.LastError
	}
	setQuiet(s.activity, activity)
}

// onSyncNow starts a sync round; the bar shows its progress as it comes.
func (s *statusBar) onSyncNow() {
	s.c.touch()
	s.c.d.SyncNow()
}

func minutes(d time.Duration) int { return int(d.Round(time.Minute) / time.Minute) }

func hours(d time.Duration) int { return int(d.Round(time.Hour) / time.Hour) }

func showIf(o fyne.CanvasObject, visible bool) {
	if visible {
		o.Show()
	} else {
		o.Hide()
	}
}

// vline is a short vertical separator between the facts of the bar.
func vline() fyne.CanvasObject {
	r := canvas.NewRectangle(theme.Color(theme.ColorNameSeparator))
	return container.New(layout.NewCustomPaddedLayout(theme.Padding(), theme.Padding(), 0, 0),
		container.NewGridWrap(fyne.NewSize(1, theme.TextSize()), r))
}
