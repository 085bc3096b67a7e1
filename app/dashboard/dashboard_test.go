package dashboard_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/dashboard"
	"github.com/sportello/sportello/app/queue"
)

// TestPeriodDays: the periods are days of Rome ending today; the week
// starts on Monday; just after midnight in Rome it is already the next day.
func TestPeriodDays(t *testing.T) {
	sunday := time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC) // Sunday 6 at 00:30 in Rome
	for _, c := range []struct {
		p        dashboard.Period
		from, to string
	}{
		{dashboard.Today, "2026-12-06", "2026-12-06"},
		{dashboard.Week, "2026-11-30", "2026-12-06"},
		{dashboard.Last30, "2026-11-07", "2026-12-06"},
	} {
		if from, to := c.p.Days(sunday); from != c.from || to != c.to {
			t.Errorf("%s: %s..%s, want %s..%s", c.p, from, to, c.from, c.to)
		}
	}
	monday := time.Date(2026, 11, 30, 8, 0, 0, 0, app.Rome)
	if from, _ := dashboard.Week.Days(monday); from != "2026-11-30" {
		t.Errorf("week on a Monday starts %s", from)
	}
	if _, err := dashboard.ParsePeriod("month"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("month: %v", err)
	}
	if p, err := dashboard.ParsePeriod("30d"); err != nil || p != dashboard.Last30 {
		t.Errorf("30d: %v %v", p, err)
	}
}

// TestWriteCSV: what an Italian spreadsheet opens with a double click: a
// BOM, semicolons, CRLF, decimal commas, quoting where a field needs it;
// and an RFC 4180 reader gets the same fields back.
func TestWriteCSV(t *testing.T) {
	r := &dashboard.Report{From: "2026-11-23", To: "2026-11-23",
		Certificates: []dashboard.CertificateRow{{Type: "residenza", Title: "Certificato di residenza; \"storico\"", Count: 2, BolloCents: 3200, DirittiCents: 52}},
		Payments:     []dashboard.PaymentRow{{Method: "contanti", Service: "tari", Count: 3, AmountCents: 123456}},
		Queue:        []queue.StatRow{{Day: "2026-11-23", Area: "A", Hour: 9, Issued: 3, Called: 3, Served: 2, Skipped: 1, MeanWait: 14*time.Minute + 40*time.Second, MaxWait: 30 * time.Minute}},
	}
	tables := r.Tables()
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	if strings.Join(names, ",") != "certificates,requests,payments,closings,queue" {
		t.Fatalf("tables %v", names)
	}
	var b bytes.Buffer
	if err := dashboard.WriteCSV(&b, tables[0]); err != nil {
		t.Fatal(err)
	}
	want := "\ufefffrom;to;type;title;count;bollo_eur;diritti_eur\r\n" +
		"2026-11-23;2026-11-23;residenza;\"Certificato di residenza; \"\"storico\"\"\";2;32,00;0,52\r\n"
	if b.String() != want {
		t.Errorf("certificates.csv:\n%q\nwant\n%q", b.String(), want)
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\ufeff")))
	rd.Comma = ';'
	recs, err := rd.ReadAll()
	if err != nil || len(recs) != 2 || recs[1][3] != "Certificato di residenza; \"storico\"" {
		t.Errorf("read back: %q %v", recs, err)
	}
	b.Reset()
	dashboard.WriteCSV(&b, tables[2])
	if !strings.Contains(b.String(), "\r\n2026-11-23;2026-11-23;contanti;tari;3;1234,56\r\n") {
		t.Errorf("payments.csv: %q", b.String())
	}
	b.Reset()
	dashboard.WriteCSV(&b, tables[4])
	if !strings.Contains(b.String(), "\r\n2026-11-23;A;09;3;3;2;1;14,7;30,0;0,0\r\n") {
		t.Errorf("queue.csv: %q", b.String())
	}
	for cents, s := range map[int64]string{0: "0,00", 5: "0,05", 1600: "16,00", -250: "-2,50", 100000000: "1000000,00"} {
		if got := dashboard.Euro(cents); got != s {
			t.Errorf("Euro(%d) = %s, want %s", cents, got, s)
		}
	}
}

// FuzzBounds: a period from the command line is refused or spans whole
// days of Rome, never panics, never runs backwards.
func FuzzBounds(f *testing.F) {
	for _, s := range [][2]string{{"2026-11-01", "2026-11-30"}, {"2026-03-29", "2026-03-29"}, {"2026-11-30", "2026-11-01"}, {"30/11/2026", ""}, {"2026-02-30", "2026-03-01"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		start, end, err := dashboard.Bounds(from, to)
		if err != nil {
			if app.ErrorCode(err) != app.EINVALID {
				t.Fatalf("%q..%q: %v, want EINVALID", from, to, err)
			}
			return
		}
		if !start.Before(end) || start.In(app.Rome).Format(app.DateLayout) != from || end.In(app.Rome).AddDate(0, 0, -1).Format(app.DateLayout) != to {
			t.Fatalf("%q..%q spans %v..%v", from, to, start, end)
		}
		if h := start.In(app.Rome).Hour(); h != 0 {
			t.Fatalf("%q starts at %d o'clock", from, h)
		}
	})
}
