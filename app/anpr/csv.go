package anpr

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"time"
)

// The published headers. The readers find columns by name, not position,
// because the files differ: the tables exported from xlsx start with an
// unnamed row-number column, only esenzione_bollo has the diritti column and
// only relazione_parentela has Note. The writers use the published order so
// that a written folder looks like the published one.
var (
	comuniHeader = []string{
		"ID", "DATAISTITUZIONE", "DATACESSAZIONE", "CODISTAT", "CODCATASTALE",
		"DENOMINAZIONE_IT", "DENOMTRASLITTERATA", "ALTRADENOMINAZIONE", "ALTRADENOMTRASLITTERATA",
		"ID_PROVINCIA", "IDPROVINCIAISTAT", "IDREGIONE", "IDPREFETTURA", "STATO",
		"SIGLAPROVINCIA", "FONTE", "DATAULTIMOAGG", "COD_DENOM",
	}
	statesHeader = []string{
		"ID", "DENOMINAZIONE", "DENOMINAZIONEISTAT", "DENOMINAZIONEISTAT_EN",
		"DATAINIZIOVALIDITA", "DATAFINEVALIDITA", "CODISO3166_1_ALPHA3", "CODMAE", "CODMIN",
		"CODAT", "CODISTAT", "CITTADINANZA", "NASCITA", "RESIDENZA", "FONTE", "TIPO",
		"CODISOSOVRANO", "DATAULTIMOAGG",
	}
)

// Column names of the code tables.
const (
	colID          = "ID"
	colDescription = "DESCRIZIONE"
	colDiritti     = "ESENZIONE DIRITTO DI SEGRETERIA"
	colOrder       = "ORDINAMENTO"
	colFrom        = "DATAINIZIOVALIDITA"
	colTo          = "DATAFINEVALIDITA"
	colNote        = "Note" // as published; the readers compare column names in upper case
)

// entryLayout is the shape of one published code table.
type entryLayout struct {
	index bool // an unnamed leading row-number column
	flag  bool // colDiritti
	note  bool // colNote
}

var entryLayouts = map[TableName]entryLayout{
	TableBolloExemptions:  {flag: true},
	TableRelationships:    {index: true, note: true},
	TableCivilStatus:      {index: true},
	TableCitizenshipTypes: {index: true},
}

