package sqlstore

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/app/cf"
)

// TestCitizenHistory: the hub keeps a citizen's civil and residence history
// with the record, serves it back whole, sees a change of it at the next
// import, and refuses it when it does not hold together.
func TestCitizenHistory(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	if err := db.EnsureComune(ctx, "F205", "MILANO"); err != nil {
		t.Fatal(err)
	}
	code, err := cf.Compute(cf.Person{Surname: "Rossi", Name: "Anna", Sex: "F", BirthDate: app.Date(1960, time.April, 1), BirthPlaceCode: "F205"})
	if err != nil {
		t.Fatal(err)
	}
	c := app.Citizen{CodiceFiscale: code, Surname: "Rossi", GivenName: "Anna", Sex: "F", BirthDate: app.Date(1960, time.April, 1),
		BirthPlaceCode: "F205", Citizenship: "ITA", CivilStatus: app.CivilStatusMarried, Comune: "F205",
		Address: app.Address{Street: "Via Roma", HouseNumber: "1"}, FamilyID: "F1", Relationship: app.RelationshipHead,
		Status: app.StatusAIRE, RegisteredOn: app.Date(1960, time.April, 3), CancelledOn: app.Date(2015, time.May, 2), Certifiability: app.CertifiableFully,
		Unions: []app.Union{{Kind: app.UnionMarriage, Date: app.Date(1985, time.June, 1), PlaceCode: "F205", PartnerSurname: "Bianchi", PartnerGivenName: "Luca"}},
		AIRE: &app.AIRERecord{RegisteredOn: app.Date(2015, time.May, 2), CountryCode: "Z110", Locality: "Lione", Address: "3 rue Neuve",
			Consulate: "Consolato Generale d'Italia a Lione"},
		Citizenships: []app.CitizenshipPeriod{{Citizenship: "ITA", From: app.Date(1960, time.April, 1), How: "per nascita"}},
		Residences: []app.ResidencePeriod{{From: app.Date(1960, time.April, 3), To: app.Date(2015, time.May, 2), ComuneCode: "F205", Address: app.Address{Street: "Via Roma", HouseNumber: "1"}},
			{From: app.Date(2015, time.May, 2), ComuneCode: "Z110", Address: app.Address{Street: "3 rue Neuve, Lione"}}},
	}
	if _, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{c}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Citizen(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	got.UpdatedAt = time.Time{}
	if !reflect.DeepEqual(*got, c) {
		t.Errorf("stored\n %+v\nwant\n %+v", *got, c)
	}
	var data string
	if err := db.db.QueryRowContext(ctx, `SELECT data FROM citizens WHERE codice_fiscale = ?`, code).Scan(&data); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"unions":[{"kind":"matrimonio"`, `"aire":{"registered_on":"2015-05-02"`, `"citizenship_history":`, `"residence_history":`} {
		if !strings.Contains(data, key) {
			t.Errorf("stored JSON lacks %s: %s", key, data)
		}
	}

	c.Unions[0].Act = "atto n. 4"
	if res, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{c}); err != nil || res.Updated != 1 {
		t.Errorf("a changed act: %+v, %v; want one update", res, err)
	}
	c.Unions = append(c.Unions, app.Union{Kind: app.UnionMarriage, Date: app.Date(1990, time.June, 1), PlaceCode: "F205", PartnerSurname: "Verdi", PartnerGivenName: "Ugo"})
	if _, err := db.ReplaceAnagrafe(ctx, "F205", []app.Citizen{c}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("two marriages at once stored: %v", err)
	}
}
