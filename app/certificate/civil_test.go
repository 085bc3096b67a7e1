package certificate_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/certificate"
)

// residenceDay is the date the tests ask a certificate storico di
// residenza alla data for: when the holder lived in Via Roma.
var residenceDay = app.Date(2010, time.June, 1)

// The data of the civil and residence history the holders carry.
var (
	wifeCF   = "BNCLCU82E70Z133X"
	marriage = app.Union{Kind: app.UnionMarriage, Date: app.Date(2008, time.September, 20), PlaceCode: "I690",
		Act: "atto n. 45, parte I, serie A", PartnerSurname: "BIANCHI", PartnerGivenName: "LUCIA", PartnerCodiceFiscale: wifeCF}
	civilUnion = app.Union{Kind: app.UnionCivilUnion, Date: app.Date(2019, time.April, 6), PlaceCode: "F205",
		PartnerSurname: "VERDI", PartnerGivenName: "PAOLO"}
	cohabitation = app.Cohabitation{PartnerSurname: "NERI", PartnerGivenName: "SARA", Since: app.Date(2018, time.April, 1),
		ContractDate: app.Date(2018, time.May, 10), ContractProfessional: "Notaio Carla Verdi di Milano",
		ContractReference: "rep. n. 12345, racc. n. 6789", ContractRegisteredOn: app.Date(2018, time.May, 20)}
	aire = app.AIRERecord{RegisteredOn: app.Date(2024, time.March, 5), CountryCode: "Z133", Locality: "Zurigo",
		Address: "Bahnhofstrasse 12", Consulate: "Consolato Generale d'Italia a Zurigo"}
	via = app.Address{Street: "Via Roma", HouseNumber: "3", Postcode: "20099"}
)

func married(c *app.Citizen) {
	c.CivilStatus, c.Unions = app.CivilStatusMarried, []app.Union{marriage}
}

func united(c *app.Citizen) {
	c.CivilStatus, c.Unions = app.CivilStatusCivilUnion, []app.Union{civilUnion}
}

func cohabiting(c *app.Citizen) { c.Cohabitations = []app.Cohabitation{cohabitation} }

func dead(c *app.Citizen) {
	c.Status, c.CancelledOn, c.CancelReason = app.StatusDeceased, app.Date(2024, time.March, 5), "decesso"
	c.Death = &app.Death{Date: app.Date(2024, time.March, 4), PlaceCode: "F205"}
}

func abroad(c *app.Citizen) {
	c.Status, c.CancelledOn = app.StatusAIRE, aire.RegisteredOn
	a := aire
	c.AIRE = &a
}

func naturalized(c *app.Citizen) {
	c.Citizenships = []app.CitizenshipPeriod{
		{Citizenship: "ALB", From: c.BirthDate, To: app.Date(2010, time.May, 4), How: "per nascita"},
		{Citizenship: "ITA", From: app.Date(2010, time.May, 4), How: "per residenza (art. 9 L. 91/1992)"},
	}
}

func moved(c *app.Citizen) {
	c.Residences = []app.ResidencePeriod{
		{From: c.RegisteredOn, To: app.Date(2015, time.July, 1), ComuneCode: c.Comune, Address: via},
		{From: app.Date(2015, time.July, 1), ComuneCode: c.Comune, Address: c.Address},
	}
}

// civilHolders are a person for each type of the history, who can have it.
func civilHolders(tb testing.TB) map[string]*app.Citizen {
	return map[string]*app.Citizen{
		certificate.SlugMorte:               person(tb, dead),
		certificate.SlugMatrimonio:          person(tb, married),
		certificate.SlugStoricoCittadinanza: person(tb, naturalized),
		certificate.SlugResidenzaAIRE:       person(tb, abroad),
		certificate.SlugStatoDiFamigliaAIRE: person(tb, abroad),
		certificate.SlugUnioneCivile:        person(tb, united),
		certificate.SlugContrattoConvivenza: person(tb, cohabiting),
		certificate.SlugResidenzaAllaData:   person(tb, moved),
	}
}

