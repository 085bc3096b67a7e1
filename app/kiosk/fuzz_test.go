package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/app/kiosk"
)

// FuzzIdentify types anything at the kiosk as codice fiscale and document:
// never a panic, only the codes Identify documents, and the citizen only
// for their own code (however typed) with their own document number
// (spaces, dashes and case aside).
func FuzzIdentify(f *testing.F) {
	code, err := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: app.Date(1985, 12, 10), BirthPlaceCode: "A562"})
	if err != nil {
		f.Fatal(err)
	}
	const doc = "CA12345AB"
	for _, s := range [][2]string{{code, doc}, {strings.ToLower(code), "ca 12345 ab"}, {" " + code + " ", "CA-12345-AB"}, {code, ""},
		{code, "CA12345AB\x00"}, {"RSSMRA85T10A562X", doc}, {"", ""}, {code, strings.Repeat("A", 40)}, {code, "ÇA12345AB"}} {
		f.Add(s[0], s[1])
	}
	d := dir{code: {CodiceFiscale: code, Surname: "ROSSI", GivenName: "MARIO", Status: app.StatusResident, DocumentNumber: doc}}
	at := time.Date(2026, 5, 12, 9, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, typed, document string) {
		c, err := kiosk.Identify(context.Background(), d, attempts{}, typed, document, at)
		if err != nil {
			switch app.ErrorCode(err) {
			case app.EINVALID, app.EUNAUTHORIZED, app.ELOCKED, app.EFORBIDDEN:
			default:
				t.Fatalf("%q/%q: %v", typed, document, err)
			}
			if c != nil {
				t.Fatal("a citizen with an error")
			}
			return
		}
		if c.CodiceFiscale != code || cf.Normalize(typed) != code {
			t.Fatalf("%q identified as %s", typed, c.CodiceFiscale)
		}
		var plain strings.Builder
		for _, r := range strings.ToUpper(document) {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				plain.WriteRune(r)
			}
		}
		if plain.String() != doc {
			t.Fatalf("document %q accepted for %s", document, doc)
		}
	})
}
