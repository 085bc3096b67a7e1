package ui

import (
	"context"
	"fmt"
	"image"
	"io"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/payment"
)

// The dashboard's size in the counter's window: within 1366×768.
const (
	dashWidth  = 1180
	dashHeight = 700
)

// dashPeriods name the periods of dashboard.Periods, in their order.
var dashPeriods = map[dashboard.Period]msg{
	dashboard.Today:  msgStatsToday,
	dashboard.Week:   msgDashWeek,
	dashboard.Last30: msgStatsLast30,
}

// dashScreen is the supervisor's dashboard: for the period chosen, a tab
// per table (certificates, requests, payments, cash closings, queue),
// each with its chart above and a button that saves it as CSV. Its data
// is the workstation's own store: it works offline.
type dashScreen struct {
	c      *Counter
	period *widget.Select
	status *fyne.Container
	tabs   *container.AppTabs
	dlg    *dialog.CustomDialog
	gen    int
	report *dashboard.Report
	// save asks where a table goes and writes it there: a save dialog.
	save func(name string, write func(io.Writer) error)
}

// canSeeDashboard reports whether the operator may open the dashboard: a
// supervisor, on a workstation that has it.
func (c *Counter) canSeeDashboard() bool {
	return c.d.Dashboard != nil && c.op != nil && c.op.Has(app.RoleSupervisor)
}

// onDashboard opens the dashboard (supervisors only).
func (c *Counter) onDashboard() {
	if !c.canSeeDashboard() || c.dialogOpen() {
		return
	}
	c.touch()
	l := c.lang
	s := &dashScreen{c: c, status: container.NewVBox(), tabs: container.NewAppTabs()}
	s.save = s.saveDialog
	var names []string
	for _, p := range dashboard.Periods {
		names = append(names, l.text(dashPeriods[p]))
	}
	s.period = widget.NewSelect(names, func(string) { c.touch(); s.load() })
	refresh := widget.NewButtonWithIcon(l.text(msgStatsShow), theme.ViewRefreshIcon(), func() { c.touch(); s.load() })
	closeButton := widget.NewButtonWithIcon(l.text(msgClose), theme.CancelIcon(), s.close)
	top := container.NewVBox(container.NewHBox(s.period, refresh), s.status)
	s.dlg = dialog.NewCustomWithoutButtons(l.text(msgDashTitle), container.NewBorder(top, nil, nil, nil, s.tabs), c.w)
	s.dlg.SetButtons([]fyne.CanvasObject{closeButton})
	s.dlg.Resize(fyne.NewSize(min(dashWidth, c.w.Canvas().Size().Width-40), min(dashHeight, c.w.Canvas().Size().Height-40)))
	c.dash = s
	s.dlg.Show()
	s.period.SetSelectedIndex(0) // loads today
}

func (s *dashScreen) close() {
	if s.c.dash == s {
		s.c.dash = nil
	}
	s.dlg.Hide()
}

func (s *dashScreen) load() {
	c := s.c
	s.gen++
	gen, src := s.gen, c.d.Dashboard
	p := dashboard.Periods[max(s.period.SelectedIndex(), 0)]
	from, to := p.Days(c.d.Now())
	s.say(c.lang.text(msgDashLoading), false)
	fetch(c, func(ctx context.Context) (*dashboard.Report, error) { return src.Report(ctx, from, to) },
		func() bool { return gen == s.gen && c.dash == s }, s.say, s.show)
}

func (s *dashScreen) say(text string, isError bool) { say(s.status, text, isError) }

// show lays the report out, keeping the tab the supervisor was on.
func (s *dashScreen) show(r *dashboard.Report) {
	l := s.c.lang
	s.report = r
	from, _ := app.ParseDate(r.From)
	to, _ := app.ParseDate(r.To)
	n, cents := r.PaymentTotal()
	s.say(l.textf(msgDashSummary, formatDate(from), formatDate(to), r.CertificateCount(), r.RequestCount(), n, l.euro(cents)), false)
	tables := r.Tables() // in the order of the tabs
	selected := max(s.tabs.SelectedIndex(), 0)
	s.tabs.Items = nil
	for i, t := range []struct {
		name  msg
		build func(*dashboard.Report) (*fyne.Container, image.Image)
	}{
		{msgCertificates, s.certificates}, {msgRequests, s.requests}, {msgPayments, s.payments},
		{msgDashClosings, s.closings}, {msgDashQueue, s.queue},
	} {
		grid, chart := t.build(r)
		s.tabs.Items = append(s.tabs.Items, container.NewTabItem(l.text(t.name), s.tab(tables[i], grid, chart)))
	}
	s.tabs.Refresh()
	s.tabs.SelectIndex(selected)
}

