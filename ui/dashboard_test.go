package ui

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/queue"
)

// fakeDashboard answers with the report the test seeded, for the days
// asked, and records them.
type fakeDashboard struct {
	mu    sync.Mutex
	asked [][2]string
	seed  dashboard.Report
}

func (f *fakeDashboard) Report(_ context.Context, from, to string) (*dashboard.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, [2]string{from, to})
	r := f.seed
	r.From, r.To = from, to
	return &r, nil
}

func (f *fakeDashboard) last() [2]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[len(f.asked)-1]
}

func seededReport() dashboard.Report {
	return dashboard.Report{
		Certificates: []dashboard.CertificateRow{
			{Type: "residenza", Title: "Certificato di residenza", Count: 2, BolloCents: 3200, DirittiCents: 104},
			{Type: "stato-di-famiglia", Title: "Certificato di stato di famiglia", Count: 1, BolloCents: 1600, DirittiCents: 52},
		},
		Requests: []dashboard.RequestRow{
			{Service: "accesso-atti", ServiceTitle: "Accesso agli atti", Status: "ricevuta", StatusTitle: "ricevuta", Count: 1},
			{Service: "segnalazione", ServiceTitle: "Segnalazione di disservizio", Status: "conclusa", StatusTitle: "conclusa", Count: 1},
		},
		Payments: []dashboard.PaymentRow{
			{Method: "contanti", MethodName: "contanti", Service: "tari", ServiceName: "TARI", Count: 2, AmountCents: 24000},
			{Method: "pos", MethodName: "POS", Service: "tari", ServiceName: "TARI", Count: 1, AmountCents: 12000},
		},
		Closings: []dashboard.ClosingRow{{Day: "2025-05-14", Operator: "demo", OperatorName: "Mario Rossi", Payments: 3, TotalCents: 36000,
			BolloCents: 4800, DirittiCents: 156, ClosedAt: time.Date(2025, 5, 14, 17, 5, 0, 0, app.Rome)}},
		Queue: []queue.StatRow{
			{Day: "2025-05-14", Area: "A", Hour: 9, Issued: 2, Called: 2, Served: 2, MeanWait: 20 * time.Minute, MaxWait: 30 * time.Minute, MeanService: 7 * time.Minute},
			{Day: "2025-05-14", Area: "T", Hour: 10, Issued: 1, Called: 1, Served: 1, MeanWait: 4 * time.Minute, MaxWait: 4 * time.Minute, MeanService: 3 * time.Minute},
		},
	}
}

// asSupervisor makes the harness's operator a supervisor.
func asSupervisor(h *harness) {
	login := h.counter.login
	h.counter.login = func(ctx context.Context, u, p string) (*app.Operator, error) {
		op, err := login(ctx, u, p)
		if op != nil {
			cp := *op
			cp.Roles = []app.Role{app.RoleOperator, app.RoleSupervisor}
			op = &cp
		}
		return op, err
	}
}

// images are the images drawn in the window's layers.
func (h *harness) images() []*canvas.Image {
	var out []*canvas.Image
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Image:
			out = append(out, x)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	for _, l := range h.layers() {
		walk(l)
	}
	return out
}

// aChart reports whether one of the images shown is a chart: a wide image
// with coloured bars on it (plotutil's first colour is a saturated red or
// blue, unlike the grey of axes and text).
func (h *harness) aChart() bool {
	for _, ci := range h.images() {
		img := ci.Image
		if img == nil || img.Bounds().Dx() < 2*img.Bounds().Dy() {
			continue
		}
		if colouredPixels(img) > 200 {
			return true
		}
	}
	return false
}

func colouredPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			hi, lo := max(r, g, bl), min(r, g, bl)
			if hi-lo > 0x4000 {
				n++
			}
		}
	}
	return n
}

