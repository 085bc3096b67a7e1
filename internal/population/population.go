// Package population generates the anagrafe of the demo network: a
// synthetic but plausible population of one comune, the same for the same
// options, so that the embedded default, the tests and a screenshot in the
// docs all show the same people. It is a generator, not domain: the hub's
// demo (hub/demo) and the tests are its only users.
//
// # What it makes
//
// Exactly Options.Residents people with posizione residente, and besides
// them people the comune has cancelled: emigrated people amounting to 5% of
// the residents and deceased people amounting to 3% (rounded down), each
// with the date and reason of the cancellation, and Italians registered in
// the comune's AIRE amounting to 1%, with their address abroad. Marriages,
// unions, convivenze, deaths, citizenship changes and moves within the
// comune carry their history (events.go). They come family by family,
// in families of 1 to 8 residents shaped roughly as ISTAT counts them (a
// third of the families are one person; then couples with and without
// children, single parents, and a few with a parent, a sibling or a
// grandchild of the head: 2.3 people a family on average).
//
// Within a family: one head (relazione_parentela 1); a married spouse (2)
// of the opposite sex, both with stato civile 2; or a convivente (23); or,
// from 5 June 2016, a partner of the same sex in an unione civile (28, stato
// civile 6). Children (3) are single and born when both parents present
// were 18 to 45 years old; a parent of the head (6) is 18 to 45 years older
// than the head; grandchildren (4) are 36 to 70 years younger; siblings (9)
// are close in age and carry the head's surname. Widowed people (3) have,
// as far as the 3% allows, their deceased spouse in the file; divorced (4)
// people live alone, with their children or with a new partner. The family shares one address
// and has a FamilyID unique in the comune ("I690-F000123").
//
// About 10% of the people are foreign citizens, whole families of the
// largest communities of Lombardy (Romanian, Moroccan, Albanian, Chinese,
// Ukrainian, Filipino, Egyptian, Peruvian, Indian, Bangladeshi, Senegalese,
// Moldovan), named as their documents name them, born in their state (its Z
// code as place of birth) unless born after the family came to Italy, and
// citizens of it (ISO3). Italians are born in the comune itself (45%), in its
// province (25%), anywhere in the tables (28.5%) or abroad (1.5%), always in
// a comune that has a record in force on the day of birth: where the
// tables know the comune itself only from a later day (anpr.Defaults has
// SESTO SAN GIOVANNI from 1997), the older people born "at home" are born in
// the province instead. 3% of those born while a code had another name
// (A562 was BAGNI SAN GIULIANO until 1935) are born there.
//
// Every codice fiscale is computed from the person's data. When two people
// would get the same code the later one gets the next omocodic form, as the
// Agenzia delle Entrate does; and 0.5% of the people get an omocodic code on
// purpose (the plain code belongs to someone elsewhere in Italy), so that the
// demo has some. Living adults have, 92 times out of 100, an identity
// document on file (a number shaped as a carta d'identità elettronica,
// CA12345AB); residents are fully certifiable (2) except about 1.3%
// (partially certifiable, under guardianship, not certifiable).
package population

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/anpr"
	"github.com/sportello/sportello/app/cf"
)

// Options say which population to generate.
type Options struct {
	// Comune is the Belfiore code of the comune; it must have a record in
	// force on Today in Tables.
	Comune string
	// Residents is the exact number of people with posizione residente.
	Residents int
	// Seed chooses the population: the same Options give the same people.
	Seed int64
	// Today is the day the anagrafe is as of: ages, and every date, are
	// counted back from it. It is an option, not the clock, so that the
	// output does not change from one day to the next.
	Today time.Time
	// Postcode is the CAP of every address; empty gives the comune's own
	// (20099 for Sesto San Giovanni, a CAP per street in Milano, or a
	// plausible one of its province).
	Postcode string
	// Streets is the toponymy to draw addresses from; nil gives the
	// built-in one (87 streets of a Lombard comune).
	Streets []string
	// Tables are the reference tables to draw places and states from; nil
	// gives anpr.Defaults. The full ANPR archive gives births in every
	// comune of Italy, with its history.
	Tables *anpr.Tables
}

// The shares of cancelled people, in percent of the residents.
const (
	EmigratedPercent = 5
	DeceasedPercent  = 3
)

