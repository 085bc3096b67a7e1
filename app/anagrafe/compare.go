package anagrafe

import (
	"reflect"
	"time"

	"github.com/sportello/sportello/app"
)

// Diff is what changed between two imports of one comune: the records the
// hub must write (new people and changed ones, whole) and the codes of the
// people who are no longer in the file.
type Diff struct {
	Upserts []app.Citizen // in the order of the new file
	Deletes []string      // codici fiscali, in the order of the old file
}

// Compare returns what turns the import old into new. People are matched by
// codice fiscale; one counts as changed when any field but UpdatedAt differs
// (the hub stamps UpdatedAt itself, so it is not news from the comune).
// Both inputs are expected to have unique codes, as Read guarantees; of
// repeated codes the last one counts. The result depends only on the
// inputs, never on map order, so an import can be replayed and compared.
func Compare(old, new []app.Citizen) Diff {
	before := make(map[string]int, len(old)) // codice fiscale -> index in old
	for i := range old {
		before[old[i].CodiceFiscale] = i
	}
	after := make(map[string]int, len(new))
	for i := range new {
		after[new[i].CodiceFiscale] = i
	}

	var d Diff
	for i := range new {
		c := &new[i]
		if after[c.CodiceFiscale] != i {
			continue // a later line repeats this code
		}
		if j, ok := before[c.CodiceFiscale]; ok && sameCitizen(&old[j], c) {
			continue
		}
		d.Upserts = append(d.Upserts, *c)
	}
	for i := range old {
		code := old[i].CodiceFiscale
		if before[code] != i {
			continue
		}
		if _, ok := after[code]; !ok {
			d.Deletes = append(d.Deletes, code)
		}
	}
	return d
}

// sameCitizen compares every field but UpdatedAt. It compares whole
// records (reflect.DeepEqual), so that a field added to app.Citizen is
// compared without touching this code; the dates are brought to one
// representation first, because time.Time also holds the location and the
// monotonic clock reading.
func sameCitizen(a, b *app.Citizen) bool {
	return reflect.DeepEqual(normalized(*a), normalized(*b))
}

func normalized(c app.Citizen) app.Citizen {
	c.UpdatedAt = time.Time{}
	c.BirthDate = c.BirthDate.UTC()
	c.RegisteredOn = c.RegisteredOn.UTC()
	c.CancelledOn = c.CancelledOn.UTC()
	// The history is copied before its dates are touched: the caller's
	// records stay as they are. Empty and nil lists are the same history.
	c.Unions = mapOrNil(c.Unions, func(u app.Union) app.Union {
		u.Date, u.EndDate = u.Date.UTC(), u.EndDate.UTC()
		return u
	})
	c.Cohabitations = mapOrNil(c.Cohabitations, func(x app.Cohabitation) app.Cohabitation {
		x.Since, x.ContractDate, x.ContractRegisteredOn, x.EndDate = x.Since.UTC(), x.ContractDate.UTC(), x.ContractRegisteredOn.UTC(), x.EndDate.UTC()
		return x
	})
	c.Citizenships = mapOrNil(c.Citizenships, func(p app.CitizenshipPeriod) app.CitizenshipPeriod {
		p.From, p.To = p.From.UTC(), p.To.UTC()
		return p
	})
	c.Residences = mapOrNil(c.Residences, func(p app.ResidencePeriod) app.ResidencePeriod {
		p.From, p.To = p.From.UTC(), p.To.UTC()
		return p
	})
	if c.Death != nil {
		d := *c.Death
		d.Date = d.Date.UTC()
		c.Death = &d
	}
	if c.AIRE != nil {
		a := *c.AIRE
		a.RegisteredOn = a.RegisteredOn.UTC()
		c.AIRE = &a
	}
	return c
}

func mapOrNil[T any](xs []T, f func(T) T) []T {
	if len(xs) == 0 {
		return nil
	}
	out := make([]T, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}
