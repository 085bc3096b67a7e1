package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// TestCitizenCertifiabilityFields covers the fields ANPR's issuing controls
// read: citizenship status (997/998/absent), several citizenships, open
// procedure, senza fissa dimora.
func TestCitizenCertifiabilityFields(t *testing.T) {
	base := func() app.Citizen {
		c := app.Citizen{Surname: "ROSSI", GivenName: "MARIO", Sex: "M", BirthDate: app.Date(1980, time.January, 2),
			BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: 1, Comune: "I690", FamilyID: "F1",
			Relationship: 1, Status: app.StatusResident, Certifiability: 2}
		code, err := cf.Compute(cf.Person{Surname: c.Surname, Name: c.GivenName, Sex: c.Sex, BirthDate: c.BirthDate, BirthPlaceCode: c.BirthPlaceCode})
		if err != nil {
			t.Fatal(err)
		}
		c.CodiceFiscale = code
		return c
	}
	for _, tc := range []struct {
		name string
		mod  func(*app.Citizen)
		msg  string // "" valid
	}{
		{"OtherCitizenships", func(c *app.Citizen) { c.OtherCitizenships = "FRA USA" }, ""},
		{"InDefinizione", func(c *app.Citizen) { c.Citizenship, c.CitizenshipStatus = "", app.CitizenshipDefining }, ""},
		{"NonAttribuibile", func(c *app.Citizen) { c.Citizenship, c.CitizenshipStatus = "", app.CitizenshipNotAttributable }, ""},
		{"Assente", func(c *app.Citizen) { c.Citizenship, c.CitizenshipStatus = "", app.CitizenshipMissing }, ""},
		{"OpenProcedureNoFixedAbode", func(c *app.Citizen) { c.OpenProcedure, c.NoFixedAbode = true, true }, ""},
		{"ErrStatusUnknown", func(c *app.Citizen) { c.Citizenship, c.CitizenshipStatus = "", "boh" }, "stato della cittadinanza"},
		{"ErrStatusWithCitizenship", func(c *app.Citizen) { c.CitizenshipStatus = app.CitizenshipDefining }, "lasciarla vuota"},
		{"ErrNoCitizenship", func(c *app.Citizen) { c.Citizenship = "" }, "cittadinanza non valida"},
		{"ErrOtherRepeatsFirst", func(c *app.Citizen) { c.OtherCitizenships = "ITA" }, "altre cittadinanze"},
		{"ErrOtherTwice", func(c *app.Citizen) { c.OtherCitizenships = "FRA FRA" }, "altre cittadinanze"},
		{"ErrOtherNotISO", func(c *app.Citizen) { c.OtherCitizenships = "FR" }, "altre cittadinanze"},
		{"ErrOtherCommas", func(c *app.Citizen) { c.OtherCitizenships = "FRA,USA" }, "altre cittadinanze"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.mod(&c)
			err := c.Validate()
			switch {
			case tc.msg == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.msg != "" && (app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.msg)):
				t.Errorf("got %v, want EINVALID saying %q", err, tc.msg)
			}
		})
	}
}
