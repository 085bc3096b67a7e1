package ui

import (
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/request"
)

// scansShown is how many of the scanner folder's newest files an
// attachment field offers: the document just scanned is the first.
const scansShown = 4

// scanPicker offers, under each attachment field of the request form, the
// newest files of the workstation's scanner folder that the field takes:
// one click attaches one, as the file dialog would. Without a scanner
// folder it shows nothing.
type scanPicker struct {
	fm     *requestForm
	fields []*scanSlot
	dir    string // the scanner folder, once loaded: where the file dialog opens
}

type scanSlot struct {
	f       request.Field
	chosen  *widget.RichText // the field's "file attached" line
	box     *fyne.Container
	buttons []*widget.Button // the files offered, newest first
}

func newScanPicker(fm *requestForm) *scanPicker { return &scanPicker{fm: fm} }

// box is the place of field f's scanned files, empty until load.
func (p *scanPicker) box(f request.Field, chosen *widget.RichText) fyne.CanvasObject {
	sf := &scanSlot{f: f, chosen: chosen, box: container.NewVBox()}
	sf.box.Hide()
	p.fields = append(p.fields, sf)
	return sf.box
}

type scansResult struct {
	dir   string
	scans []request.Scan
	err   error
}

// load reads the scanner folder in the background.
func (p *scanPicker) load() {
	if len(p.fields) == 0 {
		return
	}
	reqs, ctx := p.fm.c.d.Requests, p.fm.c.session
	inBackground(p.fm.c.ui, func() scansResult {
		dir, scans, err := reqs.Scans(ctx, 50)
		return scansResult{dir, scans, err}
	}, func(r scansResult) {
		if p.fm.scans != p {
			return // another service's form is shown
		}
		p.show(r)
	})
}

func (p *scanPicker) show(r scansResult) {
	l := p.fm.c.lang
	p.dir = r.dir
	now := time.Now()
	for _, sf := range p.fields {
		if r.dir == "" && r.err == nil {
			sf.box.Hide()
			continue
		}
		refresh := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), p.load)
		refresh.Importance = widget.LowImportance
		objs := []fyne.CanvasObject{container.NewHBox(quiet(l.textf(msgScannerFolder, r.dir), fyne.TextStyle{}, theme.SizeNameCaptionText), refresh)}
		sf.buttons = nil
		accept := sf.f.AcceptedTypes()
		for _, s := range r.scans {
			if len(sf.buttons) == scansShown {
				break
			}
			if !slices.Contains(accept, s.Type) {
				continue
			}
			name := s.Name
			b := widget.NewButtonWithIcon(fmt.Sprintf("%s — %s, %s", name, scanTime(s.ModTime, now), fileSize(s.Size)), theme.FileIcon(),
				func() { p.onScan(sf, name) })
			b.Importance = widget.LowImportance
			b.Alignment = widget.ButtonAlignLeading
			sf.buttons = append(sf.buttons, b)
			objs = append(objs, b)
		}
		switch {
		case r.err != nil:
			objs = append(objs, note(app.ErrorMessage(r.err), true))
		case len(sf.buttons) == 0:
			objs = append(objs, quiet(l.text(msgNoScans), fyne.TextStyle{Italic: true}, theme.SizeNameCaptionText))
		}
		sf.box.Objects = objs
		sf.box.Show()
		sf.box.Refresh()
	}
}

type scanReadResult struct {
	file request.File
	err  error
}

// onScan attaches a file of the scanner folder to its field, checked as
// one from the file dialog.
func (p *scanPicker) onScan(sf *scanSlot, name string) {
	fm := p.fm
	reqs, ctx := fm.c.d.Requests, fm.c.session
	inBackground(fm.c.ui, func() scanReadResult {
		f, err := reqs.ReadScan(ctx, sf.f.ID, name)
		return scanReadResult{f, err}
	}, func(r scanReadResult) {
		if fm.scans != p {
			return
		}
		if r.err != nil {
			setError(fm.errs[sf.f.ID], app.ErrorMessage(r.err))
			return
		}
		fm.attach(sf.f.ID, r.file.Name, r.file.Data, sf.chosen)
	})
}

// scanTime is when a file was scanned: the time today, the day before.
func scanTime(t, now time.Time) string {
	t = t.Local()
	if y, m, d := t.Date(); now.Local().Year() == y && now.Local().Month() == m && now.Local().Day() == d {
		return t.Format("15:04")
	}
	return t.Format("02/01/2006 15:04")
}

func fileSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d kB", (n+1023)/1024)
}
