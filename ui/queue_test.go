package ui

import (
	"context"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/sportello/sportello/app/queue"
)

// fakeQueueDesk hands out the tickets it holds, in order, and applies the
// counter's actions with the domain's rule.
type fakeQueueDesk struct {
	mu      sync.Mutex
	waiting []queue.Ticket
	calls   [][]string
	acts    []queue.Action
}

func (d *fakeQueueDesk) Areas(context.Context) ([]queue.Area, error) {
	return []queue.Area{{Code: "A", Name: "Anagrafe"}, {Code: "T", Name: "Tributi"}}, nil
}

func (d *fakeQueueDesk) CallNext(_ context.Context, op, counter string, areas []string) (*queue.Ticket, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, areas)
	if len(d.waiting) == 0 {
		return nil, nil
	}
	t := d.waiting[0]
	d.waiting = d.waiting[1:]
	t.Status, t.Counter = queue.Called, counter
	return &t, nil
}

func (d *fakeQueueDesk) Act(_ context.Context, op, counter string, t queue.Ticket, a queue.Action, to string) (queue.Ticket, error) {
	d.mu.Lock()
	d.acts = append(d.acts, a)
	d.mu.Unlock()
	return queue.Apply(t, queue.Event{Ticket: t.ID, Action: a, Counter: counter, ToArea: to}, testNow)
}

func (d *fakeQueueDesk) nCalls() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.calls)
}

// TestQueueBar: F2 calls the next ticket; a ticket linked at the kiosk
// opens the citizen's file; served closes it.
func TestQueueBar(t *testing.T) {
	desk := &fakeQueueDesk{}
	h := newHarness(t, func(d *Deps) { d.Queue = desk; d.QueueCounter = "3" })
	mario := h.dir.citizens[0]
	desk.waiting = []queue.Ticket{{ID: "00000000-0000-0000-0000-000000000001", Number: "A017", Area: "A", CodiceFiscale: mario.CodiceFiscale, Status: queue.Waiting}}
	h.login()
	h.waitFor("the areas of the queue", func() bool { return h.shows("Sportello 3") && h.shows("Chiama il prossimo") })
	// The areas come from the desk in the background: call once they are there.
	h.waitFor("the areas' check boxes", func() bool { return countAreaChecks(h.w.Content()) == 2 })
	h.tap(findButton(h.w.Content(), "Chiama il prossimo"))
	h.waitFor("the call", func() bool { return h.shows("Allo sportello: A017") })
	h.assertShows("identificato al chiosco", "Richiama", "Assente", "Servito")
	h.waitFor("the linked file", func() bool {
		return h.c.file != nil && h.c.file.file != nil && h.c.file.file.Citizen.CodiceFiscale == mario.CodiceFiscale
	})
	h.tap(findButton(h.w.Content(), "Servito"))
	h.waitFor("served", func() bool { return h.shows("Nessuno in attesa") })
	desk.mu.Lock()
	acts, calls := desk.acts, desk.calls
	desk.mu.Unlock()
	if len(acts) != 1 || acts[0] != queue.ActionServe || len(calls[0]) != 2 {
		t.Fatalf("acts %v calls %v: served, after a call for both areas", acts, calls)
	}
	h.tap(findButton(h.w.Content(), "Chiama il prossimo"))
	h.waitFor("nobody", func() bool { return desk.nCalls() == 2 })
	h.settle(20e6)
	h.assertShows("Nessuno in attesa")
}

// countAreaChecks counts the check boxes of the areas a counter serves.
func countAreaChecks(o fyne.CanvasObject) int {
	switch x := o.(type) {
	case *areaCheck:
		return 1
	case *fyne.Container:
		n := 0
		for _, c := range x.Objects {
			n += countAreaChecks(c)
		}
		return n
	case fyne.Widget:
		n := 0
		for _, c := range test.WidgetRenderer(x).Objects() {
			n += countAreaChecks(c)
		}
		return n
	}
	return 0
}
