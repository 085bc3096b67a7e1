package population_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/internal/anprdir"
	"github.com/sportello/sportello/internal/population"
)

var today = app.Date(2026, time.November, 23)

func sesto(residents int, seed int64) population.Options {
	return population.Options{Comune: "I690", Residents: residents, Seed: seed, Today: today}
}

// population20k is the 20,000-resident run most tests look at, made once.
var population20k = sync.OnceValues(func() ([]app.Citizen, error) {
	return population.Generate(sesto(20000, 42))
})

func people(t *testing.T) []app.Citizen {
	t.Helper()
	cs, err := population20k()
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestGenerateValid(t *testing.T) {
	cs := people(t)
	for i := range cs {
		if err := cs[i].Validate(); err != nil {
			t.Fatalf("person %d %s %s: %v\n%+v", i, cs[i].Surname, cs[i].GivenName, err, cs[i])
		}
		if cs[i].Comune != "I690" {
			t.Fatalf("person %d has comune %q", i, cs[i].Comune)
		}
	}
}

func TestGenerateCounts(t *testing.T) {
	cs := people(t)
	count := map[app.Status]int{}
	for _, c := range cs {
		count[c.Status]++
	}
	want := map[app.Status]int{app.StatusResident: 20000, app.StatusEmigrated: 1000, app.StatusDeceased: 600, app.StatusAIRE: 200}
	if !reflect.DeepEqual(count, want) {
		t.Errorf("statuses = %v, want %v", count, want)
	}
	for _, n := range []int{0, 1, 7, 99, 101} {
		cs, err := population.Generate(sesto(n, 1))
		if err != nil {
			t.Fatal(err)
		}
		residents := 0
		for _, c := range cs {
			if c.Status == app.StatusResident {
				residents++
			}
		}
		if residents != n || len(cs) != n+n*population.EmigratedPercent/100+n*population.DeceasedPercent/100+n*population.AIREPercent/100 {
			t.Errorf("Residents %d: got %d residents of %d people", n, residents, len(cs))
		}
	}
}

func TestGenerateCancelled(t *testing.T) {
	for _, c := range people(t) {
		switch c.Status {
		case app.StatusResident:
			if !c.CancelledOn.IsZero() || c.CancelReason != "" {
				t.Fatalf("resident %s has a cancellation", c.CodiceFiscale)
			}
		case app.StatusDeceased:
			if c.CancelReason != "decesso" || c.CancelledOn.After(today) || c.CancelledOn.Before(c.BirthDate) || c.DocumentNumber != "" {
				t.Fatalf("deceased %+v", c)
			}
		case app.StatusEmigrated:
			if !strings.HasPrefix(c.CancelReason, "emigrazione ") || c.CancelledOn.After(today) || c.AgeOn(c.CancelledOn) < 18 {
				t.Fatalf("emigrated %+v", c)
			}
		}
		if !c.RegisteredOn.IsZero() && (c.RegisteredOn.Before(c.BirthDate) || c.RegisteredOn.After(today)) {
			t.Fatalf("%s registered on %s, born %s", c.CodiceFiscale, app.FormatDate(c.RegisteredOn), app.FormatDate(c.BirthDate))
		}
		if c.BirthDate.After(today) || c.AgeOn(today) > 110 {
			t.Fatalf("%s born %s", c.CodiceFiscale, app.FormatDate(c.BirthDate))
		}
	}
}

func TestGenerateCodiciFiscali(t *testing.T) {
	cs := people(t)
	seen := make(map[string]bool, len(cs))
	omocodic := 0
	for _, c := range cs {
		if seen[c.CodiceFiscale] {
			t.Fatalf("codice fiscale %s given twice", c.CodiceFiscale)
		}
		seen[c.CodiceFiscale] = true
		info, err := cf.Parse(c.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		plain, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
		if err != nil {
			t.Fatal(err)
		}
		canonical, _ := cf.Canonical(c.CodiceFiscale)
		if canonical != plain {
			t.Fatalf("%s is not a form of the code %s computed from %+v", c.CodiceFiscale, plain, c)
		}
		if info.Omocodia {
			omocodic++
		}
	}
	// 0.5% on purpose, plus the people who share a plain code.
	if share := float64(omocodic) / float64(len(cs)); share < 0.004 || share > 0.02 {
		t.Errorf("%d omocodic codes (%.2f%%), want about 0.5%%", omocodic, 100*share)
	}
}

// comuneValidOn reports whether the tables have a record of code in force
// on day.
func comuneValidOn(tables *anpr.Tables, code string, day time.Time) bool {
	for _, c := range tables.Comuni {
		if c.Code == code && !day.Before(c.ValidFrom) && !day.After(c.ValidTo) {
			return true
		}
	}
	return false
}

func TestGeneratePlacesAndCitizenship(t *testing.T) {
	tables := anpr.Defaults()
	stateISO3 := map[string]string{}
	for _, s := range tables.States {
		if s.Code != "" {
			stateISO3[s.Code] = s.ISO3
		}
	}
	ix := anpr.NewIndex(tables)
	cs := people(t)
	foreign, home, province, abroadItalians, a562Old := 0, 0, 0, 0, 0
	places := map[string]bool{}
	citizenships := map[string]bool{}
	for _, c := range cs {
		places[c.BirthPlaceCode] = true
		citizenships[c.Citizenship] = true
		if c.Citizenship != "ITA" {
			foreign++
		}
		if strings.HasPrefix(c.BirthPlaceCode, "Z") {
			iso := stateISO3[c.BirthPlaceCode]
			if iso == "" {
				t.Fatalf("%s born in unknown state %s", c.CodiceFiscale, c.BirthPlaceCode)
			}
			if c.Citizenship != "ITA" && iso != c.Citizenship {
				t.Fatalf("%s, citizen of %s, born in %s (%s)", c.CodiceFiscale, c.Citizenship, c.BirthPlaceCode, iso)
			}
			if c.Citizenship == "ITA" {
				abroadItalians++
			}
			continue
		}
		if !comuneValidOn(tables, c.BirthPlaceCode, c.BirthDate) {
			t.Fatalf("%s born on %s in %s, which had no record then", c.CodiceFiscale, app.FormatDate(c.BirthDate), c.BirthPlaceCode)
		}
		switch {
		case c.BirthPlaceCode == "I690":
			home++
		case c.BirthPlaceCode == "A562" && c.BirthDate.Before(app.Date(1935, time.July, 31)):
			a562Old++
		}
		if c.Status == app.StatusResident && c.Citizenship == "ITA" {
			if r, _ := ix.Comune(c.BirthPlaceCode, c.BirthDate); r.Province == "MI" {
				province++
			}
		}
	}
	if share := float64(foreign) / float64(len(cs)); share < 0.08 || share > 0.12 {
		t.Errorf("foreign citizens %.1f%%, want about 10%%", 100*share)
	}
	if len(citizenships) < 10 || len(places) < 60 {
		t.Errorf("%d citizenships and %d places of birth: too few for a comune of 20,000", len(citizenships), len(places))
	}
	if home < 1000 || province < len(cs)/4 {
		t.Errorf("%d born in the comune, %d Italian residents in its province: want the births weighted towards them", home, province)
	}
	if abroadItalians == 0 {
		t.Error("no Italian born abroad")
	}
	if a562Old == 0 {
		t.Error("nobody born in A562 before 1935, when it was BAGNI SAN GIULIANO")
	}
}

func TestGenerateNames(t *testing.T) {
	var particle, apostrophe, accent, foreignDiacritic bool
	for _, c := range people(t) {
		s := c.Surname
		particle = particle || strings.HasPrefix(s, "De ") || strings.HasPrefix(s, "Lo ") || strings.HasPrefix(s, "La ")
		apostrophe = apostrophe || strings.Contains(s, "'")
		accent = accent || strings.ContainsAny(s, "àèéìòù") && c.Citizenship == "ITA"
		foreignDiacritic = foreignDiacritic || strings.ContainsAny(s+c.GivenName, "şţăîâëç") && c.Citizenship != "ITA"
		if strings.TrimSpace(s) != s || strings.TrimSpace(c.GivenName) != c.GivenName || !utf8.ValidString(s+c.GivenName) {
			t.Fatalf("badly formed name %q %q", s, c.GivenName)
		}
	}
	if !particle || !apostrophe || !accent || !foreignDiacritic {
		t.Errorf("particle %v, apostrophe %v, Italian accent %v, foreign diacritic %v: want every kind of surname", particle, apostrophe, accent, foreignDiacritic)
	}
}

var documentRE = regexp.MustCompile(`^C[A-Z][0-9]{5}[A-Z]{2}$`)

func TestGenerateDocumentsAndCertifiability(t *testing.T) {
	docs := map[string]bool{}
	adults, withDoc, notFully := 0, 0, 0
	for _, c := range people(t) {
		if c.DocumentNumber != "" {
			if !documentRE.MatchString(c.DocumentNumber) || c.AgeOn(today) < 18 || docs[c.DocumentNumber] {
				t.Fatalf("%s has document %q (age %d)", c.CodiceFiscale, c.DocumentNumber, c.AgeOn(today))
			}
			docs[c.DocumentNumber] = true
		}
		if c.Status == app.StatusResident {
			if c.AgeOn(today) >= 18 {
				adults++
				if c.DocumentNumber != "" {
					withDoc++
				}
			}
			if c.Certifiability != app.CertifiableFully {
				notFully++
			}
		}
	}
	if share := float64(withDoc) / float64(adults); share < 0.88 || share > 0.96 {
		t.Errorf("%.1f%% of adult residents have a document, want about 92%%", 100*share)
	}
	if notFully == 0 || notFully > 20000/50 {
		t.Errorf("%d residents not fully certifiable, want a few (about 1.3%%)", notFully)
	}
}

var familyRE = regexp.MustCompile(`^I690-F[0-9]{6}$`)

// TestGenerateFamilies checks the family sheets as an anagrafe officer
// would: one head, one address, spouses and children of plausible age and
// civil status.
func TestGenerateFamilies(t *testing.T) {
	type family struct{ residents, others []app.Citizen }
	families := map[string]*family{}
	var order []string
	for _, c := range people(t) {
		if c.Status == app.StatusAIRE {
			continue // the AIRE's own family sheets: TestGenerateHistory
		}
		if !familyRE.MatchString(c.FamilyID) {
			t.Fatalf("family id %q", c.FamilyID)
		}
		f := families[c.FamilyID]
		if f == nil {
			f = &family{}
			families[c.FamilyID] = f
			order = append(order, c.FamilyID)
		}
		if c.Status == app.StatusResident {
			f.residents = append(f.residents, c)
		} else {
			f.others = append(f.others, c)
		}
	}
	years := func(older, younger app.Citizen) int { return older.AgeOn(today) - younger.AgeOn(today) }
	sizes := map[int]int{}
	rels := map[int]int{}
	for _, id := range order {
		f := families[id]
		if len(f.residents) == 0 {
			if len(f.others) != 1 || f.others[0].Relationship != app.RelationshipHead {
				t.Errorf("closed family %s: %+v", id, f.others)
			}
			continue
		}
		sizes[len(f.residents)]++
		if len(f.residents) > 8 {
			t.Errorf("family %s has %d residents", id, len(f.residents))
		}
		head := f.residents[0]
		if head.Relationship != app.RelationshipHead {
			t.Fatalf("family %s does not start with its head: %+v", id, head)
		}
		var spouse *app.Citizen
		for i, c := range f.residents {
			rels[c.Relationship]++
			if c.Address != head.Address {
				t.Errorf("family %s at two addresses: %v and %v", id, head.Address, c.Address)
			}
			switch c.Relationship {
			case app.RelationshipHead:
				if i > 0 {
					t.Errorf("family %s has two heads", id)
				}
			case app.RelationshipSpouse:
				spouse = &f.residents[i]
				if c.Sex == head.Sex || c.CivilStatus != app.CivilStatusMarried || head.CivilStatus != app.CivilStatusMarried {
					t.Errorf("family %s: married couple %+v and %+v", id, head, c)
				}
			case app.RelationshipCivilUnit:
				if c.Sex != head.Sex || c.CivilStatus != 6 || head.CivilStatus != 6 {
					t.Errorf("family %s: unione civile %+v and %+v", id, head, c)
				}
			case app.RelationshipParent:
				if d := years(c, head); d < 17 || d > 46 {
					t.Errorf("family %s: parent %d years older than the head", id, d)
				}
			case 4: // grandchild
				if d := years(head, c); d < 35 || d > 71 {
					t.Errorf("family %s: grandchild %d years younger than the head", id, d)
				}
			case 9: // sibling
				if c.Surname != head.Surname {
					t.Errorf("family %s: sibling %q of %q", id, c.Surname, head.Surname)
				}
			}
		}
		for _, c := range f.residents {
			if c.Relationship != app.RelationshipChild {
				continue
			}
			parents := []app.Citizen{head}
			if spouse != nil {
				parents = append(parents, *spouse)
			}
			for _, p := range parents {
				if d := years(p, c); d < 17 || d > 46 {
					t.Errorf("family %s: child %s %d years younger than parent %s", id, c.GivenName, d, p.GivenName)
				}
			}
			if c.CivilStatus != app.CivilStatusSingle {
				t.Errorf("family %s: child with civil status %d", id, c.CivilStatus)
			}
		}
		// A deceased member of a living family is the late spouse of a
		// widowed member.
		for _, d := range f.others {
			if d.Status != app.StatusDeceased {
				continue
			}
			found := false
			for _, c := range f.residents {
				found = found || c.CivilStatus == app.CivilStatusWidowed && c.Sex != d.Sex
			}
			if !found {
				t.Errorf("family %s: deceased %s without a widowed partner", id, d.GivenName)
			}
		}
	}
	for n := 1; n <= 6; n++ {
		if sizes[n] == 0 {
			t.Errorf("no family of %d (sizes %v)", n, sizes)
		}
	}
	for _, r := range []int{1, 2, 3, 4, 6, 9, 23, 28} {
		if rels[r] == 0 {
			t.Errorf("no resident with relationship %d (%v)", r, rels)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a, err := population.Generate(sesto(3000, 7))
	if err != nil {
		t.Fatal(err)
	}
	b, err := population.Generate(sesto(3000, 7))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options gave two populations")
	}
	c, err := population.Generate(sesto(3000, 8))
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for i := range min(len(a), len(c)) {
		if a[i].CodiceFiscale == c[i].CodiceFiscale {
			same++
		}
	}
	if same > len(a)/100 {
		t.Errorf("seeds 7 and 8 share %d of %d people", same, len(a))
	}
}

func TestStream(t *testing.T) {
	all, err := population.Generate(sesto(500, 3))
	if err != nil {
		t.Fatal(err)
	}
	var got []app.Citizen
	stop := errors.New("enough")
	err = population.Stream(sesto(500, 3), func(c app.Citizen) error {
		got = append(got, c)
		if len(got) == 100 {
			return stop
		}
		return nil
	})
	if err != stop {
		t.Errorf("Stream error = %v, want fn's error as it is", err)
	}
	if !reflect.DeepEqual(got, all[:100]) {
		t.Error("Stream and Generate give different people")
	}
}

// TestRoundTrip writes the population as an import file and reads it back:
// the demo produces files the hub accepts, with every cross-line check.
func TestRoundTrip(t *testing.T) {
	cs := people(t)
	var buf bytes.Buffer
	if err := anagrafe.Write(&buf, cs); err != nil {
		t.Fatal(err)
	}
	back, err := anagrafe.Read(&buf, "I690")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cs) {
		t.Fatal("the population changed through Write and Read")
	}
	if d := anagrafe.Compare(cs, back); len(d.Upserts)+len(d.Deletes) != 0 {
		t.Errorf("Compare of a round trip = %d upserts, %d deletes", len(d.Upserts), len(d.Deletes))
	}
}

func TestPostcodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    population.Options
		ok   func(cap string) bool
	}{
		{"SestoSanGiovanni", sesto(300, 1), func(cap string) bool { return cap == "20099" }},
		{"MilanoByStreet", population.Options{Comune: "F205", Residents: 300, Today: today}, func(cap string) bool { return cap >= "20121" && cap <= "20162" }},
		{"FromProvince", population.Options{Comune: "G078", Residents: 300, Today: today}, func(cap string) bool { return len(cap) == 5 && strings.HasPrefix(cap, "200") }},
		{"Given", population.Options{Comune: "I690", Residents: 300, Today: today, Postcode: "20100"}, func(cap string) bool { return cap == "20100" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := population.Generate(tc.o)
			if err != nil {
				t.Fatal(err)
			}
			byStreet := map[string]string{}
			for _, c := range cs {
				a := c.Address
				if !tc.ok(a.Postcode) {
					t.Fatalf("address %v", a)
				}
				if p, ok := byStreet[a.Street]; ok && p != a.Postcode {
					t.Fatalf("%s has CAP %s and %s", a.Street, p, a.Postcode)
				}
				byStreet[a.Street] = a.Postcode
			}
		})
	}
}

