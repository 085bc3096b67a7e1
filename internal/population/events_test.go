package population_test

import (
	"reflect"
	"testing"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
	"github.com/sportello/sportello/internal/population"
)

// TestGenerateHistory: the demo has people with every kind of history, the
// couples' records agree with each other, and somebody can have each of
// ANPR's types.
func TestGenerateHistory(t *testing.T) {
	cs := people(t)
	byCode := make(map[string]*app.Citizen, len(cs))
	for i := range cs {
		byCode[cs[i].CodiceFiscale] = &cs[i]
	}
	var marriages, civilUnions, cohabitations, contracts, deaths, aire, aireFamilies, naturalized, dual, moved int
	aireSize := map[string]int{}
	for _, c := range cs {
		for _, u := range c.Unions {
			p := byCode[u.PartnerCodiceFiscale]
			if p == nil || len(p.Unions) != 1 || p.Unions[0].PartnerCodiceFiscale != c.CodiceFiscale || !p.Unions[0].Date.Equal(u.Date) || p.Unions[0].PlaceCode != u.PlaceCode {
				t.Fatalf("%s's union %+v is not the partner's", c.CodiceFiscale, u)
			}
			if u.Date.Before(c.BirthDate.AddDate(18, 0, 0)) || u.Date.After(today) {
				t.Fatalf("%s united on %s", c.CodiceFiscale, app.FormatDate(u.Date))
			}
			if u.Kind == app.UnionMarriage {
				marriages++
			} else {
				civilUnions++
			}
		}
		for _, x := range c.Cohabitations {
			if p := byCode[x.PartnerCodiceFiscale]; p == nil || len(p.Cohabitations) != 1 || !p.Cohabitations[0].Since.Equal(x.Since) {
				t.Fatalf("%s's convivenza %+v is not the partner's", c.CodiceFiscale, x)
			}
			cohabitations++
			if x.HasContract() {
				contracts++
			}
		}
		switch {
		case c.Status == app.StatusDeceased && c.Death == nil:
			t.Fatalf("deceased %s without death", c.CodiceFiscale)
		case c.Status == app.StatusDeceased:
			deaths++
		case c.Status == app.StatusAIRE && c.AIRE == nil:
			t.Fatalf("AIRE %s without the address abroad", c.CodiceFiscale)
		case c.Status == app.StatusAIRE:
			aire++
			aireSize[c.FamilyID]++
		}
		if n := len(c.Citizenships); n == 2 && c.Citizenships[0].Citizenship != "ITA" {
			naturalized++
		} else if n == 2 {
			dual++
		}
		if len(c.Residences) == 2 {
			moved++
		}
	}
	for _, n := range aireSize {
		if n > 1 {
			aireFamilies++
		}
	}
	for what, n := range map[string]int{"marriages": marriages, "civil unions": civilUnions, "convivenze": cohabitations, "contracts": contracts,
		"deaths": deaths, "AIRE": aire, "AIRE families": aireFamilies, "naturalized": naturalized, "dual citizens": dual, "moves": moved} {
		if n == 0 {
			t.Errorf("no %s in the demo", what)
		}
	}
	if aire != 200 {
		t.Errorf("%d AIRE people, want 1%% of 20000", aire)
	}

	// Somebody can have each type of the history.
	for _, slug := range []string{certificate.SlugMorte, certificate.SlugMatrimonio, certificate.SlugStoricoCittadinanza, certificate.SlugResidenzaAIRE,
		certificate.SlugStatoDiFamigliaAIRE, certificate.SlugUnioneCivile, certificate.SlugContrattoConvivenza, certificate.SlugResidenzaAllaData} {
		typ, err := certificate.TypeBySlug(slug)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := range cs {
			if certificate.Check(typ, &app.CitizenFile{Citizen: cs[i]}, today) == nil {
				n++
			}
		}
		if n == 0 {
			t.Errorf("nobody in the demo can have the certificate %s", slug)
		}
	}
}

// TestGenerateHistoryDeterministic: the same options give the same
// history; another seed another one.
func TestGenerateHistoryDeterministic(t *testing.T) {
	history := func(seed int64) []app.Citizen {
		cs, err := population.Generate(sesto(2000, seed))
		if err != nil {
			t.Fatal(err)
		}
		var out []app.Citizen
		for _, c := range cs {
			if c.Unions != nil || c.Cohabitations != nil || c.Death != nil || c.AIRE != nil || c.Citizenships != nil || c.Residences != nil {
				out = append(out, c)
			}
		}
		return out
	}
	a, b := history(5), history(5)
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Fatalf("the same options gave two histories (%d and %d people with one)", len(a), len(b))
	}
	if c := history(6); reflect.DeepEqual(a, c) {
		t.Error("seeds 5 and 6 gave the same history")
	}
}
