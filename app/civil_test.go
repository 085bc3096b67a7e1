package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// historyPerson is a married resident who moved once within the comune,
// became Italian by residence, and signed nothing else.
func historyPerson(tb testing.TB) app.Citizen {
	tb.Helper()
	c := app.Citizen{
		Surname: "HOXHA", GivenName: "ARBEN", Sex: "M", BirthDate: app.Date(1975, time.May, 4), BirthPlaceCode: "Z100",
		Citizenship: "ITA", CivilStatus: app.CivilStatusMarried, Comune: "I690",
		Address:  app.Address{Street: "Via Roma", HouseNumber: "3", Postcode: "20099"},
		FamilyID: "F1", Relationship: app.RelationshipHead, Status: app.StatusResident,
		RegisteredOn: app.Date(1999, time.March, 1), Certifiability: app.CertifiableFully,
		Unions: []app.Union{{Kind: app.UnionMarriage, Date: app.Date(2001, time.June, 9), PlaceCode: "I690",
			PartnerSurname: "BIANCHI", PartnerGivenName: "LUCIA", PartnerCodiceFiscale: "BNCLCU82E70Z133X"}},
		Citizenships: []app.CitizenshipPeriod{
			{Citizenship: "ALB", From: app.Date(1975, time.May, 4), To: app.Date(2012, time.January, 10), How: "per nascita"},
			{Citizenship: "ITA", From: app.Date(2012, time.January, 10), How: "per residenza"},
		},
		Residences: []app.ResidencePeriod{
			{From: app.Date(1999, time.March, 1), To: app.Date(2008, time.October, 1), ComuneCode: "I690", Address: app.Address{Street: "Via Milano", HouseNumber: "8"}},
			{From: app.Date(2008, time.October, 1), ComuneCode: "I690", Address: app.Address{Street: "Via Roma", HouseNumber: "3", Postcode: "20099"}},
		},
	}
	code, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
	if err != nil {
		tb.Fatal(err)
	}
	c.CodiceFiscale = code
	return c
}

