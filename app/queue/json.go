package queue

import (
	"encoding/json"
	"time"

	"github.com/sportello/sportello/app"
)

// The JSON of the queue's records and facts, as they travel in
// app.Record.Data, app.Operation.Data and app.OpResult.Data, and as the
// hub keeps its tickets: the records the hub publishes (areas, the day's
// tickets, the board, slots, appointments), the facts the workstations
// send (tickets, queue events, appointment changes) and the hub's answers.
// The domain types carry no tags: these structs are the format, converted
// explicitly, so that a field added to a domain type never leaves the
// workstation by accident. The decoders validate. Instants are RFC 3339,
// UTC.

type areaJSON struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Minutes int    `json:"minutes"`
	Kiosk   bool   `json:"kiosk"`
}

type ticketJSON struct {
	ID            string `json:"id"`
	Number        string `json:"number"`
	Local         string `json:"local,omitempty"`
	Area          string `json:"area"`
	Day           string `json:"day"`
	Device        string `json:"device"`
	CodiceFiscale string `json:"codice_fiscale,omitempty"`
	Appointment   string `json:"appointment,omitempty"`
	Due           string `json:"due,omitempty"`
	IssuedAt      string `json:"issued_at"`
	Status        string `json:"status"`
	Counter       string `json:"counter,omitempty"`
	Operator      string `json:"operator,omitempty"`
	CalledAt      string `json:"called_at,omitempty"`
	DoneAt        string `json:"done_at,omitempty"`
	Recalls       int    `json:"recalls,omitempty"`
	Version       int    `json:"version"`
	Ahead         int    `json:"ahead"`
	WaitMinutes   int    `json:"wait_minutes"`
}

// ticketFactJSON is the fact of a ticket issued at a kiosk or counter
// (FactTicket). Local is the number the device would print offline.
type ticketFactJSON struct {
	ID            string `json:"id"`
	Area          string `json:"area"`
	Local         string `json:"local"`
	CodiceFiscale string `json:"codice_fiscale,omitempty"`
	Appointment   string `json:"appointment,omitempty"`
	IssuedAt      string `json:"issued_at"`
}

type ticketAnswerJSON struct {
	Number      string `json:"number"`
	Ahead       int    `json:"ahead"`
	WaitMinutes int    `json:"wait_minutes"`
	Due         string `json:"due,omitempty"`
}

type eventJSON struct {
	Ticket        string `json:"ticket"`
	Number        string `json:"number,omitempty"`
	Action        string `json:"action"`
	Counter       string `json:"counter,omitempty"`
	Operator      string `json:"operator,omitempty"`
	ToArea        string `json:"to_area,omitempty"`
	ExpectStatus  string `json:"expect_status,omitempty"`
	ExpectVersion int    `json:"expect_version"`
	At            string `json:"at"`
}

type stateJSON struct {
	Day     string         `json:"day"`
	Calls   []callJSON     `json:"calls"`
	Waiting map[string]int `json:"waiting"`
}

type callJSON struct {
	Number  string `json:"number"`
	Counter string `json:"counter"`
	Area    string `json:"area"`
	At      string `json:"at"`
}

type slotJSON struct {
	ID          string `json:"id"`
	Area        string `json:"area"`
	Counter     string `json:"counter"`
	Start       string `json:"start"`
	Minutes     int    `json:"minutes"`
	Appointment string `json:"appointment,omitempty"`
}

type appointmentJSON struct {
	ID            string `json:"id"`
	Slot          string `json:"slot"`
	Area          string `json:"area"`
	Counter       string `json:"counter"`
	Start         string `json:"start"`
	CodiceFiscale string `json:"codice_fiscale"`
	Name          string `json:"name"`
	Status        string `json:"status"`
	Ticket        string `json:"ticket,omitempty"`
	Version       int    `json:"version"`
	BookedBy      string `json:"booked_by,omitempty"`
}

type appointmentChangeJSON struct {
	Appointment   string `json:"appointment"`
	Action        string `json:"action"`
	Slot          string `json:"slot,omitempty"`
	CodiceFiscale string `json:"codice_fiscale,omitempty"`
	Name          string `json:"name,omitempty"`
	By            string `json:"by,omitempty"`
	ExpectVersion int    `json:"expect_version"`
	At            string `json:"at"`
}

