package queue

import (
	"context"
	"time"

	"github.com/sportello/sportello/app"
)

// Local is the workstation's side of the queue (the store).
type Local interface {
	IssueTicket(ctx context.Context, t Ticket) (Ticket, error)
	IssuedTicket(ctx context.Context, id string) (t Ticket, answered bool, err error)
	MarkPrinted(ctx context.Context, t Ticket, at time.Time) error
	AppendQueueEvent(ctx context.Context, e Event) error
	AppendAppointmentChange(ctx context.Context, c AppointmentChange) error
	Areas(ctx context.Context) ([]Area, error)
	QueueTickets(ctx context.Context, day string) ([]Ticket, error)
	QueueState(ctx context.Context) (State, error)
	Slots(ctx context.Context, area string, from, to time.Time) ([]Slot, error)
	Appointments(ctx context.Context, codiceFiscale string) ([]Appointment, error)
	// AppointmentChangeState is where the latest change of an appointment
	// written here stands in the outbox: app.OpPending until the hub
	// answers, app.OpDone once it applied it, app.OpParked with the hub's
	// refusal (code and message) as the error.
	AppointmentChangeState(ctx context.Context, appointment string) (app.OpState, error)
}

// Hub is what the queue asks of the hub directly. Both return EOFFLINE
// when it cannot be reached.
//   - CallNext picks the next ticket for a counter in the hub's
//     transaction; nil when nobody waits.
//   - Push sends the outbox now, so that a ticket gets the hub's number
//     before it prints, and a booking its answer while the person waits.
//   - QueueTickets lists the comune's tickets of the days from..to
//     (YYYY-MM-DD) for the statistics.
type Hub interface {
	CallNext(ctx context.Context, requestID, counter, operator string, areas []string) (*Ticket, error)
	Push(ctx context.Context) error
	QueueTickets(ctx context.Context, from, to string) ([]Ticket, error)
}

// Service is the queue as the kiosk, the counter and the board use it on a
// workstation.
type Service struct {
	Local Local
	Hub   Hub // nil on a workstation without network
	NewID func() string
	Now   func() time.Time
	// PushWait bounds the wait for the hub's number before a ticket prints
	// with the device's own; 0 is 3 s.
	PushWait time.Duration
	Outboxed app.Outboxed // after a fact was written
}

// Issue issues a ticket of area, linked to codiceFiscale when the citizen
// identified ("" otherwise), and returns it as it must print: with the
// hub's number and estimate when the hub answered within PushWait, else
// with the device's own number and a local estimate (Ticket.Number differs
// from its Local only when the hub numbered it). Printed must follow once
// the ticket is on paper.
func (s *Service) Issue(ctx context.Context, area, codiceFiscale, appointment string) (Ticket, error) {
	areas, err := s.Local.Areas(ctx)
	if err != nil {
		return Ticket{}, err
	}
	var ar *Area
	for i := range areas {
		if areas[i].Code == area {
			ar = &areas[i]
		}
	}
	if ar == nil {
		return Ticket{}, app.Errorf(app.EINVALID, "area %q sconosciuta", area)
	}
	now := s.Now()
	t, err := s.Local.IssueTicket(ctx, Ticket{ID: s.NewID(), Area: area, CodiceFiscale: codiceFiscale, Appointment: appointment, IssuedAt: now})
	if err != nil {
		return Ticket{}, err
	}
	if s.Hub != nil {
		pctx, cancel := context.WithTimeout(ctx, s.pushWait())
		_ = s.Hub.Push(pctx) // offline is normal: the ticket prints with the device's number
		cancel()
	}
	got, answered, err := s.Local.IssuedTicket(ctx, t.ID)
	if err != nil {
		return Ticket{}, err
	}
	if answered {
		t.Number, t.Ahead, t.WaitMinutes = got.Number, got.Ahead, got.WaitMinutes
	} else {
		t.Number = t.Local
		tickets, err := s.Local.QueueTickets(ctx, Day(now))
		if err != nil {
			return Ticket{}, err
		}
		for _, o := range tickets {
			if o.Area == area && o.Status == Waiting {
				t.Ahead++
			}
		}
		t.WaitMinutes = Estimate(t.Ahead, ServiceMinutes(tickets, area, ar.Minutes), 1)
	}
	s.Outboxed.Notify()
	return t, nil
}

