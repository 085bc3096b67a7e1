package population

import (
	"slices"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// household is the family being generated: its residents, and what the
// cancelled people who once belonged to it need to know.
type household struct {
	id      string
	addr    app.Address
	comm    *community // nil for an Italian family
	arrival time.Time  // when the family came to the comune; zero: it always lived here
	members []app.Citizen
	// paternal is the surname the children carry.
	paternal string
	// mother and father index the parents of the children in members, -1
	// when absent.
	mother, father int
	// widowed index the members whose late spouse is not in the file yet.
	widowed []int
}

// Shares of the families by kind (ISTAT, Censimento permanente, rounded):
// people alone, couples without children, couples with children, single
// parents, and the rest (a parent, siblings, grandchildren living with the
// head). They give about 2.3 people a family.
var kindCum = cumulative(0.33, 0.20, 0.31, 0.10, 0.06)

const (
	kindAlone = iota
	kindCouple
	kindCoupleChildren
	kindSingleParent
	kindExtended
)

// foreignShare is the share of families that are foreign. Foreign families
// are a little larger than Italian ones, so this gives about 10% of people.
const foreignShare = 0.105

// ANPR codes that package app has no name for.
const (
	civilStatusCivilUnion  = 6
	relationshipGrandchild = 4
	relationshipSibling    = 9
	relationshipConvivente = 23
)

// civilUnionsFrom is the day unioni civili became possible (L. 76/2016).
var civilUnionsFrom = app.Date(2016, time.June, 5)

// doubleSurnameFrom is the day the Corte costituzionale (sentenza 131/2022)
// let children carry both parents' surnames.
var doubleSurnameFrom = app.Date(2022, time.June, 1)

// household generates one family of at most room residents into g.h.
func (g *generator) household(room int) error {
	h := &g.h
	*h = household{members: h.members[:0], widowed: h.widowed[:0], mother: -1, father: -1}
	h.id = g.newFamilyID()
	h.addr = g.address()
	if len(g.communities) > 0 && g.chance(foreignShare) {
		h.comm = &g.communities[g.weighted(g.communityCum)]
	}

	switch g.weighted(kindCum) {
	case kindAlone:
		g.alone()
	case kindCouple:
		g.couple(false)
	case kindCoupleChildren:
		g.couple(true)
	case kindSingleParent:
		g.singleParent()
	default:
		g.extended()
	}

	if len(h.members) > room {
		// The last family of the comune is cut to the number of residents
		// asked for; the head comes first, so it stays.
		h.members = h.members[:room]
		h.widowed = slices.DeleteFunc(h.widowed, func(i int) bool { return i >= room })
		if h.mother >= room {
			h.mother = -1
		}
		if h.father >= room {
			h.father = -1
		}
	}
	g.arrive(h)
	for i := range h.members {
		if err := g.finish(h, &h.members[i], app.StatusResident); err != nil {
			return err
		}
	}
	return nil
}

// add appends a member and returns its index.
func (g *generator) add(sex string, birth time.Time, surname string, rel, civil int) int {
	h := &g.h
	h.members = append(h.members, app.Citizen{
		Sex: sex, BirthDate: birth, Surname: surname, GivenName: g.name(h.comm, sex, birth.Year()),
		Relationship: rel, CivilStatus: civil,
	})
	return len(h.members) - 1
}

func (g *generator) sex() string {
	if g.chance(0.5) {
		return "F"
	}
	return "M"
}

func opposite(sex string) string {
	if sex == "F" {
		return "M"
	}
	return "F"
}

func (g *generator) surname(comm *community) string {
	if comm == nil {
		return italianSurnames[g.weighted(g.surnameCum)]
	}
	s := g.pick(comm.surnames)
	if comm.doubleSurname {
		second := g.pick(comm.surnames)
		for second == s {
			second = g.pick(comm.surnames)
		}
		s += " " + second
	}
	return s
}

func (g *generator) name(comm *community, sex string, year int) string {
	if comm == nil {
		return g.givenName(sex, year)
	}
	if sex == "F" {
		return g.pick(comm.female)
	}
	return g.pick(comm.male)
}

// civilStatus draws one of single, married, widowed, divorced with the
// given weights.
func (g *generator) civilStatus(single, married, widowed, divorced float64) int {
	x := g.rng.Float64() * (single + married + widowed + divorced)
	switch {
	case x < single:
		return app.CivilStatusSingle
	case x < single+married:
		return app.CivilStatusMarried
	case x < single+married+widowed:
		return app.CivilStatusWidowed
	}
	return app.CivilStatusDivorced
}

// alone: a person living alone, young, middle-aged or old, with the civil
// status of the age (the old are mostly widowed, and mostly women).
func (g *generator) alone() {
	var age, civil int
	sex := g.sex()
	switch x := g.rng.Float64(); {
	case x < 0.35:
		age = g.between(20, 40)
		civil = g.civilStatus(0.88, 0.07, 0, 0.05)
	case x < 0.65:
		age = g.between(41, 65)
		civil = g.civilStatus(0.45, 0.12, 0.13, 0.30)
	default:
		age = g.between(66, 98)
		civil = g.civilStatus(0.18, 0.12, 0.60, 0.10)
		if g.chance(0.3) {
			sex = "F" // women outlive men
		}
	}
	i := g.add(sex, g.birthForAge(age), g.surname(g.h.comm), app.RelationshipHead, civil)
	if civil == app.CivilStatusWidowed {
		g.h.widowed = append(g.h.widowed, i)
	}
}

// couple: a married couple (80%), conviventi (17%) or, without children and
// after 2016, an unione civile; with children if asked and the ages allow.
func (g *generator) couple(withChildren bool) {
	h := &g.h
	var ageA int
	if withChildren {
		ageA = g.between(25, 62)
	} else if g.chance(0.35) {
		ageA = g.between(25, 40)
	} else {
		ageA = g.between(55, 92)
	}
	x := g.rng.Float64()
	if !withChildren && x < 0.03 && g.today.After(civilUnionsFrom.AddDate(1, 0, 0)) {
		// Unione civile: two people of the same sex.
		sex := g.sex()
		birthA := g.birthForAge(ageA)
		birthB := g.birthForAge(max(ageA+g.between(-8, 8), 20))
		g.add(sex, birthA, g.surname(h.comm), app.RelationshipHead, civilStatusCivilUnion)
		g.add(sex, birthB, g.surname(h.comm), app.RelationshipCivilUnit, civilStatusCivilUnion)
		return
	}
	married := x < 0.83
	// The woman's age, and the man's a few years more, as in life.
	ageF := ageA
	ageM := max(ageF+clamp(int(g.rng.NormFloat64()*3.5+3), -6, 15), 20)
	birthF, birthM := g.birthForAge(ageF), g.birthForAge(ageM)
	headSex := "M"
	if g.chance(0.2) {
		headSex = "F"
	}
	rel, civilF, civilM := app.RelationshipSpouse, app.CivilStatusMarried, app.CivilStatusMarried
	if !married {
		rel = relationshipConvivente
		civilF = g.civilStatus(0.7, 0, 0.05, 0.25)
		civilM = g.civilStatus(0.7, 0, 0.05, 0.25)
	}
	surnameF, surnameM := g.surname(h.comm), g.surname(h.comm)
	var iF, iM int
	if headSex == "M" {
		iM = g.add("M", birthM, surnameM, app.RelationshipHead, civilM)
		iF = g.add("F", birthF, surnameF, rel, civilF)
	} else {
		iF = g.add("F", birthF, surnameF, app.RelationshipHead, civilF)
		iM = g.add("M", birthM, surnameM, rel, civilM)
	}
	if withChildren {
		h.mother, h.father = iF, iM
		h.paternal = g.childSurname(surnameM, surnameF)
		g.children(g.childCount(0.47, 0.40, 0.10, 0.025, 0.005))
	}
}

// singleParent: a mother (mostly) or a father with children; divorced,
// never married, widowed or separated.
func (g *generator) singleParent() {
	h := &g.h
	sex := "F"
	if g.chance(0.2) {
		sex = "M"
	}
	civil := g.civilStatus(0.30, 0.10, 0.15, 0.45)
	own := g.surname(h.comm)
	i := g.add(sex, g.birthForAge(g.between(25, 62)), own, app.RelationshipHead, civil)
	if civil == app.CivilStatusWidowed {
		h.widowed = append(h.widowed, i)
	}
	if sex == "M" {
		h.father = i
		h.paternal = g.childSurname(own, g.surname(h.comm))
	} else {
		h.mother = i
		if civil == app.CivilStatusSingle && g.chance(0.3) {
			h.paternal = own // recognised by the mother only
		} else {
			h.paternal = g.childSurname(g.surname(h.comm), own)
		}
	}
	g.children(g.childCount(0.60, 0.33, 0.07))
}

// extended: a couple with children and a widowed parent of the head;
// siblings; a grandparent raising grandchildren; a divorced head with
// children and a new partner (convivente).
func (g *generator) extended() {
	h := &g.h
	switch x := g.rng.Float64(); {
	case x < 0.45:
		g.couple(true)
		head := h.members[0]
		// The head's parent: 18 to 45 years older, and alive (at most 100).
		lo := maxTime(head.BirthDate.AddDate(-45, 0, 0), g.today.AddDate(-100, 0, 0))
		hi := head.BirthDate.AddDate(-18, 0, 0)
		if lo.After(hi) || len(h.members) >= 8 {
			return
		}
		sex, surname := "F", g.surname(h.comm)
		if g.chance(0.25) {
			sex, surname = "M", head.Surname // the head's father gave the head the surname
		}
		i := g.add(sex, g.dayBetween(lo, hi), surname, app.RelationshipParent, app.CivilStatusWidowed)
		h.widowed = append(h.widowed, i)
	case x < 0.70:
		surname := g.surname(h.comm)
		age := g.between(25, 80)
		g.add(g.sex(), g.birthForAge(age), surname, app.RelationshipHead, g.civilStatus(0.7, 0, 0.15, 0.15))
		for range g.between(1, 2) {
			g.add(g.sex(), g.birthForAge(max(age+g.between(-12, 12), 18)), surname, relationshipSibling,
				g.civilStatus(0.8, 0, 0.1, 0.1))
		}
	case x < 0.85:
		sex := g.sex()
		surname := g.surname(h.comm)
		i := g.add(sex, g.birthForAge(g.between(62, 88)), surname, app.RelationshipHead, app.CivilStatusWidowed)
		h.widowed = append(h.widowed, i)
		head := h.members[i]
		lo := maxTime(head.BirthDate.AddDate(36, 0, 0), g.today.AddDate(-25, 0, 0))
		hi := minTime(head.BirthDate.AddDate(70, 0, 0), g.today)
		if lo.After(hi) {
			return
		}
		grand := surname
		if sex == "F" || g.chance(0.5) {
			grand = g.surname(h.comm) // a daughter's child
		}
		for range g.between(1, 2) {
			g.add(g.sex(), g.dayBetween(lo, hi), grand, relationshipGrandchild, app.CivilStatusSingle)
		}
	default:
		sex := g.sex()
		own := g.surname(h.comm)
		age := g.between(30, 58)
		i := g.add(sex, g.birthForAge(age), own, app.RelationshipHead, app.CivilStatusDivorced)
		g.add(opposite(sex), g.birthForAge(max(age+g.between(-6, 6), 20)), g.surname(h.comm), relationshipConvivente,
			g.civilStatus(0.5, 0, 0.1, 0.4))
		if sex == "M" {
			h.father, h.paternal = i, own
		} else {
			h.mother, h.paternal = i, g.surname(h.comm)
		}
		g.children(g.childCount(0.55, 0.35, 0.10))
	}
}

// childCount draws a number of children with weights for 1, 2, 3…
func (g *generator) childCount(weights ...float64) int {
	return g.weighted(cumulative(weights...)) + 1
}

// childSurname is the surname of the children of a father and a mother:
// the father's; the first of each for people with two surnames.
func (g *generator) childSurname(father, mother string) string {
	if g.h.comm != nil && g.h.comm.doubleSurname {
		return strings.Fields(father)[0] + " " + strings.Fields(mother)[0]
	}
	return father
}

// children adds up to n children of h's parents, born when every parent
// present was 18 to 45, and young enough to still live at home (35 at most).
func (g *generator) children(n int) {
	h := &g.h
	lo, hi := g.today.AddDate(-35, 0, 0), g.today
	for _, p := range []int{h.mother, h.father} {
		if p >= 0 {
			b := h.members[p].BirthDate
			lo = maxTime(lo, b.AddDate(18, 0, 0))
			hi = minTime(hi, b.AddDate(45, 0, 0))
		}
	}
	if lo.After(hi) {
		return
	}
	// The first child early enough for the others to follow, one to five
	// years apart; now and then twins.
	span := int(hi.Sub(lo).Hours() / 24)
	birth := lo.AddDate(0, 0, g.rng.IntN(span/n+1))
	for k := 0; k < n && !birth.After(hi) && len(h.members) < 8; k++ {
		surname := h.paternal
		if h.comm == nil && birth.After(doubleSurnameFrom) && h.mother >= 0 && g.chance(0.15) &&
			h.members[h.mother].Surname != surname {
			surname += " " + h.members[h.mother].Surname
		}
		g.add(g.sex(), birth, surname, app.RelationshipChild, app.CivilStatusSingle)
		if !g.chance(0.015) {
			birth = birth.AddDate(0, 0, g.between(400, 1900))
		}
	}
}

// arrive decides where the head was born and when the family came to the
// comune. Foreign families came in the last thirty years, when the head was
// an adult. An Italian family whose head was born in the comune has mostly
// always lived here (zero arrival: everyone is registered at birth or when
// they joined); the others came at some point of the head's adult life.
func (g *generator) arrive(h *household) {
	head := &h.members[0]
	adult := head.BirthDate.AddDate(18, 0, 0)
	if h.comm != nil {
		h.arrival = g.dayBetween(maxTime(adult, g.today.AddDate(-30, 0, 0)), g.today.AddDate(0, 0, -30))
		return
	}
	head.BirthPlaceCode = g.italianBirthPlace(head.BirthDate)
	if head.BirthPlaceCode == g.comune.Code && g.chance(0.8) {
		h.arrival = time.Time{}
		return
	}
	h.arrival = g.dayBetween(minTime(adult, g.today), g.today)
}

// finish gives c what follows from its family and its data: place of birth,
// citizenship, registration, document, certifiability, codice fiscale.
func (g *generator) finish(h *household, c *app.Citizen, status app.Status) error {
	c.Comune = g.comune.Code
	c.Address = h.addr
	c.FamilyID = h.id
	c.Status = status
	bornHere := !h.arrival.IsZero() && !c.BirthDate.Before(h.arrival) ||
		h.arrival.IsZero() && (c.Relationship == app.RelationshipChild || c.Relationship == relationshipGrandchild)
	switch {
	case h.comm != nil:
		c.Citizenship = h.comm.iso3
		// The state's code in force at birth: states too are born and
		// dissolved (the USSR, Yugoslavia), and the tables may know it.
		if s, ok := g.places.state(h.comm.iso3, c.BirthDate); ok {
			c.BirthPlaceCode = s.Code
		}
		if bornHere {
			// Born after the family came: in the comune's hospital or in
			// one of its province, and a citizen of the parents' state.
			code, ok := g.pickComune(g.places.home, c.BirthDate)
			if !ok {
				code, ok = g.pickComune(g.places.province, c.BirthDate)
			}
			if ok {
				c.BirthPlaceCode = code
			}
		}
	default:
		c.Citizenship = "ITA"
		if c.BirthPlaceCode == "" { // the head's was drawn by arrive
			c.BirthPlaceCode = g.italianBirthPlace(c.BirthDate)
		}
	}

	// A child is registered a few days after birth in the parents' comune,
	// wherever it was born; anyone else when they came.
	switch {
	case bornHere, h.arrival.IsZero() && c.BirthPlaceCode == g.comune.Code:
		c.RegisteredOn = minTime(c.BirthDate.AddDate(0, 0, g.between(2, 20)), g.today)
	case !h.arrival.IsZero():
		c.RegisteredOn = h.arrival
	default:
		c.RegisteredOn = g.dayBetween(minTime(c.BirthDate.AddDate(18, 0, 0), g.today), g.today)
	}

	c.DocumentNumber = ""
	if c.AgeOn(g.today) >= 18 && status != app.StatusDeceased && g.chance(0.92) {
		c.DocumentNumber = g.documentNumber()
	}
	c.Certifiability = app.CertifiableFully
	if status == app.StatusResident {
		switch x := g.rng.Float64(); {
		case x < 0.008:
			c.Certifiability = 1 // partial: only residence and family
		case x < 0.011 && c.AgeOn(g.today) >= 18:
			c.Certifiability = 4 // interdetto, under guardianship
		case x < 0.013:
			c.Certifiability = 0 // not certifiable
		}
	}

	for {
		ok, err := g.codiceFiscale(c)
		if err != nil || ok {
			return err
		}
		c.GivenName = g.name(h.comm, c.Sex, c.BirthDate.Year())
	}
}

func clamp(x, lo, hi int) int { return max(lo, min(x, hi)) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