func TestCitizenHistoryValidate(t *testing.T) {
	if c := historyPerson(t); c.Validate() != nil {
		t.Fatalf("valid person refused: %v", c.Validate())
	}
	deceased := func(c *app.Citizen) {
		c.Status, c.CancelledOn = app.StatusDeceased, app.Date(2024, time.March, 5)
		c.Residences[1].To = c.CancelledOn
	}
	for _, tc := range []struct {
		name   string
		mod    func(*app.Citizen)
		reason string // "" for valid
	}{
		{"Deceased", func(c *app.Citizen) {
			deceased(c)
			c.Death = &app.Death{Date: app.Date(2024, time.March, 5), PlaceCode: "Z133"}
		}, ""},
		{"AIRE", func(c *app.Citizen) {
			c.Status, c.CancelledOn = app.StatusAIRE, app.Date(2020, time.May, 1)
			c.AIRE = &app.AIRERecord{RegisteredOn: c.CancelledOn, CountryCode: "Z133", Locality: "Basilea", Address: "Rheinweg 4", Consulate: "Consolato d'Italia a Basilea"}
		}, ""},
		{"Divorced", func(c *app.Citizen) {
			c.CivilStatus = app.CivilStatusDivorced
			c.Unions[0].EndDate, c.Unions[0].EndReason = app.Date(2015, time.May, 1), app.UnionEndDivorce
		}, ""},
		{"RemarriedAfterDivorce", func(c *app.Citizen) {
			c.Unions[0].EndDate, c.Unions[0].EndReason = app.Date(2015, time.May, 1), app.UnionEndDivorce
			c.Unions = append(c.Unions, app.Union{Kind: app.UnionMarriage, Date: app.Date(2018, time.May, 1), PlaceCode: "Z100", PartnerSurname: "KOLA", PartnerGivenName: "ERA"})
		}, ""},
		{"ContractedCohabitation", func(c *app.Citizen) {
			c.Cohabitations = []app.Cohabitation{{PartnerSurname: "NERI", PartnerGivenName: "SARA", Since: app.Date(2018, time.April, 1),
				ContractDate: app.Date(2018, time.May, 10), ContractProfessional: "Notaio Carla Verdi", ContractRegisteredOn: app.Date(2018, time.May, 20)}}
		}, ""},
		{"ErrUnionKind", func(c *app.Citizen) { c.Unions[0].Kind = "convivenza" }, "tipo di unione non valido"},
		{"ErrUnionDate", func(c *app.Citizen) { c.Unions[0].Date = time.Time{} }, "data mancante"},
		{"ErrUnionPlace", func(c *app.Citizen) { c.Unions[0].PlaceCode = "Milano" }, "luogo non valido"},
		{"ErrUnionPartner", func(c *app.Citizen) { c.Unions[0].PartnerSurname = " " }, "cognome e nome del coniuge"},
		{"ErrUnionPartnerCF", func(c *app.Citizen) { c.Unions[0].PartnerCodiceFiscale = "BNCLCU82E70Z133A" }, "codice fiscale del coniuge"},
		{"ErrUnionEndWithoutReason", func(c *app.Citizen) { c.Unions[0].EndDate = app.Date(2015, time.May, 1) }, "vanno indicati insieme"},
		{"ErrUnionEndBefore", func(c *app.Citizen) {
			c.Unions[0].EndDate, c.Unions[0].EndReason = app.Date(2000, time.May, 1), app.UnionEndDeath
		}, "finito prima"},
		{"ErrMarriageDissolved", func(c *app.Citizen) {
			c.Unions[0].EndDate, c.Unions[0].EndReason = app.Date(2015, time.May, 1), app.UnionEndDissolved
		}, "divorzio"},
		{"ErrCivilUnionDivorced", func(c *app.Citizen) {
			c.CivilStatus = app.CivilStatusCivilUnion
			c.Unions[0].Kind, c.Unions[0].EndDate, c.Unions[0].EndReason = app.UnionCivilUnion, app.Date(2015, time.May, 1), app.UnionEndDivorce
		}, "si scioglie"},
		{"ErrOverlappingUnions", func(c *app.Citizen) {
			c.Unions = append(c.Unions, app.Union{Kind: app.UnionMarriage, Date: app.Date(2018, time.May, 1), PlaceCode: "Z100", PartnerSurname: "KOLA", PartnerGivenName: "ERA"})
		}, "unioni sovrapposte"},
		{"ErrMarriedWithoutOpenMarriage", func(c *app.Citizen) {
			c.Unions[0].EndDate, c.Unions[0].EndReason = app.Date(2015, time.May, 1), app.UnionEndDivorce
		}, "non corrisponde ai matrimoni"},
		{"ErrSingleButMarried", func(c *app.Citizen) { c.CivilStatus = app.CivilStatusSingle }, "non corrisponde ai matrimoni"},
		{"ErrContractIncomplete", func(c *app.Citizen) {
			c.Cohabitations = []app.Cohabitation{{PartnerSurname: "NERI", PartnerGivenName: "SARA", Since: app.Date(2018, time.April, 1), ContractDate: app.Date(2018, time.May, 10)}}
		}, "vanno indicati insieme"},
		{"ErrTwoOpenCohabitations", func(c *app.Citizen) {
			x := app.Cohabitation{PartnerSurname: "NERI", PartnerGivenName: "SARA", Since: app.Date(2018, time.April, 1)}
			c.Cohabitations = []app.Cohabitation{x, x}
		}, "più di una convivenza"},
		{"ErrDeathOfTheLiving", func(c *app.Citizen) { c.Death = &app.Death{Date: app.Date(2024, time.March, 5), PlaceCode: "I690"} }, "decesso registrato per una persona in posizione residente"},
		{"ErrDeathAfterCancellation", func(c *app.Citizen) {
			deceased(c)
			c.Death = &app.Death{Date: app.Date(2024, time.March, 6), PlaceCode: "I690"}
		}, "posteriore alla cancellazione"},
		{"ErrDeathPlace", func(c *app.Citizen) { deceased(c); c.Death = &app.Death{Date: app.Date(2024, time.March, 5)} }, "decesso: luogo"},
		{"ErrAIREOfResident", func(c *app.Citizen) {
			c.AIRE = &app.AIRERecord{RegisteredOn: app.Date(2020, time.May, 1), CountryCode: "Z133", Locality: "Basilea", Address: "Rheinweg 4", Consulate: "Consolato"}
		}, "iscrizione AIRE per una persona in posizione residente"},
		{"ErrAIRECountry", func(c *app.Citizen) {
			c.Status, c.CancelledOn = app.StatusAIRE, app.Date(2020, time.May, 1)
			c.AIRE = &app.AIRERecord{RegisteredOn: c.CancelledOn, CountryCode: "F205", Locality: "Basilea", Address: "Rheinweg 4", Consulate: "Consolato"}
		}, "stato estero non valido"},
		{"ErrAIREConsulate", func(c *app.Citizen) {
			c.Status, c.CancelledOn = app.StatusAIRE, app.Date(2020, time.May, 1)
			c.AIRE = &app.AIRERecord{RegisteredOn: c.CancelledOn, CountryCode: "Z133", Locality: "Basilea", Address: "Rheinweg 4"}
		}, "ufficio consolare mancante"},
		{"ErrCitizenshipCode", func(c *app.Citizen) { c.Citizenships[0].Citizenship = "Albanese" }, "cittadinanza non valida"},
		{"ErrCitizenshipHow", func(c *app.Citizen) { c.Citizenships[1].How = "" }, "modo di acquisto mancante"},
		{"ErrCitizenshipBeforeBirth", func(c *app.Citizen) { c.Citizenships[0].From = app.Date(1970, time.May, 4) }, "prima della nascita"},
		{"ErrCitizenshipOverlap", func(c *app.Citizen) {
			c.Citizenships = append(c.Citizenships, app.CitizenshipPeriod{Citizenship: "ITA", From: app.Date(2015, time.January, 1), How: "per matrimonio"})
		}, "periodi sovrapposti"},
		{"ErrCitizenshipNotCurrent", func(c *app.Citizen) { c.Citizenships[1].To = app.Date(2020, time.January, 1) }, "manca il periodo in corso"},
		{"ErrResidenceFrom", func(c *app.Citizen) { c.Residences[0].From = time.Time{} }, "decorrenza mancante"},
		{"ErrResidenceReversed", func(c *app.Citizen) { c.Residences[0].To = app.Date(1998, time.January, 1) }, "vuoto o rovesciato"},
		{"ErrResidenceOverlap", func(c *app.Citizen) { c.Residences[1].From = app.Date(2007, time.October, 1) }, "prima della fine del precedente"},
		{"ErrResidenceLastClosed", func(c *app.Citizen) { c.Residences[1].To = app.Date(2020, time.October, 1) }, "l'ultimo periodo deve essere in corso"},
		{"ErrResidenceLastElsewhere", func(c *app.Citizen) { c.Residences[1].Address.HouseNumber = "5" }, "all'indirizzo di residenza"},
		{"ErrResidenceComune", func(c *app.Citizen) { c.Residences[0].ComuneCode = "" }, "comune non valido"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := historyPerson(t)
			tc.mod(&c)
			err := c.Validate()
			switch {
			case tc.reason == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.reason != "" && (app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.reason)):
				t.Errorf("got %v, want EINVALID saying %q", err, tc.reason)
			}
		})
	}
}

func TestResidenceOn(t *testing.T) {
	c := historyPerson(t)
	for _, tc := range []struct {
		day    time.Time
		street string
	}{
		{app.Date(1999, time.March, 1), "Via Milano"},
		{app.Date(2008, time.September, 30), "Via Milano"},
		{app.Date(2008, time.October, 1), "Via Roma"},
		{app.Date(2030, time.January, 1), "Via Roma"},
		{app.Date(1999, time.February, 28), ""},
	} {
		p, ok := c.ResidenceOn(tc.day)
		if p.Address.Street != tc.street || ok != (tc.street != "") {
			t.Errorf("ResidenceOn(%s) = %q, %v; want %q", tc.day.Format("2006-01-02"), p.Address.Street, ok, tc.street)
		}
	}
}
