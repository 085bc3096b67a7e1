package wire

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// The JSON of the queue: the records the hub publishes (areas, the day's
// tickets, the board, slots, appointments, the albo, the kiosk policy),
// the facts the workstations send (tickets, queue events, appointment
// changes) and the synchronous call of "call next". Each has explicit
// conversions; the decoders validate.

// Area is a service area on the wire (record queue.KindArea).
type Area struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEN  string `json:"name_en,omitempty"`
	Minutes int    `json:"minutes"`
	Kiosk   bool   `json:"kiosk"`
}

// AreaToWire converts an area.
func AreaToWire(a queue.Area) Area {
	return Area{Code: a.Code, Name: a.Name, NameEN: a.NameEN, Minutes: a.Minutes, Kiosk: a.Kiosk}
}

// AreaFromWire converts and validates an area.
func AreaFromWire(w Area) (queue.Area, error) {
	a := queue.Area{Code: w.Code, Name: w.Name, NameEN: w.NameEN, Minutes: w.Minutes, Kiosk: w.Kiosk}
	return a, a.Validate()
}

// Ticket is a ticket on the wire (record queue.KindTicket, and the answer
// of a call).
type Ticket struct {
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

// TicketToWire converts a ticket.
func TicketToWire(t queue.Ticket) Ticket {
	return Ticket{ID: t.ID, Number: t.Number, Local: t.Local, Area: t.Area, Day: t.Day, Device: t.Device,
		CodiceFiscale: t.CodiceFiscale, Appointment: t.Appointment, Due: formatTime(t.Due), IssuedAt: formatTime(t.IssuedAt),
		Status: string(t.Status), Counter: t.Counter, Operator: t.Operator, CalledAt: formatTime(t.CalledAt),
		DoneAt: formatTime(t.DoneAt), Recalls: t.Recalls, Version: t.Version, Ahead: t.Ahead, WaitMinutes: t.WaitMinutes}
}

// TicketFromWire converts and validates a ticket.
func TicketFromWire(w Ticket) (queue.Ticket, error) {
	t := queue.Ticket{ID: w.ID, Number: w.Number, Local: w.Local, Area: w.Area, Day: w.Day, Device: w.Device,
		CodiceFiscale: w.CodiceFiscale, Appointment: w.Appointment, Status: queue.Status(w.Status), Counter: w.Counter,
		Operator: w.Operator, Recalls: w.Recalls, Version: w.Version, Ahead: w.Ahead, WaitMinutes: w.WaitMinutes}
	var err error
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&t.Due, w.Due}, {&t.IssuedAt, w.IssuedAt}, {&t.CalledAt, w.CalledAt}, {&t.DoneAt, w.DoneAt}} {
		if *f.dst, err = parseQueueTime(f.src); err != nil {
			return t, err
		}
	}
	return t, t.Validate()
}

// TicketFact is the fact of a ticket issued at a kiosk or counter (kind
// queue.FactTicket). Local is the number the device would print offline.
type TicketFact struct {
	ID            string `json:"id"`
	Area          string `json:"area"`
	Local         string `json:"local"`
	CodiceFiscale string `json:"codice_fiscale,omitempty"`
	Appointment   string `json:"appointment,omitempty"`
	IssuedAt      string `json:"issued_at"`
}

// TicketAnswer is the hub's answer to a ticket fact (OpResult.Data): the
// number it gave and the estimate to print.
type TicketAnswer struct {
	Number      string `json:"number"`
	Ahead       int    `json:"ahead"`
	WaitMinutes int    `json:"wait_minutes"`
	Due         string `json:"due,omitempty"`
}

// EncodeTicketFact is the fact of a newly issued ticket.
func EncodeTicketFact(t queue.Ticket) []byte {
	b, _ := json.Marshal(TicketFact{ID: t.ID, Area: t.Area, Local: t.Local, CodiceFiscale: t.CodiceFiscale,
		Appointment: t.Appointment, IssuedAt: formatTime(t.IssuedAt)})
	return b
}

