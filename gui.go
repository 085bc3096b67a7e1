package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/hub"
	"github.com/sportello/sportello/ui"
)

// syncInterval is how often a workstation syncs when nothing else asks it
// to; maxBackoff bounds the wait after failures.
const (
	syncInterval = 30 * time.Second
	maxBackoff   = 5 * time.Minute
)

// runGUI opens the counter window. Without an enrolled profile and without
// --hub it runs the embedded demo network: a hub inside this process on
// loopback, with its own SQLite file, and the workstation enrolled to it.
func runGUI(ctx context.Context, o options) error {
	log := slog.New(slog.NewTextHandler(o.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	ws, err := openWorkstation(o, log)
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
		url, err := startDemoHub(ctx, demoDir, log)
		if err != nil {
			return fmt.Errorf("embedded demo hub: %w", err)
		}
		if err := ensureDemoEnrolled(ctx, ws, url, demoDir); err != nil {
			return fmt.Errorf("enrol in the demo network: %w", err)
		}
		hint = fmt.Sprintf("Rete dimostrativa — operatore: %s   password: %s", hub.DemoOperator, hub.DemoPassword)
		if o.lang == "en" {
			hint = fmt.Sprintf("Demo network — operator: %s   password: %s", hub.DemoOperator, hub.DemoPassword)
		}
	}
	p, err := ws.profile(ctx)
	if err != nil {
		return err
	}
	if o.hubURL != "" && o.hubURL != p.HubURL {
		p.HubURL = o.hubURL
		if err := ws.store.SaveProfile(ctx, p); err != nil {
			return err
		}
	}
	go ws.client.Run(ctx, syncInterval, maxBackoff)

	a := fyneapp.NewWithID("it.sportello.counter")
	w := a.NewWindow("Sportello — " + p.ComuneName)
	c := ui.NewCounter(w, ui.Deps{
		Counter:      ws.counter,
		Certificates: newCertificates(ws),
		Requests:     newDesk(ws), // requestcli.go
		Output:       newPrinterOutput(ws.store, o.data),
		Payments:     newPaymentDesk(ctx, ws), // paymentcli.go
		Status:       ws.client,
		SyncNow:      ws.client.SyncNow,
		Profile:      *p,
		LoginHint:    hint,
		Lang:         o.lang,
		Now:          italianNow,
		Queue:        newQueueService(ws), // kioskgui.go
		QueueCounter: o.getenv("SPORTELLO_COUNTER"),
		Appointments: newQueueService(ws), // kioskgui.go
		QueueStats:   newQueueService(ws),
	})
	defer c.Close()
	w.Resize(fyne.NewSize(1280, 800))
	w.SetMaster()
	w.ShowAndRun()
	return nil
}

// italianNow is the counter's clock in Italian time, whatever the
// machine's zone: the screens agree with the certificates, which print
// Europe/Rome.
func italianNow() time.Time { return time.Now().In(rome) }

var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return loc
}()

// The demo network: Sesto San Giovanni, where the workstation is, and
// Cinisello Balsamo next door, whose citizens are found through the hub.
var demoComuni = []hub.DemoOptions{
	{Comune: "I690", Residents: 3000, Seed: 1},
	{Comune: "C707", Residents: 800, Seed: 2},
}

// startDemoHub runs the demo network's hub in this process on a loopback
// port, seeding it on first use, and returns its URL.
func startDemoHub(ctx context.Context, dir string, log *slog.Logger) (string, error) {
	db, err := openDemoHub(ctx, dir)
	if err != nil {
		return "", err
	}
	if err := hub.SeedDemoQueue(ctx, db, demoComuni[0].Comune, time.Now()); err != nil {
		db.Close()
		return "", err
	}
	if err := hub.SeedDemoRequests(ctx, db, demoComuni[0].Comune, time.Now()); err != nil { // a profile seeded before they were
		db.Close()
		return "", err
	}
	ready := make(chan string, 1)
	errc := make(chan error, 1)
	go func() {
		defer db.Close()
		errc <- serveHub(ctx, db, "127.0.0.1:0", log, func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		return "http://" + addr, nil
	case err := <-errc:
		return "", err
	case <-time.After(10 * time.Second):
		return "", errors.New("the demo hub did not start")
	}
}

// ensureDemoEnrolled enrols the counter in the demo network the first
// time, and follows the hub to its new port afterwards (kioskgui.go).
func ensureDemoEnrolled(ctx context.Context, ws *workstation, url, dir string) error {
	return ensureRoleEnrolled(ctx, ws, url, dir, "Sportello dimostrativo")
}
