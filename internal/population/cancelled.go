package population

import (
	"fmt"
	"strings"
	"time"

	"github.com/sportello/sportello/app"
)

// Cancellation reasons, as the anagrafe writes them.
const (
	reasonDeath = "decesso"
)

// deceasedPerson returns the next deceased person: the late spouse of a
// widowed member of the family just generated, when there is one whose
// dates allow it, or else an old person who lived alone.
func (g *generator) deceasedPerson() (app.Citizen, error) {
	h := &g.h
	for len(h.widowed) > 0 {
		i := h.widowed[0]
		h.widowed = h.widowed[1:]
		if c, ok := g.lateSpouse(&h.members[i]); ok {
			return c, g.finishCancelled(h, &c, app.StatusDeceased, c.CancelledOn, reasonDeath)
		}
	}
	return g.lone(app.StatusDeceased)
}

// lateSpouse makes the spouse that widow lost: of the other sex, of about
// the same age (a husband a few years older), dead after widow's family came
// to the comune (they lived here together) and, for the father of children
// in the family, at most nine months before the youngest was born. The late
// spouse keeps the place in the family sheet he or she had: the head
// (usually the husband, replaced by the widow), the spouse, or the head's
// other parent.
func (g *generator) lateSpouse(widow *app.Citizen) (app.Citizen, bool) {
	h := &g.h
	sex := opposite(widow.Sex)
	years := clamp(int(g.rng.NormFloat64()*3.5+3), -6, 15) // husband's extra years
	if sex == "F" {
		years = -years
	}
	birth := widow.BirthDate.AddDate(-years, 0, g.between(-180, 180))
	lo := maxTime(birth.AddDate(25, 0, 0), widow.RegisteredOn)
	hi := minTime(birth.AddDate(105, 0, 0), g.today)
	if sex == "M" {
		for _, c := range h.members {
			if c.Relationship == app.RelationshipChild {
				lo = maxTime(lo, c.BirthDate.AddDate(0, 0, -270))
			}
		}
	}
	if lo.After(hi) || birth.After(g.today) {
		return app.Citizen{}, false
	}

	c := app.Citizen{Sex: sex, BirthDate: birth, CivilStatus: app.CivilStatusMarried}
	switch {
	case widow.Relationship == app.RelationshipParent:
		c.Relationship = app.RelationshipParent
	case sex == "M" && widow.Relationship == app.RelationshipHead:
		c.Relationship = app.RelationshipHead
	default:
		c.Relationship = app.RelationshipSpouse
	}
	switch {
	case sex == "M" && widow.Relationship == app.RelationshipParent:
		c.Surname = h.members[0].Surname // the head's father
	case sex == "M" && h.paternal != "" && h.mother >= 0 && &h.members[h.mother] == widow:
		c.Surname = h.paternal // the children's father
		if h.comm != nil && h.comm.doubleSurname {
			// The children carry his first surname only.
			c.Surname = strings.Fields(h.paternal)[0] + " " + g.pick(h.comm.surnames)
		}
	default:
		c.Surname = g.surname(h.comm)
	}
	c.GivenName = g.name(h.comm, sex, birth.Year())
	c.CancelledOn = g.dayBetween(lo, hi)
	return c, true
}

// emigratedPerson returns the next emigrated person: a grown child of the
// family just generated who moved out, when the parents' ages allow one, or
// else somebody who lived alone.
func (g *generator) emigratedPerson() (app.Citizen, error) {
	h := &g.h
	if h.mother >= 0 || h.father >= 0 {
		lo, hi := time.Time{}, g.today.AddDate(-19, 0, 0)
		for _, p := range []int{h.mother, h.father} {
			if p >= 0 {
				b := h.members[p].BirthDate
				lo = maxTime(lo, b.AddDate(18, 0, 0))
				hi = minTime(hi, b.AddDate(45, 0, 0))
			}
		}
		if !lo.After(hi) {
			sex := g.sex()
			birth := g.dayBetween(lo, hi)
			c := app.Citizen{
				Sex: sex, BirthDate: birth, Surname: h.paternal, GivenName: g.name(h.comm, sex, birth.Year()),
				Relationship: app.RelationshipChild,
				// Most leave single; some leave to marry.
				CivilStatus: g.civilStatus(0.8, 0.2, 0, 0),
			}
			return c, g.finishCancelled(h, &c, app.StatusEmigrated, time.Time{}, "")
		}
	}
	return g.lone(app.StatusEmigrated)
}