// parseInstant reads an instant written by instant ("" is the zero time),
// refusing one that would not come back once written in UTC (a year
// before 1 or after 9999 there, from an offset at the edge of the
// calendar): the hub stores the tickets it reads, and one it could not
// read again would stop the comune's queue.
func parseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := app.ParseInstant(s)
	if err != nil {
		return time.Time{}, err
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, app.Errorf(app.EINVALID, "ora non valida %q", s)
	}
	return t, nil
}

// strictJSON decodes a fact, refusing unknown fields: a fact the hub does
// not fully understand is refused, not half applied.
func strictJSON(data []byte, v any) error {
	if err := app.DecodeJSON(data, v); err != nil {
		return app.Errorf(app.EINVALID, "dati non leggibili: %v", err)
	}
	return nil
}

// EncodeArea is the Data of an area's record.
func EncodeArea(a Area) []byte {
	b, _ := json.Marshal(areaJSON{Code: a.Code, Name: a.Name, NameEN: a.NameEN, Minutes: a.Minutes, Kiosk: a.Kiosk})
	return b
}

// AreaRecord is the record of a service area.
func AreaRecord(a Area) app.Record {
	return app.Record{Kind: KindArea, Key: a.Code, Data: EncodeArea(a)}
}

// DecodeArea reads and validates an area.
func DecodeArea(data []byte) (Area, error) {
	var w areaJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return Area{}, app.Errorf(app.EINVALID, "area non leggibile")
	}
	a := Area{Code: w.Code, Name: w.Name, NameEN: w.NameEN, Minutes: w.Minutes, Kiosk: w.Kiosk}
	return a, a.Validate()
}

// EncodeTicket is a ticket as the hub sees it: the Data of its KindTicket
// record, what the hub keeps of it, and the ticket of a call's answer.
func EncodeTicket(t Ticket) []byte {
	b, _ := json.Marshal(ticketJSON{ID: t.ID, Number: t.Number, Local: t.Local, Area: t.Area, Day: t.Day, Device: t.Device,
		CodiceFiscale: t.CodiceFiscale, Appointment: t.Appointment, Due: app.FormatInstant(t.Due), IssuedAt: app.FormatInstant(t.IssuedAt),
		Status: string(t.Status), Counter: t.Counter, Operator: t.Operator, CalledAt: app.FormatInstant(t.CalledAt),
		DoneAt: app.FormatInstant(t.DoneAt), Recalls: t.Recalls, Version: t.Version, Ahead: t.Ahead, WaitMinutes: t.WaitMinutes})
	return b
}

// TicketRecord is the record of a ticket of the day, with the citizen it
// is linked to as its subject.
func TicketRecord(t Ticket) app.Record {
	return app.Record{Kind: KindTicket, Key: t.ID, Subject: t.CodiceFiscale, Data: EncodeTicket(t)}
}

// DecodeTicket reads and validates a ticket written by EncodeTicket.
func DecodeTicket(data []byte) (Ticket, error) {
	var w ticketJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return Ticket{}, app.Errorf(app.EINVALID, "biglietto non leggibile")
	}
	t := Ticket{ID: w.ID, Number: w.Number, Local: w.Local, Area: w.Area, Day: w.Day, Device: w.Device,
		CodiceFiscale: w.CodiceFiscale, Appointment: w.Appointment, Status: Status(w.Status), Counter: w.Counter,
		Operator: w.Operator, Recalls: w.Recalls, Version: w.Version, Ahead: w.Ahead, WaitMinutes: w.WaitMinutes}
	var err error
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&t.Due, w.Due}, {&t.IssuedAt, w.IssuedAt}, {&t.CalledAt, w.CalledAt}, {&t.DoneAt, w.DoneAt}} {
		if *f.dst, err = parseInstant(f.src); err != nil {
			return t, err
		}
	}
	return t, t.Validate()
}

// EncodeTicketFact is the fact of a newly issued ticket (FactTicket).
func EncodeTicketFact(t Ticket) []byte {
	b, _ := json.Marshal(ticketFactJSON{ID: t.ID, Area: t.Area, Local: t.Local, CodiceFiscale: t.CodiceFiscale,
		Appointment: t.Appointment, IssuedAt: app.FormatInstant(t.IssuedAt)})
	return b
}

