package cf_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app/cf"
)

// today fixes the century rule for the tests: yy > 26 is 19yy.
var today = time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)

func person(surname, name, sex string, birth time.Time, place string) cf.Person {
	return cf.Person{Surname: surname, Name: name, Sex: sex, BirthDate: birth, BirthPlaceCode: place}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The omocodic forms of RSSMRA85T10A562S, level 0 to 7. Every check
// character was worked out by hand from the DM 23/12/1976 tables (sum 122 for
// the canonical code, then each substitution moves the sum: 2→N odd +15,
// 6→S even +12, 5→R odd -5, 0→L odd +3, 1→M even +11, 5→R even +12, 8→U odd
// -3) and cross-checked with a separate throwaway program.
var rossi = [8]string{
	"RSSMRA85T10A562S",
	"RSSMRA85T10A56NH",
	"RSSMRA85T10A5SNT",
	"RSSMRA85T10ARSNO",
	"RSSMRA85T1LARSNR",
	"RSSMRA85TMLARSNC",
	"RSSMRA8RTMLARSNO",
	"RSSMRAURTMLARSNL",
}

func TestParseAt(t *testing.T) {
	mario := cf.Info{Code: rossi[0], Sex: "M", BirthDate: date(1985, time.December, 10), BirthPlaceCode: "A562"}
	omocodic := func(code string) cf.Info {
		i := mario
		i.Code, i.Omocodia = code, true
		return i
	}
	tests := []struct {
		name string
		code string
		want cf.Info
	}{
		{"MarioRossi", "RSSMRA85T10A562S", mario},
		{"LowerCaseAndSpaces", "  rssmra 85t10\ta562s\u00a0", mario},
		{"Female", "RSSMRA70A41F205Z", cf.Info{Code: "RSSMRA70A41F205Z", Sex: "F", BirthDate: date(1970, time.January, 1), BirthPlaceCode: "F205"}},
		{"LeapDay2000", "BNCNNA00B69L219N", cf.Info{Code: "BNCNNA00B69L219N", Sex: "F", BirthDate: date(2000, time.February, 29), BirthPlaceCode: "L219"}},
		{"LeapDay1996", "VRDLCU96B29H501K", cf.Info{Code: "VRDLCU96B29H501K", Sex: "M", BirthDate: date(1996, time.February, 29), BirthPlaceCode: "H501"}},
		{"Foreign", "ZHOLIX90H55Z210A", cf.Info{Code: "ZHOLIX90H55Z210A", Sex: "F", BirthDate: date(1990, time.June, 15), BirthPlaceCode: "Z210", Foreign: true}},
		{"Omocodia1", rossi[1], omocodic(rossi[1])},
		{"Omocodia2", rossi[2], omocodic(rossi[2])},
		{"Omocodia3", rossi[3], omocodic(rossi[3])},
		{"Omocodia4", rossi[4], omocodic(rossi[4])},
		{"Omocodia5", rossi[5], omocodic(rossi[5])},
		{"Omocodia6", rossi[6], omocodic(rossi[6])},
		{"Omocodia7", rossi[7], omocodic(rossi[7])},
		// Real codes substitute from the right, but any subset is accepted.
		{"OmocodiaOnlyPosition7", "RSSMRAU5T10A562P", omocodic("RSSMRAU5T10A562P")},
		{"OmocodiaPositions11And14", "RSSMRA85T1LA5S2H", omocodic("RSSMRA85T1LA5S2H")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cf.ParseAt(tt.code, today)
			if err != nil {
				t.Fatalf("ParseAt(%q): %v", tt.code, err)
			}
			if got != tt.want {
				t.Errorf("ParseAt(%q) =\n%+v, want\n%+v", tt.code, got, tt.want)
			}
		})
	}
}

