package dashboard

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
)

// Table is one table of a report as rows of text: what a CSV file holds.
type Table struct {
	Name   string // the file's name without ".csv": "certificates"
	Header []string
	Rows   [][]string
}

// The tables' names, in the order of the screen.
const (
	TableCertificates = "certificates"
	TableRequests     = "requests"
	TablePayments     = "payments"
	TableClosings     = "closings"
	TableQueue        = "queue"
)

// Tables are the report's tables. Their headers are English snake_case
// (docs/VOCABULARY.md), the same in every language of the app, so a
// script reads them whatever the operator's language.
func (r *Report) Tables() []Table {
	certs := Table{Name: TableCertificates, Header: []string{"from", "to", "type", "title", "count", "bollo_eur", "diritti_eur"}}
	for _, c := range r.Certificates {
		certs.Rows = append(certs.Rows, []string{r.From, r.To, c.Type, c.Title, strconv.Itoa(c.Count), Euro(c.BolloCents), Euro(c.DirittiCents)})
	}
	reqs := Table{Name: TableRequests, Header: []string{"from", "to", "service", "service_title", "status", "status_title", "count"}}
	for _, q := range r.Requests {
		reqs.Rows = append(reqs.Rows, []string{r.From, r.To, q.Service, q.ServiceTitle, q.Status, q.StatusTitle, strconv.Itoa(q.Count)})
	}
	pays := Table{Name: TablePayments, Header: []string{"from", "to", "method", "service", "count", "amount_eur"}}
	for _, p := range r.Payments {
		pays.Rows = append(pays.Rows, []string{r.From, r.To, p.Method, p.Service, strconv.Itoa(p.Count), Euro(p.AmountCents)})
	}
	closings := Table{Name: TableClosings, Header: []string{"day", "operator", "operator_name", "payments", "total_eur", "bollo_eur", "diritti_eur", "closed_at"}}
	for _, c := range r.Closings {
		closings.Rows = append(closings.Rows, []string{c.Day, c.Operator, c.OperatorName, strconv.Itoa(c.Payments),
			Euro(c.TotalCents), Euro(c.BolloCents), Euro(c.DirittiCents), c.ClosedAt.In(app.Rome).Format("2006-01-02 15:04")})
	}
	q := Table{Name: TableQueue, Header: []string{"day", "area", "hour", "issued", "called", "served", "skipped", "mean_wait_min", "max_wait_min", "mean_service_min"}}
	for _, s := range r.Queue {
		q.Rows = append(q.Rows, []string{s.Day, s.Area, fmt.Sprintf("%02d", s.Hour), strconv.Itoa(s.Issued), strconv.Itoa(s.Called),
			strconv.Itoa(s.Served), strconv.Itoa(s.Skipped), minutes(s.Called, s.MeanWait), minutes(s.Called, s.MaxWait), minutes(s.Served, s.MeanService)})
	}
	return []Table{certs, reqs, pays, closings, q}
}

// Euro writes cents as an Italian spreadsheet reads a number: a decimal
// comma, no thousands separator, no currency sign ("1234,50").
func Euro(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d,%02d", sign, cents/100, cents%100)
}

// minutes writes a duration in minutes with one decimal ("7,5"), empty
// when no ticket measured it (n == 0).
func minutes(n int, d time.Duration) string {
	if n == 0 {
		return ""
	}
	tenths := (d.Milliseconds() + 3000) / 6000 // rounded to a tenth of a minute
	return fmt.Sprintf("%d,%d", tenths/10, tenths%10)
}

// WriteCSV writes a table the way a spreadsheet set to Italian opens it
// with a double click: UTF-8 with a byte order mark (Excel otherwise reads
// the accents as Windows-1252), fields separated by semicolons (the list
// separator of the Italian locale, since the comma is the decimal mark),
// CRLF line ends and RFC 4180 quoting.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	for _, row := range t.Rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
