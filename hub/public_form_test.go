package hub

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// FuzzParseBookingForm reads arbitrary posted bodies as the booking form:
// it never panics, and a form it takes has every field of its shape (a
// valid codice fiscale, a name of letters, an id of 36 hex digits and
// dashes, a token of at most maxFormToken characters), whatever the bytes were.
func FuzzParseBookingForm(f *testing.F) {
	f.Add("token=1773136800.c2FsdHNhbHQ." + strings.Repeat("A", 43) + "&appointment=6f1c2b8e-0f3a-4c59-9a47-1d2e3f4a5b6c&area=C&slot=C-2026-03-11T09:00-1&codice_fiscale=rssmra85t10a562s&name=Rossi+Mario")
	f.Add("name=D%27Angelo%20Anna-Maria&codice_fiscale=RSSMRA85T10A562S")
	f.Add("slot=%00&name=%3Cb%3E&codice_fiscale=%E2%80%8B")
	f.Add("%zz&&==&name=" + strings.Repeat("a", 200))
	now := time.Date(2026, 3, 10, 8, 0, 0, 0, app.Rome)
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return // the handler refuses it before parseBooking
		}
		b, err := parseBooking(form, now)
		if err != nil {
			if _, ok := err.(*bookingProblem); !ok {
				t.Fatalf("error of another kind: %T %v", err, err)
			}
			return
		}
		switch {
		case !cf.Valid(b.CodiceFiscale):
			t.Fatalf("taken with codice fiscale %q", b.CodiceFiscale)
		case b.Name == "" || len([]rune(b.Name)) > publicNameLength || strings.ContainsFunc(b.Name, unicode.IsControl) || strings.ContainsAny(b.Name, "<>&\""):
			t.Fatalf("taken with name %q", b.Name)
		case len(b.Appointment) != 36 || b.Token == "" || len(b.Token) > maxFormToken || len(b.Area) != 1 || b.Slot == "" || len(b.Slot) > 60:
			t.Fatalf("taken with %+v", b)
		}
	})
}
