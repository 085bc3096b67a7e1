package anagrafe

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
)

// RowError is one thing wrong in the file. Line is the 1-based line of the
// file (the header is line 1, or the line the record starts on when a
// quoted value spans lines); Field is the column at fault, empty when the
// fault is the whole line or a disagreement between columns.
type RowError struct {
	Line    int
	Field   string
	Message string // Italian, for the comune's staff
}

func (e RowError) String() string {
	if e.Field == "" {
		return fmt.Sprintf("riga %d: %s", e.Line, e.Message)
	}
	return fmt.Sprintf("riga %d, colonna %s: %s", e.Line, e.Field, e.Message)
}

// ReadError lists everything wrong in a file, in the order of the lines.
// It unwraps to an app.EINVALID error with the same message, so the hub
// answers it as any other invalid input.
type ReadError struct {
	Rows []RowError
}

// maxErrorLines is how many problems Error spells out: enough to fix a file
// in a few rounds, short enough to read in a message box or a log line.
const maxErrorLines = 20

func (e *ReadError) Error() string {
	var b strings.Builder
	if len(e.Rows) == 1 {
		b.WriteString("file anagrafe non importato: 1 errore")
	} else {
		fmt.Fprintf(&b, "file anagrafe non importato: %d errori", len(e.Rows))
	}
	for i, r := range e.Rows {
		if i == maxErrorLines {
			if n := len(e.Rows) - i; n == 1 {
				b.WriteString("\n...e 1 altro errore")
			} else {
				fmt.Fprintf(&b, "\n...e altri %d errori", n)
			}
			break
		}
		b.WriteString("\n")
		b.WriteString(r.String())
	}
	return b.String()
}

// Unwrap makes app.ErrorCode and app.ErrorMessage see an EINVALID error.
func (e *ReadError) Unwrap() error {
	return &app.Error{Code: app.EINVALID, Message: e.Error()}
}

var bom = []byte("\uFEFF")