// DecodeTicketFact reads a ticket fact, as a waiting ticket of device.
func DecodeTicketFact(data []byte, device string) (queue.Ticket, error) {
	var w TicketFact
	if err := strictJSON(data, &w); err != nil {
		return queue.Ticket{}, err
	}
	t := queue.Ticket{ID: w.ID, Area: w.Area, Local: w.Local, Number: w.Local, Device: device,
		CodiceFiscale: w.CodiceFiscale, Appointment: w.Appointment, Status: queue.Waiting}
	var err error
	if t.IssuedAt, err = parseQueueTime(w.IssuedAt); err != nil {
		return t, err
	}
	if w.Local == "" || len(w.Local) > 20 {
		return t, app.Errorf(app.EINVALID, "biglietto senza numero locale")
	}
	t.Day = queue.Day(t.IssuedAt)
	return t, t.Validate()
}

// EncodeTicketAnswer is the hub's answer to a ticket fact.
func EncodeTicketAnswer(t queue.Ticket) []byte {
	b, _ := json.Marshal(TicketAnswer{Number: t.Number, Ahead: t.Ahead, WaitMinutes: t.WaitMinutes, Due: formatTime(t.Due)})
	return b
}

// DecodeTicketAnswer reads the hub's answer to a ticket fact.
func DecodeTicketAnswer(data []byte) (TicketAnswer, error) {
	var a TicketAnswer
	if err := json.Unmarshal(data, &a); err != nil || a.Number == "" {
		return a, app.Errorf(app.EINVALID, "risposta dell'hub al biglietto non leggibile")
	}
	return a, nil
}