// Generate returns the population of o: Stream's people, in its order.
func Generate(o Options) ([]app.Citizen, error) {
	cs := make([]app.Citizen, 0, o.Residents+o.Residents*(EmigratedPercent+DeceasedPercent+AIREPercent)/100)
	err := Stream(o, func(c app.Citizen) error {
		cs = append(cs, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// Stream generates the population of o and hands the people to fn one at a
// time, family by family, head first: what it keeps meanwhile is one family
// and a set of the codici fiscali given so far (a few tens of bytes a
// person), so a comune of a million and a half people can be written to a
// file or a database without holding it. An error of fn stops the stream
// and is returned as it is. Options that cannot be met give an
// app.EINVALID error before fn is called.
func Stream(o Options, fn func(app.Citizen) error) error {
	g, err := newGenerator(o)
	if err != nil {
		return err
	}
	return g.run(fn)
}

// generator is the state of one Stream.
type generator struct {
	o            Options
	rng          *rand.Rand
	today        time.Time
	comune       anpr.Comune // the record in force today
	postcode     postcoder
	streets      []string
	places       places
	communities  []community
	communityCum []float64 // cumulative weights of communities
	surnameCum   []float64 // cumulative weights of italianSurnames

	codes    map[uint64]uint8 // plain codice fiscale (packed) -> next omocodia level
	families int
	docs     uint64 // identity documents issued so far

	residents, emigrated, deceased int
	ev                             events    // the civil and residence history, and the AIRE (events.go)
	h                              household // the family being built, reused
}

func newGenerator(o Options) (*generator, error) {
	switch {
	case o.Residents < 0:
		return nil, app.Errorf(app.EINVALID, "numero di residenti negativo: %d", o.Residents)
	case o.Today.IsZero():
		return nil, app.Errorf(app.EINVALID, "manca la data di riferimento (Today) della popolazione")
	case !app.ValidBelfiore(o.Comune) || o.Comune[0] == 'Z':
		return nil, app.Errorf(app.EINVALID, "codice del comune non valido %q", o.Comune)
	}
	t := o.Tables
	if t == nil {
		t = anpr.Defaults()
	}
	g := &generator{
		o: o,
		// PCG with the seed as state and a fixed stream constant: the
		// sequence depends on the seed only, on every platform and Go
		// version that keeps math/rand/v2's PCG (it is specified).
		rng:     rand.New(rand.NewPCG(uint64(o.Seed), 0x5370_6f72_7465_6c6c)),
		today:   app.Date(o.Today.Date()),
		streets: o.Streets,
		codes:   make(map[uint64]uint8, o.Residents+o.Residents/10),
	}
	if len(g.streets) == 0 {
		g.streets = streets
	}

	found := false
	for _, c := range t.Comuni {
		if c.Code == o.Comune && covers(c.ValidFrom, c.ValidTo, g.today) {
			g.comune, found = c, true
		}
	}
	if !found {
		return nil, app.Errorf(app.EINVALID, "il comune %s non è nelle tabelle in vigore al %s", o.Comune, app.FormatDate(g.today))
	}
	pc, err := newPostcoder(o.Postcode, g.comune)
	if err != nil {
		return nil, err
	}
	g.postcode = pc
	g.places = newPlaces(t, g.comune, g.today)

	var weights []float64
	for _, c := range communities {
		if _, ok := g.places.state(c.iso3, g.today); ok {
			g.communities = append(g.communities, c)
			weights = append(weights, c.weight)
		}
	}
	g.communityCum = cumulative(weights...)
	weights = weights[:0]
	for i := range italianSurnames {
		// Zipf-like: Rossi is about twelve times as common as the last
		// of the list, as in the real distribution.
		weights = append(weights, 1/float64(i+20))
	}
	g.surnameCum = cumulative(weights...)
	return g, nil
}

func newPlaces(t *anpr.Tables, home anpr.Comune, today time.Time) places {
	var p places
	latest := map[string]anpr.Comune{} // code -> record in force last
	for _, c := range t.Comuni {
		if !app.ValidBelfiore(c.Code) || c.Code[0] == 'Z' {
			continue // ND: no code, nothing to put in a codice fiscale
		}
		p.all = append(p.all, c)
		if c.Code == home.Code {
			p.home = append(p.home, c)
		}
		if c.Province == home.Province {
			p.province = append(p.province, c)
		}
		if l, ok := latest[c.Code]; !ok || c.ValidFrom.After(l.ValidFrom) {
			latest[c.Code] = c
		}
	}
	for _, c := range p.all {
		if c.Name != latest[c.Code].Name {
			p.renamed = append(p.renamed, c)
			if c.ValidTo.After(p.renamedEnd) {
				p.renamedEnd = c.ValidTo
			}
		}
	}
	p.states = t.States
	for _, iso := range bornAbroadISO3 {
		if s, ok := p.state(iso, today); ok {
			p.abroad = append(p.abroad, s)
		}
	}
	return p
}

// state is the row of a state with a Z code that covers day, or else the
// latest one: a place of birth needs a Z code.
func (p *places) state(iso3 string, day time.Time) (anpr.State, bool) {
	var best anpr.State
	found := false
	for _, s := range p.states {
		if s.ISO3 != iso3 || s.Code == "" || !s.Birth {
			continue
		}
		if covers(s.ValidFrom, s.ValidTo, day) {
			return s, true
		}
		if !found || s.ValidFrom.After(best.ValidFrom) {
			best, found = s, true
		}
	}
	return best, found
}

// cumulative returns the running sums of weights, for weighted.
func cumulative(weights ...float64) []float64 {
	cum := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		sum += w
		cum[i] = sum
	}
	return cum
}

// weighted draws an index with the weights whose running sums are cum.
func (g *generator) weighted(cum []float64) int {
	x := g.rng.Float64() * cum[len(cum)-1]
	i, _ := slices.BinarySearch(cum, x)
	return min(i, len(cum)-1)
}

func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// between returns an integer in [lo, hi].
func (g *generator) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.IntN(hi-lo+1)
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// dayBetween returns a day in [lo, hi]; hi before lo gives lo.
func (g *generator) dayBetween(lo, hi time.Time) time.Time {
	days := int(hi.Sub(lo).Hours() / 24)
	if days <= 0 {
		return lo
	}
	return lo.AddDate(0, 0, g.rng.IntN(days+1))
}

// birthForAge returns a birth day of someone who is age on today.
func (g *generator) birthForAge(age int) time.Time {
	return g.today.AddDate(-age, 0, -g.rng.IntN(365))
}

func (g *generator) run(fn func(app.Citizen) error) error {
	for g.residents < g.o.Residents {
		if err := g.household(g.o.Residents - g.residents); err != nil {
			return err
		}
		if err := g.householdHistory(&g.h); err != nil {
			return err
		}
		for i := range g.h.members {
			if err := fn(g.h.members[i]); err != nil {
				return err
			}
		}
		g.residents += len(g.h.members)
		// The cancelled people follow the residents, so that at every
		// point of the stream their shares are what the package promises.
		for g.deceased < g.residents*DeceasedPercent/100 {
			c, err := g.deceasedPerson()
			if err == nil {
				err = g.cancelledHistory(&c)
			}
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
			g.deceased++
		}
		for g.emigrated < g.residents*EmigratedPercent/100 {
			c, err := g.emigratedPerson()
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
			g.emigrated++
		}
		for g.ev.aire < g.residents*AIREPercent/100 {
			// A family may run ahead of the share, never past the total.
			if err := g.aireFamily(g.o.Residents*AIREPercent/100-g.ev.aire, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// newFamilyID numbers the family sheets of the comune.
func (g *generator) newFamilyID() string {
	g.families++
	return fmt.Sprintf("%s-F%06d", g.comune.Code, g.families)
}

// address draws an address of the comune: a street, a house number (low
// numbers are commoner: every street has a 1, few have a 200) with now and
// then a letter or a bis.
func (g *generator) address() app.Address {
	i := g.rng.IntN(len(g.streets))
	n := strconv.Itoa(1 + g.rng.IntN(1+g.rng.IntN(220)))
	switch x := g.rng.Float64(); {
	case x < 0.06:
		n += "/" + string(rune('A'+g.rng.IntN(4)))
	case x < 0.08:
		n += " bis"
	}
	return app.Address{Street: g.streets[i], HouseNumber: n, Postcode: g.postcode(i)}
}

// codiceFiscale computes c's code and makes it unique in the comune with
// omocodia. It reports false when the eight forms of the code are all taken,
// which needs eight people with the same name code, birth day and place: the
// caller renames the person.
func (g *generator) codiceFiscale(c *app.Citizen) (bool, error) {
	code, err := cf.Compute(cf.Person{
		Surname: c.Surname, Name: c.GivenName, Sex: c.Sex,
		BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode,
	})
	if err != nil {
		return false, fmt.Errorf("population: codice fiscale of %s %s: %w", c.Surname, c.GivenName, err)
	}
	key := pack(code)
	level := int(g.codes[key])
	if level == 0 && g.chance(omocodiaOnPurpose) {
		level = 1 // the plain code belongs to somebody outside the comune
	}
	if level > 7 {
		return false, nil
	}
	g.codes[key] = uint8(level + 1)
	if level > 0 {
		if code, err = cf.Omocode(code, level); err != nil {
			return false, fmt.Errorf("population: omocodia of %s: %w", code, err)
		}
	}
	c.CodiceFiscale = code
	return true, nil
}

// omocodiaOnPurpose is the share of people given an omocodic code although
// nobody in the comune shares their plain code.
const omocodiaOnPurpose = 0.005

// pack turns a plain codice fiscale (no omocodia letters) into a number,
// position by position, so that the set of codes given costs 8 bytes a
// person rather than a string: letters in base 26, digits in base 10, the
// check character left out (the other 15 determine it). The product of the
// bases is below 2^61.
func pack(code string) uint64 {
	var k uint64
	for i := 0; i < 15; i++ {
		b := code[i]
		if b >= '0' && b <= '9' {
			k = k*10 + uint64(b-'0')
		} else {
			k = k*26 + uint64(b-'A')
		}
	}
	return k
}

// documentNumber returns the next number of a carta d'identità
// elettronica: C, a letter, five digits, two letters (CA12345AB). The
// sequence is scrambled by an affine map, a bijection on the 1,757,600,000
// numbers of the format (the multiplier is a prime that does not divide
// it), so numbers never repeat and do not look sequential.
func (g *generator) documentNumber() string {
	const space = 26 * 100000 * 26 * 26
	n := (g.docs*2_654_435_761 + uint64(g.o.Seed)*0x9e37_79b9_7f4a_7c15%space) % space
	g.docs++
	l2 := n % 26
	n /= 26
	digits := n % 100000
	n /= 100000
	return fmt.Sprintf("C%c%05d%c%c", 'A'+byte(l2), digits, 'A'+byte(n/26), 'A'+byte(n%26))
}
