package anagrafe

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// The sections of the file after the people: the civil and residence
// history (app/civil.go). A section starts with a line whose only value is
// its name in brackets ("[unioni]"), followed by its header line, then one
// line per record, each naming its person by codice fiscale. A file without
// sections is a file of people only, as before.

// section is one kind of history record: its columns, and how a line
// becomes part of a person's record and back.
type section struct {
	name    string
	columns []string
	// apply adds the record of line v (values in the order of columns,
	// trimmed) to c; single sections refuse a second record for a person.
	apply func(c *app.Citizen, v *values) error
	// lines are the records of c, as values in the order of columns.
	lines func(c *app.Citizen) [][]string
}

var sections = []section{
	{
		name: "unioni",
		columns: []string{"codice_fiscale", "tipo", "data", "luogo", "atto", "coniuge_cognome", "coniuge_nome",
			"coniuge_codice_fiscale", "data_fine", "motivo_fine"},
		apply: func(c *app.Citizen, v *values) error {
			u := app.Union{Kind: app.UnionKind(v.text(1)), Date: v.date(2), PlaceCode: v.text(3), Act: v.text(4),
				PartnerSurname: v.text(5), PartnerGivenName: v.text(6), PartnerCodiceFiscale: v.code(7),
				EndDate: v.date(8), EndReason: app.UnionEnd(v.text(9))}
			if v.err != nil {
				return v.err
			}
			if err := u.Validate(); err != nil {
				return err
			}
			c.Unions = append(c.Unions, u)
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			var out [][]string
			for _, u := range c.Unions {
				out = append(out, []string{c.CodiceFiscale, string(u.Kind), app.FormatDate(u.Date), u.PlaceCode, u.Act,
					u.PartnerSurname, u.PartnerGivenName, u.PartnerCodiceFiscale, app.FormatDate(u.EndDate), string(u.EndReason)})
			}
			return out
		},
	},
	{
		name: "convivenze",
		columns: []string{"codice_fiscale", "convivente_cognome", "convivente_nome", "convivente_codice_fiscale", "data_inizio",
			"contratto_data", "contratto_professionista", "contratto_estremi", "contratto_data_registrazione", "data_fine", "motivo_fine"},
		apply: func(c *app.Citizen, v *values) error {
			x := app.Cohabitation{PartnerSurname: v.text(1), PartnerGivenName: v.text(2), PartnerCodiceFiscale: v.code(3),
				Since: v.date(4), ContractDate: v.date(5), ContractProfessional: v.text(6), ContractReference: v.text(7),
				ContractRegisteredOn: v.date(8), EndDate: v.date(9), EndReason: v.text(10)}
			if v.err != nil {
				return v.err
			}
			if err := x.Validate(); err != nil {
				return err
			}
			c.Cohabitations = append(c.Cohabitations, x)
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			var out [][]string
			for _, x := range c.Cohabitations {
				out = append(out, []string{c.CodiceFiscale, x.PartnerSurname, x.PartnerGivenName, x.PartnerCodiceFiscale,
					app.FormatDate(x.Since), app.FormatDate(x.ContractDate), x.ContractProfessional, x.ContractReference,
					app.FormatDate(x.ContractRegisteredOn), app.FormatDate(x.EndDate), x.EndReason})
			}
			return out
		},
	},
	{
		name:    "decessi",
		columns: []string{"codice_fiscale", "data", "luogo"},
		apply: func(c *app.Citizen, v *values) error {
			d := app.Death{Date: v.date(1), PlaceCode: v.text(2)}
			switch {
			case v.err != nil:
				return v.err
			case c.Death != nil:
				return app.Errorf(app.EINVALID, "decesso di %s già indicato", c.CodiceFiscale)
			}
			if err := d.Validate(); err != nil {
				return err
			}
			c.Death = &d
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			if d := c.Death; d != nil {
				return [][]string{{c.CodiceFiscale, app.FormatDate(d.Date), d.PlaceCode}}
			}
			return nil
		},
	},
	{
		name:    "aire",
		columns: []string{"codice_fiscale", "data_iscrizione", "stato", "localita", "indirizzo", "consolato"},
		apply: func(c *app.Citizen, v *values) error {
			a := app.AIRERecord{RegisteredOn: v.date(1), CountryCode: v.text(2), Locality: v.text(3), Address: v.text(4), Consulate: v.text(5)}
			switch {
			case v.err != nil:
				return v.err
			case c.AIRE != nil:
				return app.Errorf(app.EINVALID, "iscrizione AIRE di %s già indicata", c.CodiceFiscale)
			}
			if err := a.Validate(); err != nil {
				return err
			}
			c.AIRE = &a
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			if a := c.AIRE; a != nil {
				return [][]string{{c.CodiceFiscale, app.FormatDate(a.RegisteredOn), a.CountryCode, a.Locality, a.Address, a.Consulate}}
			}
			return nil
		},
	},
	{
		name:    "cittadinanze",
		columns: []string{"codice_fiscale", "cittadinanza", "dal", "al", "modo_acquisto"},
		apply: func(c *app.Citizen, v *values) error {
			p := app.CitizenshipPeriod{Citizenship: v.text(1), From: v.date(2), To: v.date(3), How: v.text(4)}
			if v.err != nil {
				return v.err
			}
			if err := p.Validate(); err != nil {
				return err
			}
			c.Citizenships = append(c.Citizenships, p)
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			var out [][]string
			for _, p := range c.Citizenships {
				out = append(out, []string{c.CodiceFiscale, p.Citizenship, app.FormatDate(p.From), app.FormatDate(p.To), p.How})
			}
			return out
		},
	},
	{
		name:    "residenze",
		columns: []string{"codice_fiscale", "dal", "al", "comune", "indirizzo", "civico", "cap"},
		apply: func(c *app.Citizen, v *values) error {
			p := app.ResidencePeriod{From: v.date(1), To: v.date(2), ComuneCode: v.text(3),
				Address: app.Address{Street: v.text(4), HouseNumber: v.text(5), Postcode: v.text(6)}}
			if v.err != nil {
				return v.err
			}
			if err := p.Validate(); err != nil {
				return err
			}
			c.Residences = append(c.Residences, p)
			return nil
		},
		lines: func(c *app.Citizen) [][]string {
			var out [][]string
			for _, p := range c.Residences {
				out = append(out, []string{c.CodiceFiscale, app.FormatDate(p.From), app.FormatDate(p.To), p.ComuneCode,
					p.Address.Street, p.Address.HouseNumber, p.Address.Postcode})
			}
			return out
		},
	},
}

