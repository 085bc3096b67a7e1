// Package queue is the comune's queue management (eliminacode): service
// areas, tickets and their numbers, the calls of the counters, booked
// appointments and the statistics a supervisor reads. It is domain only:
// the hub decides who is called next when it can be reached (sqlstore), the
// workstation keeps the tickets it issued and the events of its counter
// in its outbox (store), and the kiosk, the counter and the display board
// show them (ui).
//
// Numbers. Online, the hub numbers a comune's tickets per area and per
// day: "A017". A kiosk or counter that cannot reach the hub keeps issuing
// with its own prefix, so that two offline devices never print the same
// number: "A-W2-017" (area, device, the device's own count of the day).
package queue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// BoardKinds are the record kinds a display board holds: its screen shows
// the areas and the calls, nothing of any person.
var BoardKinds = []string{KindArea, KindState}

// Record kinds the hub publishes to the comune's workstations, and fact
// kinds the workstations send.
const (
	KindArea        = "area"         // a service area
	KindTicket      = "queue_ticket" // a ticket of the day, as the hub sees it
	KindState       = "queue_state"  // the board: last calls, people waiting
	KindSlot        = "slot"         // a bookable appointment slot
	KindAppointment = "appointment"  // a booked appointment
	KindNotice      = "notice_albo"  // an act or notice of the albo pretorio
	KindKioskPolicy = "kiosk_policy" // what the comune's kiosks may print

	FactTicket      = "ticket"
	FactEvent       = "queue_event"
	FactAppointment = "appointment"

	// StateKey is the key of the comune's one queue_state record.
	StateKey = "board"
)

// Day is the calendar day of t in the comune: "2026-05-12".
func Day(t time.Time) string { return t.In(app.Rome).Format(app.DateLayout) }

// Area is a service area of the comune: anagrafe, tributi, scuola… Its
// letter starts the numbers of its tickets.
type Area struct {
	Code   string // one capital letter: "A"
	Name   string // "Anagrafe"
	NameEN string // "Registry office"
	// Minutes is the usual length of one service, for the estimated wait
	// until the day has served enough tickets to measure it.
	Minutes int
	// Kiosk reports whether citizens may take its tickets at the kiosk.
	Kiosk bool
}

var areaCodeRE = regexp.MustCompile(`^[A-Z]$`)

// Validate checks an area as it crosses a boundary.
func (a *Area) Validate() error {
	switch {
	case !areaCodeRE.MatchString(a.Code):
		return app.Errorf(app.EINVALID, "area %q: il codice è una lettera maiuscola", a.Code)
	case strings.TrimSpace(a.Name) == "" || len(a.Name) > 60:
		return app.Errorf(app.EINVALID, "area %s senza nome", a.Code)
	case a.Minutes < 0 || a.Minutes > 240:
		return app.Errorf(app.EINVALID, "area %s: durata del servizio non valida", a.Code)
	}
	return nil
}

// Status is where a ticket stands.
type Status string

// The states of a ticket. A called ticket is at a counter until it is
// served, skipped (the person did not come) or transferred, which puts it
// back among the waiting of another area, in its original place.
const (
	Waiting Status = "waiting"
	Called  Status = "called"
	Served  Status = "served"
	Skipped Status = "skipped"
)

// Ticket is a queue ticket.
type Ticket struct {
	ID     string // UUID of the ticket fact
	Number string // as printed and called: "A017", or offline "A-W2-017"
	Local  string // the device's own number, printed when the hub was not reached
	Area   string
	Day    string
	Device string // where it was issued
	// CodiceFiscale links the ticket to the citizen identified at the
	// kiosk: calling it opens the file at the counter. "" for anonymous.
	CodiceFiscale string
	// Appointment is the booked appointment the citizen checked in for;
	// Due is its time: the ticket is called then, ahead of walk-ins.
	Appointment string
	Due         time.Time
	IssuedAt    time.Time
	Status      Status
	Counter     string // the counter that called it: "3"
	Operator    string
	CalledAt    time.Time
	DoneAt      time.Time // served or skipped
	Recalls     int
	// Version counts the ticket's changes at the hub: an event states the
	// version it expects, so a stale one is refused.
	Version int
	// Ahead and WaitMinutes are the estimate printed on the ticket.
	Ahead       int
	WaitMinutes int
}