// DecodeTicketFact reads a ticket fact, as a waiting ticket of device.
func DecodeTicketFact(data []byte, device string) (Ticket, error) {
	var w ticketFactJSON
	if err := strictJSON(data, &w); err != nil {
		return Ticket{}, err
	}
	t := Ticket{ID: w.ID, Area: w.Area, Local: w.Local, Number: w.Local, Device: device,
		CodiceFiscale: w.CodiceFiscale, Appointment: w.Appointment, Status: Waiting}
	var err error
	if t.IssuedAt, err = parseInstant(w.IssuedAt); err != nil {
		return t, err
	}
	if w.Local == "" || len(w.Local) > 20 {
		return t, app.Errorf(app.EINVALID, "biglietto senza numero locale")
	}
	t.Day = Day(t.IssuedAt)
	return t, t.Validate()
}

// TicketFactID is the id of the ticket a FactTicket operation carries,
// without checking the rest.
func TicketFactID(data []byte) (string, error) {
	var w struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &w); err != nil || w.ID == "" {
		return "", app.Errorf(app.EINVALID, "biglietto non leggibile")
	}
	return w.ID, nil
}

// TicketAnswer is the hub's answer to a ticket fact: the number it gave
// and the estimate to print.
type TicketAnswer struct {
	Number      string
	Ahead       int
	WaitMinutes int
	Due         time.Time
}

// EncodeTicketAnswer is the hub's answer to a ticket fact.
func EncodeTicketAnswer(t Ticket) []byte {
	b, _ := json.Marshal(ticketAnswerJSON{Number: t.Number, Ahead: t.Ahead, WaitMinutes: t.WaitMinutes, Due: app.FormatInstant(t.Due)})
	return b
}

// DecodeTicketAnswer reads the hub's answer to a ticket fact.
func DecodeTicketAnswer(data []byte) (TicketAnswer, error) {
	var w ticketAnswerJSON
	if err := app.DecodeJSON(data, &w); err != nil || w.Number == "" {
		return TicketAnswer{}, app.Errorf(app.EINVALID, "risposta dell'hub al biglietto non leggibile")
	}
	due, err := parseInstant(w.Due)
	if err != nil {
		return TicketAnswer{}, err
	}
	return TicketAnswer{Number: w.Number, Ahead: w.Ahead, WaitMinutes: w.WaitMinutes, Due: due}, nil
}

// EncodeEvent is the fact of a queue event (FactEvent).
func EncodeEvent(e Event) []byte {
	b, _ := json.Marshal(eventJSON{Ticket: e.Ticket, Number: e.Number, Action: string(e.Action), Counter: e.Counter,
		Operator: e.Operator, ToArea: e.ToArea, ExpectStatus: string(e.ExpectStatus), ExpectVersion: e.ExpectVersion,
		At: app.FormatInstant(e.At)})
	return b
}

// DecodeEvent reads and validates a queue event.
func DecodeEvent(data []byte) (Event, error) {
	var w eventJSON
	if err := strictJSON(data, &w); err != nil {
		return Event{}, err
	}
	e := Event{Ticket: w.Ticket, Number: w.Number, Action: Action(w.Action), Counter: w.Counter,
		Operator: w.Operator, ToArea: w.ToArea, ExpectStatus: Status(w.ExpectStatus), ExpectVersion: w.ExpectVersion}
	var err error
	if e.At, err = parseInstant(w.At); err != nil {
		return e, err
	}
	return e, e.Validate()
}

// EncodeState is the Data of the board's record.
func EncodeState(s State) []byte {
	w := stateJSON{Day: s.Day, Calls: []callJSON{}, Waiting: s.Waiting}
	for _, c := range s.Calls {
		w.Calls = append(w.Calls, callJSON{Number: c.Number, Counter: c.Counter, Area: c.Area, At: app.FormatInstant(c.At)})
	}
	b, _ := json.Marshal(w)
	return b
}

// StateRecord is the record of the board.
func StateRecord(s State) app.Record {
	return app.Record{Kind: KindState, Key: StateKey, Data: EncodeState(s)}
}