// TestCheckCivil: each type of the history for the people who can have
// it, and refused with ANPR's reason for those who cannot.
func TestCheckCivil(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mods   []func(*app.Citizen)
		slug   string
		reason string // "" when issued
	}{
		{"MorteDeceased", []func(*app.Citizen){dead}, certificate.SlugMorte, ""},
		{"MorteAlive", nil, certificate.SlugMorte, "non risulta cancellata per decesso"},
		{"MorteWithoutDeathData", []func(*app.Citizen){dead, func(c *app.Citizen) { c.Death = nil }}, certificate.SlugMorte, "data e luogo del decesso"},
		{"MorteAIRE", []func(*app.Citizen){abroad}, certificate.SlugMorte, "non risulta cancellata per decesso"},
		{"MatrimonioMarried", []func(*app.Citizen){married}, certificate.SlugMatrimonio, ""},
		{"MatrimonioSingle", nil, certificate.SlugMatrimonio, "dati del matrimonio assenti"},
		{"MatrimonioUnited", []func(*app.Citizen){united}, certificate.SlugMatrimonio, "dati del matrimonio assenti"},
		{"MatrimonioStatusUnknown", []func(*app.Citizen){func(c *app.Citizen) { c.CivilStatus = app.CivilStatusUnknown }}, certificate.SlugMatrimonio, "stato civile non noto"},
		{"MatrimonioWithoutData", []func(*app.Citizen){func(c *app.Citizen) { c.CivilStatus = app.CivilStatusMarried }}, certificate.SlugMatrimonio, "dati del matrimonio"},
		{"MatrimonioDivorced", []func(*app.Citizen){func(c *app.Citizen) {
			u := marriage
			u.EndDate, u.EndReason = app.Date(2016, time.January, 8), app.UnionEndDivorce
			c.CivilStatus, c.Unions = app.CivilStatusDivorced, []app.Union{u}
		}}, certificate.SlugMatrimonio, "dati del matrimonio assenti"},
		{"MatrimonioAfterAIRE", []func(*app.Citizen){abroad, func(c *app.Citizen) {
			u := marriage
			u.Date = app.Date(2025, time.June, 14)
			c.CivilStatus, c.Unions = app.CivilStatusMarried, []app.Union{u}
		}}, certificate.SlugMatrimonio, "già iscritta all'AIRE alla data del matrimonio"},
		{"MatrimonioBeforeAIRE", []func(*app.Citizen){abroad, married}, certificate.SlugMatrimonio, ""},
		{"UnioneCivile", []func(*app.Citizen){united}, certificate.SlugUnioneCivile, ""},
		{"UnioneCivileMarried", []func(*app.Citizen){married}, certificate.SlugUnioneCivile, "non risulta unita civilmente"},
		{"UnioneCivileAfterAIRE", []func(*app.Citizen){abroad, func(c *app.Citizen) {
			u := civilUnion
			u.Date = app.Date(2025, time.June, 14)
			c.CivilStatus, c.Unions = app.CivilStatusCivilUnion, []app.Union{u}
		}}, certificate.SlugUnioneCivile, "successiva all'espatrio"},
		{"UnioneCivileDeceased", []func(*app.Citizen){united, dead}, certificate.SlugUnioneCivile, "deceduta"},
		{"Contratto", []func(*app.Citizen){cohabiting}, certificate.SlugContrattoConvivenza, ""},
		{"ContrattoNoConvivenza", nil, certificate.SlugContrattoConvivenza, "dati del contratto di convivenza assenti"},
		{"ContrattoWithoutContract", []func(*app.Citizen){func(c *app.Citizen) {
			x := cohabitation
			x.ContractDate, x.ContractProfessional, x.ContractReference, x.ContractRegisteredOn = time.Time{}, "", "", time.Time{}
			c.Cohabitations = []app.Cohabitation{x}
		}}, certificate.SlugContrattoConvivenza, "dati del contratto di convivenza assenti"},
		{"ContrattoEnded", []func(*app.Citizen){func(c *app.Citizen) {
			x := cohabitation
			x.EndDate, x.EndReason = app.Date(2022, time.February, 1), "cessazione della convivenza"
			c.Cohabitations = []app.Cohabitation{x}
		}}, certificate.SlugContrattoConvivenza, "dati del contratto di convivenza assenti"},
		{"StoricoCittadinanza", []func(*app.Citizen){naturalized}, certificate.SlugStoricoCittadinanza, ""},
		{"StoricoCittadinanzaWithoutHistory", nil, certificate.SlugStoricoCittadinanza, "non presente in anagrafe"},
		{"StoricoCittadinanzaForeigner", []func(*app.Citizen){func(c *app.Citizen) {
			c.Citizenship = "ALB"
			c.Citizenships = []app.CitizenshipPeriod{{Citizenship: "ALB", From: c.BirthDate, How: "per nascita"}}
		}}, certificate.SlugStoricoCittadinanza, "cittadinanza italiana"},
		{"StoricoCittadinanzaAIRE", []func(*app.Citizen){naturalized, abroad}, certificate.SlugStoricoCittadinanza, "iscritta all'AIRE"},
		{"ResidenzaAIRE", []func(*app.Citizen){abroad}, certificate.SlugResidenzaAIRE, ""},
		{"ResidenzaAIREResident", nil, certificate.SlugResidenzaAIRE, "non è iscritta all'AIRE"},
		{"ResidenzaAIREWithoutAddress", []func(*app.Citizen){abroad, func(c *app.Citizen) { c.AIRE = nil }}, certificate.SlugResidenzaAIRE, "indirizzo estero"},
		{"ResidenzaAIREPartial", []func(*app.Citizen){abroad, func(c *app.Citizen) { c.Certifiability = 1 }}, certificate.SlugResidenzaAIRE, "forzabile con un motivo: parzialmente-certificabile"},
		{"StatoDiFamigliaAIRE", []func(*app.Citizen){abroad}, certificate.SlugStatoDiFamigliaAIRE, ""},
		{"StatoDiFamigliaAIREResident", nil, certificate.SlugStatoDiFamigliaAIRE, "non è iscritta all'AIRE"},
		{"StatoDiFamigliaAIREConvivenza", []func(*app.Citizen){abroad, func(c *app.Citizen) { c.Relationship = 25 }}, certificate.SlugStatoDiFamigliaAIRE, "famiglia AIRE"},
		{"AllaData", []func(*app.Citizen){moved}, certificate.SlugResidenzaAllaData, ""},
		{"AllaDataEmigrated", []func(*app.Citizen){moved, func(c *app.Citizen) {
			c.Status, c.CancelledOn = app.StatusEmigrated, app.Date(2024, time.March, 5)
		}}, certificate.SlugResidenzaAllaData, ""},
		{"AllaDataWithoutHistory", nil, certificate.SlugResidenzaAllaData, "ricerca d'archivio"},
		{"AllaDataNonCertificabile", []func(*app.Citizen){moved, func(c *app.Citizen) { c.Certifiability = 0 }}, certificate.SlugResidenzaAllaData, "non certificabile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := person(t, tc.mods...)
			err := certificate.Check(mustType(t, tc.slug), &app.CitizenFile{Citizen: *c}, now)
			switch {
			case tc.reason == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.reason != "" && err == nil:
				t.Errorf("issued, want refused with %q", tc.reason)
			case tc.reason != "" && (app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.reason)):
				t.Errorf("refused with %v, want EINVALID saying %q", err, tc.reason)
			}
		})
	}
}