// lone returns a cancelled person who lived alone, with a family sheet of
// their own (closed, since nobody is left in it): an old person who died in
// the last ten years, or an adult who came and left again.
func (g *generator) lone(status app.Status) (app.Citizen, error) {
	h := &household{id: g.newFamilyID(), addr: g.address(), mother: -1, father: -1}
	if len(g.communities) > 0 && g.chance(foreignShare) {
		h.comm = &g.communities[g.weighted(g.communityCum)]
	}
	c := app.Citizen{Sex: g.sex(), Relationship: app.RelationshipHead}
	var cancelled time.Time
	if status == app.StatusDeceased {
		cancelled = g.dayBetween(g.today.AddDate(-10, 0, 0), g.today)
		c.BirthDate = cancelled.AddDate(-g.between(60, 100), 0, -g.rng.IntN(365))
		c.CivilStatus = g.civilStatus(0.2, 0.15, 0.55, 0.1)
	} else {
		c.BirthDate = g.birthForAge(g.between(20, 75))
		c.CivilStatus = g.civilStatus(0.5, 0.35, 0, 0.15)
	}
	c.Surname = g.surname(h.comm)
	c.GivenName = g.name(h.comm, c.Sex, c.BirthDate.Year())
	// They came as adults, and (for the emigrated) left after coming.
	adult := minTime(c.BirthDate.AddDate(18, 0, 0), g.today)
	if h.comm != nil {
		h.arrival = g.dayBetween(maxTime(adult, g.today.AddDate(-30, 0, 0)), g.today)
	} else {
		h.arrival = g.dayBetween(adult, g.today)
	}
	if !cancelled.IsZero() && cancelled.Before(h.arrival) {
		h.arrival = g.dayBetween(adult, cancelled)
	}
	return c, g.finishCancelled(h, &c, status, cancelled, reasonDeath)
}

// finishCancelled is finish for a person who is no longer resident: it
// adds the cancellation, on day (or a day after registration for the
// emigrated, when day is zero), with its reason.
func (g *generator) finishCancelled(h *household, c *app.Citizen, status app.Status, day time.Time, reason string) error {
	if err := g.finish(h, c, status); err != nil {
		return err
	}
	if status == app.StatusEmigrated {
		// They left as adults, after coming.
		lo := maxTime(c.RegisteredOn, c.BirthDate.AddDate(18, 0, 0))
		day = g.dayBetween(minTime(lo, g.today), g.today)
		reason = g.emigrationReason(h, day)
	}
	if day.Before(c.RegisteredOn) {
		// finish drew a registration after the death: make it earlier,
		// in the person's adult life.
		c.RegisteredOn = g.dayBetween(minTime(c.BirthDate.AddDate(18, 0, 0), day), day)
	}
	c.CancelledOn = day
	c.CancelReason = reason
	return nil
}

// emigrationReason says where the person went: another comune of the
// tables, or (for foreigners, half the time) back abroad.
func (g *generator) emigrationReason(h *household, day time.Time) string {
	if h.comm != nil && g.chance(0.5) {
		if s, ok := g.places.state(h.comm.iso3, day); ok {
			return fmt.Sprintf("emigrazione all'estero (%s)", s.Name)
		}
		return "emigrazione all'estero"
	}
	for range 8 {
		c := &g.places.all[g.rng.IntN(len(g.places.all))]
		if c.Code != g.comune.Code && covers(c.ValidFrom, c.ValidTo, day) {
			return fmt.Sprintf("emigrazione in altro comune (%s)", c.Name)
		}
	}
	return "emigrazione in altro comune"
}