// tab is a table with its chart above and the button that exports it.
func (s *dashScreen) tab(t dashboard.Table, grid *fyne.Container, chart image.Image) fyne.CanvasObject {
	l := s.c.lang
	export := widget.NewButtonWithIcon(l.text(msgDashExport), theme.DocumentSaveIcon(), func() { s.onExport(t) })
	if len(t.Rows) == 0 {
		export.Disable()
		return container.NewBorder(container.NewHBox(export), nil, nil, nil, container.NewVBox(note(l.text(msgDashNone), false)))
	}
	top := container.NewVBox()
	if img := chartImage(chart); img != nil {
		top.Add(img)
	}
	top.Add(container.NewHBox(export))
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(grid))
}

// header is a table's first row, in bold.
func header(l lang, cols int, names ...msg) *fyne.Container {
	grid := container.NewGridWithColumns(cols)
	for _, h := range names {
		t := widget.NewLabel(l.text(h))
		t.TextStyle.Bold = true
		grid.Add(t)
	}
	return grid
}

func addRow(grid *fyne.Container, values ...string) {
	for _, v := range values {
		grid.Add(cell(v))
	}
}

func (s *dashScreen) certificates(r *dashboard.Report) (*fyne.Container, image.Image) {
	l := s.c.lang
	grid := header(l, 4, msgDashType, msgDashCount, msgDashBollo, msgDashDiritti)
	var names []string
	var counts []float64
	for _, c := range r.Certificates {
		addRow(grid, c.Title, fmt.Sprint(c.Count), l.euro(c.BolloCents), l.euro(c.DirittiCents))
		names, counts = append(names, c.Title), append(counts, float64(c.Count))
	}
	return grid, barChart(l.text(msgDashChartCertificates), countsStacked, names, []chartSeries{{values: counts}})
}

func (s *dashScreen) requests(r *dashboard.Report) (*fyne.Container, image.Image) {
	l := s.c.lang
	grid := header(l, 3, msgService, msgDashStatus, msgDashCount)
	var services, statuses []string
	seen := map[string]bool{}
	count := map[[2]string]int{}
	for _, q := range r.Requests {
		addRow(grid, q.ServiceTitle, q.StatusTitle, fmt.Sprint(q.Count))
		if !seen["s"+q.ServiceTitle] {
			seen["s"+q.ServiceTitle], services = true, append(services, q.ServiceTitle)
		}
		if !seen["t"+q.StatusTitle] {
			seen["t"+q.StatusTitle], statuses = true, append(statuses, q.StatusTitle)
		}
		count[[2]string{q.ServiceTitle, q.StatusTitle}] += q.Count
	}
	sort.Strings(statuses)
	return grid, barChart(l.text(msgDashChartRequests), countsStacked, services, crossSeries(services, statuses, func(c, s string) float64 {
		return float64(count[[2]string{c, s}])
	}))
}

// crossSeries is a series per name of series, with a value per category.
func crossSeries(categories, series []string, value func(category, series string) float64) []chartSeries {
	out := make([]chartSeries, len(series))
	for i, s := range series {
		out[i].name = s
		for _, c := range categories {
			out[i].values = append(out[i].values, value(c, s))
		}
	}
	return out
}

// methodName is a payment method as the counter names it.
func (l lang) methodName(m string) string {
	switch payment.Method(m) {
	case payment.Cash:
		return l.text(msgMethodCash)
	case payment.Card:
		return l.text(msgMethodCard)
	}
	return m
}

func (s *dashScreen) payments(r *dashboard.Report) (*fyne.Container, image.Image) {
	l := s.c.lang
	grid := header(l, 4, msgService, msgDashMethod, msgPayments, msgDashAmount)
	var services, methods []string
	seen := map[string]bool{}
	amount := map[[2]string]int64{}
	for _, p := range r.Payments {
		m := l.methodName(p.Method)
		addRow(grid, p.ServiceName, m, fmt.Sprint(p.Count), l.euro(p.AmountCents))
		if !seen["s"+p.ServiceName] {
			seen["s"+p.ServiceName], services = true, append(services, p.ServiceName)
		}
		if !seen["m"+m] {
			seen["m"+m], methods = true, append(methods, m)
		}
		amount[[2]string{p.ServiceName, m}] += p.AmountCents
	}
	n, cents := r.PaymentTotal()
	if len(r.Payments) > 0 {
		total := widget.NewLabel(l.text(msgDashTotal))
		total.TextStyle.Bold = true
		grid.Add(total)
		addRow(grid, "", fmt.Sprint(n), l.euro(cents))
	}
	return grid, barChart(l.text(msgDashChartPayments), amountsStacked, services, crossSeries(services, methods, func(c, m string) float64 {
		return float64(amount[[2]string{c, m}]) / 100
	}))
}

