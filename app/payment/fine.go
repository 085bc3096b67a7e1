package payment

import (
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Fine is a verbale of the polizia locale for a violation of the Codice
// della Strada (D.Lgs. 285/1992), as the hub keeps it.
type Fine struct {
	Number     string // numero del verbale
	Comune     string
	Plate      string // targa, upper case without spaces
	Offence    string // the violation, in words
	Article    string // "art. 7 c. 1 e 14"
	ViolatedAt time.Time
	NotifiedOn time.Time // the date of contestazione or notificazione: the terms run from it
	MinCents   int64     // minimo edittale
	MaxCents   int64     // massimo edittale
	CostsCents int64     // spese di accertamento e notificazione, due in every stage, never reduced
	// DiscountAllowed is false for the violations art. 202 c. 2 excludes
	// from the 30% reduction: those punished with confisca of the vehicle
	// or with suspension of the driving licence.
	DiscountAllowed bool
	OffenderCF      string
	OffenderName    string
	PositionID      string // the position that collects it
}

// Validate checks a fine.
func (f *Fine) Validate() error {
	switch {
	case f.Number == "" || len(f.Number) > 40:
		return app.Errorf(app.EINVALID, "verbale senza numero")
	case f.Plate == "" || len(f.Plate) > 12 || NormalizePlate(f.Plate) != f.Plate:
		return app.Errorf(app.EINVALID, "verbale %s: targa %q non valida", f.Number, f.Plate)
	case f.NotifiedOn.IsZero() || f.ViolatedAt.IsZero() || truncDay(f.NotifiedOn).Before(truncDay(f.ViolatedAt)):
		return app.Errorf(app.EINVALID, "verbale %s: date non valide", f.Number)
	case f.MinCents <= 0 || f.MaxCents < f.MinCents || f.CostsCents < 0:
		return app.Errorf(app.EINVALID, "verbale %s: importi non validi", f.Number)
	case strings.TrimSpace(f.Offence) == "":
		return app.Errorf(app.EINVALID, "verbale %s senza violazione", f.Number)
	}
	return nil
}

// NormalizePlate writes a plate as the register does: upper case, without
// spaces or dashes.
func NormalizePlate(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.':
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// Stages of the amount of a fine.
const (
	StageReduced = "ridotto"      // −30% within 5 days (art. 202 c. 2)
	StageMinimum = "minimo"       // the minimum within 60 days (art. 202 c. 1)
	StageHalfMax = "metà_massimo" // half the maximum after 60 days (art. 203 c. 3)
)

// Due is what a fine costs on a day and until when that amount holds.
type Due struct {
	Stage     string
	Cents     int64     // sanction plus costs
	Sanction  int64     // the sanction alone
	Until     time.Time // last day of this stage; zero for the last stage
	NextCents int64     // what it becomes after Until; 0 for the last stage
}

// Due is the amount due for the fine if paid on day (a calendar date in
// app.Rome) under art. 202 and 203 of the Codice della Strada:
//
//   - within 5 days of the contestazione or notificazione, the minimum
//     reduced by 30% (art. 202 c. 2, as amended by DL 69/2013 art. 20),
//     unless the violation carries confisca or suspension of the licence;
//   - within 60 days, the minimum (art. 202 c. 1, "pagamento in misura
//     ridotta");
//   - after, half the maximum (art. 203 c. 3: the verbale becomes title
//     for that amount).
//
// The terms run from the day after the notification (art. 155 c. 1
// c.p.c.: the first day is not counted), and a term that ends on a Sunday
// or a national holiday moves to the next working day (art. 155 c. 4
// c.p.c.). The costs of accertamento and notification are due on top in
// every stage and are never reduced. The 30% is rounded to the cent,
// half up.
func (f *Fine) Due(day time.Time) Due {
	day = truncDay(day)
	notified := truncDay(f.NotifiedOn)
	reduced := f.MinCents - (f.MinCents*30+50)/100
	five := termEnd(notified, 5)
	sixty := termEnd(notified, 60)
	half := (f.MaxCents + 1) / 2
	switch {
	case f.DiscountAllowed && !day.After(five):
		return Due{Stage: StageReduced, Sanction: reduced, Cents: reduced + f.CostsCents, Until: five, NextCents: f.MinCents + f.CostsCents}
	case !day.After(sixty):
		return Due{Stage: StageMinimum, Sanction: f.MinCents, Cents: f.MinCents + f.CostsCents, Until: sixty, NextCents: half + f.CostsCents}
	}
	return Due{Stage: StageHalfMax, Sanction: half, Cents: half + f.CostsCents}
}

// StageName is a stage in words.
func StageName(stage string) string {
	switch stage {
	case StageReduced:
		return "ridotto del 30% (entro 5 giorni, art. 202 c. 2 CdS)"
	case StageMinimum:
		return "minimo edittale (entro 60 giorni, art. 202 c. 1 CdS)"
	case StageHalfMax:
		return "metà del massimo (oltre 60 giorni, art. 203 c. 3 CdS)"
	}
	return stage
}

// termEnd is the last day of a term of n days from from: the first day is
// not counted, and a last day that is a holiday moves to the next working
// day.
func termEnd(from time.Time, n int) time.Time {
	end := from.AddDate(0, 0, n)
	for Holiday(end) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// Holiday reports whether day is a Sunday or a national holiday of the
// Republic (L. 260/1949 as amended, L. 54/1977, DPR 792/1985): 1 and 6
// January, Easter Monday, 25 April, 1 May, 2 June, 15 August, 1 November,
// 8 and 25-26 December. Easter Sunday is a Sunday.
func Holiday(day time.Time) bool {
	if day.Weekday() == time.Sunday {
		return true
	}
	y, m, d := day.Date()
	switch {
	case m == time.January && (d == 1 || d == 6),
		m == time.April && d == 25,
		m == time.May && d == 1,
		m == time.June && d == 2,
		m == time.August && d == 15,
		m == time.November && d == 1,
		m == time.December && (d == 8 || d == 25 || d == 26):
		return true
	}
	e := Easter(y).AddDate(0, 0, 1)
	return m == e.Month() && d == e.Day()
}

// Easter is Easter Sunday of year y in the Gregorian calendar (the
// anonymous algorithm of Meeus/Jones/Butcher).
func Easter(y int) time.Time {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// truncDay is the calendar date of t: in Rome for an instant, as it is for
// a date.
func truncDay(t time.Time) time.Time {
	if t.Location() != time.UTC {
		t = t.In(app.Rome)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the calendar date in Rome of the instant now.
func Today(now time.Time) time.Time {
	y, m, d := now.In(app.Rome).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