func TestOptionsRefused(t *testing.T) {
	odd := anpr.Defaults()
	odd.Comuni = append(odd.Comuni, anpr.Comune{Code: "M999", Name: "NUOVO COMUNE", Province: "XX", ValidFrom: app.Date(2020, 1, 1), ValidTo: anpr.OpenEnd})
	for _, tc := range []struct {
		name string
		o    population.Options
	}{
		{"NegativeResidents", sesto(-1, 1)},
		{"NoToday", population.Options{Comune: "I690", Residents: 10}},
		{"NotAComune", population.Options{Comune: "Z129", Residents: 10, Today: today}},
		{"UnknownComune", population.Options{Comune: "B999", Residents: 10, Today: today}},
		{"CeasedComune", population.Options{Comune: "L768", Residents: 10, Today: today}},
		{"NoPostcode", population.Options{Comune: "M999", Residents: 10, Today: today, Tables: odd}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			called := false
			err := population.Stream(tc.o, func(app.Citizen) error { called = true; return nil })
			if app.ErrorCode(err) != app.EINVALID || called {
				t.Errorf("Stream error = %v (fn called: %v), want EINVALID before any person", err, called)
			}
		})
	}
	t.Run("PostcodeGiven", func(t *testing.T) {
		o := population.Options{Comune: "M999", Residents: 10, Today: today, Tables: odd, Postcode: "99999"}
		if _, err := population.Generate(o); err != nil {
			t.Errorf("Generate with a CAP given: %v", err)
		}
	})
}