// Event is a queue event on the wire (fact queue.FactEvent).
type Event struct {
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

// EncodeEvent is the fact of a queue event.
func EncodeEvent(e queue.Event) []byte {
	b, _ := json.Marshal(Event{Ticket: e.Ticket, Number: e.Number, Action: string(e.Action), Counter: e.Counter,
		Operator: e.Operator, ToArea: e.ToArea, ExpectStatus: string(e.ExpectStatus), ExpectVersion: e.ExpectVersion,
		At: formatTime(e.At)})
	return b
}

// DecodeEvent reads and validates a queue event.
func DecodeEvent(data []byte) (queue.Event, error) {
	var w Event
	if err := strictJSON(data, &w); err != nil {
		return queue.Event{}, err
	}
	e := queue.Event{Ticket: w.Ticket, Number: w.Number, Action: queue.Action(w.Action), Counter: w.Counter,
		Operator: w.Operator, ToArea: w.ToArea, ExpectStatus: queue.Status(w.ExpectStatus), ExpectVersion: w.ExpectVersion}
	var err error
	if e.At, err = parseQueueTime(w.At); err != nil {
		return e, err
	}
	return e, e.Validate()
}

// State is the board on the wire (record queue.KindState).
type State struct {
	Day     string         `json:"day"`
	Calls   []Call         `json:"calls"`
	Waiting map[string]int `json:"waiting"`
}

// Call is a line of the board.
type Call struct {
	Number  string `json:"number"`
	Counter string `json:"counter"`
	Area    string `json:"area"`
	At      string `json:"at"`
}

// EncodeState is the record of the board.
func EncodeState(s queue.State) []byte {
	w := State{Day: s.Day, Calls: []Call{}, Waiting: s.Waiting}
	for _, c := range s.Calls {
		w.Calls = append(w.Calls, Call{Number: c.Number, Counter: c.Counter, Area: c.Area, At: formatTime(c.At)})
	}
	b, _ := json.Marshal(w)
	return b
}

// DecodeState reads the board.
func DecodeState(data []byte) (queue.State, error) {
	var w State
	if err := json.Unmarshal(data, &w); err != nil {
		return queue.State{}, app.Errorf(app.EINVALID, "stato della coda non leggibile")
	}
	s := queue.State{Day: w.Day, Waiting: w.Waiting}
	for _, c := range w.Calls {
		at, err := parseQueueTime(c.At)
		if err != nil {
			return s, err
		}
		s.Calls = append(s.Calls, queue.Call{Number: c.Number, Counter: c.Counter, Area: c.Area, At: at})
	}
	if s.Waiting == nil {
		s.Waiting = map[string]int{}
	}
	return s, nil
}

// Slot is an appointment slot on the wire (record queue.KindSlot).
type Slot struct {
	ID          string `json:"id"`
	Area        string `json:"area"`
	Counter     string `json:"counter"`
	Start       string `json:"start"`
	Minutes     int    `json:"minutes"`
	Appointment string `json:"appointment,omitempty"`
}

// EncodeSlot is the record of a slot.
func EncodeSlot(s queue.Slot) []byte {
	b, _ := json.Marshal(Slot{ID: s.ID, Area: s.Area, Counter: s.Counter, Start: formatTime(s.Start), Minutes: s.Minutes, Appointment: s.Appointment})
	return b
}

// DecodeSlot reads and validates a slot.
func DecodeSlot(data []byte) (queue.Slot, error) {
	var w Slot
	if err := json.Unmarshal(data, &w); err != nil {
		return queue.Slot{}, app.Errorf(app.EINVALID, "fascia oraria non leggibile")
	}
	s := queue.Slot{ID: w.ID, Area: w.Area, Counter: w.Counter, Minutes: w.Minutes, Appointment: w.Appointment}
	var err error
	if s.Start, err = parseQueueTime(w.Start); err != nil {
		return s, err
	}
	return s, s.Validate()
}

// Appointment is an appointment on the wire (record queue.KindAppointment).
type Appointment struct {
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

// EncodeAppointment is the record of an appointment.
func EncodeAppointment(a queue.Appointment) []byte {
	b, _ := json.Marshal(Appointment{ID: a.ID, Slot: a.Slot, Area: a.Area, Counter: a.Counter, Start: formatTime(a.Start),
		CodiceFiscale: a.CodiceFiscale, Name: a.Name, Status: string(a.Status), Ticket: a.Ticket, Version: a.Version, BookedBy: a.BookedBy})
	return b
}

// DecodeAppointment reads an appointment.
func DecodeAppointment(data []byte) (queue.Appointment, error) {
	var w Appointment
	if err := json.Unmarshal(data, &w); err != nil || len(w.ID) != 36 {
		return queue.Appointment{}, app.Errorf(app.EINVALID, "appuntamento non leggibile")
	}
	a := queue.Appointment{ID: w.ID, Slot: w.Slot, Area: w.Area, Counter: w.Counter, CodiceFiscale: w.CodiceFiscale,
		Name: w.Name, Status: queue.AppointmentStatus(w.Status), Ticket: w.Ticket, Version: w.Version, BookedBy: w.BookedBy}
	var err error
	a.Start, err = parseQueueTime(w.Start)
	return a, err
}

// AppointmentChange is an appointment fact on the wire.
type AppointmentChange struct {
	Appointment   string `json:"appointment"`
	Action        string `json:"action"`
	Slot          string `json:"slot,omitempty"`
	CodiceFiscale string `json:"codice_fiscale,omitempty"`
	Name          string `json:"name,omitempty"`
	By            string `json:"by,omitempty"`
	ExpectVersion int    `json:"expect_version"`
	At            string `json:"at"`
}

// EncodeAppointmentChange is the fact of an appointment change.
func EncodeAppointmentChange(c queue.AppointmentChange) []byte {
	b, _ := json.Marshal(AppointmentChange{Appointment: c.Appointment, Action: string(c.Action), Slot: c.Slot,
		CodiceFiscale: c.CodiceFiscale, Name: c.Name, By: c.By, ExpectVersion: c.ExpectVersion, At: formatTime(c.At)})
	return b
}

// DecodeAppointmentChange reads and validates an appointment fact.
func DecodeAppointmentChange(data []byte) (queue.AppointmentChange, error) {
	var w AppointmentChange
	if err := strictJSON(data, &w); err != nil {
		return queue.AppointmentChange{}, err
	}
	c := queue.AppointmentChange{Appointment: w.Appointment, Action: queue.AppointmentAction(w.Action), Slot: w.Slot,
		CodiceFiscale: w.CodiceFiscale, Name: w.Name, By: w.By, ExpectVersion: w.ExpectVersion}
	var err error
	if c.At, err = parseQueueTime(w.At); err != nil {
		return c, err
	}
	return c, c.Validate()
}

// Notice is an act of the albo pretorio on the wire (record queue.KindNotice).
type Notice struct {
	Number   string `json:"number"`
	Title    string `json:"title"`
	Office   string `json:"office,omitempty"`
	Category string `json:"category,omitempty"`
	From     string `json:"from"`
	To       string `json:"to,omitempty"`
	Text     string `json:"text,omitempty"`
}

// EncodeNotice is the record of a notice.
func EncodeNotice(n kiosk.Notice) []byte {
	b, _ := json.Marshal(Notice{Number: n.Number, Title: n.Title, Office: n.Office, Category: n.Category,
		From: app.FormatDate(n.From), To: app.FormatDate(n.To), Text: n.Text})
	return b
}

// DecodeNotice reads and validates a notice.
func DecodeNotice(data []byte) (kiosk.Notice, error) {
	var w Notice
	if err := json.Unmarshal(data, &w); err != nil {
		return kiosk.Notice{}, app.Errorf(app.EINVALID, "avviso dell'albo non leggibile")
	}
	n := kiosk.Notice{Number: w.Number, Title: w.Title, Office: w.Office, Category: w.Category, Text: w.Text}
	var err error
	if n.From, err = app.ParseDate(w.From); err != nil {
		return n, err
	}
	if n.To, err = app.ParseDate(w.To); err != nil {
		return n, err
	}
	return n, n.Validate()
}

// Policy is the kiosk policy on the wire (record queue.KindKioskPolicy).
type Policy struct {
	Certificates []struct {
		Type string `json:"type"`
		Uses []struct {
			Label       string `json:"label"`
			LabelEN     string `json:"label_en,omitempty"`
			ExemptionID int    `json:"exemption"`
		} `json:"uses,omitempty"`
	} `json:"certificates"`
}

// DecodePolicy reads and validates a kiosk policy.
func DecodePolicy(data []byte) (kiosk.Policy, error) {
	var w Policy
	if err := json.Unmarshal(data, &w); err != nil {
		return kiosk.Policy{}, app.Errorf(app.EINVALID, "regole del chiosco non leggibili")
	}
	var p kiosk.Policy
	for _, c := range w.Certificates {
		a := kiosk.Allowed{Type: c.Type}
		for _, u := range c.Uses {
			a.Uses = append(a.Uses, kiosk.Use{Label: u.Label, LabelEN: u.LabelEN, ExemptionID: u.ExemptionID})
		}
		p.Certificates = append(p.Certificates, a)
	}
	return p, p.Validate()
}

// CallRequest asks the hub for the next ticket of a counter (POST
// /v1/queue/call). RequestID makes a repeated request get the same ticket.
type CallRequest struct {
	RequestID string   `json:"request_id"`
	Counter   string   `json:"counter"`
	Operator  string   `json:"operator"`
	Areas     []string `json:"areas,omitempty"`
}

// CallResponse is the ticket called, null when nobody waits.
type CallResponse struct {
	Ticket *Ticket `json:"ticket"`
}

// strictJSON decodes a fact, refusing unknown fields: a fact the hub does
// not fully understand is refused, not half applied.
func strictJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return app.Errorf(app.EINVALID, "dati non leggibili: %v", err)
	}
	return nil
}

// TicketsResponse lists tickets of past days (GET /v1/queue/tickets).
type TicketsResponse struct {
	Tickets []Ticket `json:"tickets"`
}

// parseQueueTime is parseTime for the queue's times, refusing one that
// would not come back once written in UTC (a year before 1 or after 9999
// there, from an offset at the edge of the calendar): the hub stores the
// tickets it reads, and one it could not read again would stop the
// comune's queue.
func parseQueueTime(s string) (time.Time, error) {
	t, err := parseTime(s)
	if err != nil {
		return t, err
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, app.Errorf(app.EINVALID, "ora non valida %q", s)
	}
	return t, nil
}
