package queue

import (
	"sort"
	"time"

	"github.com/sportello/sportello/app"
)

// StatRow is the waiting and serving times of one area in one hour of a
// day (the hour the tickets were issued in), for the supervisor.
type StatRow struct {
	Day     string
	Area    string
	Hour    int // 0-23, comune time
	Issued  int
	Called  int // called at a counter, whatever came after: the waits measured
	Served  int
	Skipped int
	// Mean and longest wait (issue to call) and mean service (call to
	// done) of the tickets called.
	MeanWait    time.Duration
	MaxWait     time.Duration
	MeanService time.Duration
}

// Stats groups tickets by day, area and hour of issue.
func Stats(tickets []Ticket) []StatRow {
	type key struct {
		day, area string
		hour      int
	}
	type acc struct {
		row              StatRow
		waits, services  time.Duration
		nWait, nServices int
	}
	groups := map[key]*acc{}
	for _, t := range tickets {
		local := t.IssuedAt.In(app.Rome)
		k := key{Day(t.IssuedAt), t.Area, local.Hour()}
		a := groups[k]
		if a == nil {
			a = &acc{row: StatRow{Day: k.day, Area: k.area, Hour: k.hour}}
			groups[k] = a
		}
		a.row.Issued++
		switch t.Status {
		case Served:
			a.row.Served++
		case Skipped:
			a.row.Skipped++
		}
		if !t.CalledAt.IsZero() {
			w := t.CalledAt.Sub(t.IssuedAt)
			if t.Appointment != "" && t.Due.After(t.IssuedAt) {
				w = max(0, t.CalledAt.Sub(t.Due)) // an early check-in waits for its time, not for the queue
			}
			a.waits += w
			a.nWait++
			a.row.MaxWait = max(a.row.MaxWait, w)
			if t.Status == Served && t.DoneAt.After(t.CalledAt) {
				a.services += t.DoneAt.Sub(t.CalledAt)
				a.nServices++
			}
		}
	}
	out := make([]StatRow, 0, len(groups))
	for _, a := range groups {
		a.row.Called = a.nWait
		// Rounded like the means: a mean rounded up past an unrounded
		// maximum would read as a mean longer than the longest wait.
		a.row.MaxWait = a.row.MaxWait.Round(time.Second)
		if a.nWait > 0 {
			a.row.MeanWait = (a.waits / time.Duration(a.nWait)).Round(time.Second)
		}
		if a.nServices > 0 {
			a.row.MeanService = (a.services / time.Duration(a.nServices)).Round(time.Second)
		}
		out = append(out, a.row)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Day != b.Day {
			return a.Day < b.Day
		}
		if a.Area != b.Area {
			return a.Area < b.Area
		}
		return a.Hour < b.Hour
	})
	return out
}