// Read reads a whole import file of comune (its Belfiore code), checking
// every line (see the package documentation). On success it returns the
// people in the order of the file, with Comune set and UpdatedAt zero. If
// anything is wrong it returns no people and a *ReadError that lists every
// problem; a failure to read r is returned wrapped as it is.
func Read(r io.Reader, comune string) ([]app.Citizen, error) {
	if !app.ValidBelfiore(comune) || comune[0] == 'Z' {
		return nil, app.Errorf(app.EINVALID, "codice del comune non valido %q", comune)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	// Spreadsheets on Windows save "CSV UTF-8" with a byte order mark;
	// without this the first column would be unknown.
	if b, err := br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		_, _ = br.Discard(len(bom))
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // counted here, to say it in Italian
	cr.ReuseRecord = true

	rd := reader{cr: cr, comune: comune}
	if err := rd.header(); err != nil {
		return nil, err
	}
	if err := rd.rows(); err != nil {
		return nil, err
	}
	rd.crossCheck()
	rd.checkHistory()
	if len(rd.errs) > 0 {
		sort.SliceStable(rd.errs, func(i, j int) bool { return rd.errs[i].Line < rd.errs[j].Line })
		return nil, &ReadError{Rows: rd.errs}
	}
	return rd.people.all(), nil
}

// reader is the state of one Read.
type reader struct {
	cr     *csv.Reader
	comune string
	index  []int // index[i] is the column of the i-th field of a line
	people chunks
	lines  []int    // lines[i] is the line of people[i]
	bad    []uint32 // bad[i] has bit c set when column c of people[i] was refused, badRecord when the record was
	errs   []RowError
	// historyLine maps a person (index in people) to the first line of
	// the sections that gives them history.
	historyLine map[int]int
}

// badRecord marks in bad a person refused as a whole (Validate), whose
// columns were each readable.
const badRecord = 1 << 31

func (rd *reader) fail(line int, field, msg string) {
	rd.errs = append(rd.errs, RowError{Line: line, Field: field, Message: msg})
}

// header reads the first line and maps its names to columns. A wrong header
// stops the reading: no line can be read without knowing its columns.
func (rd *reader) header() error {
	rec, err := rd.cr.Read()
	switch {
	case err == io.EOF:
		rd.fail(1, "", "file vuoto: manca la riga di intestazione")
	case err != nil:
		if !rd.parseError(err) {
			return fmt.Errorf("read anagrafe header: %w", err)
		}
	default:
		line, _ := rd.cr.FieldPos(0)
		seen := make([]bool, len(columns))
		for _, name := range rec {
			name = strings.TrimSpace(name)
			c := columnIndex(name)
			if c < 0 {
				name = clip(name)
			}
			switch {
			case c < 0:
				rd.fail(line, name, fmt.Sprintf("colonna sconosciuta %q", name))
			case seen[c]:
				rd.fail(line, name, fmt.Sprintf("colonna %q ripetuta", name))
			default:
				seen[c] = true
			}
			rd.index = append(rd.index, c)
		}
		for c, ok := range seen {
			if !ok && !optional[columns[c].name] {
				rd.fail(line, columns[c].name, fmt.Sprintf("colonna %q mancante", columns[c].name))
			}
		}
	}
	if len(rd.errs) > 0 {
		return &ReadError{Rows: rd.errs}
	}
	return nil
}

// clip shortens an unknown column name for the messages: a file that is not
// CSV at all can have a megabyte in its "header".
func clip(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

func columnIndex(name string) int {
	for i, c := range columns {
		if c.name == name {
			return i
		}
	}
	return -1
}

// rows reads every line after the header, checking each on its own.
func (rd *reader) rows() error {
	for {
		rec, err := rd.cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if rd.parseError(err) {
				continue // the reader resumes at the next line
			}
			return fmt.Errorf("read anagrafe: %w", err)
		}
		line, _ := rd.cr.FieldPos(0)
		if name, ok := sectionMarker(rec); ok {
			// The people end where the history begins (sections.go).
			return rd.readSections(name, line)
		}
		if len(rec) != len(rd.index) {
			rd.fail(line, "", fmt.Sprintf("la riga ha %d valori, l'intestazione %d colonne", len(rec), len(rd.index)))
			continue
		}
		c := app.Citizen{Comune: rd.comune}
		var bad uint32
		for i, v := range rec {
			col := rd.index[i]
			err := checkText(v)
			if err == nil {
				err = columns[col].set(&c, strings.TrimSpace(v))
			}
			if err != nil {
				bad |= 1 << col
				rd.fail(line, columns[col].name, app.ErrorMessage(err))
			}
		}
		if bad == 0 {
			if err := c.Validate(); err != nil {
				bad |= badRecord
				rd.fail(line, "", app.ErrorMessage(err))
			}
			if c.Status == app.StatusResident {
				if c.Address.Street == "" {
					bad |= 1 << colIndirizzo
					rd.fail(line, columns[colIndirizzo].name, "indirizzo mancante: un residente ha un indirizzo")
				}
				switch {
				case !c.CancelledOn.IsZero():
					rd.fail(line, columns[colDataCancellazione].name, "un residente non ha data né motivo di cancellazione")
				case c.CancelReason != "":
					rd.fail(line, columns[colMotivoCancellazione].name, "un residente non ha data né motivo di cancellazione")
				}
			}
		}
		rd.people.add(c)
		rd.lines = append(rd.lines, line)
		rd.bad = append(rd.bad, bad)
	}
}

// parseError records a CSV syntax error and reports whether err was one.
func (rd *reader) parseError(err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return false
	}
	msg := "riga malformata"
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = "virgolette non chiuse o seguite da altro testo"
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = "virgolette dentro un valore senza virgolette: racchiudere il valore tra virgolette e raddoppiarle"
	}
	rd.fail(pe.StartLine, "", msg)
	return true
}

