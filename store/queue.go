package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// The queue on the workstation: the tickets it issued with their numbers,
// the facts of its counter, and the queue's records as the hub sent them
// (areas, the day's tickets, the board, slots, appointments, the albo).
// The JSON of facts and records is the queue's own (app/queue, app/kiosk),
// the same bytes the hub reads.

var _ kiosk.Attempts = (*Store)(nil)

// IssueTicket writes a new ticket and the fact that carries it to the hub,
// in one transaction, giving it the device's own number of the day for its
// area ("A-W2-017"): the number printed if the hub does not answer in time.
func (s *Store) IssueTicket(ctx context.Context, t queue.Ticket) (queue.Ticket, error) {
	t.Day = queue.Day(t.IssuedAt)
	t.Status = queue.Waiting
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		t.Device = device
		var seq int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(local_seq), 0) + 1 FROM queue_issued WHERE day = ? AND area = ?`, t.Day, t.Area).Scan(&seq); err != nil {
			return err
		}
		t.Local = queue.LocalNumber(t.Area, device, seq)
		t.Number = t.Local
		if err := t.Validate(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO queue_issued (id, day, area, local_seq, local, codice_fiscale, appointment, issued_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.ID, t.Day, t.Area, seq, t.Local, t.CodiceFiscale, t.Appointment, formatTime(t.IssuedAt)); err != nil {
			return err
		}
		return insertOpData(ctx, tx, device, queue.FactTicket, queue.EncodeTicketFact(t), t.IssuedAt)
	})
	if err != nil {
		if app.ErrorCode(err) != app.EINTERNAL {
			return t, err
		}
		return t, fmt.Errorf("issue ticket: %w", err)
	}
	return t, nil
}

// IssuedTicket returns a ticket this workstation issued: Number is the
// hub's once it answered, the local number before. ENOTFOUND otherwise.
func (s *Store) IssuedTicket(ctx context.Context, id string) (queue.Ticket, bool, error) {
	t := queue.Ticket{ID: id, Status: queue.Waiting}
	var number, issued string
	err := s.db.QueryRowContext(ctx, `SELECT day, area, local, number, ahead, wait_minutes, codice_fiscale, appointment, issued_at
		FROM queue_issued WHERE id = ?`, id).Scan(&t.Day, &t.Area, &t.Local, &number, &t.Ahead, &t.WaitMinutes, &t.CodiceFiscale, &t.Appointment, &issued)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, app.Errorf(app.ENOTFOUND, "biglietto sconosciuto")
	}
	if err != nil {
		return t, false, fmt.Errorf("issued ticket %s: %w", id, err)
	}
	if t.IssuedAt, err = parseTime(issued); err != nil {
		return t, false, err
	}
	t.Number = t.Local
	if number != "" {
		t.Number = number
	}
	return t, number != "", nil
}

// applyTicketAnswer keeps the hub's number of a ticket, in MarkOp's
// transaction.
func applyTicketAnswer(ctx context.Context, tx *sql.Tx, res app.OpResult) error {
	a, err := queue.DecodeTicketAnswer(res.Data)
	if err != nil {
		return err
	}
	var data string
	if err := tx.QueryRowContext(ctx, `SELECT data FROM outbox WHERE id = ?`, res.ID).Scan(&data); err != nil {
		return err
	}
	id, err := queue.TicketFactID([]byte(data))
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE queue_issued SET number = ?, ahead = ?, wait_minutes = ? WHERE id = ?`, a.Number, a.Ahead, a.WaitMinutes, id)
	return err
}

// MarkPrinted records the number printed on a ticket. A number other than
// the hub's (printed offline, or before the hub's answer arrived) goes to
// the hub as a "printed" event, so that the board calls the number the
// citizen holds.
func (s *Store) MarkPrinted(ctx context.Context, t queue.Ticket, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var number string
		if err := tx.QueryRowContext(ctx, `SELECT number FROM queue_issued WHERE id = ?`, t.ID).Scan(&number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE queue_issued SET printed = ? WHERE id = ?`, t.Number, t.ID); err != nil {
			return err
		}
		if number == t.Number {
			return nil
		}
		device, err := profileDevice(ctx, tx)
		if err != nil {
			return err
		}
		e := queue.Event{Ticket: t.ID, Number: t.Number, Action: queue.ActionPrinted, At: at}
		return insertOpData(ctx, tx, device, queue.FactEvent, queue.EncodeEvent(e), at)
	})
	if err != nil {
		return fmt.Errorf("mark ticket %s printed: %w", t.Number, err)
	}
	return nil
}

// IssuedToday counts the tickets issued here today, per area.
func (s *Store) IssuedToday(ctx context.Context, day string) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT area, COUNT(*) FROM queue_issued WHERE day = ? GROUP BY area`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var a string
		var n int
		if err := rows.Scan(&a, &n); err != nil {
			return nil, err
		}
		out[a] = n
	}
	return out, rows.Err()
}

