package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
	"github.com/sportello/sportello/hub/storage"
)

// The queue at the hub. The hub numbers a comune's tickets per area and
// day, decides "call next" in a transaction (two counters never get the
// same ticket), applies the counters' events and the appointments, and
// publishes the day's tickets and the board to the comune's workstations
// as records. Its own table keeps every ticket for the statistics.

// PutAreas publishes the service areas of a comune.
func (d *DB) PutAreas(ctx context.Context, comune string, areas []queue.Area) error {
	recs := make([]app.Record, 0, len(areas))
	for _, a := range areas {
		if err := a.Validate(); err != nil {
			return err
		}
		recs = append(recs, queue.AreaRecord(a))
	}
	return d.PutRecords(ctx, comune, recs)
}

// PutSlots publishes bookable slots; a slot already booked keeps its
// appointment.
func (d *DB) PutSlots(ctx context.Context, comune string, slots []queue.Slot) error {
	return d.tx(ctx, func(tx *sql.Tx) error {
		recs := make([]app.Record, 0, len(slots))
		for _, s := range slots {
			if err := s.Validate(); err != nil {
				return err
			}
			if old, err := slotTx(ctx, tx, comune, s.ID); err == nil {
				s.Appointment = old.Appointment
			}
			recs = append(recs, queue.SlotRecord(s))
		}
		return d.PutRecordsTx(ctx, tx, comune, recs)
	})
}

// PublishNotice publishes an act of the albo pretorio to the comune's
// workstations and kiosks.
func (d *DB) PublishNotice(ctx context.Context, comune string, n kiosk.Notice) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return d.PutRecords(ctx, comune, []app.Record{{Kind: queue.KindNotice, Key: n.Number, Data: kiosk.EncodeNotice(n)}})
}

func slotTx(ctx context.Context, tx *sql.Tx, comune, id string) (queue.Slot, error) {
	r, err := RecordTx(ctx, tx, comune, queue.KindSlot, id)
	if err != nil {
		return queue.Slot{}, err
	}
	return queue.DecodeSlot(r.Data)
}

func areaTx(ctx context.Context, tx *sql.Tx, comune, code string) (queue.Area, error) {
	r, err := RecordTx(ctx, tx, comune, queue.KindArea, code)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return queue.Area{}, app.Errorf(app.EINVALID, "area %q sconosciuta nel comune %s", code, comune)
	}
	if err != nil {
		return queue.Area{}, err
	}
	return queue.DecodeArea(r.Data)
}

// applyTicket numbers a ticket issued at a kiosk or counter and puts it
// in the queue; a check-in also marks its appointment. The answer is the
// number and the estimate the ticket prints.
func (d *DB) applyTicket(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	t, err := queue.DecodeTicketFact(op.Data, dev.ID)
	if err != nil {
		return nil, err
	}
	now := d.now()
	area, err := areaTx(ctx, tx, dev.Comune, t.Area)
	if err != nil {
		return nil, err
	}
	if t.Appointment != "" {
		a, err := appointmentTx(ctx, tx, dev.Comune, t.Appointment)
		if err != nil {
			return nil, err
		}
		if a.CodiceFiscale != t.CodiceFiscale {
			return nil, app.Errorf(app.EFORBIDDEN, "l'appuntamento è di un'altra persona")
		}
		if err := queue.CanCheckIn(&a, t.IssuedAt); err != nil {
			return nil, err
		}
		a.Status, a.Ticket, a.Version = queue.CheckedIn, t.ID, a.Version+1
		t.Due, t.Area = a.Start, a.Area
		if err := d.PutRecordsTx(ctx, tx, dev.Comune, []app.Record{queue.AppointmentRecord(a)}); err != nil {
			return nil, err
		}
	}
	// The day is the hub's: a ticket issued offline yesterday and sent
	// today is history, not today's queue.
	t.Day = queue.Day(t.IssuedAt)
	if n, ok, err := priorTicketNumber(ctx, tx, dev.Comune, t, op.Prior); err != nil {
		return nil, err
	} else if ok {
		t.Number = n
	} else {
		var seq int
		if err := tx.QueryRowContext(ctx, `INSERT INTO queue_numbers (comune, day, area, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (comune, day, area) DO UPDATE SET last = queue_numbers.last + 1 RETURNING last`, dev.Comune, t.Day, t.Area).Scan(&seq); err != nil {
			return nil, fmt.Errorf("number ticket: %w", err)
		}
		t.Number = queue.HubNumber(t.Area, seq)
	}
	today, err := dayTickets(ctx, tx, dev.Comune, t.Day)
	if err != nil {
		return nil, err
	}
	t.Ahead = ahead(today, t, now)
	counters := map[string]bool{}
	for _, o := range today {
		if o.Area == t.Area && o.Counter != "" && now.Sub(o.CalledAt) < 30*time.Minute {
			counters[o.Counter] = true
		}
	}
	t.WaitMinutes = queue.Estimate(t.Ahead, queue.ServiceMinutes(today, t.Area, area.Minutes), len(counters))
	if err := d.saveTicket(ctx, tx, dev.Comune, t, "", true); err != nil {
		return nil, err
	}
	if err := d.publishQueue(ctx, tx, dev.Comune, t.Day, t); err != nil {
		return nil, err
	}
	return queue.EncodeTicketAnswer(t), nil
}

