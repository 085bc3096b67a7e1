package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// fakeStats computes the statistics with the domain's queue.Stats over
// tickets the test holds, and records the periods asked.
type fakeStats struct {
	mu      sync.Mutex
	tickets []queue.Ticket
	asked   [][2]string
	err     error
}

func (s *fakeStats) Stats(_ context.Context, from, to string) ([]queue.StatRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asked = append(s.asked, [2]string{from, to})
	if s.err != nil {
		return nil, s.err
	}
	var in []queue.Ticket
	for _, t := range s.tickets {
		if d := queue.Day(t.IssuedAt); d >= from && d <= to {
			in = append(in, t)
		}
	}
	return queue.Stats(in), nil
}

func (s *fakeStats) last() [2]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.asked) == 0 {
		return [2]string{}
	}
	return s.asked[len(s.asked)-1]
}

// TestQueueStatsForSupervisors: only a supervisor sees the button; the
// screen shows, per day, service and hour, the tickets and the waiting and
// serving times the hub's tickets give, and the period's totals; offline
// it says so.
func TestQueueStatsForSupervisors(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2025, 5, 14+d, h, m, 0, 0, app.Rome) }
	ticket := func(n int, area string, issued, called, done time.Time, st queue.Status) queue.Ticket {
		return queue.Ticket{ID: "t", Number: queue.HubNumber(area, n), Area: area, IssuedAt: issued, CalledAt: called, DoneAt: done, Status: st}
	}
	stats := &fakeStats{tickets: []queue.Ticket{
		ticket(1, "A", at(0, 9, 5), at(0, 9, 15), at(0, 9, 21), queue.Served),   // waited 10, served 6
		ticket(2, "A", at(0, 9, 10), at(0, 9, 40), at(0, 9, 48), queue.Served),  // waited 30, served 8
		ticket(3, "A", at(0, 10, 0), at(0, 10, 4), at(0, 10, 5), queue.Skipped), // waited 4
		ticket(1, "T", at(-1, 11, 0), at(-1, 11, 2), at(-1, 11, 12), queue.Served),
	}}
	t.Run("OperatorSeesNoButton", func(t *testing.T) {
		h := newHarness(t, func(d *Deps) { d.Queue = &fakeQueueDesk{}; d.QueueStats = stats })
		h.login()
		h.waitFor("the strip", func() bool { return h.shows("Chiama il prossimo") })
		h.assertHides("Statistiche coda")
		h.c.onStats() // not even by another way in
		if h.c.queueDialogOpen() {
			t.Fatal("an operator must not open the statistics")
		}
	})

	h := newHarness(t, func(d *Deps) { d.Queue = &fakeQueueDesk{}; d.QueueStats = stats })
	asSupervisor(h) // outbox_test.go
	h.login()
	h.waitFor("the strip", func() bool { return h.shows("Statistiche coda") })
	h.tap(h.button("Statistiche coda"))
	h.waitFor("today's statistics", func() bool { return h.shows("Totale: 3 emessi") })
	if got := stats.last(); got != [2]string{"2025-05-14", "2025-05-14"} {
		t.Fatalf("asked %v for today", got)
	}
	// 09-10: two issued and served, waits 10 and 30 (mean 20, max 30),
	// service 6 and 8 (mean 7); 10-11: one no-show after 4 minutes.
	h.assertShows("Statistiche della coda", "Giorno", "Servizio", "Attesa media", "Attesa max", "Servizio medio",
		"Totale: 3 emessi, 2 serviti, 1 assenti; attesa media 15 min")
	row := flat(h.screen())
	for _, want := range []string{"14/05/2025 A 09-10 2 2 0 20 min 30 min 7 min", "14/05/2025 A 10-11 1 0 1 4 min 4 min —"} {
		if !strings.Contains(row, want) {
			t.Errorf("the table lacks the row %q:\n%s", want, h.screen())
		}
	}
	h.assertHides("T 11-12")
	shot(t, h, "queue-stats.png")

	h.c.queue.stats.period.SetSelected("Ultimi 7 giorni")
	h.waitFor("the week", func() bool { return h.shows("Totale: 4 emessi") })
	if got := stats.last(); got != [2]string{"2025-05-08", "2025-05-14"} {
		t.Fatalf("asked %v for the last 7 days", got)
	}
	h.assertShows("13/05/2025 T 11-12 1 1 0 2 min 2 min 10 min")

	stats.mu.Lock()
	stats.err = app.Errorf(app.EOFFLINE, "hub non raggiungibile: statistiche non disponibili")
	stats.mu.Unlock()
	h.tap(h.button("Aggiorna"))
	h.waitFor("the error", func() bool { return h.shows("hub non raggiungibile: statistiche non disponibili") })

	h.tap(h.button("Chiudi"))
	if h.c.queueDialogOpen() {
		t.Fatal("the statistics must close")
	}
}
