package main

import (
	"fmt"
	"path/filepath"
	stdsync "sync"
	"time"
)

// scenario is one kind of run: how many workstations, and the faults.
type scenario struct {
	name string
	nws  int
	run  func(w *world) error
}

// scenarios are every scenario, in the order a series cycles through them.
var scenarios = []scenario{
	{"kill-workstation", 1, killWorkstation},
	{"network", 2, network},
	{"hub-crash", 2, hubCrash},
	{"offline-comune", 3, offlineComune},
	{"clock-skew", 2, clockSkew},
	{"cash", 1, cash},
	// Every workstation of the template: a restored hub awaits each of
	// them before it numbers anew (hub/sqlstore/recovery.go).
	{"restore", 3, restoreHub},
}

// defaultScenarios are every scenario.
var defaultScenarios = []string{"kill-workstation", "network", "hub-crash", "offline-comune", "clock-skew", "cash", "restore"}

func scenarioNamed(name string) (scenario, bool) {
	for _, s := range scenarios {
		if s.name == name {
			return s, true
		}
	}
	return scenario{}, false
}

// killWorkstation SIGKILLs the workstation at random moments of its
// commands: while it writes a request, pushes it, or applies a page of
// changes the hub made (requests moved by the back office). Some steps run
// with the network down, so that a later sync pushes several.
func killWorkstation(w *world) error {
	ws := w.ws[0]
	for step := 0; step < 6; step++ {
		ws.proxy.offline.Store(w.chance(300))
		var kill time.Duration
		if w.chance(500) {
			kill = w.ms(5, 700)
		}
		switch {
		case w.chance(650):
			w.submit(ws, kill)
		default:
			if w.chance(500) {
				w.moveOne()
			}
			w.sync(ws, kill)
		}
	}
	return nil
}

// network puts the fault proxy between two workstations and the hub: cut
// connections (before the hub sees a request, and after it applied it),
// delays, whole requests sent twice, requests held back while the other
// workstation's overtake them, and old requests replayed later.
func network(w *world) error {
	var wg stdsync.WaitGroup
	for _, ws := range w.ws {
		ws.proxy.setFaults(300 + w.intn(400))
		n := 2 + w.intn(3)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < n; i++ {
				if w.chance(700) {
					w.submit(ws, 0)
				} else {
					w.sync(ws, 0)
				}
			}
		}()
	}
	wg.Wait()
	w.moveOne()
	return nil
}

// hubCrash SIGKILLs the hub at a random moment while two workstations
// submit and sync, and restarts it on the same database a moment later.
func hubCrash(w *world) error {
	var wg stdsync.WaitGroup
	for _, ws := range w.ws {
		n := 2 + w.intn(2)
		wg.Add(1)
		go func() { defer wg.Done(); w.submitN(ws, n) }()
	}
	time.Sleep(w.ms(50, 1200))
	w.killHub()
	time.Sleep(w.ms(50, 500))
	err := w.restartHub()
	wg.Wait()
	return err
}

// offlineComune takes requests at three workstations of one comune while
// they are all offline, then syncs them in a random order, some at once:
// the protocol numbers must come out gap-free and unique.
func offlineComune(w *world) error {
	for _, ws := range w.ws {
		ws.proxy.offline.Store(true)
	}
	for _, ws := range w.ws {
		// The bound is drawn again at each step (seeds of the recorded
		// series replay only with the same draws).
		for i := 0; i < 1+w.intn(2); i++ {
			w.submit(ws, 0)
		}
	}
	order := make([]*workstation, len(w.ws))
	copy(order, w.ws)
	for i := len(order) - 1; i > 0; i-- {
		j := w.intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	var wg stdsync.WaitGroup
	for _, ws := range order {
		ws.proxy.offline.Store(false)
		wg.Add(1)
		go func() { defer wg.Done(); w.sync(ws, 0) }()
		time.Sleep(w.ms(0, 400))
	}
	wg.Wait()
	return nil
}

// clockSkew runs two workstations whose clocks are off by up to a day
// either way (the test hook SPORTELLO_TEST_CLOCK_SKEW), with a few
// network faults.
func clockSkew(w *world) error {
	skews := []string{"24h", "-24h", "23h30m", "-23h30m", "90m", "-90m"}
	var wg stdsync.WaitGroup
	for _, ws := range w.ws {
		ws.env = []string{"SPORTELLO_TEST_CLOCK_SKEW=" + skews[w.intn(len(skews))]}
		w.logf("ws%d clock: %s", ws.n, ws.env[0])
		ws.proxy.setFaults(150)
		ws.proxy.offline.Store(w.chance(300))
		n := 2 + w.intn(2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.submitN(ws, n)
			ws.proxy.offline.Store(false)
			w.sync(ws, 0)
		}()
	}
	wg.Wait()
	return nil
}

// cash takes cash payments of three positions at a workstation and closes
// the operator's day, with network faults and the workstation SIGKILLed at
// random moments: the day's closing must never reach the hub before a
// payment of the day (issue 11, point 1), and every payment confirmed
// must be at the hub once.
func cash(w *world) error {
	ws := w.ws[0]
	ws.proxy.setFaults(200 + w.intn(300))
	positions := append([]string(nil), w.tmpl.positions...)
	for i := 0; i < 3; i++ {
		j := i + w.intn(len(positions)-i)
		positions[i], positions[j] = positions[j], positions[i]
		ws.proxy.offline.Store(w.chance(250))
		var kill time.Duration
		if w.chance(400) {
			kill = w.ms(5, 900)
		}
		w.pay(ws, positions[i], kill)
	}
	ws.proxy.offline.Store(w.chance(250))
	var kill time.Duration
	if w.chance(300) {
		kill = w.ms(5, 900)
	}
	w.closeDay(ws, kill)
	return nil
}

// restoreHub backs the hub up while it serves, lets the workstations go on
// (what they confirm now is newer than the backup), then stops the hub
// and restores the backup: everything confirmed must reach the restored
// hub.
func restoreHub(w *world) error {
	for _, ws := range w.ws {
		w.submit(ws, 0)
	}
	backup := filepath.Join(w.dir, "hub-backup.db")
	if o := runCmd(w.ctx, w.bin.path("sportello-hub"), nil, 0, "backup", "--data", w.hubData, "--out", backup); o.code != 0 {
		return fmt.Errorf("hub backup: %s", o.err)
	}
	w.logf("hub backed up")
	for _, ws := range w.ws {
		w.submitN(ws, 1+w.intn(2))
	}
	w.stopHub()
	if o := runCmd(w.ctx, w.bin.path("sportello-hub"), nil, 0, "restore", "--data", w.hubData, backup); o.code != 0 {
		return fmt.Errorf("hub restore: %s", o.err)
	}
	w.logf("hub restored from the backup")
	if err := w.restartHub(); err != nil {
		return err
	}
	for _, ws := range w.ws {
		w.submit(ws, 0)
	}
	return nil
}