// TestDashboard: only a supervisor has the dashboard; it shows the seeded
// period's certificates, requests, payments with their total, closings and
// queue waits, each tab with its chart, and saves each table as CSV; the
// week starts on Monday.
func TestDashboard(t *testing.T) {
	src := &fakeDashboard{seed: seededReport()}
	t.Run("OperatorHasNone", func(t *testing.T) {
		h := newHarness(t, func(d *Deps) { d.Dashboard = src })
		h.login()
		h.waitFor("the workspace", func() bool { return h.c.search != nil })
		h.assertHides("Cruscotto")
		h.c.onDashboard() // not even by another way in
		if h.c.dash != nil {
			t.Fatal("an operator must not open the dashboard")
		}
	})

	t.Run("English", func(t *testing.T) {
		h := newHarness(t, func(d *Deps) { d.Dashboard = src; d.Lang = "en" })
		asSupervisor(h)
		h.login()
		h.waitFor("the button", func() bool { return h.shows("Dashboard") })
		h.tap(h.button("Dashboard"))
		h.waitFor("today", func() bool { return h.shows("From 14/05/2025") })
		h.assertShows("Supervisor's dashboard", "From 14/05/2025 to 14/05/2025: 3 certificates, 2 requests, 3 payments for €360.00",
			"Certificates", "Requests", "Payments", "Cash closings", "Queue", "Type Count Stamp duty Secretarial fees", "Export CSV…")
		h.c.dash.tabs.SelectIndex(2)
		h.assertShows("TARI Cash 2 €240.00", "Total 3 €360.00")
	})

	h := newHarness(t, func(d *Deps) { d.Dashboard = src })
	h.w.Resize(fyne.NewSize(1366, 768))
	asSupervisor(h)
	h.login()
	h.waitFor("the button", func() bool { return h.shows("Cruscotto") })
	h.tap(h.button("Cruscotto"))
	h.waitFor("today", func() bool { return h.shows("Dal 14/05/2025 al 14/05/2025") })
	if got := src.last(); got != [2]string{"2025-05-14", "2025-05-14"} {
		t.Fatalf("asked %v for today", got)
	}
	h.assertShows("Cruscotto del supervisore",
		"Dal 14/05/2025 al 14/05/2025: 3 certificati, 2 istanze, 3 pagamenti per € 360,00",
		"Certificati", "Istanze", "Pagamenti", "Chiusure di cassa", "Coda",
		"Tipo Quantità Bollo Diritti di segreteria",
		"Certificato di residenza 2 € 32,00 € 1,04",
		"Certificato di stato di famiglia 1 € 16,00 € 0,52")
	if !h.aChart() {
		t.Error("the certificates' tab has no chart")
	}

	var saved []string
	var content bytes.Buffer
	h.c.dash.save = func(name string, write func(io.Writer) error) {
		saved = append(saved, name)
		content.Reset()
		if err := write(&content); err != nil {
			t.Fatal(err)
		}
	}
	h.tap(h.button("Esporta CSV…"))
	if len(saved) != 1 || saved[0] != "certificates-2025-05-14-2025-05-14.csv" {
		t.Fatalf("saved %v", saved)
	}
	if want := "\ufefffrom;to;type;title;count;bollo_eur;diritti_eur\r\n2025-05-14;2025-05-14;residenza;Certificato di residenza;2;32,00;1,04\r\n"; !strings.HasPrefix(content.String(), want) {
		t.Errorf("certificates CSV:\n%q", content.String())
	}

	for _, c := range []struct {
		tab   int
		shows []string
		csv   string
	}{
		{1, []string{"Servizio Stato Quantità", "Accesso agli atti ricevuta 1", "Segnalazione di disservizio conclusa 1"},
			"2025-05-14;2025-05-14;segnalazione;Segnalazione di disservizio;conclusa;conclusa;1\r\n"},
		{2, []string{"Servizio Modalità Pagamenti Importo", "TARI Contanti 2 € 240,00", "TARI Carta (POS) 1 € 120,00", "Totale 3 € 360,00"},
			"2025-05-14;2025-05-14;pos;tari;1;120,00\r\n"},
		{3, []string{"Giorno Operatore Pagamenti Importo Bollo Diritti di segreteria Chiusa il", "14/05/2025 Mario Rossi 3 € 360,00 € 48,00 € 1,56 14/05/2025 17:05"},
			"2025-05-14;demo;Mario Rossi;3;360,00;48,00;1,56;2025-05-14 17:05\r\n"},
		{4, []string{"Totale: 3 emessi, 3 serviti, 0 assenti; attesa media 15 min", "14/05/2025 A 09-10 2 2 0 20 min 30 min 7 min", "14/05/2025 T 10-11 1 1 0 4 min 4 min 3 min"},
			"2025-05-14;A;09;2;2;2;0;20,0;30,0;7,0\r\n"},
	} {
		h.c.dash.tabs.SelectIndex(c.tab)
		h.assertShows(c.shows...)
		shot(t, h, fmt.Sprintf("dashboard-%d.png", c.tab))
		if !h.aChart() {
			t.Errorf("tab %d has no chart", c.tab)
		}
		h.tap(h.button("Esporta CSV…"))
		if !strings.Contains(content.String(), c.csv) {
			t.Errorf("tab %d's CSV lacks %q:\n%q", c.tab, c.csv, content.String())
		}
	}
	shot(t, h, "dashboard.png")

	h.c.dash.period.SetSelected("Questa settimana")
	h.waitFor("the week", func() bool { return h.shows("Dal 12/05/2025 al 14/05/2025") })
	if got := src.last(); got != [2]string{"2025-05-12", "2025-05-14"} {
		t.Fatalf("asked %v for the week", got)
	}
	if h.c.dash.tabs.SelectedIndex() != 4 {
		t.Error("a new period must keep the tab the supervisor was on")
	}

	// An empty period: the tables say so and export nothing.
	src.mu.Lock()
	src.seed = dashboard.Report{}
	src.mu.Unlock()
	h.tap(h.button("Aggiorna"))
	h.waitFor("nothing", func() bool { return h.shows("0 certificati") })
	h.assertShows("Niente nel periodo")
	if !h.button("Esporta CSV…").Disabled() {
		t.Error("an empty table must not be exported")
	}

	h.tap(h.button("Chiudi"))
	if h.c.dash != nil || h.c.dialogOpen() {
		t.Fatal("the dashboard must close")
	}
}
