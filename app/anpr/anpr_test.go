package anpr

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
)

// Small samples in the shape of the published files, quirks included. They
// are also the seeds of the fuzz tests (testdata/fuzz).
const (
	// A byte order mark, a quoted header, ISO dates, 9999-12-31 as "open",
	// a code reused across history, a bilingual name, a trailing blank row.
	sampleComuni = "\ufeff" + `"ID","DATAISTITUZIONE","DATACESSAZIONE","CODISTAT","CODCATASTALE","DENOMINAZIONE_IT","DENOMTRASLITTERATA","ALTRADENOMINAZIONE","ALTRADENOMTRASLITTERATA","ID_PROVINCIA","IDPROVINCIAISTAT","IDREGIONE","IDPREFETTURA","STATO","SIGLAPROVINCIA","FONTE","DATAULTIMOAGG","COD_DENOM"
12947,"1861-03-17","1927-05-18","050031","A562","BAGNI SAN GIULIANO","BAGNI SAN GIULIANO","","",50,"050","09","","C","PI","","2016-06-17","050506"
17155,"1927-05-19","1935-07-30","050031","A562","BAGNI SAN GIULIANO","BAGNI SAN GIULIANO","","",50,"050","09","","C","PI","","2016-06-17","050506"
610,"1935-07-31","9999-12-31","050031","A562","SAN GIULIANO TERME","SAN GIULIANO TERME","","",50,"050","09","PI","A","PI","","2016-06-17",""
10586,"1927-01-12","9999-12-31","021008","A952","BOLZANO","BOLZANO","BOZEN","BOZEN",21,"021","04","BZ","A","BZ","","2016-06-17",""
446,"1861-03-17","1911-07-04","003809","ND","ARIZZANO","ARIZZANO","","",3,"003","01","","C","NO","","2016-06-17",""
,,,,,,,,,,,,,,,,,
`

	// DD/MM/YYYY dates, S/N flags, rows shorter than the header, a stray
	// space after the last field, rows without a Z code, one without a name
	// and dates, CRLF line ends.
	sampleStates = "ID,DENOMINAZIONE,DENOMINAZIONEISTAT,DENOMINAZIONEISTAT_EN,DATAINIZIOVALIDITA,DATAFINEVALIDITA,CODISO3166_1_ALPHA3,CODMAE,CODMIN,CODAT,CODISTAT,CITTADINANZA,NASCITA,RESIDENZA,FONTE,TIPO,CODISOSOVRANO,DATAULTIMOAGG\r\n" +
		"36,REPUBBLICA POPOLARE CINESE,\"Cinese, Repubblica Popolare\",China,01/01/1900,31/12/9999,CHN,307,314,Z210,314,S,S,S,MAECI,STATO\r\n" +
		"90,ITALIA,,,01/01/1900,31/12/9999,ITA,235,100,,100,S,N,S,MAECI,STATO\r\n" +
		"146,REPUBBLICA DOMINICANA,\"Dominicana, Repubblica\",Dominican Republic,01/01/1900,31/12/9999,DOM,269,516,Z505,516,S,S,S,MAECI,STATO, \r\n" +
		"197,,Riconosciuti non cittadini (lettoni)*,Recognized non-citizens*,,,,,,,888,,,,ISTAT\r\n" +
		"198,APOLIDE,Apolide,Stateless,01/01/1900,31/12/9999,,,999,,999,S,N,N,ISTAT\r\n"

	// The unnamed leading index column, rows shorter than the header, an
	// Excel serial date, a Note.
	sampleRelationships = ",ID,DESCRIZIONE,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA,Note\r\n" +
		"1,26,Tutore\r\n" +
		"2,1,Intestatario Scheda\r\n" +
		"25,14,Figliastro / Figliastra,,,42262,Utilizzabile solo al subentro\r\n"

	// The diritti column with SI, quoted descriptions with commas, short rows.
	sampleBollo = "ID,DESCRIZIONE,ESENZIONE DIRITTO DI SEGRETERIA,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA\r\n" +
		"1,\"ONLUS - art. 27 bis, tabella allegato B)  DPR 642/1972\"\r\n" +
		"7,SEPARAZIONE/DIVORZIO ai sensi dell'art. 19 della legge 74/1987,SI\r\n" +
		"99,ALTRO MOTIVO DI ESENZIONE\r\n"
)

func d(iso string) time.Time { return date(iso) }