func (s *dashScreen) closings(r *dashboard.Report) (*fyne.Container, image.Image) {
	l := s.c.lang
	grid := header(l, 7, msgDay, msgDashOperator, msgPayments, msgDashAmount, msgDashBollo, msgDashDiritti, msgDashClosedAt)
	var days []string
	byDay := map[string]float64{}
	for _, c := range r.Closings {
		day, _ := app.ParseDate(c.Day)
		name := c.OperatorName
		if name == "" {
			name = c.Operator
		}
		addRow(grid, formatDate(day), name, fmt.Sprint(c.Payments), l.euro(c.TotalCents), l.euro(c.BolloCents), l.euro(c.DirittiCents),
			formatInstant(c.ClosedAt, app.Rome))
		if _, ok := byDay[formatDate(day)]; !ok {
			days = append(days, formatDate(day))
		}
		byDay[formatDate(day)] += float64(c.TotalCents) / 100
	}
	return grid, barChart(l.text(msgDashChartClosings), amountsStacked, days, []chartSeries{{values: valuesOf(days, byDay)}})
}

func valuesOf(keys []string, m map[string]float64) []float64 {
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

// queue is the queue's table as the hub's statistics show it, with the
// mean wait of each hour of issue per area over the period's days.
func (s *dashScreen) queue(r *dashboard.Report) (*fyne.Container, image.Image) {
	l := s.c.lang
	if len(r.Queue) == 0 {
		return container.NewVBox(), nil
	}
	grid, total := queueTable(l, r.Queue)
	hours, areas := []int{}, []string{}
	seen := map[string]bool{}
	type acc struct {
		wait   time.Duration
		called int
	}
	waits := map[string]*acc{}
	for _, q := range r.Queue {
		h := fmt.Sprintf("%02d", q.Hour)
		if !seen["h"+h] {
			seen["h"+h], hours = true, append(hours, q.Hour)
		}
		if !seen["a"+q.Area] {
			seen["a"+q.Area], areas = true, append(areas, q.Area)
		}
		a := waits[h+q.Area]
		if a == nil {
			a = &acc{}
			waits[h+q.Area] = a
		}
		a.wait += q.MeanWait * time.Duration(q.Called)
		a.called += q.Called
	}
	sort.Ints(hours)
	sort.Strings(areas)
	var labels []string
	for _, h := range hours {
		labels = append(labels, fmt.Sprintf("%02d-%02d", h, h+1))
	}
	chart := barChart(l.text(msgDashChartQueue), sideBySide, labels, crossSeries(labels, areas, func(hour, area string) float64 {
		a := waits[hour[:2]+area]
		if a == nil || a.called == 0 {
			return 0
		}
		return (a.wait / time.Duration(a.called)).Minutes()
	}))
	return container.NewVBox(note(total, false), grid), chart
}

// onExport asks where to save a table and writes it as CSV.
func (s *dashScreen) onExport(t dashboard.Table) {
	s.c.touch()
	r := s.report
	name := fmt.Sprintf("%s-%s-%s.csv", t.Name, r.From, r.To)
	s.save(name, func(w io.Writer) error { return dashboard.WriteCSV(w, t) })
}

// saveDialog is the save dialog of a CSV file: it says where the file
// went, or why it did not.
func (s *dashScreen) saveDialog(name string, write func(io.Writer) error) {
	l := s.c.lang
	d := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil {
			s.say(err.Error(), true)
			return
		}
		if uc == nil {
			return // cancelled
		}
		werr := write(uc)
		if cerr := uc.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			s.say(werr.Error(), true)
			return
		}
		s.say(l.textf(msgSavedTo, uc.URI().Path()), false)
	}, s.c.w)
	d.SetFileName(name)
	d.Resize(fyne.NewSize(min(dashWidth-100, s.c.w.Canvas().Size().Width-60), min(dashHeight-100, s.c.w.Canvas().Size().Height-60)))
	d.Show()
}
