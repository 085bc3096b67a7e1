package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// QueueStats reads the waiting and serving times of the comune's queue
// from the hub, which alone has every counter's tickets (queue.Service).
// EOFFLINE when the hub cannot be reached.
type QueueStats interface {
	Stats(ctx context.Context, from, to string) ([]queue.StatRow, error)
}

// The statistics' size in the counter's window.
const (
	statsWidth  = 1100
	statsHeight = 640
)

// statsPeriods are the periods the supervisor picks: today, yesterday,
// the last 7 and 30 days (today included).
var statsPeriods = []struct {
	name       msg
	from, back int // from = today - from days; to = today - back days
}{
	{msgStatsToday, 0, 0},
	{msgStatsYesterday, 1, 1},
	{msgStatsLast7, 6, 0},
	{msgStatsLast30, 29, 0},
}

// statsScreen is the supervisor's statistics of the queue: for the period
// chosen, a row per day, service area and hour of issue with the tickets
// issued, served and skipped, the mean and longest wait and the mean
// service, and the totals.
type statsScreen struct {
	c      *Counter
	period *widget.Select
	table  *fyne.Container
	status *fyne.Container
	dlg    *dialog.CustomDialog
	gen    int
}

// canSeeStats reports whether the operator may read the statistics: a
// supervisor, on a workstation connected to them.
func (c *Counter) canSeeStats() bool {
	return c.d.QueueStats != nil && c.op != nil && c.op.Has(app.RoleSupervisor)
}

// onStats opens the statistics (supervisors only).
func (c *Counter) onStats() {
	if !c.canSeeStats() || c.queueDialogOpen() || c.dialogOpen() {
		return
	}
	c.touch()
	s := &statsScreen{c: c, table: container.NewVBox(), status: container.NewVBox()}
	l := c.lang
	var names []string
	for _, p := range statsPeriods {
		names = append(names, l.text(p.name))
	}
	s.period = widget.NewSelect(names, func(string) { c.touch(); s.load() })
	refresh := widget.NewButtonWithIcon(l.text(msgStatsShow), theme.ViewRefreshIcon(), func() { c.touch(); s.load() })
	top := container.NewHBox(s.period, refresh)
	closeButton := widget.NewButtonWithIcon(l.text(msgClose), theme.CancelIcon(), s.close)
	s.dlg = dialog.NewCustomWithoutButtons(l.text(msgStatsTitle), container.NewBorder(container.NewVBox(top, s.status), nil, nil, nil,
		container.NewVScroll(s.table)), c.w)
	s.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	s.dlg.Resize(fyne.NewSize(statsWidth, statsHeight))
	c.queueState().stats = s
	s.dlg.Show()
	s.period.SetSelectedIndex(0) // loads today
}

func (s *statsScreen) close() {
	if s.c.queue != nil && s.c.queue.stats == s {
		s.c.queue.stats = nil
	}
	s.dlg.Hide()
}

// range is the period chosen as days of the comune.
func (s *statsScreen) dates() (string, string) {
	p := statsPeriods[max(s.period.SelectedIndex(), 0)]
	today := s.c.d.Now().In(app.Rome)
	return queue.Day(today.AddDate(0, 0, -p.from)), queue.Day(today.AddDate(0, 0, -p.back))
}

func (s *statsScreen) load() {
	c := s.c
	s.gen++
	gen, src := s.gen, c.d.QueueStats
	from, to := s.dates()
	s.say(c.lang.text(msgStatsLoading), false)
	fetch(c, func(ctx context.Context) ([]queue.StatRow, error) { return src.Stats(ctx, from, to) },
		func() bool { return gen == s.gen && c.queue != nil && c.queue.stats == s }, s.say, s.show)
}

func (s *statsScreen) say(text string, isError bool) { say(s.status, text, isError) }

// say puts a line in a screen's status box: what it is doing, or why it
// could not.
func say(box *fyne.Container, text string, isError bool) {
	box.Objects = []fyne.CanvasObject{note(text, isError)}
	box.Refresh()
}

// answer is what a background read brought back.
type answer[T any] struct {
	v   T
	err error
}

// fetch runs read in the background for the session, then hands its answer
// to show, or its error to say, unless the session ended or the screen
// moved on meanwhile (current reports it has not).
func fetch[T any](c *Counter, read func(context.Context) (T, error), current func() bool, say func(string, bool), show func(T)) {
	ctx := c.session
	inBackground(c.ui, func() answer[T] {
		v, err := read(ctx)
		return answer[T]{v, err}
	}, func(r answer[T]) {
		if ctx.Err() != nil || !current() {
			return
		}
		if r.err != nil {
			say(app.ErrorMessage(r.err), true)
			return
		}
		show(r.v)
	})
}

// show lays the rows out as a table, with the totals of the period above.
func (s *statsScreen) show(rows []queue.StatRow) {
	l := s.c.lang
	s.table.Objects = nil
	if len(rows) == 0 {
		s.say(l.text(msgStatsNone), false)
		s.table.Refresh()
		return
	}
	grid, total := queueTable(l, rows)
	s.say(total, false)
	s.table.Add(grid)
	s.table.Refresh()
}

// queueTable is the rows as a table, a row per day, area and hour, and the
// line of the period's totals: the hub's statistics and the dashboard's
// queue tab show the same table.
func queueTable(l lang, rows []queue.StatRow) (*fyne.Container, string) {
	grid := header(l, 9, msgDay, msgService, msgStatsHour, msgStatsIssued, msgStatsServed, msgStatsSkipped, msgStatsMeanWait, msgStatsMaxWait, msgStatsMeanService)
	var issued, served, skipped, called int
	var wait time.Duration
	for _, r := range rows {
		day, _ := app.ParseDate(r.Day)
		addRow(grid, formatDate(day), r.Area, fmt.Sprintf("%02d-%02d", r.Hour, r.Hour+1),
			fmt.Sprint(r.Issued), fmt.Sprint(r.Served), fmt.Sprint(r.Skipped),
			measured(r.Called, l.minutes(r.MeanWait)), measured(r.Called, l.minutes(r.MaxWait)), measured(r.Served, l.minutes(r.MeanService)))
		issued, served, skipped = issued+r.Issued, served+r.Served, skipped+r.Skipped
		// The mean wait of the period weighs each row by its called tickets.
		wait += r.MeanWait * time.Duration(r.Called)
		called += r.Called
	}
	mean := time.Duration(0)
	if called > 0 {
		mean = wait / time.Duration(called)
	}
	return grid, l.textf(msgStatsTotal, issued, served, skipped, l.minutes(mean))
}

// measured is v, or a dash when none of the tickets measured it.
func measured(n int, v string) string {
	if n == 0 {
		return "—"
	}
	return v
}

// minutes writes a duration in whole minutes, rounded: "7 min".
func (l lang) minutes(d time.Duration) string {
	return l.textf(msgMinutes, int(d.Minutes()+0.5))
}
