package population

import (
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

func TestNameLists(t *testing.T) {
	unique := func(lists ...[]string) int {
		seen := map[string]bool{}
		for _, l := range lists {
			for _, s := range l {
				seen[s] = true
			}
		}
		return len(seen)
	}
	for _, tc := range []struct {
		name string
		n    int
		min  int
	}{
		{"ItalianSurnames", unique(italianSurnames), 200},
		{"MaleNames", unique(maleOld, maleMid, maleYoung), 100},
		{"FemaleNames", unique(femaleOld, femaleMid, femaleYoung), 100},
		{"Streets", unique(streets), 60},
	} {
		if tc.n < tc.min {
			t.Errorf("%s: %d different, want at least %d", tc.name, tc.n, tc.min)
		}
	}
	// Every name must give a codice fiscale: a letter cf cannot fold would
	// stop a demo of a million people at the first person who carries it.
	for _, c := range communities {
		for _, l := range [][]string{c.surnames, c.male, c.female} {
			for _, s := range l {
				if cf.SurnameCode(s) == "XXX" || !foldable(s) {
					t.Errorf("%s name %q cannot be put in a codice fiscale", c.iso3, s)
				}
			}
		}
	}
	for _, l := range [][]string{italianSurnames, maleOld, maleMid, maleYoung, femaleOld, femaleMid, femaleYoung} {
		for _, s := range l {
			if !foldable(s) {
				t.Errorf("name %q cannot be put in a codice fiscale", s)
			}
		}
	}
}

func foldable(s string) bool {
	_, err := cf.Compute(cf.Person{Surname: s, Name: s, Sex: "M", BirthDate: app.Date(2000, 1, 1), BirthPlaceCode: "I690"})
	return err == nil
}

// TestOmocodia gives the same person's data to codiceFiscale nine times: the
// first gets the plain code, the next ones the omocodic forms of level 1 to
// 7, as the Agenzia delle Entrate assigns them, and the ninth is refused so
// that the caller renames the person.
func TestOmocodia(t *testing.T) {
	g, err := newGenerator(Options{Comune: "I690", Today: app.Date(2026, time.November, 23), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	person := app.Citizen{Surname: "Rossi", GivenName: "Mario", Sex: "M", BirthDate: app.Date(1985, time.December, 10), BirthPlaceCode: "A562"}
	plain, _ := cf.Compute(cf.Person{Surname: "Rossi", Name: "Mario", Sex: "M", BirthDate: person.BirthDate, BirthPlaceCode: "A562"})
	// With seed 1 the first of them is not one of the people made omocodic
	// on purpose, so it gets the plain code.
	var got []string
	for range 9 {
		c := person
		ok, err := g.codiceFiscale(&c)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			got = append(got, "")
			break
		}
		got = append(got, c.CodiceFiscale)
	}
	want := []string{plain}
	for n := 1; n <= 7; n++ {
		code, err := cf.Omocode(plain, n)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, code)
	}
	want = append(want, "")
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("codes given = %q, want %q", got, want)
		}
	}
}

func TestPack(t *testing.T) {
	// Codes that differ in one position, of each kind, pack differently.
	base := "RSSMRA85T10A562S"
	seen := map[uint64]string{pack(base): base}
	for _, code := range []string{"SSSMRA85T10A562S", "RSSMRA86T10A562S", "RSSMRA85S10A562S", "RSSMRA85T11A562S", "RSSMRA85T10B562S", "RSSMRA85T10A563S"} {
		if other, dup := seen[pack(code)]; dup {
			t.Errorf("pack(%s) = pack(%s)", code, other)
		}
		seen[pack(code)] = code
	}
	if max := pack("ZZZZZZ99Z99Z999"); max >= 1<<61 {
		t.Errorf("largest key %d does not fit the documented bound", max)
	}
}
