package anagrafe_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anagrafe"
)

const header = "codice_fiscale,cognome,nome,sesso,data_nascita,luogo_nascita,cittadinanza,stato_civile,indirizzo,civico,cap,id_famiglia,relazione_parentela,posizione,data_iscrizione,data_cancellazione,motivo_cancellazione,certificabilita,documento_identita"

// writtenHeader is header with the optional columns of ANPR's issuing
// controls, which Write always writes and a comune's file may leave out.
const writtenHeader = header + ",stato_cittadinanza,altre_cittadinanze,procedimento_aperto,senza_fissa_dimora"

// sample is a small valid file: a family of three and its daughter who
// moved away, a widower born in A562 when it was still Bagni San Giuliano, a
// Romanian citizen with diacritics, a deceased man. The codes are real
// codici fiscali of these made-up people.
var sample = []string{
	header, // line 1
	"RSSMRA70C15F205N,Rossi,Mario,M,1970-03-15,F205,ITA,2,Via Giuseppe Garibaldi,12/A,20099,I690-F000001,1,residente,1995-06-01,,,2,CA12345AB",                                               // 2
	"BNCNNA72H50H501J,Bianchi,Anna,F,1972-06-10,H501,ITA,2,Via Giuseppe Garibaldi,12/A,20099,I690-F000001,2,residente,1998-09-12,,,2,CA23456BC",                                              // 3
	"RSSLCU05A20I690N,Rossi,Luca,M,2005-01-20,I690,ITA,1,Via Giuseppe Garibaldi,12/A,20099,I690-F000001,3,residente,2005-01-25,,,2,",                                                         // 4
	"RSSGLI99P49I690R,Rossi,Giulia,F,1999-09-09,I690,ITA,1,Via Giuseppe Garibaldi,12/A,20099,I690-F000001,3,emigrato,1999-09-15,2022-09-01,emigrazione in altro comune (Milano),2,CA34567CD", // 5
	"DNGNCL28S02A562O,D'Angelo,Nicolò,M,1928-11-02,A562,ITA,3,\"Piazza della Repubblica, lato nord\",1,20099,I690-F000002,1,residente,1960-01-01,,,1,",                                       // 6
	"STFNIO90D44Z129X,Ştefănescu,Ioana,F,1990-04-04,Z129,ROU,1,Viale Italia,45,20099,I690-F000003,1,residente,2015-03-02,,,2,CA45678DE",                                                      // 7
	"SPSSVT40B29F839K,Esposito,Salvatore,M,1940-02-29,F839,ITA,2,Via Fratelli Bandiera,3,20099,I690-F000004,1,deceduto,1972-05-05,2020-02-02,decesso,2,",                                     // 8
}

func sampleFile() string { return strings.Join(sample, "\n") + "\n" }

// withLine returns the sample with line n (1-based) replaced by s.
func withLine(n int, s string) string {
	lines := append([]string(nil), sample...)
	lines[n-1] = s
	return strings.Join(lines, "\n") + "\n"
}

// withField returns the sample with the value of column col on line n set
// to v (v is put in the file as it is, quotes included).
func withField(n int, col, v string) string {
	names := strings.Split(header, ",")
	i := 0
	for i < len(names) && names[i] != col {
		i++
	}
	if i == len(names) {
		panic("no column " + col)
	}
	fields := splitSimple(sample[n-1])
	fields[i] = v
	return withLine(n, strings.Join(fields, ","))
}

// splitSimple splits a sample line at its commas, keeping a quoted value
// whole; the sample has no doubled quotes.
func splitSimple(line string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ',' && !quoted:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(out, cur.String())
}

func TestRead(t *testing.T) {
	cs, err := anagrafe.Read(strings.NewReader(sampleFile()), "I690")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != len(sample)-1 {
		t.Fatalf("got %d people, want %d", len(cs), len(sample)-1)
	}
	want := app.Citizen{
		CodiceFiscale:  "DNGNCL28S02A562O",
		Surname:        "D'Angelo",
		GivenName:      "Nicolò",
		Sex:            "M",
		BirthDate:      app.Date(1928, time.November, 2),
		BirthPlaceCode: "A562",
		Citizenship:    "ITA",
		CivilStatus:    app.CivilStatusWidowed,
		Comune:         "I690",
		Address:        app.Address{Street: "Piazza della Repubblica, lato nord", HouseNumber: "1", Postcode: "20099"},
		FamilyID:       "I690-F000002",
		Relationship:   app.RelationshipHead,
		Status:         app.StatusResident,
		RegisteredOn:   app.Date(1960, time.January, 1),
		Certifiability: 1,
	}
	if !reflect.DeepEqual(cs[4], want) {
		t.Errorf("line 6 read as\n%+v\nwant\n%+v", cs[4], want)
	}
	if g := cs[3]; g.Status != app.StatusEmigrated || !g.CancelledOn.Equal(app.Date(2022, time.September, 1)) || g.CancelReason != "emigrazione in altro comune (Milano)" {
		t.Errorf("emigrated daughter read as %+v", g)
	}
	if s := cs[5].Surname; s != "Ştefănescu" {
		t.Errorf("surname with diacritics read as %q", s)
	}
}