// Validate checks a ticket's shape.
func (t *Ticket) Validate() error {
	switch {
	case len(t.ID) != 36:
		return app.Errorf(app.EINVALID, "biglietto senza identificativo")
	case !areaCodeRE.MatchString(t.Area):
		return app.Errorf(app.EINVALID, "biglietto %s: area non valida %q", t.Number, t.Area)
	case t.IssuedAt.IsZero():
		return app.Errorf(app.EINVALID, "biglietto %s senza ora di emissione", t.Number)
	case t.CodiceFiscale != "" && len(t.CodiceFiscale) != 16:
		return app.Errorf(app.EINVALID, "biglietto %s: codice fiscale non valido", t.Number)
	}
	switch t.Status {
	case Waiting, Called, Served, Skipped:
	default:
		return app.Errorf(app.EINVALID, "biglietto %s: stato sconosciuto %q", t.Number, t.Status)
	}
	return nil
}

// HubNumber is the number the hub gives the seq-th ticket of an area in a
// day: "A017". Past 999 it grows: "A1000".
func HubNumber(area string, seq int) string { return fmt.Sprintf("%s%03d", area, seq) }

// LocalNumber is the number a device gives its seq-th ticket of an area in
// a day when it cannot reach the hub: "A-W2-017".
func LocalNumber(area, device string, seq int) string {
	return fmt.Sprintf("%s-%s-%03d", area, DevicePrefix(device), seq)
}

// DevicePrefix is the short name of a device in offline numbers: "W2" for
// "I690-W002". Devices of a comune have distinct numbers, so distinct
// prefixes.
func DevicePrefix(device string) string {
	_, short, ok := strings.Cut(device, "-")
	if !ok {
		short = device
	}
	letters := strings.TrimRightFunc(short, func(r rune) bool { return r >= '0' && r <= '9' })
	n, err := strconv.Atoi(short[len(letters):])
	if err != nil {
		return short
	}
	return letters + strconv.Itoa(n)
}

// Action is what a counter does with a ticket.
type Action string

// The actions of a queue event.
const (
	ActionCall     Action = "called"      // decided offline by the counter: the hub checks it was still waiting
	ActionRecall   Action = "recalled"    // the board calls it again
	ActionSkip     Action = "skipped"     // the person did not come
	ActionTransfer Action = "transferred" // to another area, keeping its place
	ActionServe    Action = "served"      // done
	ActionPrinted  Action = "printed"     // the kiosk printed its offline number: that is the number called
)

// Event is a counter's (or a kiosk's) action on a ticket, sent through the
// outbox. It carries what it expects the ticket to be, so that a stale one
// is refused: two counters must never call the same ticket.
type Event struct {
	Ticket   string // ticket ID
	Number   string // for messages, and the printed number of ActionPrinted
	Action   Action
	Counter  string
	Operator string
	ToArea   string // ActionTransfer
	// ExpectStatus and ExpectVersion are the state the counter saw; the
	// hub refuses the event (ECONFLICT) when the ticket has moved on.
	ExpectStatus  Status
	ExpectVersion int
	At            time.Time
}

// Validate checks an event's shape.
func (e *Event) Validate() error {
	switch {
	case len(e.Ticket) != 36:
		return app.Errorf(app.EINVALID, "evento della coda senza biglietto")
	case e.At.IsZero():
		return app.Errorf(app.EINVALID, "evento della coda senza ora")
	}
	switch e.Action {
	case ActionPrinted:
		if e.Number == "" {
			return app.Errorf(app.EINVALID, "evento di stampa senza numero")
		}
		return nil
	case ActionCall, ActionRecall, ActionSkip, ActionServe:
	case ActionTransfer:
		if !areaCodeRE.MatchString(e.ToArea) {
			return app.Errorf(app.EINVALID, "trasferimento senza area di destinazione")
		}
	default:
		return app.Errorf(app.EINVALID, "azione della coda sconosciuta %q", e.Action)
	}
	if strings.TrimSpace(e.Counter) == "" {
		return app.Errorf(app.EINVALID, "evento della coda senza sportello")
	}
	return nil
}

// Apply checks that e may happen to t and returns t as it becomes: the
// one rule the hub applies to every event and the counter to its own view
// of the ticket. ECONFLICT, with a message for the operator, when t is no
// longer what e expected or the action does not fit its state.
func Apply(t Ticket, e Event, now time.Time) (Ticket, error) {
	if e.Action == ActionPrinted {
		t.Number = e.Number
		t.Version++
		return t, nil
	}
	if e.ExpectStatus != "" && (t.Status != e.ExpectStatus || t.Version != e.ExpectVersion) {
		return t, stale(t)
	}
	switch e.Action {
	case ActionCall:
		if t.Status != Waiting {
			return t, stale(t)
		}
		t.Status, t.Counter, t.Operator, t.CalledAt = Called, e.Counter, e.Operator, now
	case ActionRecall, ActionSkip, ActionServe, ActionTransfer:
		if t.Status != Called || t.Counter != e.Counter {
			return t, stale(t)
		}
		switch e.Action {
		case ActionRecall:
			t.Recalls++
			t.CalledAt = now
		case ActionSkip:
			t.Status, t.DoneAt = Skipped, now
		case ActionServe:
			t.Status, t.DoneAt = Served, now
		case ActionTransfer:
			t.Status, t.Area, t.Counter, t.Operator, t.CalledAt = Waiting, e.ToArea, "", "", time.Time{}
		}
	}
	t.Version++
	return t, nil
}

