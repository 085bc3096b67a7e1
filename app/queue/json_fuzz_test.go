package queue_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// The queue's decoders read what other machines sent: facts from any
// workstation at the hub, records and answers from the hub at the
// workstations. Each fuzz test checks that a decoder never panics, that
// whatever it accepts is valid for the domain, and that what it accepts
// survives the trip back: encoded again, it decodes to the same bytes (a
// ticket the hub stored must stay readable, or the comune's whole queue
// stops).

const fuzzID = "00000000-0000-4000-8000-000000000001"

var fuzzAt = time.Date(2026, 5, 12, 7, 30, 0, 0, time.UTC)

func FuzzDecodeTicketFact(f *testing.F) {
	f.Add(queue.EncodeTicketFact(queue.Ticket{ID: fuzzID, Area: "A", Local: "A-W2-001", IssuedAt: fuzzAt}))
	f.Add(queue.EncodeTicketFact(queue.Ticket{ID: fuzzID, Area: "C", Local: "C-W2-003", CodiceFiscale: "RSSMRA85T10A562S",
		Appointment: "00000000-0000-4000-8000-000000000002", IssuedAt: fuzzAt}))
	f.Add([]byte(`{"id":"x","area":"a","local":"","issued_at":"0000-01-01T00:00:00+01:00"}`))
	// Found: a time at the edge of the calendar was accepted, and its UTC
	// form ("-0001-12-31T23:00:00Z") no longer parsed.
	f.Add([]byte(`{"id":"` + fuzzID + `","area":"A","local":"A-W2-001","issued_at":"0000-01-01T00:00:00+01:00"}`))
	f.Add([]byte(`{"id":"` + fuzzID + `","area":"A","local":"A-W2-001","issued_at":"9999-12-31T23:59:59-01:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := queue.DecodeTicketFact(data, "F205-W002")
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := tk.Validate(); err != nil {
			t.Fatalf("accepted an invalid ticket %+v: %v", tk, err)
		}
		if id, err := queue.TicketFactID(data); err != nil || id != tk.ID {
			t.Fatalf("the id of %q is %q (%v), want %q", data, id, err, tk.ID)
		}
		again, err := queue.DecodeTicketFact(queue.EncodeTicketFact(tk), "F205-W002")
		if err != nil {
			t.Fatalf("the ticket accepted from %q does not decode again: %v", data, err)
		}
		// What the hub keeps of it must read back too.
		if _, err := queue.DecodeTicket(queue.EncodeTicket(again)); err != nil {
			t.Fatalf("the stored ticket of %q is unreadable: %v", data, err)
		}
		if !bytes.Equal(queue.EncodeTicketFact(again), queue.EncodeTicketFact(tk)) {
			t.Fatalf("round trip changed the fact: %s != %s", queue.EncodeTicketFact(again), queue.EncodeTicketFact(tk))
		}
	})
}

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range []queue.Event{
		{Ticket: fuzzID, Number: "A001", Action: queue.ActionCall, Counter: "1", Operator: "demo", ExpectStatus: queue.Waiting, ExpectVersion: 1, At: fuzzAt},
		{Ticket: fuzzID, Action: queue.ActionTransfer, Counter: "2", ToArea: "T", ExpectStatus: queue.Called, ExpectVersion: 2, At: fuzzAt},
		{Ticket: fuzzID, Number: "A-W2-004", Action: queue.ActionPrinted, At: fuzzAt},
	} {
		f.Add(queue.EncodeEvent(e))
	}
	f.Add([]byte(`{"ticket":"` + fuzzID + `","action":"served","counter":" ","at":"2026-05-12T07:30:00Z"}`))
	f.Add([]byte(`{"ticket":"` + fuzzID + `","action":"served","counter":"1","at":"0000-01-01T00:00:00+01:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := queue.DecodeEvent(data)
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("accepted an invalid event %+v: %v", e, err)
		}
		again, err := queue.DecodeEvent(queue.EncodeEvent(e))
		if err != nil {
			t.Fatalf("the event accepted from %q does not decode again: %v", data, err)
		}
		if !bytes.Equal(queue.EncodeEvent(again), queue.EncodeEvent(e)) {
			t.Fatalf("round trip changed the event")
		}
	})
}

func FuzzDecodeAppointmentChange(f *testing.F) {
	for _, c := range []queue.AppointmentChange{
		{Appointment: fuzzID, Action: queue.Book, Slot: "C-2026-05-12T09:00-1", CodiceFiscale: "RSSMRA85T10A562S", Name: "ROSSI Mario", By: "demo", At: fuzzAt},
		{Appointment: fuzzID, Action: queue.Move, Slot: "C-2026-05-12T09:20-1", By: "chiosco:I690-W003", ExpectVersion: 1, At: fuzzAt},
		{Appointment: fuzzID, Action: queue.Cancel, ExpectVersion: 2, At: fuzzAt},
	} {
		f.Add(queue.EncodeAppointmentChange(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := queue.DecodeAppointmentChange(data)
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted an invalid change %+v: %v", c, err)
		}
		again, err := queue.DecodeAppointmentChange(queue.EncodeAppointmentChange(c))
		if err != nil {
			t.Fatalf("the change accepted from %q does not decode again: %v", data, err)
		}
		if !bytes.Equal(queue.EncodeAppointmentChange(again), queue.EncodeAppointmentChange(c)) {
			t.Fatalf("round trip changed the appointment change")
		}
	})
}