// TestReadLenient checks what a spreadsheet or another program does to a
// file that is still right: byte order mark, CRLF, columns in another order,
// spaces around values, a lower-case codice fiscale, blank lines.
func TestReadLenient(t *testing.T) {
	want, err := anagrafe.Read(strings.NewReader(sampleFile()), "I690")
	if err != nil {
		t.Fatal(err)
	}

	var b strings.Builder
	b.WriteString("\uFEFF")
	for i, line := range sample {
		f := splitSimple(line)
		f[0], f[len(f)-1] = f[len(f)-1], f[0] // documento_identita first, codice_fiscale last
		if i > 0 {
			f[len(f)-1] = " " + strings.ToLower(f[len(f)-1]) + " "
			f[1] = "  " + f[1]
		}
		b.WriteString(strings.Join(f, ","))
		b.WriteString("\r\n")
		if i == 3 {
			b.WriteString("\r\n")
		}
	}
	got, err := anagrafe.Read(strings.NewReader(b.String()), "I690")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lenient file read differently:\n%+v\nwant\n%+v", got, want)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	cs, err := anagrafe.Read(strings.NewReader(sampleFile()), "I690")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := anagrafe.Write(&buf, cs); err != nil {
		t.Fatal(err)
	}
	if got := strings.SplitN(buf.String(), "\n", 2)[0]; got != writtenHeader {
		t.Errorf("header written as %q", got)
	}
	back, err := anagrafe.Read(&buf, "I690")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, cs) {
		t.Errorf("round trip changed the people:\n%+v\nwant\n%+v", back, cs)
	}
}

// TestControlsColumns reads the optional columns of ANPR's issuing
// controls, and refuses their wrong values.
func TestControlsColumns(t *testing.T) {
	const line = "RSSMRA70C15F205N,Rossi,Mario,M,1970-03-15,F205,%s,2,Via Giuseppe Garibaldi,12/A,20099,I690-F000001,1,residente,1995-06-01,,,2,CA12345AB,%s,%s,%s,%s\n"
	read := func(citizenship, status, other, procedure, abode string) ([]app.Citizen, error) {
		return anagrafe.Read(strings.NewReader(writtenHeader+"\n"+fmt.Sprintf(line, citizenship, status, other, procedure, abode)), "I690")
	}
	cs, err := read("ITA", "", "FRA  USA", "1", "0")
	if err != nil || len(cs) != 1 || cs[0].OtherCitizenships != "FRA USA" || !cs[0].OpenProcedure || cs[0].NoFixedAbode {
		t.Fatalf("got %+v, %v", cs, err)
	}
	cs, err = read("", "non_attribuibile", "", "", "1")
	if err != nil || cs[0].CitizenshipStatus != app.CitizenshipNotAttributable || !cs[0].NoFixedAbode {
		t.Fatalf("got %+v, %v", cs, err)
	}
	for _, bad := range [][5]string{
		{"ITA", "boh", "", "0", "0"},
		{"ITA", "", "", "si", "0"},
		{"ITA", "in_definizione", "", "0", "0"},
		{"ITA", "", "ITA", "0", "0"},
	} {
		if _, err := read(bad[0], bad[1], bad[2], bad[3], bad[4]); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%q: got %v, want EINVALID", bad, err)
		}
	}
}

func TestWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := anagrafe.Write(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if buf.String() != writtenHeader+"\n" {
		t.Errorf("empty file is %q, want only the header", buf.String())
	}
	cs, err := anagrafe.Read(&buf, "I690")
	if err != nil || len(cs) != 0 {
		t.Errorf("Read(header only) = %v, %v; want no people and no error", cs, err)
	}
}