func stale(t Ticket) error {
	switch t.Status {
	case Called:
		return app.Errorf(app.ECONFLICT, "il biglietto %s è già stato chiamato allo sportello %s", t.Number, t.Counter)
	case Served:
		return app.Errorf(app.ECONFLICT, "il biglietto %s è già stato servito", t.Number)
	case Skipped:
		return app.Errorf(app.ECONFLICT, "il biglietto %s è già stato chiuso come assente", t.Number)
	}
	return app.Errorf(app.ECONFLICT, "il biglietto %s è cambiato nel frattempo: aggiornare la coda", t.Number)
}

// Priority orders the waiting tickets for "call next": booked appointments
// whose time has come first, by their time; then walk-ins in the order
// they were issued; then appointments not yet due (checked in early), by
// their time, so that a counter with nobody else waiting serves them.
// Lower is sooner; order breaks ties within a class.
func Priority(t *Ticket, now time.Time) (class int, at time.Time) {
	switch {
	case t.Appointment != "" && !t.Due.After(now):
		return 0, t.Due
	case t.Appointment == "":
		return 1, t.IssuedAt
	}
	return 2, t.Due
}

// Next picks the ticket to call among waiting for a counter serving areas
// (all areas when none): the one of lowest Priority, ties broken by the
// order of waiting (the hub's order of arrival). nil when nobody waits.
func Next(waiting []Ticket, areas []string, now time.Time) *Ticket {
	var best *Ticket
	var bc int
	var bt time.Time
	for i := range waiting {
		t := &waiting[i]
		if t.Status != Waiting || (len(areas) > 0 && !contains(areas, t.Area)) {
			continue
		}
		c, at := Priority(t, now)
		if best == nil || c < bc || (c == bc && at.Before(bt)) {
			best, bc, bt = t, c, at
		}
	}
	return best
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Estimate is the wait printed on a ticket: the people of the area ahead
// of it times the area's service time (measured when the day has served
// some, else the area's usual minutes), shared among the counters serving
// the area (at least one).
func Estimate(ahead int, serviceMinutes float64, counters int) int {
	if ahead <= 0 {
		return 0
	}
	counters = max(counters, 1)
	m := float64(ahead) * serviceMinutes / float64(counters)
	return int(m + 0.5)
}

// ServiceMinutes is the mean length of the services of the tickets served
// in an area so far, or def when fewer than three were.
func ServiceMinutes(tickets []Ticket, area string, def int) float64 {
	var sum time.Duration
	n := 0
	for _, t := range tickets {
		if t.Area == area && t.Status == Served && !t.CalledAt.IsZero() && t.DoneAt.After(t.CalledAt) {
			sum += t.DoneAt.Sub(t.CalledAt)
			n++
		}
	}
	if n < 3 {
		return float64(def)
	}
	return sum.Minutes() / float64(n)
}

// Call is a line of the display board: a ticket called at a counter.
type Call struct {
	Number  string
	Counter string
	Area    string
	At      time.Time
}

// State is what the display board shows and the kiosk prints with a
// ticket: the last calls, newest first, and the people waiting per area.
type State struct {
	Day     string
	Calls   []Call
	Waiting map[string]int
}

// BoardCalls is how many calls the board keeps.
const BoardCalls = 8

// NewState derives the board from the day's tickets.
func NewState(day string, tickets []Ticket) State {
	st := State{Day: day, Waiting: map[string]int{}}
	for _, t := range tickets {
		switch {
		case t.Status == Waiting:
			st.Waiting[t.Area]++
		case !t.CalledAt.IsZero():
			st.Calls = append(st.Calls, Call{Number: t.Number, Counter: t.Counter, Area: t.Area, At: t.CalledAt})
		}
	}
	sortCalls(st.Calls)
	if len(st.Calls) > BoardCalls {
		st.Calls = st.Calls[:BoardCalls]
	}
	return st
}

func sortCalls(c []Call) {
	for i := 1; i < len(c); i++ {
		for j := i; j > 0 && c[j].At.After(c[j-1].At); j-- {
			c[j], c[j-1] = c[j-1], c[j]
		}
	}
}
