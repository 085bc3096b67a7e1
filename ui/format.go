package ui

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
)

// How the screens write dates, amounts, names and places, the same in both
// languages unless a comment says otherwise.

// Dates are written the Italian way in both languages: the counter's papers are Italian.
const (
	dateLayout     = "02/01/2006"
	dateTimeLayout = "02/01/2006 15:04"
)

// formatDate writes a calendar date; dates are stored at UTC midnight, so
// they are not moved to another zone.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(dateLayout)
}

// formatInstant writes a moment in the zone of the counter's clock.
func formatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(dateTimeLayout)
}

// statusText is the position of a non-resident, or "" for a resident.
func (l lang) statusText(s app.Status) string {
	switch s {
	case app.StatusEmigrated:
		return l.text(msgStatusEmigrated)
	case app.StatusDeceased:
		return l.text(msgStatusDeceased)
	case app.StatusAIRE:
		return l.text(msgStatusAIRE)
	}
	return ""
}

// euro writes an amount in integer cents as the counter says it:
// "€ 16,00" in Italian, "€16.00" in English.
func (l lang) euro(cents int64) string {
	if l == langEN {
		return app.EuroEnglish(cents)
	}
	return app.Euro(cents)
}

// displayName is "SURNAME Given", as the anagrafe lists people, with a
// given name stored in capitals written in its ordinary case.
func displayName(surname, given string) string {
	return strings.ToUpper(surname) + " " + properCase(given)
}

func properCase(s string) string {
	if s != strings.ToUpper(s) {
		return s // already written with care: keep it
	}
	rs := []rune(strings.ToLower(s))
	start := true
	for i, r := range rs {
		if start {
			rs[i] = []rune(strings.ToUpper(string(r)))[0]
		}
		start = r == ' ' || r == '\'' || r == '-'
	}
	return string(rs)
}

// placeName writes the name of a comune, which ANPR publishes in capitals,
// as a sentence writes it (app.PlaceTitle: "Reggio nell'Emilia",
// "Bolzano/Bozen"); a name already in mixed case is kept.
func placeName(s string) string { return app.PlaceTitle(s) }

// certificateTitle names a certificate type as a sentence writes it. The
// counter has the title printed in capitals: "CERTIFICATO DI RESIDENZA"
// reads "Certificato di residenza". The kiosk has only the type's slug:
// "stato-di-famiglia" reads "Stato di famiglia".
func certificateTitle(name string) string {
	s := strings.ToLower(strings.ReplaceAll(name, "-", " "))
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