// ReadFS reads the eight published files from the top of fsys (a folder
// as the adapter that reads it gives it: os.DirFS, an archive, a test's
// fstest.MapFS). A file may also be there gzip-compressed, as name.csv.gz.
// An error names the file and, for a bad record, its line.
func ReadFS(fsys fs.FS) (*Tables, error) {
	t := &Tables{}
	var err error
	if t.Comuni, err = readFile(fsys, FileComuni, ReadComuni); err != nil {
		return nil, err
	}
	if t.States, err = readFile(fsys, FileStates, ReadStates); err != nil {
		return nil, err
	}
	for _, name := range TableNames() {
		if *t.entries(name), err = readFile(fsys, name.File(), ReadEntries); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// readFile reads name, or name.gz when only the compressed file is there:
// the tables built into the binaries are kept compressed, and a release
// folder may be too.
func readFile[T any](fsys fs.FS, name string, read func(io.Reader) ([]T, error)) ([]T, error) {
	f, err := fsys.Open(name)
	gz := false
	if errors.Is(err, fs.ErrNotExist) {
		if zf, zerr := fsys.Open(name + ".gz"); zerr == nil {
			f, err, gz, name = zf, nil, true, name+".gz"
		}
	}
	if err != nil {
		return nil, fmt.Errorf("read ANPR tables: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if gz {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		r = zr
	}
	recs, err := read(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return recs, nil
}

// Files writes t as the eight published files, by name, so that tests and
// the demo hub can produce an import folder; ReadFS gives t back.
func (t *Tables) Files() (map[string][]byte, error) {
	type file struct {
		name  string
		write func(io.Writer) error
	}
	files := []file{
		{FileComuni, func(w io.Writer) error { return WriteComuni(w, t.Comuni) }},
		{FileStates, func(w io.Writer) error { return WriteStates(w, t.States) }},
	}
	for _, name := range TableNames() {
		files = append(files, file{name.File(), func(w io.Writer) error { return WriteEntries(w, name, t.Entries(name)) }})
	}
	out := make(map[string][]byte, len(files))
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.name, err)
		}
		out[f.name] = buf.Bytes()
	}
	return out, nil
}

// ReadComuni reads archivio_comuni.csv. It accepts the published file as it
// is: a UTF-8 byte order mark, every field quoted, ISO dates.
func ReadComuni(r io.Reader) ([]Comune, error) {
	cr, err := newCSVReader(r, "DATAISTITUZIONE", "DATACESSAZIONE", "CODISTAT", "CODCATASTALE",
		"DENOMINAZIONE_IT", "STATO", "SIGLAPROVINCIA")
	if err != nil {
		return nil, err
	}
	var cs []Comune
	for cr.next() {
		c := Comune{
			Code:      cr.get("CODCATASTALE"),
			Istat:     cr.get("CODISTAT"),
			Name:      cr.get("DENOMINAZIONE_IT"),
			AltName:   cr.get("ALTRADENOMINAZIONE"),
			Province:  cr.get("SIGLAPROVINCIA"),
			ValidFrom: cr.date("DATAISTITUZIONE"),
			ValidTo:   cr.date("DATACESSAZIONE"),
			Active:    cr.status("STATO"),
		}
		if cr.err != nil {
			break
		}
		cs = append(cs, c)
	}
	if cr.err != nil {
		return nil, cr.err
	}
	return cs, nil
}

// WriteComuni writes comuni in the published layout. The columns that
// Comune does not keep (ANPR record ID, transliterations, province and
// region IDs, last update) are left empty.
func WriteComuni(w io.Writer, cs []Comune) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(comuniHeader); err != nil {
		return err
	}
	for _, c := range cs {
		status := "C"
		if c.Active {
			status = "A"
		}
		if err := cw.Write([]string{
			"", isoDate(c.ValidFrom), isoDate(c.ValidTo), c.Istat, c.Code,
			c.Name, "", c.AltName, "",
			"", "", "", "", status,
			c.Province, "", "", "",
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadStates reads stati_esteri.csv: DD/MM/YYYY dates, S/N flags, rows
// shorter than the header, rows without dates or Z code.
func ReadStates(r io.Reader) ([]State, error) {
	cr, err := newCSVReader(r, "DENOMINAZIONE", "DENOMINAZIONEISTAT_EN", "DATAINIZIOVALIDITA",
		"DATAFINEVALIDITA", "CODISO3166_1_ALPHA3", "CODAT", "CODISTAT", "CITTADINANZA", "NASCITA",
		"RESIDENZA")
	if err != nil {
		return nil, err
	}
	var ss []State
	for cr.next() {
		s := State{
			Code:        cr.get("CODAT"),
			Name:        cr.get("DENOMINAZIONE"),
			NameEN:      cr.get("DENOMINAZIONEISTAT_EN"),
			ISO3:        cr.get("CODISO3166_1_ALPHA3"),
			Istat:       cr.get("CODISTAT"),
			Citizenship: cr.flag("CITTADINANZA", "S", "N"),
			Birth:       cr.flag("NASCITA", "S", "N"),
			Residence:   cr.flag("RESIDENZA", "S", "N"),
			ValidFrom:   cr.date("DATAINIZIOVALIDITA"),
			ValidTo:     cr.date("DATAFINEVALIDITA"),
		}
		if s.Name == "" {
			// One row (Riconosciuti non cittadini, ISTAT 888) has only the ISTAT name.
			s.Name = cr.get("DENOMINAZIONEISTAT")
		}
		if cr.err != nil {
			break
		}
		ss = append(ss, s)
	}
	if cr.err != nil {
		return nil, cr.err
	}
	return ss, nil
}

// WriteStates writes states in the published layout, dates as DD/MM/YYYY.
func WriteStates(w io.Writer, ss []State) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(statesHeader); err != nil {
		return err
	}
	for _, s := range ss {
		if err := cw.Write([]string{
			"", s.Name, "", s.NameEN,
			dmyDate(s.ValidFrom), dmyDate(s.ValidTo), s.ISO3, "", "",
			s.Code, s.Istat, yesNo(s.Citizenship, "S", "N"), yesNo(s.Birth, "S", "N"), yesNo(s.Residence, "S", "N"), "", "",
			"", "",
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// ReadEntries reads any of the six code tables. Dates may be ISO, DD/MM/YYYY
// or Excel serial numbers (42262), which the conversion from xlsx left in
// relazione_parentela.csv.
func ReadEntries(r io.Reader) ([]Entry, error) {
	cr, err := newCSVReader(r, colID, colDescription)
	if err != nil {
		return nil, err
	}
	var es []Entry
	for cr.next() {
		e := Entry{
			ID:          cr.number(colID),
			Description: cr.get(colDescription),
			Flag:        cr.flag(colDiritti, "SI", "NO"),
			Note:        cr.get(colNote),
			ValidFrom:   cr.date(colFrom),
			ValidTo:     cr.date(colTo),
		}
		if cr.err != nil {
			break
		}
		es = append(es, e)
	}
	if cr.err != nil {
		return nil, cr.err
	}
	return es, nil
}

// WriteEntries writes the rows of a code table in its published layout,
// dates as ISO. A column the layout lacks is added when a row needs it, so
// that nothing is dropped: ReadEntries gives es back.
func WriteEntries(w io.Writer, table TableName, es []Entry) error {
	layout := entryLayouts[table]
	for _, e := range es {
		layout.flag = layout.flag || e.Flag
		layout.note = layout.note || e.Note != ""
	}
	var header []string
	if layout.index {
		header = append(header, "")
	}
	header = append(header, colID, colDescription)
	if layout.flag {
		header = append(header, colDiritti)
	}
	header = append(header, colOrder, colFrom, colTo)
	if layout.note {
		header = append(header, colNote)
	}

	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i, e := range es {
		var rec []string
		if layout.index {
			rec = append(rec, strconv.Itoa(i+1))
		}
		rec = append(rec, strconv.Itoa(e.ID), e.Description)
		if layout.flag {
			rec = append(rec, yesNo(e.Flag, "SI", ""))
		}
		rec = append(rec, "", isoDate(e.ValidFrom), isoDate(e.ValidTo))
		if layout.note {
			rec = append(rec, e.Note)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvReader reads a CSV file by column name. The first error is kept in err
// and stops reading, so that a record can be built in one expression.
type csvReader struct {
	r     *csv.Reader
	cols  map[string]int // upper-case column name -> index
	width int            // fields in the header
	rec   []string
	line  int
	err   error
}

func newCSVReader(r io.Reader, required ...string) (*csvReader, error) {
	br := bufio.NewReader(r)
	// archivio_comuni.csv starts with a byte order mark; encoding/csv would
	// take it as part of the first field and then reject the quote after it.
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	// Excel in an Italian locale saves CSV with semicolons: a published
	// table opened and saved again by an administrator comes back so.
	if head, _ := br.Peek(br.Size()); bytes.Count(firstLine(head), []byte(";")) > bytes.Count(firstLine(head), []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1 // rows may be shorter than the header
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("line 1: no header")
	}
	if err != nil {
		return nil, err
	}
	cols := make(map[string]int, len(header))
	for i, name := range header {
		name = strings.ToUpper(strings.TrimSpace(name))
		if name == "" {
			continue // the row-number column of the tables exported from xlsx
		}
		if _, dup := cols[name]; dup {
			return nil, fmt.Errorf("line 1: column %s twice", name)
		}
		cols[name] = i
	}
	for _, name := range required {
		if _, ok := cols[strings.ToUpper(name)]; !ok {
			return nil, fmt.Errorf("line 1: no column %s", name)
		}
	}
	return &csvReader{r: cr, cols: cols, width: len(header)}, nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

// next moves to the next record that is not blank and reports whether there
// is one. Blank rows (",,,,") are what a spreadsheet leaves after the data.
func (c *csvReader) next() bool {
	for c.err == nil {
		rec, err := c.r.Read()
		if err == io.EOF {
			return false
		}
		if err != nil {
			c.err = err // a *csv.ParseError names its line
			return false
		}
		c.line, _ = c.r.FieldPos(0)
		if len(rec) > c.width {
			// More fields than names: most likely an unquoted comma has
			// shifted the row, and reading on would put values in the wrong
			// columns.
			c.err = fmt.Errorf("line %d: %d fields, the header has %d", c.line, len(rec), c.width)
			return false
		}
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				c.rec = rec
				return true
			}
		}
	}
	return false
}

// get returns the trimmed field of the column, "" when the file has no such
// column or the row stops before it.
func (c *csvReader) get(col string) string {
	i, ok := c.cols[strings.ToUpper(col)]
	if !ok || i >= len(c.rec) {
		return ""
	}
	return strings.TrimSpace(c.rec[i])
}

func (c *csvReader) fail(col string, err error) {
	if c.err == nil {
		c.err = fmt.Errorf("line %d: %s: %w", c.line, col, err)
	}
}

func (c *csvReader) date(col string) time.Time {
	t, err := parseDate(c.get(col))
	if err != nil {
		c.fail(col, err)
	}
	return t
}

func (c *csvReader) number(col string) int {
	s := c.get(col)
	n, err := strconv.Atoi(s)
	if err != nil {
		c.fail(col, fmt.Errorf("%q is not a number", s))
	}
	return n
}

// flag reads a yes/no column; an empty field is no.
func (c *csvReader) flag(col, yes, no string) bool {
	switch s := c.get(col); {
	case strings.EqualFold(s, yes):
		return true
	case s == "" || strings.EqualFold(s, no):
		return false
	default:
		c.fail(col, fmt.Errorf("%q is neither %s nor %s", s, yes, no))
		return false
	}
}

// status reads STATO: A (attivo), C (cessato), D (da istituire).
func (c *csvReader) status(col string) bool {
	switch s := c.get(col); s {
	case "A":
		return true
	case "C", "D":
		return false
	default:
		c.fail(col, fmt.Errorf("%q is not A, C or D", s))
		return false
	}
}

// excelEpoch is day 0 of the Excel serial dates from 1900-03-01 on. Excel
// counts a 1900-02-29 that never was (serial 60), so the earlier serials are
// one day off.
var excelEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

// maxExcelSerial is 9999-12-31, the last date Excel knows.
const maxExcelSerial = 2958465

// parseDate reads the three date forms of the published files: ISO
// YYYY-MM-DD (archivio_comuni), DD/MM/YYYY (stati_esteri) and Excel serial
// numbers. An empty field is the zero time.
func parseDate(s string) (time.Time, error) {
	switch {
	case s == "":
		return time.Time{}, nil
	case len(s) == 10 && s[4] == '-':
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, nil
		}
	case len(s) == 10 && s[2] == '/':
		if t, err := time.Parse("02/01/2006", s); err == nil {
			return t, nil
		}
	case len(s) <= 7 && isDigits(s, len(s)):
		n, _ := strconv.Atoi(s)
		switch {
		case n >= 61 && n <= maxExcelSerial:
			return excelEpoch.AddDate(0, 0, n), nil
		case n >= 1 && n < 60:
			return excelEpoch.AddDate(0, 0, n+1), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (YYYY-MM-DD, DD/MM/YYYY or an Excel serial number)", s)
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func dmyDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}