// Printed records that t went on paper with t.Number; a number the hub
// does not know yet goes to it, so that the board calls what the citizen
// holds.
func (s *Service) Printed(ctx context.Context, t Ticket) error {
	if err := s.Local.MarkPrinted(ctx, t, s.Now()); err != nil {
		return err
	}
	s.Outboxed.Notify()
	return nil
}

// CheckIn checks a booked citizen in: the ticket of today's appointment,
// called at its time ahead of walk-ins. ENOTFOUND without an appointment
// today.
func (s *Service) CheckIn(ctx context.Context, codiceFiscale string) (Ticket, Appointment, error) {
	as, err := s.Local.Appointments(ctx, codiceFiscale)
	if err != nil {
		return Ticket{}, Appointment{}, err
	}
	now := s.Now()
	var last error = app.Errorf(app.ENOTFOUND, "nessun appuntamento per oggi")
	for _, a := range as {
		if Day(a.Start) != Day(now) {
			continue
		}
		if err := CanCheckIn(&a, now); err != nil {
			last = err
			continue
		}
		t, err := s.Issue(ctx, a.Area, codiceFiscale, a.ID)
		if err != nil {
			return Ticket{}, a, err
		}
		t.Due = a.Start
		return t, a, nil
	}
	return Ticket{}, Appointment{}, last
}

// CallNext calls the counter's next ticket of areas (all when none): the
// hub decides when it can be reached; offline the counter picks from its
// cache and the hub checks the call when it arrives, refusing it if
// another counter called the ticket meanwhile. nil when nobody waits.
func (s *Service) CallNext(ctx context.Context, operator, counter string, areas []string) (*Ticket, error) {
	if s.Hub != nil {
		t, err := s.Hub.CallNext(ctx, s.NewID(), counter, operator, areas)
		if app.ErrorCode(err) != app.EOFFLINE {
			return t, err
		}
	}
	now := s.Now()
	tickets, err := s.Local.QueueTickets(ctx, Day(now))
	if err != nil {
		return nil, err
	}
	next := Next(tickets, areas, now)
	if next == nil {
		return nil, nil
	}
	e := Event{Ticket: next.ID, Number: next.Number, Action: ActionCall, Counter: counter, Operator: operator,
		ExpectStatus: Waiting, ExpectVersion: next.Version, At: now}
	t, err := Apply(*next, e, now)
	if err != nil {
		return nil, err
	}
	if err := s.Local.AppendQueueEvent(ctx, e); err != nil {
		return nil, err
	}
	s.Outboxed.Notify()
	return &t, nil
}

// Act does a to the ticket t called at counter (recall, skip, serve, or
// transfer to toArea), through the outbox, and returns the ticket as it
// becomes. The event expects t as the counter has it: a stale one is
// refused by the hub.
func (s *Service) Act(ctx context.Context, operator, counter string, t Ticket, a Action, toArea string) (Ticket, error) {
	now := s.Now()
	e := Event{Ticket: t.ID, Number: t.Number, Action: a, Counter: counter, Operator: operator, ToArea: toArea,
		ExpectStatus: t.Status, ExpectVersion: t.Version, At: now}
	if err := e.Validate(); err != nil {
		return t, err
	}
	nt, err := Apply(t, e, now)
	if err != nil {
		return t, err
	}
	if err := s.Local.AppendQueueEvent(ctx, e); err != nil {
		return t, err
	}
	s.Outboxed.Notify()
	return nt, nil
}

// Booking is the outcome of a booking, a move or a cancellation as the
// person at the counter or the kiosk is told it: Confirmed when the hub
// applied it while they waited; otherwise it is in the outbox and goes to
// the hub when the network is back (a refusal then is parked with its
// reason for the operator).
type Booking struct {
	Appointment string
	Confirmed   bool
}

// Book books slot for a citizen, through the outbox, and waits up to
// PushWait for the hub: a slot taken meanwhile is refused there (ECONFLICT
// with the hub's message), and the person hears it at once.
func (s *Service) Book(ctx context.Context, by, slot, codiceFiscale, name string) (Booking, error) {
	return s.change(ctx, AppointmentChange{Appointment: s.NewID(), Action: Book, Slot: slot, CodiceFiscale: codiceFiscale, Name: name, By: by, At: s.Now()})
}

