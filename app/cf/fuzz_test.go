package cf_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/cf"
)

// FuzzParse feeds Parse what an operator or an import file could type. A
// code it accepts must survive the trip through Canonical and every level of
// Omocode as the same person.
func FuzzParse(f *testing.F) {
	for _, code := range rossi {
		f.Add(code)
	}
	for _, code := range []string{
		"RSSMRA70A41F205Z", "BNCNNA00B69L219N", "ZHOLIX90H55Z210A", "RSSMRAU5T10A562P",
		" rssmra 85t10 a562s ", "VRDLCU99B29H501N", "VRDLCU97B71H501V", "RSSMRA85T10A562T",
		"RSSMRÀ85T10A562S", "RSSMRA85T10A000W", "", "RSSMRA85T10A562SS",
	} {
		f.Add(code)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := cf.ParseAt(s, today)
		if err != nil {
			var e *cf.Error
			if !errors.As(err, &e) || e.Error() == "" || e.EnglishMessage() == "" {
				t.Fatalf("ParseAt(%q) error = %#v, want a *cf.Error", s, err)
			}
			return
		}
		if info.Code != cf.Normalize(s) || len(info.Code) != cf.Length {
			t.Fatalf("ParseAt(%q).Code = %q", s, info.Code)
		}
		if c, err := cf.CheckChar(info.Code[:15]); err != nil || c != info.Code[15] {
			t.Fatalf("CheckChar(%q) = %c, %v; code is %q", info.Code[:15], c, err, info.Code)
		}
		if (info.Sex != "M" && info.Sex != "F") || info.Foreign != (info.BirthPlaceCode[0] == 'Z') {
			t.Fatalf("ParseAt(%q) = %+v", s, info)
		}

		canonical, err := cf.Canonical(s)
		if err != nil {
			t.Fatalf("Canonical(%q): %v", s, err)
		}
		if !info.Omocodia && canonical != info.Code {
			t.Fatalf("Canonical(%q) = %q, want the code unchanged", s, canonical)
		}
		samePerson(t, canonical, info, false)

		for k := 1; k <= 7; k++ {
			o, err := cf.Omocode(canonical, k)
			if err != nil {
				t.Fatalf("Omocode(%q, %d): %v", canonical, k, err)
			}
			if n := countLetters(o[:15]) - countLetters(canonical[:15]); n != k {
				t.Fatalf("Omocode(%q, %d) = %q substitutes %d positions", canonical, k, o, n)
			}
			samePerson(t, o, info, true)
			if back, err := cf.Canonical(o); err != nil || back != canonical {
				t.Fatalf("Canonical(%q) = %q, %v, want %q", o, back, err, canonical)
			}
		}
	})
}

// samePerson fails t unless code parses to the person of want.
func samePerson(t *testing.T, code string, want cf.Info, omocodia bool) {
	t.Helper()
	got, err := cf.ParseAt(code, today)
	if err != nil {
		t.Fatalf("ParseAt(%q) (from %q): %v", code, want.Code, err)
	}
	if got.Sex != want.Sex || got.BirthDate != want.BirthDate || got.BirthPlaceCode != want.BirthPlaceCode ||
		got.Foreign != want.Foreign || got.Omocodia != omocodia {
		t.Fatalf("ParseAt(%q) = %+v, want the person of %+v (omocodia %v)", code, got, want, omocodia)
	}
}

func countLetters(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			n++
		}
	}
	return n
}

// FuzzCompute computes codes for arbitrary names and valid dates and places:
// the result must parse back to the same person, and its first six letters
// must be SurnameCode and NameCode.
func FuzzCompute(f *testing.F) {
	f.Add("Rossi", "Mario", false, 85, 343, uint8(0), uint16(562))
	f.Add("D'Angelo", "Gianfranco", true, 0, 59, uint8(11), uint16(210))
	f.Add("Niccolò", "José", false, 99, 365, uint8(3), uint16(999))
	f.Add("Иванов", "Ivan", true, 42, 0, uint8(7), uint16(1))
	f.Add("", "", false, -1, -1, uint8(255), uint16(0))
	f.Fuzz(func(t *testing.T, surname, name string, female bool, year, yday int, letter uint8, num uint16) {
		for _, c := range []string{cf.SurnameCode(surname), cf.NameCode(name)} {
			if len(c) != 3 || countLetters(c) != 3 {
				t.Fatalf("SurnameCode(%q), NameCode(%q): %q is not three letters", surname, name, c)
			}
		}
		// A year in (today-100, today], so that ParseAt picks it back.
		y := today.Year() - 99 + mod(year, 100)
		birth := date(y, time.January, 1).AddDate(0, 0, mod(yday, 366))
		if birth.Year() != y { // day 366 of a common year
			birth = date(y, time.December, 31)
		}
		p := cf.Person{
			Surname:        surname,
			Name:           name,
			Sex:            "M",
			BirthDate:      birth,
			BirthPlaceCode: fmt.Sprintf("%c%03d", "ABCDEFGHILMZ"[int(letter)%12], int(num)%999+1),
		}
		if female {
			p.Sex = "F"
		}
		code, err := cf.Compute(p)
		if err != nil {
			var e *cf.Error
			if !errors.As(err, &e) || (e.Reason != cf.ReasonSurname && e.Reason != cf.ReasonName) {
				t.Fatalf("Compute(%+v): %v", p, err)
			}
			return
		}
		info, err := cf.ParseAt(code, today)
		if err != nil {
			t.Fatalf("Compute(%+v) = %q, which does not parse: %v", p, code, err)
		}
		if info.Sex != p.Sex || !info.BirthDate.Equal(birth) || info.BirthPlaceCode != p.BirthPlaceCode || info.Omocodia {
			t.Fatalf("Compute(%+v) = %q, which parses as %+v", p, code, info)
		}
		if !strings.HasPrefix(code, cf.SurnameCode(surname)+cf.NameCode(name)) {
			t.Fatalf("Compute(%+v) = %q, want it to start with %s%s", p, code, cf.SurnameCode(surname), cf.NameCode(name))
		}
	})
}

func mod(a, n int) int { return (a%n + n) % n }
