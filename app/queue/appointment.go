package queue

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Slot is a bookable time of a service area at a counter: identity cards,
// passports, residence changes are served by appointment.
type Slot struct {
	ID      string // "A-2026-05-12T09:00-1": area, local start, counter
	Area    string
	Counter string
	Start   time.Time
	Minutes int
	// Appointment is the appointment booked in the slot, "" when free.
	Appointment string
}

// SlotID names the slot of area at counter starting at start.
func SlotID(area, counter string, start time.Time) string {
	return fmt.Sprintf("%s-%s-%s", area, start.In(app.Rome).Format("2006-01-02T15:04"), counter)
}

// Validate checks a slot's shape.
func (s *Slot) Validate() error {
	switch {
	case s.ID == "" || len(s.ID) > 60:
		return app.Errorf(app.EINVALID, "fascia oraria senza identificativo")
	case !areaCodeRE.MatchString(s.Area) || strings.TrimSpace(s.Counter) == "":
		return app.Errorf(app.EINVALID, "fascia %s: area o sportello non validi", s.ID)
	case s.Start.IsZero() || s.Minutes <= 0 || s.Minutes > 240:
		return app.Errorf(app.EINVALID, "fascia %s: ora o durata non valide", s.ID)
	}
	return nil
}

// Slots makes the slots of area at counter on day from the opening hours
// ("09:00-12:30"), one every minutes.
func Slots(area, counter string, day time.Time, hours string, minutes int) ([]Slot, error) {
	from, to, ok := strings.Cut(hours, "-")
	if !ok || minutes <= 0 {
		return nil, app.Errorf(app.EINVALID, "orario %q non valido: ad esempio 09:00-12:30", hours)
	}
	y, m, d := day.In(app.Rome).Date()
	at := func(hm string) (time.Time, error) {
		t, err := time.Parse("15:04", strings.TrimSpace(hm))
		if err != nil {
			return time.Time{}, app.Errorf(app.EINVALID, "orario %q non valido: ad esempio 09:00-12:30", hours)
		}
		return time.Date(y, m, d, t.Hour(), t.Minute(), 0, 0, app.Rome), nil
	}
	start, err := at(from)
	if err != nil {
		return nil, err
	}
	end, err := at(to)
	if err != nil {
		return nil, err
	}
	var out []Slot
	for t := start; !t.Add(time.Duration(minutes) * time.Minute).After(end); t = t.Add(time.Duration(minutes) * time.Minute) {
		out = append(out, Slot{ID: SlotID(area, counter, t), Area: area, Counter: counter, Start: t.UTC(), Minutes: minutes})
	}
	return out, nil
}

// AppointmentStatus is where an appointment stands.
type AppointmentStatus string

// The states of an appointment.
const (
	Booked    AppointmentStatus = "booked"
	Cancelled AppointmentStatus = "cancelled"
	CheckedIn AppointmentStatus = "checked_in"
)

// Appointment is a citizen's booking of a slot.
type Appointment struct {
	ID            string // UUID
	Slot          string
	Area          string
	Counter       string
	Start         time.Time
	CodiceFiscale string
	Name          string // as the counter calls the person
	Status        AppointmentStatus
	Ticket        string // the ticket of the check-in
	Version       int
	BookedBy      string // operator, or "chiosco:DEVICE"
}

// AppointmentAction is what is done to an appointment.
type AppointmentAction string

// The actions of an appointment fact. A check-in is a ticket fact with the
// appointment: the ticket is what the citizen holds.
const (
	Book   AppointmentAction = "booked"
	Move   AppointmentAction = "moved"
	Cancel AppointmentAction = "cancelled"
)

// AppointmentChange is a booking, a move or a cancellation, sent through
// the outbox; the hub refuses a slot already taken (ECONFLICT).
type AppointmentChange struct {
	Appointment   string // UUID; for Book, the new appointment's
	Action        AppointmentAction
	Slot          string // Book, Move: the slot wanted
	CodiceFiscale string // Book
	Name          string // Book
	By            string
	ExpectVersion int // Move, Cancel
	At            time.Time
}

// Validate checks the change's shape.
func (c *AppointmentChange) Validate() error {
	switch {
	case len(c.Appointment) != 36:
		return app.Errorf(app.EINVALID, "appuntamento senza identificativo")
	case c.At.IsZero():
		return app.Errorf(app.EINVALID, "appuntamento senza ora della richiesta")
	}
	switch c.Action {
	case Book:
		if len(c.CodiceFiscale) != 16 {
			return app.Errorf(app.EINVALID, "appuntamento senza codice fiscale")
		}
		fallthrough
	case Move:
		if c.Slot == "" {
			return app.Errorf(app.EINVALID, "appuntamento senza fascia oraria")
		}
	case Cancel:
	default:
		return app.Errorf(app.EINVALID, "azione sconosciuta sull'appuntamento %q", c.Action)
	}
	return nil
}

// CheckInWindow is how early and how late a booked citizen may check in.
const (
	CheckInEarly = 60 * time.Minute
	CheckInLate  = 30 * time.Minute
)

// CanCheckIn reports whether a is booked and within its check-in window.
func CanCheckIn(a *Appointment, now time.Time) error {
	switch {
	case a.Status == CheckedIn:
		return app.Errorf(app.ECONFLICT, "l'appuntamento delle %s è già stato registrato", a.Start.In(app.Rome).Format("15:04"))
	case a.Status != Booked:
		return app.Errorf(app.EINVALID, "l'appuntamento è stato annullato")
	case now.Before(a.Start.Add(-CheckInEarly)):
		return app.Errorf(app.EINVALID, "l'appuntamento è alle %s del %s: presentarsi al massimo un'ora prima", a.Start.In(app.Rome).Format("15:04"), a.Start.In(app.Rome).Format("02/01/2006"))
	case now.After(a.Start.Add(CheckInLate)):
		return app.Errorf(app.EINVALID, "l'appuntamento delle %s è scaduto: rivolgersi allo sportello", a.Start.In(app.Rome).Format("15:04"))
	}
	return nil
}

// BookingDays is how far ahead a citizen books, at the counter, at the
// kiosk and on the comune's public pages alike.
const BookingDays = 14

// Free are the slots among slots that a citizen may book at now: not
// booked, not started, within BookingDays; in time order.
func Free(slots []Slot, now time.Time) []Slot {
	var out []Slot
	until := now.AddDate(0, 0, BookingDays)
	for _, s := range slots {
		if s.Appointment == "" && s.Start.After(now) && s.Start.Before(until) {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}
