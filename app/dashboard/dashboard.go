// Package dashboard is the supervisor's view of the comune's work over a
// period: certificates by type, requests by service and status, payments
// by method and service with the cash closings, and the queue's waits per
// area and hour. It is computed from what the workstation holds offline;
// its tables are what the screen draws and what the CSV files carry.
package dashboard

import (
	"context"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/queue"
)

// Period is a span of the comune's days (Europe/Rome) ending today.
type Period string

// The periods a supervisor picks.
const (
	Today   Period = "today"
	Week    Period = "week" // Monday to today
	Last30  Period = "30d"  // the last 30 days, today included
	Default        = Today
)

// Periods are the periods in the order the screen offers them.
var Periods = []Period{Today, Week, Last30}

// ParsePeriod reads a period as the CLI gives it; EINVALID otherwise.
func ParsePeriod(s string) (Period, error) {
	for _, p := range Periods {
		if string(p) == s {
			return p, nil
		}
	}
	return "", app.Errorf(app.EINVALID, "periodo %q non valido: today, week o 30d", s)
}

// Days are the first and last day of the period (AAAA-MM-GG, Rome) for a
// period ending on the day of now.
func (p Period) Days(now time.Time) (from, to string) {
	today := now.In(app.Rome)
	to = today.Format(app.DateLayout)
	switch p {
	case Week:
		back := (int(today.Weekday()) + 6) % 7 // days since Monday
		return today.AddDate(0, 0, -back).Format(app.DateLayout), to
	case Last30:
		return today.AddDate(0, 0, -29).Format(app.DateLayout), to
	}
	return to, to
}

// Bounds are the instants the days from and to (inclusive) span in Rome:
// [start, end). EINVALID when a day is not AAAA-MM-GG.
func Bounds(from, to string) (time.Time, time.Time, error) {
	f, err := time.ParseInLocation(app.DateLayout, from, app.Rome)
	if err != nil {
		return time.Time{}, time.Time{}, app.Errorf(app.EINVALID, "giornata %q non valida", from)
	}
	t, err := time.ParseInLocation(app.DateLayout, to, app.Rome)
	if err != nil {
		return time.Time{}, time.Time{}, app.Errorf(app.EINVALID, "giornata %q non valida", to)
	}
	if t.Before(f) {
		return time.Time{}, time.Time{}, app.Errorf(app.EINVALID, "periodo dal %s al %s rovesciato", from, to)
	}
	return f, t.AddDate(0, 0, 1), nil
}

// CertificateRow is the certificates of one type issued here.
type CertificateRow struct {
	Type         string // slug
	Title        string
	Count        int
	BolloCents   int64 // the marche da bollo
	DirittiCents int64 // the diritti di segreteria
}

// RequestRow is the requests of one service in one status.
type RequestRow struct {
	Service      string
	ServiceTitle string
	Status       string
	StatusTitle  string
	Count        int
}

// PaymentRow is the payments taken here by one method for one service.
type PaymentRow struct {
	Method      string
	MethodName  string
	Service     string
	ServiceName string
	Count       int
	AmountCents int64
}

// ClosingRow is one operator's closed day.
type ClosingRow struct {
	Day          string
	Operator     string
	OperatorName string
	Payments     int
	TotalCents   int64
	BolloCents   int64
	DirittiCents int64
	ClosedAt     time.Time
}

// Report is the dashboard of the days From to To.
type Report struct {
	From, To     string
	Certificates []CertificateRow
	Requests     []RequestRow
	Payments     []PaymentRow
	Closings     []ClosingRow
	Queue        []queue.StatRow
}

// Source computes a report from the workstation's store. EINVALID for a
// bad day.
type Source interface {
	Report(ctx context.Context, from, to string) (*Report, error)
}

// CertificateCount is the number of certificates in the report.
func (r *Report) CertificateCount() (n int) {
	for _, c := range r.Certificates {
		n += c.Count
	}
	return n
}

// RequestCount is the number of requests in the report.
func (r *Report) RequestCount() (n int) {
	for _, c := range r.Requests {
		n += c.Count
	}
	return n
}

// PaymentTotal is the number and the amount of the payments.
func (r *Report) PaymentTotal() (n int, cents int64) {
	for _, p := range r.Payments {
		n, cents = n+p.Count, cents+p.AmountCents
	}
	return n, cents
}
