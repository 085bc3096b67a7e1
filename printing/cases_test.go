package printing_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// goldenCase is a certificate the golden tests print: every type, and the
// marks and layouts that only some certificates have.
type goldenCase struct {
	name string // of the golden files in testdata
	cert func(tb testing.TB) *certificate.Certificate
}

func goldenCases() []goldenCase {
	plain := func(slug string, seq int64) func(testing.TB) *certificate.Certificate {
		return func(tb testing.TB) *certificate.Certificate {
			return issue(tb, slug, nicolo(tb), seq, certificate.Bollo{})
		}
	}
	cases := []goldenCase{
		{"nascita", plain(certificate.SlugNascita, 1)},
		{"cancellazione-anagrafica", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			f.Citizen.Status = app.StatusEmigrated
			f.Citizen.CancelledOn = app.Date(2025, time.February, 17)
			f.Citizen.CancelReason = "emigrazione nel comune di MILANO"
			return issue(tb, certificate.SlugCancellazione, f, 2, certificate.Bollo{})
		}},
		// An anagrafe certificate, exempt for a use of ANPR's table: the
		// exemption's legal reference is printed (issue 14).
		{"cittadinanza", func(tb testing.TB) *certificate.Certificate {
			return issue(tb, certificate.SlugCittadinanza, nicolo(tb), 3, certificate.Bollo{ExemptionID: 9})
		}},
		{"esistenza-in-vita-offline", func(tb testing.TB) *certificate.Certificate {
			c := issue(tb, certificate.SlugEsistenzaInVita, nicolo(tb), 4, certificate.Bollo{})
			c.Offline = true
			return c
		}},
		{"residenza", plain(certificate.SlugResidenza, 5)},
		{"residenza-duplicato", func(tb testing.TB) *certificate.Certificate {
			c := issue(tb, certificate.SlugResidenza, nicolo(tb), 5, certificate.Bollo{})
			c.Duplicate = true
			return c
		}},
		{"residenza-estero", func(tb testing.TB) *certificate.Certificate {
			c := issue(tb, certificate.SlugResidenza, nicolo(tb), 6, certificate.Bollo{})
			c.Abroad = true
			return c
		}},
		{"residenza-storico", plain(certificate.SlugResidenzaStorico, 7)},
		{"stato-civile", plain(certificate.SlugStatoCivile, 8)},
		{"stato-di-famiglia-esente", func(tb testing.TB) *certificate.Certificate {
			return issue(tb, certificate.SlugStatoDiFamiglia, nicolo(tb), 9, certificate.Bollo{ExemptionID: 3})
		}},
		{"stato-di-famiglia-e-stato-civile", plain(certificate.SlugStatoDiFamigliaStatoCivile, 10)},
		{"residenza-in-convivenza", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			f.Citizen.Relationship = 25 // Convivente in convivenza non affettiva
			f.Citizen.FamilyID = "CONV-3"
			f.RelationshipName = entry("relazione_parentela", 25)
			f.Family = f.Family[:1]
			f.Family[0].Citizen = f.Citizen
			return issue(tb, certificate.SlugResidenzaConvivenza, f, 11, certificate.Bollo{})
		}},
		{"stato-di-famiglia-con-rapporti-di-parentela", plain(certificate.SlugStatoDiFamigliaParentela, 12)},
		{"stato-libero", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			f.Citizen.CivilStatus = app.CivilStatusDivorced
			f.CivilStatusName = entry("stato_civile", app.CivilStatusDivorced)
			return issue(tb, certificate.SlugStatoLibero, f, 13, certificate.Bollo{})
		}},
		{"contestuale-residenza-stato-di-famiglia", plain(certificate.SlugContestuale, 14)},
		// A control ANPR lets the officer force: the certificate states
		// the fact that applies (the citizenship is not Italian).
		{"cittadinanza-forzata", func(tb testing.TB) *certificate.Certificate {
			f := nicolo(tb)
			f.Citizen.Citizenship = "CHE"
			f.CitizenshipName = "SVIZZERA"
			return issueForced(tb, certificate.SlugCittadinanza, f, 16, certificate.Forcing{
				Control: certificate.CtlNonItaliano, Reason: "richiesto dal consolato per la pratica di doppia cittadinanza"})
		}},
		{"nomi-lunghi", func(tb testing.TB) *certificate.Certificate {
			return issue(tb, certificate.SlugStatoDiFamigliaParentela, longFamily(tb), 15, certificate.Bollo{})
		}},
	}
	return append(cases, civilGoldenCases()...)
}

// longFamily has the longest names and address the layout must wrap: a
// surname of 80 letters, a surname of 35 letters without a space, a street
// of 95, and fourteen members, more than a page holds.
func longFamily(tb testing.TB) *app.CitizenFile {
	tb.Helper()
	const surname = "MONTEFELTRO DELLA ROVERE CASTIGLIONE DEL LAGO SANT'ANGELO DEI LOMBARDI VISCONTI"
	head := citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName, c.Sex = surname, "MARIA ADDOLORATA IMMACOLATA CONCETTA GIUSEPPINA ROSALIA", "F"
		c.BirthDate, c.BirthPlaceCode = app.Date(1968, time.August, 30), "A562"
		c.Address = app.Address{
			Street:      "Via dei Santissimi Apostoli Pietro e Paolo presso il Complesso Residenziale Villaggio Falck Nord",
			HouseNumber: "1234/BIS", Postcode: "20099",
		}
	})
	members := []app.Citizen{head}
	members = append(members, citizen(tb, func(c *app.Citizen) {
		c.Surname, c.GivenName = "WOLFESCHLEGELSTEINHAUSENBERGERDORFF", "JOHANN SEBASTIAN ÉMILE"
		c.BirthDate, c.BirthPlaceCode, c.Relationship = app.Date(1965, time.December, 1), "Z133", app.RelationshipSpouse
		c.Address = head.Address
	}))
	given := []string{"ANNA", "BEATRICE", "CARLO ALBERTO", "DOMENICO", "ELEONORA", "FRANCESCO SAVERIO", "GIOVANNI BATTISTA",
		"ILARIA", "LUCA", "MATILDE", "NOÈ", "ORSOLA"}
	for i, g := range given {
		members = append(members, citizen(tb, func(c *app.Citizen) {
			c.Surname, c.GivenName, c.CivilStatus = surname, g, app.CivilStatusSingle
			c.BirthDate, c.BirthPlaceCode, c.Relationship = app.Date(1990+i, time.March, 1+i), "I690", app.RelationshipChild
			if g[len(g)-1] == 'A' || g == "BEATRICE" || g == "MATILDE" {
				c.Sex = "F"
			}
			c.Address = head.Address
		}))
	}
	if len(members) != 14 {
		panic(fmt.Sprint("long family has ", len(members)))
	}
	return fileOf(members...)
}
