package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
	"github.com/sportello/sportello/store"
)

// MustOpen opens a new cache in a temporary directory, closed at the end of
// the test.
func MustOpen(tb testing.TB) *store.Store {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "cache.db"))
}

func mustOpenAt(tb testing.TB, path string) *store.Store {
	tb.Helper()
	s, err := store.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// person builds a valid citizen of Milano (F205) with the codice fiscale
// computed by the rules of DM 23/12/1976.
func person(surname, given, sex string, born time.Time, place, family string, rel int) app.Citizen {
	code, err := cf.Compute(cf.Person{Surname: surname, Name: given, Sex: sex, BirthDate: born, BirthPlaceCode: place})
	if err != nil {
		panic(fmt.Sprintf("fixture %s %s: %v", surname, given, err))
	}
	return app.Citizen{
		CodiceFiscale:  code,
		Surname:        surname,
		GivenName:      given,
		Sex:            sex,
		BirthDate:      born,
		BirthPlaceCode: place,
		Citizenship:    "ITA",
		CivilStatus:    app.CivilStatusSingle,
		Comune:         "F205",
		Address:        app.Address{Street: "Via Giuseppe Garibaldi", HouseNumber: "12/A", Postcode: "20121"},
		FamilyID:       family,
		Relationship:   rel,
		Status:         app.StatusResident,
		RegisteredOn:   born,
		Certifiability: app.CertifiableFully,
		DocumentNumber: "CA12345AB",
		UpdatedAt:      time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
	}
}

// The fixture anagrafe. Rossi Mario of 1985 is the textbook code
// RSSMRA85T10A562S (born in Albano Laziale, A562).
var (
	rossiMario85   = person("Rossi", "Mario", "M", app.Date(1985, 12, 10), "A562", "FAM-ROSSI", app.RelationshipHead)
	rossiMarta     = person("Rossi", "Marta", "F", app.Date(1983, 7, 21), "F205", "FAM-ROSSI", app.RelationshipSpouse)
	rossiLuca      = person("Rossi", "Luca", "M", app.Date(2012, 1, 9), "F205", "FAM-ROSSI", app.RelationshipChild)
	rossiGiulia    = person("Rossi", "Giulia", "F", app.Date(2015, 5, 5), "F205", "FAM-ROSSI", app.RelationshipChild)
	rossiMario50   = person("Rossi", "Mario", "M", app.Date(1950, 3, 1), "F205", "FAM-ROSSI-2", app.RelationshipHead)
	rossiniMario   = person("Rossini", "Mario", "M", app.Date(1979, 4, 2), "F205", "FAM-ROSSINI", app.RelationshipHead)
	deLucaMario    = person("De Luca", "Mario", "M", app.Date(1970, 3, 2), "H501", "FAM-DELUCA", app.RelationshipHead)
	deLucaAnna     = person("De Luca", "Anna", "F", app.Date(1972, 8, 15), "F839", "FAM-DELUCA", app.RelationshipSpouse)
	delucaGiovanni = person("Deluca", "Giovanni", "M", app.Date(1990, 11, 30), "F205", "FAM-DELUCA-2", app.RelationshipHead)
	dangeloMaria   = person("D'Angelo", "Maria", "F", app.Date(1965, 2, 14), "F839", "FAM-DANGELO", app.RelationshipHead)
	dangeloMarco   = person("Dangelo", "Marco", "M", app.Date(1968, 6, 6), "F205", "FAM-DANGELO-2", app.RelationshipHead)
	bianchiNicolo  = person("Bianchi", "Nicolò", "M", app.Date(2001, 9, 9), "F205", "FAM-BIANCHI", app.RelationshipHead)
	cantuGiulia    = person("Cantù", "Giulia", "F", app.Date(1995, 1, 31), "C933", "FAM-CANTU", app.RelationshipHead)
	martinoMartino = person("Martino", "Martino", "M", app.Date(1940, 10, 10), "F205", "FAM-MARTINO", app.RelationshipHead)
)

func fixtures() []app.Citizen {
	return []app.Citizen{
		rossiMario85, rossiMarta, rossiLuca, rossiGiulia, rossiMario50, rossiniMario,
		deLucaMario, deLucaAnna, delucaGiovanni, dangeloMaria, dangeloMarco,
		bianchiNicolo, cantuGiulia, martinoMartino,
	}
}

// mustOpenWithFixtures opens a cache holding the fixture anagrafe.
func mustOpenWithFixtures(tb testing.TB) *store.Store {
	tb.Helper()
	s := MustOpen(tb)
	if err := s.PutCitizens(context.Background(), fixtures()); err != nil {
		tb.Fatal(err)
	}
	return s
}

func names(cs []app.CitizenSummary) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s", c.Surname, c.GivenName, app.FormatDate(c.BirthDate)))
	}
	return out
}

func summaryNames(cs ...app.Citizen) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%s %s %s", c.Surname, c.GivenName, app.FormatDate(c.BirthDate)))
	}
	return out
}

