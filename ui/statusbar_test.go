package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/sportello/sportello/app"
)

func TestStatusBar(t *testing.T) {
	for _, tc := range []struct {
		name  string
		st    app.SyncStatus
		shows []string
		hides []string
	}{
		{
			name:  "Online",
			st:    app.SyncStatus{Online: true, LastSync: testNow.Add(-2 * time.Minute), Progress: -1},
			shows: []string{"Online", "Ultima sincronizzazione: oggi alle 10:28", "Operazioni in attesa: 0"},
			hides: []string{"Offline", "da verificare", "Orologio", "ripristinato"},
		},
		{
			name:  "OfflineNeverSynced",
			st:    app.SyncStatus{Progress: -1, LastError: "centro servizi non raggiungibile"},
			shows: []string{"Offline", "Ultima sincronizzazione: mai", "centro servizi non raggiungibile"},
			hides: []string{"Online"},
		},
		{
			name:  "LastSyncAnotherDay",
			st:    app.SyncStatus{LastSync: time.Date(2025, 5, 12, 16, 45, 0, 0, time.UTC), Progress: -1},
			shows: []string{"Ultima sincronizzazione: 12/05/2025 18:45"},
		},
		{
			name:  "PendingAndParked",
			st:    app.SyncStatus{Online: true, Pending: 7, Parked: 2, Progress: -1},
			shows: []string{"Operazioni in attesa: 7", "da verificare: 2"},
		},
		{
			name:  "ClockAhead",
			st:    app.SyncStatus{Online: true, Progress: -1, ClockSkew: 5*time.Minute + 10*time.Second},
			shows: []string{"Orologio della postazione avanti di 5 minuti"},
		},
		{
			name:  "ClockBehind",
			st:    app.SyncStatus{Online: true, Progress: -1, ClockSkew: -3 * time.Minute},
			shows: []string{"Orologio della postazione indietro di 3 minuti"},
		},
		{
			name:  "ClockADayAhead",
			st:    app.SyncStatus{Online: true, Progress: -1, ClockSkew: 24*time.Hour + 3*time.Minute},
			shows: []string{"Orologio della postazione avanti di 24 ore: controllare data e ora"},
		},
		{
			name:  "ClockADayBehind",
			st:    app.SyncStatus{Online: true, Progress: -1, ClockSkew: -24 * time.Hour},
			shows: []string{"Orologio della postazione indietro di 24 ore: controllare data e ora"},
		},
		{
			name:  "HubRestored",
			st:    app.SyncStatus{Online: true, Progress: -1, HubRestored: testNow, Resent: 6},
			shows: []string{"Centro servizi ripristinato da un backup: 6 operazioni reinviate"},
		},
		{
			// A restored hub holds the numbering: said plainly, and not as
			// an error (the requests wait with their provisional numbers).
			name:  "NumberingSuspended",
			st:    app.SyncStatus{Online: true, Progress: -1, HubRestored: testNow, Resent: 1, Pending: 2, Suspended: true},
			shows: []string{"Centro servizi ripristinato: numerazione sospesa finché tutte le postazioni non hanno reinviato il loro lavoro", "Operazioni in attesa: 2"},
			hides: []string{"Offline", "da verificare", "operazioni reinviate"},
		},
		{
			name:  "SmallSkewIsNormal",
			st:    app.SyncStatus{Online: true, Progress: -1, ClockSkew: 90 * time.Second},
			hides: []string{"Orologio"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.login()
			h.status.publish(tc.st)
			h.q.drain()
			h.assertShows(tc.shows...)
			h.assertHides(tc.hides...)
			if h.c.status.progBox.Visible() {
				t.Error("the progress bar shows with no download running")
			}
		})
	}
}

func TestStatusBarProgress(t *testing.T) {
	h := newHarness(t)
	h.status.publish(app.SyncStatus{Online: true, Progress: 0.25, Phase: "Scaricamento dell'anagrafe"})
	h.waitFor("the progress bar", func() bool { return h.c.status.progBox.Visible() })
	if got := h.c.status.progress.Value; got != 0.25 {
		t.Errorf("progress = %v, want 0.25", got)
	}
	h.assertShows("Scaricamento dell'anagrafe") // on the login screen too
	h.status.publish(app.SyncStatus{Online: true, Progress: -1, LastSync: testNow})
	h.q.drain()
	if h.c.status.progBox.Visible() {
		t.Error("the progress bar stays after the download")
	}
	h.assertHides("Scaricamento")
}

func TestStatusBarSyncNow(t *testing.T) {
	h := newHarness(t)
	h.login()
	h.tap(h.button("Sincronizza"))
	if n := h.syncs.Load(); n != 1 {
		t.Errorf("SyncNow called %d times, want 1", n)
	}
}

func TestStatusBarAlwaysVisible(t *testing.T) {
	h := newHarness(t)
	h.assertShows("Operazioni in attesa: 0") // login screen
	h.login()
	h.assertShows("Operazioni in attesa: 0")
	h.openByKeyboard("rossi", 1)
	h.assertShows("Operazioni in attesa: 0")
	h.press(fyne.KeyEscape)
	h.assertShows("Operazioni in attesa: 0")
}

func TestStatusBarStopsAfterClose(t *testing.T) {
	h := newHarness(t)
	h.c.Close()
	h.status.publish(app.SyncStatus{Pending: 99, Progress: -1})
	h.q.drain()
	h.assertHides("Operazioni in attesa: 99")
}

// TestStatusBarKioskLocked: a kiosk of the comune locked after wrong
// attempts is shown to a supervisor, in the counter's words, and not to a
// clerk; the alert goes when the status no longer carries it.
func TestStatusBarKioskLocked(t *testing.T) {
	st := app.SyncStatus{Online: true, Progress: -1, KioskLocked: "Chiosco atrio", KioskLockedAt: testNow}
	const shown = "Chiosco Chiosco atrio bloccato per tentativi errati"
	t.Run("Clerk", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.status.publish(st)
		h.q.drain()
		h.assertHides(shown)
	})
	t.Run("Supervisor", func(t *testing.T) {
		h := newHarness(t)
		h.login()
		h.c.op.Roles = append(h.c.op.Roles, app.RoleSupervisor)
		h.status.publish(st)
		h.q.drain()
		h.assertShows(shown)
		h.status.publish(app.SyncStatus{Online: true, Progress: -1})
		h.q.drain()
		h.assertHides(shown)
	})
}
