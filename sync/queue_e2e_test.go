package sync_test

import (
	"context"
	"slices"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// queueDesk is a workstation of the queue test with its queue service.
type queueDesk struct {
	*workstation
	Q *queue.Service
}

func (h *testHub) queueDesk(comune string) *queueDesk {
	h.t.Helper()
	w := h.synced(comune)
	return &queueDesk{w, &queue.Service{Local: w.St, Hub: w.C, NewID: uuid.NewString, Now: h.Clk.Now, PushWait: 2 * time.Second}}
}

func (d *queueDesk) round(t *testing.T) {
	t.Helper()
	if err := d.C.Round(context.Background()); err != nil {
		t.Fatalf("round of %s: %v", d.Profile.Device, err)
	}
}

// TestQueueTwoCountersAndAKiosk runs the queue of a comune through the
// real hub: a kiosk issues tickets numbered by the hub, two counters call
// them (never the same one, even at once), a kiosk cut off from the hub
// keeps numbering with its own prefix, a stale call made offline is
// refused, a booked citizen checks in and is called at the booked time
// ahead of walk-ins, and the board and the statistics follow.
func TestQueueTwoCountersAndAKiosk(t *testing.T) {
	ctx := context.Background()
	h := newHub(t)
	// The queue's day and hours are Rome's: a fixed mid-morning, so that
	// the test's advances never cross midnight or the hour it checks.
	rome, _ := time.LoadLocation("Europe/Rome")
	y, m, d := time.Now().In(rome).Date()
	h.Clk.mu.Lock()
	h.Clk.t = time.Date(y, m, d, 10, 0, 0, 0, rome).UTC()
	h.Clk.mu.Unlock()
	people := milano()
	h.replace("F205", people)
	if err := h.DB.PutAreas(ctx, "F205", []queue.Area{
		{Code: "A", Name: "Anagrafe", Minutes: 6, Kiosk: true},
		{Code: "T", Name: "Tributi", Minutes: 10, Kiosk: true},
	}); err != nil {
		t.Fatal(err)
	}
	kiosk := h.queueDesk("F205")
	c1, c2 := h.queueDesk("F205"), h.queueDesk("F205")

	var issued []queue.Ticket
	for i := range 4 {
		tk, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if err := kiosk.Q.Printed(ctx, tk); err != nil {
			t.Fatal(err)
		}
		if want := queue.HubNumber("A", i+1); tk.Number != want || tk.Ahead != i || tk.WaitMinutes != 6*i {
			t.Fatalf("ticket %d = %s, %d ahead, %d min; want %s, %d ahead, %d min", i, tk.Number, tk.Ahead, tk.WaitMinutes, want, i, 6*i)
		}
		issued = append(issued, tk)
	}
	linked, err := kiosk.Q.Issue(ctx, "T", people[4].CodiceFiscale, "")
	if err != nil || linked.Number != "T001" {
		t.Fatalf("linked ticket %+v: %v", linked, err)
	}

	t.Run("TwoCountersNeverCallTheSameTicket", func(t *testing.T) {
		// Eight calls at once from the two counters for four tickets.
		var mu stdsync.Mutex
		var got []string
		var wg stdsync.WaitGroup
		for i := range 8 {
			d := c1
			if i%2 == 1 {
				d = c2
			}
			wg.Add(1)
			go func(d *queueDesk, counter string) {
				defer wg.Done()
				tk, err := d.Q.CallNext(ctx, "demo", counter, []string{"A"})
				if err != nil {
					t.Error(err)
					return
				}
				if tk != nil {
					mu.Lock()
					got = append(got, tk.Number)
					mu.Unlock()
				}
			}(d, []string{"1", "2", "3", "4", "5", "6", "7", "8"}[i])
		}
		wg.Wait()
		slices.Sort(got)
		if want := []string{"A001", "A002", "A003", "A004"}; !slices.Equal(got, want) {
			t.Fatalf("called %v, want each of %v once", got, want)
		}
		// A repeated request (the answer was lost) gets the same ticket.
		id := uuid.NewString()
		a, err := c1.C.CallNext(ctx, id, "9", "demo", nil)
		if err != nil || a == nil || a.Number != "T001" || a.CodiceFiscale != people[4].CodiceFiscale {
			t.Fatalf("call of the linked ticket: %+v, %v", a, err)
		}
		b, err := c1.C.CallNext(ctx, id, "9", "demo", nil)
		if err != nil || b == nil || b.ID != a.ID {
			t.Fatalf("repeated call got %+v, %v; want %s again", b, err, a.Number)
		}
		if n, err := c2.Q.CallNext(ctx, "demo", "10", nil); err != nil || n != nil {
			t.Fatalf("nobody waits, yet %+v, %v", n, err)
		}
	})

	t.Run("RecallTransferServeSkip", func(t *testing.T) {
		tk, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		called, err := c1.Q.CallNext(ctx, "demo", "1", []string{"A"})
		if err != nil || called == nil || called.ID != tk.ID {
			t.Fatalf("call: %+v, %v", called, err)
		}
		cur := *called
		for _, step := range []struct {
			a  queue.Action
			to string
		}{{queue.ActionRecall, ""}, {queue.ActionTransfer, "T"}} {
			if cur, err = c1.Q.Act(ctx, "demo", "1", cur, step.a, step.to); err != nil {
				t.Fatal(err)
			}
		}
		c1.round(t)
		// Transferred to Tributi: the other counter, serving Tributi, gets it.
		h.Clk.Advance(time.Second)
		next, err := c2.Q.CallNext(ctx, "demo", "2", []string{"T"})
		if err != nil || next == nil || next.ID != tk.ID || next.Area != "T" {
			t.Fatalf("after the transfer: %+v, %v", next, err)
		}
		// Counter 1 no longer has it: it cannot serve it.
		if _, err := c1.Q.Act(ctx, "demo", "1", *next, queue.ActionServe, ""); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "sportello 2") {
			t.Fatalf("serve of another counter's ticket: %v", err)
		}
		if _, err := c2.Q.Act(ctx, "demo", "2", *next, queue.ActionServe, ""); err != nil {
			t.Fatal(err)
		}
		c2.round(t)
		kiosk.round(t)
		st, err := kiosk.Q.Board(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Calls) == 0 || st.Calls[0].Number != next.Number || st.Calls[0].Counter != "2" {
			t.Fatalf("board = %+v", st)
		}
		tickets, _ := kiosk.St.QueueTickets(ctx, queue.Day(h.Clk.Now()))
		for _, x := range tickets {
			if x.ID == tk.ID && (x.Status != queue.Served || x.Recalls != 1) {
				t.Fatalf("ticket at the kiosk: %+v", x)
			}
		}
	})

	t.Run("OfflineKioskKeepsNumbering", func(t *testing.T) {
		h.Stop()
		tk, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if want := "A-" + queue.DevicePrefix(kiosk.Profile.Device) + "-006"; tk.Number != want {
			t.Fatalf("offline number %s, want %s", tk.Number, want)
		}
		if err := kiosk.Q.Printed(ctx, tk); err != nil {
			t.Fatal(err)
		}
		// A counter cut off too calls from its cache; so does the other:
		// both pick the same ticket, and the hub takes only the first.
		h.Start()
		kiosk.round(t)
		c1.round(t)
		c2.round(t)
		h.Stop()
		h.Clk.Advance(time.Second)
		a, err := c1.Q.CallNext(ctx, "demo", "1", []string{"A"})
		if err != nil || a == nil || a.Number != tk.Number {
			t.Fatalf("offline call at counter 1: %+v, %v", a, err)
		}
		b, err := c2.Q.CallNext(ctx, "demo", "2", []string{"A"})
		if err != nil || b == nil || b.ID != a.ID {
			t.Fatalf("offline call at counter 2: %+v, %v", b, err)
		}
		h.Start()
		c1.round(t)
		c2.round(t)
		parked, _ := c2.St.ParkedOps(ctx)
		if len(parked) != 1 || !strings.Contains(parked[0].Reason, "già stato chiamato allo sportello 1") {
			t.Fatalf("the second call must be refused: %+v", parked)
		}
		c2.round(t)
		st, _ := c2.Q.Board(ctx)
		if len(st.Calls) == 0 || st.Calls[0].Number != tk.Number || st.Calls[0].Counter != "1" {
			t.Fatalf("board after the offline calls: %+v", st.Calls)
		}
	})

	t.Run("AppointmentAheadOfWalkIns", func(t *testing.T) {
		start := h.Clk.Now().Add(20 * time.Minute).Truncate(time.Minute)
		slots := []queue.Slot{
			{ID: queue.SlotID("A", "1", start), Area: "A", Counter: "1", Start: start, Minutes: 20},
			{ID: queue.SlotID("A", "1", start.Add(20*time.Minute)), Area: "A", Counter: "1", Start: start.Add(20 * time.Minute), Minutes: 20},
		}
		if err := h.DB.PutSlots(ctx, "F205", slots); err != nil {
			t.Fatal(err)
		}
		c1.round(t)
		free, err := c1.Q.FreeSlots(ctx, "A", 1)
		if err != nil || len(free) != 2 {
			t.Fatalf("free slots %v, %v", free, err)
		}
		cf := people[0].CodiceFiscale
		// Online, the hub answers while the person waits; the counter's
		// cache has the appointment and the slot taken before any pull.
		b, err := c1.Q.Book(ctx, "demo", free[1].ID, cf, "ROSSI Mario")
		if err != nil || !b.Confirmed {
			t.Fatalf("booking: %+v, %v", b, err)
		}
		as, _ := c1.Q.Appointments(ctx, cf)
		if len(as) != 1 || as[0].ID != b.Appointment || as[0].Slot != free[1].ID || as[0].Status != queue.Booked {
			t.Fatalf("appointments after the booking: %+v", as)
		}
		if left, _ := c1.Q.FreeSlots(ctx, "A", 1); len(left) != 1 || left[0].ID != free[0].ID {
			t.Fatalf("free slots after the booking: %+v", left)
		}
		// Moved to the earlier slot: the later one is free again.
		if b, err := c1.Q.Move(ctx, "demo", as[0], free[0].ID); err != nil || !b.Confirmed {
			t.Fatalf("move: %+v, %v", b, err)
		}
		if left, _ := c1.Q.FreeSlots(ctx, "A", 1); len(left) != 1 || left[0].ID != free[1].ID {
			t.Fatalf("free slots after the move: %+v", left)
		}
		// Another counter books the same slot before it heard: refused
		// by the hub, and told at once.
		if _, err := c2.Q.Book(ctx, "demo", free[0].ID, people[1].CodiceFiscale, "ROSSI Marta"); app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "già prenotata") {
			t.Fatalf("double booking: %v", err)
		}
		// A stale move (the version c2 never saw) is refused too.
		stale := as[0]
		if _, err := c2.Q.Move(ctx, "demo", stale, free[0].ID); app.ErrorCode(err) != app.ECONFLICT {
			t.Fatalf("stale move: %v", err)
		}
		// Offline the booking waits in the outbox, unconfirmed.
		h.Stop()
		off, err := c2.Q.Book(ctx, "demo", free[1].ID, people[1].CodiceFiscale, "ROSSI Marta")
		if err != nil || off.Confirmed {
			t.Fatalf("offline booking: %+v, %v", off, err)
		}
		h.Start()
		c2.round(t)
		theirs, _ := c2.Q.Appointments(ctx, people[1].CodiceFiscale)
		if len(theirs) != 1 || theirs[0].ID != off.Appointment {
			t.Fatalf("the offline booking after sync: %+v", theirs)
		}
		if _, err := c2.Q.Cancel(ctx, "demo", theirs[0]); err != nil {
			t.Fatal(err)
		}
		c1.round(t)
		if left, _ := c1.Q.FreeSlots(ctx, "A", 1); len(left) != 1 || left[0].ID != free[1].ID {
			t.Fatalf("free slots after the cancellation: %+v", left)
		}
		kiosk.round(t)
		walkin, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		in, appt, err := kiosk.Q.CheckIn(ctx, cf)
		if err != nil {
			t.Fatal(err)
		}
		if appt.Slot != free[0].ID || in.Due.IsZero() {
			t.Fatalf("check-in: %+v for %+v", in, appt)
		}
		// Before the booked time the walk-in goes first; at the booked
		// time the appointment does.
		h.Clk.Advance(21 * time.Minute)
		walkin2, err := kiosk.Q.Issue(ctx, "A", "", "")
		if err != nil {
			t.Fatal(err)
		}
		n1, err := c1.Q.CallNext(ctx, "demo", "1", []string{"A"})
		if err != nil || n1 == nil || n1.ID != in.ID {
			t.Fatalf("at the booked time the appointment is called first, got %+v, %v", n1, err)
		}
		n2, _ := c1.Q.CallNext(ctx, "demo", "1", []string{"A"})
		n3, _ := c1.Q.CallNext(ctx, "demo", "1", []string{"A"})
		if n2 == nil || n3 == nil || n2.ID != walkin.ID || n3.ID != walkin2.ID {
			t.Fatalf("then the walk-ins in order: %+v %+v", n2, n3)
		}
		kiosk.round(t)
		as, _ = kiosk.St.Appointments(ctx, cf)
		if len(as) != 1 || as[0].Status != queue.CheckedIn || as[0].Ticket != in.ID {
			t.Fatalf("appointment after check-in: %+v", as)
		}
	})

	t.Run("Statistics", func(t *testing.T) {
		day := queue.Day(h.Clk.Now())
		ts, err := c1.C.QueueTickets(ctx, day, day)
		if err != nil {
			t.Fatal(err)
		}
		rows := queue.Stats(ts)
		var issuedA, servedA int
		for _, r := range rows {
			if r.Area == "A" {
				issuedA += r.Issued
				servedA += r.Served
			}
		}
		if issuedA != 8 || servedA < 3 { // A005 moved to Tributi; served: A006 and the two calls after it, plus those of the first calls whose counter called again
			t.Fatalf("stats rows %+v (A issued %d served %d)", rows, issuedA, servedA)
		}
		if _, err := c1.C.QueueTickets(ctx, "ieri", day); app.ErrorCode(err) != app.EINVALID {
			t.Fatalf("bad date: %v", err)
		}
	})
}