// FuzzQueueRecords feeds the same bytes to every decoder of the queue's
// records and of the hub's answer to a ticket, as a workstation reads them
// from its cache and its outbox; every refusal is EINVALID.
func FuzzQueueRecords(f *testing.F) {
	for _, b := range [][]byte{
		queue.EncodeArea(queue.Area{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 6, Kiosk: true}),
		queue.EncodeTicket(queue.Ticket{ID: fuzzID, Number: "A001", Area: "A", Day: "2026-05-12", Device: "F205-W002",
			IssuedAt: fuzzAt, Status: queue.Called, Counter: "1", CalledAt: fuzzAt.Add(time.Minute), Version: 2}),
		queue.EncodeState(queue.State{Day: "2026-05-12", Calls: []queue.Call{{Number: "A001", Counter: "1", Area: "A", At: fuzzAt}}, Waiting: map[string]int{"A": 3}}),
		queue.EncodeSlot(queue.Slot{ID: "C-2026-05-12T09:00-1", Area: "C", Counter: "1", Start: fuzzAt, Minutes: 20}),
		queue.EncodeAppointment(queue.Appointment{ID: fuzzID, Slot: "C-2026-05-12T09:00-1", Area: "C", Counter: "1", Start: fuzzAt,
			CodiceFiscale: "RSSMRA85T10A562S", Name: "ROSSI Mario", Status: queue.Booked, Version: 1}),
		queue.EncodeTicketAnswer(queue.Ticket{Number: "A017", Ahead: 3, WaitMinutes: 18}),
		queue.EncodeTicketAnswer(queue.Ticket{Number: "C004", Due: fuzzAt}),
		[]byte(`{"number":"A001","due":"9999-12-31T23:59:59-01:00"}`),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if a, err := queue.DecodeArea(data); err == nil {
			if !bytes.Equal(queue.EncodeArea(a), queue.AreaRecord(a).Data) {
				t.Fatal("the area's record is not its JSON")
			}
			if _, err := queue.DecodeArea(queue.EncodeArea(a)); err != nil {
				t.Fatalf("area round trip: %v", err)
			}
		} else {
			mustBeInvalid(t, err)
		}
		if tk, err := queue.DecodeTicket(data); err == nil {
			if r := queue.TicketRecord(tk); r.Key != tk.ID || r.Subject != tk.CodiceFiscale || r.Kind != queue.KindTicket {
				t.Fatalf("ticket record %+v of %+v", r, tk)
			}
			if _, err := queue.DecodeTicket(queue.EncodeTicket(tk)); err != nil {
				t.Fatalf("ticket round trip of %q: %v", data, err)
			}
		} else {
			mustBeInvalid(t, err)
		}
		if st, err := queue.DecodeState(data); err == nil {
			if st.Waiting == nil {
				t.Fatal("a board without its waiting map")
			}
			if _, err := queue.DecodeState(queue.EncodeState(st)); err != nil {
				t.Fatalf("board round trip of %q: %v", data, err)
			}
		} else {
			mustBeInvalid(t, err)
		}
		if s, err := queue.DecodeSlot(data); err == nil {
			if err := s.Validate(); err != nil {
				t.Fatalf("accepted an invalid slot: %v", err)
			}
			if _, err := queue.DecodeSlot(queue.EncodeSlot(s)); err != nil {
				t.Fatalf("slot round trip of %q: %v", data, err)
			}
		} else {
			mustBeInvalid(t, err)
		}
		if a, err := queue.DecodeAppointment(data); err == nil {
			if _, err := queue.DecodeAppointment(queue.EncodeAppointment(a)); err != nil {
				t.Fatalf("appointment round trip of %q: %v", data, err)
			}
		} else {
			mustBeInvalid(t, err)
		}
		if a, err := queue.DecodeTicketAnswer(data); err == nil {
			if a.Number == "" {
				t.Fatal("an answer without a number")
			}
			again, err := queue.DecodeTicketAnswer(queue.EncodeTicketAnswer(queue.Ticket{Number: a.Number, Ahead: a.Ahead, WaitMinutes: a.WaitMinutes, Due: a.Due}))
			if err != nil || again.Number != a.Number || !again.Due.Equal(a.Due) {
				t.Fatalf("answer round trip of %q: %+v, %v", data, again, err)
			}
		} else {
			mustBeInvalid(t, err)
		}
	})
}

func mustBeInvalid(t *testing.T, err error) {
	t.Helper()
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("refused with %q, want EINVALID: %v", app.ErrorCode(err), err)
	}
}