func TestReadErrors(t *testing.T) {
	type want struct {
		line  int
		field string
		msg   string // a part of the message
	}
	for _, tc := range []struct {
		name string
		file string
		want []want
	}{
		{"EmptyFile", "", []want{{1, "", "manca la riga di intestazione"}}},
		{"UnknownColumn", strings.Replace(sampleFile(), "documento_identita", "documento", 1), []want{
			{1, "documento", "colonna sconosciuta"},
			{1, "documento_identita", "mancante"},
		}},
		{"LongUnknownColumnShortened", strings.Replace(sampleFile(), "documento_identita", strings.Repeat("x", 500), 1), []want{
			{1, strings.Repeat("x", 40) + "…", `colonna sconosciuta "` + strings.Repeat("x", 40) + `…"`},
			{1, "documento_identita", "mancante"},
		}},
		{"RepeatedColumn", strings.Replace(sampleFile(), "civico", "nome", 1), []want{
			{1, "nome", "ripetuta"},
			{1, "civico", "mancante"},
		}},
		{"HeaderOnlyColumnsOfAnotherFile", "cf;cognome;nome\n", []want{
			{1, "cf;cognome;nome", "colonna sconosciuta"},
			{1, "codice_fiscale", "mancante"},
			{1, "cognome", "mancante"}, {1, "nome", "mancante"}, {1, "sesso", "mancante"},
			{1, "data_nascita", "mancante"}, {1, "luogo_nascita", "mancante"}, {1, "cittadinanza", "mancante"},
			{1, "stato_civile", "mancante"}, {1, "indirizzo", "mancante"}, {1, "civico", "mancante"},
			{1, "cap", "mancante"}, {1, "id_famiglia", "mancante"}, {1, "relazione_parentela", "mancante"},
			{1, "posizione", "mancante"}, {1, "data_iscrizione", "mancante"}, {1, "data_cancellazione", "mancante"},
			{1, "motivo_cancellazione", "mancante"}, {1, "certificabilita", "mancante"}, {1, "documento_identita", "mancante"},
		}},
		{"WrongNumberOfValues", withLine(3, sample[2]+",extra"), []want{{3, "", "la riga ha 20 valori, l'intestazione 19"}}},
		{"BareQuote", withField(4, "nome", `Lu"ca`), []want{{4, "", "virgolette dentro un valore"}}},
		{"UnclosedQuote", withField(8, "nome", `"Salvatore`), []want{{8, "", "virgolette non chiuse"}}},
		{"WrongCheckCharacter", withField(2, "codice_fiscale", "RSSMRA70C15F205X"), []want{{2, "", "carattere di controllo errato (atteso N)"}}},
		{"SexDisagreesWithCode", withField(2, "sesso", "F"), []want{{2, "", "il sesso non corrisponde"}}},
		{"BirthDateDisagreesWithCode", withField(2, "data_nascita", "1970-03-16"), []want{{2, "", "la data di nascita non corrisponde"}}},
		{"MissingSurname", withField(3, "cognome", "  "), []want{{3, "", "cognome mancante"}}},
		{"BadDate", withField(3, "data_iscrizione", "12/09/1998"), []want{{3, "data_iscrizione", "usare AAAA-MM-GG"}}},
		{"BadBirthPlace", withField(3, "luogo_nascita", "Roma"), []want{{3, "", "luogo di nascita non valido"}}},
		{"BadCitizenship", withField(7, "cittadinanza", "RO"), []want{{7, "", "cittadinanza non valida"}}},
		{"BadPosizione", withField(5, "posizione", "trasferito"), []want{{5, "posizione", "posizione anagrafica non valida"}}},
		{"UnknownCivilStatus", withField(2, "stato_civile", "5"), []want{{2, "stato_civile", "sconosciuto"}}},
		{"CivilStatusNotANumber", withField(2, "stato_civile", "coniugato"), []want{{2, "stato_civile", "non valido"}}},
		{"MissingRelationship", withField(3, "relazione_parentela", ""), []want{{3, "relazione_parentela", "mancante"}}},
		{"UnknownCertifiability", withField(3, "certificabilita", "7"), []want{{3, "certificabilita", "sconosciuto"}}},
		{"BadPostcode", withField(4, "cap", "2009"), []want{{4, "cap", "CAP non valido"}}},
		{"LineBreakInValue", withField(7, "civico", "\"45\nscala B\""), []want{{7, "civico", "carattere di controllo"}}},
		{"NotUTF8", withField(6, "cognome", "D'Angelo\xe0"), []want{{6, "cognome", "UTF-8"}}},
		{"ValueTooLong", withField(7, "documento_identita", strings.Repeat("A", 201)), []want{{7, "documento_identita", "troppo lungo"}}},
		{"MissingFamily", withField(6, "id_famiglia", ""), []want{{6, "", "famiglia mancante"}}},
		{"EmigratedWithoutCancellationDate", withField(5, "data_cancellazione", ""), []want{{5, "", "data di cancellazione mancante"}}},
		{"CancelledBeforeRegistration", withField(8, "data_cancellazione", "1970-01-01"), []want{{8, "", "cancellazione anteriore all'iscrizione"}}},
		{"ResidentWithCancellation", withField(6, "motivo_cancellazione", "decesso"), []want{{6, "motivo_cancellazione", "un residente non ha data né motivo"}}},
		{"ResidentWithoutAddress", withField(7, "indirizzo", ""), []want{{7, "indirizzo", "indirizzo mancante"}}},
		{"RepeatedCode", withLine(4, strings.Replace(sample[1], "12/A", "12/B", 1)), []want{
			{4, "codice_fiscale", "RSSMRA70C15F205N ripetuto: è già alla riga 2"},
			{4, "relazione_parentela", "secondo intestatario"},
			{4, "indirizzo", "diverso"},
		}},
		{"RepeatedCodeInLowerCase", withField(7, "codice_fiscale", "rssmra70c15f205n"), []want{{7, "", "il sesso non corrisponde"}, {7, "codice_fiscale", "ripetuto: è già alla riga 2"}}},
		{"FamilyWithoutHead", withField(2, "relazione_parentela", "2"), []want{{2, "relazione_parentela", "famiglia I690-F000001 senza intestatario"}}},
		{"HeadWithUnreadableRelationship", withField(2, "relazione_parentela", "capo"), []want{{2, "relazione_parentela", "non valido"}}},
		{"HeadWithUnreadablePosizione", withField(2, "posizione", "resident"), []want{{2, "posizione", "non valida"}}},
		{"FamilyWithTwoHeads", withField(3, "relazione_parentela", "1"), []want{{3, "relazione_parentela", "secondo intestatario scheda (relazione 1), il primo è alla riga 2"}}},
		{"FamilyAtTwoAddresses", withField(4, "civico", "14"), []want{{4, "indirizzo", `"Via Giuseppe Garibaldi 14 - 20099" diverso da quello della famiglia I690-F000001 ("Via Giuseppe Garibaldi 12/A - 20099", riga 2)`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := anagrafe.Read(strings.NewReader(tc.file), "I690")
			if cs != nil {
				t.Errorf("Read returned %d people with an error", len(cs))
			}
			var re *anagrafe.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("Read error = %v, want a *ReadError", err)
			}
			if app.ErrorCode(err) != app.EINVALID {
				t.Errorf("ErrorCode = %q, want %q", app.ErrorCode(err), app.EINVALID)
			}
			if len(re.Rows) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(re.Rows), len(tc.want), err)
			}
			for i, w := range tc.want {
				got := re.Rows[i]
				if got.Line != w.line || got.Field != w.field || !strings.Contains(got.Message, w.msg) {
					t.Errorf("problem %d = %+v, want line %d field %q message containing %q", i, got, w.line, w.field, w.msg)
				}
			}
		})
	}
}

