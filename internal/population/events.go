package population

import (
	"fmt"
	"math/rand/v2"
	"time"
	"unicode"

	"github.com/sportello/sportello/app"
)

// This file gives the population its civil and residence history (the facts
// of ANPR's certificates di matrimonio, di unione civile, di contratto di
// convivenza, di morte, AIRE, storico di cittadinanza and storico di
// residenza alla data), and adds the Italians registered in the AIRE:
//
//   - every married couple of a family has its marriage (date after both
//     came of age and before their first child, place, act), every unione
//     civile its union, on both records; every couple of conviventi its
//     convivenza di fatto, with a registered contract 40% of the time;
//   - every deceased person has the date and place of death;
//   - 15% of the families moved once within the comune, with the dates;
//   - Italians born abroad had their state's citizenship before becoming
//     Italian by residence (art. 9 L. 91/1992) when ten years here allow
//     it, and 2% of Italian adults acquired a second citizenship;
//   - AIREPercent of the residents, in families of one to three, are
//     Italians of the comune who moved abroad, with the address abroad and
//     the consulate.
//
// All of it is drawn from a generator of its own, seeded by Options.Seed:
// the people the package made before this history existed stay exactly as
// they were for the same options, and gain only their history.

// AIREPercent is the share of the residents, in percent, of people
// registered in the comune's AIRE.
const AIREPercent = 1

// events is the state of the history.
type events struct {
	rng      *rand.Rand
	aire     int // AIRE people generated
	families int // AIRE family sheets
}

// Shares of the history.
const (
	shareMoved           = 0.15 // of the resident families, moved within the comune
	shareContract        = 0.40 // of the convivenze di fatto, with a registered contract
	shareSecondCitizen   = 0.02 // of Italian adults, with a second citizenship
	naturalizationYears  = 10   // art. 9 c. 1 lett. f L. 91/1992
	shareMarriedHere     = 0.6  // of the marriages of Italians, in the comune itself
	shareDeathInTheComun = 0.7  // of the deaths, in the comune itself
)

// withHistoryRNG runs f with the history's generator in place of the
// population's, so that drawing the history does not move the population's
// sequence.
func (g *generator) withHistoryRNG(f func() error) error {
	if g.ev.rng == nil {
		g.ev.rng = rand.New(rand.NewPCG(uint64(g.o.Seed), 0x6869_7374_6f72_7921))
	}
	main := g.rng
	g.rng = g.ev.rng
	defer func() { g.rng = main }()
	return f()
}

// householdHistory gives the family just generated its unions,
// convivenze, citizenship history and residence moves.
func (g *generator) householdHistory(h *household) error {
	return g.withHistoryRNG(func() error {
		g.partners(h)
		for i := range h.members {
			g.citizenships(&h.members[i])
		}
		if g.chance(shareMoved) {
			g.moved(h)
		}
		return nil
	})
}

// partners records the union or convivenza of the head and a partner.
func (g *generator) partners(h *household) {
	if len(h.members) < 2 {
		return
	}
	head := &h.members[0]
	for i := range h.members[1:] {
		p := &h.members[i+1]
		switch {
		case p.Relationship == app.RelationshipSpouse && head.CivilStatus == app.CivilStatusMarried && p.CivilStatus == app.CivilStatusMarried:
			g.union(h, head, p, app.UnionMarriage, time.Time{})
		case p.Relationship == app.RelationshipCivilUnit && head.CivilStatus == civilStatusCivilUnion && p.CivilStatus == civilStatusCivilUnion:
			g.union(h, head, p, app.UnionCivilUnion, civilUnionsFrom)
		case p.Relationship == relationshipConvivente:
			g.cohabitation(h, head, p)
		default:
			continue
		}
		return
	}
}