func TestOpen(t *testing.T) {
	t.Run("ReopensExisting", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		s := mustOpenAt(t, path)
		if err := s.PutCitizens(context.Background(), []app.Citizen{rossiMario85}); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = mustOpenAt(t, path)
		if n, _ := s.CountCitizens(context.Background()); n != 1 {
			t.Errorf("%d citizens after reopening, want 1", n)
		}
	})
	t.Run("ErrNewerSchema", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		s := mustOpenAt(t, path)
		if _, err := s.DB().Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', '')`); err != nil {
			t.Fatal(err)
		}
		s.Close()
		if s, err := store.Open(path); err == nil {
			s.Close()
			t.Error("a cache of a newer version was opened")
		}
	})
}

func TestFixturesAreValid(t *testing.T) {
	if rossiMario85.CodiceFiscale != "RSSMRA85T10A562S" {
		t.Fatalf("Rossi Mario 1985 = %s, want RSSMRA85T10A562S", rossiMario85.CodiceFiscale)
	}
	seen := map[string]bool{}
	for _, c := range fixtures() {
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", c.FullName(), err)
		}
		if seen[c.CodiceFiscale] {
			t.Errorf("%s: codice fiscale %s used twice", c.FullName(), c.CodiceFiscale)
		}
		seen[c.CodiceFiscale] = true
	}
}