func TestReadComuni(t *testing.T) {
	got, err := ReadComuni(strings.NewReader(sampleComuni))
	if err != nil {
		t.Fatal(err)
	}
	want := []Comune{
		{Code: "A562", Istat: "050031", Name: "BAGNI SAN GIULIANO", Province: "PI", ValidFrom: d("1861-03-17"), ValidTo: d("1927-05-18")},
		{Code: "A562", Istat: "050031", Name: "BAGNI SAN GIULIANO", Province: "PI", ValidFrom: d("1927-05-19"), ValidTo: d("1935-07-30")},
		{Code: "A562", Istat: "050031", Name: "SAN GIULIANO TERME", Province: "PI", ValidFrom: d("1935-07-31"), ValidTo: OpenEnd, Active: true},
		{Code: "A952", Istat: "021008", Name: "BOLZANO", AltName: "BOZEN", Province: "BZ", ValidFrom: d("1927-01-12"), ValidTo: OpenEnd, Active: true},
		{Code: "ND", Istat: "003809", Name: "ARIZZANO", Province: "NO", ValidFrom: d("1861-03-17"), ValidTo: d("1911-07-04")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadComuni:\n got %+v\nwant %+v", got, want)
	}
	if err := (&Tables{Comuni: got}).Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestReadStates(t *testing.T) {
	got, err := ReadStates(strings.NewReader(sampleStates))
	if err != nil {
		t.Fatal(err)
	}
	from := d("1900-01-01")
	want := []State{
		{Code: "Z210", Name: "REPUBBLICA POPOLARE CINESE", NameEN: "China", ISO3: "CHN", Istat: "314", Citizenship: true, Birth: true, Residence: true, ValidFrom: from, ValidTo: OpenEnd},
		{Name: "ITALIA", ISO3: "ITA", Istat: "100", Citizenship: true, Residence: true, ValidFrom: from, ValidTo: OpenEnd},
		{Code: "Z505", Name: "REPUBBLICA DOMINICANA", NameEN: "Dominican Republic", ISO3: "DOM", Istat: "516", Citizenship: true, Birth: true, Residence: true, ValidFrom: from, ValidTo: OpenEnd},
		// No DENOMINAZIONE: the ISTAT name stands in; no dates: unbounded.
		{Name: "Riconosciuti non cittadini (lettoni)*", NameEN: "Recognized non-citizens*", Istat: "888"},
		{Name: "APOLIDE", NameEN: "Stateless", Istat: "999", Citizenship: true, ValidFrom: from, ValidTo: OpenEnd},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadStates:\n got %+v\nwant %+v", got, want)
	}
	if got[1] != Italy() {
		t.Errorf("Italy() = %+v, the table says %+v", Italy(), got[1])
	}
	if err := (&Tables{States: got}).Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestReadEntries(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Entry
	}{
		{"IndexColumnExcelDateNote", sampleRelationships, []Entry{
			{ID: 26, Description: "Tutore"},
			{ID: 1, Description: "Intestatario Scheda"},
			{ID: 14, Description: "Figliastro / Figliastra", ValidTo: d("2015-09-15"), Note: "Utilizzabile solo al subentro"},
		}},
		{"DirittiFlag", sampleBollo, []Entry{
			{ID: 1, Description: "ONLUS - art. 27 bis, tabella allegato B)  DPR 642/1972"},
			{ID: 7, Description: "SEPARAZIONE/DIVORZIO ai sensi dell'art. 19 della legge 74/1987", Flag: true},
			{ID: 99, Description: "ALTRO MOTIVO DI ESENZIONE"},
		}},
		{"ZeroIDAndISODates", "ID,DESCRIZIONE,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA\n0,NON CERTIFICABILE,,2001-02-03,31/12/2099\n", []Entry{
			{ID: 0, Description: "NON CERTIFICABILE", ValidFrom: d("2001-02-03"), ValidTo: d("2099-12-31")},
		}},
		{"HeaderOnly", "ID,DESCRIZIONE\n", nil},
		{"SemicolonsFromItalianExcel", "ID;DESCRIZIONE;ESENZIONE DIRITTO DI SEGRETERIA\r\n7;SEPARAZIONE/DIVORZIO, art. 19 L. 74/1987;SI\r\n", []Entry{
			{ID: 7, Description: "SEPARAZIONE/DIVORZIO, art. 19 L. 74/1987", Flag: true},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadEntries(strings.NewReader(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // ISO, "" for the zero time, "error"
	}{
		{"", ""},
		{"2015-09-15", "2015-09-15"},
		{"15/09/2015", "2015-09-15"},
		{"31/12/9999", "9999-12-31"},
		{"42262", "2015-09-15"},   // relazione_parentela.csv
		{"42005", "2015-01-01"},   // a known Excel date
		{"61", "1900-03-01"},      // after Excel's 1900-02-29
		{"59", "1900-02-28"},      // before it
		{"1", "1900-01-01"},       // Excel's day 1
		{"2958465", "9999-12-31"}, // Excel's last day
		{"60", "error"},           // 1900-02-29 does not exist
		{"0", "error"},
		{"2958466", "error"},
		{"2015-02-29", "error"},
		{"31/02/2015", "error"},
		{"2015-9-15", "error"},
		{"15.09.2015", "error"},
		{"20150915", "error"},
		{"-42262", "error"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseDate(tc.in)
			switch {
			case tc.want == "error":
				if err == nil {
					t.Errorf("parseDate(%q) = %v, want an error", tc.in, got)
				}
			case err != nil:
				t.Errorf("parseDate(%q): %v", tc.in, err)
			case isoDate(got) != tc.want:
				t.Errorf("parseDate(%q) = %q, want %q", tc.in, isoDate(got), tc.want)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	entries := func(r io.Reader) error { _, err := ReadEntries(r); return err }
	comuni := func(r io.Reader) error { _, err := ReadComuni(r); return err }
	states := func(r io.Reader) error { _, err := ReadStates(r); return err }
	const entryHeader = "ID,DESCRIZIONE,ESENZIONE DIRITTO DI SEGRETERIA,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA\n"
	comuniLines := strings.Split(sampleComuni, "\n")
	stateLines := strings.Split(sampleStates, "\r\n")
	for _, tc := range []struct {
		name string
		read func(io.Reader) error
		in   string
		want string
	}{
		{"Empty", entries, "", "line 1: no header"},
		{"NoIDColumn", entries, "DESCRIZIONE\nx\n", "line 1: no column ID"},
		{"ColumnTwice", entries, "ID,DESCRIZIONE,id\n", "line 1: column ID twice"},
		{"BadID", entries, entryHeader + "1,a\nx,b\n", `line 3: ID: "x" is not a number`},
		{"EmptyID", entries, entryHeader + ",b\n", `line 2: ID: "" is not a number`},
		{"BadFlag", entries, entryHeader + "1,a\n2,b,FORSE\n", `line 3: ESENZIONE DIRITTO DI SEGRETERIA: "FORSE" is neither SI nor NO`},
		{"BadDate", entries, entryHeader + "1,a\n\n2,b,,,2015-02-30\n", `line 4: DATAINIZIOVALIDITA: "2015-02-30" is not a date`},
		{"TooManyFields", entries, entryHeader + "1,a,SI,,,,extra\n", "line 2: 7 fields, the header has 6"},
		{"BareQuote", entries, entryHeader + "1,a\n2,b\"c\n", "line 3"},
		{"UnclosedQuote", entries, entryHeader + "1,\"a\n", "line 2"},
		{"ComuneBadStato", comuni, comuniLines[0] + "\n" + strings.Replace(comuniLines[1], `"C"`, `"X"`, 1) + "\n", `line 2: STATO: "X" is not A, C or D`},
		{"ComuneBadDate", comuni, comuniLines[0] + "\n" + comuniLines[1] + "\n" + strings.Replace(comuniLines[2], "1935-07-30", "1935-07-32", 1) + "\n", `line 3: DATACESSAZIONE: "1935-07-32"`},
		{"ComuneNoHeaderQuote", comuni, strings.Replace(comuniLines[0], `"CODCATASTALE"`, `"CODICE"`, 1) + "\n", "line 1: no column CODCATASTALE"},
		{"StateBadFlag", states, stateLines[0] + "\n" + strings.Replace(stateLines[1], ",S,S,S,", ",S,Y,S,", 1) + "\n", `line 2: NASCITA: "Y" is neither S nor N`},
		{"StateBadDate", states, stateLines[0] + "\n" + strings.Replace(stateLines[1], "01/01/1900", "1/1/1900", 1) + "\n", `line 2: DATAINIZIOVALIDITA: "1/1/1900"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestReadDirErrors(t *testing.T) {
	t.Run("BadLine", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeDir(dir, Defaults()); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, FileCivilStatus)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		lines[2] = "2,due,Coniugato/a"
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err = readDir(dir)
		want := `read stato_civile.csv: line 3: ID: "due" is not a number`
		if err == nil || err.Error() != want {
			t.Errorf("ReadDir: %v, want %q", err, want)
		}
	})
	t.Run("MissingFile", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeDir(dir, Defaults()); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(filepath.Join(dir, FileStates)); err != nil {
			t.Fatal(err)
		}
		_, err := readDir(dir)
		if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), FileStates) {
			t.Errorf("ReadDir: %v, want a not-exist error naming %s", err, FileStates)
		}
	})
}

func TestWriteDirRoundTrip(t *testing.T) {
	dir := t.TempDir()
	want := Defaults()
	if err := writeDir(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := readDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("readDir(writeDir(Defaults())) differs from Defaults()")
	}
	// The files have the published shape, so that an import folder written
	// here reads like the real one.
	for file, header := range map[string]string{
		FileComuni:           `ID,DATAISTITUZIONE,DATACESSAZIONE,CODISTAT,CODCATASTALE,`,
		FileStates:           `ID,DENOMINAZIONE,DENOMINAZIONEISTAT,DENOMINAZIONEISTAT_EN,DATAINIZIOVALIDITA,`,
		FileRelationships:    ",ID,DESCRIZIONE,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA,Note\n1,26,Tutore,,,,\n",
		FileBolloExemptions:  "ID,DESCRIZIONE,ESENZIONE DIRITTO DI SEGRETERIA,ORDINAMENTO,",
		FileCivilStatus:      ",ID,DESCRIZIONE,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA\n1,1,Celibe/Nubile,,,\n",
		FileCertificateTypes: "ID,DESCRIZIONE,ORDINAMENTO,DATAINIZIOVALIDITA,DATAFINEVALIDITA\n1,Anagrafico di nascita,,,\n",
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(header)) {
			t.Errorf("%s starts %q, want %q", file, b[:min(len(b), len(header))], header)
		}
	}
}

func TestWriteEntriesKeepsColumnsInUse(t *testing.T) {
	// A flag or a note in a table whose published layout lacks the column
	// must not be dropped.
	want := []Entry{{ID: 3, Description: "x", Flag: true, Note: "n"}}
	var buf bytes.Buffer
	if err := WriteEntries(&buf, TableCivilStatus, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadEntries(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestValidate(t *testing.T) {
	if err := Defaults().Validate(); err != nil {
		t.Fatalf("Defaults().Validate(): %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func(*Tables)
		want   string // "" for valid
	}{
		{"ErrBelfiore", func(t *Tables) { t.Comuni[0].Code = "F2055" }, `code "F2055" is not a Belfiore code`},
		{"ErrZCodeAsComune", func(t *Tables) { t.Comuni[0].Code = "Z404" }, `code "Z404" is not a Belfiore code`},
		{"ErrIstat", func(t *Tables) { t.Comuni[0].Istat = "15146" }, `ISTAT code "15146" is not 6 digits`},
		{"ErrProvince", func(t *Tables) { t.Comuni[0].Province = "" }, `province "" is not a 2-letter sigla`},
		{"ErrNameControl", func(t *Tables) { t.Comuni[0].Name = "MI\nLANO" }, "not printable text"},
		{"ErrFromAfterTo", func(t *Tables) { t.Comuni[0].ValidTo = d("1900-01-01") }, "valid from 1997-07-26 after valid to 1900-01-01"},
		{"ErrOverlap", func(t *Tables) {
			c := t.Comuni[0]
			c.Name, c.ValidFrom = "MEDIOLANUM", d("1990-01-01")
			t.Comuni = append(t.Comuni, c)
		}, "comuni: F205 ISTAT 015146 valid twice on 1997-07-26"},
		{"ErrOverlapOpenEnded", func(t *Tables) {
			c := t.Comuni[0]
			c.ValidFrom, c.ValidTo = d("1800-01-01"), time.Time{}
			t.Comuni = append(t.Comuni, c)
		}, "comuni: F205 ISTAT 015146 valid twice on 1997-07-26"},
		{"OneCodeTwoComuni", func(t *Tables) {
			// As the archive has it for D588 (FILAGO and MARNE until 1928).
			c := t.Comuni[0]
			c.Istat, c.Name = "015999", "MILANO BIS"
			t.Comuni = append(t.Comuni, c)
		}, ""},
		{"NextDayIsNoOverlap", func(t *Tables) {
			c := t.Comuni[0]
			c.ValidFrom, c.ValidTo = d("1990-01-01"), d("1997-07-25")
			t.Comuni = append(t.Comuni, c)
		}, ""},
		{"NDIsNotACode", func(t *Tables) {
			c := Comune{Code: CodeNotAvailable, Istat: "003809", Name: "ARIZZANO", Province: "NO", ValidFrom: d("1861-03-17"), ValidTo: d("1911-07-04")}
			t.Comuni = append(t.Comuni, c, c)
		}, ""},
		{"ErrZCode", func(t *Tables) { t.States[1].Code = "Y100" }, `code "Y100" is not a Z code`},
		{"ErrISO3", func(t *Tables) { t.States[1].ISO3 = "al" }, `ISO alpha-3 code "al" is not 3 letters`},
		{"ErrStateIstat", func(t *Tables) { t.States[1].Istat = "" }, `ISTAT code "" is not 3 digits`},
		{"ErrStateName", func(t *Tables) { t.States[1].Name = "" }, `name "" is empty`},
		{"ErrDuplicateZCode", func(t *Tables) { t.States[2].Code = t.States[1].Code }, "states CODAT: Z100 valid twice"},
		{"ErrDuplicateISO3", func(t *Tables) { t.States[2].ISO3 = "ITA" }, "states ISO3: ITA valid twice"},
		{"ErrNegativeID", func(t *Tables) { t.CivilStatus[0].ID = -1 }, "stato_civile row 1 (ID -1): negative ID -1"},
		{"ErrEmptyDescription", func(t *Tables) { t.BolloExemptions[3].Description = "" }, "esenzione_bollo row 4 (ID 4): description"},
		{"ErrDuplicateID", func(t *Tables) { t.CertificateTypes[1].ID = 1 }, "tipo_certificato ID: 1 valid twice on any date"},
		{"ClosedThenReopenedID", func(t *Tables) {
			t.Relationships = append(t.Relationships, Entry{ID: 14, Description: "Figliastro", ValidFrom: d("2015-09-16")})
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tables := Defaults()
			tc.change(tables)
			err := tables.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestValidateReportsAtMost20(t *testing.T) {
	tables := Defaults()
	for i := range tables.Comuni {
		tables.Comuni[i].Province = "?"
	}
	err := tables.Validate()
	if err == nil {
		t.Fatal("Validate: nil")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 21 || lines[20] != "and 89 more problems" {
		t.Errorf("Validate reported %d lines, the last %q", len(lines), lines[len(lines)-1])
	}
}

func TestDefaults(t *testing.T) {
	tables := Defaults()
	for _, tc := range []struct {
		name TableName
		n    int
	}{
		{TableCertificateTypes, 20}, {TableBolloExemptions, 11}, {TableRelationships, 30},
		{TableCivilStatus, 8}, {TableCitizenshipTypes, 6}, {TableNonCertifiability, 5},
	} {
		if got := len(tables.Entries(tc.name)); got != tc.n {
			t.Errorf("%s: %d rows, want %d", tc.name, got, tc.n)
		}
	}
	if n := len(tables.Comuni); n < 90 || n > 130 {
		t.Errorf("%d comuni, want about 100", n)
	}
	if n := len(tables.States); n < 40 || n > 60 {
		t.Errorf("%d states, want about 40-50", n)
	}

	ix := NewIndex(tables)
	today := d("2025-01-01")
	// The demo comune's neighbourhood and every provincial capital of
	// Lombardy are there, in force today.
	for _, code := range []string{
		"F205", "A794", "B157", "C933", "D150", "E507", "E648", "E897", "F704", "G388", "I829", "L682",
		"I690", "C707", "C895", "B162", "D231",
	} {
		if c, ok := ix.Comune(code, today); !ok || !c.Active {
			t.Errorf("Comune(%s) = %+v, %v; want an active comune", code, c, ok)
		}
	}
	var diritti []int
	for _, e := range tables.BolloExemptions {
		if e.Flag {
			diritti = append(diritti, e.ID)
		}
	}
	if want := []int{4, 6, 7, 10}; !reflect.DeepEqual(diritti, want) {
		t.Errorf("exemptions that also waive the diritti: %v, want %v", diritti, want)
	}
	// Each call gives new slices: one caller cannot change another's.
	tables.Comuni[0].Name = "changed"
	if Defaults().Comuni[0].Name == "changed" {
		t.Error("Defaults shares its slices between calls")
	}
}

func TestIndex(t *testing.T) {
	ix := NewIndex(Defaults())
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		code string
		on   time.Time
		want string // "" for not found
	}{
		{"A562", d("1950-01-01"), "SAN GIULIANO TERME"},
		{"A562", d("1930-01-01"), "BAGNI SAN GIULIANO"},
		{"A562", d("1935-07-30"), "BAGNI SAN GIULIANO"},
		{"A562", d("1935-07-31"), "SAN GIULIANO TERME"},
		{"A562", d("1800-01-01"), "BAGNI SAN GIULIANO"}, // before the first record: the nearest
		{"A562", time.Time{}, "SAN GIULIANO TERME"},     // no date: the latest
		// The date counts where the time was taken: just after midnight in
		// Italy is still the previous day in UTC.
		{"A562", time.Date(1935, 7, 31, 0, 30, 0, 0, cet), "SAN GIULIANO TERME"},
		{"A562", time.Date(1935, 7, 31, 0, 30, 0, 0, cet).UTC(), "BAGNI SAN GIULIANO"},
		{"F205", d("2000-01-01"), "MILANO"},
		{" f205 ", d("2000-01-01"), "MILANO"},
		{"L768", d("2024-01-01"), "VERMEZZO"}, // merged away in 2019, still a birth place
		{"Z404", d("2000-01-01"), "STATI UNITI D'AMERICA"},
		{"Z100", time.Time{}, "ALBANIA"},
		{"Z999", d("2000-01-01"), ""},
		{"X000", d("2000-01-01"), ""},
		{"", d("2000-01-01"), ""},
	} {
		t.Run(tc.code+"_"+tc.on.Format(time.RFC3339), func(t *testing.T) {
			got, ok := ix.PlaceName(tc.code, tc.on)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("PlaceName(%q, %s) = %q, %v; want %q", tc.code, tc.on, got, ok, tc.want)
			}
		})
	}

	t.Run("ProvinceOnDate", func(t *testing.T) {
		for on, want := range map[string]string{"2000-01-01": "MI", "2009-06-30": "MB", "1900-01-01": "MI"} {
			if c, _ := ix.Comune("F704", d(on)); c.Province != want {
				t.Errorf("MONZA on %s: province %q, want %q", on, c.Province, want)
			}
		}
	})

	t.Run("ComuneByName", func(t *testing.T) {
		for _, tc := range []struct {
			name     string
			on       time.Time
			wantCode string
			wantName string
		}{
			{"sesto san giovanni", d("2024-01-01"), "I690", "SESTO SAN GIOVANNI"},
			{"Forli", d("2024-01-01"), "D704", "FORLÌ"},
			{"FORLI'", d("2024-01-01"), "D704", "FORLÌ"},
			{"Muggio", d("2024-01-01"), "F797", "MUGGIÒ"},
			{"Bozen", d("2024-01-01"), "A952", "BOLZANO"},
			{"l aquila", d("2024-01-01"), "A345", "L'AQUILA"},
			{"Corigliano Rossano", d("2024-01-01"), "M403", "CORIGLIANO-ROSSANO"},
			{"Vermezzo", d("2024-01-01"), "L768", "VERMEZZO"},
			{"Bagni San Giuliano", d("1950-01-01"), "A562", "BAGNI SAN GIULIANO"},
			{"San Giuliano Terme", d("1900-01-01"), "A562", "SAN GIULIANO TERME"},
			{"Atlantide", d("2024-01-01"), "", ""},
			{"", d("2024-01-01"), "", ""},
		} {
			c, ok := ix.ComuneByName(tc.name, tc.on)
			if c.Code != tc.wantCode || c.Name != tc.wantName || ok != (tc.wantCode != "") {
				t.Errorf("ComuneByName(%q, %s) = %s %s, %v; want %s %s", tc.name, isoDate(tc.on), c.Code, c.Name, ok, tc.wantCode, tc.wantName)
			}
		}
	})

	t.Run("ComuneByNameAmbiguous", func(t *testing.T) {
		ix := NewIndex(&Tables{Comuni: []Comune{
			{Code: "C337", Istat: "016065", Name: "CASTRO", Province: "BG", ValidFrom: d("1861-03-17"), ValidTo: OpenEnd, Active: true},
			{Code: "M261", Istat: "075096", Name: "CASTRO", Province: "LE", ValidFrom: d("1975-05-19"), ValidTo: OpenEnd, Active: true},
		}})
		if c, ok := ix.ComuneByName("Castro", d("2024-01-01")); ok {
			t.Errorf("ComuneByName(Castro) = %+v, want ambiguous", c)
		}
		if got := ix.ComuniByName("Castro", d("2024-01-01")); len(got) != 2 || got[0].Province != "BG" || got[1].Province != "LE" {
			t.Errorf("ComuniByName(Castro) = %+v, want BG and LE", got)
		}
		// Before the one in LE existed, the name was not ambiguous.
		if c, ok := ix.ComuneByName("Castro", d("1950-01-01")); !ok || c.Province != "BG" {
			t.Errorf("ComuneByName(Castro, 1950) = %+v, %v; want the one in BG", c, ok)
		}
	})

	t.Run("States", func(t *testing.T) {
		if s, ok := ix.State("z210"); !ok || s.ISO3 != "CHN" || s.NameEN != "China" {
			t.Errorf("State(z210) = %+v, %v", s, ok)
		}
		if s, ok := ix.StateByISO3("ita"); !ok || s != Italy() {
			t.Errorf("StateByISO3(ita) = %+v, %v; want Italy()", s, ok)
		}
		if s, ok := ix.StateByIstat("999"); !ok || s.Name != "APOLIDE" || s.Birth {
			t.Errorf("StateByIstat(999) = %+v, %v; want APOLIDE, not a birth place", s, ok)
		}
		if s, ok := ix.State(""); ok {
			t.Errorf("State(\"\") = %+v: rows without a Z code must not be found by it", s)
		}
	})

	t.Run("Entries", func(t *testing.T) {
		if e, ok := ix.Entry(TableBolloExemptions, 10); !ok || !e.Flag || !strings.HasPrefix(e.Description, "SCAMBIO DI ATTI") {
			t.Errorf("Entry(bollo, 10) = %+v, %v", e, ok)
		}
		if e, ok := ix.Entry(TableRelationships, 14); !ok || !e.ValidTo.Equal(d("2015-09-15")) {
			t.Errorf("Entry(relationships, 14) = %+v, %v; want closed on 2015-09-15", e, ok)
		}
		if e, ok := ix.Entry(TableNonCertifiability, 0); !ok || e.Description != "NON CERTIFICABILE" {
			t.Errorf("Entry(non certifiability, 0) = %+v, %v", e, ok)
		}
		if e, ok := ix.Entry(TableCivilStatus, 5); ok {
			t.Errorf("Entry(civil status, 5) = %+v; there is no 5", e)
		}
	})
}

func TestNewIndexNil(t *testing.T) {
	if _, ok := NewIndex(nil).PlaceName("F205", time.Time{}); ok {
		t.Error("an empty index found F205")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Forlì":          "FORLI",
		"FORLI'":         "FORLI",
		"Sant'Angelo":    "SANTANGELO",
		"  san  angelo ": "SANANGELO",
		"Muggiò":         "MUGGIO",
		"Straßburg":      "STRASSBURG",
		"Ünterland":      "UNTERLAND",
		"Čakovec":        "CAKOVEC",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// The full official tables, as the binaries carry them (assets/anpr, each
// file gzip-compressed): read as a folder, the way an import reads a release.
const fullDir = "../../assets/anpr"

var loadFull = sync.OnceValues(func() (*Tables, error) { return readDir(fullDir) })

// fullTables reads the built-in tables once.
func fullTables(tb testing.TB) *Tables {
	tb.Helper()
	t, err := loadFull()
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestFullTables(t *testing.T) {
	full := fullTables(t)
	if err := full.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}

	t.Run("Counts", func(t *testing.T) {
		for what, tc := range map[string]struct{ got, want int }{
			"comuni":             {len(full.Comuni), 19352},
			"states":             {len(full.States), 238},
			"certificate types":  {len(full.CertificateTypes), 20},
			"bollo exemptions":   {len(full.BolloExemptions), 11},
			"relationships":      {len(full.Relationships), 30},
			"civil status":       {len(full.CivilStatus), 8},
			"citizenship types":  {len(full.CitizenshipTypes), 6},
			"non certifiability": {len(full.NonCertifiability), 5},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: %d, want %d", what, tc.got, tc.want)
			}
		}
		active, nd := 0, 0
		for _, c := range full.Comuni {
			if c.Active {
				active++
			}
			if c.Code == CodeNotAvailable {
				nd++
			}
		}
		if active != 7901 || nd != 28 {
			t.Errorf("%d active comuni and %d without a code, want 7901 and 28", active, nd)
		}
	})

	t.Run("DefaultsAreFacts", func(t *testing.T) {
		def := Defaults()
		comuni := map[Comune]bool{}
		for _, c := range full.Comuni {
			comuni[c] = true
		}
		for _, c := range def.Comuni {
			if !comuni[c] {
				t.Errorf("default comune %+v is not in %s", c, FileComuni)
			}
		}
		states := map[State]bool{}
		for _, s := range full.States {
			states[s] = true
		}
		for _, s := range append(def.States, Italy()) {
			if !states[s] {
				t.Errorf("default state %+v is not in %s", s, FileStates)
			}
		}
		// The code tables are small: the defaults are the whole of them.
		for _, name := range TableNames() {
			if !reflect.DeepEqual(def.Entries(name), full.Entries(name)) {
				t.Errorf("default %s differs from %s", name, name.File())
			}
		}
	})

	t.Run("Lookups", func(t *testing.T) {
		ix := NewIndex(full)
		for _, tc := range []struct {
			code, on, want string
		}{
			{"A562", "1950-01-01", "SAN GIULIANO TERME"},
			{"A562", "1930-01-01", "BAGNI SAN GIULIANO"},
			{"F205", "2000-01-01", "MILANO"},
			{"F205", "1880-01-01", "MILANO"},
			{"Z404", "2000-01-01", "STATI UNITI D'AMERICA"},
			{"A001", "1900-01-01", "ABANO"},
			{"A001", "2000-01-01", "ABANO TERME"},
			{"D588", "1900-01-01", "FILAGO"}, // MARNE had D588 too: the first record wins
			{"D588", "1940-01-01", "MARNE"},
			{"D588", "2000-01-01", "FILAGO"},
		} {
			if got, _ := ix.PlaceName(tc.code, d(tc.on)); got != tc.want {
				t.Errorf("PlaceName(%s, %s) = %q, want %q", tc.code, tc.on, got, tc.want)
			}
		}
		if got := ix.ComuniByName("San Teodoro", d("2024-01-01")); len(got) != 2 || got[0].Province != "ME" || got[1].Province != "SS" {
			t.Errorf("ComuniByName(San Teodoro) = %+v, want the ones in ME and SS", got)
		}
		if c, ok := ix.ComuneByName("Sesto San Giovanni", d("2024-01-01")); !ok || c.Code != "I690" {
			t.Errorf("ComuneByName(Sesto San Giovanni) = %+v, %v", c, ok)
		}
		if s, ok := ix.StateByISO3("ITA"); !ok || s != Italy() {
			t.Errorf("StateByISO3(ITA) = %+v, %v; want Italy()", s, ok)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		dir := t.TempDir()
		if err := writeDir(dir, full); err != nil {
			t.Fatal(err)
		}
		back, err := readDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, full) {
			t.Error("readDir(writeDir(full tables)) differs")
		}
	})
}

func BenchmarkReadDir(b *testing.B) {
	fullTables(b)
	for b.Loop() {
		if _, err := readDir(fullDir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewIndex(b *testing.B) {
	full := fullTables(b)
	for b.Loop() {
		NewIndex(full)
	}
}

func BenchmarkPlaceName(b *testing.B) {
	full := fullTables(b)
	ix := NewIndex(full)
	on := d("1970-01-01")
	codes := make([]string, 0, len(full.Comuni))
	for _, c := range full.Comuni {
		codes = append(codes, c.Code)
	}
	i := 0
	for b.Loop() {
		ix.PlaceName(codes[i%len(codes)], on)
		i++
	}
}

// readDir reads the tables from a folder, as internal/anprdir does.
func readDir(dir string) (*Tables, error) { return ReadFS(os.DirFS(dir)) }

// writeDir writes the tables into a folder, as internal/anprdir does.
func writeDir(dir string, t *Tables) error {
	files, err := t.Files()
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// TestReadFSCompressed: a folder may hold any file gzip-compressed, as the
// tables built into the binaries are; a broken archive is refused naming
// the file, never read as fewer records.
func TestReadFSCompressed(t *testing.T) {
	want := Defaults()
	files, err := want.Files()
	if err != nil {
		t.Fatal(err)
	}
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		if _, err := zw.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	folder := func(edit func(fstest.MapFS)) fstest.MapFS {
		fsys := fstest.MapFS{}
		for name, b := range files {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		for _, name := range []string{FileComuni, FileStates} {
			delete(fsys, name)
			fsys[name+".gz"] = &fstest.MapFile{Data: gz(files[name])}
		}
		if edit != nil {
			edit(fsys)
		}
		return fsys
	}
	comuniGz := gz(files[FileComuni])
	for _, tc := range []struct {
		name    string
		edit    func(fstest.MapFS)
		wantErr string
	}{
		{"Mixed", nil, ""},
		{"PlainWins", func(f fstest.MapFS) {
			f[FileComuni] = &fstest.MapFile{Data: files[FileComuni]}
			f[FileComuni+".gz"] = &fstest.MapFile{Data: []byte("not gzip")}
		}, ""},
		{"NotGzip", func(f fstest.MapFS) {
			f[FileComuni+".gz"] = &fstest.MapFile{Data: []byte("ID,DATAISTITUZIONE,DATACESSAZIONE")}
		},
			"read archivio_comuni.csv.gz: gzip: invalid header"},
		{"Truncated", func(f fstest.MapFS) {
			f[FileComuni+".gz"] = &fstest.MapFile{Data: comuniGz[:len(comuniGz)-6]}
		}, "read archivio_comuni.csv.gz: "},
		{"Missing", func(f fstest.MapFS) { delete(f, FileStates+".gz") }, "read ANPR tables: open stati_esteri.csv: file does not exist"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadFS(folder(tc.edit))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatal(err)
			case tc.wantErr == "" && !reflect.DeepEqual(got, want):
				t.Error("read differently from Defaults")
			case tc.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.wantErr)):
				t.Errorf("ReadFS: %v, want %q…", err, tc.wantErr)
			}
		})
	}
}
