package printing_test

import (
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// civilGoldenCases print the types of the civil and residence history, each
// for the test family's father given the history it needs.
func civilGoldenCases() []goldenCase {
	zurigo := app.AIRERecord{RegisteredOn: app.Date(2021, time.September, 15), CountryCode: "Z133", Locality: "Zurigo",
		Address: "Bahnhofstrasse 12", Consulate: "Consolato Generale d'Italia a Zurigo"}
	abroad := func(c *app.Citizen) {
		a := zurigo
		c.Status, c.CancelledOn, c.CancelReason, c.AIRE = app.StatusAIRE, a.RegisteredOn, "trasferimento all'estero (SVIZZERA)", &a
	}
	return []goldenCase{
		{"morte", func(tb testing.TB) *certificate.Certificate {
			f := withHistory(tb, nicolo(tb), func(c *app.Citizen) {
				c.Status, c.CancelledOn, c.CancelReason = app.StatusDeceased, app.Date(2025, time.October, 2), "decesso"
				c.Death = &app.Death{Date: app.Date(2025, time.October, 1), PlaceCode: "F205"}
			})
			return issue(tb, certificate.SlugMorte, f, 21, certificate.Bollo{})
		}},
		{"matrimonio", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			wife := f.Family[1].Citizen
			f = withHistory(tb, f, func(c *app.Citizen) {
				c.Unions = []app.Union{{Kind: app.UnionMarriage, Date: app.Date(2006, time.June, 17), PlaceCode: "Z133",
					Act: "trascritto: atto n. 12, parte II, serie C, anno 2006", PartnerSurname: wife.Surname, PartnerGivenName: wife.GivenName,
					PartnerCodiceFiscale: wife.CodiceFiscale}}
			})
			return issue(tb, certificate.SlugMatrimonio, f, 22, certificate.Bollo{})
		}},
		{"cittadinanza-storico", func(tb testing.TB) *certificate.Certificate {
			f := withHistory(tb, nicolo(tb), func(c *app.Citizen) {
				c.Citizenships = []app.CitizenshipPeriod{
					{Citizenship: "ITA", From: c.BirthDate, How: "per nascita (art. 1 L. 91/1992)"},
					{Citizenship: "CHE", From: app.Date(2012, time.February, 20), How: "per matrimonio (cittadinanza plurima, art. 11 L. 91/1992)"},
				}
			})
			return issue(tb, certificate.SlugStoricoCittadinanza, f, 23, certificate.Bollo{})
		}},
		{"residenza-aire", func(tb testing.TB) *certificate.Certificate {
			return issue(tb, certificate.SlugResidenzaAIRE, withHistory(tb, nicolo(tb), abroad), 24, certificate.Bollo{})
		}},
		{"stato-di-famiglia-aire", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			for i := range f.Family[:2] { // the parents moved abroad, the children stayed
				abroad(&f.Family[i].Citizen)
			}
			return issue(tb, certificate.SlugStatoDiFamigliaAIRE, withHistory(tb, f, abroad), 25, certificate.Bollo{})
		}},
		{"unione-civile", func(tb testing.TB) *certificate.Certificate {
			f := withHistory(tb, nicolo(tb), func(c *app.Citizen) {
				c.CivilStatus = app.CivilStatusCivilUnion
				c.Unions = []app.Union{{Kind: app.UnionCivilUnion, Date: app.Date(2017, time.May, 13), PlaceCode: "I690",
					Act: "atto n. 3, parte II, serie A", PartnerSurname: "FERRARI", PartnerGivenName: "LUCA ANDREA"}}
			})
			return issue(tb, certificate.SlugUnioneCivile, f, 26, certificate.Bollo{})
		}},
		{"contratto-di-convivenza", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			partner := f.Family[1].Citizen
			f = withHistory(tb, f, func(c *app.Citizen) {
				c.CivilStatus = app.CivilStatusSingle
				c.Cohabitations = []app.Cohabitation{{PartnerSurname: partner.Surname, PartnerGivenName: partner.GivenName,
					PartnerCodiceFiscale: partner.CodiceFiscale, Since: app.Date(2016, time.March, 1),
					ContractDate: app.Date(2016, time.April, 12), ContractProfessional: "Notaio Carla Verdi di Milano",
					ContractReference:    "rep. n. 12345, racc. n. 6789, registrato a Milano il 20/04/2016 al n. 4521 serie 1T",
					ContractRegisteredOn: app.Date(2016, time.April, 28)}}
			})
			return issue(tb, certificate.SlugContrattoConvivenza, f, 27, certificate.Bollo{})
		}},
		{"residenza-storico-alla-data", func(tb testing.TB) *certificate.Certificate {
			f := withHistory(tb, nicolo(tb), func(c *app.Citizen) {
				c.Residences = []app.ResidencePeriod{
					{From: app.Date(1979, time.March, 14), To: c.RegisteredOn, ComuneCode: "A562", Address: app.Address{Street: "Via Vittorio Emanuele II", HouseNumber: "41", Postcode: "56017"}},
					{From: c.RegisteredOn, To: app.Date(2011, time.February, 1), ComuneCode: "I690", Address: app.Address{Street: "Via Fratelli Bandiera", HouseNumber: "7", Postcode: "20099"}},
					{From: app.Date(2011, time.February, 1), ComuneCode: "I690", Address: c.Address},
				}
			})
			return issueOn(tb, certificate.SlugResidenzaAllaData, f, 28, app.Date(2009, time.December, 31))
		}},
	}
}

// withHistory changes the file's person with mod, checks that the record
// is still valid, and keeps the family's copy of the person in step.
func withHistory(tb testing.TB, f *app.CitizenFile, mod func(*app.Citizen)) *app.CitizenFile {
	tb.Helper()
	mod(&f.Citizen)
	if err := f.Citizen.Validate(); err != nil {
		tb.Fatalf("test history: %v", err)
	}
	f.CivilStatusName = entry("stato_civile", f.Citizen.CivilStatus)
	for i := range f.Family {
		if f.Family[i].CodiceFiscale == f.Citizen.CodiceFiscale {
			f.Family[i].Citizen = f.Citizen
		}
	}
	return f
}

// issueOn issues a certificate storico di residenza alla data on day.
func issueOn(tb testing.TB, slug string, f *app.CitizenFile, seq int64, day time.Time) *certificate.Certificate {
	tb.Helper()
	t, err := certificate.TypeBySlug(slug)
	if err != nil {
		tb.Fatal(err)
	}
	n, err := certificate.NewNumber("I690-W001", 2026, seq)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := certificate.New(t, f, refs, certificate.Request{
		Number: n, Use: "uso consentito dalla legge", Bollo: certificate.Bollo{Marca: marca}, IssuedAt: issuedAt, Operator: "mrossi", On: day,
	})
	if err != nil {
		tb.Fatalf("issue %s: %v", slug, err)
	}
	return c
}