// values are the values of one line of a section, with the first value
// refused, for the message.
type values struct {
	sec   *section
	v     []string
	err   error
	field string
}

func (v *values) fail(i int, err error) {
	if v.err == nil {
		v.err, v.field = err, v.sec.columns[i]
	}
}

func (v *values) text(i int) string { return v.v[i] }

func (v *values) date(i int) time.Time {
	t, err := app.ParseDate(v.v[i])
	if err != nil {
		v.fail(i, err)
	}
	return t
}

// code is a codice fiscale, stored in the form every lookup uses.
func (v *values) code(i int) string { return cf.Normalize(v.v[i]) }

// sectionMarker reports the name of a section's first line: one value in
// brackets, the others (a spreadsheet pads every line to the widest)
// empty.
func sectionMarker(rec []string) (string, bool) {
	first := strings.TrimSpace(rec[0])
	if len(first) < 2 || first[0] != '[' || first[len(first)-1] != ']' {
		return "", false
	}
	for _, s := range rec[1:] {
		if strings.TrimSpace(s) != "" {
			return "", false
		}
	}
	return strings.TrimSpace(first[1 : len(first)-1]), true
}

// trimTrailing drops the empty values a spreadsheet adds at the end of a
// line to pad it to the widest line of the file.
func trimTrailing(rec []string) []string {
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	return rec[:n]
}

