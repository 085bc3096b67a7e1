package queue_test

import (
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

func rec(r app.Record) [3]string { return [3]string{r.Kind, r.Key, r.Subject} }

// TestJSONFormat pins the bytes of the queue's records, facts and answers:
// the hub keeps them and the workstations cache them, so a change here is
// a change of the protocol, not a refactoring.
func TestJSONFormat(t *testing.T) {
	at := time.Date(2026, 5, 12, 9, 30, 0, 0, app.Rome) // 07:30 UTC
	tk := queue.Ticket{ID: fuzzID, Number: "A001", Local: "A-W2-001", Area: "A", Day: "2026-05-12", Device: "F205-W002",
		CodiceFiscale: "RSSMRA85T10A562S", IssuedAt: at, Status: queue.Called, Counter: "1", Operator: "demo",
		CalledAt: at.Add(time.Minute), Version: 2, Ahead: 3, WaitMinutes: 18}
	for _, c := range []struct {
		name string
		got  []byte
		want string
	}{
		{"area", queue.EncodeArea(queue.Area{Code: "A", Name: "Anagrafe", Minutes: 6, Kiosk: true}),
			`{"code":"A","name":"Anagrafe","minutes":6,"kiosk":true}`},
		{"ticket", queue.EncodeTicket(tk),
			`{"id":"` + fuzzID + `","number":"A001","local":"A-W2-001","area":"A","day":"2026-05-12","device":"F205-W002",` +
				`"codice_fiscale":"RSSMRA85T10A562S","issued_at":"2026-05-12T07:30:00Z","status":"called","counter":"1","operator":"demo",` +
				`"called_at":"2026-05-12T07:31:00Z","version":2,"ahead":3,"wait_minutes":18}`},
		{"ticket fact", queue.EncodeTicketFact(tk),
			`{"id":"` + fuzzID + `","area":"A","local":"A-W2-001","codice_fiscale":"RSSMRA85T10A562S","issued_at":"2026-05-12T07:30:00Z"}`},
		{"ticket answer", queue.EncodeTicketAnswer(tk), `{"number":"A001","ahead":3,"wait_minutes":18}`},
		{"event", queue.EncodeEvent(queue.Event{Ticket: fuzzID, Action: queue.ActionTransfer, Counter: "1", ToArea: "T",
			ExpectStatus: queue.Called, ExpectVersion: 2, At: at}),
			`{"ticket":"` + fuzzID + `","action":"transferred","counter":"1","to_area":"T","expect_status":"called","expect_version":2,"at":"2026-05-12T07:30:00Z"}`},
		{"board", queue.EncodeState(queue.State{Day: "2026-05-12", Calls: []queue.Call{{Number: "A001", Counter: "1", Area: "A", At: at}}, Waiting: map[string]int{"A": 3}}),
			`{"day":"2026-05-12","calls":[{"number":"A001","counter":"1","area":"A","at":"2026-05-12T07:30:00Z"}],"waiting":{"A":3}}`},
		{"slot", queue.EncodeSlot(queue.Slot{ID: "C-2026-05-12T09:30-1", Area: "C", Counter: "1", Start: at, Minutes: 20}),
			`{"id":"C-2026-05-12T09:30-1","area":"C","counter":"1","start":"2026-05-12T07:30:00Z","minutes":20}`},
		{"appointment", queue.EncodeAppointment(queue.Appointment{ID: fuzzID, Slot: "C-2026-05-12T09:30-1", Area: "C", Counter: "1", Start: at,
			CodiceFiscale: "RSSMRA85T10A562S", Name: "ROSSI Mario", Status: queue.Booked, Version: 1, BookedBy: "demo"}),
			`{"id":"` + fuzzID + `","slot":"C-2026-05-12T09:30-1","area":"C","counter":"1","start":"2026-05-12T07:30:00Z",` +
				`"codice_fiscale":"RSSMRA85T10A562S","name":"ROSSI Mario","status":"booked","version":1,"booked_by":"demo"}`},
		{"appointment change", queue.EncodeAppointmentChange(queue.AppointmentChange{Appointment: fuzzID, Action: queue.Move,
			Slot: "C-2026-05-12T09:50-1", By: "demo", ExpectVersion: 1, At: at}),
			`{"appointment":"` + fuzzID + `","action":"moved","slot":"C-2026-05-12T09:50-1","by":"demo","expect_version":1,"at":"2026-05-12T07:30:00Z"}`},
	} {
		if string(c.got) != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, c.got, c.want)
		}
	}
	// The records name their kind, key and subject.
	for _, c := range []struct {
		got                [3]string
		kind, key, subject string
	}{
		{rec(queue.TicketRecord(tk)), queue.KindTicket, fuzzID, "RSSMRA85T10A562S"},
		{rec(queue.AreaRecord(queue.Area{Code: "A"})), queue.KindArea, "A", ""},
		{rec(queue.SlotRecord(queue.Slot{ID: "C-1"})), queue.KindSlot, "C-1", ""},
		{rec(queue.StateRecord(queue.State{})), queue.KindState, queue.StateKey, ""},
		{rec(queue.AppointmentRecord(queue.Appointment{ID: fuzzID, CodiceFiscale: "RSSMRA85T10A562S"})), queue.KindAppointment, fuzzID, "RSSMRA85T10A562S"},
	} {
		if c.got != [3]string{c.kind, c.key, c.subject} {
			t.Errorf("record %v, want %s/%s/%s", c.got, c.kind, c.key, c.subject)
		}
	}
}
