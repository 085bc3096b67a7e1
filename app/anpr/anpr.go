// Package anpr holds the reference tables of ANPR (Anagrafe Nazionale della
// Popolazione Residente) that a counter needs to name places and codes: the
// comuni with their history since 1861, the foreign states, and six small code
// tables (certificate types, bollo exemptions, family relationships, civil
// status, citizenship types, reasons a person cannot be certified).
//
// The tables reach a workstation in two ways. The binaries carry a full
// release, compressed (the assets package; internal/anprdir.BuiltIn parses
// it), which the app uses before its first sync and a hub before any import;
// and the hub imports a newer release of the CSV files ANPR publishes
// (ReadFS) and distributes it through sync. Defaults is a small subset
// written as code, for tests that need tables without parsing the archive. Either way an Index answers the lookups, and it answers
// them by date, because a code on a document is only meaningful on the date of
// the document: the Belfiore code A562 named BAGNI SAN GIULIANO until
// 1935-07-30 and SAN GIULIANO TERME from the next day.
//
// Codes and names are kept exactly as ANPR publishes them, so that what the
// counter prints matches what ANPR certifies.
package anpr

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The file names under which ANPR publishes the tables. ReadFS and Files
// use them so that an import folder is the published folder, unchanged.
const (
	FileComuni            = "archivio_comuni.csv"
	FileStates            = "stati_esteri.csv"
	FileCertificateTypes  = string(TableCertificateTypes) + ".csv"
	FileBolloExemptions   = string(TableBolloExemptions) + ".csv"
	FileRelationships     = string(TableRelationships) + ".csv"
	FileCivilStatus       = string(TableCivilStatus) + ".csv"
	FileCitizenshipTypes  = string(TableCitizenshipTypes) + ".csv"
	FileNonCertifiability = string(TableNonCertifiability) + ".csv"
)

// CodeNotAvailable is the CODCATASTALE of the few 19th-century comuni that
// never had a Belfiore code. It is not a code: many comuni share it, and no
// lookup finds them by it.
const CodeNotAvailable = "ND"

// maxReportedProblems caps the problems Validate reports at once.
const maxReportedProblems = 20

// OpenEnd is the end of validity ANPR writes for a record that is still in
// force (9999-12-31).
var OpenEnd = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// Comune is one record of the archive of comuni: the facts of a comune during
// one period. A comune has several records when its name, province or ISTAT
// code changed (MONZA moved from MI to MB in 2009), and a record may be split
// in two with identical fields when only its territory changed.
type Comune struct {
	// Code is the cadastral (Belfiore) code, CODCATASTALE, the one inside a
	// codice fiscale. The same code covers the whole history of a comune;
	// CodeNotAvailable marks the few 19th-century records that had none.
	Code string
	// Istat is CODISTAT, six digits, valid only within this record's period.
	Istat string
	// Name is DENOMINAZIONE_IT, upper case with Italian accents (FORLÌ).
	Name string
	// AltName is ALTRADENOMINAZIONE, the name in the second official
	// language (BOZEN, AOSTE, TRST), printed next to Name where the law
	// requires bilingual certificates.
	AltName string
	// Province is SIGLAPROVINCIA, the two-letter sigla at that time.
	Province string
	// ValidFrom and ValidTo are DATAISTITUZIONE and DATACESSAZIONE, both
	// inclusive; ValidTo is OpenEnd while the record is in force.
	ValidFrom, ValidTo time.Time
	// Active is STATO "A". Both "C" (ceased) and "D" (to be established)
	// read as false, and false is written back as "C".
	Active bool
}

// State is one record of the table of foreign states and territories.
// The table also lists ITALIA and categories such as APOLIDE, which have an
// ISTAT code (used for citizenship) but no Z code.
type State struct {
	// Code is CODAT, the Z code that takes the place of a comune in the
	// codice fiscale of a person born abroad; empty for the rows that have
	// none (ITALIA, APOLIDE, many dependent territories).
	Code string
	// Name is DENOMINAZIONE, the Italian name in upper case; for the one row
	// without it, DENOMINAZIONEISTAT.
	Name string
	// NameEN is DENOMINAZIONEISTAT_EN, often empty for territories.
	NameEN string
	// ISO3 is CODISO3166_1_ALPHA3.
	ISO3 string
	// Istat is CODISTAT, three digits, present on every row: ANPR records a
	// citizenship by this code.
	Istat string
	// Citizenship, Birth and Residence are CITTADINANZA, NASCITA and
	// RESIDENZA: whether the row may be used as a citizenship, a place of
	// birth, a residence abroad.
	Citizenship, Birth, Residence bool
	// ValidFrom and ValidTo are DATAINIZIOVALIDITA and DATAFINEVALIDITA,
	// inclusive; zero when the table gives none, which means unbounded.
	ValidFrom, ValidTo time.Time
}

