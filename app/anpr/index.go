package anpr

import (
	"slices"
	"strings"
	"time"
	"unicode"
)

// Index answers lookups over one set of Tables. It is built once and then
// only read, so it is safe for concurrent use. Building it over the full
// tables takes tens of milliseconds, once; a lookup by code takes a fraction
// of a microsecond and allocates nothing, so that a list of thousands of
// citizens can show their birth places as it scrolls.
//
// Lookups take the date on which the code or name must be read (a date of
// birth, the date of a certificate). The record valid on that date wins; when
// none is, the one nearest in time, because old documents use a code before
// its first record or after its last one (a comune merged away is still where
// somebody was born). The zero time asks for the latest record. Where the
// archive gives one code to two comuni at once (D588, FILAGO and MARNE until
// 1928) the record that comes first in the tables wins.
type Index struct {
	comuni  map[string][]Comune // by Code: a run of all, sorted by ValidFrom
	names   map[string][]int32  // by folded Name and AltName: positions in all, ascending
	all     []Comune            // sorted by Code, then ValidFrom
	states  map[string][]State  // by Code
	iso3    map[string][]State
	istat   map[string][]State
	entries map[TableName]map[int][]Entry
}

// NewIndex indexes t. It does not keep t: later changes to t are not seen.
func NewIndex(t *Tables) *Index {
	ix := &Index{
		comuni:  map[string][]Comune{},
		names:   map[string][]int32{},
		states:  map[string][]State{},
		iso3:    map[string][]State{},
		istat:   map[string][]State{},
		entries: map[TableName]map[int][]Entry{},
	}
	if t == nil {
		return ix
	}
	ix.all = make([]Comune, 0, len(t.Comuni))
	for _, c := range t.Comuni {
		// ND records are not findable: their code is not a code, and a
		// name found there could not be turned into a codice fiscale.
		if c.Code != CodeNotAvailable {
			ix.all = append(ix.all, c)
		}
	}
	// Stable, so that records starting on the same day keep their order.
	slices.SortStableFunc(ix.all, func(a, b Comune) int {
		if c := strings.Compare(a.Code, b.Code); c != 0 {
			return c
		}
		return a.ValidFrom.Compare(b.ValidFrom)
	})
	for i := 0; i < len(ix.all); {
		j := i + 1
		for j < len(ix.all) && ix.all[j].Code == ix.all[i].Code {
			j++
		}
		ix.comuni[ix.all[i].Code] = ix.all[i:j:j]
		i = j
	}
	for i, c := range ix.all {
		name := fold(c.Name)
		ix.names[name] = append(ix.names[name], int32(i))
		if alt := fold(c.AltName); alt != "" && alt != name {
			ix.names[alt] = append(ix.names[alt], int32(i))
		}
	}
	for _, s := range t.States {
		for _, m := range []struct {
			byKey map[string][]State
			key   string
		}{{ix.states, s.Code}, {ix.iso3, s.ISO3}, {ix.istat, s.Istat}} {
			if m.key != "" {
				m.byKey[m.key] = append(m.byKey[m.key], s)
			}
		}
	}
	for _, byKey := range []map[string][]State{ix.states, ix.iso3, ix.istat} {
		for _, recs := range byKey {
			sortByPeriod(recs, statePeriod)
		}
	}
	for _, name := range TableNames() {
		byID := map[int][]Entry{}
		for _, e := range t.Entries(name) {
			byID[e.ID] = append(byID[e.ID], e)
		}
		for _, recs := range byID {
			sortByPeriod(recs, entryPeriod)
		}
		ix.entries[name] = byID
	}
	return ix
}

// PlaceName is the name of the place a code stood for on a date: a comune
// by its Belfiore code, a foreign state by its Z code. This is how a codice
// fiscale or an ANPR record names a place of birth. Codes are matched in
// upper case; omocodia letters must be decoded by the caller.
func (ix *Index) PlaceName(code string, on time.Time) (string, bool) {
	code = normCode(code)
	if strings.HasPrefix(code, "Z") {
		s, _, ok := pick(ix.states[code], day(on), statePeriod)
		return s.Name, ok
	}
	c, ok := ix.Comune(code, on)
	return c.Name, ok
}

// Comune is the record of a Belfiore code on a date.
func (ix *Index) Comune(code string, on time.Time) (Comune, bool) {
	c, _, ok := pick(ix.comuni[normCode(code)], day(on), comunePeriod)
	return c, ok
}

// ComuneByName finds a comune by name on a date, ignoring case, accents,
// spaces and punctuation ("forli", "FORLÌ", "Forli'", and "Bozen" for
// BOLZANO all match). It fails when the name is unknown or ambiguous: seven
// names of comuni in force today belong to two comuni each (SAN TEODORO in SS
// and ME; PATERNÒ in CT and PATERNO in PZ once accents are ignored), and
// ComuniByName lists them so that the operator can choose.
func (ix *Index) ComuneByName(name string, on time.Time) (Comune, bool) {
	found := ix.ComuniByName(name, on)
	if len(found) != 1 {
		return Comune{}, false
	}
	return found[0], true
}