// union marries a and b (or unites them civilly) after both came of age,
// after from, before their first child and before today.
func (g *generator) union(h *household, a, b *app.Citizen, kind app.UnionKind, from time.Time) {
	lo := maxTime(maxTime(a.BirthDate, b.BirthDate).AddDate(18, 0, 0), from)
	hi := g.today
	for _, c := range h.members {
		if c.Relationship == app.RelationshipChild && c.BirthDate.After(lo) {
			hi = minTime(hi, c.BirthDate.AddDate(0, 0, -1))
		}
	}
	if hi.Before(lo) {
		hi = g.today // a child before the wedding: it happens
	}
	day := g.dayBetween(lo, hi)
	place := g.comune.Code
	switch {
	case h.comm != nil:
		if s, ok := g.places.state(h.comm.iso3, day); ok && day.Before(maxTime(h.arrival, a.RegisteredOn)) {
			place = s.Code // married at home, before coming
		}
	case !g.chance(shareMarriedHere) || day.Before(g.comune.ValidFrom):
		place = g.italianBirthPlace(day)
	}
	act := fmt.Sprintf("atto n. %d, parte I, serie A, anno %d", g.between(1, 240), day.Year())
	switch {
	case place[0] == 'Z' && h.comm != nil:
		act = "" // foreigners married abroad: no Italian register holds the act
	case place[0] == 'Z':
		act = fmt.Sprintf("trascrizione: atto n. %d, parte II, serie C, anno %d", g.between(1, 60), day.Year())
	case kind == app.UnionCivilUnion:
		act = fmt.Sprintf("atto n. %d, parte II, serie A, anno %d", g.between(1, 40), day.Year())
	}
	u := app.Union{Kind: kind, Date: day, PlaceCode: place, Act: act}
	ua, ub := u, u
	ua.PartnerSurname, ua.PartnerGivenName, ua.PartnerCodiceFiscale = b.Surname, b.GivenName, b.CodiceFiscale
	ub.PartnerSurname, ub.PartnerGivenName, ub.PartnerCodiceFiscale = a.Surname, a.GivenName, a.CodiceFiscale
	a.Unions, b.Unions = []app.Union{ua}, []app.Union{ub}
}

// cohabitation declares a and b conviventi di fatto from when they came to
// live together (L. 76/2016: from 5 June 2016), with a contract sometimes.
func (g *generator) cohabitation(h *household, a, b *app.Citizen) {
	lo := maxTime(maxTime(a.BirthDate, b.BirthDate).AddDate(18, 0, 0), maxTime(civilUnionsFrom, maxTime(a.RegisteredOn, b.RegisteredOn)))
	if lo.After(g.today) {
		return
	}
	x := app.Cohabitation{Since: g.dayBetween(lo, g.today)}
	if g.chance(shareContract) {
		deed := g.dayBetween(x.Since, minTime(x.Since.AddDate(1, 0, 0), g.today))
		registered := deed.AddDate(0, 0, g.between(5, 30))
		if !registered.After(g.today) {
			x.ContractDate, x.ContractRegisteredOn = deed, registered
			x.ContractProfessional = fmt.Sprintf("Notaio %s %s di %s", g.name(nil, g.sex(), 1970), g.surname(nil), titleCase(g.comune.Name))
			x.ContractReference = fmt.Sprintf("rep. n. %d, racc. n. %d", g.between(1000, 60000), g.between(500, 20000))
		}
	}
	xa, xb := x, x
	xa.PartnerSurname, xa.PartnerGivenName, xa.PartnerCodiceFiscale = b.Surname, b.GivenName, b.CodiceFiscale
	xb.PartnerSurname, xb.PartnerGivenName, xb.PartnerCodiceFiscale = a.Surname, a.GivenName, a.CodiceFiscale
	a.Cohabitations, b.Cohabitations = []app.Cohabitation{xa}, []app.Cohabitation{xb}
}

// citizenships gives an Italian born abroad the history of becoming one,
// and a few Italian adults a second citizenship.
func (g *generator) citizenships(c *app.Citizen) {
	if c.Citizenship != "ITA" {
		return
	}
	if c.BirthPlaceCode[0] == 'Z' {
		iso := g.stateISO3(c.BirthPlaceCode)
		naturalized := maxTime(c.RegisteredOn.AddDate(naturalizationYears, 0, 0), c.BirthDate.AddDate(18, 0, 0))
		if iso != "" && naturalized.Before(g.today) {
			c.Citizenships = []app.CitizenshipPeriod{
				{Citizenship: iso, From: c.BirthDate, To: naturalized, How: "per nascita"},
				{Citizenship: "ITA", From: naturalized, How: "per residenza (art. 9 L. 91/1992)"},
			}
			return
		}
		// Born to Italian parents abroad: Italian from birth.
		c.Citizenships = []app.CitizenshipPeriod{{Citizenship: "ITA", From: c.BirthDate, How: "per nascita (art. 1 L. 91/1992)"}}
		return
	}
	if c.AgeOn(g.today) >= 25 && g.chance(shareSecondCitizen) {
		iso := bornAbroadISO3[g.rng.IntN(len(bornAbroadISO3))]
		c.Citizenships = []app.CitizenshipPeriod{
			{Citizenship: "ITA", From: c.BirthDate, How: "per nascita (art. 1 L. 91/1992)"},
			{Citizenship: iso, From: g.dayBetween(c.BirthDate.AddDate(21, 0, 0), g.today), How: "per matrimonio (cittadinanza plurima, art. 11 L. 91/1992)"},
		}
	}
}