// priorTicketNumber gives a ticket sent again after a restore of the hub
// the number the hub had given it (prior, the hub's answer then), printed
// on the citizen's ticket, when no ticket of its day and area has it at
// the restored hub; the day's counter moves past it. Unlike protocol
// numbers, new tickets are not held while the comune is in recovery (a
// queue cannot wait for a workstation that may be gone): one may take the
// number of a ticket not sent again yet, which then gets the next.
func priorTicketNumber(ctx context.Context, tx *sql.Tx, comune string, t queue.Ticket, prior []byte) (string, bool, error) {
	if len(prior) == 0 {
		return "", false, nil
	}
	a, err := queue.DecodeTicketAnswer(prior)
	if err != nil {
		return "", false, nil // not an answer of ours: numbered as new
	}
	var seq int
	if _, err := fmt.Sscanf(strings.TrimPrefix(a.Number, t.Area), "%d", &seq); err != nil || seq < 1 ||
		queue.HubNumber(t.Area, seq) != a.Number {
		return "", false, nil
	}
	var restored string
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT restored_at, (SELECT count(*) FROM queue_tickets
		WHERE comune = ? AND day = ? AND area = ? AND json_extract(data, '$.number') = ?) FROM hub_state`,
		comune, t.Day, t.Area, a.Number).Scan(&restored, &taken); err != nil {
		return "", false, fmt.Errorf("prior ticket number: %w", err)
	}
	if restored == "" || taken > 0 {
		return "", false, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO queue_numbers (comune, day, area, last) VALUES (?, ?, ?, ?)
		ON CONFLICT (comune, day, area) DO UPDATE SET last = CASE WHEN queue_numbers.last > excluded.last THEN queue_numbers.last ELSE excluded.last END`, comune, t.Day, t.Area, seq); err != nil {
		return "", false, fmt.Errorf("prior ticket number: %w", err)
	}
	return a.Number, true, nil
}

// ahead counts the waiting tickets of t's area that will be called before t.
func ahead(today []queue.Ticket, t queue.Ticket, now time.Time) int {
	n := 0
	tc, tat := queue.Priority(&t, now)
	for i := range today {
		o := &today[i]
		if o.Status != queue.Waiting || o.Area != t.Area || o.ID == t.ID {
			continue
		}
		c, at := queue.Priority(o, now)
		if c < tc || (c == tc && !at.After(tat)) {
			n++
		}
	}
	return n
}

// applyQueueEvent applies a counter's action on a ticket, refusing a stale
// one (ECONFLICT): the workstation parks it with the reason.
func (d *DB) applyQueueEvent(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	e, err := queue.DecodeEvent(op.Data)
	if err != nil {
		return nil, err
	}
	t, err := ticketTx(ctx, tx, dev.Comune, e.Ticket)
	if err != nil {
		return nil, err
	}
	if e.Action == queue.ActionPrinted && t.Device != dev.ID {
		return nil, app.Errorf(app.EFORBIDDEN, "il biglietto %s è stato emesso da un'altra postazione", t.Number)
	}
	if e.Action == queue.ActionTransfer {
		if _, err := areaTx(ctx, tx, dev.Comune, e.ToArea); err != nil {
			return nil, err
		}
	}
	if e.Action == queue.ActionCall {
		if err := d.closeCounter(ctx, tx, dev.Comune, t.Day, e.Counter); err != nil {
			return nil, err
		}
	}
	nt, err := queue.Apply(t, e, d.now())
	if err != nil {
		return nil, err
	}
	if err := d.saveTicket(ctx, tx, dev.Comune, nt, "", false); err != nil {
		return nil, err
	}
	if err := d.publishQueue(ctx, tx, dev.Comune, nt.Day, nt); err != nil {
		return nil, err
	}
	return queue.EncodeTicket(nt), nil
}