// Entry is one row of a code table (TableName).
type Entry struct {
	// ID is the code ANPR uses for the row; 0 is a valid code
	// (NON CERTIFICABILE).
	ID          int
	Description string
	// Flag is set, in the bollo exemptions only, when the exemption also
	// waives the diritti di segreteria (column "ESENZIONE DIRITTO DI
	// SEGRETERIA" = SI).
	Flag bool
	// Note is the "Note" column of the relationships ("Utilizzabile solo al
	// subentro"): it tells the operator why a row is no longer offered.
	Note string
	// ValidFrom and ValidTo are inclusive; zero means unbounded. An Entry
	// whose ValidTo has passed must not be chosen for new records but still
	// names old ones.
	ValidFrom, ValidTo time.Time
}

// TableName names one of the six code tables. Its value is the published
// file name without ".csv".
type TableName string

// The code tables.
const (
	TableCertificateTypes  TableName = "tipo_certificato"
	TableBolloExemptions   TableName = "esenzione_bollo"
	TableRelationships     TableName = "relazione_parentela"
	TableCivilStatus       TableName = "stato_civile"
	TableCitizenshipTypes  TableName = "tipi_cittadinanza"
	TableNonCertifiability TableName = "motivi_non_certificabilita"
)

// TableNames lists the code tables in a fixed order.
func TableNames() []TableName {
	return []TableName{
		TableCertificateTypes, TableBolloExemptions, TableRelationships,
		TableCivilStatus, TableCitizenshipTypes, TableNonCertifiability,
	}
}

// File is the published file name of the table.
func (n TableName) File() string { return string(n) + ".csv" }

// Tables is one complete set of the reference tables.
type Tables struct {
	Comuni            []Comune
	States            []State
	CertificateTypes  []Entry
	BolloExemptions   []Entry
	Relationships     []Entry
	CivilStatus       []Entry
	CitizenshipTypes  []Entry
	NonCertifiability []Entry
}

// Entries returns the rows of a code table, nil for an unknown name.
func (t *Tables) Entries(name TableName) []Entry {
	if p := t.entries(name); p != nil {
		return *p
	}
	return nil
}

// entries points at the field that holds a code table, so that reading and
// writing can loop over TableNames.
func (t *Tables) entries(name TableName) *[]Entry {
	switch name {
	case TableCertificateTypes:
		return &t.CertificateTypes
	case TableBolloExemptions:
		return &t.BolloExemptions
	case TableRelationships:
		return &t.Relationships
	case TableCivilStatus:
		return &t.CivilStatus
	case TableCitizenshipTypes:
		return &t.CitizenshipTypes
	case TableNonCertifiability:
		return &t.NonCertifiability
	}
	return nil
}

// Validate checks every record, and that no record is valid twice on one
// date: the same comune (Belfiore and ISTAT code), the same Z, ISO3 or ISTAT
// state code, the same ID of a code table. It reports up to 20 problems at
// once, so that an administrator can fix an import in one go.
func (t *Tables) Validate() error {
	var errs []error
	add := func(err error) { errs = append(errs, err) }

	for i, c := range t.Comuni {
		if err := c.Validate(); err != nil {
			add(fmt.Errorf("comune %d (%s %s): %w", i+1, c.Code, c.Name, err))
		}
	}
	var spans []span
	for _, c := range t.Comuni {
		// ND is "no code", not a code: many unrelated comuni share it. And
		// the archive does give one code to two comuni at once (D588 is
		// both FILAGO and MARNE until 1928), so only the same comune, the
		// same code with the same ISTAT code, must not be valid twice.
		if c.Code != CodeNotAvailable {
			spans = append(spans, span{c.Code + " ISTAT " + c.Istat, c.ValidFrom, c.ValidTo})
		}
	}
	for _, err := range overlaps(spans) {
		add(fmt.Errorf("comuni: %w", err))
	}

	for i, s := range t.States {
		if err := s.Validate(); err != nil {
			add(fmt.Errorf("state %d (%s %s): %w", i+1, s.Code, s.Name, err))
		}
	}
	for _, key := range []struct {
		name string
		of   func(State) string
	}{
		{"CODAT", func(s State) string { return s.Code }},
		{"ISO3", func(s State) string { return s.ISO3 }},
		{"ISTAT", func(s State) string { return s.Istat }},
	} {
		spans = spans[:0]
		for _, s := range t.States {
			if k := key.of(s); k != "" {
				spans = append(spans, span{k, s.ValidFrom, s.ValidTo})
			}
		}
		for _, err := range overlaps(spans) {
			add(fmt.Errorf("states %s: %w", key.name, err))
		}
	}

	for _, name := range TableNames() {
		spans = spans[:0]
		for i, e := range t.Entries(name) {
			if err := e.Validate(); err != nil {
				add(fmt.Errorf("%s row %d (ID %d): %w", name, i+1, e.ID, err))
			}
			spans = append(spans, span{fmt.Sprint(e.ID), e.ValidFrom, e.ValidTo})
		}
		for _, err := range overlaps(spans) {
			add(fmt.Errorf("%s ID: %w", name, err))
		}
	}

	if len(errs) > maxReportedProblems {
		n := len(errs) - maxReportedProblems
		errs = append(errs[:maxReportedProblems], fmt.Errorf("and %d more problems", n))
	}
	return errors.Join(errs...)
}

