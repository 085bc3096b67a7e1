package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// fakeBook is the appointment book of a comune in memory, with the hub's
// rules: a slot taken or past is refused, a change must carry the version
// it saw. offline makes every change wait unconfirmed, as in the outbox.
type fakeBook struct {
	mu      sync.Mutex
	now     func() time.Time
	areas   []queue.Area
	slots   []queue.Slot
	appts   []queue.Appointment
	offline bool
	by      []string // who made each change
	seq     int
}

func newFakeBook(now func() time.Time, slots ...time.Time) *fakeBook {
	b := &fakeBook{now: now, areas: []queue.Area{
		{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 6, Kiosk: true},
		{Code: "C", Name: "Carta d'identità", NameEN: "Identity card", Minutes: 20, Kiosk: true},
	}}
	for _, at := range slots {
		b.slots = append(b.slots, queue.Slot{ID: queue.SlotID("C", "1", at), Area: "C", Counter: "1", Start: at.UTC(), Minutes: 20})
	}
	return b
}

func (b *fakeBook) Areas(context.Context) ([]queue.Area, error) { return b.areas, nil }

func (b *fakeBook) BookableAreas(ctx context.Context, days int) ([]queue.Area, error) {
	var out []queue.Area
	for _, a := range b.areas {
		if s, _ := b.FreeSlots(ctx, a.Code, days); len(s) > 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

func (b *fakeBook) FreeSlots(_ context.Context, area string, days int) ([]queue.Slot, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	var out []queue.Slot
	for _, s := range b.slots {
		if (area == "" || s.Area == area) && s.Appointment == "" && s.Start.After(now) && s.Start.Before(now.AddDate(0, 0, days)) {
			out = append(out, s)
		}
	}
	return out, nil
}

func (b *fakeBook) Appointments(_ context.Context, cf string) ([]queue.Appointment, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []queue.Appointment
	for _, a := range b.appts {
		if a.CodiceFiscale == cf {
			out = append(out, a)
		}
	}
	return out, nil
}

func (b *fakeBook) slot(id string) *queue.Slot {
	for i := range b.slots {
		if b.slots[i].ID == id {
			return &b.slots[i]
		}
	}
	return nil
}

func (b *fakeBook) take(id, appt string) (*queue.Slot, error) {
	s := b.slot(id)
	if s == nil {
		return nil, app.Errorf(app.EINVALID, "fascia oraria %s sconosciuta", id)
	}
	if s.Appointment != "" && s.Appointment != appt {
		return nil, app.Errorf(app.ECONFLICT, "la fascia delle %s è già prenotata: sceglierne un'altra", s.Start.In(app.Rome).Format("15:04 del 02/01"))
	}
	s.Appointment = appt
	return s, nil
}

func (b *fakeBook) Book(_ context.Context, by, slot, cf, name string) (queue.Booking, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.by = append(b.by, by)
	b.seq++
	id := fmt.Sprintf("00000000-0000-0000-0000-%012d", b.seq)
	if b.offline {
		return queue.Booking{Appointment: id}, nil
	}
	s, err := b.take(slot, id)
	if err != nil {
		return queue.Booking{}, err
	}
	b.appts = append(b.appts, queue.Appointment{ID: id, Slot: s.ID, Area: s.Area, Counter: s.Counter, Start: s.Start,
		CodiceFiscale: cf, Name: name, Status: queue.Booked, Version: 1, BookedBy: by})
	return queue.Booking{Appointment: id, Confirmed: true}, nil
}

func (b *fakeBook) change(a queue.Appointment, by string, apply func(*queue.Appointment) error) (queue.Booking, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.by = append(b.by, by)
	if b.offline {
		return queue.Booking{Appointment: a.ID}, nil
	}
	for i := range b.appts {
		cur := &b.appts[i]
		if cur.ID != a.ID {
			continue
		}
		if cur.Status != queue.Booked || cur.Version != a.Version {
			return queue.Booking{}, app.Errorf(app.ECONFLICT, "l'appuntamento è cambiato nel frattempo: aggiornare i dati")
		}
		if err := apply(cur); err != nil {
			return queue.Booking{}, err
		}
		cur.Version++
		return queue.Booking{Appointment: a.ID, Confirmed: true}, nil
	}
	return queue.Booking{}, app.Errorf(app.ENOTFOUND, "appuntamento sconosciuto")
}

func (b *fakeBook) Move(_ context.Context, by string, a queue.Appointment, slot string) (queue.Booking, error) {
	return b.change(a, by, func(cur *queue.Appointment) error {
		s, err := b.take(slot, cur.ID)
		if err != nil {
			return err
		}
		b.slot(cur.Slot).Appointment = ""
		cur.Slot, cur.Start, cur.Counter = s.ID, s.Start, s.Counter
		return nil
	})
}

func (b *fakeBook) Cancel(_ context.Context, by string, a queue.Appointment) (queue.Booking, error) {
	return b.change(a, by, func(cur *queue.Appointment) error {
		b.slot(cur.Slot).Appointment = ""
		cur.Status = queue.Cancelled
		return nil
	})
}

// steal books a slot for somebody else, as another counter would.
func (b *fakeBook) steal(at time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.slot(queue.SlotID("C", "1", at)).Appointment = "someone else"
}

func (b *fakeBook) free(at time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.slot(queue.SlotID("C", "1", at)).Appointment == ""
}

// romeAt is a time of testNow's day in Rome.
func romeAt(h, m int) time.Time {
	y, mo, d := testNow.Date()
	return time.Date(y, mo, d, h, m, 0, 0, app.Rome)
}

// TestAppointmentsAtTheCounter books, moves and cancels the open citizen's
// appointments from the file: the form offers the services with free
// times, then the days, then the times; a slot taken meanwhile is refused
// with the hub's words and the free times are read again; offline the
// booking is said to wait for the hub.
func TestAppointmentsAtTheCounter(t *testing.T) {
	tomorrow := romeAt(9, 0).AddDate(0, 0, 1)
	book := newFakeBook(func() time.Time { return testNow },
		romeAt(9, 0), romeAt(11, 0), romeAt(11, 20), romeAt(11, 40), romeAt(12, 0), tomorrow)
	h := newHarness(t, func(d *Deps) { d.Appointments = book; d.Queue = &fakeQueueDesk{}; d.QueueCounter = "3" })
	h.login()
	h.openByKeyboard("rossi mario", 1)
	h.waitFor("the appointments card", func() bool { return h.shows("Nessun appuntamento") })
	h.assertShows("Appuntamenti")

	// The strip's button books for the open file, as the card's does.
	h.tap(h.button("Prenota appuntamento"))
	h.waitFor("the free times", func() bool { return formTimes(h) == "11:00 11:20 11:40 12:00" }) // 09:00 is past
	h.assertShows("Prenota un appuntamento per ROSSI Mario", "Carta d'identità", "mer 14/05/2025")
	h.tap(h.button("11:20"))
	h.assertShows("Scelto: Carta d'identità, mer 14/05/2025 alle 11:20, sportello 1")
	h.tap(h.button("Prenota"))
	h.waitFor("the booking", func() bool {
		return h.shows("Appuntamento prenotato: Carta d'identità, mer 14/05/2025 alle 11:20, sportello 1")
	})
	h.waitFor("the list", func() bool {
		return h.shows("mer 14/05/2025 alle 11:20 — Carta d'identità, sportello 1 — prenotato")
	})
	if h.c.queue.booking != nil || book.free(romeAt(11, 20)) || book.by[0] != testUser {
		t.Fatalf("after booking: form %v, slot free %v, by %v", h.c.queue.booking, book.free(romeAt(11, 20)), book.by)
	}
	h.c.file.scroll.ScrollToBottom()
	shot(t, h, "appointments-card.png")

	t.Run("Move", func(t *testing.T) {
		h.tap(h.button("Sposta"))
		h.waitFor("the form to move", func() bool {
			return h.shows("Sposta l'appuntamento di ROSSI Mario") && formTimes(h) == "11:00 11:40 12:00" // 11:20 is its own
		})
		// Another day: the times of tomorrow.
		h.c.queue.booking.day.SetSelected("gio 15/05/2025")
		if got := formTimes(h); got != "09:00" {
			t.Fatalf("tomorrow's times: %q", got)
		}
		h.c.queue.booking.day.SetSelected("mer 14/05/2025")
		h.tap(h.button("11:40"))
		shot(t, h, "appointments-move.png")
		h.tap(h.button("Sposta qui"))
		h.waitFor("the move", func() bool {
			return h.shows("Appuntamento spostato: Carta d'identità, mer 14/05/2025 alle 11:40, sportello 1") &&
				h.shows("mer 14/05/2025 alle 11:40 — Carta d'identità, sportello 1 — prenotato")
		})
		if !book.free(romeAt(11, 20)) || book.free(romeAt(11, 40)) {
			t.Fatal("the move must free 11:20 and take 11:40")
		}
	})

	t.Run("SlotTakenMeanwhile", func(t *testing.T) {
		h.tap(h.button("Prenota appuntamento"))
		h.waitFor("the free times", func() bool { return h.c.queue.booking != nil && formTimes(h) == "11:00 11:20 12:00" })
		h.tap(h.button("12:00"))
		book.steal(romeAt(12, 0))
		h.tap(h.button("Prenota"))
		h.waitFor("the times read again", func() bool { return formTimes(h) == "11:00 11:20" })
		h.settle(20 * time.Millisecond)
		h.assertShows("la fascia delle 12:00 del 14/05 è già prenotata: sceglierne un'altra")
		if h.c.queue.booking == nil {
			t.Fatal("the form must stay open after a refusal")
		}
		h.assertHides("Scelto:")
		shot(t, h, "appointments-refused.png")
		h.tap(h.button("Chiudi"))
		h.waitFor("the form closed", func() bool { return h.c.queue.booking == nil })
	})

	t.Run("Cancel", func(t *testing.T) {
		h.tap(h.button("Annulla"))
		h.waitFor("the confirmation", func() bool { return h.shows("Annullare l'appuntamento di ROSSI Mario?") })
		h.tap(h.button("Annulla l'appuntamento"))
		h.waitFor("the cancellation", func() bool {
			return h.shows("Appuntamento annullato: mer 14/05/2025 alle 11:40") &&
				h.shows("mer 14/05/2025 alle 11:40 — Carta d'identità, sportello 1 — annullato")
		})
		h.assertHides("Sposta")
		if !book.free(romeAt(11, 40)) {
			t.Fatal("the cancellation must free 11:40")
		}
	})

	t.Run("Offline", func(t *testing.T) {
		book.mu.Lock()
		book.offline = true
		book.mu.Unlock()
		h.tap(h.button("Prenota appuntamento"))
		h.waitFor("the free times", func() bool { return h.c.queue.booking != nil && formTimes(h) == "11:00 11:20 11:40" })
		h.tap(h.button("11:00"))
		h.tap(h.button("Prenota"))
		h.waitFor("the booking waiting", func() bool {
			return h.shows("Appuntamento prenotato: Carta d'identità, mer 14/05/2025 alle 11:00, sportello 1 — senza rete: l'hub lo confermerà appena raggiungibile")
		})
	})

	t.Run("LockClosesTheForm", func(t *testing.T) {
		h.tap(h.button("Prenota appuntamento"))
		h.waitFor("the form", func() bool { return h.c.queue.booking != nil && h.shows("Prenota un appuntamento per ROSSI Mario") })
		h.c.Lock()
		h.settle(20 * time.Millisecond)
		h.assertHides("ROSSI Mario", "Prenota un appuntamento")
	})
}

// TestAppointmentsWithoutFile: the strip's button asks for a file first.
func TestAppointmentsWithoutFile(t *testing.T) {
	book := newFakeBook(func() time.Time { return testNow }, romeAt(11, 0))
	h := newHarness(t, func(d *Deps) { d.Appointments = book; d.Queue = &fakeQueueDesk{} })
	h.login()
	h.waitFor("the strip", func() bool { return h.shows("Prenota appuntamento") })
	h.tap(h.button("Prenota appuntamento"))
	h.assertShows("Aprire prima la scheda del cittadino")
	if h.c.queue.booking != nil {
		t.Fatal("no form without a citizen")
	}
}

// TestCallNextF2 presses F2 as the desktop driver delivers it (a typed key
// to the focused widget, or to the window) with the keyboard in the search
// box, in the family list of an open file, on an area's check, and
// nowhere: each calls the next ticket. With a dialog open, it does not.
func TestCallNextF2(t *testing.T) {
	desk := &fakeQueueDesk{}
	for i := range 6 {
		desk.waiting = append(desk.waiting, queue.Ticket{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i+1),
			Number: queue.HubNumber("A", i+1), Area: "A", Status: queue.Waiting})
	}
	book := newFakeBook(func() time.Time { return testNow }, romeAt(11, 0))
	h := newHarness(t, func(d *Deps) { d.Queue = desk; d.QueueCounter = "3"; d.Appointments = book })
	h.login()
	h.waitFor("the strip", func() bool { return h.c.queue != nil && h.c.queue.bar != nil && len(h.c.queue.bar.areas) == 2 })

	calls := 0
	f2 := func(where string) {
		t.Helper()
		h.press(fyne.KeyF2)
		calls++
		want := fmt.Sprintf("Allo sportello: %s", queue.HubNumber("A", calls))
		h.waitFor("F2 "+where, func() bool { return desk.nCalls() == calls && h.shows(want) })
	}
	// The search box has the keyboard after login.
	if _, ok := h.w.Canvas().Focused().(*searchEntry); !ok {
		t.Fatalf("focus after login: %T", h.w.Canvas().Focused())
	}
	h.typeText("ros")
	f2("in the search box")
	if got := h.c.search.box.Text; got != "ros" {
		t.Fatalf("F2 must not edit the search: %q", got)
	}
	h.openByKeyboard("rossi mario", 1)
	if h.w.Canvas().Focused() != h.c.file.family {
		t.Fatalf("focus in the file: %T", h.w.Canvas().Focused())
	}
	f2("in the family list")
	h.search("rossi")
	h.press(fyne.KeyDown)
	if h.w.Canvas().Focused() != h.c.search.list {
		t.Fatalf("focus in the results: %T", h.w.Canvas().Focused())
	}
	f2("in the result list")
	var check *areaCheck
	walkObjects(h.w.Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*areaCheck); ok && check == nil {
			check = c
		}
	})
	h.tap(check) // tapping a check takes the keyboard
	if h.w.Canvas().Focused() != check {
		t.Fatalf("focus on the check: %T", h.w.Canvas().Focused())
	}
	f2("on an area's check")
	h.w.Canvas().Unfocus()
	f2("with no focus")

	h.tap(h.button("Prenota appuntamento"))
	h.waitFor("the form", func() bool { return h.c.queue.booking != nil })
	h.w.Canvas().Unfocus()
	h.press(fyne.KeyF2)
	h.settle(30 * time.Millisecond)
	if desk.nCalls() != calls {
		t.Fatal("F2 must not call while a dialog is open")
	}
}

func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, fn)
		}
	case fyne.Widget:
		if _, ok := x.(*widget.Select); ok {
			return
		}
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, fn)
		}
	}
}

// shot saves the window for a person to look at, with SPORTELLO_SHOTS.
func shot(t *testing.T, h *harness, name string) {
	if dir := getenvShots(); dir != "" {
		h.capture()
		saveCapture(t, h.w, dir, name)
	}
}

// formTimes are the times the open booking form offers, in order.
func formTimes(h *harness) string {
	fm := h.c.queue.booking
	if fm == nil {
		return ""
	}
	var out []string
	for _, o := range fm.times.Objects {
		out = append(out, o.(*widget.Button).Text)
	}
	return strings.Join(out, " ")
}