// AppendQueueEvent writes a counter's action on a ticket to the outbox.
func (s *Store) AppendQueueEvent(ctx context.Context, e queue.Event) error {
	if err := e.Validate(); err != nil {
		return err
	}
	return s.AppendFact(ctx, queue.FactEvent, queue.EncodeEvent(e), e.At, nil)
}

// AppendAppointmentChange writes a booking, move or cancellation to the
// outbox.
func (s *Store) AppendAppointmentChange(ctx context.Context, c queue.AppointmentChange) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.AppendFact(ctx, queue.FactAppointment, queue.EncodeAppointmentChange(c), c.At, nil)
}

// Areas are the comune's service areas, by code.
func (s *Store) Areas(ctx context.Context) ([]queue.Area, error) {
	recs, err := s.Records(ctx, queue.KindArea, "")
	if err != nil {
		return nil, err
	}
	out := make([]queue.Area, 0, len(recs))
	for _, r := range recs {
		a, err := queue.DecodeArea(r.Data)
		if err != nil {
			return nil, fmt.Errorf("area %s: %w", r.Key, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// QueueTickets are the tickets of day as the hub last sent them, in the
// order they were issued.
func (s *Store) QueueTickets(ctx context.Context, day string) ([]queue.Ticket, error) {
	recs, err := s.Records(ctx, queue.KindTicket, "")
	if err != nil {
		return nil, err
	}
	var out []queue.Ticket
	for _, r := range recs {
		t, err := queue.DecodeTicket(r.Data)
		if err != nil {
			return nil, fmt.Errorf("ticket %s: %w", r.Key, err)
		}
		if day == "" || t.Day == day {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].IssuedAt.Before(out[j].IssuedAt) })
	return out, nil
}

// QueueState is the board as the hub last sent it; empty before any.
func (s *Store) QueueState(ctx context.Context) (queue.State, error) {
	r, err := s.Record(ctx, queue.KindState, queue.StateKey)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return queue.State{Waiting: map[string]int{}}, nil
	}
	if err != nil {
		return queue.State{}, err
	}
	return queue.DecodeState(r.Data)
}

// Slots are the slots of an area ("" for all) starting from..to, by time.
func (s *Store) Slots(ctx context.Context, area string, from, to time.Time) ([]queue.Slot, error) {
	recs, err := s.Records(ctx, queue.KindSlot, "")
	if err != nil {
		return nil, err
	}
	var out []queue.Slot
	for _, r := range recs {
		sl, err := queue.DecodeSlot(r.Data)
		if err != nil {
			return nil, err
		}
		if (area == "" || sl.Area == area) && !sl.Start.Before(from) && sl.Start.Before(to) {
			out = append(out, sl)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Start.Equal(out[j].Start) {
			return out[i].Start.Before(out[j].Start)
		}
		return out[i].Counter < out[j].Counter
	})
	return out, nil
}

// Appointments are a person's appointments, by time.
func (s *Store) Appointments(ctx context.Context, codiceFiscale string) ([]queue.Appointment, error) {
	if codiceFiscale == "" {
		return nil, app.Errorf(app.EINVALID, "codice fiscale mancante")
	}
	recs, err := s.Records(ctx, queue.KindAppointment, codiceFiscale)
	if err != nil {
		return nil, err
	}
	out := make([]queue.Appointment, 0, len(recs))
	for _, r := range recs {
		a, err := queue.DecodeAppointment(r.Data)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, nil
}

// Notices are the acts of the albo pretorio published on day, newest
// first.
func (s *Store) Notices(ctx context.Context, day time.Time) ([]kiosk.Notice, error) {
	recs, err := s.Records(ctx, queue.KindNotice, "")
	if err != nil {
		return nil, err
	}
	var out []kiosk.Notice
	for _, r := range recs {
		n, err := kiosk.DecodeNotice(r.Data)
		if err != nil {
			return nil, err
		}
		if n.Current(day) {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From.After(out[j].From) })
	return out, nil
}

// KioskPolicy is what the comune lets its kiosks print: the policy it
// published, or kiosk.DefaultPolicy.
func (s *Store) KioskPolicy(ctx context.Context) (kiosk.Policy, error) {
	r, err := s.Record(ctx, queue.KindKioskPolicy, "default")
	if app.ErrorCode(err) == app.ENOTFOUND {
		return kiosk.DefaultPolicy, nil
	}
	if err != nil {
		return kiosk.Policy{}, err
	}
	return kiosk.DecodePolicy(r.Data)
}

// Failures returns the wrong identifications recorded for key at the
// kiosk and the time of the last one.
func (s *Store) Failures(ctx context.Context, key string) (int, time.Time, error) {
	var n int
	var last string
	err := s.db.QueryRowContext(ctx, `SELECT failures, last FROM kiosk_attempts WHERE key = ?`, key).Scan(&n, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("kiosk attempts: %w", err)
	}
	t, err := parseTime(last)
	return n, t, err
}

// LastAttempt returns the time of the latest identification attempt
// recorded at the kiosk, zero when none is: where the kiosk's clock
// resumes after a restart (kiosk.Clock). The times in kiosk_attempts are
// that clock's, not the wall clock's.
func (s *Store) LastAttempt(ctx context.Context) (time.Time, error) {
	var last sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT max(last) FROM kiosk_attempts`).Scan(&last); err != nil {
		return time.Time{}, fmt.Errorf("kiosk last attempt: %w", err)
	}
	return parseTime(last.String)
}

// RecordAttempt counts a wrong identification for key, or clears its count
// after a right one; rows older than the lockout go, so the table stays
// small on a kiosk that runs for months. After a lockout has passed the
// count starts again.
func (s *Store) RecordAttempt(ctx context.Context, key string, ok bool, at time.Time) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM kiosk_attempts WHERE last < ?`, formatTime(at.Add(-kiosk.Lockout))); err != nil {
			return err
		}
		if ok {
			_, err := tx.ExecContext(ctx, `DELETE FROM kiosk_attempts WHERE key = ?`, key)
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO kiosk_attempts (key, failures, last) VALUES (?, 1, ?)
			ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last = excluded.last`, key, formatTime(at))
		return err
	})
	if err != nil {
		return fmt.Errorf("kiosk attempt: %w", err)
	}
	return nil
}

var _ queue.Local = (*Store)(nil)

// AppointmentChangeState is where the latest change of appointment written
// here stands: pending until the hub answers, done once applied, parked
// with the hub's refusal as the error (its code and message).
func (s *Store) AppointmentChangeState(ctx context.Context, appointment string) (app.OpState, error) {
	var state, reason, result string
	err := s.db.QueryRowContext(ctx, `SELECT state, reason, result FROM outbox
		WHERE kind = ? AND json_extract(data, '$.appointment') = ? ORDER BY seq DESC LIMIT 1`,
		queue.FactAppointment, appointment).Scan(&state, &reason, &result)
	if errors.Is(err, sql.ErrNoRows) {
		return "", app.Errorf(app.ENOTFOUND, "nessuna prenotazione registrata su questa postazione")
	}
	if err != nil {
		return "", fmt.Errorf("appointment change %s: %w", appointment, err)
	}
	st := app.OpState(state)
	if st != app.OpParked {
		return st, nil
	}
	code := app.ECONFLICT
	var res app.OpResult
	if json.Unmarshal([]byte(result), &res) == nil && res.Code != "" {
		code = res.Code
	}
	return st, app.Errorf(code, "%s", reason)
}

// applyAppointmentAnswer keeps the appointment as the hub answered it (its
// record, byte for byte what the change log brings next) and the slots it
// took and freed, in MarkOp's transaction: the counter and the kiosk show
// the booking as soon as the hub confirmed it, before the next pull.
func applyAppointmentAnswer(ctx context.Context, tx *sql.Tx, res app.OpResult) error {
	a, err := queue.DecodeAppointment(res.Data)
	if err != nil {
		return err
	}
	var comune string
	if err := tx.QueryRowContext(ctx, `SELECT comune FROM profile WHERE id = 1`).Scan(&comune); err != nil {
		return err
	}
	var old string
	err = tx.QueryRowContext(ctx, `SELECT data FROM records WHERE kind = ? AND key = ?`, queue.KindAppointment, a.ID).Scan(&old)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	setSlot := func(id, appt string) error {
		var data string
		err := tx.QueryRowContext(ctx, `SELECT data FROM records WHERE kind = ? AND key = ?`, queue.KindSlot, id).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return nil // a slot this workstation has not heard of: the pull brings it
		}
		if err != nil {
			return err
		}
		sl, err := queue.DecodeSlot([]byte(data))
		if err != nil {
			return err
		}
		sl.Appointment = appt
		r := queue.SlotRecord(sl)
		return upsertRecord(ctx, tx, comune, &r, nil)
	}
	if old != "" {
		if prev, err := queue.DecodeAppointment([]byte(old)); err == nil && prev.Slot != a.Slot {
			if err := setSlot(prev.Slot, ""); err != nil {
				return err
			}
		}
	}
	taken := a.ID
	if a.Status == queue.Cancelled {
		taken = ""
	}
	if err := setSlot(a.Slot, taken); err != nil {
		return err
	}
	return upsertRecord(ctx, tx, comune, &app.Record{Kind: queue.KindAppointment, Key: a.ID, Subject: a.CodiceFiscale, Data: res.Data}, nil)
}
