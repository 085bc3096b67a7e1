package queue_test

import (
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

const id = "00000000-0000-0000-0000-000000000001"

var t0 = time.Date(2026, 5, 12, 7, 0, 0, 0, time.UTC) // 09:00 in Rome

func TestNumbers(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{queue.HubNumber("A", 17), "A017"},
		{queue.HubNumber("T", 1234), "T1234"},
		{queue.LocalNumber("A", "I690-W002", 17), "A-W2-017"},
		{queue.LocalNumber("S", "F205-W120", 3), "S-W120-003"},
		{queue.Day(time.Date(2026, 5, 11, 22, 30, 0, 0, time.UTC)), "2026-05-12"}, // past midnight in Rome
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestApply(t *testing.T) {
	waiting := queue.Ticket{ID: id, Number: "A001", Area: "A", Status: queue.Waiting, Version: 2}
	call := queue.Event{Ticket: id, Action: queue.ActionCall, Counter: "1", ExpectStatus: queue.Waiting, ExpectVersion: 2, At: t0}
	called, err := queue.Apply(waiting, call, t0)
	if err != nil || called.Status != queue.Called || called.Counter != "1" || called.Version != 3 {
		t.Fatalf("call: %+v %v", called, err)
	}
	for _, tc := range []struct {
		name string
		t    queue.Ticket
		e    queue.Event
		code string
	}{
		{"ErrConflictSecondCall", called, queue.Event{Ticket: id, Action: queue.ActionCall, Counter: "2", ExpectStatus: queue.Waiting, ExpectVersion: 2, At: t0}, app.ECONFLICT},
		{"ErrConflictOtherCounter", called, queue.Event{Ticket: id, Action: queue.ActionServe, Counter: "2", At: t0}, app.ECONFLICT},
		{"Serve", called, queue.Event{Ticket: id, Action: queue.ActionServe, Counter: "1", ExpectStatus: queue.Called, ExpectVersion: 3, At: t0}, ""},
		{"ErrConflictServeWaiting", waiting, queue.Event{Ticket: id, Action: queue.ActionServe, Counter: "1", At: t0}, app.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := queue.Apply(tc.t, tc.e, t0)
			if app.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want code %q", err, tc.code)
			}
		})
	}
	moved, err := queue.Apply(called, queue.Event{Ticket: id, Action: queue.ActionTransfer, Counter: "1", ToArea: "T", At: t0}, t0)
	if err != nil || moved.Status != queue.Waiting || moved.Area != "T" || moved.Counter != "" {
		t.Fatalf("transfer: %+v %v", moved, err)
	}
}

func TestNext(t *testing.T) {
	mk := func(n string, area string, issued time.Duration, appt string, due time.Duration) queue.Ticket {
		tk := queue.Ticket{ID: id, Number: n, Area: area, Status: queue.Waiting, IssuedAt: t0.Add(issued), Appointment: appt}
		if appt != "" {
			tk.Due = t0.Add(due)
		}
		return tk
	}
	ts := []queue.Ticket{
		mk("A001", "A", 0, "", 0),
		mk("A002", "A", time.Minute, "appt", 30*time.Minute),
		mk("T001", "T", -time.Minute, "", 0),
		mk("A003", "A", 2*time.Minute, "", 0),
	}
	for _, tc := range []struct {
		name  string
		now   time.Duration
		areas []string
		want  string
	}{
		{"WalkInsInOrder", 5 * time.Minute, []string{"A"}, "A001"},
		{"AllAreas", 5 * time.Minute, nil, "T001"},
		{"AppointmentAtItsTime", 30 * time.Minute, []string{"A"}, "A002"},
		{"NoneForArea", 0, []string{"S"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := queue.Next(ts, tc.areas, t0.Add(tc.now))
			if (got == nil && tc.want != "") || (got != nil && got.Number != tc.want) {
				t.Fatalf("next = %+v, want %s", got, tc.want)
			}
		})
	}
	// An appointment checked in early is served when nobody else waits.
	early := []queue.Ticket{mk("A002", "A", 0, "appt", time.Hour)}
	if got := queue.Next(early, nil, t0); got == nil || got.Number != "A002" {
		t.Fatalf("early appointment alone: %+v", got)
	}
}