// stateISO3 is the ISO code of the state with Z code code.
func (g *generator) stateISO3(code string) string {
	for _, s := range g.places.states {
		if s.Code == code && s.ISO3 != "" {
			return s.ISO3
		}
	}
	return ""
}

// moved gives the family a previous address in the comune, left on a day
// after the first of them registered.
func (g *generator) moved(h *household) {
	first := g.today
	for _, c := range h.members {
		first = minTime(first, c.RegisteredOn)
	}
	lo := first.AddDate(0, 0, 30)
	if !lo.Before(g.today) {
		return
	}
	day := g.dayBetween(lo, g.today)
	before := g.address()
	if before == h.addr {
		return
	}
	for i := range h.members {
		c := &h.members[i]
		if c.RegisteredOn.Before(day) {
			c.Residences = []app.ResidencePeriod{
				{From: c.RegisteredOn, To: day, ComuneCode: g.comune.Code, Address: before},
				{From: day, ComuneCode: g.comune.Code, Address: c.Address},
			}
		} else {
			c.Residences = []app.ResidencePeriod{{From: c.RegisteredOn, ComuneCode: g.comune.Code, Address: c.Address}}
		}
	}
}

// cancelledHistory gives a deceased person the date and place of death:
// the day of the cancellation, in the comune (its hospital) mostly.
func (g *generator) cancelledHistory(c *app.Citizen) error {
	if c.Status != app.StatusDeceased {
		return nil
	}
	return g.withHistoryRNG(func() error {
		place, ok := "", false
		if g.chance(shareDeathInTheComun) {
			place, ok = g.pickComune(g.places.home, c.CancelledOn)
		}
		if !ok {
			if place, ok = g.pickComune(g.places.province, c.CancelledOn); !ok {
				place = g.comune.Code
			}
		}
		c.Death = &app.Death{Date: c.CancelledOn, PlaceCode: place}
		return nil
	})
}

// aireDestination is where the comune's emigrants live now, with the
// consular office that serves them.
type aireDestination struct {
	iso3, locality, consulate string
	streets                   []string
}

var aireDestinations = []aireDestination{
	{"CHE", "Zurigo", "Consolato Generale d'Italia a Zurigo", []string{"Bahnhofstrasse", "Langstrasse", "Seefeldstrasse"}},
	{"CHE", "Lugano", "Consolato Generale d'Italia a Lugano", []string{"Via Nassa", "Corso Elvezia", "Via Pretorio"}},
	{"DEU", "Monaco di Baviera", "Consolato Generale d'Italia a Monaco di Baviera", []string{"Leopoldstraße", "Sonnenstraße", "Landsberger Straße"}},
	{"GBR", "Londra", "Consolato Generale d'Italia a Londra", []string{"Camden Road", "Old Kent Road", "Holloway Road"}},
	{"FRA", "Parigi", "Consolato Generale d'Italia a Parigi", []string{"rue de Rivoli", "boulevard Voltaire", "rue de la Roquette"}},
	{"BEL", "Bruxelles", "Ambasciata d'Italia a Bruxelles, Sezione consolare", []string{"Avenue Louise", "Rue Royale", "Chaussée d'Ixelles"}},
	{"ESP", "Barcellona", "Consolato Generale d'Italia a Barcellona", []string{"Carrer de Mallorca", "Carrer d'Aragó", "Avinguda Diagonal"}},
	{"USA", "New York", "Consolato Generale d'Italia a New York", []string{"Park Avenue", "Lexington Avenue", "Court Street"}},
	{"ARG", "Buenos Aires", "Consolato Generale d'Italia a Buenos Aires", []string{"Avenida Corrientes", "Calle Florida", "Avenida Santa Fe"}},
}