// crossCheck applies the rules that look at more than one line: unique
// codes, and the families of the residents. A value already refused on its
// own line is left out, so that one mistake is reported once.
func (rd *reader) crossCheck() {
	const addressCols = 1<<colIndirizzo | 1<<colCivico | 1<<colCap

	first := make(map[string]int, rd.people.n) // codice fiscale -> index
	type family struct {
		id      string
		members []int // indexes of residents, in file order
		head    int   // index of the first head, -1 if none
	}
	var families []*family // in order of first appearance: errors come out in a stable order
	byID := make(map[string]*family)
	unsure := make(map[string]bool) // families with a member whose place in them is unreadable

	for i := range rd.people.n {
		c := rd.people.at(i)
		if rd.bad[i]&(1<<colCodiceFiscale) == 0 && c.CodiceFiscale != "" {
			if j, dup := first[c.CodiceFiscale]; dup {
				rd.fail(rd.lines[i], columns[colCodiceFiscale].name,
					fmt.Sprintf("codice fiscale %s ripetuto: è già alla riga %d", c.CodiceFiscale, rd.lines[j]))
			} else {
				first[c.CodiceFiscale] = i
			}
		}
		if rd.bad[i]&(1<<colIDFamiglia) != 0 || c.FamilyID == "" {
			continue
		}
		if rd.bad[i]&(1<<colPosizione|1<<colRelazione) != 0 {
			// Whether this is the family's head (or a resident at all)
			// is unknown until the line is fixed: do not call the family
			// headless meanwhile.
			unsure[c.FamilyID] = true
			continue
		}
		if c.Status != app.StatusResident {
			continue
		}
		f := byID[c.FamilyID]
		if f == nil {
			f = &family{id: c.FamilyID, head: -1}
			byID[c.FamilyID] = f
			families = append(families, f)
		}
		f.members = append(f.members, i)
		if c.Relationship == app.RelationshipHead {
			if f.head >= 0 {
				rd.fail(rd.lines[i], columns[colRelazione].name,
					fmt.Sprintf("famiglia %s: secondo intestatario scheda (relazione 1), il primo è alla riga %d", f.id, rd.lines[f.head]))
			} else {
				f.head = i
			}
		}
	}

	for _, f := range families {
		ref := f.head
		if ref < 0 {
			ref = f.members[0]
			if !unsure[f.id] {
				rd.fail(rd.lines[ref], columns[colRelazione].name,
					fmt.Sprintf("famiglia %s senza intestatario scheda (relazione 1) tra i residenti", f.id))
			}
		}
		if rd.bad[ref]&addressCols != 0 {
			continue
		}
		want := rd.people.at(ref).Address
		for _, i := range f.members {
			if i == ref || rd.bad[i]&addressCols != 0 {
				continue
			}
			if got := rd.people.at(i).Address; got != want {
				rd.fail(rd.lines[i], columns[colIndirizzo].name,
					fmt.Sprintf("indirizzo %q diverso da quello della famiglia %s (%q, riga %d)", got, f.id, want, rd.lines[ref]))
			}
		}
	}
}

// The ANPR code tables the numeric columns are checked against. Every code
// ever published is accepted, including those ANPR keeps only for old
// records: an anagrafe holds old records.
var (
	civilStatuses    = codeTable{"stato civile", anprCode(anpr.TableCivilStatus)}
	relationships    = codeTable{"relazione di parentela", anprCode(anpr.TableRelationships)}
	certifiabilities = codeTable{"certificabilità", anprCode(anpr.TableNonCertifiability)}
)

// anprCode reports the codes of table t in anpr.Defaults. The set is built
// on first use, so that a program that never reads a file never builds it.
func anprCode(t anpr.TableName) func(int) bool {
	codes := sync.OnceValue(func() map[int]bool {
		m := make(map[int]bool)
		for _, e := range anpr.Defaults().Entries(t) {
			m[e.ID] = true
		}
		return m
	})
	return func(n int) bool { return codes()[n] }
}

// chunks holds the people read so far in blocks of fixed size. Appending to
// one slice would copy a comune of a million people (400 MB) over and over
// as it grows; blocks are copied once, at the end, into a slice of the
// exact size.
type chunks struct {
	blocks [][]app.Citizen
	n      int
}

const chunkSize = 1 << 14

func (c *chunks) add(x app.Citizen) {
	if c.n%chunkSize == 0 {
		// The first block starts small and grows as a slice does, so that
		// a file of ten people does not cost a block of 16,384.
		size := chunkSize
		if c.n == 0 {
			size = 64
		}
		c.blocks = append(c.blocks, make([]app.Citizen, 0, size))
	}
	last := &c.blocks[len(c.blocks)-1]
	*last = append(*last, x)
	c.n++
}

func (c *chunks) at(i int) *app.Citizen { return &c.blocks[i/chunkSize][i%chunkSize] }

// all returns the people in one slice, releasing each block once copied.
func (c *chunks) all() []app.Citizen {
	out := make([]app.Citizen, 0, c.n)
	for i, b := range c.blocks {
		out = append(out, b...)
		c.blocks[i] = nil
	}
	return out
}