// Move moves an appointment to another slot of its area.
func (s *Service) Move(ctx context.Context, by string, a Appointment, slot string) (Booking, error) {
	if a.Status != Booked {
		return Booking{}, app.Errorf(app.ECONFLICT, "l'appuntamento delle %s non è più prenotato", a.Start.In(app.Rome).Format("15:04 del 02/01"))
	}
	if slot == a.Slot {
		return Booking{}, app.Errorf(app.EINVALID, "scegliere una fascia diversa da quella prenotata")
	}
	return s.change(ctx, AppointmentChange{Appointment: a.ID, Action: Move, Slot: slot, By: by, ExpectVersion: a.Version, At: s.Now()})
}

// Cancel cancels an appointment, freeing its slot.
func (s *Service) Cancel(ctx context.Context, by string, a Appointment) (Booking, error) {
	if a.Status != Booked {
		return Booking{}, app.Errorf(app.ECONFLICT, "l'appuntamento delle %s non è più prenotato", a.Start.In(app.Rome).Format("15:04 del 02/01"))
	}
	return s.change(ctx, AppointmentChange{Appointment: a.ID, Action: Cancel, By: by, ExpectVersion: a.Version, At: s.Now()})
}

func (s *Service) change(ctx context.Context, c AppointmentChange) (Booking, error) {
	if err := s.Local.AppendAppointmentChange(ctx, c); err != nil {
		return Booking{}, err
	}
	b := Booking{Appointment: c.Appointment}
	if s.Hub != nil {
		pctx, cancel := context.WithTimeout(ctx, s.pushWait())
		_ = s.Hub.Push(pctx) // offline is normal: the change waits in the outbox
		cancel()
		st, err := s.Local.AppointmentChangeState(ctx, c.Appointment)
		if err != nil {
			return b, err
		}
		b.Confirmed = st == app.OpDone
	}
	s.Outboxed.Notify()
	return b, nil
}

func (s *Service) pushWait() time.Duration {
	if s.PushWait == 0 {
		return 3 * time.Second
	}
	return s.PushWait
}

// Appointments are a person's appointments, by time, as the hub last
// confirmed them.
func (s *Service) Appointments(ctx context.Context, codiceFiscale string) ([]Appointment, error) {
	return s.Local.Appointments(ctx, codiceFiscale)
}

// BookableAreas are the areas with a free slot from now for days days.
func (s *Service) BookableAreas(ctx context.Context, days int) ([]Area, error) {
	areas, err := s.Local.Areas(ctx)
	if err != nil {
		return nil, err
	}
	free, err := s.FreeSlots(ctx, "", days)
	if err != nil {
		return nil, err
	}
	has := map[string]bool{}
	for _, sl := range free {
		has[sl.Area] = true
	}
	out := areas[:0]
	for _, a := range areas {
		if has[a.Code] {
			out = append(out, a)
		}
	}
	return out, nil
}

// Stats are the waiting and serving times per area and hour of the days
// from..to (YYYY-MM-DD), from the hub: it alone has every counter's
// tickets. EOFFLINE without it.
func (s *Service) Stats(ctx context.Context, from, to string) ([]StatRow, error) {
	for _, d := range []string{from, to} {
		if _, err := app.ParseDate(d); err != nil || d == "" {
			return nil, app.Errorf(app.EINVALID, "data non valida %q: usare AAAA-MM-GG", d)
		}
	}
	if from > to {
		return nil, app.Errorf(app.EINVALID, "la data iniziale %s viene dopo quella finale %s", from, to)
	}
	if s.Hub == nil {
		return nil, app.Errorf(app.EOFFLINE, "statistiche non disponibili senza collegamento all'hub")
	}
	tickets, err := s.Hub.QueueTickets(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return Stats(tickets), nil
}

// Areas are the comune's service areas.
func (s *Service) Areas(ctx context.Context) ([]Area, error) { return s.Local.Areas(ctx) }

// Board is the display board's state.
func (s *Service) Board(ctx context.Context) (State, error) { return s.Local.QueueState(ctx) }

// FreeSlots are the free slots of an area from now for days days.
func (s *Service) FreeSlots(ctx context.Context, area string, days int) ([]Slot, error) {
	now := s.Now()
	all, err := s.Local.Slots(ctx, area, now, now.AddDate(0, 0, days))
	if err != nil {
		return nil, err
	}
	var free []Slot
	for _, sl := range all {
		if sl.Appointment == "" {
			free = append(free, sl)
		}
	}
	return free, nil
}