// DecodeState reads the board; Waiting is never nil.
func DecodeState(data []byte) (State, error) {
	var w stateJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return State{}, app.Errorf(app.EINVALID, "stato della coda non leggibile")
	}
	s := State{Day: w.Day, Waiting: w.Waiting}
	for _, c := range w.Calls {
		at, err := parseInstant(c.At)
		if err != nil {
			return s, err
		}
		s.Calls = append(s.Calls, Call{Number: c.Number, Counter: c.Counter, Area: c.Area, At: at})
	}
	if s.Waiting == nil {
		s.Waiting = map[string]int{}
	}
	return s, nil
}

// EncodeSlot is the Data of a slot's record.
func EncodeSlot(s Slot) []byte {
	b, _ := json.Marshal(slotJSON{ID: s.ID, Area: s.Area, Counter: s.Counter, Start: app.FormatInstant(s.Start), Minutes: s.Minutes, Appointment: s.Appointment})
	return b
}

// SlotRecord is the record of a bookable slot.
func SlotRecord(s Slot) app.Record {
	return app.Record{Kind: KindSlot, Key: s.ID, Data: EncodeSlot(s)}
}

// DecodeSlot reads and validates a slot.
func DecodeSlot(data []byte) (Slot, error) {
	var w slotJSON
	if err := app.DecodeJSON(data, &w); err != nil {
		return Slot{}, app.Errorf(app.EINVALID, "fascia oraria non leggibile")
	}
	s := Slot{ID: w.ID, Area: w.Area, Counter: w.Counter, Minutes: w.Minutes, Appointment: w.Appointment}
	var err error
	if s.Start, err = parseInstant(w.Start); err != nil {
		return s, err
	}
	return s, s.Validate()
}

// EncodeAppointment is the Data of an appointment's record, and the hub's
// answer to an appointment change.
func EncodeAppointment(a Appointment) []byte {
	b, _ := json.Marshal(appointmentJSON{ID: a.ID, Slot: a.Slot, Area: a.Area, Counter: a.Counter, Start: app.FormatInstant(a.Start),
		CodiceFiscale: a.CodiceFiscale, Name: a.Name, Status: string(a.Status), Ticket: a.Ticket, Version: a.Version, BookedBy: a.BookedBy})
	return b
}

// AppointmentRecord is the record of an appointment, with the booked
// citizen as its subject.
func AppointmentRecord(a Appointment) app.Record {
	return app.Record{Kind: KindAppointment, Key: a.ID, Subject: a.CodiceFiscale, Data: EncodeAppointment(a)}
}

// DecodeAppointment reads an appointment.
func DecodeAppointment(data []byte) (Appointment, error) {
	var w appointmentJSON
	if err := app.DecodeJSON(data, &w); err != nil || len(w.ID) != 36 {
		return Appointment{}, app.Errorf(app.EINVALID, "appuntamento non leggibile")
	}
	a := Appointment{ID: w.ID, Slot: w.Slot, Area: w.Area, Counter: w.Counter, CodiceFiscale: w.CodiceFiscale,
		Name: w.Name, Status: AppointmentStatus(w.Status), Ticket: w.Ticket, Version: w.Version, BookedBy: w.BookedBy}
	var err error
	a.Start, err = parseInstant(w.Start)
	return a, err
}

// EncodeAppointmentChange is the fact of an appointment change
// (FactAppointment).
func EncodeAppointmentChange(c AppointmentChange) []byte {
	b, _ := json.Marshal(appointmentChangeJSON{Appointment: c.Appointment, Action: string(c.Action), Slot: c.Slot,
		CodiceFiscale: c.CodiceFiscale, Name: c.Name, By: c.By, ExpectVersion: c.ExpectVersion, At: app.FormatInstant(c.At)})
	return b
}

// DecodeAppointmentChange reads and validates an appointment fact.
func DecodeAppointmentChange(data []byte) (AppointmentChange, error) {
	var w appointmentChangeJSON
	if err := strictJSON(data, &w); err != nil {
		return AppointmentChange{}, err
	}
	c := AppointmentChange{Appointment: w.Appointment, Action: AppointmentAction(w.Action), Slot: w.Slot,
		CodiceFiscale: w.CodiceFiscale, Name: w.Name, By: w.By, ExpectVersion: w.ExpectVersion}
	var err error
	if c.At, err = parseInstant(w.At); err != nil {
		return c, err
	}
	return c, c.Validate()
}