func TestSearchCitizens(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	for _, tc := range []struct {
		name  string
		text  string
		limit int
		want  []app.Citizen
	}{
		{"FullCF", "RSSMRA85T10A562S", 50, []app.Citizen{rossiMario85}},
		{"FullCFLowerCaseSpaced", " rssmra85t10a562s ", 50, []app.Citizen{rossiMario85}},
		{"CFPrefix", "RSSMRA", 50, []app.Citizen{rossiMario50, rossiniMario, rossiMario85}},
		{"CFPrefixWithYear", "RSSMRA85", 50, []app.Citizen{rossiMario85}},
		{"SurnamePrefixInOrder", "rossi", 50, []app.Citizen{rossiGiulia, rossiLuca, rossiMario50, rossiMario85, rossiMarta, rossiniMario}},
		{"SurnameAndGiven", "Rossi Mario", 50, []app.Citizen{rossiMario50, rossiMario85}},
		{"SurnameAndGivenPrefix", "rossi ma", 50, []app.Citizen{rossiMario50, rossiMario85, rossiMarta}},
		{"GivenFirst", "Mario Rossi", 50, []app.Citizen{rossiMario50, rossiMario85, rossiniMario}},
		{"TwoWordSurname", "De Luca Mario", 50, []app.Citizen{deLucaMario}},
		{"TwoWordSurnameGivenFirst", "Mario De Luca", 50, []app.Citizen{deLucaMario}},
		{"JoinedSurname", "deluca", 50, []app.Citizen{deLucaAnna, delucaGiovanni, deLucaMario}},
		{"Apostrophe", "D'Angelo", 50, []app.Citizen{dangeloMarco, dangeloMaria}},
		{"ApostropheOmittedGivenInitial", "dangelo m", 50, []app.Citizen{dangeloMarco, dangeloMaria}},
		{"ApostropheOmittedGivenPrefix", "dangelo mari", 50, []app.Citizen{dangeloMaria}},
		{"AccentTyped", "Bianchi Nicolò", 50, []app.Citizen{bianchiNicolo}},
		{"AccentOmitted", "bianchi nicolo", 50, []app.Citizen{bianchiNicolo}},
		{"AccentInSurnameOmitted", "cantu", 50, []app.Citizen{cantuGiulia}},
		{"AccentInSurnameUpperCase", "CANTÙ GIULIA", 50, []app.Citizen{cantuGiulia}},
		{"SameWordTwiceNoDuplicate", "Martino Martino", 50, []app.Citizen{martinoMartino}},
		{"Limit", "rossi", 2, []app.Citizen{rossiGiulia, rossiLuca}},
		{"LimitAcrossReadings", "Mario Rossi", 2, []app.Citizen{rossiMario50, rossiMario85}},
		{"NoMatch", "Zanetti", 50, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := app.ParseQuery(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.SearchCitizens(ctx, q, tc.limit)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := names(got), summaryNames(tc.want...); !reflect.DeepEqual(g, w) {
				t.Errorf("search %q:\n got %q\nwant %q", tc.text, g, w)
			}
		})
	}
	t.Run("SummaryFields", func(t *testing.T) {
		q, _ := app.ParseQuery("RSSMRA85T10A562S")
		got, err := s.SearchCitizens(ctx, q, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := app.CitizenSummary{CodiceFiscale: "RSSMRA85T10A562S", Surname: "Rossi", GivenName: "Mario",
			BirthDate: app.Date(1985, 12, 10), Comune: "F205", Status: app.StatusResident}
		if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}

// TestSearchUsesIndexes checks the plan of every query the search runs: a
// full scan or a sort would be unnoticeable here and take a second on the
// 1.4 million citizens of Milano.
func TestSearchUsesIndexes(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	for _, text := range []string{
		"RSSMRA85T10A562S", "RSSMRA8", "r", "rossi", "rossi ma", "Mario Rossi", "De Luca Mario", "dangelo m", "a b c d",
	} {
		t.Run(text, func(t *testing.T) {
			q, err := app.ParseQuery(text)
			if err != nil {
				t.Fatal(err)
			}
			plans, err := s.ExplainSearch(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) == 0 {
				t.Fatal("no query")
			}
			for _, p := range plans {
				if !strings.Contains(p, "USING INDEX") && !strings.Contains(p, "USING COVERING INDEX") ||
					strings.Contains(p, "SCAN") || strings.Contains(p, "TEMP B-TREE") {
					t.Errorf("plan without an index range, or with a sort:\n%s", p)
				}
			}
		})
	}
}

func TestCitizen(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	t.Run("AllFieldsKept", func(t *testing.T) {
		c := rossiMarta
		c.CivilStatus = app.CivilStatusMarried
		c.Status = app.StatusEmigrated
		c.CancelledOn = app.Date(2024, 2, 29)
		c.CancelReason = "Emigrazione in altro comune"
		// What ANPR's issuing controls read.
		c.OtherCitizenships, c.OpenProcedure, c.NoFixedAbode = "FRA USA", true, true
		if err := s.PutCitizens(ctx, []app.Citizen{c}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Citizen(ctx, c.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, c) {
			t.Errorf("got  %+v\nwant %+v", *got, c)
		}
	})
	t.Run("CitizenshipStatusKept", func(t *testing.T) {
		c := rossiMarta
		c.Citizenship, c.CitizenshipStatus = "", app.CitizenshipNotAttributable
		if err := s.PutCitizens(ctx, []app.Citizen{c}); err != nil {
			t.Fatal(err)
		}
		if got, err := s.Citizen(ctx, c.CodiceFiscale); err != nil || !reflect.DeepEqual(*got, c) {
			t.Errorf("got %+v, %v\nwant %+v", got, err, c)
		}
	})
	t.Run("LowerCaseCode", func(t *testing.T) {
		got, err := s.Citizen(ctx, "rssmra85t10a562s")
		if err != nil {
			t.Fatal(err)
		}
		if got.FullName() != "Rossi Mario" {
			t.Errorf("got %s", got.FullName())
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Citizen(ctx, "VRDGPP13R10B293W")
		if app.ErrorCode(err) != app.ENOTFOUND || !strings.Contains(app.ErrorMessage(err), "VRDGPP13R10B293W") {
			t.Errorf("err = %v, want ENOTFOUND naming the code", err)
		}
	})
}

func TestPutCitizens(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrInvalidWritesNothing", func(t *testing.T) {
		s := MustOpen(t)
		bad := rossiLuca
		bad.Sex = "F" // disagrees with the codice fiscale
		err := s.PutCitizens(ctx, []app.Citizen{rossiMario85, bad})
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), bad.CodiceFiscale) {
			t.Errorf("err = %v, want EINVALID naming %s", err, bad.CodiceFiscale)
		}
		if n, _ := s.CountCitizens(ctx); n != 0 {
			t.Errorf("%d citizens written, want 0", n)
		}
	})
	t.Run("StoresCodeNormalized", func(t *testing.T) {
		s := MustOpen(t)
		c := rossiMario85
		c.CodiceFiscale = "rssmra85t10a562s"
		if err := s.PutCitizens(ctx, []app.Citizen{c}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Citizen(ctx, "RSSMRA85T10A562S")
		if err != nil || got.CodiceFiscale != "RSSMRA85T10A562S" {
			t.Errorf("got %+v, %v", got, err)
		}
		q, _ := app.ParseQuery("RSSMRA85")
		if res, _ := s.SearchCitizens(ctx, q, 10); len(res) != 1 {
			t.Errorf("search by the code prefix: %d results", len(res))
		}
	})
	t.Run("Replaces", func(t *testing.T) {
		s := mustOpenWithFixtures(t)
		moved := rossiniMario
		moved.Surname = "Rossini Bianchi"
		if err := s.PutCitizens(ctx, []app.Citizen{moved}); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountCitizens(ctx); n != len(fixtures()) {
			t.Errorf("%d citizens, want %d", n, len(fixtures()))
		}
		q, _ := app.ParseQuery("rossinibianchi")
		got, err := s.SearchCitizens(ctx, q, 10)
		if err != nil || len(got) != 1 {
			t.Errorf("search by the new surname: %v, %v", names(got), err)
		}
	})
}

func TestFamily(t *testing.T) {
	ctx := context.Background()
	s := mustOpenWithFixtures(t)
	got, err := s.Family(ctx, "FAM-ROSSI")
	if err != nil {
		t.Fatal(err)
	}
	var g []string
	for _, c := range got {
		g = append(g, c.GivenName)
	}
	// The head first although the spouse is older, then by birth date.
	if want := []string{"Mario", "Marta", "Luca", "Giulia"}; !reflect.DeepEqual(g, want) {
		t.Errorf("family = %q, want %q", g, want)
	}
	none, err := s.Family(ctx, "FAM-NONE")
	if err != nil || len(none) != 0 {
		t.Errorf("unknown family: %v, %v", none, err)
	}
}