func TestParseAtErrors(t *testing.T) {
	tests := []struct {
		name   string
		code   string
		reason cf.Reason
		pos    int
	}{
		{"ErrEmpty", "", cf.ReasonLength, 0},
		{"ErrTooShort", "RSSMRA85T10A562", cf.ReasonLength, 0},
		{"ErrTooLong", "RSSMRA85T10A562SS", cf.ReasonLength, 0},
		{"ErrDigitInSurname", "R5SMRA85T10A562S", cf.ReasonChar, 2},
		{"ErrNonASCIILetter", "RSSMRÀ85T10A562S", cf.ReasonChar, 6},
		{"ErrLetterNotOmocodia", "RSSMRAA5T10A562S", cf.ReasonChar, 7},
		{"ErrDigitForPlaceLetter", "RSSMRA85T101562S", cf.ReasonChar, 12},
		{"ErrDigitForCheckChar", "RSSMRA85T10A5620", cf.ReasonChar, 16},
		{"ErrFirstBadCharWins", "R5SMRA85T00A56!S", cf.ReasonChar, 2},
		{"ErrMonthLetter", "RSSMRA85F10A562S", cf.ReasonMonth, 9},
		{"ErrMonthDigit", "RSSMRA85110A562S", cf.ReasonMonth, 9},
		{"ErrDay00", "VRDLCU97B00H501P", cf.ReasonDay, 10},
		{"ErrDay32", "VRDLCU97B32H501W", cf.ReasonDay, 10},
		{"ErrDay40", "VRDLCU97B40H501T", cf.ReasonDay, 10},
		{"ErrDay72", "VRDLCU97B72H501A", cf.ReasonDay, 10},
		{"ErrDayBeforeCheckChar", "VRDLCU97B32H501A", cf.ReasonDay, 10},
		{"Err29FebNonLeap", "VRDLCU99B29H501N", cf.ReasonDate, 7},
		{"Err31Feb", "VRDLCU97B31H501R", cf.ReasonDate, 7},
		{"Err31FebFemale", "VRDLCU97B71H501V", cf.ReasonDate, 7},
		{"Err31Apr", "VRDLCU97D31H501Y", cf.ReasonDate, 7},
		{"ErrPlaceLetterN", "RSSMRA85T10N562F", cf.ReasonPlace, 12},
		{"ErrPlaceLetterK", "RSSMRA85T10K562C", cf.ReasonPlace, 12},
		{"ErrPlace000", "RSSMRA85T10A000W", cf.ReasonPlace, 12},
		{"ErrInvalidCheckChar", "RSSMRA85T10A562T", cf.ReasonCheckChar, 16},
		{"ErrOmocodicWithCanonicalCheckChar", "RSSMRA85T10A56NS", cf.ReasonCheckChar, 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cf.ParseAt(tt.code, today)
			var e *cf.Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseAt(%q) error = %v, want a *cf.Error", tt.code, err)
			}
			if e.Reason != tt.reason || e.Pos != tt.pos {
				t.Errorf("ParseAt(%q) = reason %d pos %d (%v), want reason %d pos %d", tt.code, e.Reason, e.Pos, err, tt.reason, tt.pos)
			}
			if cf.Valid(tt.code) {
				t.Errorf("Valid(%q) = true", tt.code)
			}
		})
	}
}

func TestParseAtCentury(t *testing.T) {
	tests := []struct {
		name  string
		today time.Time
		want  int
	}{
		{"YearAfterTodayIs19yy", date(2084, time.December, 31), 1985},
		{"SameYearIs20yy", date(2085, time.January, 1), 2085},
		{"YearBeforeTodayIs20yy", date(2086, time.June, 1), 2085},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := cf.ParseAt(rossi[0], tt.today)
			if err != nil {
				t.Fatal(err)
			}
			if info.BirthDate.Year() != tt.want {
				t.Errorf("year = %d, want %d", info.BirthDate.Year(), tt.want)
			}
		})
	}
}