// CallNext gives the counter the next ticket of the areas it serves (all
// when none), in one transaction: the ticket it was serving is closed as
// served, the next one by queue.Next is marked called at the counter and
// published to the board. A repeated request (same RequestID) gets the same
// ticket. nil when nobody waits.
func (d *DB) CallNext(ctx context.Context, dev *Device, req storage.Call) (*queue.Ticket, error) {
	if len(req.RequestID) != 36 || strings.TrimSpace(req.Counter) == "" || len(req.Counter) > 20 {
		return nil, app.Errorf(app.EINVALID, "chiamata senza identificativo o sportello")
	}
	var called *queue.Ticket
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var data string
		err := tx.QueryRowContext(ctx, `SELECT data FROM queue_tickets WHERE call_request = ? AND comune = ?`, req.RequestID, dev.Comune).Scan(&data)
		if err == nil {
			t, err := decodeTicket(data)
			if err != nil {
				return err
			}
			// A repeated request is the same call: from another counter
			// it is not a repeat but an identifier used twice.
			if t.Counter != req.Counter {
				return app.Errorf(app.EINVALID, "identificativo di chiamata già usato da un'altra chiamata")
			}
			called = &t
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := d.now()
		day := queue.Day(now)
		if err := d.closeCounter(ctx, tx, dev.Comune, day, req.Counter); err != nil {
			return err
		}
		today, err := dayTickets(ctx, tx, dev.Comune, day)
		if err != nil {
			return err
		}
		next := queue.Next(today, req.Areas, now)
		if next == nil {
			return d.publishQueue(ctx, tx, dev.Comune, day)
		}
		t, err := queue.Apply(*next, queue.Event{Ticket: next.ID, Action: queue.ActionCall, Counter: req.Counter, Operator: req.Operator, At: now}, now)
		if err != nil {
			return err
		}
		if err := d.saveTicket(ctx, tx, dev.Comune, t, req.RequestID, false); err != nil {
			return err
		}
		called = &t
		return d.publishQueue(ctx, tx, dev.Comune, day, t)
	})
	if err != nil {
		return nil, err
	}
	return called, nil
}