// TestReadReportsEveryLine checks that a file with many wrong lines is
// reported whole, in the order of the lines, and summarised in Error.
func TestReadReportsEveryLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(sampleFile())
	for i := 0; i < 25; i++ {
		// Each line repeats the widower's code: 25 lines, 25 problems.
		fmt.Fprintf(&b, "DNGNCL28S02A562O,D'Angelo,Nicolò,M,1928-11-02,A562,ITA,3,Via Roma,%d,20099,I690-F9%05d,1,residente,,,,2,\n", i+1, i)
	}
	cs, err := anagrafe.Read(strings.NewReader(b.String()), "I690")
	if cs != nil {
		t.Errorf("Read returned %d people with an error", len(cs))
	}
	var re *anagrafe.ReadError
	if !errors.As(err, &re) {
		t.Fatalf("Read error = %v, want a *ReadError", err)
	}
	if len(re.Rows) != 25 {
		t.Fatalf("got %d problems, want 25", len(re.Rows))
	}
	for i, r := range re.Rows {
		if r.Line != len(sample)+1+i || r.Field != "codice_fiscale" {
			t.Errorf("problem %d = %+v, want line %d", i, r, len(sample)+1+i)
		}
	}
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	if lines[0] != "file anagrafe non importato: 25 errori" {
		t.Errorf("first line of Error = %q", lines[0])
	}
	if len(lines) != 1+20+1 || lines[21] != "...e altri 5 errori" {
		t.Errorf("Error has %d lines, last %q; want the summary, 20 problems and \"...e altri 5 errori\"", len(lines), lines[len(lines)-1])
	}
	if lines[1] != "riga 9, colonna codice_fiscale: codice fiscale DNGNCL28S02A562O ripetuto: è già alla riga 6" {
		t.Errorf("second line of Error = %q", lines[1])
	}
	if app.ErrorMessage(err) != msg {
		t.Errorf("ErrorMessage = %q, want the whole list", app.ErrorMessage(err))
	}
}

