package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/hub/demo"
	"github.com/sportello/sportello/hub/sqlstore"
	"github.com/sportello/sportello/internal/chime"
	"github.com/sportello/sportello/internal/rotlog"
	"github.com/sportello/sportello/printing"
	"github.com/sportello/sportello/ui"
)

// syncInterval is how often a workstation syncs when nothing else asks it
// to; maxBackoff bounds the wait after failures.
const (
	syncInterval = 30 * time.Second
	maxBackoff   = 5 * time.Minute
)

// runCounter opens the counter window. Without an enrolled profile and
// without --hub it runs the embedded demo network: a hub inside this
// process on loopback, with its own SQLite file, and the workstation
// enrolled to it.
func runCounter(ctx context.Context, o options) error {
	log := slog.New(slog.NewTextHandler(o.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ws, err := openWorkstation(o.data, log)
	if err != nil {
		return err
	}
	defer ws.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	hint := ""
	_, perr := ws.store.Profile(ctx)
	demoDir := filepath.Join(o.data, "demo-hub")
	if _, err := os.Stat(demoDir); err == nil || (app.ErrorCode(perr) == app.ENOTFOUND && o.hubURL == "") {
		if err := joinDemo(ctx, ws, demoDir, "Sportello dimostrativo", sqlstore.RoleCounter, log); err != nil {
			return err
		}
		hint = fmt.Sprintf("Rete dimostrativa — operatore: %s   password: %s", demo.Operator, demo.Password)
		if o.lang == "en" {
			hint = fmt.Sprintf("Demo network — operator: %s   password: %s", demo.Operator, demo.Password)
		}
	}
	p, err := ws.profile(ctx)
	if err != nil {
		return err
	}
	if err := followHub(ctx, ws, p, o.hubURL); err != nil {
		return err
	}
	go ws.client.Run(ctx, syncInterval, maxBackoff)
	// IUVs in hand, so that notices print offline.
	go func() { _ = ws.cashier.EnsureBlock(ctx) }()

	a := fyneapp.NewWithID("it.sportello.counter")
	w := a.NewWindow("Sportello — " + p.ComuneName)
	c := ui.NewCounter(w, ui.Deps{
		Counter:      ws.counter,
		Certificates: ws.certificates,
		Requests:     ws.desk,
		Output:       printing.NewOutput(ws.store, o.data),
		Payments:     ws.cashier,
		Status:       ws.client,
		SyncNow:      ws.client.SyncNow,
		Profile:      *p,
		LoginHint:    hint,
		Lang:         o.lang,
		// The screens agree with the certificates, which print Italian
		// time, whatever the machine's zone.
		Now:          func() time.Time { return ws.client.Now().In(app.Rome) },
		Queue:        ws.queue,
		QueueCounter: o.getenv("SPORTELLO_COUNTER"),
		Appointments: ws.queue,
		QueueStats:   ws.queue,
		Post:         ws.post,
		Dashboard:    ws.store,
		Accesses:     ws.counter.ExportAccesses,
		Outbox:       ws.store, // the same decisions as `sportello outbox`
	})
	defer c.Close()
	openWithinScreen(a, w, counterSize)
	w.SetMaster()
	w.ShowAndRun()
	return nil
}

// followHub points the profile at --hub when it names another hub.
func followHub(ctx context.Context, ws *workstation, p *app.Profile, hubURL string) error {
	if hubURL == "" || hubURL == p.HubURL {
		return nil
	}
	p.HubURL = hubURL
	return ws.store.SaveProfile(ctx, p)
}

// The kiosk (--kiosk) and the display board (--board) are workstations of
// their own: each enrols in the network with its own device, key and
// outbox, so that a kiosk's offline tickets carry its own prefix. On the
// embedded demo each keeps its profile in a folder of the counter's
// ("kiosk", "board") and runs the demo hub over the same database as the
// counter, as several hub processes share one database in production.

// role is an opened kiosk or board: its workstation, profile, folder and
// log.
type role struct {
	*workstation
	profile *app.Profile
	dir     string
	log     *slog.Logger
}

// openRole opens the workstation of a kiosk or board and, on the demo,
// starts the embedded hub and enrols it under name. Its log is
// size-bounded under its profile.
func openRole(ctx context.Context, o options, name, title string) (*role, error) {
	demoDir := filepath.Join(o.data, "demo-hub")
	_, demoErr := os.Stat(demoDir)
	counter, err := openWorkstation(o.data, nil)
	if err != nil {
		return nil, err
	}
	_, perr := counter.store.Profile(ctx)
	counter.Close()
	demo := demoErr == nil || (app.ErrorCode(perr) == app.ENOTFOUND && o.hubURL == "")
	dir := o.data
	if demo {
		dir = filepath.Join(o.data, name)
	}
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(rotlog.New(filepath.Join(dir, name+".log"), 1<<20), &slog.HandlerOptions{Level: slog.LevelInfo}))
	ws, err := openWorkstation(dir, log)
	if err != nil {
		return nil, err
	}
	r := &role{workstation: ws, dir: dir, log: log}
	if demo {
		role := map[string]sqlstore.DeviceRole{"kiosk": sqlstore.RoleKiosk, "board": sqlstore.RoleBoard}[name]
		if err := joinDemo(ctx, ws, demoDir, title, role, log); err != nil {
			ws.Close()
			return nil, err
		}
	}
	if r.profile, err = ws.profile(ctx); err != nil {
		ws.Close()
		return nil, err
	}
	if err := followHub(ctx, ws, r.profile, o.hubURL); err != nil {
		ws.Close()
		return nil, err
	}
	if err := ws.client.Round(ctx); err != nil {
		log.Info("first sync", "err", err) // offline is normal: the cache serves
	}
	// A public machine holds only what its screens need: a cache synced
	// before the hub confined kiosks and boards is cleaned here.
	if name == "board" {
		err = ws.store.KeepForBoard(ctx)
	} else {
		var n int
		n, err = ws.store.KeepForKiosk(ctx)
		if n > 0 {
			log.Info("identity documents on file replaced by their checks", "citizens", n)
		}
	}
	if err != nil {
		ws.Close()
		return nil, err
	}
	return r, nil
}

// runKiosk opens the public kiosk, fullscreen, with no way out from its
// window: closing is refused, and there is no menu.
func runKiosk(ctx context.Context, o options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r, err := openRole(ctx, o, "kiosk", "Chiosco dimostrativo")
	if err != nil {
		return err
	}
	defer r.Close()
	go r.client.Run(ctx, syncInterval, maxBackoff)
	self := &kiosk.Self{Cache: r.store, Device: r.profile.Device, Counter: r.counter, Certificates: r.certificates, Now: r.client.Now}
	desk := *r.desk // the kiosk's requests say so
	desk.Channel = "chiosco"
	byPost := &kiosk.Post{Desk: &desk, Counter: r.counter, Device: r.profile.Device}
	pr := &printing.KioskPrinter{Ticket: o.getenv("SPORTELLO_TICKET_PRINTER"), PDF: o.getenv("SPORTELLO_PRINTER"),
		Dir: filepath.Join(r.dir, "stampe"), Comune: r.profile.ComuneName, Log: r.log}
	a := fyneapp.NewWithID("it.sportello.kiosk")
	w := a.NewWindow("Sportello — chiosco")
	k := ui.NewKiosk(w, ui.KioskDeps{ComuneName: r.profile.ComuneName, Queue: r.queue, Self: self, Printer: pr, Lang: o.lang,
		Now: r.client.Now, Appointments: r.queue, Device: r.profile.Device, Payments: kioskPayments{&kiosk.Payments{Cashier: r.cashier, Device: r.profile.Device}}, Post: byPost})
	defer k.Close()
	w.SetCloseIntercept(func() { r.log.Info("close refused: the kiosk stays open") })
	w.SetFullScreen(o.getenv("SPORTELLO_KIOSK_WINDOWED") == "")
	w.Resize(fyne.NewSize(1280, 1024))
	w.SetMaster()
	w.ShowAndRun()
	return nil
}

// kioskPayments hands the kiosk's payable notices to its screen.
type kioskPayments struct{ *kiosk.Payments }

func (p kioskPayments) PayableNotices(ctx context.Context, code string) ([]ui.KioskNotice, error) {
	ns, err := p.Payments.PayableNotices(ctx, code)
	if err != nil {
		return nil, err
	}
	out := make([]ui.KioskNotice, len(ns))
	for i, n := range ns {
		out[i] = ui.KioskNotice{ID: n.ID, Label: n.Label}
	}
	return out, nil
}

// runBoard opens the display board, fullscreen.
func runBoard(ctx context.Context, o options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r, err := openRole(ctx, o, "board", "Tabellone dimostrativo")
	if err != nil {
		return err
	}
	defer r.Close()
	a := fyneapp.NewWithID("it.sportello.board")
	w := a.NewWindow("Sportello — tabellone")
	b := ui.NewBoard(w, ui.BoardDeps{
		ComuneName: r.profile.ComuneName,
		State:      r.store.QueueState,
		Refresh: func(ctx context.Context) error {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return r.client.Round(rctx)
		},
		Chime: chime.New(filepath.Join(r.dir, "chime.wav"), o.stdout, r.log),
		Lang:  o.lang,
	})
	defer b.Close()
	w.SetFullScreen(o.getenv("SPORTELLO_KIOSK_WINDOWED") == "")
	w.Resize(fyne.NewSize(1920, 1080))
	w.SetMaster()
	w.ShowAndRun()
	return nil
}
