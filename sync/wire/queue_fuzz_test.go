package wire_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/sync/wire"
)

// The queue's decoders read what other machines sent: facts from any
// workstation at the hub, records from the hub at the workstations. Each
// fuzz test checks that a decoder never panics, that whatever it accepts
// is valid for the domain, and that what it accepts survives the trip
// back: encoded again, it decodes to the same bytes (a ticket the hub
// stored must stay readable, or the comune's whole queue stops).

const fuzzID = "00000000-0000-4000-8000-000000000001"

var fuzzAt = time.Date(2026, 5, 12, 7, 30, 0, 0, time.UTC)

func FuzzDecodeTicketFact(f *testing.F) {
	f.Add(wire.EncodeTicketFact(queue.Ticket{ID: fuzzID, Area: "A", Local: "A-W2-001", IssuedAt: fuzzAt}))
	f.Add(wire.EncodeTicketFact(queue.Ticket{ID: fuzzID, Area: "C", Local: "C-W2-003", CodiceFiscale: "RSSMRA85T10A562S",
		Appointment: "00000000-0000-4000-8000-000000000002", IssuedAt: fuzzAt}))
	f.Add([]byte(`{"id":"x","area":"a","local":"","issued_at":"0000-01-01T00:00:00+01:00"}`))
	// Found: a time at the edge of the calendar was accepted, and its UTC
	// form ("-0001-12-31T23:00:00Z") no longer parsed.
	f.Add([]byte(`{"id":"` + fuzzID + `","area":"A","local":"A-W2-001","issued_at":"0000-01-01T00:00:00+01:00"}`))
	f.Add([]byte(`{"id":"` + fuzzID + `","area":"A","local":"A-W2-001","issued_at":"9999-12-31T23:59:59-01:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := wire.DecodeTicketFact(data, "F205-W002")
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := tk.Validate(); err != nil {
			t.Fatalf("accepted an invalid ticket %+v: %v", tk, err)
		}
		again, err := wire.DecodeTicketFact(wire.EncodeTicketFact(tk), "F205-W002")
		if err != nil {
			t.Fatalf("the ticket accepted from %q does not decode again: %v", data, err)
		}
		// What the hub keeps of it must read back too.
		b, _ := json.Marshal(wire.TicketToWire(again))
		var w wire.Ticket
		if err := json.Unmarshal(b, &w); err != nil {
			t.Fatal(err)
		}
		if _, err := wire.TicketFromWire(w); err != nil {
			t.Fatalf("the stored ticket of %q is unreadable: %v", data, err)
		}
		if !bytes.Equal(wire.EncodeTicketFact(again), wire.EncodeTicketFact(tk)) {
			t.Fatalf("round trip changed the fact: %s != %s", wire.EncodeTicketFact(again), wire.EncodeTicketFact(tk))
		}
	})
}

func FuzzDecodeEvent(f *testing.F) {
	for _, e := range []queue.Event{
		{Ticket: fuzzID, Number: "A001", Action: queue.ActionCall, Counter: "1", Operator: "demo", ExpectStatus: queue.Waiting, ExpectVersion: 1, At: fuzzAt},
		{Ticket: fuzzID, Action: queue.ActionTransfer, Counter: "2", ToArea: "T", ExpectStatus: queue.Called, ExpectVersion: 2, At: fuzzAt},
		{Ticket: fuzzID, Number: "A-W2-004", Action: queue.ActionPrinted, At: fuzzAt},
	} {
		f.Add(wire.EncodeEvent(e))
	}
	f.Add([]byte(`{"ticket":"` + fuzzID + `","action":"served","counter":" ","at":"2026-05-12T07:30:00Z"}`))
	f.Add([]byte(`{"ticket":"` + fuzzID + `","action":"served","counter":"1","at":"0000-01-01T00:00:00+01:00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := wire.DecodeEvent(data)
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("accepted an invalid event %+v: %v", e, err)
		}
		again, err := wire.DecodeEvent(wire.EncodeEvent(e))
		if err != nil {
			t.Fatalf("the event accepted from %q does not decode again: %v", data, err)
		}
		if !bytes.Equal(wire.EncodeEvent(again), wire.EncodeEvent(e)) {
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
		f.Add(wire.EncodeAppointmentChange(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := wire.DecodeAppointmentChange(data)
		if err != nil {
			mustBeInvalid(t, err)
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted an invalid change %+v: %v", c, err)
		}
		again, err := wire.DecodeAppointmentChange(wire.EncodeAppointmentChange(c))
		if err != nil {
			t.Fatalf("the change accepted from %q does not decode again: %v", data, err)
		}
		if !bytes.Equal(wire.EncodeAppointmentChange(again), wire.EncodeAppointmentChange(c)) {
			t.Fatalf("round trip changed the appointment change")
		}
	})
}

// FuzzQueueRecords feeds the same bytes to every decoder of the queue's
// records, as a workstation reads them from its cache.
func FuzzQueueRecords(f *testing.F) {
	area, _ := json.Marshal(wire.AreaToWire(queue.Area{Code: "A", Name: "Anagrafe", NameEN: "Registry office", Minutes: 6, Kiosk: true}))
	tk, _ := json.Marshal(wire.TicketToWire(queue.Ticket{ID: fuzzID, Number: "A001", Area: "A", Day: "2026-05-12", Device: "F205-W002",
		IssuedAt: fuzzAt, Status: queue.Called, Counter: "1", CalledAt: fuzzAt.Add(time.Minute), Version: 2}))
	for _, b := range [][]byte{
		area, tk,
		wire.EncodeState(queue.State{Day: "2026-05-12", Calls: []queue.Call{{Number: "A001", Counter: "1", Area: "A", At: fuzzAt}}, Waiting: map[string]int{"A": 3}}),
		wire.EncodeSlot(queue.Slot{ID: "C-2026-05-12T09:00-1", Area: "C", Counter: "1", Start: fuzzAt, Minutes: 20}),
		wire.EncodeAppointment(queue.Appointment{ID: fuzzID, Slot: "C-2026-05-12T09:00-1", Area: "C", Counter: "1", Start: fuzzAt,
			CodiceFiscale: "RSSMRA85T10A562S", Name: "ROSSI Mario", Status: queue.Booked, Version: 1}),
		[]byte(`{"number":"2026/0142","title":"Avviso","from":"2026-05-01","to":"2026-05-31","text":"…"}`),
		[]byte(`{"certificates":[{"type":"residenza","uses":[{"label":"pensione estera","exemption":9}]},{"type":"nascita"}]}`),
		wire.EncodeTicketAnswer(queue.Ticket{Number: "A017", Ahead: 3, WaitMinutes: 18}),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var wa wire.Area
		if json.Unmarshal(data, &wa) == nil {
			if a, err := wire.AreaFromWire(wa); err == nil {
				if _, err := wire.AreaFromWire(wire.AreaToWire(a)); err != nil {
					t.Fatalf("area round trip: %v", err)
				}
			}
		}
		var wt wire.Ticket
		if json.Unmarshal(data, &wt) == nil {
			if tk, err := wire.TicketFromWire(wt); err == nil {
				if _, err := wire.TicketFromWire(wire.TicketToWire(tk)); err != nil {
					t.Fatalf("ticket round trip of %q: %v", data, err)
				}
			}
		}
		if st, err := wire.DecodeState(data); err == nil {
			if st.Waiting == nil {
				t.Fatal("a board without its waiting map")
			}
			if _, err := wire.DecodeState(wire.EncodeState(st)); err != nil {
				t.Fatalf("board round trip of %q: %v", data, err)
			}
		}
		if s, err := wire.DecodeSlot(data); err == nil {
			if err := s.Validate(); err != nil {
				t.Fatalf("accepted an invalid slot: %v", err)
			}
			if _, err := wire.DecodeSlot(wire.EncodeSlot(s)); err != nil {
				t.Fatalf("slot round trip of %q: %v", data, err)
			}
		}
		if a, err := wire.DecodeAppointment(data); err == nil {
			if _, err := wire.DecodeAppointment(wire.EncodeAppointment(a)); err != nil {
				t.Fatalf("appointment round trip of %q: %v", data, err)
			}
		}
		if n, err := wire.DecodeNotice(data); err == nil {
			if err := n.Validate(); err != nil {
				t.Fatalf("accepted an invalid notice: %v", err)
			}
			if _, err := wire.DecodeNotice(wire.EncodeNotice(n)); err != nil {
				t.Fatalf("notice round trip of %q: %v", data, err)
			}
		}
		if p, err := wire.DecodePolicy(data); err == nil {
			if err := p.Validate(); err != nil {
				t.Fatalf("accepted an invalid policy: %v", err)
			}
		}
		if a, err := wire.DecodeTicketAnswer(data); err == nil && a.Number == "" {
			t.Fatal("an answer without a number")
		}
	})
}

func mustBeInvalid(t *testing.T, err error) {
	t.Helper()
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("refused with %q, want EINVALID: %v", app.ErrorCode(err), err)
	}
}