// Validate checks the fields of one record.
func (c Comune) Validate() error {
	switch {
	case c.Code != CodeNotAvailable && !isBelfiore(c.Code):
		return fmt.Errorf("code %q is not a Belfiore code (letter A-Y and 3 digits)", c.Code)
	case !isDigits(c.Istat, 6):
		return fmt.Errorf("ISTAT code %q is not 6 digits", c.Istat)
	case !isText(c.Name) || c.Name == "":
		return fmt.Errorf("name %q is empty or not printable text", c.Name)
	case !isText(c.AltName):
		return fmt.Errorf("other name %q is not printable text", c.AltName)
	case !isUpperLetters(c.Province, 2):
		return fmt.Errorf("province %q is not a 2-letter sigla", c.Province)
	}
	return validPeriod(c.ValidFrom, c.ValidTo)
}

// Validate checks the fields of one record.
func (s State) Validate() error {
	switch {
	case s.Code != "" && !(len(s.Code) == 4 && s.Code[0] == 'Z' && isDigits(s.Code[1:], 3)):
		return fmt.Errorf("code %q is not a Z code (Z and 3 digits)", s.Code)
	case s.ISO3 != "" && !isUpperLetters(s.ISO3, 3):
		return fmt.Errorf("ISO alpha-3 code %q is not 3 letters", s.ISO3)
	case !isDigits(s.Istat, 3):
		return fmt.Errorf("ISTAT code %q is not 3 digits", s.Istat)
	case !isText(s.Name) || s.Name == "":
		return fmt.Errorf("name %q is empty or not printable text", s.Name)
	case !isText(s.NameEN):
		return fmt.Errorf("name in English %q is not printable text", s.NameEN)
	}
	return validPeriod(s.ValidFrom, s.ValidTo)
}

// Validate checks the fields of one record.
func (e Entry) Validate() error {
	switch {
	case e.ID < 0:
		return fmt.Errorf("negative ID %d", e.ID)
	case !isText(e.Description) || e.Description == "":
		return fmt.Errorf("description %q is empty or not printable text", e.Description)
	case !isText(e.Note):
		return fmt.Errorf("note %q is not printable text", e.Note)
	}
	return validPeriod(e.ValidFrom, e.ValidTo)
}

func validPeriod(from, to time.Time) error {
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return fmt.Errorf("valid from %s after valid to %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	return nil
}

// span is the validity of one code, for the overlap check.
type span struct {
	key      string
	from, to time.Time // zero = unbounded
}

// overlaps reports each code that is valid twice on some date.
func overlaps(spans []span) []error {
	slices.SortStableFunc(spans, func(a, b span) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return a.from.Compare(b.from)
	})
	var errs []error
	var end time.Time // latest end so far of the current key; zero = unbounded
	for i, s := range spans {
		if i == 0 || s.key != spans[i-1].key {
			end = s.to
			continue
		}
		if end.IsZero() || s.from.IsZero() || !s.from.After(end) {
			errs = append(errs, fmt.Errorf("%s valid twice on %s", s.key, dateString(s.from)))
		}
		if !end.IsZero() && (s.to.IsZero() || s.to.After(end)) {
			end = s.to
		}
	}
	return errs
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return "any date"
	}
	return t.Format(time.DateOnly)
}

// isBelfiore reports whether code is a letter and three digits. Z codes are
// foreign states and never name a comune: PlaceName relies on that.
func isBelfiore(code string) bool {
	return len(code) == 4 && code[0] >= 'A' && code[0] <= 'Y' && isDigits(code[1:], 3)
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isUpperLetters(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isText reports whether s can be printed on a certificate as it is: valid
// UTF-8, no control characters, no surrounding space (the readers trim it).
func isText(s string) bool {
	if !utf8.ValidString(s) || strings.TrimSpace(s) != s {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