func TestStatsAndEstimate(t *testing.T) {
	var ts []queue.Ticket
	for i := range 4 {
		issued := t0.Add(time.Duration(i) * 10 * time.Minute)
		ts = append(ts, queue.Ticket{ID: id, Area: "A", Status: queue.Served, IssuedAt: issued,
			CalledAt: issued.Add(5 * time.Minute), DoneAt: issued.Add(13 * time.Minute)})
	}
	ts = append(ts, queue.Ticket{ID: id, Area: "A", Status: queue.Skipped, IssuedAt: t0.Add(time.Hour), CalledAt: t0.Add(time.Hour + 20*time.Minute), DoneAt: t0.Add(time.Hour + 21*time.Minute)})
	rows := queue.Stats(ts)
	if len(rows) != 2 || rows[0].Hour != 9 || rows[0].Issued != 4 || rows[0].Served != 4 || rows[0].MeanWait != 5*time.Minute || rows[0].MeanService != 8*time.Minute {
		t.Fatalf("rows = %+v", rows)
	}
	if rows[1].Hour != 10 || rows[1].Skipped != 1 || rows[1].MaxWait != 20*time.Minute {
		t.Fatalf("second hour = %+v", rows[1])
	}
	if m := queue.ServiceMinutes(ts, "A", 15); m != 8 {
		t.Fatalf("measured service = %v", m)
	}
	if m := queue.ServiceMinutes(ts[:2], "A", 15); m != 15 {
		t.Fatalf("too few to measure: %v", m)
	}
	if w := queue.Estimate(3, 8, 2); w != 12 {
		t.Fatalf("estimate = %d", w)
	}
}

func TestSlots(t *testing.T) {
	s, err := queue.Slots("C", "2", t0, "09:00-10:00", 20)
	if err != nil || len(s) != 3 || s[0].ID != "C-2026-05-12T09:00-2" || !s[2].Start.Equal(t0.Add(40*time.Minute)) {
		t.Fatalf("%+v %v", s, err)
	}
	if _, err := queue.Slots("C", "2", t0, "nove", 20); app.ErrorCode(err) != app.EINVALID {
		t.Fatal(err)
	}
	a := queue.Appointment{Status: queue.Booked, Start: t0}
	if err := queue.CanCheckIn(&a, t0.Add(-2*time.Hour)); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("too early: %v", err)
	}
	if err := queue.CanCheckIn(&a, t0.Add(-10*time.Minute)); err != nil {
		t.Fatal(err)
	}
}

// TestStatsSubSecondWaits: the mean is rounded to the second, and so is
// the longest wait, or a mean of 0.6 s rounded up to 1 s reads as longer
// than the longest wait of 0.7 s (seen on the counter's statistics).
func TestStatsSubSecondWaits(t *testing.T) {
	at := time.Date(2026, 5, 12, 9, 0, 0, 0, app.Rome)
	var tickets []queue.Ticket
	for i, wait := range []time.Duration{500 * time.Millisecond, 700 * time.Millisecond} {
		tickets = append(tickets, queue.Ticket{ID: string(rune('a' + i)), Area: "A", Day: queue.Day(at), IssuedAt: at,
			Status: queue.Served, CalledAt: at.Add(wait), DoneAt: at.Add(time.Minute)})
	}
	rows := queue.Stats(tickets)
	if len(rows) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	if r := rows[0]; r.MeanWait > r.MaxWait {
		t.Fatalf("mean wait %v longer than the longest %v", r.MeanWait, r.MaxWait)
	}
}