// ComuniByName lists the comuni that had the name on the date, one record per
// code, in code order. When none had it on that date, it lists those that had
// it nearest in time.
func (ix *Index) ComuniByName(name string, on time.Time) []Comune {
	pos := ix.names[fold(name)]
	d := day(on)
	var found []Comune
	var dists []int64
	for i := 0; i < len(pos); {
		// One code's records are consecutive: all is sorted by code.
		j := i + 1
		for j < len(pos) && ix.all[pos[j]].Code == ix.all[pos[i]].Code {
			j++
		}
		recs := make([]Comune, 0, j-i)
		for _, p := range pos[i:j] {
			recs = append(recs, ix.all[p])
		}
		c, dist, _ := pick(recs, d, comunePeriod)
		found, dists = append(found, c), append(dists, dist)
		i = j
	}
	if len(found) == 0 {
		return nil
	}
	nearest := dists[0]
	for _, dist := range dists {
		nearest = min(nearest, dist)
	}
	out := found[:0]
	for i, c := range found {
		if dists[i] == nearest {
			out = append(out, c)
		}
	}
	return out
}

// State is the latest record of a Z code.
func (ix *Index) State(code string) (State, bool) {
	s, _, ok := pick(ix.states[normCode(code)], OpenEnd, statePeriod)
	return s, ok
}

// StateByISO3 is the latest record of an ISO 3166-1 alpha-3 code ("ITA"
// included: ANPR lists Italy among the states, without a Z code).
func (ix *Index) StateByISO3(iso3 string) (State, bool) {
	s, _, ok := pick(ix.iso3[normCode(iso3)], OpenEnd, statePeriod)
	return s, ok
}

// StateByIstat is the latest record of an ISTAT state code, the code ANPR
// uses for a citizenship ("100" Italy, "999" stateless).
func (ix *Index) StateByIstat(istat string) (State, bool) {
	s, _, ok := pick(ix.istat[strings.TrimSpace(istat)], OpenEnd, statePeriod)
	return s, ok
}

// Entry is the latest row of a code table with that ID.
func (ix *Index) Entry(table TableName, id int) (Entry, bool) {
	e, _, ok := pick(ix.entries[table][id], OpenEnd, entryPeriod)
	return e, ok
}

func comunePeriod(c Comune) (time.Time, time.Time) { return c.ValidFrom, c.ValidTo }
func statePeriod(s State) (time.Time, time.Time)   { return s.ValidFrom, s.ValidTo }
func entryPeriod(e Entry) (time.Time, time.Time)   { return e.ValidFrom, e.ValidTo }

func sortByPeriod[T any](recs []T, period func(T) (time.Time, time.Time)) {
	slices.SortStableFunc(recs, func(a, b T) int {
		fa, _ := period(a)
		fb, _ := period(b)
		return fa.Compare(fb)
	})
}

// pick returns the record whose period is nearest to d (0 when it covers
// d), the earliest on a tie, and the distance in seconds.
func pick[T any](recs []T, d time.Time, period func(T) (time.Time, time.Time)) (T, int64, bool) {
	var best T
	bestDist := int64(-1)
	for _, r := range recs {
		from, to := period(r)
		var dist int64
		switch {
		case !from.IsZero() && d.Before(from):
			dist = from.Unix() - d.Unix()
		case !to.IsZero() && d.After(to):
			dist = d.Unix() - to.Unix()
		}
		if bestDist < 0 || dist < bestDist {
			best, bestDist = r, dist
		}
	}
	return best, bestDist, bestDist >= 0
}

// day is the calendar date of t in t's own location, as the tables store
// dates (UTC midnight). The zero time becomes OpenEnd, which picks the
// records still in force.
func day(t time.Time) time.Time {
	if t.IsZero() {
		return OpenEnd
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// foldLetters spells accented letters without the accent, so that a name
// typed on any keyboard, or transliterated as ANPR does (FORLI'), matches.
var foldLetters = map[rune]string{
	'À': "A", 'Á': "A", 'Â': "A", 'Ã': "A", 'Ä': "A", 'Å': "A", 'Æ': "AE",
	'Ç': "C", 'Č': "C", 'Ć': "C",
	'È': "E", 'É': "E", 'Ê': "E", 'Ë': "E",
	'Ì': "I", 'Í': "I", 'Î': "I", 'Ï': "I",
	'Ñ': "N",
	'Ò': "O", 'Ó': "O", 'Ô': "O", 'Õ': "O", 'Ö': "O", 'Ø': "O", 'Œ': "OE",
	'Ù': "U", 'Ú': "U", 'Û': "U", 'Ü': "U",
	'Ý': "Y", 'Š': "S", 'Ž': "Z", 'Đ': "D",
	'ß': "SS", 'ẞ': "SS",
}

// fold is the form of a name used as a search key: upper case, accents
// removed, everything but letters and digits dropped, so that "Sant'Angelo",
// "SANT ANGELO" and "Santangelo" are one key.
func fold(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		r = unicode.ToUpper(r)
		if f, ok := foldLetters[r]; ok {
			b.WriteString(f)
		} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Entries are the rows of a code table that can be chosen on day on (zero:
// today in the tables' terms, any row still open), one per ID, by ID.
func (ix *Index) Entries(table TableName, on time.Time) []Entry {
	var out []Entry
	for _, rows := range ix.entries[table] {
		for _, e := range rows {
			if (on.IsZero() && e.ValidTo.IsZero()) || (!on.IsZero() && !on.Before(e.ValidFrom) && (e.ValidTo.IsZero() || !on.After(e.ValidTo))) {
				out = append(out, e)
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return a.ID - b.ID })
	return out
}