// aireFamily generates a family of the comune's AIRE (at most room people)
// and hands its members to fn: an Italian of the comune who moved abroad,
// alone, or with a spouse and a child born before they left. Their family
// sheet is an AIRE one, numbered apart ("I690-A000001") so that the
// resident families keep their numbers.
func (g *generator) aireFamily(room int, fn func(app.Citizen) error) error {
	var members []app.Citizen
	err := g.withHistoryRNG(func() error {
		d := aireDestinations[g.rng.IntN(len(aireDestinations))]
		state, ok := g.places.state(d.iso3, g.today)
		if !ok {
			return fmt.Errorf("demo: no Z code for %s in the tables", d.iso3)
		}
		g.ev.families++
		h := &household{id: fmt.Sprintf("%s-A%06d", g.comune.Code, g.ev.families), addr: g.address(), mother: -1, father: -1}
		head := app.Citizen{Sex: g.sex(), BirthDate: g.birthForAge(g.between(24, 70)), Relationship: app.RelationshipHead, CivilStatus: app.CivilStatusSingle}
		members = append(members, head)
		married := room >= 2 && g.chance(0.45)
		if married {
			members[0].CivilStatus = app.CivilStatusMarried
			spouse := app.Citizen{Sex: opposite(head.Sex), BirthDate: head.BirthDate.AddDate(g.between(-6, 6), 0, g.between(-180, 180)),
				Relationship: app.RelationshipSpouse, CivilStatus: app.CivilStatusMarried}
			members = append(members, spouse)
		}
		// They left as adults, in the last thirty years.
		lo := maxTime(g.today.AddDate(-30, 0, 0), members[0].BirthDate.AddDate(20, 0, 0))
		if married {
			lo = maxTime(lo, members[1].BirthDate.AddDate(20, 0, 0))
		}
		left := g.dayBetween(minTime(lo, g.today), g.today)
		if married && room >= 3 && g.chance(0.5) {
			born := g.dayBetween(maxTime(members[0].BirthDate, members[1].BirthDate).AddDate(20, 0, 0), left)
			if !born.After(left) {
				members = append(members, app.Citizen{Sex: g.sex(), BirthDate: born, Relationship: app.RelationshipChild, CivilStatus: app.CivilStatusSingle})
			}
		}
		surname := g.surname(nil)
		for i := range members {
			c := &members[i]
			c.Surname = surname
			if c.Relationship == app.RelationshipSpouse {
				c.Surname = g.surname(nil)
			}
			c.GivenName = g.name(nil, c.Sex, c.BirthDate.Year())
			c.Comune, c.Address, c.FamilyID, c.Citizenship = g.comune.Code, h.addr, h.id, "ITA"
			c.BirthPlaceCode = g.italianBirthPlace(c.BirthDate)
			c.RegisteredOn = minTime(c.BirthDate.AddDate(0, 0, g.between(2, 20)), left)
			c.Status, c.CancelledOn = app.StatusAIRE, left
			c.CancelReason = "iscrizione AIRE: trasferimento all'estero (" + state.Name + ")"
			c.Certifiability = app.CertifiableFully
			c.AIRE = &app.AIRERecord{RegisteredOn: left, CountryCode: state.Code, Locality: d.locality,
				Address: fmt.Sprintf("%s %d", d.streets[g.rng.IntN(len(d.streets))], g.between(1, 120)), Consulate: d.consulate}
			for {
				ok, err := g.codiceFiscale(c)
				if err != nil {
					return err
				}
				if ok {
					break
				}
				c.GivenName = g.name(nil, c.Sex, c.BirthDate.Year())
			}
		}
		// All of them live at the same address abroad.
		for i := range members[1:] {
			a := *members[0].AIRE
			members[i+1].AIRE = &a
		}
		if married {
			h.members = members
			g.union(h, &members[0], &members[1], app.UnionMarriage, time.Time{})
			// They married before leaving: the marriage is the comune's.
			for i := range members[:2] {
				u := &members[i].Unions[0]
				if !u.Date.Before(left) {
					u.Date = g.dayBetween(maxTime(members[0].BirthDate, members[1].BirthDate).AddDate(18, 0, 0), left.AddDate(0, 0, -1))
				}
			}
			members[1].Unions[0].Date = members[0].Unions[0].Date
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range members {
		if err := fn(c); err != nil {
			return err
		}
		g.ev.aire++
	}
	return nil
}

// titleCase writes a comune's name as a sentence does: "Sesto San Giovanni".
func titleCase(s string) string {
	rs := []rune(s)
	up := true
	for i, r := range rs {
		if up {
			rs[i] = unicode.ToUpper(r)
		} else {
			rs[i] = unicode.ToLower(r)
		}
		up = r == ' ' || r == '\'' || r == '-'
	}
	return string(rs)
}