// TestNewCivil pins what each type of the history certifies, line by
// line, and that it certifies nothing of the others.
func TestNewCivil(t *testing.T) {
	holders := civilHolders(t)
	want := map[string][]string{
		certificate.SlugMorte: {"Deceduto il: 04/03/2024 a MILANO"},
		certificate.SlugMatrimonio: {"Matrimonio: celebrato il 20/09/2008 a SESTO SAN GIOVANNI",
			"Atto di matrimonio: atto n. 45, parte I, serie A", "Coniuge: BIANCHI LUCIA, codice fiscale " + wifeCF},
		certificate.SlugStoricoCittadinanza: {"Cittadinanza: ITALIANA", "Cittadinanza ALBANIA: dal 02/01/1980 al 04/05/2010, per nascita",
			"Cittadinanza ITALIANA: dal 04/05/2010 a oggi, per residenza (art. 9 L. 91/1992)"},
		certificate.SlugResidenzaAIRE: {"Iscrizione AIRE: dal 05/03/2024", "Residenza all'estero: Bahnhofstrasse 12, Zurigo (SVIZZERA)",
			"Ufficio consolare: Consolato Generale d'Italia a Zurigo"},
		certificate.SlugStatoDiFamigliaAIRE: {"Iscrizione AIRE: dal 05/03/2024", "Famiglia AIRE:\n1. ROSSI MARIO, nato il 02/01/1980 a MILANO\n"},
		certificate.SlugUnioneCivile:        {"Unione civile: costituita il 06/04/2019 a MILANO", "Parte dell'unione civile: VERDI PAOLO\n"},
		certificate.SlugContrattoConvivenza: {"Convivenza di fatto: con NERI SARA, dal 01/04/2018",
			"Contratto di convivenza: stipulato il 10/05/2018 presso Notaio Carla Verdi di Milano, rep. n. 12345, racc. n. 6789",
			"Registrato in anagrafe il: 20/05/2018"},
		certificate.SlugResidenzaAllaData: {"Alla data del: 01/06/2010", "Residenza: Via Roma 3 - 20099, SESTO SAN GIOVANNI",
			"Periodo di residenza: dal 02/01/1980 al 01/07/2015"},
	}
	labels := []string{"Deceduto", "Matrimonio:", "Coniuge:", "Cittadinanza ALBANIA", "Iscrizione AIRE", "Famiglia AIRE", "Unione civile:",
		"Convivenza di fatto", "Alla data del", "Famiglia anagrafica"}
	for slug, lines := range want {
		t.Run(slug, func(t *testing.T) {
			text := issue(t, mustType(t, slug), file(t, holders[slug]), 9).CertifiedText()
			for _, l := range lines {
				if !strings.Contains(text, l) {
					t.Errorf("text lacks %q:\n%s", l, text)
				}
			}
			for _, l := range labels {
				if strings.Contains(text, l) && !slices.ContainsFunc(lines, func(s string) bool { return strings.Contains(s, l) }) {
					t.Errorf("text has %q, which the type does not certify:\n%s", l, text)
				}
			}
		})
	}

	t.Run("AllaDataErrors", func(t *testing.T) {
		typ := mustType(t, certificate.SlugResidenzaAllaData)
		f := file(t, holders[certificate.SlugResidenzaAllaData])
		n, _ := certificate.NewNumber("I690-W001", 2026, 10)
		for _, tc := range []struct {
			name   string
			on     time.Time
			reason string
		}{
			{"NoDate", time.Time{}, "data di riferimento del certificato mancante"},
			{"Future", app.Date(2026, time.November, 24), "futura"},
			{"BeforeFirstResidence", app.Date(1979, time.December, 31), "anteriore alla prima iscrizione anagrafica"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := certificate.New(typ, f, refs, certificate.Request{Number: n, Bollo: bolloFor(typ), IssuedAt: now, Operator: "mrossi", On: tc.on})
				if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.reason) {
					t.Errorf("got %v, want EINVALID saying %q", err, tc.reason)
				}
			})
		}
		// Today and the day of the move are the current address.
		for _, on := range []time.Time{app.Date(2026, time.November, 23), app.Date(2015, time.July, 1)} {
			c, err := certificate.New(typ, f, refs, certificate.Request{Number: n, Bollo: bolloFor(typ), IssuedAt: now, Operator: "mrossi", On: on})
			if err != nil {
				t.Fatal(err)
			}
			if text := c.CertifiedText(); !strings.Contains(text, "Residenza: Via Giuseppe Garibaldi 12/A - 20099, SESTO SAN GIOVANNI\nPeriodo di residenza: dal 01/07/2015 a oggi\n") {
				t.Errorf("on %s:\n%s", on.Format("2006-01-02"), text)
			}
		}
		t.Run("EmigratedAfterCancellation", func(t *testing.T) {
			g := file(t, person(t, moved, func(c *app.Citizen) {
				c.Status, c.CancelledOn = app.StatusEmigrated, app.Date(2024, time.March, 5)
				c.Residences[1].To = c.CancelledOn
			}))
			_, err := certificate.New(typ, g, refs, certificate.Request{Number: n, Bollo: bolloFor(typ), IssuedAt: now, Operator: "mrossi", On: app.Date(2025, time.January, 1)})
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "successiva alla cancellazione anagrafica") {
				t.Errorf("got %v", err)
			}
		})
	})

	t.Run("ErrFactsOfAnotherType", func(t *testing.T) {
		c := issue(t, mustType(t, certificate.SlugResidenza), file(t, person(t)), 11)
		c.Civil.Death = &certificate.DeathFacts{Date: app.Date(2024, time.March, 4), Place: "MILANO"}
		if err := c.Validate(); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("a residence certificate with a death validates: %v", err)
		}
	})
}