// closeCounter closes as served the ticket a counter was serving: calling
// the next one means the previous one is done.
func (d *DB) closeCounter(ctx context.Context, tx *sql.Tx, comune, day, counter string) error {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM queue_tickets WHERE comune = ? AND day = ? AND status = ? AND counter = ?`,
		comune, day, string(queue.Called), counter)
	if err != nil {
		return err
	}
	var open []queue.Ticket
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return err
		}
		t, err := decodeTicket(data)
		if err != nil {
			rows.Close()
			return err
		}
		open = append(open, t)
	}
	rows.Close()
	for _, t := range open {
		nt, err := queue.Apply(t, queue.Event{Ticket: t.ID, Action: queue.ActionServe, Counter: counter, At: d.now()}, d.now())
		if err != nil {
			return err
		}
		if err := d.saveTicket(ctx, tx, comune, nt, "", false); err != nil {
			return err
		}
		if err := d.PutRecordsTx(ctx, tx, comune, []app.Record{queue.TicketRecord(nt)}); err != nil {
			return err
		}
	}
	return rows.Err()
}

// applyAppointment books, moves or cancels an appointment; a slot already
// taken is refused (ECONFLICT), as is a change to an appointment that has
// changed meanwhile.
func (d *DB) applyAppointment(ctx context.Context, tx *sql.Tx, dev *Device, op app.Operation) ([]byte, error) {
	c, err := queue.DecodeAppointmentChange(op.Data)
	if err != nil {
		return nil, err
	}
	a, err := d.changeAppointment(ctx, tx, dev.Comune, c)
	if err != nil {
		return nil, err
	}
	return queue.EncodeAppointment(a), nil
}

// BookAppointment books a slot of comune for a citizen who asks on the
// comune's public pages, under the rules of a counter's or a kiosk's
// booking (changeAppointment): the slot must exist, be free and be still
// to come. Nothing is stored when it is refused.
func (d *DB) BookAppointment(ctx context.Context, comune string, c queue.AppointmentChange) (queue.Appointment, error) {
	if c.Action != queue.Book {
		return queue.Appointment{}, app.Errorf(app.EINVALID, "azione sconosciuta sull'appuntamento %q", c.Action)
	}
	if err := c.Validate(); err != nil {
		return queue.Appointment{}, err
	}
	var a queue.Appointment
	err := d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = d.changeAppointment(ctx, tx, comune, c)
		return err
	})
	return a, err
}

// changeAppointment applies a booking, a move or a cancellation of comune
// in the caller's transaction and returns the appointment as it becomes.
func (d *DB) changeAppointment(ctx context.Context, tx *sql.Tx, comune string, c queue.AppointmentChange) (queue.Appointment, error) {
	var recs []app.Record
	take := func(id, appt string) (queue.Slot, error) {
		s, err := slotTx(ctx, tx, comune, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return s, app.Errorf(app.EINVALID, "fascia oraria %s sconosciuta", id)
		}
		if err != nil {
			return s, err
		}
		if s.Appointment != "" && s.Appointment != appt {
			return s, app.Errorf(app.ECONFLICT, "la fascia delle %s è già prenotata: sceglierne un'altra", s.Start.In(app.Rome).Format("15:04 del 02/01"))
		}
		if !s.Start.After(d.now()) {
			return s, app.Errorf(app.EINVALID, "la fascia delle %s è già passata", s.Start.In(app.Rome).Format("15:04 del 02/01"))
		}
		s.Appointment = appt
		recs = append(recs, queue.SlotRecord(s))
		return s, nil
	}
	release := func(id string) error {
		s, err := slotTx(ctx, tx, comune, id)
		if err != nil {
			return err
		}
		s.Appointment = ""
		recs = append(recs, queue.SlotRecord(s))
		return nil
	}
	var a queue.Appointment
	var err error
	switch c.Action {
	case queue.Book:
		if _, err := appointmentTx(ctx, tx, comune, c.Appointment); err == nil {
			return queue.Appointment{}, app.Errorf(app.ECONFLICT, "appuntamento già registrato")
		}
		s, err := take(c.Slot, c.Appointment)
		if err != nil {
			return queue.Appointment{}, err
		}
		a = queue.Appointment{ID: c.Appointment, Slot: s.ID, Area: s.Area, Counter: s.Counter, Start: s.Start,
			CodiceFiscale: c.CodiceFiscale, Name: c.Name, Status: queue.Booked, Version: 1, BookedBy: c.By}
	case queue.Move, queue.Cancel:
		if a, err = appointmentTx(ctx, tx, comune, c.Appointment); err != nil {
			return queue.Appointment{}, err
		}
		if a.Status != queue.Booked {
			return queue.Appointment{}, app.Errorf(app.ECONFLICT, "l'appuntamento delle %s non è più prenotato", a.Start.In(app.Rome).Format("15:04 del 02/01"))
		}
		if a.Version != c.ExpectVersion {
			return queue.Appointment{}, app.Errorf(app.ECONFLICT, "l'appuntamento è cambiato nel frattempo: aggiornare i dati")
		}
		if c.Action == queue.Cancel {
			a.Status = queue.Cancelled
			if err := release(a.Slot); err != nil {
				return queue.Appointment{}, err
			}
		} else if c.Slot != a.Slot {
			s, err := take(c.Slot, a.ID)
			if err != nil {
				return queue.Appointment{}, err
			}
			if err := release(a.Slot); err != nil {
				return queue.Appointment{}, err
			}
			a.Slot, a.Area, a.Counter, a.Start = s.ID, s.Area, s.Counter, s.Start
		}
		a.Version++
	}
	recs = append(recs, queue.AppointmentRecord(a))
	if err := d.PutRecordsTx(ctx, tx, comune, recs); err != nil {
		return queue.Appointment{}, err
	}
	return a, nil
}

func appointmentTx(ctx context.Context, tx *sql.Tx, comune, id string) (queue.Appointment, error) {
	r, err := RecordTx(ctx, tx, comune, queue.KindAppointment, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return queue.Appointment{}, app.Errorf(app.ENOTFOUND, "appuntamento sconosciuto")
	}
	if err != nil {
		return queue.Appointment{}, err
	}
	return queue.DecodeAppointment(r.Data)
}

func decodeTicket(data string) (queue.Ticket, error) {
	return queue.DecodeTicket([]byte(data))
}

// saveTicket stores a ticket's state; a new one must not exist yet.
func (d *DB) saveTicket(ctx context.Context, tx *sql.Tx, comune string, t queue.Ticket, callRequest string, isNew bool) error {
	b := queue.EncodeTicket(t)
	var req any
	if callRequest != "" {
		req = callRequest
	}
	if isNew {
		_, err := tx.ExecContext(ctx, `INSERT INTO queue_tickets (id, comune, day, area, status, counter, data, call_request) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, comune, t.Day, t.Area, string(t.Status), t.Counter, string(b), req)
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return app.Errorf(app.ECONFLICT, "biglietto già registrato")
		}
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE queue_tickets SET area = ?, status = ?, counter = ?, data = ?, call_request = COALESCE(?, call_request) WHERE id = ?`,
		t.Area, string(t.Status), t.Counter, string(b), req, t.ID)
	return err
}

func ticketTx(ctx context.Context, tx *sql.Tx, comune, id string) (queue.Ticket, error) {
	var data string
	err := tx.QueryRowContext(ctx, `SELECT data FROM queue_tickets WHERE id = ? AND comune = ?`, id, comune).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return queue.Ticket{}, app.Errorf(app.ENOTFOUND, "biglietto sconosciuto")
	}
	if err != nil {
		return queue.Ticket{}, err
	}
	return decodeTicket(data)
}

func dayTickets(ctx context.Context, tx *sql.Tx, comune, day string) ([]queue.Ticket, error) {
	return queryTickets(ctx, tx, `SELECT data FROM queue_tickets WHERE comune = ? AND day = ? ORDER BY rowid`, comune, day)
}

type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

func queryTickets(ctx context.Context, q querier, query string, args ...any) ([]queue.Ticket, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []queue.Ticket
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		t, err := decodeTicket(data)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// publishQueue sends the comune's workstations the tickets that changed
// and the board, and drops the ticket records of the days before day, so
// that a workstation keeps one day of tickets however long it runs.
func (d *DB) publishQueue(ctx context.Context, tx *sql.Tx, comune, day string, changed ...queue.Ticket) error {
	if day != queue.Day(d.now()) {
		// An offline ticket of a past day: history only.
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.key FROM records r JOIN queue_tickets q ON q.id = r.key
		WHERE r.scope = ? AND r.kind = ? AND q.day < ?`, comune, queue.KindTicket, day)
	if err != nil {
		return err
	}
	var old []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		old = append(old, k)
	}
	rows.Close()
	for _, k := range old {
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE scope = ? AND kind = ? AND key = ?`, comune, queue.KindTicket, k); err != nil {
			return err
		}
		if _, err := appendChange(ctx, tx, comune, app.Change{Kind: queue.KindTicket, Key: k, Deleted: true, At: d.now()}); err != nil {
			return err
		}
	}
	recs := make([]app.Record, 0, len(changed)+1)
	for _, t := range changed {
		recs = append(recs, queue.TicketRecord(t))
	}
	today, err := dayTickets(ctx, tx, comune, day)
	if err != nil {
		return err
	}
	recs = append(recs, queue.StateRecord(queue.NewState(day, today)))
	return d.PutRecordsTx(ctx, tx, comune, recs)
}

// QueueTickets returns the tickets of a comune issued on the days from..to
// (inclusive, YYYY-MM-DD), for the statistics.
func (d *DB) QueueTickets(ctx context.Context, comune, from, to string) ([]queue.Ticket, error) {
	ts, err := queryTickets(ctx, d.db, `SELECT data FROM queue_tickets WHERE comune = ? AND day >= ? AND day <= ? ORDER BY day, rowid`, comune, from, to)
	if err != nil {
		return nil, fmt.Errorf("queue tickets %s: %w", comune, err)
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Day < ts[j].Day })
	return ts, nil
}