// readSections reads the sections from the one whose marker the reader
// has just read (name, on line) to the end of the file.
func (rd *reader) readSections(name string, line int) error {
	byCode := make(map[string]int, rd.people.n)
	for i := range rd.people.n {
		if c := rd.people.at(i); rd.bad[i]&(1<<colCodiceFiscale) == 0 && c.CodiceFiscale != "" {
			if _, dup := byCode[c.CodiceFiscale]; !dup {
				byCode[c.CodiceFiscale] = i
			}
		}
	}
	rd.historyLine = make(map[int]int)
	seen := map[string]int{}
	var sec *section
	var index []int // index[i] is the column of the section of the i-th value of a line
	header := false // the next line is the section's header
	start := func(name string, line int) {
		sec, index, header = nil, nil, false
		if prev, dup := seen[name]; dup {
			rd.fail(line, "", fmt.Sprintf("sezione [%s] ripetuta: è già alla riga %d", name, prev))
			return
		}
		seen[name] = line
		for i := range sections {
			if sections[i].name == name {
				sec, header = &sections[i], true
				return
			}
		}
		rd.fail(line, "", fmt.Sprintf("sezione sconosciuta [%s]: unioni, convivenze, decessi, aire, cittadinanze o residenze", clip(name)))
	}
	start(name, line)
	for {
		rec, err := rd.cr.Read()
		if err == io.EOF {
			if header && sec != nil {
				rd.fail(line, "", fmt.Sprintf("sezione [%s] senza riga di intestazione", sec.name))
			}
			return nil
		}
		if err != nil {
			if rd.parseError(err) {
				continue
			}
			return fmt.Errorf("read anagrafe section: %w", err)
		}
		line, _ = rd.cr.FieldPos(0)
		if name, ok := sectionMarker(rec); ok {
			if header && sec != nil {
				rd.fail(line, "", fmt.Sprintf("sezione [%s] senza riga di intestazione", sec.name))
			}
			start(name, line)
			continue
		}
		if sec == nil {
			continue // an unknown or repeated section: already reported
		}
		rec = trimTrailing(rec)
		if header {
			header = false
			index = rd.sectionHeader(sec, rec, line)
			if index == nil {
				sec = nil // its lines cannot be read
			}
			continue
		}
		rd.sectionLine(sec, index, rec, line, byCode)
	}
}

// sectionHeader maps the names of a section's header to its columns; nil
// when the header is wrong (reported).
func (rd *reader) sectionHeader(sec *section, rec []string, line int) []int {
	seen := make([]bool, len(sec.columns))
	index := make([]int, 0, len(rec))
	ok := true
	for _, name := range rec {
		name = strings.TrimSpace(name)
		c := -1
		for i, col := range sec.columns {
			if col == name {
				c = i
			}
		}
		switch {
		case c < 0:
			rd.fail(line, clip(name), fmt.Sprintf("colonna sconosciuta %q nella sezione [%s]", clip(name), sec.name))
			ok = false
		case seen[c]:
			rd.fail(line, name, fmt.Sprintf("colonna %q ripetuta nella sezione [%s]", name, sec.name))
			ok = false
		default:
			seen[c] = true
		}
		index = append(index, c)
	}
	for c, s := range seen {
		if !s {
			rd.fail(line, sec.columns[c], fmt.Sprintf("colonna %q mancante nella sezione [%s]", sec.columns[c], sec.name))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return index
}

// sectionLine reads one record of a section into its person.
func (rd *reader) sectionLine(sec *section, index []int, rec []string, line int, byCode map[string]int) {
	if len(rec) > len(index) {
		rd.fail(line, "", fmt.Sprintf("la riga ha %d valori, l'intestazione della sezione [%s] %d colonne", len(rec), sec.name, len(index)))
		return
	}
	v := &values{sec: sec, v: make([]string, len(sec.columns))}
	for i, s := range rec {
		if err := checkText(s); err != nil {
			rd.fail(line, sec.columns[index[i]], app.ErrorMessage(err))
			return
		}
		v.v[index[i]] = strings.TrimSpace(s)
	}
	code := cf.Normalize(v.v[0])
	p, ok := byCode[code]
	if !ok {
		rd.fail(line, "codice_fiscale", fmt.Sprintf("codice fiscale %q non presente tra le persone del file", clip(v.v[0])))
		return
	}
	if err := sec.apply(rd.people.at(p), v); err != nil {
		rd.fail(line, v.field, app.ErrorMessage(err))
		return
	}
	if _, ok := rd.historyLine[p]; !ok {
		rd.historyLine[p] = line
	}
}

// checkHistory validates, whole, each person the sections added to, now
// that all of the history is attached: the checks across records (a
// marriage that overlaps another, a resident whose last residence is not
// the address) need all of it. The problem is reported on the first line
// of the person's history.
func (rd *reader) checkHistory() {
	for p, line := range rd.historyLine {
		if rd.bad[p] != 0 {
			continue // the person's own line is wrong: reported there
		}
		c := rd.people.at(p)
		if err := c.Validate(); err != nil {
			rd.fail(line, "", fmt.Sprintf("storico di %s (riga %d): %s", c.CodiceFiscale, rd.lines[p], app.ErrorMessage(err)))
		}
	}
}