func TestReadInvalidComune(t *testing.T) {
	for _, comune := range []string{"", "i690", "Z129", "I69"} {
		_, err := anagrafe.Read(strings.NewReader(sampleFile()), comune)
		var re *anagrafe.ReadError
		if app.ErrorCode(err) != app.EINVALID || errors.As(err, &re) {
			t.Errorf("Read(comune %q) error = %v, want EINVALID about the comune", comune, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestReadIOError(t *testing.T) {
	_, err := anagrafe.Read(failingReader{}, "I690")
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || app.ErrorCode(err) != app.EINTERNAL {
		t.Errorf("Read(failing reader) error = %v, want the I/O error wrapped, code internal", err)
	}
}

func TestCompare(t *testing.T) {
	old, err := anagrafe.Read(strings.NewReader(sampleFile()), "I690")
	if err != nil {
		t.Fatal(err)
	}
	cp := func(cs []app.Citizen) []app.Citizen { return append([]app.Citizen(nil), cs...) }

	t.Run("Same", func(t *testing.T) {
		d := anagrafe.Compare(old, cp(old))
		if len(d.Upserts) != 0 || len(d.Deletes) != 0 {
			t.Errorf("Compare(x, x) = %+v, want nothing", d)
		}
	})
	t.Run("OnlyUpdatedAtOrLocation", func(t *testing.T) {
		n := cp(old)
		rome, err := time.LoadLocation("Europe/Rome")
		if err != nil {
			rome = time.FixedZone("CET", 3600)
		}
		n[0].UpdatedAt = time.Now()
		n[1].BirthDate = n[1].BirthDate.In(rome) // the same instant
		if d := anagrafe.Compare(old, n); len(d.Upserts) != 0 || len(d.Deletes) != 0 {
			t.Errorf("Compare = %+v, want nothing", d)
		}
	})
	t.Run("Changes", func(t *testing.T) {
		n := cp(old)
		n[2].Address.HouseNumber = "14" // Luca moved to number 14
		n[5].CivilStatus = app.CivilStatusMarried
		n = append(n[:3], n[4:]...) // Giulia (line 5) left the file
		added := old[0]
		added.CodiceFiscale, added.GivenName, added.Relationship = "RSSMRA70C15F20RI", "Mario", app.RelationshipChild
		n = append([]app.Citizen{added}, n...)
		d := anagrafe.Compare(old, n)
		var codes []string
		for _, c := range d.Upserts {
			codes = append(codes, c.CodiceFiscale)
		}
		if want := []string{"RSSMRA70C15F20RI", "RSSLCU05A20I690N", "STFNIO90D44Z129X"}; !reflect.DeepEqual(codes, want) {
			t.Errorf("Upserts = %v, want %v in the order of the new file", codes, want)
		}
		if d.Upserts[1].Address.HouseNumber != "14" {
			t.Errorf("Upsert carries %+v, want the new record", d.Upserts[1])
		}
		if want := []string{"RSSGLI99P49I690R"}; !reflect.DeepEqual(d.Deletes, want) {
			t.Errorf("Deletes = %v, want %v", d.Deletes, want)
		}
	})
	t.Run("Deterministic", func(t *testing.T) {
		n := cp(old)
		for i := range n {
			n[i].RegisteredOn = n[i].RegisteredOn.AddDate(0, 0, 1)
		}
		first := anagrafe.Compare(old, n)
		for range 20 {
			if d := anagrafe.Compare(old, n); !reflect.DeepEqual(d, first) {
				t.Fatalf("Compare gave %+v, then %+v", first, d)
			}
		}
		if len(first.Upserts) != len(n) || first.Upserts[0].CodiceFiscale != n[0].CodiceFiscale {
			t.Errorf("Upserts = %+v, want every person in file order", first.Upserts)
		}
	})
	t.Run("RepeatedCodesLastCounts", func(t *testing.T) {
		n := cp(old)
		dup := n[0]
		dup.GivenName = "Mario Giuseppe"
		n = append(n, dup)
		d := anagrafe.Compare(old, n)
		if len(d.Upserts) != 1 || d.Upserts[0].GivenName != "Mario Giuseppe" || len(d.Deletes) != 0 {
			t.Errorf("Compare = %+v, want only the last record of the repeated code", d)
		}
	})
}
