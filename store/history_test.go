package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/sportello/sportello/app"
)

// TestCitizenHistory: the civil and residence history is cached whole and
// read back as written; a citizen without one costs an empty column.
func TestCitizenHistory(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	c := person("Rossi", "Anna", "F", app.Date(1950, time.March, 3), "F205", "F-1", app.RelationshipHead)
	c.CivilStatus = app.CivilStatusWidowed
	c.Unions = []app.Union{{Kind: app.UnionMarriage, Date: app.Date(1975, time.June, 1), PlaceCode: "F205", PartnerSurname: "Bianchi",
		PartnerGivenName: "Carlo", EndDate: app.Date(2020, time.February, 2), EndReason: app.UnionEndDeath}}
	c.Cohabitations = []app.Cohabitation{{PartnerSurname: "Verdi", PartnerGivenName: "Aldo", Since: app.Date(2021, time.May, 1),
		ContractDate: app.Date(2021, time.June, 1), ContractProfessional: "Notaio Rossi", ContractRegisteredOn: app.Date(2021, time.June, 9)}}
	c.Citizenships = []app.CitizenshipPeriod{{Citizenship: "ITA", From: c.BirthDate, How: "per nascita"}}
	c.Residences = []app.ResidencePeriod{{From: c.BirthDate, ComuneCode: "F205", Address: c.Address}}
	plain := person("Rossi", "Bruno", "M", app.Date(1980, time.March, 3), "F205", "F-2", app.RelationshipHead)
	dead := person("Rossi", "Carla", "F", app.Date(1930, time.March, 3), "F205", "F-3", app.RelationshipHead)
	dead.Status, dead.CancelledOn = app.StatusDeceased, app.Date(2025, time.May, 5)
	dead.Death = &app.Death{Date: dead.CancelledOn, PlaceCode: "Z110"}
	if err := s.PutCitizens(ctx, []app.Citizen{c, plain, dead}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []app.Citizen{c, plain, dead} {
		got, err := s.Citizen(ctx, want.CodiceFiscale)
		if err != nil {
			t.Fatal(err)
		}
		got.UpdatedAt = want.UpdatedAt
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("read back\n %+v\nwant\n %+v", *got, want)
		}
	}
	var hist string
	if err := s.DB().QueryRowContext(ctx, `SELECT history FROM citizens WHERE codice_fiscale = ?`, plain.CodiceFiscale).Scan(&hist); err != nil || hist != "" {
		t.Errorf("history column of a citizen without history = %q, %v", hist, err)
	}
}