func TestParseUsesNow(t *testing.T) {
	// Someone born in 1985 stays born in 1985 until 2085.
	info, err := cf.Parse(rossi[0])
	if err != nil || info.BirthDate != date(1985, time.December, 10) {
		t.Errorf("Parse(%q) = %v, %v", rossi[0], info.BirthDate, err)
	}
	if !cf.Valid(" rssmra85t10a562s ") {
		t.Error("Valid of a lower-case code with spaces = false")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"Unchanged", "RSSMRA85T10A562S", "RSSMRA85T10A562S"},
		{"TrimAndInnerSpaces", " rss mra 85t10 a562s\n", "RSSMRA85T10A562S"},
		{"NonBreakingSpace", "RSS\u00a0MRA", "RSSMRA"},
		// Go's ToUpper would turn the dotless ı into I: a code typed with
		// it must stay invalid.
		{"NoUnicodeCaseMapping", "rssmra85t10a562ſı", "RSSMRA85T10A562ſı"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cf.Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCheckChar(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want byte
	}{
		{"MarioRossi", "RSSMRA85T10A562", 'S'},
		{"Female", "RSSMRA70A41F205", 'Z'},
		{"Omocodia7", "RSSMRAURTMLARSN", 'L'},
		{"Foreign", "ZHOLIX90H55Z210", 'A'},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cf.CheckChar(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("CheckChar(%q) = %c, %v, want %c", tt.in, got, err, tt.want)
			}
		})
	}
	errs := []struct {
		name   string
		in     string
		reason cf.Reason
		pos    int
	}{
		{"ErrLength", "RSSMRA85T10A562S", cf.ReasonLength, 0},
		{"ErrLowerCase", "RSSmRA85T10A562", cf.ReasonChar, 4},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cf.CheckChar(tt.in)
			var e *cf.Error
			if !errors.As(err, &e) || e.Reason != tt.reason || e.Pos != tt.pos {
				t.Errorf("CheckChar(%q) error = %#v, want reason %d pos %d", tt.in, err, tt.reason, tt.pos)
			}
		})
	}
}

func TestCanonical(t *testing.T) {
	for n, code := range rossi {
		t.Run(code, func(t *testing.T) {
			got, err := cf.Canonical(code)
			if err != nil || got != rossi[0] {
				t.Errorf("Canonical(%q) (level %d) = %q, %v, want %q", code, n, got, err, rossi[0])
			}
		})
	}
	t.Run("AnySubset", func(t *testing.T) {
		if got, err := cf.Canonical("RSSMRAU5T10A562P"); err != nil || got != rossi[0] {
			t.Errorf("Canonical = %q, %v", got, err)
		}
	})
	t.Run("ErrInvalidCheckChar", func(t *testing.T) {
		var e *cf.Error
		if _, err := cf.Canonical("RSSMRA85T10A56NS"); !errors.As(err, &e) || e.Reason != cf.ReasonCheckChar {
			t.Errorf("Canonical of a wrong code: error = %v, want ReasonCheckChar", err)
		}
	})
}

func TestOmocode(t *testing.T) {
	for n := 1; n <= 7; n++ {
		// From the canonical code and from an omocodic one of another
		// level: the result depends only on the person and n.
		for _, from := range []string{rossi[0], rossi[7-n+1], "RSSMRAU5T10A562P"} {
			got, err := cf.Omocode(from, n)
			if err != nil || got != rossi[n] {
				t.Errorf("Omocode(%q, %d) = %q, %v, want %q", from, n, got, err, rossi[n])
			}
		}
	}
	for _, n := range []int{-1, 0, 8} {
		if got, err := cf.Omocode(rossi[0], n); err == nil {
			t.Errorf("Omocode(%q, %d) = %q, want an error", rossi[0], n, got)
		}
	}
	var e *cf.Error
	if _, err := cf.Omocode("RSSMRA85T10A562T", 1); !errors.As(err, &e) || e.Reason != cf.ReasonCheckChar {
		t.Errorf("Omocode of a wrong code: error = %v, want ReasonCheckChar", err)
	}
}

func TestSurnameCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Rossi", "RSS"},
		{"De Luca", "DLC"},
		{"D'Angelo", "DNG"},
		{"D’Angelo", "DNG"}, // typographic apostrophe
		{"Fo", "FOX"},
		{"Ai", "AIX"},
		{"Y", "YXX"},
		{"", "XXX"},
		{"Lo Bianco", "LBN"},
		{"Rossi-Bianchi", "RSS"},
		{"Müller", "MLL"},
		{"Ștefănescu", "STF"},
		{"Niccolò", "NCC"},
		{"NICCOLÒ", "NCC"},
		{"Niccolo\u0300", "NCC"}, // decomposed accent
		{"Œlschläger", "LSC"},    // Œ folds to the vowels OE
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cf.SurnameCode(tt.in); got != tt.want {
				t.Errorf("SurnameCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNameCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Gianfranco", "GFR"}, // 4+ consonants: 1st, 3rd, 4th
		{"Alessandro", "LSN"},
		{"Francesco", "FNC"},
		{"Maria Grazia", "MGR"},
		{"Maria", "MRA"},
		{"Mario", "MRA"},
		{"Luca", "LCU"},
		{"Cristina", "CST"},
		{"Ugo", "GUO"},
		{"Fo", "FOX"},
		{"Kyle", "KYL"}, // Y is a consonant
		{"José", "JSO"},
		{"Gauß", "GSS"},
		{"", "XXX"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := cf.NameCode(tt.in); got != tt.want {
				t.Errorf("NameCode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCompute(t *testing.T) {
	rome := time.FixedZone("CET", 3600)
	tests := []struct {
		name   string
		person cf.Person
		want   string
	}{
		{"MarioRossi", person("Rossi", "Mario", "M", date(1985, time.December, 10), "A562"), "RSSMRA85T10A562S"},
		{"MariaRossi", person("Rossi", "Maria", "F", date(1970, time.January, 1), "F205"), "RSSMRA70A41F205Z"},
		{"LeapDay", person("Bianchi", "Anna", "F", date(2000, time.February, 29), "L219"), "BNCNNA00B69L219N"},
		{"NameWithFourConsonants", person("De Luca", "Gianfranco", "M", date(1962, time.July, 4), "H501"), "DLCGFR62L04H501F"},
		{"Apostrophe", person("D'Angelo", "Luca", "M", date(2003, time.November, 30), "F839"), "DNGLCU03S30F839J"},
		{"ShortSurname", person("Fo", "Dario", "M", date(1946, time.March, 24), "I793"), "FOXDRA46C24I793F"},
		{"ShortNameForeign", person("Zhou", "Li", "F", date(1990, time.June, 15), "Z210"), "ZHOLIX90H55Z210A"},
		{"Accents", person("Niccolò", "José", "M", date(1975, time.April, 25), "G273"), "NCCJSO75D25G273B"},
		{"SharpS", person("Müller", "Straße", "M", date(1948, time.February, 2), "Z112"), "MLLSRS48B02Z112A"},
		{"TwoNamesTwoWords", person("Lo Bianco", "Maria Grazia", "F", date(1999, time.December, 31), "C351"), "LBNMGR99T71C351E"},
		{"LowerCaseInput", person("rossi", "mario", "m", date(1985, time.December, 10), "a562"), "RSSMRA85T10A562S"},
		{"MidnightNotInUTC", person("Rossi", "Mario", "M", time.Date(1985, time.December, 10, 0, 0, 0, 0, rome), "A562"), "RSSMRA85T10A562S"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cf.Compute(tt.person)
			if err != nil || got != tt.want {
				t.Fatalf("Compute(%+v) = %q, %v, want %q", tt.person, got, err, tt.want)
			}
			info, err := cf.ParseAt(got, today)
			if err != nil {
				t.Fatalf("ParseAt(%q): %v", got, err)
			}
			y, m, d := tt.person.BirthDate.Date()
			if info.Sex != strings.ToUpper(tt.person.Sex) || info.BirthDate != date(y, m, d) ||
				info.BirthPlaceCode != strings.ToUpper(tt.person.BirthPlaceCode) || info.Omocodia {
				t.Errorf("ParseAt(%q) = %+v, does not match %+v", got, info, tt.person)
			}
		})
	}
}

func TestComputeErrors(t *testing.T) {
	ok := person("Rossi", "Mario", "M", date(1985, time.December, 10), "A562")
	tests := []struct {
		name   string
		change func(*cf.Person)
		reason cf.Reason
	}{
		{"ErrNoSurname", func(p *cf.Person) { p.Surname = " ' " }, cf.ReasonSurname},
		{"ErrCyrillicSurname", func(p *cf.Person) { p.Surname = "Иванов" }, cf.ReasonSurname},
		{"ErrPartlyCyrillicSurname", func(p *cf.Person) { p.Surname = "Rossiй" }, cf.ReasonSurname},
		{"ErrNoName", func(p *cf.Person) { p.Name = "" }, cf.ReasonName},
		{"ErrSex", func(p *cf.Person) { p.Sex = "X" }, cf.ReasonSex},
		{"ErrNoBirthDate", func(p *cf.Person) { p.BirthDate = time.Time{} }, cf.ReasonDate},
		{"ErrPlaceShort", func(p *cf.Person) { p.BirthPlaceCode = "A56" }, cf.ReasonPlace},
		{"ErrPlaceOmocodic", func(p *cf.Person) { p.BirthPlaceCode = "A56N" }, cf.ReasonPlace},
		{"ErrPlaceLetter", func(p *cf.Person) { p.BirthPlaceCode = "N562" }, cf.ReasonPlace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			code, err := cf.Compute(p)
			var e *cf.Error
			if !errors.As(err, &e) || e.Reason != tt.reason {
				t.Errorf("Compute(%+v) = %q, %v, want reason %d", p, code, err, tt.reason)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := cf.ParseAt("RSSMRA85T10A562T", today)
	var e *cf.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v", err)
	}
	if got, want := e.Error(), "codice fiscale: carattere di controllo errato (atteso S)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := e.EnglishMessage(), "codice fiscale: wrong check character (S expected)"; got != want {
		t.Errorf("EnglishMessage() = %q, want %q", got, want)
	}
	_, err = cf.ParseAt("RSSMRA8AT10A562S", today)
	if got, want := err.Error(), "codice fiscale: carattere non valido in posizione 8 (attesa una cifra)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}

	// Every reason has its own message in both languages.
	it, en := map[string]cf.Reason{}, map[string]cf.Reason{}
	for r := cf.ReasonLength; r <= cf.ReasonName; r++ {
		e := &cf.Error{Reason: r, Pos: 1, Want: 'A'}
		if prev, dup := it[e.Error()]; dup {
			t.Errorf("reasons %d and %d share the message %q", prev, r, e.Error())
		}
		if prev, dup := en[e.EnglishMessage()]; dup {
			t.Errorf("reasons %d and %d share the English message %q", prev, r, e.EnglishMessage())
		}
		it[e.Error()], en[e.EnglishMessage()] = r, r
	}
	if _, generic := it[(&cf.Error{}).Error()]; generic {
		t.Error("a reason falls back to the generic message")
	}
}

// places is a fake cf.Places backed by a function.
type places func(code string, on time.Time) (string, bool)

func (f places) PlaceName(code string, on time.Time) (string, bool) { return f(code, on) }

func TestInfoBirthPlace(t *testing.T) {
	info, err := cf.ParseAt(rossi[3], today)
	if err != nil {
		t.Fatal(err)
	}
	p := places(func(code string, on time.Time) (string, bool) {
		if code == "A562" && on.Equal(date(1985, time.December, 10)) {
			return "SAN GIULIANO TERME", true
		}
		return "", false
	})
	if name, ok := info.BirthPlace(p); !ok || name != "SAN GIULIANO TERME" {
		t.Errorf("BirthPlace = %q, %v", name, ok)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cf.ParseAt(rossi[4], today); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompute(b *testing.B) {
	p := person("De Luca", "Gianfranco", "M", date(1962, time.July, 4), "H501")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cf.Compute(p); err != nil {
			b.Fatal(err)
		}
	}
}
