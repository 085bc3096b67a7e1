package sqlstore

import (
	"context"
	"sort"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/kiosk"
	"github.com/sportello/sportello/app/queue"
)

// What the comune's public pages read: the records the hub publishes to
// the comune's workstations, decoded. A record that does not decode is the
// hub's own failure, not the reader's.

// Areas are the service areas of a comune, by code.
func (d *DB) Areas(ctx context.Context, comune string) ([]queue.Area, error) {
	return decodeRecords(ctx, d, comune, queue.KindArea, queue.DecodeArea)
}

// Slots are the bookable slots of a comune, booked or free, by time.
func (d *DB) Slots(ctx context.Context, comune string) ([]queue.Slot, error) {
	out, err := decodeRecords(ctx, d, comune, queue.KindSlot, queue.DecodeSlot)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out, err
}

// PublishedNotices are the acts of a comune's albo pretorio in publication
// on day (Italian time), the latest first.
func (d *DB) PublishedNotices(ctx context.Context, comune string, day time.Time) ([]kiosk.Notice, error) {
	all, err := decodeRecords(ctx, d, comune, queue.KindNotice, kiosk.DecodeNotice)
	if err != nil {
		return nil, err
	}
	y, m, dd := day.In(app.Rome).Date()
	today := app.Date(y, m, dd)
	var out []kiosk.Notice
	for _, n := range all {
		if n.Current(today) {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].From.After(out[j].From) })
	return out, nil
}

// Appointment returns an appointment of comune; ENOTFOUND when there is none.
func (d *DB) Appointment(ctx context.Context, comune, id string) (queue.Appointment, error) {
	r, err := d.Record(ctx, comune, queue.KindAppointment, id)
	if err != nil {
		return queue.Appointment{}, err
	}
	return queue.DecodeAppointment(r.Data)
}

func decodeRecords[T any](ctx context.Context, d *DB, comune, kind string, decode func([]byte) (T, error)) ([]T, error) {
	recs, err := d.Records(ctx, comune, kind, "")
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		v, err := decode(r.Data)
		if err != nil {
			return nil, app.Errorf(app.EINTERNAL, "%s %s: %v", kind, r.Key, err)
		}
		out = append(out, v)
	}
	return out, nil
}