// BenchmarkStream reports how fast a comune of 100,000 residents (108,000
// people with the cancelled ones) is generated.
func BenchmarkStream(b *testing.B) {
	o := sesto(100000, 1)
	n := 0
	for b.Loop() {
		n = 0
		if err := population.Stream(o, func(app.Citizen) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "people/s")
}

// TestMilano generates a comune of Milano's size, 1.4 million residents,
// through an import file writer, and checks that it takes well under a
// minute and that the memory held stays bounded (the set of codes given,
// not the people). It runs only when asked: SPORTELLO_MILANO=1.
func TestMilano(t *testing.T) {
	if os.Getenv("SPORTELLO_MILANO") == "" {
		t.Skip("set SPORTELLO_MILANO=1 to generate 1.4 million residents")
	}
	start := time.Now()
	w := anagrafe.NewWriter(io.Discard)
	n := 0
	var peak uint64
	var ms runtime.MemStats
	err := population.Stream(population.Options{Comune: "F205", Residents: 1_400_000, Seed: 1, Today: today}, func(c app.Citizen) error {
		n++
		if n%100_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return w.Write(&c)
	})
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	t.Logf("%d people in %v (%.0f people/s), heap in use at most %d MiB", n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(), peak>>20)
	if elapsed > 45*time.Second || peak > 256<<20 {
		t.Errorf("took %v with %d MiB of heap: want well under a minute and bounded memory", elapsed, peak>>20)
	}
}

// TestGenerateWithFullTables generates with the whole ANPR archive, as the
// hub can: births spread over thousands of comuni, each in force on the day
// of birth, and (the archive knowing Sesto San Giovanni since 1869) the
// births weighted towards the comune itself at every age.
func TestGenerateWithFullTables(t *testing.T) {
	tables := anprdir.BuiltIn()
	o := sesto(5000, 1)
	o.Tables = tables
	cs, err := population.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	italians, home, oldHome := 0, 0, 0
	places := map[string]bool{}
	for _, c := range cs {
		if err := c.Validate(); err != nil {
			t.Fatalf("%+v: %v", c, err)
		}
		places[c.BirthPlaceCode] = true
		if c.BirthPlaceCode[0] != 'Z' && !comuneValidOn(tables, c.BirthPlaceCode, c.BirthDate) {
			t.Fatalf("%s born on %s in %s, which had no record then", c.CodiceFiscale, app.FormatDate(c.BirthDate), c.BirthPlaceCode)
		}
		if c.Citizenship == "ITA" {
			italians++
			if c.BirthPlaceCode == "I690" {
				home++
				if c.BirthDate.Year() < 1960 {
					oldHome++
				}
			}
		}
	}
	if share := float64(home) / float64(italians); share < 0.35 || share > 0.55 || oldHome == 0 {
		t.Errorf("%.0f%% of Italians born in the comune (%d before 1960), want about 45%% at every age", 100*share, oldHome)
	}
	if len(places) < 500 {
		t.Errorf("%d places of birth, want births all over Italy", len(places))
	}
}
